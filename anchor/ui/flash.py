"""A write's confirmation, shown once on the run after it.

A page run reads one committed state of the data (`anchor.ui.data.one_version`), so a page that
saves something reruns to show it: the message is kept for that rerun."""

from __future__ import annotations

import streamlit as st

from anchor.ui import state


def done(message: str) -> None:
    """Keep `message` (markdown, its data values already escaped) and rerun the page."""
    st.session_state[state.FLASH] = message
    st.rerun()


def show() -> None:
    message = st.session_state.pop(state.FLASH, None)
    if message:
        st.success(message, icon=":material/check_circle:")


def nonce(key: str) -> str:
    """`key` made new after each `done`, so a file uploader keyed by it starts empty."""
    return f"{key}_{st.session_state.get(state.FLASH_NONCE, 0)}"


def renew() -> None:
    st.session_state[state.FLASH_NONCE] = st.session_state.get(state.FLASH_NONCE, 0) + 1

