"""Local employment: where staff live, who they are and the pay they take home into the place,
as figures a page renders. Every count of 1 to 4 people is withheld (anchor/disclosure.py)."""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from anchor import disclosure, employment
from anchor import formatting as fmt
from anchor.config import APPRENTICESHIP_TARGET_PCT
from anchor.filters import Filters
from anchor.geography.shapes import subset
from anchor.measures import RESIDENTS_EMPLOYED, Selection, Source, people
from anchor.measures.people import APPRENTICESHIP_STARTS, BELOW_LIVING_WAGE, STARTERS_DEPRIVED_20
from anchor.periods import quarter_label
from anchor.queries import geo, reference, workforce
from anchor.views.parts import Chart, SpcGrid, Table, Tile

CHARTS = (
    Chart(RESIDENTS_EMPLOYED, "residents_share",
          "Residents employed: share of staff living in the place", "pct",
          "Staff living in the place at the end of each quarter ÷ all staff."),
    Chart(STARTERS_DEPRIVED_20, "starters_deprived_20_share",
          "New starters from the most deprived 20%", "pct",
          "Starters in the quarter whose home LSOA is in IMD deciles 1 or 2 ÷ starters whose home "
          "has a decile."),
    Chart(APPRENTICESHIP_STARTS, "apprenticeship_rate",
          "Apprenticeship starts, 12 months, % of staff", "pct",
          "Apprenticeship starts in the four quarters to each quarter ÷ headcount at its end; "
          f"public-sector target {APPRENTICESHIP_TARGET_PCT:g}%."),
    Chart(BELOW_LIVING_WAGE, "below_living_wage_shown", "Staff paid below the Real Living Wage",
          "count", "Staff at the end of each quarter paid below the Real Living Wage; target 0."),
)
SPC_CAPTION = ("Statistical process control (Making Data Count XmR charts) up to {period}: the "
               "mean and process limits (mean ± 2.66 × the mean moving range); blue points are "
               "special cause improving, orange concerning.")
MAP_CAPTION = ("Each neighbourhood (LSOA) is shaded by the share of all the organisations' staff "
               "who live there. Grey: not shown, to protect a count of 1 to 4 staff. The place is "
               "outlined in blue; orange dots are sites.")


@dataclass(frozen=True)
class StaffMap:
    """Where staff live: the figure's inputs (`employment.staff_home_map`), or a message."""

    lsoas: dict  # GeoJSON of the LSOAs shaded
    values: pd.DataFrame  # employment.lsoa_values
    lads: dict  # GeoJSON of the local authorities around
    outline: dict | None  # the place's outline, when it is local authorities
    sites: pd.DataFrame
    none_live_here: str | None  # said instead of the map when no staff live in the place


@dataclass(frozen=True)
class EmploymentView:
    filters: Filters
    no_returns: str | None  # said instead of the page when there are no workforce returns
    tiles: tuple[Tile, ...] = ()
    sentences: tuple[str, ...] = ()
    snapshot: str = ""
    staff_map: StaffMap | None = None
    lads: Table | None = None
    residents: Table | None = None
    deprivation_profile: pd.DataFrame | None = None  # employment.decile_profile
    deprivation: Table | None = None
    apprenticeships: Table | None = None
    synthetic: bool = False
    spc: SpcGrid | None = None
    definitions: tuple[tuple[str, str], ...] = ()


