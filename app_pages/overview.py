"""Overview: the board's one-screen answer."""

import streamlit as st

from anchor import disclosure, employment, maps, metrics, narrative, place_story, spc, tables
from anchor import formatting as fmt
from anchor.charts import local_share_trend, organisation_comparison
from anchor.geography.shapes import subset
from anchor.metrics import series_until
from anchor.periods import Period, quarter_label
from anchor.queries import estate, geo, reference, series, spend, workforce
from anchor.queries import lm3 as lm3_queries
from anchor.ui import commitments as commitment_view
from anchor.ui import components
from anchor.ui.data import query, shapes

# Every spend figure here is a total the spend summary holds exactly (anchor/summary.py): read
# from it rather than from every invoice line.
SUMMARY = "summary"

filters = components.page_header("Overview")
orgs, place, period = filters.orgs, filters.place, filters.period
before = period.year_earlier()

now_spend = query(spend.spend_totals, orgs, period.first, period.last, place, source=SUMMARY)
then_spend = query(spend.spend_totals, orgs, before.first, before.last, place, source=SUMMARY)
now_staff = query(workforce.workforce_totals, orgs, period.first, period.last, place)
then_staff = query(workforce.workforce_totals, orgs, before.first, before.last, place)
staff_by_org = query(workforce.workforce_totals, orgs, period.first, period.last, place, ("org",))
# Counts of people go through the Local employment page's disclosure control (1 to 4: '*').
residents = employment.protected_residents(staff_by_org, employment.small_cell_orgs(
    query(workforce.workforce_totals, orgs, period.first, period.last, place, ("org", "lad"))))
now_land = query(estate.estate_totals, orgs, period.first, period.last, place)

all_now = metrics.spend_share(now_spend.iloc[0], influenceable=False)
infl_now = metrics.spend_share(now_spend.iloc[0], influenceable=True)
all_then = metrics.spend_share(then_spend.iloc[0], influenceable=False)
infl_then = metrics.spend_share(then_spend.iloc[0], influenceable=True)
res_now = metrics.residents_employed(now_staff.iloc[0])
res_then = metrics.residents_employed(then_staff.iloc[0]) if then_staff["headcount"].iat[0] else None
land = now_land.iloc[0]


then_land = query(estate.estate_totals, orgs, before.first, before.last, place).iloc[0]
who = "the footprint" if len(orgs) > 1 else orgs[0]

# Quarterly series for the SPC icons, from the first quarter held to the period's end.
quarters = query(reference.data_quarters, orgs)
history = Period(quarters[0], period.last)
trend = metrics.add_spend_shares(
    query(spend.spend_totals, orgs, history.first, history.last, place, ("quarter",),
          source=SUMMARY))
trend = trend[trend["spend_gbp"] != 0]
residents_q = query(workforce.residents_by_quarter, orgs, history.first, history.last, place)
land_q = query(series.land_by_quarter, orgs, history.first, history.last, place)


def spc_of(series, column: str, improvement: str, *, rebased: bool = False):
    """The SPC icons of a tile, as the pages' charts compute them by default: the limits from
    the last five years of quarters to the period's end; for the local share (`rebased`),
    worked out afresh from each change point recorded, as its trend on Local spend is."""
    recent = series_until(series, period.last, components.SPC_WINDOWS["Last 5 years"])
    recent = recent[recent[column].notna()]  # a quarter of no staff has no share to chart
    if len(recent) < 2:
        return None
    phases = (commitment_view.trend_phases(filters, recent["quarter_start"], recent[column])[0]
              if rebased else ())
    return spc.xmr(list(recent[column]), [quarter_label(q) for q in recent["quarter_start"]],
                   improvement=improvement, phases=phases)


def share_delta(now, then):
    return fmt.points_change(now.share, then.share if then else None)


lm3_in = query(lm3_queries.lm3_inputs, orgs, period.first, period.last, place)
lm3_result = lm3_in.multiplier(query(lm3_queries.assumptions)[0])

c1, c2, c3, c4, c5 = st.columns(5)
with c1:
    value, detail = narrative.local_share_tile(infl_now, "influenceable spend")
    components.tile(
        "Local spend: influenceable", value,
        delta=share_delta(infl_now, infl_then), delta_note=f"change on {before.label}",
        detail=detail, spc_result=spc_of(trend, "influenceable_local_share", "up", rebased=True),
        sentence=narrative.spend_sentence(period.label, who, place.phrase, "influenceable spend",
                                          infl_now, infl_then),
    )
