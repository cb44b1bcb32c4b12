"""Figure helpers shared by the Local employment and Estates and assets pages. Pure; no I/O."""

from __future__ import annotations

import math

import plotly.graph_objects as go

from anchor import charts, maps, spc
from anchor import formatting as fmt


def spc_figure(result: spc.SpcResult, *, kind: str, height: int = 340) -> go.Figure:
    """`charts.spc_chart` with a value axis that never repeats a label (a share that moves
    within a few points gets decimals, a count of people whole-number ticks from zero) and a
    legend of its lines only: the mean, the process limits and any target."""
    fig = charts.spc_chart(result, value_kind=kind, height=height)
    # In a half-width chart a legend of every kind of point takes more room than the plot: the
    # page says what the colours mean, so the legend keeps to the lines.
    for trace in fig.data:
        if trace.name and trace.name.lower().startswith(("common cause", "special cause")):
            trace.showlegend = False
    values = [float(v) for v in result.points["value"]] + [result.ucl, result.lcl]
    if result.target is not None:
        values.append(float(result.target))
    lo, hi = min(values), max(values)
    span = hi - lo
    if kind == "pct":
        digits = 0 if span >= 0.05 else 1 if span >= 0.002 else 2
        fig.update_yaxes(tickformat=f".{digits}%")
    elif kind == "count":
        fig.update_yaxes(tickformat=",d")
        if hi < 5:
            fig.update_yaxes(range=[min(lo, 0) - 0.5, 4.5], dtick=1)
    elif kind == "gbp":
        ticks = _ticks(lo, hi)
        fig.update_yaxes(tickmode="array", tickvals=ticks, ticktext=[fmt.gbp(t) for t in ticks])
    elif kind == "number":
        fig.update_yaxes(tickformat=",.0f" if span >= 10 else ",.1f")
    return fig


def _ticks(lo: float, hi: float, n: int = 4) -> list[float]:
    """About `n` round values covering lo to hi: 260, 280, 300 ..."""
    span = hi - lo
    if span <= 0:
        return [lo]
    raw = span / n
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    first = math.floor(lo / step) * step
    return [first + i * step for i in range(int(math.ceil((hi - first) / step)) + 1)]


def fit_map(fig: go.Figure, bounds: tuple[float, float, float, float] | None, *,
            width_px: int, height_px: int) -> go.Figure:
    """Centre and zoom a map on (west, south, east, north) for the frame it is shown in, with
    room at the bottom for the licence attribution, which would otherwise cover the place."""
    if bounds is None:
        return fig
    west, south, east, north = bounds
    padded = (west, south - 0.2 * (north - south), east, north)
    centre, zoom = maps.view_for(padded, width_px=width_px, height_px=height_px)
    fig.update_layout(map_center=centre, map_zoom=zoom)
    return fig
