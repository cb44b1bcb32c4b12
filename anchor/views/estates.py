"""Estates and assets: land and buildings, how well they are used and what could be released,
as figures a page renders."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from anchor import estates
from anchor import formatting as fmt
from anchor.config import EMPTY_UNDERUSED_MAX_PCT, NON_CLINICAL_MAX_PCT
from anchor.filters import Filters
from anchor.geography.shapes import subset
from anchor.measures import LAND_NOT_DELIVERING, Selection, Source
from anchor.measures import estate as measures
from anchor.measures.estate import BACKLOG_PER_M2, CARBON, EMPTY_OR_UNDERUSED, NON_CLINICAL
from anchor.periods import quarter_label
from anchor.queries import estate, geo, reference
from anchor.views.parts import Chart, SpcGrid, Table, Tile

CHARTS = (
    Chart(EMPTY_OR_UNDERUSED, "empty_underused_share", "Floor space empty or under-used", "pct",
          "Empty plus under-used m² ÷ GIA of the sites returning that quarter; target at most "
          f"{EMPTY_UNDERUSED_MAX_PCT:g}%."),
    Chart(NON_CLINICAL, "non_clinical_share", "Non-clinical floor space", "pct",
          f"Non-clinical m² ÷ GIA; Carter target at most {NON_CLINICAL_MAX_PCT:g}%."),
    Chart(BACKLOG_PER_M2, "backlog_per_m2", "Backlog maintenance per m²", "gbp",
          "Cost to clear the backlog ÷ GIA (£ per m²)."),
    Chart(CARBON, "carbon_tco2e", "Carbon emissions from energy (tCO2e a quarter)", "number",
          "Tonnes of CO2e from the energy the sites used in the quarter; winter quarters run "
          "higher."),
)
SPC_CAPTION = ("Statistical process control (Making Data Count XmR charts) up to {period}, over "
               "the sites that made a return each quarter: the mean and process limits (mean ± "
               "2.66 × the mean moving range); blue points are special cause improving, orange "
               "concerning.")


@dataclass(frozen=True)
class EstatesView:
    filters: Filters
    no_returns: str | None  # said instead of the page when no site in the place made a return
    tiles: tuple[Tile, ...] = ()
    sentences: tuple[str, ...] = ()
    sites: pd.DataFrame | None = None  # estate_sites: the map and the floor space chart
    lads: dict | None = None  # GeoJSON of the local authorities around the sites
    outline: dict | None = None  # the place's outline, when it is local authorities
    unplaced: str | None = None  # the sites no place can hold, as a warning says them
    release: Table | None = None  # None: nothing could be released
    organisations: Table | None = None
    by_site: Table | None = None
    spc: SpcGrid | None = None
    definitions: tuple[tuple[str, str], ...] = ()


def build(source: Source, filters: Filters) -> EstatesView:
    sel = Selection(source, filters)
    orgs, place, period, before = filters.orgs, filters.place, filters.period, sel.before
    sites = measures.sites(sel, period)
    if sites.empty:
        return EstatesView(filters, f"No site {place.phrase} has an estates return for {period.label}. "
                           "Choose another period, organisation or place, or load the estates returns.")
    names = sel.query(reference.organisations, filters.footprint_code).set_index("org_code")["name"].to_dict()
    then_sites = measures.sites(sel, before)
    t = estates.totals(sites)
    land, empty, non_clinical, backlog, carbon = (
        m.read(sel, period) for m in (LAND_NOT_DELIVERING, EMPTY_OR_UNDERUSED, NON_CLINICAL,
                                      BACKLOG_PER_M2, CARBON))
    h = estates.Headlines(t)
    tiles = (
        Tile(LAND_NOT_DELIVERING.label, land.shown, delta_color="off",
             delta=(None if then_sites.empty else
                    fmt.hectares_change(t["land_not_delivering_ha"],
                                        then_sites["land_not_delivering_ha"].sum())
                    + " on a year earlier"),
             detail=f"{fmt.pct(t['land_share'])} of {fmt.hectares(t['site_area_ha'])} at "
                    f"{estates.n_sites(t['sites'])}: land that could be released"),
        Tile(EMPTY_OR_UNDERUSED.label, empty.shown, detail=empty.detail, delta_color="inverse",
             delta=(None if h.empty_underused_vs_target is None else
                    f"{h.empty_underused_vs_target} vs {EMPTY_UNDERUSED_MAX_PCT:g}% limit")),
        Tile(NON_CLINICAL.label, non_clinical.shown, detail=non_clinical.detail, delta_color="inverse",
             delta=(None if h.non_clinical_vs_target is None else
                    f"{h.non_clinical_vs_target} vs Carter's {NON_CLINICAL_MAX_PCT:g}%")),
        Tile("Backlog maintenance", fmt.gbp(t["backlog_cost_gbp"]),
             detail=f"{backlog.shown} of floor area, at the latest returns"),
        Tile(CARBON.label, carbon.shown, detail=carbon.detail),
        Tile("Community use, hours", fmt.count(t["community_use_hours"]),
             detail=f"Hours the sites were used by the community in {period.label}"),
    )
    sentences = estates.sentences(sites, then_sites, period_label=period.label,
                                  then_label=before.label, then_last=before.last,
                                  place_phrase=place.phrase)

    focus = tuple(place.lad_codes) if place.kind == "lads" else tuple(sel.query(geo.lads_of_sites, orgs))
    lads = source.shapes(geo.lad_shapes_near, focus, id_col="lad_code", props=("lad_name",))
    near = sel.query(geo.lad_shapes_near, focus)
    unplaced = sel.query(estate.unplaced_sites, orgs)

    latest = f"Latest returns in {period.label}."
    notes = [place.describe(), f"Land, floor space and backlog from each site's latest return in "
             f"{period.label}; energy, carbon and community use added up over the period."]
    release = estates.release_table(sites)
    orgs_frame = estates.by_organisation(sites)
    return EstatesView(
        filters=filters, no_returns=None, tiles=tiles, sentences=tuple(sentences), sites=sites,
        lads=lads,
        outline=subset(lads, near.loc[near["in_focus"], "lad_code"]) if place.kind == "lads" else None,
        unplaced=None if unplaced.empty else "; ".join(
            f"{r.site_name} ({r.org_code}, {r.postcode or 'no postcode'})" for r in unplaced.itertuples()),
        release=None if release.empty else Table(
            release, estates.release_table(sites, download=True),
            "Land and buildings that could be released", [place.describe(), latest], "estates-release"),
        organisations=Table(estates.organisation_table(orgs_frame, names),
                            estates.organisation_table(orgs_frame, names, download=True),
                            "Estates by organisation", notes, "estates-orgs"),
        by_site=Table(estates.site_table(sites), estates.site_table(sites, download=True),
                      "Estates by site", notes, "estates-sites"),
        spc=SpcGrid.of(sel, CHARTS, page_key="estates", caption=SPC_CAPTION.format(period=period.label)),
        definitions=(
            ("Place", place.describe() + " A site is in the place when its postcode is."),
            ("Snapshot and flows",
             f"Land, floor space and backlog come from each site's latest return in {period.label} "
             f"(the latest is {quarter_label(sites['snapshot_quarter'].max().date())}); energy, "
             "carbon and community use hours add up every return in the period."),
            (LAND_NOT_DELIVERING.label, LAND_NOT_DELIVERING.definition(sel, land)),
            ("Empty or under-used floor space", EMPTY_OR_UNDERUSED.definition(sel, empty)),
            ("Non-clinical floor space", NON_CLINICAL.definition(sel, non_clinical)),
            ("Backlog maintenance", BACKLOG_PER_M2.definition(sel, backlog)),
            ("Energy and carbon", CARBON.definition(sel, carbon)),
            ("Community use", "Hours the sites were used by community groups, over the period."),
            ("Year-earlier comparison", f"The sites' latest returns in {before.label}."),
        ),
    )
