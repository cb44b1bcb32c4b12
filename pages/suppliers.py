"""Local suppliers: the directory of what local businesses can supply (the "virtual
hospital"), and the opportunities where the footprint's spend leaves the place (its figures:
anchor/views/suppliers.py)."""

import streamlit as st

from anchor import charts, maps
from anchor.ui import auth as ui_auth
from anchor.ui import chart, components, frame, money_parts
from anchor.ui.data import SOURCE
from anchor.ui.reference_upload import reference_upload
from anchor.views import suppliers

frame.require()

filters = components.page_header("Local suppliers")
view = suppliers.build(SOURCE, filters)
user = ui_auth.current_user()

if view.empty_md:
    st.info(view.empty_md)
    reference_upload("directory", user)
    st.stop()

money_parts.tile_row(view.tiles)

st.subheader("Opportunities: where spend leaves and local businesses can supply")
if view.opportunities is None:
    st.info(suppliers.NO_OPPORTUNITIES)
else:
    chart.show(charts.hbar(view.chart, value_col="non_local_gbp", label_col="bar",
                           text_col="label", value_kind="gbp", wrapped=True,
                           axis_title="Influenceable spend outside the place"))
    money_parts.table(view.opportunities)
    category = st.selectbox("Who could supply", view.categories, key="opportunity_category")
    st.dataframe(view.able(category), hide_index=True)

st.subheader("Where they are")
m = view.map
chart.show(maps.points(m.points, group_col="group", label_col="name",
                            groups=suppliers.GROUPS, hover_text=m.hover_text, context=m.lads,
                            focus_outline=m.focus))

st.subheader("What our place can supply")
st.caption(suppliers.SHOWCASE_NOTE)
for item in view.showcase:
    with st.expander(item.title_md):
        st.dataframe(item.table, hide_index=True)
money_parts.downloads(view.directory)
reference_upload("directory", user)

components.definitions(view.definitions)
