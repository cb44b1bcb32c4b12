"""Local spend: where the money goes, how it is changing, and what could come home."""

import streamlit as st

from anchor import charts, maps, metrics, narrative, spc, tables
from anchor import formatting as fmt
from anchor.config import BPPC_DAYS, BPPC_TARGET_PCT
from anchor.geography.shapes import subset
from anchor.metrics import series_until
from anchor.periods import month_label, quarter_label
from anchor.queries import geo, reference, spend
from anchor.ui import commitments as commitment_view
from anchor.ui import components, frame, state
from anchor.ui.data import query, shapes

frame.require()

MAP_SUPPLIERS = 100

filters = components.page_header("Local spend")
orgs, place, period, infl = filters.orgs, filters.place, filters.period, filters.influenceable
basis = filters.basis
who = "the footprint" if len(orgs) > 1 else orgs[0]
before = period.year_earlier()

now = query(spend.spend_totals, orgs, period.first, period.last, place).iloc[0]
then = query(spend.spend_totals, orgs, before.first, before.last, place).iloc[0]
share_now = metrics.spend_share(now, influenceable=infl)
share_then = metrics.spend_share(then, influenceable=infl)
pay = query(spend.prompt_payment, orgs, period.first, period.last, place)
bppc_all = metrics.bppc(pay)
bppc_local = metrics.bppc(pay[pay["segment"] == "Local SMEs"])
bppc_rest = metrics.bppc(pay[pay["segment"] == "Other suppliers"])

sme_now = metrics.flagged_share(now, "sme", influenceable=infl)
vcse_now = metrics.flagged_share(now, "vcse", influenceable=infl)

c1, c2, c3, c4 = st.columns(4)
with c1:
    value, detail = narrative.local_share_tile(share_now, basis)
    components.tile("Local share", value,
                    delta=fmt.points_change(share_now.share, share_then.share),
                    delta_note=f"change on {before.label}", detail=detail)
with c2:
    value, detail = narrative.flagged_share_tile(sme_now, "SME", basis)
    components.tile("Paid to SMEs", value, detail=detail, delta_color="off")
with c3:
    value, detail = narrative.flagged_share_tile(vcse_now, "VCSE", basis)
    components.tile("Paid to the voluntary sector", value, detail=detail)
with c4:
    if bppc_all["by_number"] is None and share_now.spend_gbp:
        components.tile(f"Invoices paid within {BPPC_DAYS} days", narrative.NOT_YET_KNOWN,
                        detail=f"Target {BPPC_TARGET_PCT:g}%. Needs each invoice's date and "
                               "its payment date; the spend loaded gives no invoice dates")
    else:
        components.tile(f"Invoices paid within {BPPC_DAYS} days", fmt.pct(bppc_all["by_number"]),
                        detail=f"Target {BPPC_TARGET_PCT:g}%. Local SMEs: "
                               f"{fmt.pct(bppc_local['by_number'])}; "
                               f"others: {fmt.pct(bppc_rest['by_number'])}")

st.markdown("- " + fmt.md_text(narrative.spend_sentence(period.label, who, place.phrase, basis,
                                                        share_now, share_then)))

# -- Trend against the baseline and any commitment -------------------------------------------
st.subheader("Local share over time")
window = components.spc_window("local_spend")
# Spend is loaded by month, so its points are months; quarters when asked for (and always
# for the other pages' measures, whose returns are quarterly).
by = st.segmented_control("Points", ["By month", "By quarter"], default="By month",
                          required=True, key=state.SPEND_POINTS)
monthly = by == "By month"
quarters = query(reference.data_quarters, orgs)
trend = metrics.add_spend_shares(query(spend.spend_totals, orgs, quarters[0], period.last,
                                       place, ("month",) if monthly else ("quarter",)))
if monthly:  # each month's quarter, for the window (in quarters) and the notes
    trend = metrics.with_quarters(trend)
trend = series_until(trend[trend["spend_gbp"] != 0], period.last, window)
points = trend["month_start"] if monthly else trend["quarter_start"]
point_label = month_label if monthly else quarter_label
share_col = "influenceable_local_share" if infl else "local_share"
phases, unused = commitment_view.trend_phases(filters, points, trend[share_col])
if trend[share_col].notna().sum() >= 2:
    result = spc.xmr(trend[share_col], [point_label(q) for q in points],
                     improvement="up", phases=phases)
    components.spc_badges(result)
    st.plotly_chart(charts.spc_chart(result, value_kind="pct",
                                     y_title=f"Local share of {basis}",
                                     two_sigma=st.session_state.get(state.TWO_SIGMA, False)),
                    config={"displaylogo": False})
    st.caption(f"One point a {'month (of payment)' if monthly else 'quarter'}: "
               f"{len(trend)} {'months' if monthly else 'quarters'}.")
    unknown = components.unknown_quarters_note(trend, share_col)
    if unknown:
        st.caption(unknown)
