"""Settings and constants: paths, environment overrides, targets. No I/O at import."""

from __future__ import annotations

import os
import re
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
# A local share is shown only when the suppliers of at least this share of its spend have a
# known location; below, it is "not yet known" rather than a figure that counts every unplaced
# pound as spent elsewhere. Likewise an SME or VCSE share needs this share of spend flagged.
KNOWN_SPEND_MIN_SHARE = 0.8
DISCLOSURE_MIN_COUNT = 5  # counts of people below this are suppressed
DISCLOSURE_ROUNDING_BASE = 5  # every other count of people is shown to the nearest 5

# Attribution the Open Government Licence and the OS OpenData licence require
# wherever their data is shown.
GEOGRAPHY_ATTRIBUTION = (
    "Contains OS data © Crown copyright and database right 2025. "
    "Contains Royal Mail data © Royal Mail copyright and database right 2025. "
    "Source: Office for National Statistics licensed under the Open Government Licence v3.0."
)


# Loading data (anchor/loading). Roles: viewer, analyst, admin (anchor/auth.py).
DEFAULT_LOCAL_ROLE = "analyst"
DEFAULT_MAX_UPLOAD_MB = 200.0


def local_role_name() -> str:
    """The role of everyone using the app with no sign-in, and of the command line:
    `ANCHOR_ROLE`, else analyst (a single-user install on an analyst's own machine)."""
    return (os.environ.get("ANCHOR_ROLE") or DEFAULT_LOCAL_ROLE).strip().lower()


def max_upload_mb() -> float:
    """The largest file a load accepts: `ANCHOR_MAX_UPLOAD_MB`, else Streamlit's
    `server.maxUploadSize` from .streamlit/config.toml, else 200 MB."""
    raw = os.environ.get("ANCHOR_MAX_UPLOAD_MB")
    if raw:
        return float(raw)
    try:
        import tomllib

        with open(ROOT / ".streamlit" / "config.toml", "rb") as f:
            return float(tomllib.load(f)["server"]["maxUploadSize"])
    except (OSError, KeyError, ValueError, TypeError):
        return DEFAULT_MAX_UPLOAD_MB


# DuckDB takes 80% of the machine's memory unless told otherwise; a shared server states
# its own ceiling. Past it, DuckDB spills big sorts and joins to a folder beside the file.
DEFAULT_DUCKDB_MEMORY_LIMIT = "4GB"
_MEMORY_LIMIT = re.compile(r"[0-9]+(\.[0-9]+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)", re.IGNORECASE)


def duckdb_memory_limit() -> str:
    """The warehouse connection's memory limit: `ANCHOR_DUCKDB_MEMORY_LIMIT` ('4GB',
    '1500MiB'), else 4GB. Raises ValueError for a value DuckDB would not read."""
    raw = (os.environ.get("ANCHOR_DUCKDB_MEMORY_LIMIT") or DEFAULT_DUCKDB_MEMORY_LIMIT).strip()
    if not _MEMORY_LIMIT.fullmatch(raw):
        raise ValueError(f"ANCHOR_DUCKDB_MEMORY_LIMIT is {raw!r}: give a size such as 4GB or "
                         "1500MB.")
    return raw


# Reading a file within bounds (anchor/loading/workbook.py, readers.py, worker.py), so that
# no file, however crafted, can exhaust the server: what a file may hold, and what reading it
# may take. A file beyond them is refused with a message naming the limit.
READ_MAX_COLUMNS = 500  # columns in a sheet's used range, or cells in a CSV row
READ_MAX_CELLS = 20_000_000  # a sheet's used range from A1: rows × columns
READ_MAX_CELL_CHARS = 32_767  # characters in one cell: Excel's own limit
READ_MAX_UNZIPPED_MB = 2_048  # a workbook's parts, unzipped, together
READ_MAX_ZIP_RATIO = 200  # how many times a part of a workbook over 1 MB may unzip
DEFAULT_READ_MEMORY_MB = 4_096  # memory the worker reading a file may take
DEFAULT_READ_SECONDS = 300  # time it may take
# A CSV this small is read in the app's own process, after the bounds are checked: starting a
# worker would take longer than reading it, and its memory is bounded by its size.
READ_IN_PROCESS_MAX_BYTES = 1024 * 1024


def read_memory_mb() -> int:
    """The memory a worker reading a file may take: `ANCHOR_READ_MEMORY_MB`, else 4,096."""
    return int(os.environ.get("ANCHOR_READ_MEMORY_MB") or DEFAULT_READ_MEMORY_MB)


def read_seconds() -> float:
    """The time a worker reading a file may take: `ANCHOR_READ_SECONDS`, else 300."""
    return float(os.environ.get("ANCHOR_READ_SECONDS") or DEFAULT_READ_SECONDS)