with c2:
    value, detail = narrative.local_share_tile(all_now, "in-scope spend")
    components.tile(
        "Local spend: all in-scope", value,
        delta=share_delta(all_now, all_then), delta_note=f"change on {before.label}",
        detail=detail, spc_result=spc_of(trend, "local_share", "up", rebased=True),
        sentence=narrative.spend_sentence(period.label, who, place.phrase, "in-scope spend",
                                          all_now, all_then),
    )
with c3:
    h = employment.headlines(residents)
    now_shown = employment.shown_count(h["local_headcount"])
    then_shown = employment.shown_count(res_then.local_headcount) if res_then else None
    # A quarter resting on 1 to 4 residents is left out of the SPC, as on Local employment.
    shown_q = residents_q[~residents_q["local_headcount"].map(disclosure.is_disclosive).astype(bool)]
    components.tile(
        "Residents employed",
        h.count("local_headcount") if res_now.headcount else "–",
        delta=(f"{now_shown - then_shown:+,}"
               if now_shown is not None and then_shown is not None else None),
        delta_note=f"change on {before.label}",
        detail=(f"{employment.text_pct(h['residents_share'])} of {h.count('headcount')} staff "
                f"({employment.text_number(h['local_fte'])} FTE)") if res_now.headcount
        else f"No workforce return covers {period.label}",
        spc_result=spc_of(shown_q.assign(share=[disclosure.people_share(n, d) for n, d in zip(
            shown_q["local_headcount"], shown_q["headcount"])]),
                          "share", "up"),
        sentence=place_story.residents_sentence(
            period.label, who, place.phrase, res_now, h["local_gross_pay_gbp"], res_then),
    )
with c4:
    components.tile(
        "Land not delivering services",
        fmt.hectares(land["land_not_delivering_ha"]) if land["sites"] else "–",
        detail=f"of {fmt.hectares(land['site_area_ha'])} across {int(land['sites'])} "
               f"site{'s' if land['sites'] != 1 else ''} in the place" if land["sites"]
        else f"No estate return covers {period.label} in the place",
        delta_color="off",
        spc_result=spc_of(land_q, "land_not_delivering_ha", "down"),
        sentence=narrative.land_sentence(
            period.label, int(land["sites"]), land["land_not_delivering_ha"], land["site_area_ha"],
            then_land["land_not_delivering_ha"] if then_land["sites"] else None),
    )
with c5:
    components.tile(
        "Local multiplier (LM3)",
        fmt.number(lm3_result.lm3, digits=2) if lm3_result.is_known else narrative.NOT_YET_KNOWN,
        detail=f"{fmt.gbp(lm3_result.r2_gbp + lm3_result.r3_gbp)} spent and re-spent in the place"
        if lm3_result.is_known else narrative.known_for(
            lm3_in.placed_gbp, lm3_result.spend_coverage) + " of in-scope spend",
        sentence=f"Each £1 of the organisations' spend and pay is worth "
                 f"£{lm3_result.lm3:.2f} to the place after two rounds of local re-spending "
                 f"({lm3_result.surveyed_suppliers} suppliers surveyed; the rest assumed)."
        if lm3_result.lm3 else (place_story.lm3_not_known(lm3_result)
                                if not lm3_result.is_known else None),
    )
components.spc_key()
commitment_view.show(commitment_view.for_selection(filters), key="overview", height=320,
                     basis_shown=filters.basis, heading="Commitments", compact=True)

by_org = metrics.add_spend_shares(
    query(spend.spend_totals, orgs, period.first, period.last, place, ("org",), source=SUMMARY))

left, right = st.columns([3, 2])
with left:
    st.subheader("Local share of spend, by quarter")
    if trend[["local_share", "influenceable_local_share"]].notna().any(axis=None):
        st.plotly_chart(local_share_trend(trend, highlight=(period.first, period.last)),
                        config={"displaylogo": False})
    unknown = components.unknown_quarters_note(trend)
    if unknown:
        st.caption(unknown)
with right:
    share_col = "influenceable_local_share" if filters.influenceable else "local_share"
    st.subheader(f"By organisation, {period.label}")
    org_names = query(reference.organisations, filters.footprint_code).set_index("org_code")["name"]
    by_org["organisation"] = by_org["org_code"].map(
        lambda c: f"{c} · {fmt.short_org_name(org_names.get(c, c))}")
    by_org["label"] = [fmt.pct(v) if v == v else "Not yet known" for v in by_org[share_col]]
    if by_org[share_col].notna().any():
        st.plotly_chart(
            organisation_comparison(by_org, value_col=share_col, label_col="organisation",
                                    text_col="label", axis_title="Local share"),
            config={"displaylogo": False},
        )
    else:
        st.info(f"No organisation's local share is known yet for {period.label}. "
                + narrative.PLACING_SUPPLIERS, icon=":material/location_off:")

