"""A view's table (anchor/views/parts.py `Table`) on the page, with its CSV and Excel
downloads."""

from __future__ import annotations

import streamlit as st

from anchor.ui import components
from anchor.views.parts import Table, Tile


def show(table: Table, *, downloads: bool = True) -> None:
    st.table(table.shown, hide_index=True, height=table.height)
    if downloads:
        download(table)


def download(table: Table) -> None:
    components.downloads(table.download, table.title, notes=table.notes, key=table.key)


def tiles(row: tuple[Tile, ...] | list[Tile], *, per_row: int = 3) -> None:
    """Headline tiles, `per_row` to a row."""
    for start in range(0, len(row), per_row):
        for col, t in zip(st.columns(per_row), row[start:start + per_row]):
            with col:
                components.tile(t.label, t.value, delta=t.delta, delta_color=t.delta_color,
                                detail=t.detail)
