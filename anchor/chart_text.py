"""The words a screen reader reads for a chart or a map (WCAG 1.1.1, non-text content).

`describe(fig)` says what kind of chart it is, what it shows and what its figures are, from
the figure itself, so the text always agrees with the picture: a line's first and last
points with its lowest and highest, a bar chart's largest bars, a map's areas and its most
shaded one. Numbers are written as the chart's own axis writes them (a share axis in %, a
money axis in £). Pure: no Streamlit."""

from __future__ import annotations

import math
from collections.abc import Callable

import plotly.graph_objects as go

from anchor import formatting as fmt

MAX_BARS = 3  # bars named in full; the rest are counted
MAX_LINES = 4  # lines described; reference lines (limits, means, targets) are left out

_REFERENCE = ("limit", "mean", "target", "trajectory", "baseline", "average")


def _number_format(axis) -> Callable[[float], str]:
    """How the axis writes its numbers, from its tick labels or tick format."""
    labels = " ".join(str(t) for t in (axis.ticktext or ()))
    tickformat = axis.tickformat or ""
    suffix = axis.ticksuffix or ""
    if "%" in labels or "%" in tickformat:
        return fmt.pct
    if "%" in suffix:
        return lambda v: f"{v:,.1f}%"
    if "£" in labels or "£" in (axis.tickprefix or ""):
        return fmt.gbp
    if " ha" in labels:
        return fmt.hectares
    return lambda v: fmt.number(v, digits=2 if abs(v) < 10 else 0)


def _plain(text: object) -> str:
    """A label as a person reads it: Plotly's <br> a space, other tags dropped."""
    s = str(text).replace("<br>", " ")
    out, tag = [], False
    for ch in s:
        if ch == "<":
            tag = True
        elif ch == ">" and tag:
            tag = False
        elif not tag:
            out.append(ch)
    return " ".join("".join(out).replace("&amp;", "&").replace("&lt;", "<")
                    .replace("&gt;", ">").split())


def _numbers(values) -> list[float | None]:
    out = []
    for v in values if values is not None else ():
        try:
            f = float(v)
        except (TypeError, ValueError):
            out.append(None)
            continue
        out.append(None if math.isnan(f) else f)
    return out


def _items(values) -> list:
    return [] if values is None else list(values)


def _x_label(x) -> str:
    if hasattr(x, "strftime"):
        return x.strftime("%B %Y")
    return _plain(x)


def _line(trace, value: Callable[[float], str]) -> str | None:
    ys = _numbers(trace.y)
    xs = _items(trace.x) or list(range(len(ys)))
    points = [(x, y) for x, y in zip(xs, ys) if y is not None]
    if not points:
        return None
    name = _plain(trace.name) if trace.name else "The line"
    (x0, y0), (x1, y1) = points[0], points[-1]
    if len(points) == 1:
        return f"{name}: {value(y1)} in {_x_label(x1)}"
    low = min(points, key=lambda p: p[1])
    high = max(points, key=lambda p: p[1])
    return (f"{name}: {len(points)} points from {_x_label(x0)} to {_x_label(x1)}, "
            f"{value(y0)} at first and {value(y1)} at last; lowest {value(low[1])} "
            f"({_x_label(low[0])}), highest {value(high[1])} ({_x_label(high[0])})")


def _bars(traces, fig) -> str:
    horizontal = traces[0].orientation == "h"
    value = _number_format(fig.layout.xaxis if horizontal else fig.layout.yaxis)
    bars = []
    for t in traces:
        values = _numbers(t.x if horizontal else t.y)
        labels = _items(t.y if horizontal else t.x) or [""] * len(values)
        texts = [None] * len(values) if t.text is None or isinstance(t.text, str) \
            else _items(t.text)
        for label, v, text in zip(labels, values, texts + [None] * len(values)):
            if v is not None:
                shown = _plain(text) if text not in (None, "") else value(v)
                series = f" ({_plain(t.name)})" if len(traces) > 1 and t.name else ""
                bars.append((v, f"{_plain(label)}{series} {shown}"))
    if not bars:
        return "No bars to show"
    bars.sort(key=lambda b: -b[0])
    named = "; ".join(text for _, text in bars[:MAX_BARS])
    rest = len(bars) - MAX_BARS
    return (f"{len(bars)} bars, largest first: {named}"
            + (f"; and {rest} more" if rest > 0 else ""))


