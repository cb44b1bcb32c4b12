"""The local multiplier, LM3 (New Economics Foundation; the method CLES uses with NHS trusts).

    R1  the money studied: in-scope spend with suppliers plus the gross pay of all staff
    R2  the part of R1 spent in the place: spend with local suppliers plus the gross pay
        of staff who live in the place
    R3  the part of R2 re-spent in the place: what local suppliers spend with local
        suppliers and pay to local residents, and what local staff spend locally
    LM3 = (R1 + R2 + R3) / R1, between 1 and 3

A local supplier's re-spend is  amount × (spend ratio × local spend share
+ payroll ratio × local payroll share), from its survey answers where it answered one,
else from the stated assumptions. Local staff re-spend is  gross pay × net-pay ratio ×
the share of net pay spent locally, from the organisation's staff survey or the assumption.
Disclosure control: local staff's pay rests on the staff living in the place. When any chosen
organisation has 1 to 4 of them, in the place or in one of its local authorities, the staff
part of R2 and R3 is withheld (`staff_withheld`) and left out of R2, R3 and LM3, which then
say so, so that it cannot be worked back by subtracting the suppliers' part from R2, nor by
comparing two choices of organisations or places.
Pure functions; no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

import pandas as pd

from anchor import disclosure
from anchor.metrics import known_enough

DEFAULT_SOURCE = "Anchor's starting assumption; replace it with your own survey or evidence"


@dataclass(frozen=True)
class Assumptions:
    """Used wherever there is no survey answer. Every one is shown with the result."""

    supplier_spend_ratio: float = 0.45  # share of a local supplier's income spent on goods and services
    supplier_payroll_ratio: float = 0.35  # share of its income paid as wages
    supplier_local_spend_share: float = 0.25  # share of those goods and services bought locally
    supplier_local_payroll_share: float = 0.65  # share of its wages paid to local residents
    staff_net_pay_ratio: float = 0.72  # net pay ÷ gross pay (after tax, NI and pension)
    staff_local_spend_share: float = 0.40  # share of net pay spent in the place
    gbp_per_job: float = 75_000.0  # local spend that supports one job, for scenarios

    def with_values(self, values: dict[str, float]) -> Assumptions:
        known = {f.name for f in fields(self)}
        return replace(self, **{k: float(v) for k, v in values.items() if k in known})


LABELS = {
    "supplier_spend_ratio": "Local suppliers: share of income spent on goods and services",
    "supplier_payroll_ratio": "Local suppliers: share of income paid as wages",
    "supplier_local_spend_share": "Local suppliers: share of their goods and services bought locally",
    "supplier_local_payroll_share": "Local suppliers: share of their wages paid to local residents",
    "staff_net_pay_ratio": "Staff: net pay as a share of gross pay",
    "staff_local_spend_share": "Staff: share of net pay spent in the place",
    "gbp_per_job": "Scenarios: local spend that supports one job (£ a year)",
}


def validate(key: str, value: float) -> float:
    """Shares lie in [0, 1]; spend and payroll ratios may not add to more than 1."""
    if key not in LABELS:
        raise ValueError(f"{key!r} is not an LM3 assumption.")
    if key == "gbp_per_job":
        if not value > 0:
            raise ValueError("The spend that supports one job must be more than £0.")
    elif not 0 <= value <= 1:
        raise ValueError(f"{LABELS[key]} must be between 0 and 1 (it is {value:g}).")
    return float(value)


@dataclass(frozen=True)
class Lm3Result:
    r1_gbp: float
    r2_suppliers_gbp: float
    r2_staff_gbp: float
    r3_suppliers_gbp: float
    r3_staff_gbp: float
    surveyed_suppliers: int
    surveyed_share_of_r2: float | None  # share of R2 covered by surveyed suppliers
    staff_surveyed_orgs: int
    staff_withheld: bool = False  # the staff part rests on 1 to 4 people: left out, not shown
    # share of the in-scope spend whose supplier location is known (None: not measured)
    spend_coverage: float | None = None

    @property
    def is_known(self) -> bool:
        """Too little of the spend placed and R2 is unknown, not small: no multiplier."""
        return self.spend_coverage is None or known_enough(self.spend_coverage)

    @property
    def r2_staff_shown(self) -> float | None:
        return None if self.staff_withheld else self.r2_staff_gbp

    @property
    def r3_staff_shown(self) -> float | None:
        return None if self.staff_withheld else self.r3_staff_gbp

    @property
    def r2_gbp(self) -> float:
        return self.r2_suppliers_gbp + self.r2_staff_gbp

    @property
    def r3_gbp(self) -> float:
        return self.r3_suppliers_gbp + self.r3_staff_gbp

    @property
    def lm3(self) -> float | None:
        return lm3(self.r1_gbp, self.r2_gbp, self.r3_gbp) if self.is_known else None

    @property
    def surveyed_share_of_supplier_spend(self) -> float | None:
        """Share of the spend with local suppliers that surveyed suppliers received."""
        if self.surveyed_share_of_r2 is None or not self.r2_suppliers_gbp:
            return None
        return self.surveyed_share_of_r2 * self.r2_gbp / self.r2_suppliers_gbp


def lm3(r1: float, r2: float, r3: float) -> float | None:
    """(R1 + R2 + R3) ÷ R1: £100m, £40m and £15m give 1.55."""
    if not r1:
        return None
    return (r1 + r2 + r3) / r1


def supplier_respend_rate(local_spend_share: float, local_payroll_share: float,
                          a: Assumptions) -> float:
    return a.supplier_spend_ratio * local_spend_share + a.supplier_payroll_ratio * local_payroll_share


def compute(r1_gbp: float, local_suppliers: pd.DataFrame, local_staff: pd.DataFrame,
            a: Assumptions, spend_coverage: float | None = None) -> Lm3Result:
    """`local_suppliers`: supplier_id, local_gbp, local_spend_share, local_payroll_share
    (the survey's answers, NaN when not surveyed). `local_staff`: org_code, local_pay_gbp,
    local_headcount (staff living in the place at the period's end), net_pay_local_share
    (NaN when not surveyed), and optionally small_cells (local authorities of the place where
    it has 1 to 4 staff living). The staff part is withheld, and counted as 0, when any
    organisation's local headcount is from 1 to 4 or it has such a local authority: the same
    figure for a place without it would give that pay away. `spend_coverage` is the share
    of the in-scope spend whose supplier location is known: below `KNOWN_SPEND_MIN_SHARE`
    there is no multiplier."""
    sup = local_suppliers.copy()
    surveyed = sup["local_spend_share"].notna() & sup["local_payroll_share"].notna()
    spend_share = sup["local_spend_share"].where(surveyed, a.supplier_local_spend_share)
    payroll_share = sup["local_payroll_share"].where(surveyed, a.supplier_local_payroll_share)
    rate = a.supplier_spend_ratio * spend_share + a.supplier_payroll_ratio * payroll_share
    r2_sup = float(sup["local_gbp"].sum())
    r3_sup = float((sup["local_gbp"] * rate).sum())
    staff = local_staff.copy()
    staff_surveyed = staff["net_pay_local_share"].notna()
    staff_share = staff["net_pay_local_share"].where(staff_surveyed, a.staff_local_spend_share)
    r2_staff = float(staff["local_pay_gbp"].sum())
    r3_staff = float((staff["local_pay_gbp"] * a.staff_net_pay_ratio * staff_share).sum())
    withheld = bool(staff.get("local_headcount", pd.Series(dtype="int64"))
                    .map(disclosure.is_disclosive).astype(bool).any()
                    or (staff.get("small_cells", pd.Series(dtype="int64")) > 0).any())
    if withheld:
        r2_staff = r3_staff = 0.0
    r2 = r2_sup + r2_staff
    covered = float(sup.loc[surveyed, "local_gbp"].sum())
    return Lm3Result(
        r1_gbp=float(r1_gbp), r2_suppliers_gbp=r2_sup, r2_staff_gbp=r2_staff,
        r3_suppliers_gbp=r3_sup, r3_staff_gbp=r3_staff,
        surveyed_suppliers=int(surveyed.sum()),
        surveyed_share_of_r2=covered / r2 if r2 else None,
        staff_surveyed_orgs=int(staff_surveyed.sum()), staff_withheld=withheld,
        spend_coverage=spend_coverage,
    )


@dataclass(frozen=True)
class Scenario:
    """What-if levers. `categories` empty means every influenceable category."""

    name: str
    shift_share: float = 0.0  # share of non-local influenceable spend moved to local suppliers
    categories: tuple[str, ...] = ()
    local_starter_share: float | None = None  # new share of starters hired locally

    def __post_init__(self) -> None:
        if not 0 <= self.shift_share <= 1:
            raise ValueError("The share of spend to move must be between 0% and 100%.")
        if self.local_starter_share is not None and not 0 <= self.local_starter_share <= 1:
            raise ValueError("The share of starters hired locally must be between 0% and 100%.")


@dataclass(frozen=True)
class ScenarioResult:
    scenario: Scenario
    moved_gbp: float  # non-local influenceable spend moved to local suppliers
    extra_local_starters: float
    extra_local_pay_gbp: float
    base: Lm3Result
    after: Lm3Result
    jobs_supported: float  # jobs the moved spend sustains through the period, at the £-a-year assumption

    @property
    def extra_local_gbp(self) -> float:
        return self.moved_gbp + self.extra_local_pay_gbp


def hiring_base(starters: int, local_starters: int) -> tuple[int, int] | None:
    """The starters and local starters a hiring lever may work from: the shown (rounded)
    counts, or None when either is from 1 to 4 and the lever is not offered, since its result
    would give the count away."""
    total, local = disclosure.shown_count(starters), disclosure.shown_count(local_starters)
    if total is None or local is None:
        return None
    return total, local


# The share of the period a starter is paid for, on average: starters join all through it.
STARTERS_SHARE_OF_PERIOD = 0.5


def run_scenario(s: Scenario, base: Lm3Result, non_local_by_category: pd.DataFrame,
                 starters: int, local_starters: int, pay_per_starter_gbp: float,
                 a: Assumptions, period_years: float) -> ScenarioResult:
    """`non_local_by_category`: category, non_local_gbp (influenceable spend outside the place)
    over a period of `period_years` (0.25 for a quarter). Moved spend goes to new local
    suppliers, who re-spend at the assumed (unsurveyed) rate; extra local starters are paid the
    period's average pay per head for half the period. The £ per job is a year's spend, so a
    quarter's moved spend sustains four times as many jobs for that quarter as it would over a
    whole year. The hiring lever works from the shown (rounded) counts of starters, and does
    nothing when `hiring_base` withholds them."""
    if period_years <= 0:
        raise ValueError("A scenario's period must be at least one quarter long.")
    cats = non_local_by_category
    if s.categories:
        cats = cats[cats["category"].isin(s.categories)]
    moved = s.shift_share * float(cats["non_local_gbp"].clip(lower=0).sum())
    extra_starters = 0.0  # negative when the lever hires fewer local people than now
    base_counts = hiring_base(starters, local_starters)
    if s.local_starter_share is not None and base_counts and base_counts[0]:
        shown_starters, shown_local = base_counts
        extra_starters = s.local_starter_share * shown_starters - shown_local
    # Starters join through the period, so on average each is paid for half of it.
    extra_pay = extra_starters * pay_per_starter_gbp * STARTERS_SHARE_OF_PERIOD
    rate = supplier_respend_rate(a.supplier_local_spend_share, a.supplier_local_payroll_share, a)
    after = replace(
        base,
        r2_suppliers_gbp=base.r2_suppliers_gbp + moved,
        r3_suppliers_gbp=base.r3_suppliers_gbp + moved * rate,
        r2_staff_gbp=base.r2_staff_gbp + extra_pay,
        r3_staff_gbp=base.r3_staff_gbp + extra_pay * a.staff_net_pay_ratio * a.staff_local_spend_share,
        surveyed_share_of_r2=None,
    )
    jobs = moved / (a.gbp_per_job * period_years)
    return ScenarioResult(s, moved, extra_starters, extra_pay, base, after, jobs)
