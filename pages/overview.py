"""Overview: the board's one-screen answer (its figures: anchor/views/overview.py)."""

import streamlit as st

from anchor import formatting as fmt
from anchor import maps, narrative
from anchor.charts import local_share_trend, organisation_comparison
from anchor.ui import chart, components, frame, tiles
from anchor.ui import commitments as commitment_view
from anchor.ui.data import SOURCE
from anchor.views import overview

frame.require()

filters = components.page_header("Overview")
view = overview.build(SOURCE, filters)
period = filters.period

for row in range(0, len(view.tiles), 3):  # rows of three hold on a laptop
    for col, figure in zip(st.columns(3), view.tiles[row:row + 3]):
        with col:
            tiles.figure_tile(figure)
components.spc_key()
commitment_view.show(view.tracked, key="overview", height=320, basis_shown=filters.basis,
                     heading="Commitments", compact=True)

left, right = st.columns([3, 2])
with left:
    st.subheader("Local share of spend, by quarter")
    if view.has_trend:
        chart.show(local_share_trend(view.trend, highlight=(period.first, period.last)))
    unknown = components.unknown_quarters_note(view.trend)
    if unknown:
        st.caption(unknown)
with right:
    st.subheader(f"By organisation, {period.label}")
    if view.has_org_shares:
        chart.show(organisation_comparison(view.by_org, value_col=view.share_col,
                                           label_col="organisation", text_col="label",
                                           axis_title="Local share"))
    else:
        st.info(f"No organisation's local share is known yet for {period.label}. "
                + narrative.PLACING_SUPPLIERS, icon=":material/location_off:")

st.subheader(f"Where the money went, {period.label}")
if view.map is not None:
    m = view.map
    map_col, note_col = components.stacking_columns([3, 1], key="map")
    with map_col:
        chart.show(maps.choropleth(
            m.lads, m.destinations, id_col="lad_code", value_col="share", label_col="lad_name",
            hover_text=[f"{fmt.gbp(g)} · {fmt.pct(s)} of {filters.basis}"
                        for g, s in zip(m.destinations["gbp"], m.destinations["share"])],
            colorbar_title=f"Share of {filters.basis}", context=m.lads, focus_outline=m.focus,
            sites=m.sites), config={"scrollZoom": False})
    with note_col:
        st.markdown("**Largest shares on the map**")
        # A plain table, whose names wrap: in a quarter of the page a grid cut off its Share.
        st.table(m.largest, hide_index=True, border="horizontal")
        st.caption(m.note)
else:
    st.info(view.map_needs, icon=":material/location_off:")

components.wide_table(view.organisations, pin=("Code", "Organisation"))
if view.residents_note:
    st.caption(view.residents_note)
components.definitions(view.definitions)
