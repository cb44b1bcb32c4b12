"""The Data page's section on where suppliers are: how much of each organisation-quarter's
spend has a supplier with a known location, every match made with how and how surely, the
suppliers still unplaced, and the analyst's controls to place suppliers from the Companies
House register held and to correct one by hand."""

from __future__ import annotations

import streamlit as st

from anchor import auth
from anchor import formatting as fmt
from anchor.loading import report
from anchor.loading.companies import correct_supplier_location, place_suppliers
from anchor.loading.validation import plural
from anchor.queries import loads
from anchor.ui import state
from anchor.ui.data import query, warehouse


def section(org_names: dict[str, str], unplaced, user: auth.User) -> None:
    st.subheader("Where suppliers are", anchor=False)
    done = st.session_state.pop(state.PLACE_DONE, None)
    if done:
        st.success(done, icon=":material/location_on:")
    coverage = query(loads.placed_by_org_quarter)
    if coverage.empty:
        st.caption("No spend is loaded yet.")
        return
    st.caption("A local share needs each supplier's postcode. Published spend files give "
               "none: import Companies House's free Basic Company Data (`anchor companies "
               "FILE`, the CSV or its zipped parts as published) and suppliers are placed by "
               "company number, NHS bodies by NHS Digital's organisations, then by company "
               "name. Shares are shown once 80% of a period's spend is placed.")
    st.dataframe(report.placed_coverage_table(coverage, org_names), hide_index=True)

    held, last = query(loads.companies_held)
    left, right = st.columns([3, 2])
    with left:
        st.markdown(f"**Companies House register:** {fmt.md_text(last)}" if last else
                    "**Companies House register:** none imported yet.")
    with right:
        if st.button("Place suppliers from what is held", key="place_suppliers",
                     icon=":material/travel_explore:",
                     help="Suppliers with no location are matched again: after a new spend "
                          "file, or a new import of the register."):
            _place(user)

    located = query(loads.supplier_locations)
    st.markdown("**Matches to review**")
    if located.empty:
        st.caption("None yet: no supplier has been placed by a match.")
    else:
        st.caption(f"{plural(len(located), 'supplier')} placed or flagged by a match, least "
                   "certain and largest spend first. Correct any below; a correction is kept "
                   "when suppliers are placed again.")
        st.dataframe(report.supplier_locations_table(located), hide_index=True)
    _correction(located, unplaced, user)


def _place(user: auth.User) -> None:
    try:
        placed = place_suppliers(warehouse(), user)
    except auth.PermissionDenied as exc:
        st.error(fmt.md_text(exc))
        return
    if placed.load_id is None:
        st.info("No more suppliers can be placed from what is held.",
                icon=":material/info:")
        return
    ways = "; ".join(f"{n:,} {m}" for m, n in sorted(placed.by_method.items()))
    st.session_state[state.PLACE_DONE] = (
        f"Placed as load {placed.load_id}: {ways}. {plural(placed.still_unplaced, 'supplier')} "
        "still have no location. Undo it under Loads above.")
    st.rerun()


def _correction(located, unplaced, user: auth.User) -> None:
    names = {**dict(zip(unplaced["supplier_id"], unplaced["name"])),
             **dict(zip(located["supplier_id"], located["name"]))}
    if not names:
        return
    with st.expander("Correct a supplier's location", icon=":material/edit_location:"):
        with st.form("correct_location"):
            sid = st.selectbox("Supplier", list(names),
                               format_func=lambda s: f"{names[s]} ({s})")
            postcode = st.text_input("Postcode of the supplier's premises",
                                     placeholder="B71 4HJ")
            if st.form_submit_button("Save"):
                try:
                    load_id = correct_supplier_location(warehouse(), sid, postcode, user)
                except (ValueError, auth.PermissionDenied) as exc:
                    st.error(fmt.md_text(exc))
                    return
                st.session_state[state.PLACE_DONE] = (
                    f"{fmt.md_text(names[sid])} placed at {fmt.md_text(postcode.upper())} as "
                    f"load {load_id}.")
                st.rerun()
