"""Local employment: where staff live, who they are, and the pay they take home into the place
(its figures: anchor/views/employment.py)."""

import streamlit as st

from anchor import employment
from anchor import formatting as fmt
from anchor.ui import auth as ui_auth
from anchor.ui import chart, components, frame, spc_grid, tables
from anchor.ui.data import SOURCE
from anchor.ui.imd_upload import imd_upload
from anchor.views import employment as employment_view

frame.require()

filters = components.page_header("Local employment")
view = employment_view.build(SOURCE, filters)
period = filters.period
if view.no_returns:
    st.info(fmt.md_text(view.no_returns))
    st.stop()

tables.tiles(view.tiles)
st.markdown("\n".join("- " + fmt.md_text(s) for s in view.sentences))
st.caption(employment.NOTE_MD)

st.subheader(f"Where staff live, end of {view.snapshot}")
m = view.staff_map
map_col, lad_col = st.columns([5, 2])
with map_col:
    if m.none_live_here:
        st.info(fmt.md_text(m.none_live_here))
    else:
        chart.show(employment.staff_home_map(m.lsoas, m.values, context=m.lads,
                                                  focus_outline=m.outline, sites=m.sites),
                        config={"scrollZoom": False})
        st.caption(employment_view.MAP_CAPTION)
with lad_col:
    st.markdown("**Residents employed, by local authority**")
    tables.show(view.lads, downloads=False)
tables.download(view.lads)

st.subheader(f"Residents employed and pay, by organisation, {period.label}")
tables.show(view.residents)

st.subheader("Deprivation profile")
if view.synthetic:
    st.warning(employment.SYNTHETIC_NOTE, icon=":material/science:")
chart.show(employment.deprivation_chart(view.deprivation_profile, synthetic=view.synthetic))
st.caption(f"Staff at the end of {view.snapshot} and those who started in {period.label}, by the "
           "deprivation decile of the neighbourhood they live in, whether in the place or not. "
           "Bars resting on 1 to 4 people are left out.")
st.markdown("**Share living in the most deprived 10% and 20% of neighbourhoods, by "
            "organisation**" + (" (synthetic demo deciles)" if view.synthetic else ""))
tables.show(view.deprivation)
imd_upload(ui_auth.current_user(), synthetic=view.synthetic)

st.subheader("Apprenticeships and the Real Living Wage")
tables.show(view.apprenticeships)

spc_grid.show(view.spc)
components.definitions(list(view.definitions))
