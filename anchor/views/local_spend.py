"""Local spend: how much stays in the place and how that is changing, where the money goes,
what leaves the place, the largest suppliers, prompt payment and buying together, as figures a
page renders (pages/local_spend.py).

`build` works out everything the page shows for the sidebar's choices. The parts that follow
one of the page's own controls (points by month or quarter, the chart window, the map's areas,
the saving assumed) come from a method of the view for the control's value, read through the
same selection, so each query is still asked once."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from anchor import charts, commitments, metrics, narrative, spc, tables
from anchor import formatting as fmt
from anchor.config import BPPC_DAYS, BPPC_TARGET_PCT
from anchor.filters import Filters
from anchor.geography.shapes import subset
from anchor.measures import (
    INFLUENCEABLE_DEFINITION,
    LOCAL_SHARE_ALL,
    LOCAL_SHARE_INFLUENCEABLE,
    Figure,
    Reading,
    Selection,
    Source,
)
from anchor.measures import spend as spend_measures
from anchor.metrics import series_until
from anchor.periods import month_label, quarter_label
from anchor.queries import geo, reference, spend

MAP_SUPPLIERS = 100  # the largest local suppliers drawn on the map
ON_TIME = f"Invoices paid within {BPPC_DAYS} days"

TREND_NEEDS = ("The trend needs at least two quarters of spend whose suppliers are placed (at "
               f"least {narrative.share_needed()} of each quarter's spend). "
               + narrative.PLACING_SUPPLIERS)
LEAKAGE_NEEDS = ("Leakage needs supplier locations, as the local share does: spend whose "
                 "supplier is not placed is not known to leave the place.")
SPC_DEFINITION = (
    "Quarterly local share on an XmR chart (NHS England, Making Data Count): the mean, process "
    "limits at the mean ± 2.66 × the mean moving range, and special causes (a point outside "
    "the limits, 7 in a row on one side of the mean, 7 rising or falling, 2 of 3 in a row "
    "beyond two sigma, all on one side of the mean). Limits from fewer than 12 quarters are "
    "provisional. Higher is better. The limits come from the quarters shown: the last 3 or 5 "
    "years up to the period, or every quarter held.")
LEAKAGE_DEFINITION = ("In-scope spend with suppliers outside the place, by category and by the "
                      "local authority the supplier is based in.")
FLAGS_DEFINITION = ("Spend with suppliers flagged in the supplier register as small or medium "
                    "enterprises, or as voluntary, community and social enterprise organisations.")


@dataclass(frozen=True)
class Tile:
    """A headline tile as this page heads it, showing a measure's figure (its value, change on
    a year earlier and line) or the reading of a figure no measure specifies."""

    label: str
    shows: Figure | Reading


@dataclass(frozen=True)
class Download:
    """A table as its CSV and Excel files hold it, their title and the Excel file's notes."""

    frame: pd.DataFrame
    title: str
    notes: list[str] | None = None


@dataclass(frozen=True)
class Table:
    """A table as shown on screen, and as it downloads."""

    shown: pd.DataFrame
    download: Download


@dataclass(frozen=True)
class Trend:
    """The local share over time, a point a month of payment or a quarter."""

    series: pd.DataFrame  # spend_totals by month_start (with its quarter_start) or quarter_start
    share_col: str  # the series' local share on the sidebar's basis
    spc: spc.SpcResult | None  # None: fewer than two points are known
    y_title: str
    caption: str  # how many points
    needs: str | None  # why there is no chart
    unused: list[str]  # the change points a phase could not use, in words


@dataclass(frozen=True)
class SpendMaps:
    """The share of the spend by where suppliers are based, and the largest local suppliers."""

    areas: dict  # GeoJSON of the areas shaded: local authorities or neighbourhoods (LSOAs)
    destinations: pd.DataFrame  # id_col, label_col, gbp, share
    id_col: str
    label_col: str
    hover: list[str]
    colorbar_title: str
    lads: dict  # GeoJSON of the local authorities near the focus, drawn grey beneath
    focus: dict  # the place's outline
    sites: pd.DataFrame
    suppliers: pd.DataFrame  # the largest local suppliers with a location (lat, lon)
    size_col: str
    supplier_hover: list[str]
    suppliers_title: str
    unplaced_note: str | None  # the spend on no map


