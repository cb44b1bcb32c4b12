"""The sites check: each site's code, organisation, name and postcode, and sites that
move from one organisation to another."""

from __future__ import annotations

from datetime import date

import pandas as pd

from anchor.loading import parse
from anchor.loading.validation.cells import (
    _codes,
    _col,
    _organisations,
    _repeated_codes,
    _required,
    _required_text,
)
from anchor.loading.validation.common import PLACEABLE_POSTCODES_SQL, Issues, Progress, Reference, _known


def _check_site(wh, cells: pd.DataFrame, ref: Reference, issues: Issues, quarter: date | None,
                progress: Progress, whole: pd.DataFrame):
    progress(0.10, "Checking sites")
    code = _codes(cells, issues, "site_code", "a site code", "RXK02")
    org = _organisations(cells, ref, issues,
                         hint="Load it in an organisations file first, or use its ODS code.")
    name = _required_text(cells, issues, "name", "the site's name")
    _repeated_codes(issues, code, "site_code", cells,
                    "the same site code; each site appears once")
    progress(0.40, "Checking postcodes")
    raw_pc = _col(cells, "postcode")
    pc, messages = parse.postcodes(raw_pc)
    issues.rows(pc.bad, "postcode", raw_pc, messages)
    _required(issues, pc, "postcode", raw_pc, "a postcode, to place the site")
    known = _known(wh, PLACEABLE_POSTCODES_SQL, pc.values)
    unknown = (pc.values != "") & ~pc.values.isin(known)
    issues.rows(unknown, "postcode", raw_pc,
                pc.values + " is not a postcode the geography can place (new, mistyped, or "
                "known without a location): the site is left off the maps, out of distances "
                "from the sites and out of every place until it has one.", severity="warning")
    owner = code.values.map(dict(zip(ref.sites["site_code"].str.upper(),
                                     ref.sites["org_code"]))).astype("str")
    moves = owner.notna() & (org != "") & (owner != org)
    issues.rows(moves, "org_code", _col(cells, "org_code"),
                "Site " + code.values + " moves from " + owner.fillna("") + " to " + org
                + "; its earlier estates returns stay with " + owner.fillna("") + ".",
                severity="warning")
    if issues.has_errors:
        return None, None, {}
    rows = pd.DataFrame({"site_code": code.values, "org_code": org, "name": name,
                         "postcode": pc.values})
    slices = (rows.groupby("org_code", as_index=False).size().rename(columns={"size": "rows"})
              .assign(quarter_start=pd.NaT)[["org_code", "quarter_start", "rows"]])
    return rows, slices, {}
