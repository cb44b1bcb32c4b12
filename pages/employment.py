"""Local employment: where staff live, who they are, and the pay they take home into the place."""

import streamlit as st

from anchor import disclosure, employment
from anchor import formatting as fmt
from anchor.config import APPRENTICESHIP_TARGET_PCT
from anchor.geography.shapes import subset
from anchor.metrics import series_until
from anchor.periods import add_quarters, quarter_label
from anchor.queries import geo, reference, workforce
from anchor.ui import auth as ui_auth
from anchor.ui import components, frame
from anchor.ui.data import query, shapes
from anchor.ui.imd_upload import imd_upload

frame.require()

PLOT_CONFIG = {"displaylogo": False}


filters = components.page_header("Local employment")
orgs, place, period = filters.orgs, filters.place, filters.period
who = "the footprint" if len(orgs) > 1 else orgs[0]
names = query(reference.organisations, filters.footprint_code).set_index("org_code")["name"].to_dict()

by_org = query(workforce.workforce_totals, orgs, period.first, period.last, place, ("org",))
if by_org.empty:
    st.info(f"No workforce returns for {fmt.md_text(', '.join(orgs))} in {period.label}. Choose another "
            "period or organisation, or load the workforce data.")
    st.stop()

year_to_end = add_quarters(period.last, -3)  # apprenticeship starts: the 12 months to the end
figures = employment.organisation_figures(
    by_org,
    query(workforce.workforce_totals, orgs, year_to_end, period.last, place, ("org",)),
    query(workforce.deprivation_by_org, orgs, period.first, period.last),
)
protected = employment.protected_figures(figures, employment.small_cell_orgs(
    query(workforce.workforce_totals, orgs, period.first, period.last, place, ("org", "lad"))))
h = employment.headlines(protected)
before = period.year_earlier()
then = query(workforce.workforce_totals, orgs, before.first, before.last, place)
then_local = int(then["local_headcount"].iat[0]) if int(then["headcount"].iat[0]) else None
snapshot = quarter_label(by_org["snapshot_quarter"].max().date())
imd_source, synthetic = query(workforce.deprivation_source)
deciles_note = " Synthetic demo deciles." if synthetic else ""

c1, c2, c3 = st.columns(3)
with c1:
    components.tile(
        "Residents employed", h.count("local_headcount"),
        delta=employment.change_text(h["local_headcount"], then_local),
        detail=(f"{employment.text_pct(h['residents_share'])} of {h.count('headcount')} staff; "
                f"{employment.text_number(h['local_fte'])} of "
                f"{employment.text_number(h['fte'])} FTE, end of {snapshot}"),
    )
with c2:
    components.tile(
        "Pay into the place", employment.text_gbp(h["local_gross_pay_gbp"]),
        detail=(f"{employment.text_pct(h['local_pay_share'])} of "
                f"{employment.text_gbp(h['gross_pay_gbp'])} gross pay in {period.label}"),
    )
with c3:
    rate = h["apprenticeship_rate"]
    components.tile(
        "Apprenticeship starts", employment.text_pct(rate),
        delta=None if rate is None else (
            f"{fmt.points_change(rate, employment.APPRENTICESHIP_TARGET)} vs "
            f"{APPRENTICESHIP_TARGET_PCT:g}% target"),
        detail=(f"{h.count('apprentices')} starts in the 12 months to {snapshot}, as a share "
                f"of headcount; target {APPRENTICESHIP_TARGET_PCT:g}%"),
    )
c4, c5, c6 = st.columns(3)
with c4:
    components.tile(
        "Staff, most deprived 20%", employment.text_pct(h["staff_deprived_20_share"]),
        detail=(f"of staff live in the most deprived 20% of neighbourhoods; 10%: "
                f"{employment.text_pct(h['staff_deprived_10_share'])}.{deciles_note}"),
    )
with c5:
    components.tile(
        "Starters, most deprived 20%", employment.text_pct(h["starters_deprived_20_share"]),
        detail=(f"of the {h.count('starters')} who started in {period.label}; 10%: "
                f"{employment.text_pct(h['starters_deprived_10_share'])}.{deciles_note}"),
    )
