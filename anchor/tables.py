"""Tables for display and download: query frames in, readable columns out. No I/O."""

from __future__ import annotations

import pandas as pd

from anchor import formatting as fmt


def organisation_summary(spend_by_org: pd.DataFrame, staff_by_org: pd.DataFrame,
                         land_by_org: pd.DataFrame, org_names: dict[str, str]) -> pd.DataFrame:
    """One row per organisation: spend, local shares, residents employed, idle land."""
    t = (
        spend_by_org[["org_code", "spend_gbp", "local_gbp", "local_share",
                      "influenceable_local_share"]]
        .merge(staff_by_org[["org_code", "headcount", "local_headcount"]], on="org_code",
               how="left")
        .merge(land_by_org[["org_code", "land_not_delivering_ha"]], on="org_code", how="left")
    )
    return pd.DataFrame({
        "Code": t["org_code"],
        "Organisation": t["org_code"].map(lambda c: org_names.get(c, c)),
        "In-scope spend": t["spend_gbp"].map(fmt.gbp),
        "Local spend": t["local_gbp"].map(fmt.gbp),
        "Local share (all)": t["local_share"].map(fmt.pct),
        "Local share (influenceable)": t["influenceable_local_share"].map(fmt.pct),
        "Staff": t["headcount"].map(fmt.count),
        "Residents employed": t["local_headcount"].map(fmt.count),
        "Land not delivering services": t["land_not_delivering_ha"].map(fmt.hectares),
    })
