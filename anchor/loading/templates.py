"""Templates analysts download and fill in: our column names, and what each one holds."""

from __future__ import annotations

import io

import pandas as pd

from anchor.loading.layouts import TableSpec


def columns_guide(spec: TableSpec) -> pd.DataFrame:
    """One row per column: name, required or optional, what it holds, an example."""
    return pd.DataFrame({
        "Column": [c.name for c in spec.columns],
        "Required": ["yes" if c.required else "optional" for c in spec.columns],
        "What it holds": [c.help for c in spec.columns],
        "Example": [c.example for c in spec.columns],
    })


def template_csv(spec: TableSpec) -> bytes:
    """The column names only (UTF-8 with a byte-order mark, so Excel keeps the £ sign)."""
    return ("\ufeff" + ",".join(spec.names) + "\r\n").encode("utf-8")


def template_xlsx(spec: TableSpec) -> bytes:
    """A workbook: the data sheet first (the one that is read), then a guide to the columns."""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="xlsxwriter") as writer:
        pd.DataFrame(columns=spec.names).to_excel(writer, sheet_name=spec.label[:31], index=False)
        columns_guide(spec).to_excel(writer, sheet_name="Columns", index=False)
        guide = writer.sheets["Columns"]
        guide.set_column(0, 0, 24)
        guide.set_column(1, 1, 10)
        guide.set_column(2, 2, 70)
        guide.set_column(3, 3, 22)
        writer.sheets[spec.label[:31]].set_column(0, len(spec.names) - 1, 18)
    return buf.getvalue()


def template_name(spec: TableSpec, suffix: str) -> str:
    return f"anchor-{spec.key}-template.{suffix}"
