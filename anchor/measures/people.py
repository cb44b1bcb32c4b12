"""People measures: residents employed, after disclosure control (counts to the nearest 5,
1 to 4 withheld as '*'; anchor/disclosure.py), as the Local employment page shows them."""

from __future__ import annotations

from anchor import disclosure, employment, metrics, place_story
from anchor.measures.base import Measure, Reading, Selection, quarterly
from anchor.periods import Period, quarter_label
from anchor.queries import workforce


def staff(sel: Selection, period: Period, by: tuple[str, ...] = ()):
    return sel.query(workforce.workforce_totals, sel.orgs, period.first, period.last, sel.place, by)


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
    # A quarter resting on 1 to 4 residents is left out of the SPC, as on Local employment.
    q = q[~q["local_headcount"].map(disclosure.is_disclosive).astype(bool)]
    return quarterly(q, [disclosure.people_share(n, d)
                         for n, d in zip(q["local_headcount"], q["headcount"])])


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


def _definition(sel: Selection, now: Reading) -> str:
    snapshot_q = staff(sel, sel.period)["snapshot_quarter"].iat[0]
    snapshot = (quarter_label(snapshot_q) if snapshot_q is not None and str(snapshot_q) != "NaT"
                else sel.period.label)
    h = now.basis[1]
    unplaced = h.count("unplaced_headcount") if h is not None else "0"
    return (f"Headcount at the end of {snapshot} whose home LSOA lies in the place. Staff with "
            f"no usable home LSOA ({unplaced}) count as not local.")


RESIDENTS_EMPLOYED = Measure(
    key="residents_employed", label="Residents employed", name="residents employed",
    unit="count", improvement="up", query_measure="local_headcount",
    read=_read, series=_series, delta=_delta, sentence=_sentence, definition=_definition,
)
