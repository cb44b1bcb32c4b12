"""Metric arithmetic: pure functions over the query modules' totals. No I/O."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

import pandas as pd

from anchor import formatting as fmt
from anchor.config import KNOWN_SPEND_MIN_SHARE


def share(part: float | None, whole: float | None) -> float | None:
    """part ÷ whole, or None when there is nothing to divide by."""
    if part is None or whole is None or whole == 0 or (isinstance(whole, float) and math.isnan(whole)):
        return None
    return float(part) / float(whole)


def known_enough(coverage: float | None) -> bool:
    """Whether a share resting on `coverage` of its spend can be shown at all."""
    return coverage is not None and coverage >= KNOWN_SPEND_MIN_SHARE - 1e-12


@dataclass(frozen=True)
class SpendShare:
    """Local spend for one basis (all in-scope or influenceable).

    The share is of the spend whose supplier has a known location (`placed_gbp`): pounds
    paid to a supplier with no usable postcode are neither local nor elsewhere. It is None
    when there is no spend, or when fewer than `KNOWN_SPEND_MIN_SHARE` of the pounds are
    placed (`coverage`): then it is not yet known, and is never shown as a low figure."""

    local_gbp: float
    spend_gbp: float
    unplaced_gbp: float

    @property
    def placed_gbp(self) -> float:
        return self.spend_gbp - self.unplaced_gbp

    @property
    def coverage(self) -> float | None:
        """Share of the spend whose supplier location is known."""
        return share(self.placed_gbp, self.spend_gbp)

    @property
    def is_known(self) -> bool:
        return known_enough(self.coverage)

    @property
    def share(self) -> float | None:
        return share(self.local_gbp, self.placed_gbp) if self.is_known else None

    @property
    def unplaced_share(self) -> float | None:
        return share(self.unplaced_gbp, self.spend_gbp)


def spend_share(row: pd.Series | dict, *, influenceable: bool) -> SpendShare:
    """Read one basis out of a `spend_totals` row."""
    p = "influenceable_" if influenceable else ""
    total_col = "influenceable_gbp" if influenceable else "spend_gbp"
    return SpendShare(float(row[f"{p}local_gbp"]), float(row[total_col]), float(row[f"{p}unplaced_gbp"]))


@dataclass(frozen=True)
class FlaggedShare:
    """Spend paid to suppliers flagged SME (or VCSE), of the spend whose suppliers carry the
    flag at all: a supplier with no flag is not known to be either. None below
    `KNOWN_SPEND_MIN_SHARE` flagged, as a local share is."""

    flagged_gbp: float  # paid to suppliers flagged yes
    known_gbp: float  # paid to suppliers flagged yes or no
    spend_gbp: float

    @property
    def coverage(self) -> float | None:
        return share(self.known_gbp, self.spend_gbp)

    @property
    def is_known(self) -> bool:
        return known_enough(self.coverage)

    @property
    def share(self) -> float | None:
        return share(self.flagged_gbp, self.known_gbp) if self.is_known else None


def flagged_share(row: pd.Series | dict, flag: str, *, influenceable: bool) -> FlaggedShare:
    """`flag` 'sme' or 'vcse', out of a `spend_totals` row."""
    p = "influenceable_" if influenceable else ""
    total_col = "influenceable_gbp" if influenceable else "spend_gbp"
    return FlaggedShare(float(row[f"{p}{flag}_gbp"]), float(row[f"{p}{flag}_known_gbp"]),
                        float(row[total_col]))


def add_spend_shares(df: pd.DataFrame) -> pd.DataFrame:
    """`spend_totals` output plus local_share and influenceable_local_share (of the spend
    whose supplier location is known; NaN where too little of it is: see `SpendShare`) and
    placed_share and influenceable_placed_share (that coverage)."""
    out = df.copy()
    for p, total in (("", "spend_gbp"), ("influenceable_", "influenceable_gbp")):
        placed = out[total] - out[f"{p}unplaced_gbp"]
        coverage = placed / out[total].where(out[total] != 0)
        out[f"{p}placed_share"] = coverage
        known = coverage >= KNOWN_SPEND_MIN_SHARE - 1e-12
        out[f"{p}local_share"] = (out[f"{p}local_gbp"] / placed.where(placed != 0)).where(known)
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


def destination_shares(by_area: pd.DataFrame, areas: pd.DataFrame, *, influenceable: bool,
                       key: str = "lad_code", name: str = "lad_name") -> pd.DataFrame:
    """Share of spend going to suppliers in each area of `areas` (key, name columns).

    `by_area` is `spend_totals` grouped by that area; the denominator is all the spend,
    wherever it went, so the shares of the areas shown add up to the share spent in them.
    Returns key, name, gbp, share."""
    col = "influenceable_gbp" if influenceable else "spend_gbp"
    total = float(by_area[col].sum())
    out = areas[[key, name]].merge(by_area[[key, col]], on=key, how="left")
    out["gbp"] = out[col].fillna(0.0)
    out["share"] = out["gbp"] / total if total else 0.0
    return out[[key, name, "gbp", "share"]]


@dataclass(frozen=True)
class Commitment:
    org_code: str
    baseline_label: str
    baseline_share: float | None
    target_share: float | None
    target_label: str
    kind: str
    amount: float

    def describe(self, basis: str) -> str:
        rise = f"by {self.amount:g}%" if self.kind == "relative_pct" else f"by {self.amount:g} points"
        return (f"{self.org_code} committed to raise its local share of {basis} {rise} from its "
                f"{self.baseline_label} baseline of {fmt.pct(self.baseline_share)} to "
                f"{fmt.pct(self.target_share)} by {self.target_label}.")


def commitment_target(baseline_share: float | None, kind: str, amount: float) -> float | None:
    """The local share promised: a relative rise (10% of 20.0% = 22.0%) or points (+10)."""
    if baseline_share is None:
        return None
    if kind == "relative_pct":
        return baseline_share * (1 + amount / 100)
    if kind == "points":
        return baseline_share + amount / 100
    raise ValueError(f"Unknown kind of commitment {kind!r}.")


def bppc(df: pd.DataFrame) -> dict[str, float | None]:
    """Shares paid within 30 days by number and by value, from `prompt_payment` rows."""
    return {
        "by_number": share(df["paid_on_time"].sum(), df["invoices"].sum()),
        "by_value": share(df["paid_on_time_gbp"].sum(), df["value_gbp"].sum()),
        "invoices": int(df["invoices"].sum()),
        "undated": int(df["undated"].sum()),
    }


def series_until(series: pd.DataFrame, last: date, quarters: int | None = None) -> pd.DataFrame:
    """The rows of the quarters up to and including `last` (an SPC chart ends at the period
    shown), of the latest `quarters` of them when given (the limits then come from those
    quarters alone). A monthly series (`with_quarters`) keeps every month of those quarters."""
    q = pd.to_datetime(series["quarter_start"]).dt.date
    out = series[q <= last]
    if quarters is not None:
        kept = sorted(set(q[q <= last]))[-quarters:]
        out = out[q[q <= last].isin(kept)]
    return out.reset_index(drop=True)


def with_quarters(by_month: pd.DataFrame) -> pd.DataFrame:
    """A series by month_start with the NHS quarter (April to June is Q1) of each month."""
    months = pd.to_datetime(by_month["month_start"])
    return by_month.assign(quarter_start=months.dt.to_period("Q-MAR").dt.start_time)
