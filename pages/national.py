"""National comparison: every organisation's local share of spend, each in its own
footprint's home place, ranked against every other (its figures: anchor/views/national.py)."""

import streamlit as st

from anchor import charts
from anchor import formatting as fmt
from anchor.ui import chart, components, frame, money_parts
from anchor.ui.data import SOURCE
from anchor.views import national

frame.require()

filters = components.page_header("National comparison", context=False)
view = national.build(SOURCE, filters)
st.caption(fmt.md_text(view.caption))
if view.empty:
    st.info(view.empty, icon=":material/info:")
    st.stop()

money_parts.tile_row(view.tiles)

st.subheader(view.chart_title)
if view.chart is None:
    st.info(view.no_chart, icon=":material/location_off:")
else:
    chart.show(charts.national_ranking(
        view.chart, value_col=view.share_col, label_col="label", text_col="text",
        highlight_col="ours", highlight_name=filters.footprint_name))
    if view.left_out:
        st.caption(view.left_out)

st.subheader("Every organisation")
money_parts.table(view.table)

components.definitions(view.definitions)
