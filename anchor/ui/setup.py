"""First start: build and install the geography with a visible progress bar."""

from __future__ import annotations

import threading

import streamlit as st

from anchor.geography.install import ensure_geography, warehouse_has_geography
from anchor.ui.data import warehouse

_BUILD_LOCK = threading.Lock()  # one build per process, however many sessions start at once


def ensure_geography_ready() -> None:
    wh = warehouse()
    if warehouse_has_geography(wh):
        return
    st.title("Preparing the geography")
    st.write("Anchor is building its postcode and boundary geography from the open data it "
             "ships with. This happens once and takes under a minute.")
    bar = st.progress(0.0, text="Waiting for another session's build")
    with _BUILD_LOCK:
        if not warehouse_has_geography(wh):
            ensure_geography(wh, progress=lambda f, m: bar.progress(min(1.0, f), text=m))
    bar.progress(1.0, text="Geography ready")
    st.rerun()
