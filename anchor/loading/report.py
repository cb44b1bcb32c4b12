"""The validation report and the preview, as people read them: on screen, in a CSV, in a
terminal. Pure functions: frames in, frames, bytes or text out."""

from __future__ import annotations

import pandas as pd

from anchor import exports
from anchor import formatting as fmt
from anchor.loading.transaction import Preview
from anchor.loading.validation import CheckedFile, plural
from anchor.periods import quarter_label

REPORT_HEADERS = {"file": "File", "row": "Row", "column": "Column", "value": "Value",
                  "problem": "Problem", "severity": "Severity"}


def _quarter(q) -> str:
    if q is None or pd.isna(q):
        return "–"
    return quarter_label(pd.Timestamp(q).date())


def issues_table(issues: pd.DataFrame) -> pd.DataFrame:
    """The report for the screen: one row per problem; 'whole file' where there is no row."""
    out = issues.rename(columns=REPORT_HEADERS)[list(REPORT_HEADERS.values())].copy()
    out["Row"] = out["Row"].map(lambda r: "whole file" if pd.isna(r) else f"{int(r):,}")
    out["Severity"] = out["Severity"].map({"error": "Error", "warning": "Warning"})
    return out


def report_csv(issues: pd.DataFrame) -> bytes:
    """The report to download; no cell of it can run as a formula in a spreadsheet."""
    out = issues.rename(columns=REPORT_HEADERS)[list(REPORT_HEADERS.values())]
    return exports.to_csv_bytes(out)


def report_text(checked: CheckedFile, limit: int = 50) -> str:
    """The report for a terminal: the problems, then a count."""
    lines = []
    for r in checked.issues.head(limit).itertuples():
        where = "whole file" if pd.isna(r.row) else f"row {int(r.row)}"
        col = f" {r.column}" if r.column else ""
        value = f" {r.value!r}" if r.value else ""
        lines.append(f"{r.severity.upper():8} {r.file}, {where},{col}{value}: {r.problem}")
    extra = len(checked.issues) - limit
    if extra > 0:
        lines.append(f"… and {extra:,} more (write them all with --report FILE.csv)")
    lines.append(f"{len(checked.errors):,} errors, {len(checked.warnings):,} warnings.")
    return "\n".join(lines)


def slices_table(checked: CheckedFile, preview: Preview, org_names: dict[str, str]) -> pd.DataFrame:
    """Exactly what the load replaces: table, organisation, quarter, rows now and after."""
    s = preview.slices
    if checked.spec.key == "supplier":
        replaced, added = int(s["rows_replaced"].sum()), int(s["rows_added"].sum())
        return pd.DataFrame({
            "Table": [checked.spec.label],
            "Replaces": [f"{plural(replaced, 'supplier')} already in the register"],
            "Adds": [f"{plural(added - replaced, 'new supplier')}"],
            "Rows after": [f"{plural(added, 'supplier')} from the file"],
        })
    return pd.DataFrame({
        "Table": checked.spec.label,
        "Organisation": s["org_code"].map(lambda c: f"{c} · {org_names.get(c, c)}"),
        "Quarter": s["quarter_start"].map(_quarter),
        "Rows now (replaced)": s["rows_replaced"].map(fmt.count),
        "Rows after (from the file)": s["rows_added"].map(fmt.count),
    })


_FORMAT = {
    "gbp": fmt.gbp,
    "share": fmt.pct,
    "count": fmt.count,
    "ha": fmt.hectares,
    "m2": lambda x: "–" if x is None or pd.isna(x) else f"{float(x):,.0f} m²",
}


def _change(unit: str, before, after) -> str:
    if after is None or pd.isna(after):
        return "–"
    if before is None or pd.isna(before):
        return "new"
    if unit == "share":
        return fmt.points(after - before)
    diff = after - before
    if diff == 0:
        return "no change"
    text = _FORMAT[unit](abs(diff))
    return ("+" if diff > 0 else "-") + text


def figures_table(preview: Preview, org_names: dict[str, str]) -> pd.DataFrame:
    """How the headline figures would change, formatted as the pages show them."""
    f = preview.figures
    if f.empty:
        return pd.DataFrame(columns=["Organisation", "Quarter", "Figure", "Now", "After",
                                     "Change"])
    rows = []
    for r in f.itertuples():
        show = _FORMAT[r.unit]
        rows.append({
            "Organisation": "All chosen" if r.org_code is None or pd.isna(r.org_code)
            else f"{r.org_code} · {org_names.get(r.org_code, r.org_code)}",
            "Quarter": _quarter(r.quarter_start),
            "Figure": r.figure,
            "Now": show(r.before) if r.before is not None and not pd.isna(r.before) else "–",
            "After": show(r.after),
            "Change": _change(r.unit, r.before, r.after),
        })
    return pd.DataFrame(rows)