else:
    st.info("The trend needs at least two quarters of spend whose suppliers are placed (at "
            f"least {narrative.share_needed()} of each quarter's spend). "
            + narrative.PLACING_SUPPLIERS)
commitment_view.unused_note(unused)
commitment_view.show(commitment_view.for_selection(filters), key="spend", basis_shown=basis)

# -- Where the money goes --------------------------------------------------------------------
st.subheader(f"Where the money goes, {period.label}")
focus = list(place.lad_codes) if place.kind == "lads" else query(geo.lads_of_sites, orgs)
scale = st.segmented_control("Show", ["Local authorities", "Neighbourhoods in the place"],
                             default="Local authorities", key="spend_map_scale", required=True)
lads_fc = shapes(geo.lad_shapes_near, tuple(focus), id_col="lad_code", props=("lad_name",))
near = query(geo.lad_shapes_near, tuple(focus))
outline = subset(lads_fc, near.loc[near["in_focus"], "lad_code"])
sites = query(geo.site_points, orgs)
suppliers = query(spend.supplier_summary, orgs, period.first, period.last, place)
if share_now.is_known or not share_now.spend_gbp:
    if scale == "Local authorities":
        by_area = query(spend.spend_totals, orgs, period.first, period.last, place, ("lad",))
        fc, key, name = lads_fc, "lad_code", "lad_name"
        dest = metrics.destination_shares(by_area, near, influenceable=infl)
    else:
        by_area = query(spend.spend_totals, orgs, period.first, period.last, place, ("lsoa",))
        fc = shapes(geo.lsoa_shapes, tuple(focus), id_col="lsoa_code", props=("lsoa_name",))
        key, name = "lsoa_code", "lsoa_name"
        dest = metrics.destination_shares(by_area, query(geo.lsoa_shapes, tuple(focus)),
                                          influenceable=infl, key=key, name=name)
    st.plotly_chart(maps.choropleth(
        fc, dest, id_col=key, value_col="share", label_col=name,
        hover_text=[f"{fmt.gbp(g)} · {fmt.pct(v)} of {basis}"
                    for g, v in zip(dest["gbp"], dest["share"])],
        colorbar_title=f"Share of {basis}", context=lads_fc, focus_outline=outline, sites=sites,
        title="Share of spend by where suppliers are based"), config={"displaylogo": False})
    value_col = "influenceable_gbp" if infl else "spend_gbp"
    local_sup = (suppliers[suppliers["is_local"] & (suppliers[value_col] > 0)]
                 .dropna(subset=["lat"]).nlargest(MAP_SUPPLIERS, value_col))
    st.plotly_chart(maps.bubbles(
        local_sup, size_col=value_col, label_col="name",
        hover_text=[charts.plotly_text(f"{fmt.gbp(v)} · {c}")
                    for v, c in zip(local_sup[value_col], local_sup["main_category"])],
        context=lads_fc, focus_outline=outline, sites=sites,
        title=f"The {MAP_SUPPLIERS} largest local suppliers, sized by {basis}"),
        config={"displaylogo": False})
    if share_now.unplaced_gbp:
        st.caption(f"{fmt.gbp(share_now.unplaced_gbp)} ({fmt.pct(share_now.unplaced_share)}) of "
                   f"the {basis} went to suppliers whose location is not known, on no map.")
else:
    st.info(f"The maps need supplier locations: "
            f"{narrative.known_for(share_now.placed_gbp, share_now.coverage).lower()} of "
            f"{fmt.gbp(share_now.spend_gbp)} {basis}, and they need "
            f"{narrative.share_needed()}. " + narrative.PLACING_SUPPLIERS,
            icon=":material/location_off:")

# -- Leakage ---------------------------------------------------------------------------------
st.subheader("Leakage: spend that leaves the place")
by_cat = tables.leakage_by_category(
    query(spend.spend_totals, orgs, period.first, period.last, place, ("category",)), infl)
if share_now.is_known or not share_now.spend_gbp:
    lc, rc = components.stacking_columns([3, 2], key="leakage")
    with lc:
        top_cats = by_cat.head(10)
        # The title above the chart, where it wraps in a narrow column (a chart's is cut off).
        st.markdown("**The ten categories with most spend outside the place**")
        st.plotly_chart(charts.hbar(top_cats, value_col="non_local_gbp", label_col="category",
                                    text_col="label", value_kind="gbp",
                                    axis_title=f"Non-local {basis}"),
                        config={"displaylogo": False})
    with rc:
        dest_lads = tables.leakage_by_destination(
            query(spend.spend_totals, orgs, period.first, period.last, place, ("lad",)),
            query(reference.lads), infl)
        st.markdown("**Where non-local spend went**")
        components.wide_table(dest_lads.head(12))
        if share_now.unplaced_gbp:
            st.caption(f"Leaving out {fmt.gbp(share_now.unplaced_gbp)} paid to suppliers whose "
                       "location is not known: it is not known to leave the place.")
