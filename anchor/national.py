"""The national comparison's table, for the page and for download: `national_comparison`
frames in, readable columns out. No I/O."""

from __future__ import annotations

import pandas as pd

from anchor import formatting as fmt
from anchor.narrative import NOT_YET_KNOWN


def _share_text(shares: pd.Series, has_home_place: pd.Series) -> list[str]:
    return [fmt.pct(v) if not pd.isna(v) else (NOT_YET_KNOWN if home else "No home place")
            for v, home in zip(shares, has_home_place)]


def ranked(comparison: pd.DataFrame, *, influenceable: bool) -> pd.DataFrame:
    """The organisations in rank order on one basis: known shares first, highest first, then
    those not yet known, by code."""
    p = "influenceable_" if influenceable else ""
    return comparison.sort_values([f"{p}rank", "org_code"], na_position="last",
                                  ignore_index=True)


def comparison_table(comparison: pd.DataFrame, *, influenceable: bool,
                     download: bool = False) -> pd.DataFrame:
    """One row per organisation, ranked on the chosen basis. `download` keeps numbers (shares
    in %, blank where not yet known) for spreadsheets."""
    t = ranked(comparison, influenceable=influenceable)
    rank_col = "influenceable_rank" if influenceable else "rank"
    if download:
        return pd.DataFrame({
            "Rank": t[rank_col], "Organisation": t["org_code"], "Name": t["name"],
            "Type": t["org_type"], "Footprint": t["footprint_name"],
            "In-scope spend (GBP)": t["spend_gbp"].round(2),
            "Local share of in-scope spend (%)": (100 * t["local_share"]).round(1),
            "In-scope spend whose supplier location is known (%)":
                (100 * t["placed_share"]).round(1),
            "Influenceable spend (GBP)": t["influenceable_gbp"].round(2),
            "Local share of influenceable spend (%)":
                (100 * t["influenceable_local_share"]).round(1),
            "Influenceable spend whose supplier location is known (%)":
                (100 * t["influenceable_placed_share"]).round(1),
            "Rank on in-scope spend": t["rank"],
            "Rank on influenceable spend": t["influenceable_rank"],
        })
    return pd.DataFrame({
        "Rank": [str(r) if not pd.isna(r) else "–" for r in t[rank_col]],
        "Organisation": [f"{c} · {fmt.short_org_name(n)}" for c, n in zip(t["org_code"], t["name"])],
        "Footprint": t["footprint_name"].fillna("–"),
        "In-scope spend": t["spend_gbp"].map(fmt.gbp),
        "Local: in-scope": _share_text(t["local_share"], t["has_home_place"]),
        "Location known: in-scope": t["placed_share"].map(fmt.pct),
        "Influenceable spend": t["influenceable_gbp"].map(fmt.gbp),
        "Local: influenceable": _share_text(t["influenceable_local_share"], t["has_home_place"]),
        "Location known: influenceable": t["influenceable_placed_share"].map(fmt.pct),
    })
