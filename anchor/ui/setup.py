"""First start: build and install the geography with a visible progress bar.

The app needs the whole of Great Britain: a warehouse holding an older build, or only a
region (`anchor geo build --areas B,WS`), gets the whole-GB geography installed (and built
first when the cache is not a current whole-GB one).
"""

from __future__ import annotations

import threading

import streamlit as st

from anchor.auth import setup_user
from anchor.formatting import md_text
from anchor.geography.build import describe_scope
from anchor.geography.install import (
    ensure_geography,
    warehouse_geography_scope,
    warehouse_has_geography,
)
from anchor.geography.sources import SourceError
from anchor.ui.data import warehouse

_BUILD_LOCK = threading.Lock()  # one build per process, however many sessions start at once


def ensure_geography_ready() -> None:
    wh = warehouse()
    if warehouse_has_geography(wh):
        return
    held = warehouse_geography_scope(wh)
    st.title("Preparing the geography")
    if held is not None:
        st.write(f"The warehouse holds the geography of {describe_scope(held)}, and Anchor "
                 "needs the whole of Great Britain. It is installing it now, building it from "
                 "the open data it ships with first if need be (under a minute).")
    else:
        st.write("Anchor is building its postcode and boundary geography from the open data "
                 "it ships with. This happens once and takes under a minute.")
    bar = st.progress(0.0, text="Waiting for another session's build")
    with _BUILD_LOCK:
        if not warehouse_has_geography(wh):
            try:
                # first-time setup: the geography Anchor ships, whoever opens the app first
                ensure_geography(wh, setup_user(),
                                 progress=lambda f, m: bar.progress(min(1.0, f), text=m))
            except SourceError as exc:
                st.error(md_text(f"The geography cannot be built: {exc}"), icon=":material/error:")
                st.stop()
    bar.progress(1.0, text="Geography ready")
    st.rerun()
