"""Data: the audit trail of loads, undo, the spend held by month, where suppliers are, data
quality, and removing the demo. For analysts."""

import streamlit as st

from anchor import formatting as fmt
from anchor.loading import report
from anchor.loading.validation import plural
from anchor.queries import loads, reference
from anchor.ui import auth as ui_auth
from anchor.ui import commitments as commitment_view
from anchor.ui import frame, state, supplier_locations, upload
from anchor.ui.data import query

frame.require()

st.title("Data")
user = ui_auth.current_user()
if not user.can_load:
    st.info("The Data page is for analysts and admins: it is where quarters are loaded, "
            f"checked and undone. You are using Anchor as a {user.role.label}.",
            icon=":material/lock:")
    st.stop()

filters = st.session_state.get(state.FILTERS)
history = query(loads.load_history)
# the geography Anchor installs on its first start is not data anyone loaded
if filters is None and history["table_name"].eq("geography").all():
    st.info("There is nothing to show yet. Load files with **Load data** in the sidebar, "
            "in this order: **organisations and footprints**, **sites**, the **supplier "
            "register**, then spend, workforce and estates. Or build the demo footprint with "
            "`anchor demo`.", icon=":material/info:")
    st.stop()

orgs = query(reference.organisations)
org_names = {c: fmt.short_org_name(n) for c, n in zip(orgs["org_code"], orgs["name"])}

st.subheader("Loads", anchor=False)
st.caption("Every load: who, when, which file and what it replaced. Undoing a load puts back "
           "exactly what it replaced; a later load of the same month (or, for workforce and "
           "estates, quarter) must be undone first.")
st.dataframe(report.history_table(history), hide_index=True)
upload.undo_control(history, user)  # offers only loads undo can reverse

st.subheader("Spend held, by month", anchor=False)
held = report.coverage_table(query(reference.spend_months), org_names)
if held.empty:
    st.caption("No spend is loaded yet.")
else:
    partial = held.loc[held["Quarter held"] != "complete", ["Organisation", "Quarter"]]
    st.caption("Each organisation's invoice lines and spend for every month held, newest "
               "first. A spend load replaces the months its file is for, so a quarter is "
               "complete once all three of its months are loaded; pages open on the latest "
               "quarter every chosen organisation holds in full. "
               + (f"{plural(len(partial.drop_duplicates()), 'organisation-quarter')} partial."
                  if not partial.empty else "Every quarter held is complete."))
    st.dataframe(held, hide_index=True)

unplaced = query(loads.supplier_postcode_problems)
supplier_locations.section(org_names, unplaced, user)

st.subheader("Data quality", anchor=False)


def quality(title: str, found, none: str, about: str, table) -> None:
    """One data-quality list: what it is, and the rows found, or that there are none."""
    st.markdown(f"**{title}**")
    if found.empty:
        st.caption(f"None: {none}")
    else:
        st.caption(about)
        st.dataframe(table, hide_index=True)


quality("Suppliers whose spend cannot be placed", unplaced,
        "every supplier has a postcode the geography knows.",
        f"{plural(len(unplaced), 'supplier')}, {fmt.gbp(unplaced['spend_gbp'].sum())} of spend, "
        "whose location is not known (local shares leave it out) until the supplier register "
        "gives each a postcode the geography knows and can place. Largest spend first.",
        report.postcode_problems_table(unplaced))
sites = query(loads.sites_not_placed)
quality("Sites that cannot be placed", sites,
        "every site has a postcode the geography knows and can place.",
        f"{plural(len(sites), 'site')} whose estate returns count in no place until the sites "
        "file gives a postcode the geography knows.",
        report.sites_not_placed_table(sites, org_names))
staff = query(loads.staff_not_placed)
quality("Staff whose home cannot be placed", staff,
        "at each organisation's latest quarter, every member of staff has a home LSOA the "
        "geography knows.",
        "At each organisation's latest workforce quarter: staff with no home LSOA, or one the "
        "geography does not know, count as not local. Counts of 1 to 4 read *.",
        report.staff_not_placed_table(staff, org_names))
no_flags = query(loads.suppliers_without_flags)
quality("Suppliers without SME or VCSE flags", no_flags,
        "every supplier is flagged SME or not, and VCSE or not.",
        f"{plural(len(no_flags), 'supplier')}, {fmt.gbp(no_flags['spend_gbp'].sum())} of spend, "
        "left out of the SME and VCSE shares until the register says yes or no. Largest spend "
        "first.",
        report.missing_flags_table(no_flags))
gaps = report.missing_quarters_table(query(loads.missing_quarters), org_names)
quality("Quarters missing", gaps,
        "every organisation has every quarter of spend, workforce and estates data from the "
        "first held to the latest.",
        "Quarters with no rows for an organisation, between the first and the latest quarter "
        "held of each kind of data.",
        gaps)

st.subheader("Commitments", anchor=False)
st.caption("Each organisation's, or a footprint's, pledge to raise its local share by a date: "
           "charted with its trajectory on the Overview, Local spend and Place pages and in "
           "the exports. Entered here or with `anchor load commitment FILE`; audited and "
           "undone like any load.")
commitment_view.entry(user)

st.subheader("Change points", anchor=False)
st.caption("Where a measure's process changed for an organisation or a footprint (a new "
           "hospital opening, a change of supplier register): its SPC chart works out its "
           "limits afresh from there and names the change. Recording and removing one is "
           "audited.")
commitment_view.change_point_entry(user)

if query(reference.has_demo_data):
    st.subheader("Demo data", anchor=False)
    st.caption("The demo footprint is synthetic. Remove it before relying on real data; "
               "organisations and quarters you have loaded stay.")
    upload.remove_demo_control(user)
