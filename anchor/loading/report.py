"""The validation report and the preview, as people read them: on screen, in a CSV, in a
terminal. Pure functions: frames in, frames, bytes or text out."""

from __future__ import annotations

import pandas as pd

from anchor import disclosure, spreadsheets
from anchor import formatting as fmt
from anchor.loading.preview import Preview
from anchor.loading.transaction import shrinking
from anchor.loading.validation import SLICED_KINDS, CheckedFile, plural
from anchor.periods import month_label, quarter_label, quarter_months

REPORT_HEADERS = {"file": "File", "row": "Row", "column": "Column", "value": "Value",
                  "problem": "Problem", "severity": "Severity"}


def _quarter(q) -> str:
    if q is None or pd.isna(q):
        return "–"
    return quarter_label(pd.Timestamp(q).date())


def _month(m) -> str:
    if m is None or pd.isna(m):
        return "–"
    return month_label(pd.Timestamp(m).date())


def month_change(org_code: str, month_start, rows_added: int, rows_replaced: int,
                 gbp_replaced, replaces: bool = True) -> str:
    """One organisation-month a spend load writes, in a phrase: 'RQM: May 2020 (1,234
    lines, £5.6m) replaced by 1,301 lines'."""
    month = _month(month_start)
    lines = plural(int(rows_added), "line")
    if not replaces:
        return f"{org_code}: {lines} added to {month} alongside what it holds (strays)"
    if not rows_replaced:
        return f"{org_code}: {month} (none held) gets {lines}"
    held = f"{plural(int(rows_replaced), 'line')}, {fmt.gbp(gbp_replaced)}"
    return f"{org_code}: {month} ({held}) replaced by {lines}"


def month_changes(slices: pd.DataFrame) -> list[str]:
    """`month_change` for each organisation-month of a spend load's slices."""
    return [month_change(r.org_code, r.month_start, r.rows_added, r.rows_replaced,
                         r.gbp_replaced, bool(r.replaces)) for r in slices.itertuples()]


SCREEN_ORDER = ["Severity", "Row", "Column", "Value", "Problem", "File"]
LAYOUT_PHRASES = {
    "template": "our template",
    "published spend": "the published spend layout",
    "ODS standard file": "NHS Digital's ODS layout (no header row)",
    "ERIC site data": "NHS Digital's ERIC site data",
    "saved mapping": "your saved mapping",
    "your mapping": "your mapping",
    "unrecognised": "a layout Anchor does not recognise",
}


def issues_table(issues: pd.DataFrame) -> pd.DataFrame:
    """The report for the screen: one row per problem; 'whole file' where there is no row."""
    out = issues.rename(columns=REPORT_HEADERS)[SCREEN_ORDER].copy()
    out["Row"] = out["Row"].map(lambda r: "whole file" if pd.isna(r) else f"{int(r):,}")
    out["Severity"] = out["Severity"].map({"error": "Error", "warning": "Warning"})
    return out


def report_csv(issues: pd.DataFrame) -> bytes:
    """The report to download; no cell of it can run as a formula in a spreadsheet."""
    out = issues.rename(columns=REPORT_HEADERS)[list(REPORT_HEADERS.values())]
    return spreadsheets.to_csv_bytes(out)


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
    if checked.spec.key in ("organisation", "site"):
        return changes_table(preview.changes)
    if checked.spec.key == "supplier":
        replaced, added = int(s["rows_replaced"].sum()), int(s["rows_added"].sum())
        return pd.DataFrame({
            "Table": [checked.spec.label],
            "Replaces": [f"{plural(replaced, 'supplier')} already in the register"],
            "Adds": [f"{plural(added - replaced, 'new supplier')}"],
            "Rows after": [f"{plural(added, 'supplier')} from the file"],
        })
    if checked.spec.key == "spend":
        return pd.DataFrame({
            "Organisation": s["org_code"].map(lambda c: f"{c} · {org_names.get(c, c)}"),
            "Month": s["month_start"].map(_month),
            "Lines now (replaced)": s["rows_replaced"].map(fmt.count).where(s["replaces"], "–"),
            "£ now": s["gbp_replaced"].map(fmt.gbp).where(s["replaces"], "–"),
            "Lines from the file": s["rows_added"].map(fmt.count),
            "£ from the file": s["gbp_added"].map(fmt.gbp),
            "Load": s["replaces"].map({True: "replaces the month",
                                       False: "adds strays to what it holds"}),
        })
    return pd.DataFrame({
        "Table": checked.spec.label,
        "Organisation": s["org_code"].map(lambda c: f"{c} · {org_names.get(c, c)}"),
        "Quarter": s["quarter_start"].map(_quarter),
        "Rows now (replaced)": s["rows_replaced"].map(fmt.count),
        "Rows after (from the file)": s["rows_added"].map(fmt.count),
    })


