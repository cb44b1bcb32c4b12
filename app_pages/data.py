"""Data: the audit trail of loads, undo, data quality, and removing the demo. For analysts."""

import pandas as pd
import streamlit as st

from anchor import disclosure
from anchor import formatting as fmt
from anchor.loading import report
from anchor.loading.validation import plural
from anchor.periods import quarter_label
from anchor.queries import loads, reference
from anchor.ui import auth as ui_auth
from anchor.ui import state, upload
from anchor.ui.data import query

st.title("Data")
user = ui_auth.current_user()
if not user.can_load:
    st.info("The Data page is for analysts and admins: it is where quarters are loaded, "
            f"checked and undone. You are using Anchor as a {user.role.label}.",
            icon=":material/lock:")
    st.stop()

filters = st.session_state.get(state.FILTERS)
history = query(loads.load_history)
if history.empty and filters is None:
    st.info("There is nothing to show yet. Load files with **Load data** in the sidebar, "
            "in this order: **organisations and footprints**, **sites**, the **supplier "
            "register**, then spend, workforce and estates. Or build the demo footprint with "
            "`anchor demo`.", icon=":material/info:")
    st.stop()

orgs = query(reference.organisations)
org_names = {c: fmt.short_org_name(n) for c, n in zip(orgs["org_code"], orgs["name"])}

st.subheader("Loads", anchor=False)
st.caption("Every load: who, when, which file and what it replaced. Undoing a load puts back "
           "exactly what it replaced; a later load of the same quarter must be undone first.")
st.dataframe(report.history_table(history), hide_index=True)
upload.undo_control(history, user)  # offers only loads undo can reverse

st.subheader("Data quality", anchor=False)
unplaced = query(loads.supplier_postcode_problems)
st.markdown("**Suppliers whose spend cannot be placed**")
if unplaced.empty:
    st.caption("None: every supplier has a postcode the geography knows.")
else:
    st.caption(f"{plural(len(unplaced), 'supplier')}, {fmt.gbp(unplaced['spend_gbp'].sum())} "
               "of spend, counted as not local until the supplier register gives each a "
               "postcode the geography knows and can place. Largest spend first.")
    st.dataframe(report.postcode_problems_table(unplaced), hide_index=True)

sites = query(loads.sites_not_placed)
st.markdown("**Sites that cannot be placed**")
if sites.empty:
    st.caption("None: every site has a postcode the geography knows and can place.")
else:
    st.caption(f"{plural(len(sites), 'site')} whose estate returns count in no place until the "
               "sites file gives a postcode the geography knows.")
    st.dataframe(pd.DataFrame({
        "Site": sites["site_code"], "Name": sites["name"],
        "Organisation": [org_names.get(c, c) for c in sites["org_code"]],
        "Postcode": sites["postcode"].fillna("No postcode"),
        "Estate returns": sites["returns"],
    }), hide_index=True)

staff = query(loads.staff_not_placed)
st.markdown("**Staff whose home cannot be placed**")
if staff.empty:
    st.caption("None: at each organisation's latest quarter, every member of staff has a home "
               "LSOA the geography knows.")
else:
    st.caption("At each organisation's latest workforce quarter: staff with no home LSOA, or "
               "one the geography does not know, count as not local. Counts of 1 to 4 read *.")
    st.dataframe(pd.DataFrame({
        "Organisation": [org_names.get(c, c) for c in staff["org_code"]],
        "Quarter": staff["quarter_start"].map(quarter_label),
        "Home LSOA given": staff["home_lsoa"].fillna("None"),
        "Staff": staff["headcount"].map(disclosure.show_count),
    }), hide_index=True)

no_flags = query(loads.suppliers_without_flags)
st.markdown("**Suppliers without SME or VCSE flags**")
if no_flags.empty:
    st.caption("None: every supplier is flagged SME or not, and VCSE or not.")
else:
    st.caption(f"{plural(len(no_flags), 'supplier')}, {fmt.gbp(no_flags['spend_gbp'].sum())} "
               "of spend, left out of the SME and VCSE shares until the register says yes "
               "or no. Largest spend first.")
    st.dataframe(report.missing_flags_table(no_flags), hide_index=True)

gaps = report.missing_quarters_table(query(loads.missing_quarters), org_names)
st.markdown("**Quarters missing**")
if gaps.empty:
    st.caption("None: every organisation has every quarter of spend, workforce and estates "
               "data from the first held to the latest.")
else:
    st.caption("Quarters with no rows for an organisation, between the first and the latest "
               "quarter held of each kind of data.")
    st.dataframe(gaps, hide_index=True)

if query(reference.has_demo_data):
    st.subheader("Demo data", anchor=False)
    st.caption("The demo footprint is synthetic. Remove it before relying on real data; "
               "organisations and quarters you have loaded stay.")
    upload.remove_demo_control(user)
