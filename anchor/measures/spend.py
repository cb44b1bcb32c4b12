"""Spend measures: the local share of spend, of all in-scope and of influenceable spend. Each
rests on `anchor.queries.spend.SPEND_MEASURES`, read from the spend summary, which holds these
totals exactly (anchor/summary.py)."""

from __future__ import annotations

from anchor import formatting as fmt
from anchor import metrics, narrative
from anchor.measures.base import Measure, Reading, Selection, quarterly
from anchor.periods import Period
from anchor.queries import spend

SUMMARY = "summary"
BASES = {"influenceable": "influenceable spend", "all": "in-scope spend"}

INFLUENCEABLE_DEFINITION = (
    "In-scope spend less categories the organisations cannot redirect locally (national "
    "frameworks such as NHS Supply Chain, payments to NHS bodies, PFI charges, drugs on national "
    "contracts) and payments to public bodies.")


def totals(sel: Selection, period: Period, by: tuple[str, ...] = ()):
    return sel.query(spend.spend_totals, sel.orgs, period.first, period.last, sel.place, by,
                     source=SUMMARY)


def by_quarter(sel: Selection, period: Period):
    """The quarters with spend, with their local shares (`metrics.add_spend_shares`)."""
    t = metrics.add_spend_shares(totals(sel, period, ("quarter",)))
    return t[t["spend_gbp"] != 0]


def _local_share(basis: str) -> Measure:
    influenceable = basis == "influenceable"
    words = BASES[basis]

    def read(sel: Selection, period: Period) -> Reading:
        s = metrics.spend_share(totals(sel, period).iloc[0], influenceable=influenceable)
        value, detail = narrative.local_share_tile(s, words)
        return Reading(s.share, value, detail, s)

    def series(sel: Selection, period: Period):
        t = by_quarter(sel, period)
        return quarterly(t, t["influenceable_local_share" if influenceable else "local_share"])

    return Measure(
        key=f"{'influenceable_' if influenceable else ''}local_share",
        label=f"Local spend: {'influenceable' if influenceable else 'all in-scope'}",
        name="local share", unit="pct", improvement="up", basis=basis,
        query_measure=f"{'influenceable_' if influenceable else ''}local_gbp",
        read=read, series=series,
        definition=lambda sel, now: narrative.local_share_definition(words, now.basis),
        sentence=lambda sel, now, then: narrative.spend_sentence(
            sel.period.label, sel.who, sel.place.phrase, words, now.basis,
            then.basis if then is not None else None),
        delta=lambda now, then: fmt.points_change(now.value, then.value if then else None),
        change_point="local_spend_share",
    )


LOCAL_SHARE_INFLUENCEABLE = _local_share("influenceable")
LOCAL_SHARE_ALL = _local_share("all")