def _map(fig) -> str:
    parts = []
    for t in fig.data:
        kind = t.type
        if kind in ("choroplethmap", "choroplethmapbox", "choropleth"):
            z = _numbers(t.z)
            names = (_items(t.text) if t.text is not None and not isinstance(t.text, str)
                     else _items(t.locations))
            shaded = [(v, n) for v, n in zip(z, names) if v is not None]
            if t.showscale is False and t.name:  # areas set apart, in one colour
                parts.append(f"{fmt.count(len(shaded))} areas in grey: {_plain(t.name).lower()}")
                continue
            title = _plain(t.colorbar.title.text) if t.colorbar and t.colorbar.title else ""
            text = f"{fmt.count(len(shaded))} areas shaded" + (f" by {title.lower()}" if title else "")
            if shaded:
                top = max(shaded, key=lambda s: s[0])
                as_pct = "%" in (t.colorbar.tickformat or "") if t.colorbar else False
                fmt_top = fmt.pct(top[0]) if as_pct else fmt.number(top[0])
                text += f"; the most is {_plain(top[1])} ({fmt_top})"
            parts.append(text)
        elif kind in ("scattermap", "scattermapbox", "scattergeo"):
            n = len(_items(t.lat))
            if n:
                parts.append(f"{fmt.count(n)} {_plain(t.name).lower() if t.name else 'places'} marked")
    return "Map: " + ("; ".join(parts) if parts else "no areas or places to show")


def describe(fig: go.Figure, title: str | None = None) -> str:
    """One paragraph a screen reader reads in place of the chart."""
    heading = _plain(title or (fig.layout.title.text if fig.layout.title else "") or "")
    lead = f"{heading}. " if heading else ""
    kinds = {t.type for t in fig.data}
    if not fig.data:
        return f"{lead}Chart: nothing to show."
    if kinds & {"choroplethmap", "choroplethmapbox", "choropleth", "scattermap",
                "scattermapbox", "scattergeo"}:
        return lead + _map(fig) + "."
    bars = [t for t in fig.data if t.type == "bar"]
    if bars:
        return lead + "Bar chart: " + _bars(bars, fig) + "."
    value = _number_format(fig.layout.yaxis)
    lines = [t for t in fig.data if t.type == "scatter"
             and not any(w in _plain(t.name or "").lower() for w in _REFERENCE)]
    said = [s for s in (_line(t, value) for t in lines[:MAX_LINES]) if s]
    axis = _plain(fig.layout.yaxis.title.text) if fig.layout.yaxis.title.text else ""
    return (lead + "Line chart" + (f" of {axis.lower()}" if axis else "") + ": "
            + ("; ".join(said) if said else "no points to show") + ".")


def describe_spc(result, *, kind: str, title: str) -> str:
    """What a screen reader reads for an XmR chart (`charts.spc_chart`): its span, its latest
    point, the latest phase's mean and limits, how it varies, any target's assurance, and the
    points that show special cause. `kind` is the chart's value_kind ('pct', 'gbp', 'count',
    'number')."""
    value = {"pct": fmt.pct, "gbp": fmt.gbp, "count": fmt.count}.get(kind, fmt.number)
    p = result.points[result.points["value"].notna()]
    name = _plain(title)
    if p.empty:
        return f"SPC chart of {name}: no points to show."
    first, last = p.iloc[0], p.iloc[-1]
    text = (f"SPC chart of {name}: {fmt.count(len(p))} quarter{'s' if len(p) != 1 else ''} "
            f"from {first['label']} to {last['label']}, {value(last['value'])} at the latest. "
            f"Mean {value(result.mean)}, process limits {value(result.lcl)} to "
            f"{value(result.ucl)}; {result.variation}")
    if result.target is not None:
        text += f"; target {value(result.target)}: {result.assurance or 'not yet judged'}"
    special = p[p["signal"] != "common cause"]
    for signal, points in special.groupby("signal", sort=False):
        n = len(points)
        text += (f"; {fmt.count(n)} point{'s' if n != 1 else ''} {signal}, the latest "
                 f"{points.iloc[-1]['label']}")
    return text + "."
