"""Put the geography into a warehouse: copy the cache's `geo_*` tables in one transaction.

The app, `anchor setup` and `anchor demo` need the whole of Great Britain: a warehouse or a
cache that holds only a region (`anchor geo build --areas B,WS`) is not current for them.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from anchor import config
from anchor.auth import User, writes
from anchor.db import Warehouse, WarehouseError, bump_data_version
from anchor.geography.build import (
    GB_SCOPE,
    GEO_TABLES,
    BuildReport,
    Progress,
    build_geography,
    cache_is_current,
    current_scope,
    describe_scope,
    no_progress,
)

_COPY_SQL = {t: f"insert into {t} by name select * from geo_cache.{t}" for t in GEO_TABLES}
_CLEAR_SQL = {t: f"delete from {t}" for t in GEO_TABLES}


def warehouse_geography_scope(wh: Warehouse) -> str | None:
    """The scope ('GB', or a region's postcode areas such as 'B,WS') of the warehouse's
    geography when it was built by this release from the pinned sources; else None."""
    return current_scope(dict(wh.rows("select key, value from geo_meta")))


def warehouse_has_geography(wh: Warehouse, *, scope: str = GB_SCOPE) -> bool:
    """True when the warehouse holds current geography of `scope` (by default all of GB)."""
    return warehouse_geography_scope(wh) == scope


@writes("install the geography")
def install_geography(wh: Warehouse, cache: Path, user: User) -> None:
    """Replace the warehouse's geography with the cache's, all or nothing, recording who
    installed which in the audit trail."""
    from anchor.queries.loads import record_change

    try:
        wh.rows("attach ? as geo_cache (read_only)", [str(cache)])
    except duckdb.IOException as exc:
        if "lock" not in str(exc).lower():
            raise
        raise WarehouseError(
            f"The geography cache {cache} is being written by another process (a geography "
            "build, or another `anchor setup`): wait for it to finish, then run this again."
        ) from exc
    try:
        with wh.transaction() as cur:
            for table in GEO_TABLES:
                cur.execute(_CLEAR_SQL[table])
                cur.execute(_COPY_SQL[table])
            scope = current_scope(dict(cur.execute("select key, value from geo_meta").fetchall()))
            record_change(cur, user, "geography", "installed",
                          f"Geography of {describe_scope(scope) if scope else 'an older build'}"
                          f" installed from {cache.name}.")
            bump_data_version(cur)
    finally:
        wh.rows("detach geo_cache")


@writes("install the geography")
def ensure_geography(
    wh: Warehouse, user: User, *, cache: Path | None = None, progress: Progress = no_progress
) -> BuildReport | None:
    """Make sure the warehouse has current whole-GB geography, building the cache if needed.

    A warehouse or cache holding only a region counts as not current: the whole of Great
    Britain is built (at `cache`, by default the configured cache path) and installed.
    Returns the build report when a build was needed, else None.
    """
    if warehouse_has_geography(wh):
        return None
    cache = Path(cache or config.geography_cache_path())
    report = None
    if not cache_is_current(cache):
        report = build_geography(cache, progress=lambda f, m: progress(f * 0.9, m))
    progress(0.95, "Copying geography into the warehouse")
    install_geography(wh, cache, user)
    progress(1.0, "Geography ready")
    return report
