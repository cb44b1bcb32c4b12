"""Figures of the place story: DataFrame in, Plotly figure out. No I/O, no Streamlit.

They follow `anchor.charts` (NHS Blue, the colour-blind-safe orange, large type) and reuse
its builders where one fits. `for_export` restyles any figure for a slide, a page or a
PNG: a fixed size, larger type, and a footer saying what the figure shows and whence.
"""

from __future__ import annotations

import base64
import copy

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from plotly.subplots import make_subplots

from anchor import charts, disclosure, maps
from anchor import formatting as fmt
from anchor.charts import NHS_BLUE, NHS_DARK_GREY, NHS_MID_GREY, ORANGE, plotly_text, year_ticks
from anchor.periods import quarter_label

CONTEXT_BAR = "#AEB7BD"  # areas outside the place, beside the place's NHS Blue
EXPORT_TEMPLATE = "plotly"  # whatever the process's default (Streamlit changes it)


def share_trend(spend_by_quarter: pd.DataFrame, *, highlight=None) -> go.Figure:
    """The local share of spend by quarter, all in-scope and influenceable (as the Overview)."""
    return charts.local_share_trend(spend_by_quarter, highlight=highlight)


def commitment_chart(tracked) -> go.Figure | None:
    """A commitment's measure on its SPC chart with the trajectory to the target
    (`anchor.commitments.Tracked`); its icons go beside it (`icons_figure`)."""
    result = tracked.spc()
    if result is None:
        return None
    basis = {"influenceable": "influenceable spend", "all": "in-scope spend"}.get(
        tracked.commitment.basis, tracked.commitment.basis)
    return charts.spc_chart(result, value_kind=tracked.measure.value_kind,
                            y_title=f"{tracked.measure.label.capitalize()} of {basis}",
                            trajectory=tracked.chart_path(), point_legend=False)


ICON_PX = 100


def icons_figure(svgs) -> go.Figure:
    """SPC icons (SVG) side by side on white, ICON_PX square each: for a slide, which takes
    pictures rather than SVG."""
    n = max(1, len(svgs))
    fig = go.Figure()
    for i, svg in enumerate(svgs):
        fig.add_layout_image(
            source="data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode(),
            xref="paper", yref="paper", x=i / n, y=1, sizex=1 / n, sizey=1,
            xanchor="left", yanchor="top")
    fig.update_layout(width=int(ICON_PX * 1.1 * n), height=ICON_PX, margin=dict(l=0, r=0, t=0, b=0),
                      paper_bgcolor="white", plot_bgcolor="white", showlegend=False)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return fig


def residents_trend(residents_by_quarter: pd.DataFrame) -> go.Figure:
    """Residents employed at the end of each quarter, to the nearest 5. Counts from 1 to 4 are
    left out (disclosure control), so the line has a gap rather than a disclosive point."""
    d = residents_by_quarter
    labels = [quarter_label(q) for q in d["quarter_start"]]
    values = [disclosure.shown_count(v) for v in d["local_headcount"]]
    fig = go.Figure(go.Scatter(
        x=labels, y=values, mode="lines+markers", name="Residents employed",
        line=dict(color=NHS_BLUE, width=3), marker=dict(size=6),
        customdata=[fmt.count(v) if v is not None else "*" for v in values],
        hovertemplate="%{x}: %{customdata} residents employed<extra></extra>",
    ))
    charts._layout(fig)
    top = max((v for v in values if v is not None), default=0)
    charts.value_axis(fig, max(top, 5), fmt.count)
    fig.update_yaxes(title="Staff living in the place")
    year_ticks(fig, labels)
    return fig


