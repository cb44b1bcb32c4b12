"""The Local suppliers page: the directory of what local businesses can supply (the "virtual
hospital"), and the opportunities where the footprint's spend leaves the place."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from anchor import charts, tables
from anchor import formatting as fmt
from anchor.charts import NHS_BLUE, NHS_MID_GREY
from anchor.filters import Filters
from anchor.geography.shapes import subset
from anchor.measures import Selection, Source
from anchor.queries import directory, geo
from anchor.views.parts import Table, Tile

APPROVED, NOT_APPROVED = "Approved for health-sector supply", "Not yet approved"
# The map's groups, each with its colour.
GROUPS = {APPROVED: NHS_BLUE, NOT_APPROVED: NHS_MID_GREY}
# The columns of the table of businesses that could supply a chosen category.
ABLE_COLUMNS = ["Business", "Based in", "Health-sector approved", "Already a supplier"]
NO_OPPORTUNITIES = ("No category has both spend outside the place and a local business that "
                    "supplies it.")
SHOWCASE_NOTE = ("For a main contractor, a new hospital's developer or a buyer: every category, "
                 "with the local businesses that supply it. Approved suppliers are listed first.")
DIRECTORY_DEFINITION = (
    "Local businesses, with what they can supply (spend categories), whether they are small "
    "firms or voluntary organisations, and whether they are approved for health-sector supply or "
    "on a framework. Analysts keep it up to date by loading it as a file.")


@dataclass(frozen=True)
class BusinessMap:
    """Where the directory's businesses are, coloured by approval, over the place's area."""

    points: pd.DataFrame  # the businesses, with `group` (APPROVED or NOT_APPROVED)
    hover_text: list[str]  # Plotly-safe: postcode · categories
    lads: dict  # GeoJSON of the local authorities near the focus
    focus: dict  # the place's outline


@dataclass(frozen=True)
class Showcase:
    """One category of 'What our place can supply'."""

    title_md: str  # Markdown, the category's name escaped
    table: pd.DataFrame  # its businesses, approved first


@dataclass(frozen=True)
class SuppliersView:
    filters: Filters
    empty_md: str | None  # no business in the place: the page says so and offers the upload
    businesses: pd.DataFrame
    tiles: tuple[Tile, ...] = ()
    chart: pd.DataFrame | None = None  # the ten largest opportunities, with each bar's label
    opportunities: Table | None = None  # None: no opportunity
    map: BusinessMap | None = None
    showcase: list[Showcase] = field(default_factory=list)
    directory: Table | None = None
    definitions: list[tuple[str, str]] = field(default_factory=list)

    @property
    def categories(self) -> list[str]:
        """The opportunities' categories, largest first."""
        return [] if self.opportunities is None else list(self.opportunities.download["Category"])

    def able(self, category: str) -> pd.DataFrame:
        """The directory's businesses that can supply `category`, as the page lists them."""
        able = self.businesses[self.businesses["categories"].map(lambda cs: category in cs)]
        return tables.directory_table(able)[ABLE_COLUMNS]


def build(source: Source, filters: Filters) -> SuppliersView:
    sel = Selection(source, filters)
    orgs, period, place = filters.orgs, filters.period, filters.place
    businesses = sel.query(directory.directory, orgs, place)
    if businesses.empty:
        return SuppliersView(filters, (
            f"The directory has no businesses {fmt.md_text(place.phrase)}. Load one below, or "
            "choose another place in the sidebar."), businesses)
    opps = sel.query(directory.opportunities, orgs, period.first, period.last, place)
    approved = businesses["health_approved"].fillna(False)
    tiles = (
        Tile("Local businesses in the directory", fmt.count(len(businesses)),
             f"{fmt.count(businesses['is_supplier'].sum())} already supply the organisations"),
        Tile("Approved for health-sector supply", fmt.count(approved.sum()),
             "Ready to bid for NHS contracts"),
        Tile("Categories they cover", fmt.count(businesses["categories"].explode().nunique())),
        Tile("Spend they could win", fmt.gbp(opps["non_local_gbp"].sum()),
             f"Influenceable spend outside the place in {period.label}, in categories local "
             "businesses supply"),
    )
    chart, opportunities = None, None
    if not opps.empty:
        # Each bar carries its value; its category says how many local businesses could
        # supply it, on a second line (Plotly text, escaped), so no label runs off the chart.
        top = opps.head(10)
        chart = top.assign(
            label=top["non_local_gbp"].map(fmt.gbp),
            bar=[f"{charts.plotly_text(c)}<br>{n} local business{'es' if n != 1 else ''}"
                 for c, n in zip(top["category"], top["businesses"])])
        opp_table = tables.opportunities_table(opps)
        opportunities = Table(tables.for_display(opp_table), opp_table,
                              f"Opportunities {period.label}",
                              [place.describe(), f"Period: {period.label}."])
    showcase = []
    for category, group in tables.showcase(businesses):
        n_approved = int(group["health_approved"].fillna(False).sum())
        showcase.append(Showcase(
            f"{fmt.md_text(category)}: {len(group)} businesses, {n_approved} health-sector "
            "approved", tables.directory_table(group).drop(columns=["Can supply"])))
    listed = tables.directory_table(businesses)
    return SuppliersView(
        filters=filters, empty_md=None, businesses=businesses, tiles=tiles, chart=chart,
        opportunities=opportunities, map=_map(sel, businesses), showcase=showcase,
        directory=Table(listed, listed, "What our place can supply",
                        [place.describe(), "Source: the local supplier directory."]),
        definitions=[
            ("Place", place.describe()),
            ("Directory", DIRECTORY_DEFINITION),
            ("Opportunities", f"Influenceable spend in {period.label} with suppliers outside "
             "the place, in categories at least one business in the directory can supply, "
             "largest first."),
        ])


def _map(sel: Selection, businesses: pd.DataFrame) -> BusinessMap:
    place = sel.place
    focus = list(place.lad_codes) if place.kind == "lads" else sel.query(geo.lads_of_sites, sel.orgs)
    lads = sel.source.shapes(geo.lad_shapes_near, tuple(focus), id_col="lad_code",
                             props=("lad_name",))
    near = sel.query(geo.lad_shapes_near, tuple(focus))
    points = businesses.assign(group=businesses["health_approved"].map(
        {True: APPROVED, False: NOT_APPROVED}).fillna(NOT_APPROVED))
    hover = [charts.plotly_text(f"{pc} · {'; '.join(cs)}")
             for pc, cs in zip(points["postcode"], points["categories"])]
    return BusinessMap(points, hover, lads, subset(lads, near.loc[near["in_focus"], "lad_code"]))
