"""Maps that work offline: Plotly MapLibre traces on a plain white background, with the
boundaries drawn from our own GeoJSON. A tiled basemap is used only when the deployment
sets `ANCHOR_BASEMAP_URL`. Every map carries the attribution its data's licence requires.

Choropleths show rates (shares); proportional symbols show amounts.
"""

from __future__ import annotations

import math
import os

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from anchor.charts import (
    FONT,
    NHS_BLUE,
    NHS_DARK_BLUE,
    ORANGE,
    plotly_text,
    share_tickformat,
)
from anchor.config import GEOGRAPHY_ATTRIBUTION
from anchor.geography.shapes import bounds as fc_bounds

# Sequential, colour-blind-safe, light to NHS dark blue.
BLUES = [[0.0, "#EFF5FB"], [0.25, "#BDD7EE"], [0.5, "#6FA8DC"], [0.75, "#1F6FB8"],
         [1.0, NHS_DARK_BLUE]]
CONTEXT_FILL = "#F2F4F5"
BOUNDARY = "#AEB7BD"


def _style(attribution: str) -> tuple[str | dict, list[dict]]:
    """White background offline; a deployment's own tiles when configured."""
    url = os.environ.get("ANCHOR_BASEMAP_URL")
    if url:
        extra = os.environ.get("ANCHOR_BASEMAP_ATTRIBUTION", "")
        return "white-bg", [{
            "below": "traces", "sourcetype": "raster", "source": [url],
            "sourceattribution": f"{extra} {attribution}".strip(),
        }]
    return "white-bg", []


def _mercator_y(lat: float) -> float:
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def view_for(bounds: tuple[float, float, float, float], width_px: int = 700,
             height_px: int = 480) -> tuple[dict, float]:
    """Centre and zoom that fit (west, south, east, north) into a map of the given size."""
    west, south, east, north = bounds
    centre = {"lon": (west + east) / 2, "lat": (south + north) / 2}
    # MapLibre's world is 512 px wide at zoom 0.
    zoom_lon = math.log2(width_px * 360 / (512 * max(east - west, 0.01)))
    span_y = max(_mercator_y(north) - _mercator_y(south), 0.0002)
    zoom_lat = math.log2(height_px * 2 * math.pi / (512 * span_y))
    return centre, max(3.0, min(zoom_lon, zoom_lat) - 0.4)


def fit(fig: go.Figure, bounds: tuple[float, float, float, float] | None, *,
        width_px: int = 700, height_px: int | None = None) -> go.Figure:
    """Centre and zoom a map on (west, south, east, north) for a frame of the given size,
    leaving room at the bottom for the licence attribution, which would otherwise cover the
    place. The bounds are kept in the figure so an export can fit them again at its size."""
    if bounds is None:
        return fig
    west, south, east, north = bounds
    padded = (west, south - 0.2 * (north - south), east, north)
    height = height_px or fig.layout.height or 480
    centre, zoom = view_for(padded, width_px=width_px, height_px=height)
    fig.update_layout(map=dict(center=centre, zoom=zoom), meta={"bounds": list(bounds)})
    return fig


def _finish(fig: go.Figure, bounds, layers: list[dict], height: int,
            attribution: str, title: str | None) -> go.Figure:
    style, base_layers = _style(attribution)
    fig.update_layout(
        map=dict(style=style, center={"lon": -1.9, "lat": 52.5}, zoom=8,
                 layers=base_layers + layers),
        height=height, margin=dict(l=0, r=0, t=40 if title else 0, b=0),
        title=dict(text=plotly_text(title), font=dict(size=18)) if title else None,
        font=FONT, paper_bgcolor="white", showlegend=False,
    )
    return fit(fig, bounds, height_px=height)


def context_layers(context: dict | None, focus_outline: dict | None) -> list[dict]:
    """Neighbouring areas light grey with grey boundaries; the place outlined in NHS blue."""
    layers = []
    if context and context["features"]:
        layers.append({"sourcetype": "geojson", "source": context, "type": "fill",
                       "color": CONTEXT_FILL, "below": "traces",
                       "sourceattribution": GEOGRAPHY_ATTRIBUTION})
        layers.append({"sourcetype": "geojson", "source": context, "type": "line",
                       "color": BOUNDARY, "line": {"width": 0.8}, "below": "traces"})
    if focus_outline and focus_outline["features"]:
        layers.append({"sourcetype": "geojson", "source": focus_outline, "type": "line",
                       "color": NHS_BLUE, "line": {"width": 2.5}})
    return layers


