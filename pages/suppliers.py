"""Local suppliers: the directory of what local businesses can supply (the "virtual
hospital"), and the opportunities where the footprint's spend leaves the place."""

import streamlit as st

from anchor import charts, maps, tables
from anchor import formatting as fmt
from anchor.charts import NHS_BLUE, NHS_MID_GREY
from anchor.geography.shapes import subset
from anchor.queries import directory, geo
from anchor.ui import auth as ui_auth
from anchor.ui import components, frame
from anchor.ui.data import query, shapes
from anchor.ui.reference_upload import reference_upload

frame.require()

filters = components.page_header("Local suppliers")
orgs, place, period = filters.orgs, filters.place, filters.period
businesses = query(directory.directory, orgs, place)
opps = query(directory.opportunities, orgs, period.first, period.last, place)
user = ui_auth.current_user()

if businesses.empty:
    st.info(f"The directory has no businesses {fmt.md_text(place.phrase)}. Load one below, or choose "
            "another place in the sidebar.")
    reference_upload("directory", user)
    st.stop()

c1, c2, c3, c4 = st.columns(4)
with c1:
    components.tile("Local businesses in the directory", fmt.count(len(businesses)),
                    detail=f"{fmt.count(businesses['is_supplier'].sum())} already supply the "
                           "organisations")
with c2:
    components.tile("Approved for health-sector supply",
                    fmt.count(businesses["health_approved"].fillna(False).sum()),
                    detail="Ready to bid for NHS contracts")
with c3:
    components.tile("Categories they cover", fmt.count(businesses["categories"].explode().nunique()))
with c4:
    components.tile("Spend they could win", fmt.gbp(opps["non_local_gbp"].sum()),
                    detail=f"Influenceable spend outside the place in {period.label}, in "
                           "categories local businesses supply")

st.subheader("Opportunities: where spend leaves and local businesses can supply")
if opps.empty:
    st.info("No category has both spend outside the place and a local business that supplies it.")
else:
    # The whole width: each bar carries its value and how many local businesses could supply it.
    top = opps.head(10).assign(label=[
        f"{fmt.gbp(v)} · {n} local businesses" for v, n in zip(opps["non_local_gbp"].head(10),
                                                               opps["businesses"].head(10))])
    st.plotly_chart(charts.hbar(top, value_col="non_local_gbp", label_col="category",
                                text_col="label", value_kind="gbp",
                                axis_title="Influenceable spend outside the place"),
                    config={"displaylogo": False})
    opp_table = tables.opportunities_table(opps)
    st.dataframe(tables.for_display(opp_table), hide_index=True)
    components.downloads(opp_table, f"Opportunities {period.label}",
                         notes=[place.describe(), f"Period: {period.label}."])
    category = st.selectbox("Who could supply", list(opps["category"]), key="opportunity_category")
    able = businesses[businesses["categories"].map(lambda cs: category in cs)]
    st.dataframe(tables.directory_table(able)[["Business", "Based in", "Health-sector approved",
                                               "Already a supplier"]], hide_index=True)

st.subheader("Where they are")
focus = list(place.lad_codes) if place.kind == "lads" else query(geo.lads_of_sites, orgs)
lads_fc = shapes(geo.lad_shapes_near, tuple(focus), id_col="lad_code", props=("lad_name",))
near = query(geo.lad_shapes_near, tuple(focus))
shown = businesses.assign(group=businesses["health_approved"].map(
    {True: "Approved for health-sector supply", False: "Not yet approved"}).fillna("Not yet approved"))
st.plotly_chart(maps.points(
    shown, group_col="group", label_col="name",
    groups={"Approved for health-sector supply": NHS_BLUE, "Not yet approved": NHS_MID_GREY},
    hover_text=[charts.plotly_text(f"{pc} · {'; '.join(cs)}")
                for pc, cs in zip(shown["postcode"], shown["categories"])],
    context=lads_fc, focus_outline=subset(lads_fc, near.loc[near["in_focus"], "lad_code"])),
    config={"displaylogo": False})

st.subheader("What our place can supply")
st.caption("For a main contractor, a new hospital's developer or a buyer: every category, with "
           "the local businesses that supply it. Approved suppliers are listed first.")
for category, group in tables.showcase(businesses):
    approved = int(group["health_approved"].fillna(False).sum())
    with st.expander(f"{fmt.md_text(category)}: {len(group)} businesses, {approved} health-sector approved"):
        st.dataframe(tables.directory_table(group).drop(columns=["Can supply"]), hide_index=True)
directory_download = tables.directory_table(businesses)
components.downloads(directory_download, "What our place can supply",
                     notes=[place.describe(), "Source: the local supplier directory."])
reference_upload("directory", user)

components.definitions([
    ("Place", place.describe()),
    ("Directory", "Local businesses, with what they can supply (spend categories), whether they "
     "are small firms or voluntary organisations, and whether they are approved for health-sector "
     "supply or on a framework. Analysts keep it up to date by loading it as a file."),
    ("Opportunities", f"Influenceable spend in {period.label} with suppliers outside the place, in "
     "categories at least one business in the directory can supply, largest first."),
])