with c6:
    components.tile(
        "Below Real Living Wage", h.count("below_living_wage"), delta_color="off",
        detail=f"Staff paid below the Real Living Wage at the end of {snapshot}. Target: none.",
    )

st.markdown("\n".join(
    "- " + fmt.md_text(s) for s in employment.sentences(
        h, period_label=period.label, snapshot_label=snapshot, who=who,
        place_phrase=place.phrase, then_local_headcount=then_local, synthetic=synthetic)))
st.caption(employment.NOTE_MD)

# -- where staff live ----------------------------------------------------------------------
st.subheader(f"Where staff live, end of {snapshot}")
total_staff = int(figures.loc[figures["org_code"] == employment.ALL, "headcount"].iat[0])
by_lsoa = query(workforce.staff_by_home_lsoa, orgs, period.first, period.last, place)
lads = employment.residents_by_lad(by_lsoa, total_staff)
values = employment.lsoa_values(
    by_lsoa, total_staff, withheld_lads=lads.loc[lads["local_headcount"].isna(), "lad_code"])
if place.kind == "lads":
    lsoa_lads = tuple(place.lad_codes)
    focus = tuple(place.lad_codes)
else:
    lsoa_lads = tuple(sorted(values["lad_code"].unique()))
    focus = tuple(sorted(set(query(geo.lads_of_sites, orgs)) | set(lsoa_lads)))
lads_fc = shapes(geo.lad_shapes_near, focus, id_col="lad_code", props=("lad_name",))
near = query(geo.lad_shapes_near, focus)
outline = subset(lads_fc, near.loc[near["in_focus"], "lad_code"]) if place.kind == "lads" else None
lsoa_fc = shapes(geo.lsoa_shapes, lsoa_lads, id_col="lsoa_code", props=("lsoa_name",))
map_col, lad_col = st.columns([5, 2])
with map_col:
    if values.empty:
        st.info(f"None of the organisations' staff live {fmt.md_text(place.phrase)}.")
    else:
        st.plotly_chart(
            employment.staff_home_map(lsoa_fc, values, context=lads_fc, focus_outline=outline,
                                      sites=query(geo.site_points, orgs)),
            config={**PLOT_CONFIG, "scrollZoom": False},
        )
        st.caption("Each neighbourhood (LSOA) is shaded by the share of all the organisations' "
                   "staff who live there. Grey: not shown, to protect a count of 1 to 4 staff. "
                   "The place is outlined in blue; orange dots are sites.")
with lad_col:
    st.markdown("**Residents employed, by local authority**")
    st.table(fmt.md_table(employment.lad_table(lads)), hide_index=True,
             height=460 if len(lads) > 12 else "content")
components.downloads(employment.lad_table(lads, download=True),
                     "Residents employed by local authority",
                     notes=[place.describe(), f"Staff at the end of {snapshot}.", disclosure.NOTE],
                     key="employment-lads")

# -- by organisation -----------------------------------------------------------------------
st.subheader(f"Residents employed and pay, by organisation, {period.label}")
table_notes = [place.describe(), f"Period: {period.label}. Headcount and FTE at the end of "
               f"{snapshot}; pay and starters over the period.", disclosure.NOTE]
st.table(fmt.md_table(employment.residents_table(protected, names)),
         hide_index=True)
components.downloads(employment.residents_table(protected, names, download=True),
                     "Residents employed and pay into the place", notes=table_notes,
                     key="employment-residents")


# -- deprivation profile -------------------------------------------------------------------
st.subheader("Deprivation profile")
if synthetic:
    st.warning(employment.SYNTHETIC_NOTE, icon=":material/science:")
profile = employment.decile_profile(query(workforce.deprivation_by_org, orgs, period.first,
                                          period.last))
st.plotly_chart(employment.deprivation_chart(profile, synthetic=synthetic), config=PLOT_CONFIG)
st.caption(f"Staff at the end of {snapshot} and those who started in {period.label}, by the "
           "deprivation decile of the neighbourhood they live in, whether in the place or not. "
           "Bars resting on 1 to 4 people are left out.")
