"""Figures for the pages: DataFrame in, Plotly figure out. No I/O, no Streamlit.

Colours: NHS Blue for the headline series, with a colour-blind-safe companion
palette (blue / orange / grey families stay distinct under the common forms of
colour blindness). Type is large enough to read on a projector.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Callable, Sequence
from datetime import date
from html import escape

import pandas as pd
import plotly.graph_objects as go

from anchor import formatting as fmt
from anchor import spc
from anchor.periods import quarter_label

NHS_BLUE = "#005EB8"
NHS_DARK_BLUE = "#003087"
NHS_DARK_GREY = "#425563"
NHS_MID_GREY = "#768692"
NHS_PALE_GREY = "#E8EDEE"
ORANGE = "#E66100"  # colour-blind-safe contrast to NHS Blue
TARGET_COLOUR = "#8A1538"  # a target and the trajectory to it
PALETTE = [NHS_BLUE, ORANGE, NHS_DARK_GREY, "#5D3A9B", "#009E73", NHS_MID_GREY]

FONT = dict(family="Arial, Helvetica, sans-serif", size=15, color="#212B32")
_TICKFORMAT = {"pct": ".0%", "gbp": "~s", "count": ",d", "number": ",.1f"}


def plotly_text(value: object) -> str:
    """A data value (a name, a category) for a chart's title, labels or hover text, where
    Plotly reads tags such as <b>, <br> and <a href>: escaped, so it shows as written."""
    return escape(str(value), quote=False)


def _layout(fig: go.Figure, *, title: str | None = None, height: int = 380) -> go.Figure:
    fig.update_layout(
        title=dict(text=plotly_text(title), font=dict(size=18)) if title else None,
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
    influenceable_local_gbp, spend_gbp, influenceable_gbp, unplaced_gbp and
    influenceable_unplaced_gbp (`metrics.add_spend_shares`). A quarter whose share is not
    yet known (too little of its spend placed) is a gap in the line.
    """
    labels = [quarter_label(q) for q in df["quarter_start"]]
    fig = go.Figure()
    for col, gbp_col, total_col, unplaced_col, name, colour, dash in [
        ("influenceable_local_share", "influenceable_local_gbp", "influenceable_gbp",
         "influenceable_unplaced_gbp", "Influenceable spend", NHS_BLUE, "solid"),
        ("local_share", "local_gbp", "spend_gbp", "unplaced_gbp", "All in-scope spend", ORANGE,
         "dash"),
    ]:
        custom = [[fmt.pct(s) if s == s else "not yet known", fmt.gbp(g), fmt.gbp(t - u)]
                  for s, g, t, u in zip(df[col], df[gbp_col], df[total_col], df[unplaced_col])]
        fig.add_trace(go.Scatter(
            x=labels, y=df[col], name=name, mode="lines+markers",
            line=dict(color=colour, width=3, dash=dash), marker=dict(size=6),
            customdata=custom,
            hovertemplate="%{x}<br>%{customdata[0]} local<br>%{customdata[1]} of %{customdata[2]}"
                          " placed<extra>" + name + "</extra>",
        ))
    if highlight is not None:
        first, last = quarter_label(highlight[0]), quarter_label(highlight[1])
        if first in labels and last in labels:
            fig.add_vrect(x0=labels.index(first) - 0.5, x1=labels.index(last) + 0.5,
                          fillcolor=NHS_PALE_GREY, opacity=0.7, line_width=0, layer="below")
    _layout(fig, title=title)
    top = max([float(v) for c in ("influenceable_local_share", "local_share")
               for v in df[c].dropna()], default=0.0)
    value_axis(fig, max(top, 0.01), pct_tick)
    fig.update_yaxes(title="Local share")
    year_ticks(fig, labels)
    return fig


def year_ticks(fig: go.Figure, labels: list[str], *, most: int = 6) -> None:
    """Label the start of each financial year: its first quarter ('2024/25 Q1' reads
    2024/25), or, for a series by month, its April ('April 2024' reads Apr 2024); at most six
    years on the axis (every second or third year on long runs): "2014/15" takes about 60
    pixels, so six stay apart in the narrowest column a trend has (pages stack their charts
    on a laptop), where twelve years' labels ran together; `most` fewer for a chart in a grid
    of three."""
    years = [lab for lab in labels if lab.endswith("Q1") or lab.startswith("April ")]
    if not years:
        return
    step = math.ceil(len(years) / most)
    fig.update_xaxes(tickmode="array", tickvals=years[::step], tickangle=0,
                     ticktext=[lab[:7] if lab.endswith("Q1") else f"Apr {lab[-4:]}"
                               for lab in years[::step]])


