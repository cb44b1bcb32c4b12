"""People measures: residents employed, new starters from the most deprived 20% of
neighbourhoods, apprenticeship starts and staff paid below the Real Living Wage, after
disclosure control (counts to the nearest 5, 1 to 4 withheld as '*'; anchor/disclosure.py), as
the Local employment page shows them. A quarter resting on 1 to 4 people has no value in a
series, so its SPC chart leaves it out."""

from __future__ import annotations

import pandas as pd

from anchor import disclosure, employment, metrics, place_story
from anchor import formatting as fmt
from anchor.config import APPRENTICESHIP_TARGET_PCT
from anchor.measures.base import Measure, Reading, Selection, derived, quarterly
from anchor.periods import Period, add_quarters, quarter_label
from anchor.queries import workforce


def staff(sel: Selection, period: Period, by: tuple[str, ...] = ()):
    return sel.query(workforce.workforce_totals, sel.orgs, period.first, period.last, sel.place, by)


@derived
def residents(sel: Selection, period: Period):
    """Each organisation's residents employed and all of them together, as shown."""
    return employment.protected_residents(
        staff(sel, period, ("org",)), employment.small_cell_orgs(staff(sel, period, ("org", "lad"))))


def _read(sel: Selection, period: Period) -> Reading:
    raw = metrics.residents_employed(staff(sel, period).iloc[0])
    if not raw.headcount:
        return Reading(None, "–", f"No workforce return covers {period.label}", (raw, None))
    h = employment.headlines(residents(sel, period))
    shown = employment.shown_count(h["local_headcount"])
    return Reading(shown, h.count("local_headcount"),
                   f"{employment.text_pct(h['residents_share'])} of {h.count('headcount')} staff "
                   f"({employment.text_number(h['local_fte'])} FTE)", (raw, h))


def _series(sel: Selection, period: Period):
    q = sel.query(workforce.residents_by_quarter, sel.orgs, period.first, period.last, sel.place)
    q = q.assign(residents_share=[disclosure.people_share(n, d)
                                  for n, d in zip(q["local_headcount"], q["headcount"])])
    return shown_series(q, "residents_share", "local_headcount")


def shown_series(q: pd.DataFrame, column: str, numerator: str) -> pd.DataFrame:
    """`column` of each quarter as a series; None where it has no value or its `numerator`
    (the count of people behind it) is from 1 to 4."""
    value = pd.to_numeric(q[column], errors="coerce")
    n = pd.to_numeric(q[numerator], errors="coerce")
    keep = value.notna() & n.notna() & ~n.map(disclosure.is_disclosive).astype(bool)
    return quarterly(q, [float(v) if k else None for v, k in zip(value, keep)])


def _delta(now: Reading, then: Reading | None) -> str | None:
    if now.value is None or then is None or not then.basis[0].headcount:
        return None
    before = disclosure.shown_count(then.basis[0].local_headcount)
    return f"{now.value - before:+,}" if before is not None else None


def _sentence(sel: Selection, now: Reading, then: Reading | None) -> str:
    raw, h = now.basis
    pay = h["local_gross_pay_gbp"] if h is not None else None
    before = then.basis[0] if then is not None else None
    return place_story.residents_sentence(sel.period.label, sel.who, sel.place.phrase, raw, pay,
                                          before if before is not None and before.headcount else None)


def snapshot(sel: Selection, period: Period) -> str:
    """The quarter headcount is taken at: each organisation's latest in the period."""
    q = staff(sel, period)["snapshot_quarter"].iat[0]
    return quarter_label(q) if q is not None and str(q) != "NaT" else period.label


def residents_definition(sel: Selection, now: Reading, *, with_fte: bool = False) -> str:
    """What residents employed counts; `with_fte` where FTE is shown beside it."""
    h = now.basis[1]
    unplaced = h.count("unplaced_headcount") if h is not None else "0"
    what = ("Headcount and FTE" if with_fte else "Headcount") + f" at the end of {snapshot(sel, sel.period)}"
    if with_fte:
        what += " (each organisation's latest quarter in the period)"
    return (f"{what} whose home LSOA lies in the place. Staff with no usable home LSOA "
            f"({unplaced}) count as not local.")


RESIDENTS_EMPLOYED = Measure(
    key="residents_employed", label="Residents employed", name="residents employed",
    unit="count", improvement="up", query_measure="local_headcount",
    read=_read, series=_series, delta=_delta, sentence=_sentence, definition=residents_definition,
)


# -- the figures of the Local employment page, for the organisations together ------------------