def shrinking_slices(checked: CheckedFile, preview: Preview,
                     org_names: dict[str, str]) -> list[str]:
    """A sentence for each organisation-month (spend) or -quarter the load would leave with
    fewer than half the rows it holds now: a few stray lines would replace all of it."""
    if checked.spec.key not in SLICED_KINDS:
        return []
    if checked.spec.key == "spend":
        return [f"{r.org_code} · {org_names.get(r.org_code, r.org_code)}, "
                f"{_month(r.month_start)}: {plural(int(r.rows_added), 'line')}, replacing "
                f"{int(r.rows_replaced):,}. Check the file's dates: is this the whole month?"
                for r in shrinking(preview.slices).itertuples()]
    return [f"{r.org_code} · {org_names.get(r.org_code, r.org_code)}, "
            f"{_quarter(r.quarter_start)}: {plural(int(r.rows_added), 'row')}, replacing "
            f"{int(r.rows_replaced):,}. A load replaces the whole organisation-quarter: check "
            "the file's dates if that is not meant."
            for r in shrinking(preview.slices).itertuples()]


def changes_table(changes: pd.DataFrame) -> pd.DataFrame:
    """Each organisation, footprint, home place or site a load writes: now, after, and
    whether it is new, replaced or unchanged."""
    now = changes["now"].astype("object")
    kind = ["new" if n is None or pd.isna(n) else ("unchanged" if n == a else "replaced")
            for n, a in zip(now, changes["after"])]
    return pd.DataFrame({
        "Data": changes["data"], "Code": changes["code"],
        "Now": now.map(lambda n: "–" if n is None or pd.isna(n) else n),
        "After": changes["after"], "Change": kind,
    })


_FORMAT = {
    "gbp": fmt.gbp,
    "share": fmt.pct,
    "count": fmt.count,
    "people": lambda x: x if isinstance(x, str) else fmt.count(x),  # '*': 1 to 4 people
    "ha": fmt.hectares,
    "m2": lambda x: "–" if x is None or pd.isna(x) else f"{float(x):,.0f} m²",
}


def _change(unit: str, before, after) -> str:
    if after is None or pd.isna(after):
        return "–"
    if before is None or pd.isna(before):
        return "new"
    if disclosure.SUPPRESSED in (before, after):  # a change to or from 1 to 4 people
        return disclosure.SUPPRESSED
    if unit == "share":
        return fmt.points_change(after, before)
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


# -- the Data page ------------------------------------------------------------------------------

TABLE_LABELS = {"spend": "Spend", "supplier": "Supplier register", "workforce": "Workforce",
                "estate": "Estates", "organisation": "Organisations and footprints",
                "site": "Sites", "demo": "Demo footprint", "supplier_survey": "Supplier survey",
                "staff_survey": "Staff survey", "local_business": "Local supplier directory",
                "imd_lsoa": "Deprivation deciles", "lm3_assumption": "Local multiplier assumption",
                "scenario": "Scenario", "place": "Named place", "geography": "Geography",
                "company": "Companies House register", "supplier_location": "Supplier locations",
                "commitment": "Commitments"}


def _when(ts) -> str:
    return "" if ts is None or pd.isna(ts) else pd.Timestamp(ts).strftime("%d %b %Y %H:%M")


def _is_list(value) -> bool:
    """A DuckDB list arrives as a list or an array; a missing one as None or NA."""
    return hasattr(value, "__len__") and not isinstance(value, str | dict)