@dataclass(frozen=True)
class Leakage:
    """Spend known to leave the place, by category and by where it went."""

    categories: pd.DataFrame | None  # the ten categories with most; None: not known (`needs`)
    destinations: pd.DataFrame | None  # the local authorities it went to, as displayed
    axis_title: str
    note: str | None  # the unplaced spend left out
    needs: str | None
    download: Download  # every category


@dataclass(frozen=True)
class Savings:
    sentence_md: str  # Markdown: its saving in bold
    categories: Table


@dataclass(frozen=True)
class LocalSpendView:
    filters: Filters
    local_share: Figure  # on the sidebar's basis (LOCAL_SHARE_INFLUENCEABLE or LOCAL_SHARE_ALL)
    tiles: tuple[Tile, ...]
    sentence: str
    tracked: list  # commitments.Tracked
    map_needs: str | None  # why there are no maps; None: `maps` draws them
    leakage: Leakage
    suppliers: Table
    payments: pd.DataFrame  # prompt payment by supplier segment, as displayed
    shared_sentence: str | None  # suppliers paid by two or more organisations; None: one chosen
    shared_suppliers: Table | None
    definitions: list[tuple[str, str]]
    selection: Selection = field(repr=False, compare=False)

    def trend(self, *, monthly: bool, window: int | None) -> Trend:
        """The local share by month of payment (`monthly`) or quarter, over the last `window`
        quarters to the period's end (every one held when None)."""
        sel, infl = self.selection, self.filters.influenceable
        if monthly:  # the spend summary keeps no month of payment: the lines give it
            h = sel.history
            t = metrics.with_quarters(metrics.add_spend_shares(sel.query(
                spend.spend_totals, sel.orgs, h.first, h.last, sel.place, ("month",))))
            t = t[t["spend_gbp"] != 0]
        else:
            t = spend_measures.by_quarter(sel, sel.history)
        t = series_until(t, sel.period.last, window)
        points = t["month_start"] if monthly else t["quarter_start"]
        share_col = "influenceable_local_share" if infl else "local_share"
        phases, unused = sel.phases(points, t[share_col], self.local_share.measure.change_point)
        result = None
        if t[share_col].notna().sum() >= 2:
            label = month_label if monthly else quarter_label
            result = spc.xmr(t[share_col], [label(p) for p in points], improvement="up",
                             phases=phases)
        unit = "month" if monthly else "quarter"
        caption = (f"One point a {'month (of payment)' if monthly else 'quarter'}: "
                   f"{len(t)} {unit}{'s' if len(t) != 1 else ''}.")
        return Trend(t, share_col, result, f"Local share of {self.filters.basis}", caption,
                     TREND_NEEDS if result is None else None, unused)

    def maps(self, *, neighbourhoods: bool) -> SpendMaps:
        """The maps, shaded by local authority or by neighbourhood (LSOA) of the focus."""
        sel, infl, basis = self.selection, self.filters.influenceable, self.filters.basis
        place = sel.place
        focus = tuple(place.lad_codes if place.kind == "lads"
                      else sel.query(geo.lads_of_sites, sel.orgs))
        near = sel.query(geo.lad_shapes_near, focus)
        lads = sel.source.shapes(geo.lad_shapes_near, focus, id_col="lad_code",
                                 props=("lad_name",))
        if neighbourhoods:
            key, name = "lsoa_code", "lsoa_name"
            areas = sel.source.shapes(geo.lsoa_shapes, focus, id_col=key, props=(name,))
            dest = metrics.destination_shares(
                spend_measures.totals(sel, sel.period, ("lsoa",)),
                sel.query(geo.lsoa_shapes, focus), influenceable=infl, key=key, name=name)
        else:
            key, name, areas = "lad_code", "lad_name", lads
            dest = metrics.destination_shares(spend_measures.totals(sel, sel.period, ("lad",)),
                                              near, influenceable=infl)
        value_col = "influenceable_gbp" if infl else "spend_gbp"
        suppliers = _suppliers(sel)
        local = (suppliers[suppliers["is_local"] & (suppliers[value_col] > 0)]
                 .dropna(subset=["lat"]).nlargest(MAP_SUPPLIERS, value_col))
        share = self.local_share.now.basis
        return SpendMaps(
            areas=areas, destinations=dest, id_col=key, label_col=name,
            hover=[f"{fmt.gbp(g)} · {fmt.pct(v)} of {basis}"
                   for g, v in zip(dest["gbp"], dest["share"])],
            colorbar_title=f"Share of {basis}", lads=lads,
            focus=subset(lads, near.loc[near["in_focus"], "lad_code"]),
            sites=sel.query(geo.site_points, sel.orgs), suppliers=local, size_col=value_col,
            supplier_hover=[charts.plotly_text(f"{fmt.gbp(v)} · {c}")
                            for v, c in zip(local[value_col], local["main_category"])],
            suppliers_title=f"The {MAP_SUPPLIERS} largest local suppliers, sized by {basis}",
            unplaced_note=(f"{fmt.gbp(share.unplaced_gbp)} ({fmt.pct(share.unplaced_share)}) of "
                           f"the {basis} went to suppliers whose location is not known, on no "
                           "map." if share.unplaced_gbp else None))

    def payment_spc(self, window: int | None) -> spc.SpcResult | None:
        """Each quarter's invoices paid on time against the target, over the last `window`
        quarters to the period's end; None with fewer than two quarters of invoices."""
        sel, h = self.selection, self.selection.history
        by_quarter = tables.bppc_series(sel.query(spend.prompt_payment, sel.orgs, h.first, h.last,
                                                  sel.place, ("quarter",)))
        series = series_until(by_quarter, sel.period.last, window)
        if len(series) < 2:
            return None
        return spc.xmr(series["by_number"], [quarter_label(q) for q in series["quarter_start"]],
                       improvement="up", target=BPPC_TARGET_PCT / 100)

    def savings(self, saving_pct: float) -> Savings:
        """The categories bought by two or more of the organisations, and what a saving of
        `saving_pct`% of their combined spend would be worth."""
        sel, f = self.selection, self.filters
        cats = tables.shared_category_savings(
            sel.query(spend.shared_categories, sel.orgs, sel.period.first, sel.period.last,
                      sel.place), f.influenceable, saving_pct / 100)
        combined = cats["Combined spend (£)"].sum()
        label = f.period.label
        return Savings(
            f"Categories bought by two or more of the organisations: {fmt.gbp(combined)} of "
            f"{f.basis} between them; a {saving_pct:g}% saving would be worth "
            f"**{fmt.gbp(combined * saving_pct / 100)}**.",
            Table(tables.for_display(cats), Download(
                cats, f"Categories bought together {label}",
                [f"Saving assumed: {saving_pct:g}% of combined spend."])))


