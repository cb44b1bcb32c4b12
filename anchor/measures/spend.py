"""Spend measures: the local share of spend, of all in-scope and of influenceable spend, and the
share of influenceable spend with local SMEs. Each
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


def _local_sme(sel: Selection, period: Period) -> Reading:
    """Of the influenceable spend whose supplier's location and SME flag are both known, the
    share paid to SMEs in the place: not known when both are known for too little of it."""
    row = totals(sel, period).iloc[0]
    s = metrics.FlaggedShare(float(row["influenceable_local_sme_gbp"]),
                             float(row["influenceable_placed_sme_known_gbp"]),
                             float(row["influenceable_gbp"]))
    if not s.spend_gbp:
        return Reading(None, "–", f"No influenceable spend in {period.label}", s)
    if s.share is None:
        return Reading(None, narrative.NOT_YET_KNOWN,
                       f"{narrative.known_for(s.known_gbp, s.coverage, 'Location and SME flag')} of "
                       f"{fmt.gbp(s.spend_gbp)} influenceable spend", s)
    return Reading(s.share, fmt.pct(s.share),
                   f"{fmt.gbp(s.flagged_gbp)} of {fmt.gbp(s.known_gbp)} influenceable spend", s)


def _local_sme_series(sel: Selection, period: Period):
    t = totals(sel, period, ("quarter",))
    t = t[t["influenceable_gbp"] != 0]
    return quarterly(t, [metrics.FlaggedShare(r.influenceable_local_sme_gbp,
                                              r.influenceable_placed_sme_known_gbp,
                                              r.influenceable_gbp).share
                         for r in t.itertuples()])


def _local_sme_sentence(sel: Selection, now: Reading, then: Reading | None) -> str | None:
    if now.basis is None or not now.basis.spend_gbp:
        return None
    if now.value is None:
        return (f"In {sel.period.label}, the share of {sel.who}'s influenceable spend that went "
                f"to SMEs {sel.place.phrase} is not yet known: it needs the location and SME "
                f"flag of the suppliers paid {narrative.share_needed()} of that spend.")
    text = (f"In {sel.period.label}, {fmt.pct(now.value)} ({fmt.gbp(now.basis.flagged_gbp)}) of "
            f"{sel.who}'s influenceable spend whose suppliers' location and size are known went "
            f"to SMEs {sel.place.phrase}")
    if then is not None and then.value is not None:
        text += f", {fmt.compared(now.value, then.value, fmt.pct)} {fmt.pct(then.value)} a year earlier"
    return text + "."


LOCAL_SME_SHARE = Measure(
    key="influenceable_local_sme_share", label="Local SMEs: influenceable",
    name="share with local SMEs", unit="pct", improvement="up", basis="influenceable",
    query_measure="influenceable_local_sme_gbp",
    read=_local_sme, series=_local_sme_series, sentence=_local_sme_sentence,
    definition=lambda sel, now: (
        "Influenceable spend paid to suppliers flagged SME whose registered postcode lies in the "
        "place, divided by the influenceable spend whose suppliers' location and SME flag are "
        f"both known; shown only when both are known for at least {narrative.share_needed()} of "
        "that spend."),
    delta=lambda now, then: fmt.points_change(now.value, then.value if then else None),
)