@derived
def protected(sel: Selection, period: Period) -> pd.DataFrame:
    """`employment.protected_figures` per organisation and together (`employment.ALL`):
    apprenticeship starts over the four quarters to the period's end."""
    year_to_end = Period(add_quarters(period.last, -3), period.last)
    figures = employment.organisation_figures(
        staff(sel, period, ("org",)), staff(sel, year_to_end, ("org",)),
        sel.query(workforce.deprivation_by_org, sel.orgs, period.first, period.last))
    small_cells = employment.small_cell_orgs(staff(sel, period, ("org", "lad")))
    return employment.protected_figures(figures, small_cells)


def headlines(sel: Selection, period: Period) -> employment.Headlines:
    return employment.headlines(protected(sel, period))


@derived
def workforce_series(sel: Selection, period: Period) -> pd.DataFrame:
    """Each quarter's workforce figures with their shares (`employment.quarterly_series`)."""
    return employment.quarterly_series(
        sel.query(workforce.workforce_by_quarter, sel.orgs, period.first, period.last, sel.place))


def deciles_note(sel: Selection) -> str:
    return " Synthetic demo deciles." if sel.query(workforce.deprivation_source)[1] else ""


def _series_of(column: str, numerator: str):
    return lambda sel, period: shown_series(workforce_series(sel, period), column, numerator)


def _no_sentence(sel: Selection, now: Reading, then: Reading | None) -> None:
    return None  # the page states these figures together (`employment.sentences`)


def _read_starters(sel: Selection, period: Period) -> Reading:
    h = headlines(sel, period)
    share = h["starters_deprived_20_share"]
    return Reading(share, employment.text_pct(share),
                   f"of the {h.count('starters')} who started in {period.label}; 10%: "
                   f"{employment.text_pct(h['starters_deprived_10_share'])}.{deciles_note(sel)}", h)


def deprivation_definition(sel: Selection, now: Reading | None = None) -> str:
    source, synthetic = sel.query(workforce.deprivation_source)
    return ("Share of staff (at the end of the period) and of new starters (joining in the period) "
            "whose home LSOA is among the most deprived 10% (IMD decile 1) or 20% (deciles 1 and 2) "
            "of LSOAs in England, of those whose home has a decile (homes outside England or unknown "
            f"are left out). Deciles: {source or 'none loaded'}."
            + (f" {employment.SYNTHETIC_NOTE}" if synthetic else ""))


STARTERS_DEPRIVED_20 = Measure(
    key="starters_deprived_20", label="Starters, most deprived 20%",
    name="new starters from the most deprived 20%", unit="pct", improvement="up",
    query_measure="starters_deprived_20", read=_read_starters,
    series=_series_of("starters_deprived_20_share", "starters_deprived_20"),
    sentence=_no_sentence, definition=deprivation_definition,
)


def _read_apprenticeships(sel: Selection, period: Period) -> Reading:
    h = headlines(sel, period)
    rate = h["apprenticeship_rate"]
    return Reading(rate, employment.text_pct(rate),
                   f"{h.count('apprentices')} starts in the 12 months to {snapshot(sel, period)}, as a "
                   f"share of headcount; target {APPRENTICESHIP_TARGET_PCT:g}%", h)


def apprenticeships_vs_target(now: Reading) -> str | None:
    """'-0.8 pts vs 2.3% target', or None when the rate is withheld."""
    if now.value is None:
        return None
    gap = fmt.points_change(now.value, employment.APPRENTICESHIP_TARGET)
    return f"{gap} vs {APPRENTICESHIP_TARGET_PCT:g}% target"


APPRENTICESHIP_STARTS = Measure(
    key="apprenticeship_starts", label="Apprenticeship starts", name="apprenticeship starts",
    unit="pct", improvement="up", query_measure="apprentices", read=_read_apprenticeships,
    series=_series_of("apprenticeship_rate", "apprentices_12m"),
    target=employment.APPRENTICESHIP_TARGET, sentence=_no_sentence,
    definition=lambda sel, now: (
        f"Apprenticeship starts in the four quarters to the end of {snapshot(sel, sel.period)} divided "
        f"by headcount at its end. The public-sector target is {APPRENTICESHIP_TARGET_PCT:g}% of "
        "headcount a year."),
)


def _read_below_living_wage(sel: Selection, period: Period) -> Reading:
    h = headlines(sel, period)
    return Reading(h["below_living_wage"], h.count("below_living_wage"),
                   f"Staff paid below the Real Living Wage at the end of {snapshot(sel, period)}. "
                   "Target: none.", h)


BELOW_LIVING_WAGE = Measure(
    key="below_living_wage", label="Below Real Living Wage",
    name="staff paid below the Real Living Wage", unit="count", improvement="down",
    query_measure="below_living_wage", read=_read_below_living_wage,
    series=_series_of("below_living_wage_shown", "below_living_wage"), target=0.0,
    sentence=_no_sentence,
    definition=lambda sel, now: (
        f"Staff at the end of {snapshot(sel, sel.period)} paid below the Real Living Wage, as the "
        "organisations report it. The target is none."),
)
