"""The former name of anchor/spreadsheets.py (spreadsheets for download), kept importable for
the modules that still use it: anchor/ui/components.py and anchor/reports/exports.py. New
code imports anchor.spreadsheets."""

from anchor.spreadsheets import (  # noqa: F401
    FORMULA_PREFIXES,
    file_stem,
    neutralise,
    safe_frame,
    to_csv_bytes,
    to_xlsx_bytes,
)