st.markdown("**Share living in the most deprived 10% and 20% of neighbourhoods, by "
            "organisation**" + (" (synthetic demo deciles)" if synthetic else ""))
st.table(fmt.md_table(employment.deprivation_table(protected, names)),
         hide_index=True)
components.downloads(
    employment.deprivation_table(protected, names, download=True),
    "Deprivation profile by organisation",
    notes=table_notes + [f"Deprivation deciles: {imd_source or 'none loaded'}."]
    + ([employment.SYNTHETIC_NOTE] if synthetic else []),
    key="employment-deprivation")
imd_upload(ui_auth.current_user(), synthetic=synthetic)

# -- apprenticeships and the Real Living Wage ---------------------------------------------------
st.subheader("Apprenticeships and the Real Living Wage")
st.table(fmt.md_table(employment.apprenticeship_table(protected, names)),
         hide_index=True)
components.downloads(
    employment.apprenticeship_table(protected, names, download=True),
    "Apprenticeships and the Real Living Wage by organisation",
    notes=table_notes + [f"Apprenticeship starts in the 12 months to {snapshot}; public-sector "
                         f"target {APPRENTICESHIP_TARGET_PCT:g}% of headcount."],
    key="employment-apprenticeships")

# -- SPC -----------------------------------------------------------------------------------
st.subheader("Quarter by quarter")
window = components.spc_window("employment")
quarters = query(reference.data_quarters, orgs)
history = series_until(employment.quarterly_series(
    query(workforce.workforce_by_quarter, orgs, quarters[0], quarters[-1], place)), period.last,
    window)
st.caption(f"Statistical process control (Making Data Count XmR charts) up to {period.label}: "
           "the mean and process limits (mean ± 2.66 × the mean moving range); blue points "
           "are special cause improving, orange concerning.")
cols = st.columns(2)
for i, metric in enumerate(employment.SPC_METRICS):
    with cols[i % 2]:
        result, left_out = employment.spc_for(history, metric)
        note = metric.definition
        if metric.column == "starters_deprived_20_share" and synthetic:
            note += " Synthetic demo deciles."
        if left_out:
            note += (f" {left_out} quarter{'s' if left_out > 1 else ''} left out: no value, or "
                     "resting on 1 to 4 people.")
        components.spc_card(metric.title, result, kind=metric.kind, key=f"spc-{metric.column}",
                            note=note, empty="Too few quarters to chart (a quarter resting on 1 "
                                             "to 4 people is left out).")

# -- definitions ---------------------------------------------------------------------------
components.definitions([
    ("Place", place.describe()),
    ("Residents employed",
     f"Headcount and FTE at the end of {snapshot} (each organisation's latest quarter in the "
     "period) whose home LSOA lies in the place. Staff with no usable home LSOA "
     f"({h.count('unplaced_headcount')}) count as not local."),
    ("Pay into the place",
     f"Gross pay paid in {period.label} to staff whose home LSOA lies in the place, added up "
     "over the period's quarters, as a share of all gross pay."),
    ("Deprivation profile",
     "Share of staff (at the end of the period) and of new starters (joining in the period) "
     "whose home LSOA is among the most deprived 10% (IMD decile 1) or 20% (deciles 1 and 2) "
     "of LSOAs in England, of those whose home has a decile (homes outside England or unknown "
     f"are left out). Deciles: {imd_source or 'none loaded'}." + (
         f" {employment.SYNTHETIC_NOTE}" if synthetic else "")),
    ("Apprenticeship starts",
     f"Apprenticeship starts in the four quarters to the end of {snapshot} divided by headcount "
     f"at its end. The public-sector target is {APPRENTICESHIP_TARGET_PCT:g}% of headcount a "
     "year."),
    ("Below the Real Living Wage",
     f"Staff at the end of {snapshot} paid below the Real Living Wage, as the organisations "
     "report it. The target is none."),
    ("Disclosure control", disclosure.RULE),
    ("Year-earlier comparison", f"Residents employed in {before.label}."),
])