def _nice_ticks(top: float, n: int = 5, *, bottom: float = 0.0) -> list[float]:
    """About `n` round tick values covering bottom to top: 0, 2m, 4m ... or 260, 280, 300."""
    span = top - bottom
    if span <= 0:
        return [bottom]
    raw = span / n
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    first = math.floor(bottom / step) * step
    return [first + i * step for i in range(int(math.ceil((top - first) / step)) + 1)]


def money_axis(fig: go.Figure, top: float, *, axis: str = "x", bottom: float = 0.0,
               n: int = 5) -> None:
    """About `n` money ticks as a board reads them (£2m, £500k), not SI units."""
    ticks = _nice_ticks(top, n, bottom=bottom)
    update = fig.update_xaxes if axis == "x" else fig.update_yaxes
    update(tickmode="array", tickvals=ticks, ticktext=[fmt.gbp_tick(t) for t in ticks])


def _plain_tick(x: float, unit: str) -> str:
    """A tick with no trailing zeros, so 2.5% and 5% sit on one axis without "5.0%"."""
    return f"{x:,.2f}".rstrip("0").rstrip(".") + unit


def pct_tick(x: float) -> str:
    """A share tick: 0.025 -> '2.5%', 0.1 -> '10%'."""
    return _plain_tick(100 * x, "%")


def hectares_tick(x: float) -> str:
    return _plain_tick(x, " ha")


def value_axis(fig: go.Figure, top: float, label: Callable[[float], str], *,
               axis: str = "y") -> None:
    """Round ticks from 0 to just above `top`, labelled by `label`, with the range set to
    match. Every tick is fixed here rather than left to Plotly's autorange, so a chart
    shows the same numbers on the page, on a slide and in a board paper."""
    ticks = _nice_ticks(top, n=6)  # six steps: 0 to 12% in 2% steps rather than 2.5%
    update = fig.update_xaxes if axis == "x" else fig.update_yaxes
    update(tickmode="array", tickvals=ticks, ticktext=[label(t) for t in ticks],
           range=[0, ticks[-1]])


def hbar(df: pd.DataFrame, *, value_col: str, label_col: str, text_col: str,
         value_kind: str = "pct", title: str | None = None, axis_title: str = "",
         colour: str = NHS_BLUE, wrapped: bool = False) -> go.Figure:
    """Horizontal bars, largest at the top, with the formatted value at each bar's end.
    Labels are plain text (escaped here), or already escaped with `plotly_text` when
    `wrapped` (lines joined by <br>)."""
    d = df.sort_values(value_col)
    labels = d[label_col] if wrapped else d[label_col].map(plotly_text)
    fig = go.Figure(go.Bar(
        x=d[value_col], y=labels, orientation="h", marker_color=colour,
        text=d[text_col], textposition="outside", cliponaxis=False,
        hovertemplate="%{y}: %{text}<extra></extra>",
    ))
    _layout(fig, title=title, height=max(240, 70 + 44 * len(d)))
    top = float(d[value_col].max() or 0) if len(d) else 0.0
    # Room at the end of the longest bar for its label.
    room = 1.2 + 0.018 * max((len(str(t)) for t in d[text_col]), default=0)
    fig.update_xaxes(tickformat=_TICKFORMAT.get(value_kind, ""), title=axis_title,
                     rangemode="tozero", range=[0, max(0.05 if value_kind == "pct" else 1, top * room)])
    if value_kind == "gbp":
        # Every bar carries its value: three ticks are enough, and stay level in a narrow
        # column where five turned on their side.
        money_axis(fig, top * 1.1, n=3)
    fig.update_xaxes(nticks=4, tickangle=0)
    fig.update_yaxes(title=None, automargin=True)
    return fig


def organisation_comparison(df: pd.DataFrame, *, value_col: str, label_col: str,
                            text_col: str, title: str | None = None,
                            axis_title: str = "Local share") -> go.Figure:
    """One bar per organisation. It sits in a narrow column beside the trend, so the value axis
    has no ticks (every bar carries its value) and more room at the end for the labels."""
    # Long names on two lines, so the bars keep their width.
    df = df.assign(**{label_col: df[label_col].map(
        lambda t: "<br>".join(plotly_text(line) for line in textwrap.wrap(str(t), 20)))})
    fig = hbar(df, value_col=value_col, label_col=label_col, text_col=text_col,
               title=title, axis_title=axis_title, wrapped=True)
    top = float(df[value_col].max() or 0) if len(df) else 0.0
    fig.update_xaxes(showticklabels=False, range=[0, max(0.05, top * 1.45)])
    # In a narrow column a long bar's value goes inside its end, in white, rather than past
    # the chart's edge; a short bar's stays outside it.
    fig.update_traces(textposition="auto", insidetextanchor="end",
                      insidetextfont=dict(color="white"), outsidetextfont=dict(color=FONT["color"]))
    return fig


