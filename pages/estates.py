"""Estates and assets: land and buildings, how well they are used, and what could be released."""

import streamlit as st

from anchor import estates
from anchor import formatting as fmt
from anchor.config import EMPTY_UNDERUSED_MAX_PCT, NON_CLINICAL_MAX_PCT
from anchor.geography.shapes import subset
from anchor.metrics import series_until
from anchor.periods import quarter_label
from anchor.queries import estate, geo, reference
from anchor.ui import components, frame, state
from anchor.ui.data import query, shapes

frame.require()

PLOT_CONFIG = {"displaylogo": False}
# How many quarters the SPC charts show; their limits come from those quarters.

filters = components.page_header("Estates and assets")
orgs, place, period = filters.orgs, filters.place, filters.period
names = query(reference.organisations, filters.footprint_code).set_index("org_code")["name"].to_dict()

sites = query(estate.estate_sites, orgs, period.first, period.last, place)
if sites.empty:
    st.info(f"No site {fmt.md_text(place.phrase)} has an estates return for {period.label}. Choose another "
            "period, organisation or place, or load the estates returns.")
    st.stop()

before = period.year_earlier()
then_sites = query(estate.estate_sites, orgs, before.first, before.last, place)
t = estates.totals(sites)
h = estates.Headlines(t)
latest = quarter_label(sites["snapshot_quarter"].max().date())

c1, c2, c3 = st.columns(3)
with c1:
    components.tile(
        "Land not delivering services", fmt.hectares(t["land_not_delivering_ha"]),
        delta=(None if then_sites.empty else
               fmt.hectares_change(t["land_not_delivering_ha"],
                                   then_sites["land_not_delivering_ha"].sum())
               + " on a year earlier"),
        delta_color="off",
        detail=f"{fmt.pct(t['land_share'])} of {fmt.hectares(t['site_area_ha'])} at "
               f"{estates.n_sites(t['sites'])}: land that could be released",
    )
with c2:
    gap = h.empty_underused_vs_target
    components.tile(
        "Empty or under-used space", fmt.pct(t["empty_underused_share"]),
        delta=None if gap is None else f"{gap} vs {EMPTY_UNDERUSED_MAX_PCT:g}% limit",
        delta_color="inverse",
        detail=f"{estates.m2(t['empty_m2'])} empty and {estates.m2(t['underused_m2'])} under-used "
               f"of {estates.m2(t['gia_m2'])}",
    )
with c3:
    gap = h.non_clinical_vs_target
    components.tile(
        "Non-clinical floor space", fmt.pct(t["non_clinical_share"]),
        delta=None if gap is None else f"{gap} vs Carter's {NON_CLINICAL_MAX_PCT:g}%",
        delta_color="inverse",
        detail=f"{estates.m2(t['non_clinical_m2'])} of {estates.m2(t['gia_m2'])} gross internal area",
    )
c4, c5, c6 = st.columns(3)
with c4:
    components.tile(
        "Backlog maintenance", fmt.gbp(t["backlog_cost_gbp"]),
        detail=f"{estates.per_m2(t['backlog_per_m2'])} of floor area, at the latest returns",
    )
with c5:
    components.tile(
        "Carbon from energy, tCO2e", fmt.count(t["carbon_tco2e"]),
        detail=f"{estates.energy(t['energy_kwh'])} of energy used in {period.label}",
    )
with c6:
    components.tile(
        "Community use, hours", fmt.count(t["community_use_hours"]),
        detail=f"Hours the sites were used by the community in {period.label}",
    )

st.markdown("\n".join("- " + fmt.md_text(s) for s in estates.sentences(
    sites, then_sites, period_label=period.label, then_label=before.label, then_last=before.last,
    place_phrase=place.phrase)))

# -- the map and what could be released -----------------------------------------------------
st.subheader(f"Sites {fmt.md_text(place.phrase)}, {period.label}")
focus = tuple(place.lad_codes) if place.kind == "lads" else tuple(query(geo.lads_of_sites, orgs))
lads_fc = shapes(geo.lad_shapes_near, focus, id_col="lad_code", props=("lad_name",))
near = query(geo.lad_shapes_near, focus)
outline = subset(lads_fc, near.loc[near["in_focus"], "lad_code"]) if place.kind == "lads" else None
size_by = st.segmented_control("Size the circles by", list(estates.SIZE_OPTIONS),
                               default="Site area", key=state.ESTATES_SIZE_BY, required=True)
