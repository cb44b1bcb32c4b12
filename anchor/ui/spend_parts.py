"""What the Local spend page draws beyond the shared components: a row of headline tiles, an
SPC chart with its icons, the trend, the maps of where the money goes, leakage, and a table
with its downloads. Each draws what the view (anchor/views/local_spend.py) worked out."""

from __future__ import annotations

import streamlit as st

from anchor import charts, maps
from anchor.chart_text import describe_spc
from anchor.measures import Figure
from anchor.ui import chart, components, state
from anchor.views.local_spend import Download, Leakage, SpendMaps, Table, Tile, Trend


def tile_row(tiles: tuple[Tile, ...]) -> None:
    """The tiles side by side: a measure's figure with its change on a year earlier."""
    for col, t in zip(st.columns(len(tiles)), tiles):
        with col:
            if isinstance(t.shows, Figure):
                f = t.shows
                components.tile(t.label, f.now.shown, delta=f.delta, delta_note=f.delta_note,
                                detail=f.now.detail)
            else:
                components.tile(t.label, t.shows.shown, detail=t.shows.detail)


def spc_chart(result, *, y_title: str) -> None:
    """An XmR chart of shares with its icons; nothing when there is no result."""
    if result is None:
        return
    components.spc_badges(result)
    chart.show(charts.spc_chart(result, value_kind="pct", y_title=y_title,
                                two_sigma=st.session_state.get(state.TWO_SIGMA, False)),
               alt=describe_spc(result, kind="pct", title=y_title))


def trend(t: Trend) -> None:
    """The local share's SPC chart and how many points it has, or what it needs."""
    if t.spc is None:
        st.info(t.needs)
        return
    spc_chart(t.spc, y_title=t.y_title)
    st.caption(t.caption)
    unknown = components.unknown_quarters_note(t.series, t.share_col)
    if unknown:
        st.caption(unknown)


def spend_maps(m: SpendMaps) -> None:
    """The areas shaded by their share of the spend, then the largest local suppliers."""
    chart.show(maps.choropleth(
        m.areas, m.destinations, id_col=m.id_col, value_col="share", label_col=m.label_col,
        hover_text=m.hover, colorbar_title=m.colorbar_title, context=m.lads,
        focus_outline=m.focus, sites=m.sites, title="Share of spend by where suppliers are based"))
    chart.show(maps.bubbles(
        m.suppliers, size_col=m.size_col, label_col="name", hover_text=m.supplier_hover,
        context=m.lads, focus_outline=m.focus, sites=m.sites, title=m.suppliers_title))
    if m.unplaced_note:
        st.caption(m.unplaced_note)


def leakage(leak: Leakage) -> None:
    """The categories with most spend outside the place beside where it went."""
    if leak.categories is None:
        st.info(leak.needs, icon=":material/location_off:")
        return
    lc, rc = components.stacking_columns([3, 2], key="leakage")
    with lc:
        # The title above the chart, where it wraps in a narrow column (a chart's is cut off).
        st.markdown("**The ten categories with most spend outside the place**")
        chart.show(charts.hbar(leak.categories, value_col="non_local_gbp",
                                    label_col="category", text_col="label", value_kind="gbp",
                                    axis_title=leak.axis_title))
    with rc:
        st.markdown("**Where non-local spend went**")
        components.wide_table(leak.destinations)
        if leak.note:
            st.caption(leak.note)


def table(t: Table, *, pin: tuple[str, ...]) -> None:
    """A table that scrolls sideways with its `pin` columns in view, and its downloads."""
    components.wide_table(t.shown, pin=pin)
    download(t.download)


def download(d: Download) -> None:
    """A view's `Download`: CSV and Excel buttons."""
    components.downloads(d.frame, d.title, notes=d.notes)