def _slices_text(slices, table: str, limit: int = 4) -> str:
    if table == "supplier":
        return "Suppliers in the file"
    if table == "supplier_location":
        return "Suppliers with no location"
    if not _is_list(slices):
        return "–"
    if table in ("organisation", "site", "commitment"):
        parts = [s["org_code"] for s in list(slices) if s["org_code"] is not None]
        more = f" and {len(parts) - limit} more" if len(parts) > limit else ""
        prefix = {"site": "Sites of ", "commitment": "Commitments of "}.get(table, "")
        return prefix + ", ".join(parts[:limit]) + more
    parts = [month_change(s["org_code"], s["month_start"], s["rows_added"], s["rows_replaced"],
                          s["gbp_replaced"], not s["is_stray"])
             if table == "spend" and s.get("month_start") is not None
             else f"{s['org_code']} {_quarter(s['quarter_start'])}"
             for s in list(slices) if s["org_code"] is not None]
    if not parts:
        return "Whole file"
    more = f" and {len(parts) - limit} more" if len(parts) > limit else ""
    return ", ".join(parts[:limit]) + more


def _outcome(r) -> str:
    if r.outcome == "undone":
        return f"Undone {_when(r.undone_at)} by {r.undone_by}"
    if r.outcome == "rejected":
        return f"Refused: {r.message}"
    if r.outcome == "loaded":
        return "Loaded"
    return f"{r.outcome.capitalize()}: {r.message}"  # failed, or a change made by hand


def _rows(history: pd.DataFrame, col: str) -> pd.Series:
    """Counts where the load recorded its slices; '–' for the demo and refused files."""
    has_slices = history["slices"].map(lambda s: _is_list(s) and len(s) > 0)
    counted = (has_slices | history["table_name"].isin(("supplier", "supplier_location"))
               | (history[col] > 0))
    return history[col].map(fmt.count).where(counted, "–")


def history_table(history: pd.DataFrame) -> pd.DataFrame:
    """The audit trail as people read it: newest first."""
    return pd.DataFrame({
        "Load": history["load_id"].astype("int64"),
        "When": history["loaded_at"].map(_when),
        "By": history["loaded_by"],
        "Data": history["table_name"].map(lambda t: TABLE_LABELS.get(t, t)),
        "File": history["file_name"].fillna("–"),
        "Organisations and quarters": [
            _slices_text(s, t) for s, t in zip(history["slices"], history["table_name"])],
        "Rows added": _rows(history, "rows_added"),
        "Rows replaced": _rows(history, "rows_replaced"),
        "Outcome": [_outcome(r) for r in history.itertuples()],
    })


def undo_label(r) -> str:
    """How a load is named when choosing one to undo."""
    return (f"Load {int(r.load_id)}: {TABLE_LABELS.get(r.table_name, r.table_name)}, "
            f"{_slices_text(r.slices, r.table_name, limit=2)} ({r.file_name or '–'}, "
            f"{_when(r.loaded_at)}, {r.loaded_by})")


def postcode_problems_table(df: pd.DataFrame) -> pd.DataFrame:
    """`loads.supplier_postcode_problems` for the Data page: each problem in a sentence."""
    return pd.DataFrame({
        "Supplier": df["name"], "Id": df["supplier_id"], "Postcode": df["postcode"].fillna(""),
        "Problem": df["problem_text"],
        "Spend": df["spend_gbp"].map(fmt.gbp), "Invoice lines": df["invoice_lines"].map(fmt.count),
    })


def sites_not_placed_table(df: pd.DataFrame, org_names: dict[str, str]) -> pd.DataFrame:
    """`loads.sites_not_placed` for the Data page."""
    return pd.DataFrame({
        "Site": df["site_code"], "Name": df["name"],
        "Organisation": [org_names.get(c, c) for c in df["org_code"]],
        "Postcode": df["postcode"].fillna("No postcode"),
        "Estate returns": df["returns"],
    })


def staff_not_placed_table(df: pd.DataFrame, org_names: dict[str, str]) -> pd.DataFrame:
    """`loads.staff_not_placed` for the Data page, counts of 1 to 4 people withheld."""
    return pd.DataFrame({
        "Organisation": [org_names.get(c, c) for c in df["org_code"]],
        "Quarter": [quarter_label(pd.Timestamp(q).date()) for q in df["quarter_start"]],
        "Home LSOA given": df["home_lsoa"].fillna("None"),
        "Staff": df["headcount"].map(disclosure.show_count),
    })


def _yes_no(v) -> str:
    return "–" if v is None or pd.isna(v) else ("yes" if v else "no")


def missing_flags_table(df: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "Supplier": df["name"], "Id": df["supplier_id"], "SME": df["is_sme"].map(_yes_no),
        "VCSE": df["is_vcse"].map(_yes_no), "Spend": df["spend_gbp"].map(fmt.gbp),
    })