st.subheader(f"Where the money went, {period.label}")
focus = list(place.lad_codes) if place.kind == "lads" else query(geo.lads_of_sites, orgs)
near = query(geo.lad_shapes_near, tuple(focus))
lads_fc = shapes(geo.lad_shapes_near, tuple(focus), id_col="lad_code", props=("lad_name",))
by_lad = query(spend.spend_totals, orgs, period.first, period.last, place, ("lad",), source=SUMMARY)
dest = metrics.destination_shares(by_lad, near, influenceable=filters.influenceable)
basis_now = infl_now if filters.influenceable else all_now
if basis_now.is_known or not basis_now.spend_gbp:
    map_col, note_col = components.stacking_columns([3, 1], key="map")
    with map_col:
        st.plotly_chart(
            maps.choropleth(
                lads_fc, dest, id_col="lad_code", value_col="share", label_col="lad_name",
                hover_text=[f"{fmt.gbp(g)} · {fmt.pct(s)} of {filters.basis}"
                            for g, s in zip(dest["gbp"], dest["share"])],
                colorbar_title=f"Share of {filters.basis}",
                context=lads_fc, focus_outline=subset(lads_fc, near.loc[near["in_focus"], "lad_code"]),
                sites=query(geo.site_points, orgs),
            ),
            config={"displaylogo": False, "scrollZoom": False},
        )
    with note_col:
        top = dest.sort_values("share", ascending=False).head(6)
        st.markdown("**Largest shares on the map**")
        # A plain table, whose names wrap: in a quarter of the page a grid cut off its Share.
        st.table(
            top.assign(Share=top["share"].map(fmt.pct), Spend=top["gbp"].map(fmt.gbp))
            .rename(columns={"lad_name": "Local authority"})[["Local authority", "Spend", "Share"]],
            hide_index=True, border="horizontal",
        )
        st.caption("Shaded by the share of the period's spend paid to suppliers based in each "
                   "local authority; the place is outlined in blue; orange dots are sites."
                   + (f" {fmt.gbp(basis_now.unplaced_gbp)} "
                      f"({fmt.pct(basis_now.unplaced_share)}) went to suppliers whose location "
                      "is not known, on no local authority." if basis_now.unplaced_gbp else ""))
else:
    # a map of the few placed pounds would read as spend going nowhere near the place
    st.info(f"The map needs supplier locations: "
            f"{narrative.known_for(basis_now.placed_gbp, basis_now.coverage).lower()} of "
            f"{fmt.gbp(basis_now.spend_gbp)} {filters.basis}, and it needs "
            f"{narrative.share_needed()}. " + narrative.PLACING_SUPPLIERS,
            icon=":material/location_off:")

land_by_org = query(estate.estate_totals, orgs, period.first, period.last, place, ("org",))
components.wide_table(tables.organisation_summary(
    by_org, residents[residents["org_code"] != employment.ALL], land_by_org, org_names.to_dict()),
    pin=("Code", "Organisation"))
if (residents[["headcount", "local_headcount"]].isna()).any(axis=None):
    st.caption(employment.NOTE_MD)

snapshot_q = now_staff["snapshot_quarter"].iat[0]
snapshot = quarter_label(snapshot_q) if snapshot_q is not None and str(snapshot_q) != "NaT" else period.label
components.definitions([
    ("Place", place.describe()),
    ("Local spend share", narrative.local_share_definition("in-scope spend", all_now)),
    ("Influenceable spend",
     "In-scope spend less categories the organisations cannot redirect locally (national "
     "frameworks such as NHS Supply Chain, payments to NHS bodies, PFI charges, drugs on "
     "national contracts) and payments to public bodies."),
    ("Residents employed",
     f"Headcount at the end of {snapshot} whose home LSOA lies in the "
     f"place. Staff with no usable home LSOA ({h.count('unplaced_headcount')}) count as "
     "not local."),
    ("Disclosure control", disclosure.RULE),
    ("Land not delivering services",
     "Hectares of the organisations' sites in the place that are not used to deliver services "
     "(the ERIC measure), from each site's latest return in the period."),
    ("Year-earlier comparison", f"The same quarters a year before: {before.label}."),
    ("SPC icons", "NHS England's Making Data Count: each tile's variation icon reads the "
     "quarterly series on an XmR chart whose limits come from the last five years of quarters "
     "to the period's end, as the pages' charts do by default."),
    ("Commitments", commitment_view.DEFINITION),
])
