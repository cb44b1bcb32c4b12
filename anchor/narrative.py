"""Plain-English sentences generated from the figures, each carrying its numbers."""

from __future__ import annotations

from anchor import formatting as fmt
from anchor.config import KNOWN_SPEND_MIN_SHARE
from anchor.metrics import FlaggedShare, SpendShare

PLACING_SUPPLIERS = ("A supplier is placed by its postcode: load a supplier register with "
                     "postcodes on the Data page.")


def share_needed() -> str:
    """'80%': how much of a share's spend must be known for it to be shown."""
    return fmt.pct(KNOWN_SPEND_MIN_SHARE, digits=0)


def known_part(coverage: float | None, *, what: str = "whose supplier location is known") -> str:
    """'of the 92.0% whose supplier location is known', or '' when all of it is, as the
    figures show it."""
    if coverage is None or fmt.pct(coverage) == fmt.pct(1.0):
        return ""
    return f"of the {fmt.pct(coverage)} {what}"


def not_known_sentence(period_label: str, subject: str, basis: str, coverage: float | None,
                       known_gbp: float, spend_gbp: float, *,
                       known: str = "is paid to suppliers whose location is known",
                       fix: str = PLACING_SUPPLIERS) -> str:
    """Why a share is not shown: 'In 2020/21 Q1, the local share of the Trust's in-scope
    spend is not yet known: only 3.1% of it (£1.2m of £38.0m) is paid to suppliers whose
    location is known, and a share needs 80%. …'"""
    how_much = ("none of it" if not known_gbp else
                f"only {fmt.pct(coverage)} of it ({fmt.gbp(known_gbp)} of {fmt.gbp(spend_gbp)})")
    return (f"In {period_label}, {subject} {basis} is not yet known: {how_much} {known}, "
            f"and a share needs {share_needed()}. {fix}")


def _bracketed(text: str) -> str:
    return f" ({text})" if text else ""


def spend_sentence(period_label: str, who: str, place_name: str, basis: str,
                   now: SpendShare, year_earlier: SpendShare | None) -> str:
    """'In 2024/25 Q2, 23.4% (£18.2m) of the footprint's influenceable spend went to
    suppliers in the Black Country, up from 16.1% a year earlier.' A share of the spend
    whose supplier location is known says how much that is, and one too little of whose
    spend is placed says it is not yet known, and why."""
    unshown = spend_share_unshown(period_label, who, basis, now)
    if unshown is not None:
        return unshown
    return (f"In {period_label}, {fmt.pct(now.share)} ({fmt.gbp(now.local_gbp)}) of {who}'s "
            f"{basis}{_bracketed(known_part(now.coverage))} went to suppliers {place_name}"
            f"{share_a_year_earlier(now, year_earlier)}.")


def spend_share_unshown(period_label: str, who: str, basis: str, now: SpendShare) -> str | None:
    """What a sentence of the local share says when there is no share to state: no spend, or
    too little of it placed (and why); None when the share can be stated."""
    if not now.spend_gbp:
        return f"In {period_label}, {who} recorded no {basis}."
    if now.share is None:
        return not_known_sentence(period_label, f"the local share of {who}'s", basis,
                                  now.coverage, now.placed_gbp, now.spend_gbp)
    return None


def share_a_year_earlier(now: SpendShare, year_earlier: SpendShare | None) -> str:
    """', up from 16.1% a year earlier' (or about the same), or '' when it is not known."""
    if year_earlier is None or year_earlier.share is None:
        return ""
    before = year_earlier.share
    return f", {fmt.compared(now.share, before, fmt.pct)} {fmt.pct(before)} a year earlier"


def land_sentence(period_label: str, sites: int, idle_ha: float, area_ha: float,
                  idle_ha_before: float | None) -> str:
    """'At the end of 2025/26 Q2, 11.9 ha of the 114.0 ha on 14 sites in the place (10.4%)
    was not delivering services, up from 5.2 ha a year earlier.'"""
    if not sites:
        return f"No estate returns cover {period_label} in the place."
    text = (f"At the end of {period_label}, {fmt.hectares(idle_ha)} of the {fmt.hectares(area_ha)} "
            f"on {sites} site{'s' if sites != 1 else ''} in the place "
            f"({fmt.pct(idle_ha / area_ha if area_ha else None)}) was not delivering services")
    return text + hectares_change(idle_ha, idle_ha_before) + "."


def hectares_change(now_ha: float, before_ha: float | None) -> str:
    """', up from 5.3 ha a year earlier' (or about the same, or nothing when not known)."""
    if before_ha is None:
        return ""
    return f", {fmt.compared(now_ha, before_ha, fmt.hectares)} {fmt.hectares(before_ha)} a year earlier"


NOT_YET_KNOWN = "Not yet known"


def known_for(known_gbp: float, coverage: float | None,
              what: str = "Supplier location") -> str:
    """'Supplier location known for only 3.1%' (of what follows), or 'for none': a share
    too small to show is never printed as '0.0%'."""
    return (f"{what} known for none" if not known_gbp
            else f"{what} known for only {fmt.pct(coverage)}")


def local_share_tile(now: SpendShare, basis: str) -> tuple[str, str]:
    """A local-share tile's value and the line under it: '14.3%' and '£18.2m of £127.3m
    in-scope spend', with how much of the spend is placed when not all of it is; or 'Not
    yet known' and how little is placed."""
    if now.share is None and now.spend_gbp:
        return NOT_YET_KNOWN, (f"{known_for(now.placed_gbp, now.coverage)} of "
                               f"{fmt.gbp(now.spend_gbp)} {basis}")
    detail = f"{fmt.gbp(now.local_gbp)} of {fmt.gbp(now.placed_gbp)} {basis}"
    known = known_part(now.coverage)
    return fmt.pct(now.share), detail + (f" ({known})" if known else "")


def flagged_share_tile(now: FlaggedShare, flag: str, basis: str) -> tuple[str, str]:
    """An SME or VCSE tile's value and line: '31.2%' and '£4.1m of £13.1m in-scope spend'
    (of the spend whose supplier is flagged), or 'Not yet known' and how little is flagged."""
    if now.share is None and now.spend_gbp:
        part = f"Only {fmt.pct(now.coverage)}" if now.known_gbp else "None"
        return NOT_YET_KNOWN, (f"{part} of {fmt.gbp(now.spend_gbp)} {basis} is paid to "
                               f"suppliers flagged {flag} or not (a share needs "
                               f"{share_needed()})")
    detail = f"{fmt.gbp(now.flagged_gbp)} of {fmt.gbp(now.known_gbp)} {basis}"
    known = known_part(now.coverage, what=f"whose supplier is flagged {flag} or not")
    return fmt.pct(now.share), detail + (f" ({known})" if known else "")


def local_share_definition(basis: str, now: SpendShare) -> str:
    """How a local share is calculated, as every page and export states it, with the
    period's spend whose supplier could not be placed."""
    return (f"{basis[:1].upper() + basis[1:]} paid to suppliers whose registered postcode lies "
            f"in the place, divided by the {basis} whose supplier's postcode is known, over "
            "the period's invoice lines (credit notes net off). A share is shown only when the "
            f"suppliers of at least {share_needed()} of the spend are placed; below that it is "
            "not yet known. Spend with suppliers that could not be placed in the period: "
            f"{fmt.gbp(now.unplaced_gbp)} ({fmt.pct(now.unplaced_share)}). "
            "SME and VCSE shares are likewise of the spend whose supplier is flagged SME "
            "(or VCSE) or not.")
