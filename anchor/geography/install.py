"""Put the geography into a warehouse: copy the cache's `geo_*` tables in one transaction."""

from __future__ import annotations

from pathlib import Path

from anchor import config
from anchor.db import Warehouse
from anchor.geography.build import (
    GEO_TABLES,
    BuildReport,
    Progress,
    build_geography,
    cache_is_current,
    no_progress,
)
from anchor.geography.sources import fingerprint

_COPY_SQL = {t: f"insert into {t} by name select * from geo_cache.{t}" for t in GEO_TABLES}
_CLEAR_SQL = {t: f"delete from {t}" for t in GEO_TABLES}


def warehouse_has_geography(wh: Warehouse) -> bool:
    """True when the warehouse holds geography built from the pinned sources."""
    return wh.value("select value from geo_meta where key = 'fingerprint'") == fingerprint()


def install_geography(wh: Warehouse, cache: Path) -> None:
    """Replace the warehouse's geography with the cache's, all or nothing."""
    wh.rows("attach ? as geo_cache (read_only)", [str(cache)])
    try:
        with wh.transaction() as cur:
            for table in GEO_TABLES:
                cur.execute(_CLEAR_SQL[table])
                cur.execute(_COPY_SQL[table])
    finally:
        wh.rows("detach geo_cache")


def ensure_geography(
    wh: Warehouse, *, cache: Path | None = None, progress: Progress = no_progress
) -> BuildReport | None:
    """Make sure the warehouse has current geography, building the cache if needed.

    Returns the build report when a build was needed, else None.
    """
    if warehouse_has_geography(wh):
        return None
    cache = Path(cache or config.geography_cache_path())
    report = None
    if not cache_is_current(cache):
        report = build_geography(cache, progress=lambda f, m: progress(f * 0.9, m))
    progress(0.95, "Copying geography into the warehouse")
    install_geography(wh, cache)
    progress(1.0, "Geography ready")
    return report
