"""The story of one place: what all the chosen organisations put into it, step by step.

`build_story` takes its headline figures (the local share, residents employed, land not
delivering services, the local multiplier), their year-earlier values, SPC results and
definitions from their measures (anchor/measures/), as the Overview's tiles do, so the Place
page, the presentation, the slide pack, the board paper and the Overview agree to the penny.
It reads through a `Source`: the page passes its cached `query`/`shapes`, the command line a
`anchor.measures.WarehouseSource`. Each `Message` is one step of the presentation and one slide.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from anchor import (
    commitments,
    disclosure,
    employment,
    lm3,
    maps,
    metrics,
    narrative,
    place_story,
    spc_icons,
)
from anchor import formatting as fmt
from anchor.charts import plotly_text
from anchor.config import GEOGRAPHY_ATTRIBUTION
from anchor.filters import Filters
from anchor.geography.shapes import bounds as fc_bounds
from anchor.geography.shapes import subset
from anchor.measures import (
    INFLUENCEABLE_DEFINITION,
    LAND_NOT_DELIVERING,
    LM3,
    LOCAL_SHARE_ALL,
    LOCAL_SHARE_INFLUENCEABLE,
    MEASURES,
    RESIDENTS_EMPLOYED,
    Figure,
    Measure,
    Selection,
    Source,
    people,
)
from anchor.measures import spend as spend_measures
from anchor.metrics import share
from anchor.periods import Period, quarter_label
from anchor.places import Place
from anchor.queries import estate, geo, reference, series, workforce
from anchor.queries import lm3 as lm3_queries
from anchor.reports import figures

DEMO_LABEL = "DEMO DATA: synthetic figures for a demonstration footprint, not real."


@dataclass(frozen=True)
class Message:
    """One step: a headline, its numbers (value, what it is), a sentence, a chart key."""

    key: str
    title: str
    numbers: tuple[tuple[str, str], ...]
    sentence: str
    chart: str | None = None
    detail: str = ""  # smaller print beside the sentence: the assumptions behind LM3
    icons: tuple[str, ...] = ()  # SPC icons (SVG) of its chart, for an export that draws them


@dataclass
class PlaceStory:
    place: Place
    period: Period
    footprint_name: str
    organisations: tuple[tuple[str, str], ...]  # (code, name)
    influenceable: bool
    is_demo: bool
    generated: date
    messages: list[Message]
    charts: dict[str, go.Figure]
    chart_titles: dict[str, str]
    comparison_data: pd.DataFrame
    sources: list[str]
    definitions: list[tuple[str, str]]
    notes: list[str] = field(default_factory=list)
    staff_known: bool = True  # False: no workforce return covers the period
    # The headline figures, by measure key, as the Overview's tiles work them out.
    figures: dict[str, Figure] = field(default_factory=dict)

    @property
    def place_name(self) -> str:
        if self.place.kind == "radius":
            return f"within {self.place.radius_km:g} km of their sites"
        return self.place.name

    @property
    def title(self) -> str:
        return place_story_title(self.organisations, self.place)

    @property
    def subtitle(self) -> str:
        n = len(self.organisations)
        who = (self.organisations[0][1] if n == 1
               else f"The {place_story.number_word(n)} organisations of {self.footprint_name}")
        return f"{who}, {self.period.label}"

    @property
    def who(self) -> str:
        """'the five organisations of Black Country and West Birmingham', or one by name."""
        return place_story.who_phrase(len(self.organisations), self.footprint_name,
                                      self.organisations[0][1])

    @property
    def basis(self) -> str:
        return "influenceable spend" if self.influenceable else "in-scope spend"

    @property
    def organisations_text(self) -> str:
        return "; ".join(f"{name} ({code})" for code, name in self.organisations)

    @property
    def context(self) -> str:
        """The line always shown: period, place definition, data source (and demo)."""
        text = f"{self.period.label} · {self.place.describe()} · {self.data_source_short}"
        return f"{text} · DEMO DATA" if self.is_demo else text

    @property
    def data_source_short(self) -> str:
        src = "Synthetic demo data" if self.is_demo else "Organisations' own returns"
        return f"Source: {src}; ONS and OS geography (OGL v3.0)"

    def footer(self) -> str:
        """What every exported chart carries, on three short lines."""
        lines = [
            f"{self.title}. {self.period.label}. {self.place.describe()}",
            f"Organisations: {', '.join(code for code, _ in self.organisations)} "
            f"({self.footprint_name}). Generated {self.generated:%d %B %Y} by Anchor."
            + (f" {DEMO_LABEL}" if self.is_demo else ""),
            GEOGRAPHY_ATTRIBUTION,
        ]
        return "<br>".join(plotly_text(line) for line in lines)  # names in them as written


def _where(place: Place) -> str:
    if place.kind == "radius":
        return f"within {place.radius_km:g} km of their sites"
    return f"in {place.name}"


def _assumption(key: str, value: float) -> str:
    return fmt.gbp(value) if key == "gbp_per_job" else fmt.pct(value, digits=0)


def comparison_areas(place: Place, footprint_lads: pd.DataFrame) -> pd.DataFrame:
    """The local authorities to set side by side: the footprint's and the place's own.
    lad_code, lad_name, in_place."""
    rows = {c: n for c, n in zip(footprint_lads["lad_code"], footprint_lads["lad_name"])}
    if place.kind == "lads":
        names = place.lad_names or place.lad_codes
        for c, n in zip(place.lad_codes, names):
            rows.setdefault(c, n)
    in_place = set(place.lad_codes) if place.kind == "lads" else set()
    return pd.DataFrame({"lad_code": list(rows), "lad_name": list(rows.values()),
                         "in_place": [c in in_place for c in rows]})


def headline_measures(influenceable: bool) -> tuple[Measure, ...]:
    """The measures whose figures the story states: the local share of the basis, residents
    employed, land not delivering services and the local multiplier."""
    share = LOCAL_SHARE_INFLUENCEABLE if influenceable else LOCAL_SHARE_ALL
    return tuple(MEASURES[m.key] for m in (share, RESIDENTS_EMPLOYED, LAND_NOT_DELIVERING, LM3))


def build_story(src: Source, *, footprint_code: str, footprint_name: str,
                orgs: tuple[str, ...], period: Period, place: Place, influenceable: bool = True,
                generated: date | None = None) -> PlaceStory:
    """Assemble the story of `place` for the organisations `orgs` over `period`."""
    return tell(src, Filters(footprint_code, footprint_name, tuple(orgs), period, place,
                             influenceable), generated=generated)


def tell(src: Source, filters: Filters, *, generated: date | None = None) -> PlaceStory:
    """The story of the filters' place for their organisations and period, its headline
    figures worked out by their measures (anchor/measures/) as the Overview's tiles are."""
    if not filters.orgs:
        raise ValueError("Choose at least one organisation.")
    filters = replace(filters, orgs=tuple(sorted(filters.orgs)))
    sel = Selection(src, filters)
    orgs, period, place, influenceable = (filters.orgs, filters.period, filters.place,
                                          filters.influenceable)
    where = _where(place)
    org_names = sel.query(reference.organisations, filters.footprint_code).set_index(
        "org_code")["name"].to_dict()
    organisations = tuple((c, org_names.get(c, c)) for c in orgs)
    who = place_story.who_phrase(len(orgs), filters.footprint_name,
                                 fmt.short_org_name(organisations[0][1]))
    basis = spend_measures.BASES["influenceable" if influenceable else "all"]

    # -- the headline figures, from their measures --------------------------------------
    share_m, residents_m, land_m, lm3_m = headline_measures(influenceable)
    headline = {m.key: m.figure(sel) for m in (share_m, residents_m, land_m, lm3_m)}
    spend_f, res_f, land_f, lm3_f = (headline[m.key] for m in (share_m, residents_m, land_m, lm3_m))
    spend_now, spend_then = spend_f.now.basis, spend_f.then.basis
    res_now, res_h = res_f.now.basis
    res_then = res_f.then.basis[0] if res_f.then.basis[0].headcount else None
    # The organisations' pay together, withheld when it holds an organisation's 1 to 4
    # residents (the measure's protected headlines); none without a workforce return.
    local_pay = res_h["local_gross_pay_gbp"] if res_h is not None else None
    e_now = land_f.now.basis
    multiplier = lm3_f.now.basis
    assumed, _ = sel.query(lm3_queries.assumptions)

    # -- the trend, from the first quarter held to the period's end -----------------------
    trend = spend_measures.by_quarter(sel, sel.history).reset_index(drop=True)
    share_series = spend_f.series
    history = sel.history
    residents_q = sel.query(workforce.residents_by_quarter, orgs, history.first, period.last,
                            place)
    land_q = sel.query(series.land_by_quarter, orgs, history.first, period.last, place)

    # -- the commitments that speak for these organisations ---------------------------------
    tracked = commitments.tracked_for(sel.query, footprint_code=filters.footprint_code,
                                      footprint_name=filters.footprint_name, orgs=orgs,
                                      place=place, last=period.last)

    # -- the places side by side -----------------------------------------------------------
    home = sel.query(reference.footprint_lads, filters.footprint_code)
    areas = comparison_areas(place, home)
    by_lad = spend_measures.totals(sel, period, ("lad",))
    staff_by_lad = sel.query(workforce.workforce_totals, orgs, period.first, period.last, place,
                             ("lad",))
    total_col = "influenceable_gbp" if influenceable else "spend_gbp"
    comp = (areas
            .merge(by_lad[["lad_code", total_col]].rename(columns={total_col: "spend_gbp"}),
                   on="lad_code", how="left")
            .merge(staff_by_lad[["lad_code", "headcount", "gross_pay_gbp"]]
                   .rename(columns={"headcount": "residents", "gross_pay_gbp": "residents_pay_gbp"}),
                   on="lad_code", how="left"))
    comp["spend_gbp"] = comp["spend_gbp"].fillna(0.0)
    all_spend = spend_now.spend_gbp
    comp["spend_share"] = comp["spend_gbp"] / all_spend if all_spend else None
    comp["residents"] = comp["residents"].fillna(0).astype(int)
    comp["residents_pay_gbp"] = comp["residents_pay_gbp"].fillna(0.0)
    land_rows = []
    for code, name in zip(comp["lad_code"], comp["lad_name"]):
        one = sel.query(estate.estate_totals, orgs, period.first, period.last,
                        Place.of_lads(name, [code], [name])).iloc[0]
        land_rows.append((int(one["sites"]), float(one["site_area_ha"]),
                          float(one["land_not_delivering_ha"])))
    comp["sites"], comp["site_area_ha"], comp["land_not_delivering_ha"] = (
        [r[i] for r in land_rows] for i in range(3))
    # The local authorities of the place add up to the residents employed the story states,
    # so a withheld one takes the next smallest with it (the others stand alone).
    comp = employment.protect(
        comp.assign(published_total=[("place" if inside else code)
                                     for inside, code in zip(comp["in_place"], comp["lad_code"])]),
        ["residents"], {"residents_pay_gbp": "residents"}, groups=("published_total",),
    ).drop(columns="published_total")
    # A local authority's pay sums each organisation's there: withheld where one of them has 1
    # to 4 staff living there, or the same table for fewer organisations would give it away.
    by_org_lad = people.staff(sel, period, ("org", "lad"))
    small_lads = set(by_org_lad.loc[by_org_lad["headcount"].map(disclosure.is_disclosive)
                                    .astype(bool), "lad_code"])
    comp["residents_pay_gbp"] = comp["residents_pay_gbp"].astype(object).where(
        ~comp["lad_code"].isin(small_lads), None)
    comp = comp.sort_values("spend_gbp", ascending=False).reset_index(drop=True)

    # -- the map: where the money went ------------------------------------------------------
    focus = list(place.lad_codes) if place.kind == "lads" else sel.query(geo.lads_of_sites, orgs)
    charts: dict[str, go.Figure] = {}
    titles: dict[str, str] = {}
    near = sel.query(geo.lad_shapes_near, tuple(focus)) if focus else None
    # No map of where the money went while too little of it is placed: it would read as
    # spend going nowhere near the place.
    spend_known = spend_now.is_known or not spend_now.spend_gbp
    if near is not None and not near.empty and spend_known:
        lads_fc = src.shapes(geo.lad_shapes_near, tuple(focus), id_col="lad_code",
                             props=("lad_name",))
        dest = metrics.destination_shares(by_lad, near, influenceable=influenceable)
        charts["map"] = maps.choropleth(
            lads_fc, dest, id_col="lad_code", value_col="share", label_col="lad_name",
            hover_text=[f"{fmt.gbp(g)} · {fmt.pct(s)} of {basis}"
                        for g, s in zip(dest["gbp"], dest["share"])],
            colorbar_title=f"Share of {basis}", context=lads_fc,
            focus_outline=subset(lads_fc, near.loc[near["in_focus"], "lad_code"]),
            sites=sel.query(geo.site_points, orgs),
        )
        # Fit the place and the local authorities it is compared with, not the place alone.
        shown = set(focus) | set(areas["lad_code"])
        maps.fit(charts["map"], fc_bounds(subset(lads_fc, shown)))
        titles["map"] = f"Share of {basis} by where suppliers are based, {period.label}"
    if len(trend) >= 2:
        charts["trend"] = figures.share_trend(trend, highlight=(period.first, period.last))
        titles["trend"] = "Local share of spend, by quarter"
    for i, t in enumerate(tracked):
        fig = figures.commitment_chart(t)
        if fig is not None:
            charts[_commitment_key(i)] = fig
            titles[_commitment_key(i)] = (
                f"{t.measure.label.capitalize()} against the commitment's trajectory, "
                f"by quarter")
    if len(residents_q):
        charts["residents"] = figures.residents_trend(residents_q)
        titles["residents"] = f"Staff living {where}, by quarter"
    if len(land_q):
        charts["land"] = figures.land_trend(land_q)
        titles["land"] = f"Land of the sites {where}, by quarter"
    if multiplier.lm3 is not None:
        charts["lm3"] = figures.lm3_rounds(multiplier)
        titles["lm3"] = f"The local multiplier's three rounds, {period.label}"
    staff_known = bool(res_now.headcount)
    if not spend_known:  # where the spend went is not known, not nowhere
        comp["spend_gbp"] = comp["spend_share"] = float("nan")
    if not staff_known:  # no workforce return: nobody is not the same as no return
        comp["residents"] = pd.Series([None] * len(comp), index=comp.index, dtype=object)
        comp["residents_pay_gbp"] = pd.Series([None] * len(comp), index=comp.index, dtype=object)
    if len(comp) and spend_known:
        charts["compare"] = figures.comparison(comp, basis=basis, staff_known=staff_known,
                                                      place_name=place.name)
        titles["compare"] = (f"Spend with suppliers and staff living there, by local authority, "
                             f"{period.label}")

    # -- the messages, one per step -----------------------------------------------------------
    spend_line = place_story.spend_sentence(period.label, who, where, basis, spend_now, spend_then)
    res_line = place_story.residents_sentence(period.label, who, where, res_now, local_pay,
                                              res_then)
    land_line = land_f.sentence + _floor_space(e_now)
    first, last = (share_series.iloc[0], share_series.iloc[-1]) if len(share_series) else (None, None)
    if len(share_series) >= 2:
        trend_line = place_story.trend_sentence(
            basis, quarter_label(first["quarter_start"]), first["value"],
            quarter_label(last["quarter_start"]), last["value"], len(share_series),
            within=None if period.is_quarter else period.label)
    else:
        trend_line = place_story.trend_sentence(basis, "", None, "", None, len(share_series))
    n_areas = place_story.number_word(len(comp))
    areas_phrase = (f"the footprint's {n_areas} local authorities"
                    if set(comp["lad_code"]) <= set(home["lad_code"])
                    else f"these {n_areas} local authorities")
    focus_names = set(place.lad_names) if place.kind == "lads" and len(place.lad_codes) == 1 else None
    comp_line = (place_story.comparison_sentence(areas_phrase, list(comp["lad_name"]),
                                                 list(comp["spend_gbp"]), focus_names)
                 if spend_known else
                 f"Which of {areas_phrase} the spend went to is not yet known: "
                 f"{narrative.known_for(spend_now.placed_gbp, spend_now.coverage).lower()} of "
                 f"it. {narrative.PLACING_SUPPLIERS}")
    residents_shown = res_f.now.shown
    pay_shown = ("–" if res_h is None else
                 fmt.gbp(local_pay) if residents_shown != disclosure.SUPPRESSED
                 and local_pay is not None else disclosure.SUPPRESSED)
    spare_m2 = float(e_now["empty_m2"]) + float(e_now["underused_m2"])

    messages = [
        Message("intro", place_story_title(organisations, place), (
            (fmt.gbp(spend_now.local_gbp), f"{basis} with suppliers based {where}")
            if spend_known else
            (narrative.NOT_YET_KNOWN, f"local share of {basis}: "
             f"{narrative.known_for(spend_now.placed_gbp, spend_now.coverage).lower()} of it"),
            (residents_shown, f"staff living {where}") if staff_known else
            ("–", f"staff living {where}: no workforce return covers {period.label}"),
            (land_f.now.shown, f"of land {where} not delivering services")
            if e_now["sites"] else
            ("–", f"land {where}: no estate return covers {period.label}"),
        ), f"{who[0].upper()}{who[1:]}, {period.label}. {place.describe()}"),
        Message("spend", f"Spend with businesses {where}", (
            (fmt.gbp(spend_now.local_gbp),
             f"of {fmt.gbp(spend_now.placed_gbp)} {basis}"
             + (f" whose supplier is placed ({fmt.pct(spend_now.coverage)} of it)"
                if narrative.known_part(spend_now.coverage) else "")),
            (spend_f.now.shown, "local share" + (
                f"; {spend_f.then.shown} a year earlier" if spend_then.share is not None else ""))
            if spend_known else
            (narrative.NOT_YET_KNOWN, f"local share: a share needs the suppliers of "
             f"{narrative.share_needed()} of the spend placed"),
        ), spend_line, "map" if "map" in charts else None),
        Message("trend", "The local share over time", (
            (fmt.pct(first["value"]) if first is not None else "–",
             quarter_label(first["quarter_start"]) if first is not None else ""),
            (fmt.pct(last["value"]) if last is not None else "–",
             quarter_label(last["quarter_start"]) if last is not None else ""),
        ), trend_line, "trend" if "trend" in charts else None, "",
            _icons(spend_f) if "trend" in charts else ()),
        *[_commitment_message(_commitment_key(i), t, _commitment_key(i) in charts)
          for i, t in enumerate(tracked)],
        Message("jobs", f"Local people employed {where}", (
            (residents_shown, "residents employed "
             f"({fmt.pct(disclosure.people_share(res_now.local_headcount, res_now.headcount))} "
             "of staff)"
             if residents_shown != disclosure.SUPPRESSED else "residents employed"),
            (pay_shown, f"their gross pay in {period.label}"),
        ), res_line, "residents" if "residents" in charts else None, "",
            _icons(res_f) if "residents" in charts else ()),
        Message("land", f"Land and buildings {where}", (
            (land_f.now.shown,
             f"not delivering services, of {fmt.hectares(e_now['site_area_ha'])} "
             f"on {fmt.count(e_now['sites'])} site{'' if e_now['sites'] == 1 else 's'}"),
            (f"{fmt.count(spare_m2)} m²", "of floor space empty or under-used"),
        ), land_line, "land" if "land" in charts else None, "",
            _icons(land_f) if "land" in charts else ()),
        *([Message(
            "lm3", f"What the money is worth {where}", (
                (lm3_f.now.shown, "the local multiplier (LM3)"),
                (fmt.gbp(multiplier.r2_gbp + multiplier.r3_gbp), "spent and re-spent " + where),
            ), place_story.lm3_sentence(where, multiplier), "lm3",
            "Assumptions where there is no survey answer: " + "; ".join(
                f"{lm3.LABELS[k]} {_assumption(k, getattr(assumed, k))}"
                for k in lm3.LABELS if k != "gbp_per_job") + ".",
        )] if multiplier.lm3 is not None else []),
        Message("compare", f"{place.name} beside the footprint's other places"
                if len(place.lad_codes) == 1 else "The local authorities side by side", (),
                comp_line, "compare" if "compare" in charts else None),
    ]

    is_demo = bool(sel.query(reference.has_demo_data, orgs))
    fresh = sel.query(reference.freshness)
    held = "; ".join(f"{r.data} to {quarter_label(r.latest_quarter)}" for r in fresh.itertuples()
                     if r.latest_quarter is not None and str(r.latest_quarter) != "NaT")
    data_source = (
        "Spend, workforce and estates: synthetic demo data (the Anchor demo footprint, "
        "calibrated to the published CLES study of RXK's 2014/15 spend). Not real figures."
        if is_demo else
        "Spend: the organisations' invoice-level spend files. Workforce: staff counts and pay "
        "aggregated by home LSOA. Estates: the organisations' ERIC site returns. As loaded "
        "into Anchor by the organisations' analysts.")
    sources = [
        data_source + (f" Data held: {held}." if held else ""),
        "Geography: OS Code-Point Open and the ONS postcode, LSOA and local authority lookups "
        "and boundaries. " + GEOGRAPHY_ATTRIBUTION,
    ]
    definitions = [
        ("Place", place.describe()),
        ("Local spend", share_m.definition(sel, spend_f.now)),
        ("Influenceable spend", INFLUENCEABLE_DEFINITION),
        *[(m.label, m.definition(sel, headline[m.key].now)) for m in (residents_m, land_m)],
        ("Disclosure control", disclosure.RULE),
        (lm3_m.label, lm3_m.definition(sel, lm3_f.now)),
        sel.year_earlier,
        *([("Commitments", commitments.DEFINITION)] if tracked else []),
    ]
    return PlaceStory(
        place=place, period=period, footprint_name=filters.footprint_name,
        organisations=organisations, influenceable=influenceable, is_demo=is_demo,
        generated=generated or date.today(), messages=messages, charts=charts,
        chart_titles=titles, comparison_data=comp, staff_known=staff_known,
        sources=sources, definitions=definitions, figures=headline,
    )