def land_trend(land_by_quarter: pd.DataFrame) -> go.Figure:
    """Hectares not delivering services each quarter (the site area is in the hover and the
    sentence: on one scale with it the idle land would be a line along the floor)."""
    d = land_by_quarter
    labels = [quarter_label(q) for q in d["quarter_start"]]
    fig = go.Figure(go.Scatter(
        x=labels, y=d["land_not_delivering_ha"], name="Not delivering services",
        mode="lines+markers", line=dict(color=ORANGE, width=3), marker=dict(size=6),
        fill="tozeroy", fillcolor="rgba(230, 97, 0, 0.15)",
        customdata=[[fmt.hectares(a), int(n)] for a, n in zip(d["site_area_ha"], d["sites"])],
        hovertemplate="%{x}: %{y:,.1f} ha not delivering services, of %{customdata[0]} "
                      "on %{customdata[1]} sites<extra></extra>",
    ))
    charts._layout(fig)
    top = float(d["land_not_delivering_ha"].max()) if len(d) else 0.0
    charts.value_axis(fig, max(0.0 if pd.isna(top) else top, 0.1), charts.hectares_tick)
    fig.update_yaxes(title="Land not delivering services")
    year_ticks(fig, labels)
    # Half a quarter either side, as the other trends have: a filled area otherwise runs
    # to the axis, and its first label sits on the value axis's "0 ha".
    fig.update_xaxes(range=[-0.5, len(labels) - 0.5])
    return fig


def lm3_rounds(r) -> go.Figure:
    """The local multiplier's three rounds as bars: R1 studied, R2 spent in the place,
    R3 re-spent there, each split into suppliers and staff."""
    rounds = ["R1: spent and paid", "R2: in the place", "R3: re-spent there"]
    suppliers = [None, r.r2_suppliers_gbp, r.r3_suppliers_gbp]
    staff = [None, r.r2_staff_shown, r.r3_staff_shown]  # None: withheld
    fig = go.Figure()
    fig.add_trace(go.Bar(x=rounds[:1], y=[r.r1_gbp], name="Spend and pay studied",
                         marker_color=NHS_MID_GREY, text=[fmt.gbp(r.r1_gbp)],
                         textposition="outside", cliponaxis=False,
                         hovertemplate="%{x}: %{text}<extra></extra>"))
    fig.add_trace(go.Bar(x=rounds[1:], y=suppliers[1:], name="Suppliers", marker_color=NHS_BLUE,
                         hovertemplate="%{x}: suppliers £%{y:,.0f}<extra></extra>"))
    fig.add_trace(go.Bar(x=rounds[1:], y=staff[1:], name="Staff", marker_color=ORANGE,
                         text=[fmt.gbp(r.r2_gbp), fmt.gbp(r.r3_gbp)], textposition="outside",
                         cliponaxis=False, hovertemplate="%{x}: staff £%{y:,.0f}<extra></extra>"))
    charts._layout(fig)
    fig.update_layout(barmode="stack")
    # Room above R1 for its label; the range ends on the top tick, so every tick shows.
    charts.value_axis(fig, r.r1_gbp * 1.15, fmt.gbp_tick)
    return fig


def comparison(table: pd.DataFrame, *, basis: str, staff_known: bool = True,
               place_name: str = "the place") -> go.Figure:
    """The places side by side: spend with suppliers based in each local authority, and the
    staff living there. `table` is `PlaceStory.comparison_data`; the place's own local
    authorities are NHS Blue, the others grey, with a key under the bars saying so. Without
    a workforce return the staff bars read '–' (a withheld count reads '*')."""
    d = table.sort_values("spend_gbp")
    colours = [NHS_BLUE if p else CONTEXT_BAR for p in d["in_place"]]
    fig = make_subplots(rows=1, cols=2, shared_yaxes=True, horizontal_spacing=0.2,
                        subplot_titles=(f"{basis.capitalize()} with suppliers based there",
                                        "Staff living there"))
    fig.add_trace(go.Bar(
        x=d["spend_gbp"], y=d["lad_name"], orientation="h", marker_color=colours,
        text=[fmt.gbp(v) for v in d["spend_gbp"]], textposition="outside", cliponaxis=False,
        hovertemplate="%{y}: %{text}<extra></extra>", showlegend=False,
    ), row=1, col=1)
    residents = [0 if v is None or pd.isna(v) else float(v) for v in d["residents"]]
    fig.add_trace(go.Bar(
        x=residents, y=d["lad_name"], orientation="h", marker_color=colours,
        text=[("*" if staff_known else "–") if v is None or pd.isna(v) else fmt.count(v)
              for v in d["residents"]],
        textposition="outside", cliponaxis=False,
        hovertemplate="%{y}: %{text} staff<extra></extra>", showlegend=False,
    ), row=1, col=2)
    # The key: a bar of each colour with no data, each named (the bars themselves are not).
    for colour, name in ((NHS_BLUE, f"In {plotly_text(place_name)}"),
                         (CONTEXT_BAR, "Other local authorities")):
        if colour in colours:
            fig.add_trace(go.Bar(x=[None], y=[None], orientation="h", marker_color=colour,
                                 name=name, hoverinfo="skip", showlegend=True), row=1, col=1)
    charts._layout(fig, height=max(300, 130 + 48 * len(d)))
    top_gbp = float(d["spend_gbp"].max() or 0) if len(d) else 0.0
    top_res = max(residents) if residents else 0.0
    # Every bar is labelled with its value, so the value axes need no ticks.
    fig.update_xaxes(range=[0, max(1.0, top_gbp * 1.4)], showticklabels=False, row=1, col=1)
    fig.update_xaxes(range=[0, max(1.0, top_res * 1.4)], showticklabels=False, row=1, col=2)
    fig.update_yaxes(automargin=True, showgrid=False)  # no line running through the values
    fig.update_layout(margin=dict(t=50, b=40), barmode="overlay",
                      legend=dict(orientation="h", yanchor="top", y=-0.04, xanchor="left", x=0,
                                  itemclick=False, itemdoubleclick=False))
    fig.update_annotations(font=dict(size=16, color=NHS_DARK_GREY))
    return fig


