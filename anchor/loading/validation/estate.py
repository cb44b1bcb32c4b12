"""The estates check: each return's organisation, site and quarter, and its areas, energy,
carbon, hours and backlog cost within their bounds."""

from __future__ import annotations

from datetime import date

import pandas as pd

from anchor.loading import parse
from anchor.loading.validation.cells import (
    _col,
    _duplicates,
    _money,
    _numbers,
    _organisations,
    _quarter_column,
    _required,
)
from anchor.loading.validation.common import Issues, Progress, Reference
from anchor.loading.validation.slices import _slices

_ESTATE_NUMBERS = {
    "site_area_ha": "an area", "land_not_delivering_ha": "an area", "gia_m2": "an area",
    "occupied_m2": "an area", "empty_m2": "an area", "underused_m2": "an area",
    "clinical_m2": "an area", "non_clinical_m2": "an area", "energy_kwh": "energy used",
    "carbon_tco2e": "carbon", "community_use_hours": "a number of hours",
}


def _check_estate(wh, cells: pd.DataFrame, ref: Reference, issues: Issues, quarter: date | None,
                  progress: Progress, whole: pd.DataFrame):
    progress(0.10, "Checking organisations and sites")
    org = _organisations(cells, ref, issues)
    q = _quarter_column(cells, issues, required=True, quarter=quarter)
    raw_site = _col(cells, "site_code")
    site = parse.text(raw_site)
    _required(issues, site, "site_code", raw_site, "a site code")
    site_org = dict(zip(ref.sites["site_code"].str.upper(), ref.sites["org_code"]))
    site_code = dict(zip(ref.sites["site_code"].str.upper(), ref.sites["site_code"]))
    upper = site.values.str.upper()
    owner = upper.map(site_org).fillna("")
    issues.rows((owner == "") & ~site.missing, "site_code", raw_site,
                "Not a site in the warehouse.")
    issues.rows((owner != "") & (org != "") & (owner != org), "site_code", raw_site,
                "This site belongs to another organisation.")
    progress(0.40, "Checking areas and costs")
    values = {c: _numbers(cells, issues, c, False, what) for c, what in _ESTATE_NUMBERS.items()}
    backlog = _money(cells, issues, "backlog_cost_gbp", required=False, negative_ok=False)
    idle, area = values["land_not_delivering_ha"].values, values["site_area_ha"].values
    issues.rows(idle > area, "land_not_delivering_ha", _col(cells, "land_not_delivering_ha"),
                "More than the site's area.", severity="warning")
    key = pd.DataFrame({"org": org, "site": upper, "quarter": q})
    _duplicates(issues, key, raw_site, "site_code", "the same site and quarter")
    if issues.has_errors:
        return None, None, {}
    rows = pd.DataFrame({
        "org_code": org, "site_code": upper.map(site_code), "quarter_start": q,
        **{c: p.values for c, p in values.items()},
        "backlog_cost_gbp": backlog.values.replace("", None),
    })
    return rows, _slices(rows), {}
