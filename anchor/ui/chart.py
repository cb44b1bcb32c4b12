"""A chart or map on a page, with the words a screen reader reads for it
(`anchor.chart_text.describe`), kept out of sight for everyone else."""

from __future__ import annotations

from html import escape

import plotly.graph_objects as go
import streamlit as st

from anchor.chart_text import describe

CONFIG = {"displaylogo": False}


def show(fig: go.Figure, *, alt: str | None = None, config: dict | None = None,
         **kwargs) -> None:
    """`st.plotly_chart`, followed by the chart's text alternative: `alt` where the page
    says it better (a sentence it already shows), else the figure described."""
    st.plotly_chart(fig, config={**CONFIG, **(config or {})}, **kwargs)
    st.html(f'<p class="anchor-sr-only" data-testid="anchor-chart-text">'
            f"{escape(alt or describe(fig))}</p>")
