"""Estate measures: land not delivering services (the ERIC measure), over the organisations'
sites in the place, from each site's latest return in the period."""

from __future__ import annotations

from anchor import formatting as fmt
from anchor import narrative
from anchor.measures.base import Measure, Reading, Selection, quarterly
from anchor.periods import Period
from anchor.queries import estate, series


def land(sel: Selection, period: Period, by: tuple[str, ...] = ()):
    return sel.query(estate.estate_totals, sel.orgs, period.first, period.last, sel.place, by)


def _read(sel: Selection, period: Period) -> Reading:
    row = land(sel, period).iloc[0]
    if not row["sites"]:
        return Reading(None, "–", f"No estate return covers {period.label} in the place", row)
    sites = int(row["sites"])
    return Reading(float(row["land_not_delivering_ha"]), fmt.hectares(row["land_not_delivering_ha"]),
                   f"of {fmt.hectares(row['site_area_ha'])} across {sites} "
                   f"site{'s' if sites != 1 else ''} in the place", row)


def _series(sel: Selection, period: Period):
    q = sel.query(series.land_by_quarter, sel.orgs, period.first, period.last, sel.place)
    return quarterly(q, q["land_not_delivering_ha"])


def _sentence(sel: Selection, now: Reading, then: Reading | None) -> str:
    row = now.basis
    return narrative.land_sentence(
        sel.period.label, int(row["sites"]), row["land_not_delivering_ha"], row["site_area_ha"],
        then.value if then is not None else None)


LAND_NOT_DELIVERING = Measure(
    key="land_not_delivering", label="Land not delivering services", name="land not delivering services",
    unit="ha", improvement="down", query_measure="land_not_delivering_ha",
    read=_read, series=_series, sentence=_sentence,
    definition=lambda sel, now: (
        "Hectares of the organisations' sites in the place that are not used to deliver "
        "services (the ERIC measure), from each site's latest return in the period."),
)
