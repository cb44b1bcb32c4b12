"""National comparison: every organisation's local share of spend, each in its own
footprint's home place, ranked against every other."""

import streamlit as st

from anchor import charts, narrative
from anchor import formatting as fmt
from anchor.national import comparison_table, ranked
from anchor.queries import national
from anchor.ui import components, frame
from anchor.ui.data import query

frame.require()

filters = components.page_header("National comparison", context=False)
period = filters.period
st.caption(fmt.md_text(
    f"Every organisation in the warehouse, those of {filters.footprint_name} highlighted · "
    f"{period.label} · local means in the home local authorities of each organisation's own "
    "footprint"))

totals = query(national.national_spend, period.first, period.last)
if totals.empty:
    st.info(f"No organisation has in-scope spend for {period.label}. Choose another period in "
            "the sidebar.", icon=":material/info:")
    st.stop()

comparison = national.national_comparison(totals)
p = "influenceable_" if filters.influenceable else ""
share_col, rank_col = f"{p}local_share", f"{p}rank"
known = ranked(comparison, influenceable=filters.influenceable)
known = known[known[share_col].notna()]
ours = comparison[comparison["footprint_code"] == filters.footprint_code]

n_fp = comparison["footprint_code"].nunique()
c1, c2, c3 = st.columns(3)
with c1:
    components.tile("Organisations with spend", fmt.count(len(comparison)),
                    detail=f"in {fmt.count(n_fp)} footprint{'s' if n_fp != 1 else ''}")
with c2:
    components.tile("Local share known", fmt.count(len(known)),
                    detail=f"for {filters.basis}: at least {narrative.share_needed()} of it placed")
with c3:
    best = ours.dropna(subset=[share_col]).sort_values(rank_col).head(1)
    components.tile(
        f"Best placed in {filters.footprint_name}",
        f"{int(best[rank_col].iat[0])} of {len(known)}" if len(best) else "–",
        detail=(f"{best['org_code'].iat[0]}: {fmt.pct(best[share_col].iat[0])} local"
                if len(best) else "No organisation of the footprint has a known share"))

st.subheader(f"Local share of {filters.basis}, {period.label}")
if known.empty:
    st.info(f"No organisation's local share of {filters.basis} is known yet for {period.label}. "
            + narrative.PLACING_SUPPLIERS, icon=":material/location_off:")
else:
    chart = known.assign(
        label=[f"{c} · {fmt.short_org_name(n)}" for c, n in zip(known["org_code"], known["name"])],
        text=[f"{fmt.pct(v)} (rank {r})" for v, r in zip(known[share_col], known[rank_col])],
        ours=known["footprint_code"] == filters.footprint_code)
    st.plotly_chart(charts.national_ranking(
        chart, value_col=share_col, label_col="label", text_col="text", highlight_col="ours",
        highlight_name=filters.footprint_name), config={"displaylogo": False})
    not_known = len(comparison) - len(known)
    if not_known:
        st.caption(f"{fmt.count(not_known)} organisation{'s' if not_known != 1 else ''} with "
                   f"spend in {period.label} {'are' if not_known != 1 else 'is'} not shown: "
                   "too little of the spend has a known supplier location, or the footprint "
                   "has no home local authorities.")

st.subheader("Every organisation")
st.dataframe(comparison_table(comparison, influenceable=filters.influenceable), hide_index=True)
components.downloads(
    comparison_table(comparison, influenceable=filters.influenceable, download=True),
    f"National comparison {period.label}", key="national",
    notes=[f"Period: {period.label}.",
           "Local means in the home local authorities of each organisation's own footprint.",
           "A local share is of the spend whose supplier location is known, and is left "
           f"blank where less than {narrative.share_needed()} of it is."])

components.definitions([
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
])
