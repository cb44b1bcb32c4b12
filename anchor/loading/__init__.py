"""Loading data: files in, checked, previewed, written in one transaction, audited, undone.

    raw = read_bytes(name, data)                   # readers: CSV/XLSX as text cells
    checked = check(wh, raw, spec("spend"))        # validation: rows, slices, report
    preview(wh, checked, user, place)              # what would change, rolled back
    result = load(wh, checked, user)               # one transaction; analysts only
    undo(wh, result.load_id, user)                 # puts back what it replaced

The command line (`anchor load`, `anchor undo`) and the sidebar use these same functions.
"""

from anchor.loading.layouts import SPECS, TableSpec, spec
from anchor.loading.preview import Preview, preview
from anchor.loading.readers import RawFile, UnreadableFile, read_bytes, read_path
from anchor.loading.report import report_csv
from anchor.loading.transaction import (
    InvalidFile,
    LoadError,
    LoadResult,
    Offered,
    UndoResult,
    WarehouseChanged,
    check_offered,
    load,
    record_rejection,
    remove_demo_data,
    undo,
)
from anchor.loading.validation import CheckedFile, check, check_many

__all__ = [
    "SPECS", "CheckedFile", "InvalidFile", "LoadError", "LoadResult", "Offered", "Preview",
    "RawFile", "TableSpec", "UndoResult", "UnreadableFile", "WarehouseChanged", "check",
    "check_many", "check_offered",
    "load", "preview", "read_bytes", "read_path", "record_rejection",
    "remove_demo_data", "report_csv", "spec", "undo",
]
