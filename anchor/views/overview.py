"""The Overview: the board's one-screen answer, as figures a page renders."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from anchor import commitments, disclosure, employment, metrics, narrative, tables
from anchor import formatting as fmt
from anchor.filters import Filters
from anchor.geography.shapes import subset
from anchor.measures import (
    INFLUENCEABLE_DEFINITION,
    LAND_NOT_DELIVERING,
    LM3,
    LOCAL_SHARE_ALL,
    LOCAL_SHARE_INFLUENCEABLE,
    LOCAL_SME_SHARE,
    RESIDENTS_EMPLOYED,
    Figure,
    Selection,
    Source,
    people,
)
from anchor.measures import spend as spend_measures
from anchor.queries import estate, geo, reference

# The tiles, left to right.
TILES = (LOCAL_SHARE_INFLUENCEABLE, LOCAL_SHARE_ALL, LOCAL_SME_SHARE, RESIDENTS_EMPLOYED,
         LAND_NOT_DELIVERING, LM3)

SPC_DEFINITION = (
    "NHS England's Making Data Count: each tile's variation icon reads the quarterly series on "
    "an XmR chart whose limits come from the last five years of quarters to the period's end, "
    "as the pages' charts do by default.")


@dataclass(frozen=True)
class SpendMap:
    """Where the money went: each local authority's share of the basis, on the map."""

    lads: dict  # GeoJSON of the local authorities near the focus
    destinations: pd.DataFrame  # lad_code, lad_name, gbp, share
    focus: dict  # the place's outline
    sites: pd.DataFrame
    largest: pd.DataFrame  # the six largest shares, as the table beside the map shows them
    note: str  # the caption under that table


@dataclass(frozen=True)
class OverviewView:
    filters: Filters
    tiles: tuple[Figure, ...]
    tracked: list  # commitments.Tracked
    trend: pd.DataFrame  # spend_totals by quarter with shares
    by_org: pd.DataFrame  # spend_totals by organisation with shares and chart labels
    share_col: str
    map: SpendMap | None  # None: too little spend is placed to draw it
    map_needs: str | None  # why there is no map
    organisations: pd.DataFrame  # the organisation table, as displayed
    residents_note: str | None
    definitions: list[tuple[str, str]]

    def figure(self, key: str) -> Figure:
        return next(f for f in self.tiles if f.measure.key == key)

    @property
    def has_trend(self) -> bool:
        """Some quarter has a local share to chart, on either basis."""
        return bool(self.trend[["local_share", "influenceable_local_share"]].notna().any(axis=None))

    @property
    def has_org_shares(self) -> bool:
        """Some organisation has a local share to chart, on the chosen basis."""
        return bool(self.by_org[self.share_col].notna().any())


def build(source: Source, filters: Filters) -> OverviewView:
    sel = Selection(source, filters)
    orgs, period, place = filters.orgs, filters.period, filters.place
    tiles = tuple(m.figure(sel) for m in TILES)

    trend = spend_measures.by_quarter(sel, sel.history)
    share_col = "influenceable_local_share" if filters.influenceable else "local_share"
    org_names = sel.query(reference.organisations, filters.footprint_code).set_index("org_code")["name"]
    by_org = metrics.add_spend_shares(spend_measures.totals(sel, period, ("org",)))
    by_org["organisation"] = by_org["org_code"].map(
        lambda c: f"{c} · {fmt.short_org_name(org_names.get(c, c))}")
    by_org["label"] = [fmt.pct(v) if v == v else narrative.NOT_YET_KNOWN for v in by_org[share_col]]

    basis_now = (LOCAL_SHARE_INFLUENCEABLE if filters.influenceable else LOCAL_SHARE_ALL)
    basis_now = next(f for f in tiles if f.measure is basis_now).now.basis
    spend_map, needs = None, None
    if basis_now.is_known or not basis_now.spend_gbp:
        spend_map = _spend_map(sel, basis_now)
    else:  # a map of the few placed pounds would read as spend going nowhere near the place
        needs = (f"The map needs supplier locations: "
                 f"{narrative.known_for(basis_now.placed_gbp, basis_now.coverage).lower()} of "
                 f"{fmt.gbp(basis_now.spend_gbp)} {filters.basis}, and it needs "
                 f"{narrative.share_needed()}. " + narrative.PLACING_SUPPLIERS)

    residents = people.residents(sel, period)
    land_by_org = sel.query(estate.estate_totals, orgs, period.first, period.last, place, ("org",))
    organisations = tables.organisation_summary(
        by_org, residents[residents["org_code"] != employment.ALL], land_by_org, org_names.to_dict())
    residents_note = (employment.NOTE_MD if residents[["headcount", "local_headcount"]].isna()
                      .any(axis=None) else None)

    now = {f.measure.key: f.now for f in tiles}
    definitions = [
        ("Place", place.describe()),
        ("Local spend share", LOCAL_SHARE_ALL.definition(sel, now[LOCAL_SHARE_ALL.key])),
        ("Influenceable spend", INFLUENCEABLE_DEFINITION),
        ("Local SMEs", LOCAL_SME_SHARE.definition(sel, now[LOCAL_SME_SHARE.key])),
        ("Residents employed", RESIDENTS_EMPLOYED.definition(sel, now[RESIDENTS_EMPLOYED.key])),
        ("Disclosure control", disclosure.RULE),
        ("Land not delivering services",
         LAND_NOT_DELIVERING.definition(sel, now[LAND_NOT_DELIVERING.key])),
        sel.year_earlier,
        ("SPC icons", SPC_DEFINITION),
        ("Commitments", commitments.DEFINITION),
    ]
    tracked = commitments.tracked_for(
        sel.query, footprint_code=filters.footprint_code, footprint_name=filters.footprint_name,
        orgs=orgs, place=place, last=period.last)
    return OverviewView(
        filters=filters, tiles=tiles, tracked=tracked, trend=trend,
        by_org=by_org, share_col=share_col, map=spend_map, map_needs=needs,
        organisations=organisations, residents_note=residents_note, definitions=definitions)


def _spend_map(sel: Selection, basis_now: metrics.SpendShare) -> SpendMap:
    filters, place = sel.filters, sel.place
    focus = list(place.lad_codes) if place.kind == "lads" else sel.query(geo.lads_of_sites, sel.orgs)
    near = sel.query(geo.lad_shapes_near, tuple(focus))
    lads_fc = sel.source.shapes(geo.lad_shapes_near, tuple(focus), id_col="lad_code",
                                props=("lad_name",))
    dest = metrics.destination_shares(spend_measures.totals(sel, sel.period, ("lad",)), near,
                                      influenceable=filters.influenceable)
    top = dest.sort_values("share", ascending=False).head(6)
    largest = (top.assign(Share=top["share"].map(fmt.pct), Spend=top["gbp"].map(fmt.gbp))
               .rename(columns={"lad_name": "Local authority"})[["Local authority", "Spend", "Share"]])
    note = ("Shaded by the share of the period's spend paid to suppliers based in each local "
            "authority; the place is outlined in blue; orange dots are sites."
            + (f" {fmt.gbp(basis_now.unplaced_gbp)} ({fmt.pct(basis_now.unplaced_share)}) went "
               "to suppliers whose location is not known, on no local authority."
               if basis_now.unplaced_gbp else ""))
    return SpendMap(lads_fc, dest, subset(lads_fc, near.loc[near["in_focus"], "lad_code"]),
                    sel.query(geo.site_points, sel.orgs), largest, note)
