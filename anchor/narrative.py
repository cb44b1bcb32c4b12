"""Plain-English sentences generated from the figures, each carrying its numbers."""

from __future__ import annotations

from anchor import formatting as fmt
from anchor.metrics import ResidentsEmployed, SpendShare


def _direction(now: float, before: float, *, tolerance: float = 0.0005) -> str:
    if now > before + tolerance:
        return "up from"
    if now < before - tolerance:
        return "down from"
    return "level with"


def spend_sentence(period_label: str, who: str, place_name: str, basis: str,
                   now: SpendShare, year_earlier: SpendShare | None) -> str:
    """'In 2024/25 Q2, 23.4% (£18.2m) of the footprint's influenceable spend went to
    suppliers in the Black Country, up from 16.1% a year earlier.'"""
    if now.share is None:
        return f"In {period_label}, {who} recorded no {basis}."
    text = (f"In {period_label}, {fmt.pct(now.share)} ({fmt.gbp(now.local_gbp)}) of {who}'s "
            f"{basis} went to suppliers {place_name}")
    if year_earlier is not None and year_earlier.share is not None:
        text += f", {_direction(now.share, year_earlier.share)} {fmt.pct(year_earlier.share)} a year earlier"
    return text + "."


def residents_sentence(period_label: str, who: str, place_name: str,
                       now: ResidentsEmployed, year_earlier: ResidentsEmployed | None) -> str:
    if not now.headcount:
        return f"In {period_label}, {who} reported no staff."
    text = (f"At the end of {period_label}, {fmt.count(now.local_headcount)} of {who}'s "
            f"{fmt.count(now.headcount)} staff ({fmt.pct(now.share)}) lived {place_name}")
    if year_earlier is not None and year_earlier.headcount:
        diff = now.local_headcount - year_earlier.local_headcount
        if diff:
            text += (f", {fmt.count(abs(diff))} {'more' if diff > 0 else 'fewer'} than a year "
                     "earlier")
        else:
            text += ", the same number as a year earlier"
    return text + "."
