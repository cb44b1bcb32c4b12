"""Plain-English sentences about one place, each carrying its numbers. Pure functions.

They speak of the organisations together ("the footprint's five organisations") and of
the place by name ("in Sandwell") or by its distance rule ("within 10 km of their
sites"). Counts of people go through disclosure control: 1 to 4 show as "*".
"""

from __future__ import annotations

from anchor import disclosure, narrative
from anchor import formatting as fmt
from anchor.lm3 import Lm3Result
from anchor.metrics import ResidentsEmployed, SpendShare

_NUMBER_WORDS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight",
                 9: "nine", 10: "ten"}


def number_word(n: int) -> str:
    """2 -> 'two' ... 10 -> 'ten'; larger numbers as digits."""
    return _NUMBER_WORDS.get(n, fmt.count(n))


def ordinal(n: int) -> str:
    """1 -> '1st', 2 -> '2nd', 11 -> '11th'."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def who_phrase(n_orgs: int, footprint_name: str, single_name: str | None = None) -> str:
    """'the five organisations of Black Country and West Birmingham', or one by name."""
    if n_orgs == 1 and single_name:
        return single_name
    return f"the {number_word(n_orgs)} organisations of {footprint_name}"


def spend_sentence(period_label: str, who: str, where: str, basis: str, now: SpendShare,
                   year_earlier: SpendShare | None) -> str:
    """'In 2025/26 Q2, the five organisations of ... paid £12.3m of their influenceable spend
    (14.3%) to suppliers based in Sandwell, up from 12.1% a year earlier.' With no share to
    state, and in its comparison with a year earlier, it says what the Local spend measure's
    sentence says (`narrative.spend_sentence`), in the same words."""
    unshown = narrative.spend_share_unshown(period_label, who, basis, now)
    if unshown is not None:
        return unshown
    return (f"In {period_label}, {who} paid {fmt.gbp(now.local_gbp)} of their {basis} "
            f"({' '.join(filter(None, (fmt.pct(now.share), narrative.known_part(now.coverage))))}) "
            f"to suppliers based {where}{narrative.share_a_year_earlier(now, year_earlier)}.")


def trend_sentence(basis: str, first_label: str, first_share: float | None, last_label: str,
                   last_share: float | None, quarters: int, *, within: str | None = None) -> str:
    """'The local share of influenceable spend has risen from 2.6% in 2014/15 Q1 to 14.3% in
    2025/26 Q2, over 46 quarters.' `within` names the year whose last quarter ends the trend,
    so the sentence is not read as the year's own share."""
    if first_share is None or last_share is None or quarters < 2:
        return (f"There is not yet a trend: the local share of {basis} needs two quarters in "
                f"which the suppliers of at least {narrative.share_needed()} of the spend are "
                "placed.")
    end = f"{last_label}, the last quarter of {within}" if within else last_label
    verb = fmt.compared(last_share, first_share, fmt.pct)
    if verb == "about the same as":
        return (f"The local share of {basis} was about the same in {end} as in "
                f"{first_label}, {fmt.pct(last_share)}, over {fmt.count(quarters)} quarters.")
    move = "has risen" if verb == "up from" else "has fallen"
    return (f"The local share of {basis} {move} from {fmt.pct(first_share)} in {first_label} "
            f"to {fmt.pct(last_share)} in {end}, over {fmt.count(quarters)} quarters.")


