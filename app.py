"""Anchor: the app frame. Page config, the shared sidebar, the demo banner, navigation."""

import streamlit as st

from anchor.ui import components, setup, sidebar, upload

st.set_page_config(page_title="Anchor", page_icon="assets/anchor-icon.png", layout="wide")

pages = [
    st.Page("app_pages/overview.py", title="Overview", icon=":material/dashboard:", default=True),
    st.Page("app_pages/local_spend.py", title="Local spend", icon=":material/payments:"),
    st.Page("app_pages/data.py", title="Data", icon=":material/database:"),
]
page = st.navigation(pages)

setup.ensure_geography_ready()

filters = sidebar.render()
components.demo_banner(filters)
upload.render(filters)
page.run()