def _floor_space(e_now: pd.Series) -> str:
    """' 3,200 m² of floor space (2.1%) stood empty or under-used.' after the land measure's
    sentence, where the sites' floor space is known."""
    if not e_now["sites"] or not e_now["gia_m2"]:
        return ""
    spare = float(e_now["empty_m2"]) + float(e_now["underused_m2"])
    return (f" {fmt.count(spare)} m² of floor space ({fmt.pct(share(spare, e_now['gia_m2']))}) "
            "stood empty or under-used.")


def _commitment_key(i: int) -> str:
    return "commitment" if i == 0 else f"commitment-{i + 1}"


def _commitment_message(key: str, t: commitments.Tracked, charted: bool) -> Message:
    """One commitment: its baseline, target and latest figure, the sentence, its chart, and
    the assurance in words beside it."""
    c, latest = t.commitment, t.latest
    result = t.spc() if charted else None
    detail = (f"Assurance (Making Data Count): the process {result.assurance}, judged "
              f"against the target of {fmt.pct(t.target)}." if result is not None
              and result.assurance else "")
    verb = "raise" if t.measure.improvement == "up" else "lower"
    return Message(key, f"The commitment to {verb} the {t.measure.label}", (
        (f"{fmt.pct(t.baseline)} to {fmt.pct(t.target)}",
         f"baseline over {c.baseline_label}, target by {quarter_label(c.target_quarter)}"),
        (fmt.pct(latest[1]) if latest else "–",
         f"in {quarter_label(latest[0])}: {t.status}" if latest else t.status),
    ), t.sentence(), key if charted else None, detail,
        tuple(spc_icons.icons_svg(result)) if result is not None else ())


