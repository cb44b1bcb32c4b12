"""Anchor: the app frame. Page config, the shared sidebar, the demo banner and partial-period
note, navigation."""

import streamlit as st

from anchor.db import WarehouseError, WarehouseReadOnly
from anchor.formatting import md_text
from anchor.ui import auth as ui_auth
from anchor.ui import components, data, flash, frame, setup, sidebar, upload

st.set_page_config(page_title="Anchor", page_icon="assets/anchor-icon.png", layout="wide")

pages = [
    st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", default=True),
    st.Page("pages/local_spend.py", title="Local spend", icon=":material/payments:"),
    st.Page("pages/employment.py", title="Local employment", icon=":material/badge:"),
    st.Page("pages/estates.py", title="Estates and assets", icon=":material/domain:"),
    st.Page("pages/multiplier.py", title="Local multiplier", icon=":material/cycle:"),
    st.Page("pages/suppliers.py", title="Local suppliers", icon=":material/storefront:"),
    st.Page("pages/place.py", title="Place", icon=":material/location_on:"),
    st.Page("pages/national.py", title="National comparison", icon=":material/leaderboard:"),
]
# The Data page is where quarters are loaded, checked and undone: only those who may load
# see it (the page checks the role again for a deep link from an older session).
if ui_auth.current_user().can_load:
    pages.append(st.Page("pages/data.py", title="Data", icon=":material/database:"))
page = st.navigation(pages)
components.page_style()

try:
    setup.ensure_geography_ready()
except WarehouseError as exc:
    st.error(md_text(exc), icon=":material/error:")
    st.stop()

# Every figure of this run, sidebar and page alike, is read from the same committed data.
with data.one_version():
    filters = sidebar.render()
    components.demo_banner(filters)
    components.partial_period_note(filters)
    flash.show()
    try:
        upload.render(filters)
        with frame.framed():
            page.run()
    except WarehouseReadOnly as exc:  # a save or undo on a warehouse this app can only read
        st.error(md_text(exc), icon=":material/lock:")