def residents_sentence(period_label: str, who: str, where: str, now: ResidentsEmployed,
                       local_pay_gbp: float | None,
                       year_earlier: ResidentsEmployed | None) -> str:
    """'At the end of 2025/26 Q2, 4,321 of the 30,000 staff of ... (14.4%) lived in Sandwell;
    they were paid £32.1m (gross) in the period, 120 more people than a year earlier.'"""
    if not now.headcount:
        return f"In {period_label}, {who} reported no staff."
    local = disclosure.show_count(now.local_headcount)
    if local == disclosure.SUPPRESSED:
        return (f"At the end of {period_label}, fewer than {fmt.count(5)} of the "
                f"{disclosure.show_count(now.headcount)} staff of {who} lived {where}.")
    share = disclosure.people_share(now.local_headcount, now.headcount)
    text = (f"At the end of {period_label}, {local} of the {disclosure.show_count(now.headcount)} "
            f"staff of {who} ({fmt.pct(share)}) lived {where}")
    # None: withheld, as it holds the pay of an organisation's 1 to 4 residents.
    if now.local_headcount and local_pay_gbp is not None:
        text += f"; they were paid {fmt.gbp(local_pay_gbp)} (gross) in the period"
    then = disclosure.shown_count(year_earlier.local_headcount) if year_earlier else None
    if year_earlier is not None and year_earlier.headcount and then is not None:
        # Shown counts are multiples of 5, so their difference gives no count of 1 to 4 away.
        diff = disclosure.shown_count(now.local_headcount) - then
        if diff:
            text += (f", {fmt.count(abs(diff))} {'more' if diff > 0 else 'fewer'} residents "
                     "employed than a year earlier")
        elif not diff:
            text += ", as many residents employed as a year earlier"
    return text + "."


def comparison_sentence(areas_phrase: str, names: list[str], spend_gbp: list[float],
                        focus: set[str] | None = None) -> str:
    """Rank the areas by spend with suppliers based there: 'Of the footprint's five local
    authorities, suppliers in Birmingham received the most (£20.1m); Sandwell came 3rd with
    £12.3m.'"""
    ranked = sorted(zip(names, spend_gbp), key=lambda t: -t[1])
    if not ranked:
        return "There are no local authorities to compare."
    top_name, top_gbp = ranked[0]
    if top_gbp <= 0:
        return f"None of {areas_phrase} received any of this spend."
    text = (f"Of {areas_phrase}, suppliers in {top_name} received the most "
            f"({fmt.gbp(top_gbp)})")
    if focus and len(focus) == 1:
        name = next(iter(focus))
        pos = next((i for i, (n, _) in enumerate(ranked) if n == name), None)
        if pos is not None and pos > 0:
            text += f"; {name} came {ordinal(pos + 1)} with {fmt.gbp(ranked[pos][1])}"
    elif len(ranked) > 1:
        low_name, low_gbp = ranked[-1]
        text += f" and suppliers in {low_name} the least ({fmt.gbp(low_gbp)})"
    return text + "."


def lm3_not_known(r: Lm3Result) -> str:
    """Why there is no multiplier: too little of the spend's suppliers are placed."""
    known = (f"the suppliers of only {fmt.pct(r.spend_coverage)} of the in-scope spend have"
             if r.spend_coverage else "no supplier of the in-scope spend has")
    return (f"The local multiplier is not yet known: {known} a known location, and it needs "
            f"{narrative.share_needed()}. {narrative.PLACING_SUPPLIERS}")


def lm3_sentence(where: str, r: Lm3Result) -> str:
    """'Of £98.1m spent and paid (R1), £40.2m went to suppliers and staff in Sandwell (R2)
    and £9.8m of that was re-spent there (R3): each £1 is worth £1.51 to the place.'"""
    if not r.is_known:
        return lm3_not_known(r)
    if r.lm3 is None:
        return "There is no spend or pay in the period to measure a local multiplier."
    surveyed = (f"{fmt.count(r.surveyed_suppliers)} local supplier"
                f"{'s' if r.surveyed_suppliers != 1 else ''} answered a survey; the rest use "
                "the stated assumptions")
    if r.staff_withheld:
        return (f"Of {fmt.gbp(r.r1_gbp)} spent and paid (R1), {fmt.gbp(r.r2_gbp)} went to "
                f"suppliers {where} (R2) and {fmt.gbp(r.r3_gbp)} of that was re-spent there "
                f"(R3): each £1 is worth at least £{r.lm3:.2f} to the place ({surveyed}; local "
                "staff's pay is left out, as it rests on 1 to 4 people).")
    return (f"Of {fmt.gbp(r.r1_gbp)} spent and paid (R1), {fmt.gbp(r.r2_gbp)} went to suppliers "
            f"and staff {where} (R2) and {fmt.gbp(r.r3_gbp)} of that was re-spent there (R3): "
            f"each £1 is worth £{r.lm3:.2f} to the place ({surveyed}).")
