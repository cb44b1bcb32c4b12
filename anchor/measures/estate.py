"""Estate measures over the organisations' sites in the place: land not delivering services
(the ERIC measure), empty or under-used and non-clinical floor space and backlog maintenance
from each site's latest return in the period; carbon from energy over the period's returns."""

from __future__ import annotations

import math

from anchor import estates, narrative
from anchor import formatting as fmt
from anchor.config import EMPTY_UNDERUSED_MAX_PCT, NON_CLINICAL_MAX_PCT
from anchor.measures.base import Measure, Reading, Selection, derived, quarterly
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
        "Hectares of the organisations' sites in the place not used to deliver services (the "
        "ERIC measure), from each site's latest return in the period: what could be released "
        "for housing, regeneration or community use, as a share of the site area."),
)


# -- the figures of the Estates and assets page -------------------------------------------------

def sites(sel: Selection, period: Period):
    """Each site in the place with its latest return in the period (and the period's flows)."""
    return sel.query(estate.estate_sites, sel.orgs, period.first, period.last, sel.place)


@derived
def totals(sel: Selection, period: Period):
    return estates.totals(sites(sel, period))


@derived
def by_quarter(sel: Selection, period: Period):
    """Each quarter's estate figures with their ratios (`estates.quarterly_series`)."""
    return estates.quarterly_series(
        sel.query(estate.estate_by_quarter, sel.orgs, period.first, period.last, sel.place))


def _value(x) -> float | None:
    """A figure, or None when there is none to show (nothing to divide by, no finite value)."""
    return float(x) if x is not None and math.isfinite(float(x)) else None


def _series_of(column: str):
    def series(sel: Selection, period: Period):
        q = by_quarter(sel, period)
        return quarterly(q, q[column])
    return series


def _no_sentence(sel: Selection, now: Reading, then: Reading | None) -> None:
    return None  # the page states these figures together (`estates.sentences`)


def _read_empty(sel: Selection, period: Period) -> Reading:
    t = totals(sel, period)
    return Reading(_value(t["empty_underused_share"]), fmt.pct(t["empty_underused_share"]),
                   f"{estates.m2(t['empty_m2'])} empty and {estates.m2(t['underused_m2'])} under-used "
                   f"of {estates.m2(t['gia_m2'])}", t)


EMPTY_OR_UNDERUSED = Measure(
    key="empty_or_underused", label="Empty or under-used space",
    name="empty or under-used floor space", unit="pct", improvement="down",
    query_measure="empty_m2, underused_m2", read=_read_empty,
    series=_series_of("empty_underused_share"), target=estates.EMPTY_UNDERUSED_TARGET,
    sentence=_no_sentence,
    definition=lambda sel, now: (
        "Empty plus under-used m² as a share of gross internal area (GIA). The target is at most "
        f"{EMPTY_UNDERUSED_MAX_PCT:g}%."),
)


def _read_non_clinical(sel: Selection, period: Period) -> Reading:
    t = totals(sel, period)
    return Reading(_value(t["non_clinical_share"]), fmt.pct(t["non_clinical_share"]),
                   f"{estates.m2(t['non_clinical_m2'])} of {estates.m2(t['gia_m2'])} gross internal "
                   "area", t)


NON_CLINICAL = Measure(
    key="non_clinical", label="Non-clinical floor space", name="non-clinical floor space",
    unit="pct", improvement="down", query_measure="non_clinical_m2", read=_read_non_clinical,
    series=_series_of("non_clinical_share"), target=estates.NON_CLINICAL_TARGET,
    sentence=_no_sentence,
    definition=lambda sel, now: (
        "Non-clinical m² as a share of GIA. Lord Carter's review of hospital productivity set "
        f"at most {NON_CLINICAL_MAX_PCT:g}%."),
)


def _read_backlog(sel: Selection, period: Period) -> Reading:
    t = totals(sel, period)
    return Reading(_value(t["backlog_per_m2"]), estates.per_m2(t["backlog_per_m2"]), None, t)


BACKLOG_PER_M2 = Measure(
    key="backlog_per_m2", label="Backlog maintenance per m²", name="backlog maintenance per m²",
    unit="gbp", improvement="down", query_measure="backlog_cost_gbp", read=_read_backlog,
    series=_series_of("backlog_per_m2"), sentence=_no_sentence,
    definition=lambda sel, now: (
        "The cost to bring the estate up to condition, in £ and in £ per m² of GIA."),
)


def _read_carbon(sel: Selection, period: Period) -> Reading:
    t = totals(sel, period)
    return Reading(_value(t["carbon_tco2e"]), fmt.count(t["carbon_tco2e"]),
                   f"{estates.energy(t['energy_kwh'])} of energy used in {period.label}", t)


CARBON = Measure(
    key="carbon", label="Carbon from energy, tCO2e", name="carbon from energy",
    unit="number", improvement="down", query_measure="carbon_tco2e", read=_read_carbon,
    series=_series_of("carbon_tco2e"), sentence=_no_sentence,
    definition=lambda sel, now: (
        "Energy the sites used (kWh) and the tonnes of CO2e it produced, over the period."),
)
