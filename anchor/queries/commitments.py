"""Commitments held: an organisation's own, and those a footprint's organisations made
together (see anchor/commitments.py)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from anchor.queries import registered

COLUMNS = ("org_code, footprint_code, measure, baseline_start, baseline_end, kind, amount,"
           " target_quarter, basis, made_in, load_id, is_demo")


@registered
def commitments_for(wh, orgs: Sequence[str], footprint_code: str | None) -> pd.DataFrame:
    """The commitments of the organisations `orgs` and of the footprint `footprint_code`."""
    return wh.df(
        f"select {COLUMNS} from commitment"
        " where org_code = any($orgs) or (org_code is null and footprint_code = $footprint)"
        " order by org_code nulls first, measure",
        {"orgs": list(orgs), "footprint": footprint_code},
    )


@registered
def all_commitments(wh) -> pd.DataFrame:
    """Every commitment held, for the Data page: the footprints' first, then by organisation."""
    return wh.df(f"select {COLUMNS} from commitment"
                 " order by org_code nulls first, footprint_code, measure")


@registered
def change_points_for(wh, orgs: Sequence[str], footprint_code: str | None) -> pd.DataFrame:
    """The change points of the organisations `orgs` and of the footprint `footprint_code`."""
    return wh.df(
        "select change_point_id, org_code, footprint_code, measure, quarter_start, name"
        " from change_point where org_code = any($orgs)"
        " or (org_code is null and footprint_code = $footprint) order by quarter_start",
        {"orgs": list(orgs), "footprint": footprint_code},
    )


@registered
def all_change_points(wh) -> pd.DataFrame:
    """Every change point recorded, for the Data page."""
    return wh.df("select change_point_id, org_code, footprint_code, measure, quarter_start,"
                 " name, recorded_at, recorded_by from change_point"
                 " order by org_code nulls first, footprint_code, quarter_start")