st.plotly_chart(estates.sites_map(sites, size_by, context=lads_fc, focus_outline=outline,
                                  width_px=900),
                config={**PLOT_CONFIG, "scrollZoom": False})
st.caption("Each circle's area is proportional to the site's "
           f"{size_by.lower()}. The place is outlined in blue.")
unplaced = query(estate.unplaced_sites, orgs)
if not unplaced.empty:
    named = "; ".join(f"{r.site_name} ({r.org_code}, {r.postcode or 'no postcode'})"
                      for r in unplaced.itertuples())
    st.warning(f"Not counted in any place, as the geography cannot place their postcode: "
               f"{named}. Correct the postcode by loading the sites again.",
               icon=":material/location_off:")

st.markdown("**What could be released: land not delivering services and empty floor space**")
release = estates.release_table(sites)
if release.empty:
    st.caption("Every site reports all its land and floor space in use.")
else:
    st.table(release, hide_index=True)
    components.downloads(estates.release_table(sites, download=True),
                         "Land and buildings that could be released",
                         notes=[place.describe(), f"Latest returns in {period.label}."],
                         key="estates-release")

# -- by organisation and by site --------------------------------------------------------------
st.subheader(f"By organisation, {period.label}")
orgs_frame = estates.by_organisation(sites)
st.table(estates.organisation_table(orgs_frame, names), hide_index=True)
notes = [place.describe(), f"Land, floor space and backlog from each site's latest return in "
         f"{period.label}; energy, carbon and community use added up over the period."]
components.downloads(estates.organisation_table(orgs_frame, names, download=True),
                     "Estates by organisation", notes=notes, key="estates-orgs")

st.subheader("Floor space, by site")
st.plotly_chart(estates.floor_space_chart(sites), config=PLOT_CONFIG)
st.table(estates.site_table(sites), hide_index=True)
components.downloads(estates.site_table(sites, download=True), "Estates by site", notes=notes,
                     key="estates-sites")

# -- SPC -------------------------------------------------------------------------------------
st.subheader("Quarter by quarter")
window = components.spc_window("estates")
quarters = query(reference.data_quarters, orgs)
history = series_until(estates.quarterly_series(
    query(estate.estate_by_quarter, orgs, quarters[0], quarters[-1], place)), period.last,
    window)
st.caption(f"Statistical process control (Making Data Count XmR charts) up to {period.label}, "
           "over the sites that made a return each quarter: the mean and process limits "
           "(mean ± 2.66 × the mean moving range); blue points are special cause improving, "
           "orange concerning.")
cols = st.columns(2)
for i, metric in enumerate(estates.SPC_METRICS):
    with cols[i % 2]:
        components.spc_card(metric.title, estates.spc_for(history, metric), kind=metric.kind,
                            key=f"spc-{metric.column}", note=metric.definition)

# -- definitions -----------------------------------------------------------------------------
components.definitions([
    ("Place", place.describe() + " A site is in the place when its postcode is."),
    ("Snapshot and flows",
     f"Land, floor space and backlog come from each site's latest return in {period.label} "
     f"(the latest is {latest}); energy, carbon and community use hours add up every return in "
     "the period."),
    ("Land not delivering services",
     "Hectares of each site not used to deliver services (the ERIC measure): what could be "
     "released for housing, regeneration or community use, as a share of the site area."),
    ("Empty or under-used floor space",
     "Empty plus under-used m² as a share of gross internal area (GIA). The target is at most "
     f"{EMPTY_UNDERUSED_MAX_PCT:g}%."),
    ("Non-clinical floor space",
     "Non-clinical m² as a share of GIA. Lord Carter's review of hospital productivity set "
     f"at most {NON_CLINICAL_MAX_PCT:g}%."),
    ("Backlog maintenance",
     "The cost to bring the estate up to condition, in £ and in £ per m² of GIA."),
    ("Energy and carbon",
     "Energy the sites used (kWh) and the tonnes of CO2e it produced, over the period."),
    ("Community use", "Hours the sites were used by community groups, over the period."),
    ("Year-earlier comparison", f"The sites' latest returns in {before.label}."),
])
