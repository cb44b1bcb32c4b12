"""Every page runs inside the app's frame (app.py): the shared sidebar, the demo banner, one
committed state of the data.

Streamlit runs a script of a folder named `pages/` beside the main script by itself, without
the main script, until the app's `st.navigation` has run once in the process (its first,
folder-based kind of multipage app). On a freshly started server a deep link to a page could
so skip the frame; `require` runs the frame instead, which draws the same page inside it, in the
same run (so a button's click is not lost)."""

from __future__ import annotations

import runpy
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner import get_script_run_ctx

_FRAMED: ContextVar[bool] = ContextVar("anchor_framed", default=False)


@contextmanager
def framed() -> Iterator[None]:
    """app.py runs the page inside this."""
    token = _FRAMED.set(True)
    try:
        yield
    finally:
        _FRAMED.reset(token)


def require() -> None:
    """The first line of every page: a run outside the frame runs the frame (which draws this
    page), then stops."""
    if _FRAMED.get():
        return
    PagesManager.uses_pages_directory = False  # what the app's st.navigation itself sets
    runpy.run_path(get_script_run_ctx().main_script_path, run_name="__main__")
    st.stop()
