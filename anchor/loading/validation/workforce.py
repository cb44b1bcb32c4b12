"""The workforce check: each row's organisation, quarter and home LSOA, its counts, FTE
and pay within their bounds, and rows that repeat another's."""

from __future__ import annotations

from datetime import date

import pandas as pd

from anchor.loading import parse
from anchor.loading.validation.cells import (
    _col,
    _duplicates,
    _integers,
    _money,
    _numbers,
    _organisations,
    _quarter_column,
)
from anchor.loading.validation.common import Issues, Progress, Reference, _known
from anchor.loading.validation.slices import _slices


def _check_workforce(wh, cells: pd.DataFrame, ref: Reference, issues: Issues,
                     quarter: date | None, progress: Progress, whole: pd.DataFrame):
    progress(0.10, "Checking organisations")
    org = _organisations(cells, ref, issues)
    q = _quarter_column(cells, issues, required=True, quarter=quarter)
    progress(0.30, "Checking home LSOAs")
    raw_lsoa = _col(cells, "home_lsoa")
    lsoa = parse.lsoa_codes(raw_lsoa)
    issues.rows(lsoa.bad, "home_lsoa", raw_lsoa,
                "Not an LSOA code (E01 or W01 and six digits, e.g. E01010104).")
    known = _known(wh, "select lsoa_code from geo_lsoa where lsoa_code = any(?)", lsoa.values)
    unknown = (lsoa.values != "") & ~lsoa.values.isin(known)
    issues.rows(unknown & ~lsoa.values.duplicated(), "home_lsoa", raw_lsoa,
                "Not an LSOA in the geography: these staff count as not placed.",
                severity="warning")
    progress(0.50, "Checking numbers")
    head = _integers(cells, issues, "headcount", True, "a headcount")
    fte = _numbers(cells, issues, "fte", True, "full-time equivalent (FTE)")
    pay = _money(cells, issues, "gross_pay_gbp", required=True, negative_ok=False)
    counts = {c: _integers(cells, issues, c, False, what) for c, what in (
        ("starters", "a count of starters"), ("apprentices", "a count of apprentices"),
        ("below_living_wage", "a count of staff"))}
    issues.rows(fte.values > head.values.astype("float64") * 1.5, "fte", _col(cells, "fte"),
                "More than 1.5 FTE per person: check headcount and FTE.", severity="warning")
    group = parse.text(_col(cells, "staff_group")).values
    band = parse.text(_col(cells, "afc_band")).values
    key = pd.DataFrame({"org": org, "quarter": q, "lsoa": lsoa.values, "group": group,
                        "band": band})
    _duplicates(issues, key, _col(cells, "headcount"), "headcount",
                "the same organisation, quarter, home LSOA, staff group and band")
    if issues.has_errors:
        return None, None, {}
    rows = pd.DataFrame({
        "org_code": org, "quarter_start": q,
        "home_lsoa": lsoa.values.replace("", None),
        "staff_group": group.replace("", None), "afc_band": band.replace("", None),
        "headcount": head.values, "fte": fte.values, "gross_pay_gbp": pay.values,
        **{c: p.values.fillna(0) for c, p in counts.items()},
    })
    return rows, _slices(rows), {}