def for_export(fig: go.Figure, *, font_size: int = 20, title: str | None = None,
               footer: str | None = None, width: int = 1400, height: int = 720) -> go.Figure:
    """A copy sized and lettered for a slide, a page or an image file. The footer (period,
    place, sources, date) is written into the image, so a PNG taken away still says what it is.

    The copy is drawn with Plotly's own template and makes room for its tick labels
    itself: Streamlit sets its own theme as Plotly's default when the app starts, and that
    theme leaves out the automatic margins, so in the app the margins below were too narrow
    for the value axis and its labels fell off the image's edge ("0m" for "£200m")."""
    out = go.Figure(copy.deepcopy(fig.to_dict()))
    out.layout.template = pio.templates[EXPORT_TEMPLATE]
    out.update_xaxes(automargin=True)
    out.update_yaxes(automargin=True)
    has_map = any(t.type in ("scattermap", "choroplethmap") for t in out.data)
    axis_px = 0 if has_map else int(font_size * 2.2)  # room for the x-axis tick labels
    footer_px = 0
    if footer:
        footer_px = int(font_size * 0.65 * 1.45 * (footer.count("<br>") + 1)) + 12
    out.update_layout(
        width=width, height=height, font=dict(size=font_size),
        title=dict(text=plotly_text(title), font=dict(size=int(font_size * 1.3)), x=0.01,
                   xanchor="left")
        if title else None,
        margin=dict(l=20 if not has_map else 0, r=30, t=30 + (font_size * 2 if title else 0),
                    b=axis_px + footer_px + 10),
        paper_bgcolor="white",
    )
    if has_map and isinstance(out.layout.meta, dict) and out.layout.meta.get("bounds"):
        plot_h = height - out.layout.margin.t - out.layout.margin.b
        maps.fit(out, out.layout.meta["bounds"], width_px=width - 120, height_px=plot_h)
    for a in out.layout.annotations or ():
        a.font = dict(size=int(font_size * 0.9), color=NHS_DARK_GREY)
    if footer:
        out.add_annotation(
            text=footer, xref="paper", yref="paper", x=0, y=0, xanchor="left", yanchor="top",
            yshift=-axis_px - 6, showarrow=False, align="left",
            font=dict(size=int(font_size * 0.65), color=NHS_DARK_GREY),
        )
    return out


def for_screen(fig: go.Figure, *, font_size: int = 19, height: int = 540) -> go.Figure:
    """A copy with larger type and a set height, for presentation mode on a projector."""
    out = go.Figure(copy.deepcopy(fig.to_dict()))
    out.update_layout(font=dict(size=font_size), height=height)
    # The app's theme sets the axes' own smaller type, which the layout's font does not reach.
    out.update_xaxes(tickfont_size=font_size - 2)
    out.update_yaxes(tickfont_size=font_size - 2)
    for a in out.layout.annotations or ():
        a.font = dict(size=font_size, color=NHS_DARK_GREY)
    return out