def build(source: Source, filters: Filters) -> EmploymentView:
    sel = Selection(source, filters)
    orgs, place, period = filters.orgs, filters.place, filters.period
    by_org = people.staff(sel, period, ("org",))
    if by_org.empty:
        return EmploymentView(filters, f"No workforce returns for {', '.join(orgs)} in {period.label}. "
                              "Choose another period or organisation, or load the workforce data.")
    names = sel.query(reference.organisations, filters.footprint_code).set_index("org_code")["name"].to_dict()
    protected = people.protected(sel, period)
    h = employment.headlines(protected)
    then = people.staff(sel, sel.before).iloc[0]
    then_local = int(then["local_headcount"]) if int(then["headcount"]) else None
    snapshot = quarter_label(by_org["snapshot_quarter"].max().date())
    imd_source, synthetic = sel.query(workforce.deprivation_source)

    residents = RESIDENTS_EMPLOYED.read(sel, period)
    starters = STARTERS_DEPRIVED_20.read(sel, period)
    apprentices = APPRENTICESHIP_STARTS.read(sel, period)
    below = BELOW_LIVING_WAGE.read(sel, period)
    tiles = (
        Tile("Residents employed", residents.shown, delta=employment.change_text(
                 h["local_headcount"], then_local),
             detail=(f"{employment.text_pct(h['residents_share'])} of {h.count('headcount')} staff; "
                     f"{employment.text_number(h['local_fte'])} of "
                     f"{employment.text_number(h['fte'])} FTE, end of {snapshot}")),
        Tile("Pay into the place", employment.text_gbp(h["local_gross_pay_gbp"]),
             detail=(f"{employment.text_pct(h['local_pay_share'])} of "
                     f"{employment.text_gbp(h['gross_pay_gbp'])} gross pay in {period.label}")),
        Tile(APPRENTICESHIP_STARTS.label, apprentices.shown,
             delta=people.apprenticeships_vs_target(apprentices), detail=apprentices.detail),
        Tile("Staff, most deprived 20%", employment.text_pct(h["staff_deprived_20_share"]),
             detail=(f"of staff live in the most deprived 20% of neighbourhoods; 10%: "
                     f"{employment.text_pct(h['staff_deprived_10_share'])}.{people.deciles_note(sel)}")),
        Tile(STARTERS_DEPRIVED_20.label, starters.shown, detail=starters.detail),
        Tile(BELOW_LIVING_WAGE.label, below.shown, detail=below.detail, delta_color="off"),
    )
    sentences = employment.sentences(h, period_label=period.label, snapshot_label=snapshot,
                                     who=sel.who, place_phrase=place.phrase,
                                     then_local_headcount=then_local, synthetic=synthetic)

    staff_map, lads = _where_staff_live(sel, int(by_org["headcount"].sum()), snapshot)
    table_notes = [place.describe(), f"Period: {period.label}. Headcount and FTE at the end of "
                   f"{snapshot}; pay and starters over the period.", disclosure.NOTE]
    deciles = f"Deprivation deciles: {imd_source or 'none loaded'}."

    def org_table(make, title, key, notes):
        return Table(fmt.md_table(make(protected, names)), make(protected, names, download=True),
                     title, notes, key)

    charts = tuple(replace(c, note=c.note + " Synthetic demo deciles.")
                   if c.measure is STARTERS_DEPRIVED_20 and synthetic else c for c in CHARTS)
    return EmploymentView(
        filters=filters, no_returns=None, tiles=tiles, sentences=tuple(sentences),
        snapshot=snapshot, staff_map=staff_map, lads=lads,
        residents=org_table(employment.residents_table, "Residents employed and pay into the place",
                            "employment-residents", table_notes),
        deprivation_profile=employment.decile_profile(
            sel.query(workforce.deprivation_by_org, orgs, period.first, period.last)),
        deprivation=org_table(employment.deprivation_table, "Deprivation profile by organisation",
                              "employment-deprivation", table_notes + [deciles]
                              + ([employment.SYNTHETIC_NOTE] if synthetic else [])),
        apprenticeships=org_table(
            employment.apprenticeship_table, "Apprenticeships and the Real Living Wage by organisation",
            "employment-apprenticeships",
            table_notes + [f"Apprenticeship starts in the 12 months to {snapshot}; public-sector "
                           f"target {APPRENTICESHIP_TARGET_PCT:g}% of headcount."]),
        synthetic=synthetic,
        spc=SpcGrid.of(sel, charts, page_key="employment", caption=SPC_CAPTION.format(period=period.label),
                       empty="Too few quarters to chart (a quarter resting on 1 to 4 people is left out).",
                       count_left_out=True),
        definitions=(
            ("Place", place.describe()),
            ("Residents employed", people.residents_definition(sel, residents, with_fte=True)),
            ("Pay into the place",
             f"Gross pay paid in {period.label} to staff whose home LSOA lies in the place, added up "
             "over the period's quarters, as a share of all gross pay."),
            ("Deprivation profile", STARTERS_DEPRIVED_20.definition(sel, starters)),
            ("Apprenticeship starts", APPRENTICESHIP_STARTS.definition(sel, apprentices)),
            ("Below the Real Living Wage", BELOW_LIVING_WAGE.definition(sel, below)),
            ("Disclosure control", disclosure.RULE),
            ("Year-earlier comparison", f"Residents employed in {sel.before.label}."),
        ),
    )


def _where_staff_live(sel: Selection, total_staff: int, snapshot: str) -> tuple[StaffMap, Table]:
    orgs, place, period = sel.orgs, sel.place, sel.period
    by_lsoa = sel.query(workforce.staff_by_home_lsoa, orgs, period.first, period.last, place)
    lads = employment.residents_by_lad(by_lsoa, total_staff)
    values = employment.lsoa_values(
        by_lsoa, total_staff, withheld_lads=lads.loc[lads["local_headcount"].isna(), "lad_code"])
    if place.kind == "lads":
        lsoa_lads = focus = tuple(place.lad_codes)
    else:
        lsoa_lads = tuple(sorted(values["lad_code"].unique()))
        focus = tuple(sorted(set(sel.query(geo.lads_of_sites, orgs)) | set(lsoa_lads)))
    lads_fc = sel.source.shapes(geo.lad_shapes_near, focus, id_col="lad_code", props=("lad_name",))
    near = sel.query(geo.lad_shapes_near, focus)
    outline = subset(lads_fc, near.loc[near["in_focus"], "lad_code"]) if place.kind == "lads" else None
    staff_map = StaffMap(
        sel.source.shapes(geo.lsoa_shapes, lsoa_lads, id_col="lsoa_code", props=("lsoa_name",)),
        values, lads_fc, outline, sel.query(geo.site_points, orgs),
        f"None of the organisations' staff live {place.phrase}." if values.empty else None)
    table = Table(fmt.md_table(employment.lad_table(lads)), employment.lad_table(lads, download=True),
                  "Residents employed by local authority",
                  [place.describe(), f"Staff at the end of {snapshot}.", disclosure.NOTE],
                  "employment-lads", height=460 if len(lads) > 12 else "content")
    return staff_map, table
