"""Local spend: where the money goes, how it is changing, and what could come home (its
figures: anchor/views/local_spend.py)."""

import streamlit as st

from anchor import formatting as fmt
from anchor.ui import commitments as commitment_view
from anchor.ui import components, frame, spend_parts, state
from anchor.ui.data import SOURCE
from anchor.views import local_spend

frame.require()

filters = components.page_header("Local spend")
view = local_spend.build(SOURCE, filters)
period = filters.period

spend_parts.tile_row(view.tiles)
st.markdown("- " + fmt.md_text(view.sentence))

st.subheader("Local share over time")
window = components.spc_window("local_spend")
# Spend is loaded by month, so its points are months; quarters when asked for (and always
# for the other pages' measures, whose returns are quarterly).
by = st.segmented_control("Points", ["By month", "By quarter"], default="By month",
                          required=True, key=state.SPEND_POINTS)
trend = view.trend(monthly=by == "By month", window=window)
spend_parts.trend(trend)
commitment_view.unused_note(trend.unused)
commitment_view.show(view.tracked, key="spend", basis_shown=filters.basis)

st.subheader(f"Where the money goes, {period.label}")
scale = st.segmented_control("Show", ["Local authorities", "Neighbourhoods in the place"],
                             default="Local authorities", key="spend_map_scale", required=True)
if view.map_needs is None:
    spend_parts.spend_maps(view.maps(neighbourhoods=scale != "Local authorities"))
else:
    st.info(view.map_needs, icon=":material/location_off:")

st.subheader("Leakage: spend that leaves the place")
spend_parts.leakage(view.leakage)
st.page_link("pages/suppliers.py", icon=":material/storefront:",
             label="Which local businesses could supply these categories: the opportunities")
spend_parts.download(view.leakage.download)

st.subheader("Largest suppliers")
spend_parts.table(view.suppliers, pin=("Supplier",))

st.subheader("Prompt payment")
st.dataframe(view.payments, hide_index=True)
spend_parts.spc_chart(view.payment_spc(window), y_title=local_spend.ON_TIME)

if view.shared_suppliers is not None:
    st.subheader("Buying together")
    st.markdown(view.shared_sentence)
    spend_parts.table(view.shared_suppliers, pin=("Supplier",))
    saving_pct = st.number_input(
        "Saving from buying together (% of combined spend)", 0.0, 30.0, 3.0, 0.5,
        key="collab_saving_pct",
        help="Your own estimate. For scale: the Working Together partnership saved £2m on "
             "gloves, needles, sutures and dressings by buying together.")
    savings = view.savings(saving_pct)
    st.markdown(savings.sentence_md)
    spend_parts.table(savings.categories, pin=("Category",))

components.definitions(view.definitions)