SIGNAL_COLOURS = {
    spc.COMMON: NHS_MID_GREY,
    spc.IMPROVING: NHS_BLUE,
    spc.CONCERN: ORANGE,
    spc.HIGH: "#5D3A9B",
    spc.LOW: "#5D3A9B",
}


def _format_value(v: float, kind: str) -> str:
    return {"pct": fmt.pct, "gbp": fmt.gbp, "count": fmt.count}.get(kind, fmt.number)(v)


def spc_chart(result, *, value_kind: str = "pct", title: str | None = None,
              y_title: str | None = None, height: int = 360,
              point_legend: bool = True, two_sigma: bool = False,
              trajectory: Sequence[tuple[str, float]] = (), years: int = 6) -> go.Figure:
    """An XmR chart in the Making Data Count style: grey points for common cause, blue for
    improvement, orange for concern; the mean, the process limits and any target. The value
    axis never repeats a label. `point_legend=False` keeps the legend to the lines, for
    half-width charts whose page says what the colours mean. `two_sigma` adds the lines two
    sigma from the mean, which the two-of-three rule reads. `trajectory` (quarter label,
    value) is a commitment's path from its baseline to its target, which may run past the
    last point to the target quarter. `years`: the most year labels on its axis."""
    p = result.points
    fig = go.Figure()
    fig.add_trace(go.Scatter(
        x=p["label"], y=p["value"], mode="lines", line=dict(color=NHS_MID_GREY, width=2),
        hoverinfo="skip", showlegend=False,
    ))
    for signal, colour in SIGNAL_COLOURS.items():
        s = p[(p["signal"] == signal) & p["value"].notna()]
        if s.empty:
            continue
        fig.add_trace(go.Scatter(
            x=s["label"], y=s["value"], mode="markers", name=signal.capitalize(),
            showlegend=point_legend,
            marker=dict(size=9, color=colour, line=dict(width=1, color="white")),
            customdata=[[_format_value(v, value_kind), r or "no special cause"]
                        for v, r in zip(s["value"], s["rules"])],
            hovertemplate="%{x}: %{customdata[0]}<br>%{customdata[1]}<extra></extra>",
        ))
    # Each phase's mean and limits run over its own points only, so a rebased chart shows
    # where the process changed; the change is named at its first point.
    for k, phase in p.groupby("phase", sort=True):
        first, last = phase["label"].iat[0], phase["label"].iat[-1]
        row = phase.iloc[0]
        lines = [(row["mean"], "Mean", "solid", 1.5), (row["ucl"], "Process limits", "dash", 1.2),
                 (row["lcl"], None, "dash", 1.2)]
        if two_sigma:
            lines += [(row["upper_2s"], "Two sigma", "dot", 1), (row["lower_2s"], None, "dot", 1)]
        for y, name, dash, width in lines:
            fig.add_trace(go.Scatter(
                x=[first, last], y=[y, y], mode="lines", name=name,
                showlegend=name is not None and k == 0, hoverinfo="skip",
                line=dict(color=NHS_DARK_GREY, dash=dash, width=width),
            ))
        if k:
            fig.add_vline(x=first, line=dict(color=NHS_MID_GREY, width=1, dash="dot"))
            name = result.phases[k].name or "Limits recalculated"
            fig.add_annotation(x=first, y=1, yref="paper", text=name, showarrow=False,
                               xanchor="left", yanchor="bottom", font=dict(size=11))
    labels = list(p["label"])
    labels += [lab for lab, _ in trajectory if lab not in labels]
    if result.target is not None:
        fig.add_trace(go.Scatter(
            x=[labels[0], labels[-1]], y=[result.target] * 2, mode="lines",
            name=f"Target ({_format_value(result.target, value_kind)})", hoverinfo="skip",
            line=dict(color=TARGET_COLOUR, dash="dot", width=2),
        ))
    if trajectory:
        fig.add_trace(go.Scatter(
            x=[lab for lab, _ in trajectory], y=[v for _, v in trajectory],
            mode="lines", name="Trajectory to the target",
            line=dict(color=TARGET_COLOUR, width=2.5),
            customdata=[_format_value(v, value_kind) for _, v in trajectory],
            hovertemplate="%{x}: trajectory %{customdata}<extra></extra>",
        ))
        fig.update_xaxes(categoryorder="array", categoryarray=labels)
    _layout(fig, title=title, height=height)
    if len(result.phases) > 1:  # the legend takes the top: each change is named at the foot
        fig.update_annotations(y=0, yanchor="bottom", xshift=4)
    fig.update_yaxes(title=y_title)
    _spc_value_axis(fig, result, value_kind)
    year_ticks(fig, labels, most=years)
    return fig