def _icons(figure: Figure) -> tuple[str, ...]:
    """The SPC icons (SVG) of a figure's series, as the Overview's tile shows them."""
    return tuple(spc_icons.icons_svg(figure.spc)) if figure.spc is not None else ()


def place_story_title(organisations, place: Place) -> str:
    nhs = all("NHS" in name for _, name in organisations)
    who = "the NHS puts" if nhs else "our anchor organisations put"
    if place.kind == "radius":
        return f"What {who} into the area within {place.radius_km:g} km of its sites"
    return f"What {who} into {place.name}"


def comparison_table(story: PlaceStory) -> pd.DataFrame:
    """The comparison for display and for the board paper: formatted, place marked."""
    d = story.comparison_data
    return pd.DataFrame({
        "Local authority": [f"{n} (in the place)" if p else n
                            for n, p in zip(d["lad_name"], d["in_place"])],
        f"{story.basis.capitalize()} with suppliers there": [
            fmt.gbp(v) if not pd.isna(v) else "Not known" for v in d["spend_gbp"]],
        "Share": [fmt.pct(v) if not pd.isna(v) else "Not known" for v in d["spend_share"]],
        # a withheld count or pay reads '*'; with no workforce return at all, '–'
        "Staff living there": d["residents"].map(disclosure.show_count) if story.staff_known
        else ["–"] * len(d),
        "Their pay": [fmt.gbp(v) if v is not None and not pd.isna(v) else disclosure.SUPPRESSED
                      for v in d["residents_pay_gbp"]] if story.staff_known else ["–"] * len(d),
        "Sites": d["sites"].map(fmt.count),
        "Land not delivering": d["land_not_delivering_ha"].map(fmt.hectares),
    })
