"""A grid of small SPC charts (anchor/views/parts.py `SpcGrid`): the 'Quarter by quarter'
section of a page, with its chart window control, two charts to a row."""

from __future__ import annotations

import streamlit as st

from anchor.ui import components
from anchor.views.parts import SpcGrid


def show(grid: SpcGrid, *, columns: int = 2) -> None:
    st.subheader("Quarter by quarter")
    window = components.spc_window(grid.page_key)
    st.caption(grid.caption)
    cols = st.columns(columns)
    for i, card in enumerate(grid.cards(window)):
        with cols[i % columns]:
            components.spc_card(card.title, card.result, kind=card.kind, key=card.key,
                                note=card.note, empty=card.empty)