else:
    st.info("Leakage needs supplier locations, as the local share does: spend whose supplier "
            "is not placed is not known to leave the place.", icon=":material/location_off:")
st.page_link("pages/suppliers.py", icon=":material/storefront:",
             label="Which local businesses could supply these categories: the opportunities")
leak_table = tables.leakage_table(by_cat)
components.downloads(leak_table, f"Leakage by category {period.label}",
                     notes=[place.describe(), f"Basis: {basis}.", f"Period: {period.label}."])

# -- Suppliers -------------------------------------------------------------------------------
st.subheader("Largest suppliers")
sup_table = tables.supplier_table(suppliers, infl)
components.wide_table(tables.for_display(sup_table.head(25)), pin=("Supplier",))
components.downloads(sup_table, f"Suppliers {period.label}",
                     notes=[place.describe(), f"Period: {period.label}."])

# -- Prompt payment --------------------------------------------------------------------------
st.subheader("Prompt payment")
st.dataframe(tables.bppc_table(pay), hide_index=True)
pay_q = query(spend.prompt_payment, orgs, quarters[0], period.last, place, ("quarter",))
pay_series = series_until(tables.bppc_series(pay_q), period.last, window)
if len(pay_series) >= 2:
    res = spc.xmr(pay_series["by_number"], [quarter_label(q) for q in pay_series["quarter_start"]],
                  improvement="up", target=BPPC_TARGET_PCT / 100)
    components.spc_badges(res)
    st.plotly_chart(charts.spc_chart(res, value_kind="pct",
                                     y_title=f"Invoices paid within {BPPC_DAYS} days",
                                     two_sigma=st.session_state.get(state.TWO_SIGMA, False)),
                    config={"displaylogo": False})

# -- Collaboration ---------------------------------------------------------------------------
if len(orgs) > 1:
    st.subheader("Buying together")
    collab = tables.shared_suppliers(suppliers, infl)
    st.markdown(
        f"{fmt.count(len(collab))} suppliers were paid by two or more of the organisations in "
        f"{period.label}, for {fmt.gbp(collab['Combined spend (£)'].sum())} of {basis} between "
        "them: the starting point for buying together.")
    components.wide_table(tables.for_display(collab.head(15)), pin=("Supplier",))
    components.downloads(collab, f"Suppliers shared across the footprint {period.label}")
    cats = query(spend.shared_categories, orgs, period.first, period.last, place)
    saving_pct = st.number_input(
        "Saving from buying together (% of combined spend)", 0.0, 30.0, 3.0, 0.5,
        key="collab_saving_pct",
        help="Your own estimate. For scale: the Working Together partnership saved £2m on "
             "gloves, needles, sutures and dressings by buying together.")
    collab_cats = tables.shared_category_savings(cats, infl, saving_pct / 100)
    combined = collab_cats["Combined spend (£)"].sum()
    st.markdown(
        f"Categories bought by two or more of the organisations: {fmt.gbp(combined)} "
        f"of {basis} between them; a {saving_pct:g}% saving would be worth "
        f"**{fmt.gbp(combined * saving_pct / 100)}**.")
    components.wide_table(tables.for_display(collab_cats), pin=("Category",))
    components.downloads(collab_cats, f"Categories bought together {period.label}",
                         notes=[f"Saving assumed: {saving_pct:g}% of combined spend."])

components.definitions([
    ("Place", place.describe()),
    ("Local share", narrative.local_share_definition(basis, share_now)),
    ("Influenceable spend", "In-scope spend less national frameworks, payments to NHS bodies, PFI "
     "charges, drugs on national contracts and payments to public bodies."),
    ("Trend and SPC", "Quarterly local share on an XmR chart (NHS England, Making Data Count): the "
     "mean, process limits at the mean ± 2.66 × the mean moving range, and special causes "
     "(a point outside the limits, 7 in a row on one side of the mean, 7 rising or falling, 2 of "
     "3 in a row beyond two sigma, all on one side of the mean). Limits from fewer than 12 "
     "quarters are provisional. Higher is better. The limits come from the quarters shown: the last 3 "
     "or 5 years up to the period, or every quarter held."),
    ("Commitments", commitment_view.DEFINITION),
    ("Leakage", "In-scope spend with suppliers outside the place, by category and by the local "
     "authority the supplier is based in."),
    ("SME and VCSE", "Spend with suppliers flagged in the supplier register as small or medium "
     "enterprises, or as voluntary, community and social enterprise organisations."),
    ("Prompt payment", f"Better Payment Practice Code: invoices paid within {BPPC_DAYS} days of "
     f"their invoice date, by number and by value; the NHS target is {BPPC_TARGET_PCT:g}%. "
     "Credit notes are left out; lines without an invoice date cannot be judged "
     f"({fmt.count(bppc_all['undated'])} in this period)."),
    ("Buying together", "Suppliers and categories paid by two or more of the selected "
     f"organisations in the period, with what they were paid between them ({basis})."),
    ("Year-earlier comparison", f"The same quarters a year before: {before.label}."),
])
