"""Local multiplier: what the footprint's spend is worth to the place once re-spent, and what
a change would be worth (its figures: anchor/views/multiplier.py)."""

import streamlit as st

from anchor import charts
from anchor.ui import auth as ui_auth
from anchor.ui import chart, components, frame, money_parts
from anchor.ui.data import SOURCE
from anchor.views import multiplier

frame.require()

filters = components.page_header("Local multiplier (LM3)")
view = multiplier.build(SOURCE, filters)
user = ui_auth.current_user()

money_parts.tile_row(view.tiles)
if view.not_known_md:
    st.warning(view.not_known_md, icon=":material/location_off:")
chart.show(charts.lm3_breakdown(view.result))
if view.staff_withheld_note:
    st.caption(view.staff_withheld_note)
st.info(view.coverage, icon=":material/fact_check:")

st.subheader("Assumptions")
st.dataframe(view.assumptions, hide_index=True)
money_parts.assumption_editor(user)

st.subheader("What if?")
left, right = st.columns([2, 3])
with left:
    shift_pct, categories, hire_pct = money_parts.scenario_levers(view.levers)
outcome = view.what_if(shift_pct, categories, hire_pct)
with right:
    money_parts.scenario_result(outcome)
money_parts.save_scenario_form(outcome, user)
money_parts.saved_scenarios(view.saved, view.saved_names, user)

components.definitions(view.definitions)