def coverage_table(months: pd.DataFrame, org_names: dict[str, str]) -> pd.DataFrame:
    """`reference.spend_months` for the Data page: each organisation-month of each quarter
    held, newest first, with its lines and £; a month a partial quarter lacks reads 'not
    held', and each month says whether its quarter is complete."""
    cols = ["Organisation", "Quarter", "Month", "Lines", "Spend", "Quarter held"]
    if months.empty:
        return pd.DataFrame(columns=cols)
    held = months.assign(month_start=pd.to_datetime(months["month_start"]).dt.date,
                         quarter_start=pd.to_datetime(months["quarter_start"]).dt.date)
    rows = []
    for (org, q), g in held.groupby(["org_code", "quarter_start"], sort=True):
        by_month = {r.month_start: r for r in g.itertuples()}
        n = sum(m in by_month for m in quarter_months(q))
        whole = "complete" if n == 3 else f"partial: {n} of 3 months"
        for m in quarter_months(q):
            r = by_month.get(m)
            rows.append({"Organisation": f"{org} · {org_names.get(org, org)}",
                         "Quarter": quarter_label(q), "Month": month_label(m),
                         "Lines": fmt.count(r.lines) if r else "not held",
                         "Spend": fmt.gbp(r.spend_gbp) if r else "–", "Quarter held": whole,
                         "_month": m})
    out = pd.DataFrame(rows).sort_values(["_month", "Organisation"], ascending=[False, True],
                                         kind="stable")
    return out[cols].reset_index(drop=True)


def missing_quarters_table(df: pd.DataFrame, org_names: dict[str, str]) -> pd.DataFrame:
    """One row per organisation and table: how many quarters are missing, and which."""
    if df.empty:
        return pd.DataFrame(columns=["Data", "Organisation", "Quarters missing", "Which"])
    rows = []
    for (data, org), g in df.groupby(["data", "org_code"], sort=True):
        labels = [_quarter(q) for q in g["quarter_start"]]
        which = ", ".join(labels[:6]) + (f" and {len(labels) - 6} more" if len(labels) > 6 else "")
        rows.append({"Data": data, "Organisation": f"{org} · {org_names.get(org, org)}",
                     "Quarters missing": len(labels), "Which": which})
    return pd.DataFrame(rows)


_KEPT_NAMES = {"organisation": ("organisation", "organisations"), "site": ("site", "sites"),
               "supplier": ("supplier", "suppliers"), "category": ("category", "categories"),
               "footprint": ("footprint", "footprints")}


def kept_text(kept: dict[str, list[str]]) -> str:
    """{'organisation': ['RXK'], 'supplier': ['S1', 'S2']} -> 'organisation RXK and suppliers
    S1, S2': the demo entries that removing the demo keeps for rows you loaded."""
    parts = []
    for table, codes in kept.items():
        if not codes:
            continue
        one, many = _KEPT_NAMES[table]
        if len(codes) <= 3:
            parts.append(f"{one if len(codes) == 1 else many} {', '.join(codes)}")
        else:
            parts.append(f"{len(codes):,} {many}")
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def placed_coverage_table(df: pd.DataFrame, org_names: dict[str, str]) -> pd.DataFrame:
    """`loads.placed_by_org_quarter` for the Data page: how much of each organisation-
    quarter's spend has a supplier with a known location."""
    share = df["placed_gbp"] / df["spend_gbp"].where(df["spend_gbp"] != 0)
    return pd.DataFrame({
        "Organisation": [f"{c} · {org_names.get(c, c)}" for c in df["org_code"]],
        "Quarter": df["quarter_start"].map(_quarter),
        "Spend": df["spend_gbp"].map(fmt.gbp),
        "Supplier location known": df["placed_gbp"].map(fmt.gbp),
        "Share known": share.map(fmt.pct),
    })


def supplier_locations_table(df: pd.DataFrame) -> pd.DataFrame:
    """`loads.supplier_locations` for the Data page: each match, how it was made and how
    sure it is."""
    return pd.DataFrame({
        "Supplier": df["name"], "Id": df["supplier_id"],
        "Postcode": df["postcode"].fillna("None"),
        "Found by": df["method"], "Confidence": df["confidence"].fillna(""),
        "Company": [f"{n} ({c})" if isinstance(n, str) else "" for n, c in
                    zip(df["company_name"], df["company_number"])],
        "Spend": df["spend_gbp"].map(fmt.gbp),
    })
