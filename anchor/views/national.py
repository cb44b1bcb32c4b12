"""The National comparison page: every organisation's local share of spend, each in its own
footprint's home place, ranked against every other, with the chosen footprint's organisations
highlighted."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from anchor import formatting as fmt
from anchor import narrative
from anchor.filters import Filters
from anchor.measures import Selection, Source
from anchor.national import comparison_table, ranked
from anchor.queries import national
from anchor.views.parts import Table, Tile

LOCAL_NOTE = "Local means in the home local authorities of each organisation's own footprint."
DEFINITIONS = [
    ("Local", "For each organisation, its own footprint's home local authorities: the place "
     "the sidebar opens on for that footprint. A footprint with no home local authorities "
     "gives its organisations no local share."),
    ("Local spend share", "Spend paid to suppliers based in the place, as a share of the spend "
     f"whose supplier location is known; not yet known when less than "
     f"{narrative.share_needed()} of the spend is placed."),
    ("Rank", "Among the organisations whose share is known, 1 the highest; organisations with "
     "the same share share the better rank."),
    ("Influenceable spend",
     "In-scope spend less categories the organisations cannot redirect locally and payments "
     "to public bodies."),
]


@dataclass(frozen=True)
class NationalView:
    filters: Filters
    caption: str
    empty: str | None  # no organisation has spend in the period: the page says so and stops
    tiles: tuple[Tile, ...] = ()
    chart_title: str = ""
    # The organisations whose share is known, in rank order, with each bar's label and text and
    # whether it is of the chosen footprint (`ours`); None: no share is known (`no_chart`).
    chart: pd.DataFrame | None = None
    share_col: str = "local_share"
    no_chart: str | None = None
    left_out: str | None = None  # how many organisations with spend the chart leaves out
    table: Table | None = None
    definitions: list[tuple[str, str]] = field(default_factory=lambda: list(DEFINITIONS))


def _plural(n: int, word: str) -> str:
    return f"{fmt.count(n)} {word}{'s' if n != 1 else ''}"


def build(source: Source, filters: Filters) -> NationalView:
    sel = Selection(source, filters)
    period = filters.period
    caption = (f"Every organisation in the warehouse, those of {filters.footprint_name} "
               f"highlighted · {period.label} · local means in the home local authorities of "
               "each organisation's own footprint")
    totals = sel.query(national.national_spend, period.first, period.last)
    if totals.empty:
        return NationalView(filters, caption, empty=(
            f"No organisation has in-scope spend for {period.label}. Choose another period in "
            "the sidebar."))

    comparison = national.national_comparison(totals)
    p = "influenceable_" if filters.influenceable else ""
    share_col, rank_col = f"{p}local_share", f"{p}rank"
    known = ranked(comparison, influenceable=filters.influenceable)
    known = known[known[share_col].notna()]
    ours = comparison[comparison["footprint_code"] == filters.footprint_code]
    best = ours.dropna(subset=[share_col]).sort_values(rank_col).head(1)
    n_fp = comparison["footprint_code"].nunique()
    tiles = (
        Tile("Organisations with spend", fmt.count(len(comparison)),
             detail=f"in {_plural(n_fp, 'footprint')}"),
        Tile("Local share known", fmt.count(len(known)),
             detail=f"for {filters.basis}: at least {narrative.share_needed()} of it placed"),
        Tile(f"Best placed in {filters.footprint_name}",
             f"{int(best[rank_col].iat[0])} of {len(known)}" if len(best) else "–",
             detail=(f"{best['org_code'].iat[0]}: {fmt.pct(best[share_col].iat[0])} local"
                     if len(best) else "No organisation of the footprint has a known share")),
    )

    chart = no_chart = left_out = None
    if known.empty:
        no_chart = (f"No organisation's local share of {filters.basis} is known yet for "
                    f"{period.label}. " + narrative.PLACING_SUPPLIERS)
    else:
        chart = known.assign(
            label=[f"{c} · {fmt.short_org_name(n)}"
                   for c, n in zip(known["org_code"], known["name"])],
            text=[f"{fmt.pct(v)} (rank {r})" for v, r in zip(known[share_col], known[rank_col])],
            ours=known["footprint_code"] == filters.footprint_code)
        not_known = len(comparison) - len(known)
        if not_known:
            left_out = (f"{_plural(not_known, 'organisation')} with spend in {period.label} "
                        f"{'are' if not_known != 1 else 'is'} not shown: too little of the spend "
                        "has a known supplier location, or the footprint has no home local "
                        "authorities.")

    table = Table(
        comparison_table(comparison, influenceable=filters.influenceable),
        comparison_table(comparison, influenceable=filters.influenceable, download=True),
        f"National comparison {period.label}", key="national",
        notes=[f"Period: {period.label}.", LOCAL_NOTE,
               "A local share is of the spend whose supplier location is known, and is left "
               f"blank where less than {narrative.share_needed()} of it is."])
    return NationalView(filters, caption, None, tiles,
                        f"Local share of {filters.basis}, {period.label}", chart, share_col,
                        no_chart, left_out, table)