def build(source: Source, filters: Filters) -> LocalSpendView:
    sel = Selection(source, filters)
    period, place, infl, basis = filters.period, filters.place, filters.influenceable, filters.basis
    measure = LOCAL_SHARE_INFLUENCEABLE if infl else LOCAL_SHARE_ALL
    local_share = measure.figure(sel)
    share = local_share.now.basis
    now = spend_measures.totals(sel, period).iloc[0]  # the row the local share was read from
    pay = sel.query(spend.prompt_payment, sel.orgs, period.first, period.last, place)
    bppc = metrics.bppc(pay)
    tiles = (Tile("Local share", local_share),
             Tile("Paid to SMEs", _flagged(metrics.flagged_share(now, "sme", influenceable=infl),
                                           "SME", basis)),
             Tile("Paid to the voluntary sector",
                  _flagged(metrics.flagged_share(now, "vcse", influenceable=infl), "VCSE", basis)),
             Tile(ON_TIME, _on_time(pay, bppc, share)))

    map_needs = None
    if not _placed_enough(share):  # a map of the few placed pounds would mislead
        map_needs = (f"The maps need supplier locations: "
                     f"{narrative.known_for(share.placed_gbp, share.coverage).lower()} of "
                     f"{fmt.gbp(share.spend_gbp)} {basis}, and they need "
                     f"{narrative.share_needed()}. " + narrative.PLACING_SUPPLIERS)

    suppliers = tables.supplier_table(_suppliers(sel), infl)
    shared_sentence = shared = None
    if len(filters.orgs) > 1:
        collab = tables.shared_suppliers(_suppliers(sel), infl)
        shared_sentence = (
            f"{fmt.count(len(collab))} supplier{' was' if len(collab) == 1 else 's were'} "
            "paid by two or more of the organisations "
            f"in {period.label}, for {fmt.gbp(collab['Combined spend (£)'].sum())} of {basis} "
            "between them: the starting point for buying together.")
        shared = Table(tables.for_display(collab.head(15)),
                       Download(collab, f"Suppliers shared across the footprint {period.label}"))

    definitions = [
        ("Place", place.describe()),
        ("Local share", measure.definition(sel, local_share.now)),
        ("Influenceable spend", INFLUENCEABLE_DEFINITION),
        ("Trend and SPC", SPC_DEFINITION),
        ("Commitments", commitments.DEFINITION),
        ("Leakage", LEAKAGE_DEFINITION),
        ("SME and VCSE", FLAGS_DEFINITION),
        ("Prompt payment", f"Better Payment Practice Code: invoices paid within {BPPC_DAYS} days "
         f"of their invoice date, by number and by value; the NHS target is "
         f"{BPPC_TARGET_PCT:g}%. Credit notes are left out; lines without an invoice date cannot "
         f"be judged ({fmt.count(bppc['undated'])} in this period)."),
        ("Buying together", "Suppliers and categories paid by two or more of the selected "
         f"organisations in the period, with what they were paid between them ({basis})."),
        sel.year_earlier,
    ]
    tracked = commitments.tracked_for(
        sel.query, footprint_code=filters.footprint_code, footprint_name=filters.footprint_name,
        orgs=filters.orgs, place=place, last=period.last)
    return LocalSpendView(
        filters=filters, local_share=local_share, tiles=tiles, sentence=local_share.sentence,
        tracked=tracked, map_needs=map_needs, leakage=_leakage(sel, share),
        suppliers=Table(tables.for_display(suppliers.head(25)), Download(
            suppliers, f"Suppliers {period.label}", [place.describe(), f"Period: {period.label}."])),
        payments=tables.bppc_table(pay), shared_sentence=shared_sentence,
        shared_suppliers=shared, definitions=definitions, selection=sel)


