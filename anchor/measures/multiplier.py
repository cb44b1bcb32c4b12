"""The local multiplier (LM3, after the New Economics Foundation): what each £1 of the
organisations' spend and pay is worth to the place after two rounds of local re-spending."""

from __future__ import annotations

from anchor import formatting as fmt
from anchor import narrative, place_story
from anchor.measures.base import Measure, Reading, Selection
from anchor.periods import Period
from anchor.queries import lm3 as lm3_queries


def _read(sel: Selection, period: Period) -> Reading:
    inputs = sel.query(lm3_queries.lm3_inputs, sel.orgs, period.first, period.last, sel.place)
    r = inputs.multiplier(sel.query(lm3_queries.assumptions)[0])
    if not r.is_known:
        return Reading(None, narrative.NOT_YET_KNOWN,
                       narrative.known_for(inputs.placed_gbp, r.spend_coverage)
                       + " of in-scope spend", r)
    return Reading(r.lm3, fmt.number(r.lm3, digits=2),
                   f"{fmt.gbp(r.r2_gbp + r.r3_gbp)} spent and re-spent in the place", r)


def _sentence(sel: Selection, now: Reading, then: Reading | None) -> str | None:
    r = now.basis
    if not r.is_known:
        return place_story.lm3_not_known(r)
    if not r.lm3:
        return None
    return (f"Each £1 of the organisations' spend and pay is worth £{r.lm3:.2f} to the place "
            f"after two rounds of local re-spending ({r.surveyed_suppliers} suppliers surveyed; "
            "the rest assumed).")


DEFINITION = (
    "(R1 + R2 + R3) ÷ R1, after the New Economics Foundation's Local Multiplier 3. R1 is the "
    "money studied: in-scope spend with suppliers in the period plus the gross pay of all staff. "
    "R2 is the part spent in the place: spend with suppliers based there plus the gross pay of "
    "staff who live there. R3 is the part of R2 re-spent in the place: by each local supplier, "
    "its survey answers (or the assumptions) applied to what it was paid; by local staff, their "
    "net pay times the share spent locally.")

LM3 = Measure(
    key="lm3", label="Local multiplier (LM3)", name="local multiplier", unit="ratio",
    improvement=None, query_measure="lm3_inputs", read=_read, sentence=_sentence,
    definition=lambda sel, now: DEFINITION, compared=False,
)
