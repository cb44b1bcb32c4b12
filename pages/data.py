"""Data: the audit trail of loads, undo, the spend held by month, where suppliers are, data
quality, and removing the demo. For analysts (what it shows: anchor/views/data.py)."""

import streamlit as st

from anchor.ui import auth as ui_auth
from anchor.ui import commitments as commitment_view
from anchor.ui import frame, state, supplier_locations, upload
from anchor.ui.data import SOURCE
from anchor.views import data

frame.require()

st.title("Data")
user = ui_auth.current_user()
if not user.can_load:
    st.info(data.analysts_only(user.role.label), icon=":material/lock:")
    st.stop()

view = data.build(SOURCE, st.session_state.get(state.FILTERS))
if view.empty:
    st.info(data.NOTHING_YET, icon=":material/info:")
    st.stop()

st.subheader("Loads", anchor=False)
st.caption(data.LOADS_ABOUT)
st.dataframe(view.loads, hide_index=True)
upload.undo_control(view.history, user)  # offers only loads undo can reverse

st.subheader("Spend held, by month", anchor=False)
st.caption(view.held_caption)
if not view.held.empty:
    st.dataframe(view.held, hide_index=True)

supplier_locations.section(view.org_names, view.unplaced, user)

st.subheader("Data quality", anchor=False)
for check in view.checks:
    st.markdown(f"**{check.title}**")
    st.caption(check.caption)
    if check.found:
        st.dataframe(check.table, hide_index=True)

st.subheader("Commitments", anchor=False)
st.caption(data.COMMITMENTS_ABOUT)
commitment_view.entry(user)

st.subheader("Change points", anchor=False)
st.caption(data.CHANGE_POINTS_ABOUT)
commitment_view.change_point_entry(user)

if view.has_demo:
    st.subheader("Demo data", anchor=False)
    st.caption(data.DEMO_ABOUT)
    upload.remove_demo_control(user)
