"""Metric arithmetic: pure functions over the query modules' totals. No I/O."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd


def share(part: float | None, whole: float | None) -> float | None:
    """part ÷ whole, or None when there is nothing to divide by."""
    if part is None or whole is None or whole == 0 or (isinstance(whole, float) and math.isnan(whole)):
        return None
    return float(part) / float(whole)


@dataclass(frozen=True)
class SpendShare:
    """Local spend for one basis (all in-scope or influenceable)."""

    local_gbp: float
    spend_gbp: float
    unplaced_gbp: float

    @property
    def share(self) -> float | None:
        return share(self.local_gbp, self.spend_gbp)

    @property
    def unplaced_share(self) -> float | None:
        return share(self.unplaced_gbp, self.spend_gbp)


def spend_share(row: pd.Series | dict, *, influenceable: bool) -> SpendShare:
    """Read one basis out of a `spend_totals` row."""
    p = "influenceable_" if influenceable else ""
    total_col = "influenceable_gbp" if influenceable else "spend_gbp"
    return SpendShare(float(row[f"{p}local_gbp"]), float(row[total_col]), float(row[f"{p}unplaced_gbp"]))


def add_spend_shares(df: pd.DataFrame) -> pd.DataFrame:
    """`spend_totals` output plus local_share and influenceable_local_share columns."""
    out = df.copy()
    out["local_share"] = out["local_gbp"] / out["spend_gbp"].where(out["spend_gbp"] != 0)
    out["influenceable_local_share"] = out["influenceable_local_gbp"] / out[
        "influenceable_gbp"].where(out["influenceable_gbp"] != 0)
    return out


@dataclass(frozen=True)
class ResidentsEmployed:
    local_headcount: int
    headcount: int
    local_fte: float
    fte: float
    unplaced_headcount: int

    @property
    def share(self) -> float | None:
        return share(self.local_headcount, self.headcount)


def residents_employed(row: pd.Series | dict) -> ResidentsEmployed:
    return ResidentsEmployed(int(row["local_headcount"]), int(row["headcount"]),
                             float(row["local_fte"]), float(row["fte"]),
                             int(row["unplaced_headcount"]))


def change(now: float | None, before: float | None) -> float | None:
    if now is None or before is None:
        return None
    return now - before


def destination_shares(by_lad: pd.DataFrame, lads: pd.DataFrame, *, influenceable: bool) -> pd.DataFrame:
    """Share of spend going to suppliers in each LAD of `lads` (lad_code, lad_name).

    `by_lad` is `spend_totals(..., by=("lad",))`; the denominator is all the spend, wherever
    it went, so the shares of the LADs shown add up to the share spent in them."""
    col = "influenceable_gbp" if influenceable else "spend_gbp"
    total = float(by_lad[col].sum())
    out = lads[["lad_code", "lad_name"]].merge(by_lad[["lad_code", col]], on="lad_code", how="left")
    out["gbp"] = out[col].fillna(0.0)
    out["share"] = out["gbp"] / total if total else 0.0
    return out[["lad_code", "lad_name", "gbp", "share"]]
