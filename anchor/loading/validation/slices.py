"""What a load replaces: the organisation-quarters (spend: organisation-months) a file's
rows fill, and the warning when a file holds far fewer rows for one than the warehouse."""

from __future__ import annotations

import pandas as pd

from anchor.loading.layouts import TableSpec
from anchor.loading.validation.common import Issues, plural
from anchor.periods import month_label, quarter_label

SLICED_KINDS = ("spend", "workforce", "estate")
SHRINK_WARNING = 0.5  # a slice the file gives fewer than half its rows is probably a mistake
# What each sliced table holds now, per slice (org_code, the slice's start, rows_now). Spend
# is sliced by month of payment (a line with no payment date by its quarter's first month).
MONTH_OF_PAYMENT = "date_trunc('month', coalesce({t}.paid_date, {t}.quarter_start))::date"
_ROWS_NOW = {
    "spend": "select org_code, " + MONTH_OF_PAYMENT.format(t="spend") + " as month_start,"
             " count(*) as rows_now from spend"
             " where org_code = any(?) and quarter_start = any(?) group by all",
    **{t: f"select org_code, quarter_start, count(*) as rows_now from {t}"
          " where org_code = any(?) and quarter_start = any(?) group by all"
       for t in ("workforce", "estate")},
}


def _shrinking_slices(wh, spec: TableSpec, slices: pd.DataFrame, issues: Issues) -> None:
    """Warn where the file holds far fewer rows for an organisation-month (spend) or
    -quarter than the warehouse does: a few stray lines would replace the whole of it."""
    if slices is None or slices.empty:
        return
    by_month = spec.key == "spend"
    start = "month_start" if by_month else "quarter_start"
    if by_month:
        slices = slices[slices["replaces"]]
    keys = slices[["org_code", start]].assign(**{start: pd.to_datetime(slices[start]).dt.date})
    quarters = sorted(set(pd.to_datetime(slices["quarter_start"]).dt.date))
    now = wh.df(_ROWS_NOW[spec.key], [sorted(set(keys["org_code"])), quarters])
    if now.empty:
        return
    now[start] = pd.to_datetime(now[start]).dt.date
    merged = keys.assign(rows=slices["rows"].to_numpy()).merge(
        now, on=["org_code", start], how="inner")
    for r in merged[merged["rows"] < merged["rows_now"] * SHRINK_WARNING].itertuples():
        if by_month:
            issues.whole(
                f"{r.org_code} {month_label(r.month_start)}: the file has "
                f"{plural(int(r.rows), 'line')} for it, which would replace the "
                f"{int(r.rows_now):,} there now. Loading it asks you to confirm (--yes on the "
                "command line); check the file's dates if that is not meant.",
                column="paid_date", severity="warning")
            continue
        issues.whole(
            f"{r.org_code} {quarter_label(r.quarter_start)}: the file has "
            f"{plural(int(r.rows), 'row')} for it, which would replace the "
            f"{int(r.rows_now):,} there now: a load replaces the whole organisation-quarter. "
            "If that is not meant, check the file's dates (a line in the wrong quarter?).",
            column="quarter_start", severity="warning")


def _slices(rows: pd.DataFrame) -> pd.DataFrame:
    return (rows.groupby(["org_code", "quarter_start"], as_index=False).size()
            .rename(columns={"size": "rows"}).sort_values(["org_code", "quarter_start"])
            .reset_index(drop=True))
