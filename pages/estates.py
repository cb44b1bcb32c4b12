"""Estates and assets: land and buildings, how well they are used, and what could be released
(its figures: anchor/views/estates.py)."""

import streamlit as st

from anchor import estates
from anchor import formatting as fmt
from anchor.ui import chart, components, frame, spc_grid, state, tables
from anchor.ui.data import SOURCE
from anchor.views import estates as estates_view

frame.require()

filters = components.page_header("Estates and assets")
view = estates_view.build(SOURCE, filters)
place, period = filters.place, filters.period
if view.no_returns:
    st.info(fmt.md_text(view.no_returns))
    st.stop()

tables.tiles(view.tiles)
st.markdown("\n".join("- " + fmt.md_text(s) for s in view.sentences))

st.subheader(f"Sites {fmt.md_text(place.phrase)}, {period.label}")
size_by = st.segmented_control("Size the circles by", list(estates.SIZE_OPTIONS),
                               default="Site area", key=state.ESTATES_SIZE_BY, required=True)
chart.show(estates.sites_map(view.sites, size_by, context=view.lads,
                                  focus_outline=view.outline, width_px=900),
                config={"scrollZoom": False})
st.caption("Each circle's area is proportional to the site's "
           f"{size_by.lower()}. The place is outlined in blue.")
if view.unplaced:
    st.warning(f"Not counted in any place, as the geography cannot place their postcode: "
               f"{fmt.md_text(view.unplaced)}. Correct the postcode by loading the sites again.",
               icon=":material/location_off:")

st.markdown("**What could be released: land not delivering services and empty floor space**")
if view.release is None:
    st.caption("Every site reports all its land and floor space in use.")
else:
    tables.show(view.release)

st.subheader(f"By organisation, {period.label}")
tables.show(view.organisations)

st.subheader("Floor space, by site")
chart.show(estates.floor_space_chart(view.sites))
tables.show(view.by_site)

spc_grid.show(view.spc)
components.definitions(list(view.definitions))
