"""Spreadsheets for download: CSV and XLSX of tables, whose cells cannot run as formulas. Pure
functions. (The place story's board paper, slides and charts are anchor/reports/exports.py.)

A spreadsheet treats a cell starting with =, +, -, @, a tab or a carriage return as a
formula. Text cells that start so get a leading apostrophe; numbers stay numbers (a
credit note of -500.00 is a number, not a formula).
"""

from __future__ import annotations

import io
from datetime import date

import pandas as pd

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Every text cell (and column name) made safe to open in a spreadsheet."""
    out = df.copy()
    out.columns = [neutralise(str(c)) for c in out.columns]
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralise)
    return out


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """UTF-8 with a byte-order mark, so Excel shows £ correctly."""
    return safe_frame(df).to_csv(index=False).encode("utf-8-sig")


def to_xlsx_bytes(df: pd.DataFrame, *, sheet: str = "Data", notes: list[str] | None = None) -> bytes:
    """One sheet of data and, when given, a Notes sheet (definitions, place, source)."""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="xlsxwriter",
                        engine_kwargs={"options": {"strings_to_formulas": False,
                                                   "strings_to_urls": False}}) as xw:
        safe_frame(df).to_excel(xw, sheet_name=sheet[:31], index=False)
        ws = xw.sheets[sheet[:31]]
        for i, col in enumerate(df.columns):
            width = max([len(str(col))] + [len(str(v)) for v in df[col].head(200)])
            ws.set_column(i, i, min(60, width + 2))
        if notes:
            pd.DataFrame({"Notes": [neutralise(n) for n in notes]}).to_excel(
                xw, sheet_name="Notes", index=False)
            xw.sheets["Notes"].set_column(0, 0, 120)
    return buf.getvalue()


def file_stem(title: str, when: date | None = None) -> str:
    """'Local spend by category' -> 'anchor-local-spend-by-category-2026-11-24'."""
    slug = "".join(ch.lower() if ch.isalnum() else "-" for ch in title).strip("-")
    while "--" in slug:
        slug = slug.replace("--", "-")
    return f"anchor-{slug}-{(when or date.today()).isoformat()}"