def _placed_enough(share: metrics.SpendShare) -> bool:
    """Whether enough of the spend is placed to say where it went (or there is none)."""
    return share.is_known or not share.spend_gbp


def _suppliers(sel: Selection) -> pd.DataFrame:
    return sel.query(spend.supplier_summary, sel.orgs, sel.period.first, sel.period.last,
                     sel.place)


def _flagged(s: metrics.FlaggedShare, flag: str, basis: str) -> Reading:
    shown, detail = narrative.flagged_share_tile(s, flag, basis)
    return Reading(s.share, shown, detail, s)


def _on_time(pay: pd.DataFrame, bppc: dict, share: metrics.SpendShare) -> Reading:
    """Invoices paid on time, all and split between local SMEs and other suppliers; not known
    when there is spend but no invoice dates to judge it by."""
    if bppc["by_number"] is None and share.spend_gbp:
        return Reading(None, narrative.NOT_YET_KNOWN,
                       f"Target {BPPC_TARGET_PCT:g}%. Needs each invoice's date and its payment "
                       "date; the spend loaded gives no invoice dates", bppc)
    local = metrics.bppc(pay[pay["segment"] == "Local SMEs"])
    rest = metrics.bppc(pay[pay["segment"] == "Other suppliers"])
    return Reading(bppc["by_number"], fmt.pct(bppc["by_number"]),
                   f"Target {BPPC_TARGET_PCT:g}%. Local SMEs: {fmt.pct(local['by_number'])}; "
                   f"others: {fmt.pct(rest['by_number'])}", bppc)


def _leakage(sel: Selection, share: metrics.SpendShare) -> Leakage:
    infl, period, basis = sel.filters.influenceable, sel.period, sel.filters.basis
    by_cat = tables.leakage_by_category(spend_measures.totals(sel, period, ("category",)), infl)
    download = Download(tables.leakage_table(by_cat), f"Leakage by category {period.label}",
                        [sel.place.describe(), f"Basis: {basis}.", f"Period: {period.label}."])
    axis_title = f"Non-local {basis}"
    if not _placed_enough(share):
        return Leakage(None, None, axis_title, None, LEAKAGE_NEEDS, download)
    destinations = tables.leakage_by_destination(spend_measures.totals(sel, period, ("lad",)),
                                                 sel.query(reference.lads), infl)
    note = (f"Leaving out {fmt.gbp(share.unplaced_gbp)} paid to suppliers whose location is not "
            "known: it is not known to leave the place." if share.unplaced_gbp else None)
    return Leakage(by_cat.head(10), destinations.head(12), axis_title, note, None, download)
