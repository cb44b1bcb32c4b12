"""Settings and constants: paths, environment overrides, targets. No I/O at import."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"


def warehouse_path() -> Path:
    """The DuckDB warehouse: `ANCHOR_DB`, else data/anchor.duckdb."""
    return Path(os.environ.get("ANCHOR_DB") or DATA_DIR / "anchor.duckdb")


def geography_cache_path() -> Path:
    """The geography cache built from the open data packages."""
    return Path(os.environ.get("ANCHOR_GEO_CACHE") or DATA_DIR / "geography.duckdb")


# Targets the product reports against (PRODUCT.md, Metrics).
BPPC_TARGET_PCT = 95.0  # Better Payment Practice Code: invoices paid within 30 days
BPPC_DAYS = 30
APPRENTICESHIP_TARGET_PCT = 2.3  # public-sector apprenticeship starts, % of headcount
NON_CLINICAL_MAX_PCT = 35.0  # Carter review: non-clinical floor space
EMPTY_UNDERUSED_MAX_PCT = 2.5  # unoccupied or under-used floor space
DISCLOSURE_MIN_COUNT = 5  # counts of people below this are suppressed

# Attribution the Open Government Licence and the OS OpenData licence require
# wherever their data is shown.
GEOGRAPHY_ATTRIBUTION = (
    "Contains OS data © Crown copyright and database right 2025. "
    "Contains Royal Mail data © Royal Mail copyright and database right 2025. "
    "Source: Office for National Statistics licensed under the Open Government Licence v3.0."
)