def share_tickformat(span: float) -> str:
    """Enough decimals that five or so ticks across `span` (a fraction) read as different
    numbers: 0–2.5% ticks as 0.0%, 0.5%, 1.0%, never 0%, 1%, 1%, 2%, 2%."""
    digits = 0 if span >= 0.05 else 1 if span >= 0.002 else 2
    return f".{digits}%"


def _spc_value_axis(fig: go.Figure, result, value_kind: str) -> None:
    """A share that moves within a few points gets decimals; a count of people whole-number
    ticks (from zero when small); money £-labelled round ticks."""
    p = result.points
    values = [float(v) for v in p["value"].dropna()] + list(p["ucl"]) + list(p["lcl"])
    if result.target is not None:
        values.append(float(result.target))
    lo, hi = min(values), max(values)
    span = hi - lo
    if value_kind == "pct":
        fig.update_yaxes(tickformat=share_tickformat(span))
    elif value_kind == "count":
        fig.update_yaxes(tickformat=",d")
        if hi < 5:
            fig.update_yaxes(range=[min(lo, 0) - 0.5, 4.5], dtick=1)
    elif value_kind == "gbp":
        money_axis(fig, hi, axis="y", bottom=lo)
    else:
        fig.update_yaxes(tickformat=",.0f" if span >= 10 else ",.1f")


def lm3_breakdown(result, *, title: str | None = None) -> go.Figure:
    """R1, R2 and R3 as bars, R2 and R3 split into suppliers and staff."""
    rounds = ["R1: money studied", "R2: spent in the place", "R3: re-spent in the place"]
    suppliers = [None, result.r2_suppliers_gbp, result.r3_suppliers_gbp]
    staff = [None, result.r2_staff_shown, result.r3_staff_shown]  # None: withheld
    fig = go.Figure()
    fig.add_trace(go.Bar(y=rounds[:1], x=[result.r1_gbp], orientation="h", name="Spend and pay",
                         marker_color=NHS_DARK_GREY, text=[fmt.gbp(result.r1_gbp)],
                         textposition="inside", hovertemplate="%{y}: %{text}<extra></extra>"))
    for values, name, colour in [(suppliers, "Suppliers", NHS_BLUE), (staff, "Staff", ORANGE)]:
        fig.add_trace(go.Bar(
            y=rounds[1:], x=values[1:], orientation="h", name=name, marker_color=colour,
            text=[fmt.gbp(v) for v in values[1:]], textposition="inside",
            hovertemplate="%{y}, " + name.lower() + ": %{text}<extra></extra>"))
    _layout(fig, title=title, height=300)
    fig.update_layout(barmode="stack")
    fig.update_yaxes(autorange="reversed", title=None)
    money_axis(fig, result.r1_gbp * 1.05)
    return fig


def national_ranking(df: pd.DataFrame, *, value_col: str, label_col: str, text_col: str,
                     highlight_col: str, highlight_name: str,
                     axis_title: str = "Local share") -> go.Figure:
    """Every organisation's share as a column, highest first, those where `highlight_col` is
    true in NHS Blue (named `highlight_name` in the legend) and the rest grey. Too many for a
    label under each column: each names itself on hover."""
    d = df.sort_values([value_col, label_col], ascending=[False, True])
    fig = go.Figure()
    for flag, name, colour in ((False, "Other organisations", NHS_MID_GREY),
                               (True, highlight_name, NHS_BLUE)):
        part = d[d[highlight_col] == flag]
        if part.empty:
            continue
        fig.add_trace(go.Bar(
            x=part[label_col].map(plotly_text), y=part[value_col], name=plotly_text(name),
            marker_color=colour, text=part[text_col], textposition="none",
            hovertemplate="%{x}: %{text}<extra></extra>",
        ))
    _layout(fig, height=420)
    fig.update_layout(barmode="overlay", bargap=0.15, showlegend=True,
                      legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0))
    # A column is labelled by the code its label starts with ("RXK · Sandwell and West
    # Birmingham" reads RXK), so five names do not run together on a laptop; hover names it.
    labels = list(d[label_col].map(plotly_text))
    fig.update_xaxes(categoryorder="array", categoryarray=labels, showticklabels=len(d) <= 25,
                     tickmode="array", tickvals=labels,
                     ticktext=[lab.split(" · ")[0] for lab in labels], title=None)
    top = float(d[value_col].max() or 0) if len(d) else 0.0
    value_axis(fig, max(top, 0.05), pct_tick, axis="y")
    fig.update_yaxes(title=axis_title)
    return fig
