"""Plain-English sentences generated from the figures, each carrying its numbers."""

from __future__ import annotations

from anchor import formatting as fmt
from anchor.metrics import SpendShare


def spend_sentence(period_label: str, who: str, place_name: str, basis: str,
                   now: SpendShare, year_earlier: SpendShare | None) -> str:
    """'In 2024/25 Q2, 23.4% (£18.2m) of the footprint's influenceable spend went to
    suppliers in the Black Country, up from 16.1% a year earlier.'"""
    if now.share is None:
        return f"In {period_label}, {who} recorded no {basis}."
    text = (f"In {period_label}, {fmt.pct(now.share)} ({fmt.gbp(now.local_gbp)}) of {who}'s "
            f"{basis} went to suppliers {place_name}")
    if year_earlier is not None and year_earlier.share is not None:
        before = year_earlier.share
        text += f", {fmt.compared(now.share, before, fmt.pct)} {fmt.pct(before)} a year earlier"
    return text + "."


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