def site_markers(sites: pd.DataFrame) -> go.Scattermap:
    s = sites.dropna(subset=["lat", "lon"])
    return go.Scattermap(
        lat=s["lat"], lon=s["lon"], mode="markers",
        marker=dict(size=13, color=ORANGE, symbol="circle"),
        text=[plotly_text(f"{n} ({o})") for n, o in zip(s["name"], s["org_code"])],
        hovertemplate="%{text}<extra>Site</extra>", name="Sites",
    )


def choropleth(geojson: dict, values: pd.DataFrame, *, id_col: str, value_col: str,
               label_col: str, hover_text: list[str], colorbar_title: str,
               context: dict | None = None, focus_outline: dict | None = None,
               sites: pd.DataFrame | None = None, height: int = 480,
               title: str | None = None, zmax: float | None = None) -> go.Figure:
    """Areas shaded by a rate in [0, 1] (shown as %), over grey neighbours, with sites."""
    top = zmax if zmax is not None else max(0.01, float(values[value_col].max() or 0))
    fig = go.Figure(go.Choroplethmap(
        geojson=geojson, locations=values[id_col], z=values[value_col], zmin=0, zmax=top,
        colorscale=BLUES, marker=dict(line=dict(width=0.6, color="white"), opacity=0.9),
        colorbar=dict(title=dict(text=colorbar_title, side="right"),
                      tickformat=share_tickformat(top),
                      thickness=14, len=0.8),
        text=values[label_col].map(plotly_text), customdata=hover_text,
        hovertemplate="<b>%{text}</b><br>%{customdata}<extra></extra>",
    ))
    if sites is not None and not sites.empty:
        fig.add_trace(site_markers(sites))
    layers = context_layers(context, focus_outline)
    b = fc_bounds(focus_outline) if focus_outline else fc_bounds(geojson)
    return _finish(fig, b, layers, height, GEOGRAPHY_ATTRIBUTION, title)


def bubbles(points: pd.DataFrame, *, size_col: str, label_col: str, hover_text: list[str],
            context: dict | None = None, focus_outline: dict | None = None,
            sites: pd.DataFrame | None = None, height: int = 480,
            title: str | None = None, colour: str = NHS_BLUE) -> go.Figure:
    """Proportional symbols for amounts at points (lat, lon): area proportional to value."""
    # a circle needs a positive, finite size: a row holding infinity has no circle to draw
    value = pd.to_numeric(points[size_col], errors="coerce").astype("float64")
    drawn = ((value > 0) & np.isfinite(value)).to_numpy()
    p = points[drawn]
    hover_text = [h for h, d in zip(hover_text, drawn) if d]
    biggest = float(p[size_col].max()) if len(p) else 1.0
    sizes = 6 + 40 * (p[size_col] / biggest) ** 0.5
    fig = go.Figure(go.Scattermap(
        lat=p["lat"], lon=p["lon"], mode="markers",
        marker=dict(size=sizes, color=colour, opacity=0.55, sizemode="diameter"),
        text=p[label_col].map(plotly_text), customdata=hover_text,
        hovertemplate="<b>%{text}</b><br>%{customdata}<extra></extra>",
    ))
    if sites is not None and not sites.empty:
        fig.add_trace(site_markers(sites))
    b = fc_bounds(focus_outline) if focus_outline else None
    if b is None and len(p):
        b = (float(p["lon"].min()), float(p["lat"].min()), float(p["lon"].max()),
             float(p["lat"].max()))
    return _finish(fig, b, context_layers(context, focus_outline), height,
                   GEOGRAPHY_ATTRIBUTION, title)



def points(df: pd.DataFrame, *, group_col: str, groups: dict[str, str], label_col: str,
           hover_text: list[str], context: dict | None = None, focus_outline: dict | None = None,
           height: int = 480, title: str | None = None) -> go.Figure:
    """Markers at points (lat, lon), one colour per group {value: colour}, with a legend."""
    fig = go.Figure()
    p = df.dropna(subset=["lat", "lon"]).reset_index(drop=True)
    hover = pd.Series(hover_text, index=df.index).loc[df["lat"].notna() & df["lon"].notna()]
    for value, colour in groups.items():
        m = (p[group_col] == value).to_numpy()
        fig.add_trace(go.Scattermap(
            lat=p.loc[m, "lat"], lon=p.loc[m, "lon"], mode="markers",
            name=str(value), marker=dict(size=10, color=colour, opacity=0.85),
            text=p.loc[m, label_col].map(plotly_text), customdata=list(hover.to_numpy()[m]),
            hovertemplate="<b>%{text}</b><br>%{customdata}<extra></extra>",
        ))
    b = fc_bounds(focus_outline) if focus_outline else None
    _finish(fig, b, context_layers(context, focus_outline), height, GEOGRAPHY_ATTRIBUTION, title)
    fig.update_layout(showlegend=True, legend=dict(orientation="h", y=1.02, x=0))
    return fig
