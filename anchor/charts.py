"""Figures for the pages: DataFrame in, Plotly figure out. No I/O, no Streamlit.

Colours: NHS Blue for the headline series, with a colour-blind-safe companion
palette (blue / orange / grey families stay distinct under the common forms of
colour blindness). Type is large enough to read on a projector.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.graph_objects as go

from anchor import formatting as fmt
from anchor.periods import quarter_label

NHS_BLUE = "#005EB8"
NHS_DARK_BLUE = "#003087"
NHS_DARK_GREY = "#425563"
NHS_MID_GREY = "#768692"
NHS_PALE_GREY = "#E8EDEE"
ORANGE = "#E66100"  # colour-blind-safe contrast to NHS Blue
PALETTE = [NHS_BLUE, ORANGE, NHS_DARK_GREY, "#5D3A9B", "#009E73", NHS_MID_GREY]

FONT = dict(family="Arial, Helvetica, sans-serif", size=15, color="#212B32")


def _layout(fig: go.Figure, *, title: str | None = None, height: int = 380) -> go.Figure:
    fig.update_layout(
        title=dict(text=title, font=dict(size=18)) if title else None,
        font=FONT,
        height=height,
        margin=dict(l=10, r=20, t=50 if title else 20, b=10),
        plot_bgcolor="white",
        paper_bgcolor="white",
        legend=dict(orientation="h", yanchor="bottom", y=1.02, xanchor="left", x=0),
        hoverlabel=dict(font_size=14),
    )
    fig.update_xaxes(showgrid=False, linecolor=NHS_MID_GREY)
    fig.update_yaxes(gridcolor=NHS_PALE_GREY, zeroline=False)
    return fig


def local_share_trend(df: pd.DataFrame, *, highlight: tuple[date, date] | None = None,
                      title: str | None = None) -> go.Figure:
    """Quarterly local share for all in-scope and influenceable spend.

    `df` has quarter_start, local_share, influenceable_local_share, local_gbp,
    influenceable_local_gbp, spend_gbp, influenceable_gbp.
    """
    labels = [quarter_label(q) for q in df["quarter_start"]]
    fig = go.Figure()
    for col, gbp_col, total_col, name, colour, dash in [
        ("influenceable_local_share", "influenceable_local_gbp", "influenceable_gbp",
         "Influenceable spend", NHS_BLUE, "solid"),
        ("local_share", "local_gbp", "spend_gbp", "All in-scope spend", ORANGE, "dash"),
    ]:
        custom = [[fmt.pct(s), fmt.gbp(g), fmt.gbp(t)]
                  for s, g, t in zip(df[col], df[gbp_col], df[total_col])]
        fig.add_trace(go.Scatter(
            x=labels, y=df[col], name=name, mode="lines+markers",
            line=dict(color=colour, width=3, dash=dash), marker=dict(size=6),
            customdata=custom,
            hovertemplate="%{x}<br>%{customdata[0]} local<br>%{customdata[1]} of %{customdata[2]}"
                          "<extra>" + name + "</extra>",
        ))
    if highlight is not None:
        first, last = quarter_label(highlight[0]), quarter_label(highlight[1])
        if first in labels and last in labels:
            fig.add_vrect(x0=labels.index(first) - 0.5, x1=labels.index(last) + 0.5,
                          fillcolor=NHS_PALE_GREY, opacity=0.7, line_width=0, layer="below")
    _layout(fig, title=title)
    fig.update_yaxes(tickformat=".0%", title="Local share", rangemode="tozero")
    # Label the first quarter of every year (every other year for long runs), never overlapping.
    years = [lab for lab in labels if lab.endswith("Q1")]
    step = 1 if len(years) <= 6 else 2
    fig.update_xaxes(tickmode="array", tickvals=years[::step],
                     ticktext=[lab[:7] for lab in years[::step]], tickangle=0)
    return fig


def organisation_comparison(df: pd.DataFrame, *, value_col: str, label_col: str,
                            text_col: str, title: str | None = None,
                            axis_title: str = "Local share") -> go.Figure:
    """Horizontal bars, one per organisation, with the formatted value at the bar's end."""
    d = df.sort_values(value_col)
    fig = go.Figure(go.Bar(
        x=d[value_col], y=d[label_col], orientation="h", marker_color=NHS_BLUE,
        text=d[text_col], textposition="outside", cliponaxis=False,
        hovertemplate="%{y}: %{text}<extra></extra>",
    ))
    _layout(fig, title=title, height=max(240, 70 + 52 * len(d)))
    fig.update_xaxes(tickformat=".0%", title=axis_title, rangemode="tozero",
                     range=[0, max(0.05, float(d[value_col].max() or 0) * 1.25)])
    fig.update_yaxes(title=None)
    return fig
