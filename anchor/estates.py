"""Estates and assets: the figures behind the Estates and assets page. Pure; no I/O.

Land, floor space and backlog are snapshots (each site's latest return in the period);
energy, carbon and community use are what the returns of the period add up to. Targets: the
Carter review's non-clinical floor space of at most 35% of GIA, and at most 2.5% of floor
space empty or under-used.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from anchor import formatting as fmt
from anchor import maps
from anchor.charts import (
    FONT,
    NHS_BLUE,
    NHS_DARK_GREY,
    NHS_MID_GREY,
    NHS_PALE_GREY,
    ORANGE,
    plotly_text,
)
from anchor.columns import Column, as_is, percent, rounded, table
from anchor.config import EMPTY_UNDERUSED_MAX_PCT, NON_CLINICAL_MAX_PCT
from anchor.geography.shapes import bounds as fc_bounds
from anchor.metrics import share
from anchor.periods import quarter_label

EMPTY_UNDERUSED_TARGET = EMPTY_UNDERUSED_MAX_PCT / 100
NON_CLINICAL_TARGET = NON_CLINICAL_MAX_PCT / 100
SUMMED = ["site_area_ha", "land_not_delivering_ha", "gia_m2", "occupied_m2", "empty_m2",
          "underused_m2", "clinical_m2", "non_clinical_m2", "backlog_cost_gbp", "energy_kwh",
          "carbon_tco2e", "community_use_hours"]
# What counts as a change worth a sentence between a site's return and a year earlier.
LAND_CHANGE_HA = 1.0
EMPTY_CHANGE = 0.05


# -- formatting ------------------------------------------------------------------------------

def m2(x: float | None) -> str:
    return "–" if _missing(x) else f"{float(x):,.0f} m²"


def energy(kwh: float | None) -> str:
    """kWh as a board reads it: 850 MWh, 1.1 GWh."""
    if _missing(kwh):
        return "–"
    k = float(kwh)
    if abs(k) >= 1e6:
        return f"{k / 1e6:,.1f} GWh"
    if abs(k) >= 1e3:
        return f"{k / 1e3:,.0f} MWh"
    return f"{k:,.0f} kWh"


def per_m2(x: float | None) -> str:
    return "–" if _missing(x) else f"£{float(x):,.0f}/m²"


def n_sites(n) -> str:
    """'1 site', '14 sites'."""
    n = int(n)
    return f"{n:,} site" if n == 1 else f"{n:,} sites"


def _missing(x) -> bool:
    return x is None or pd.isna(x) or (isinstance(x, float) and not math.isfinite(x))


# -- figures -----------------------------------------------------------------------------------

def with_ratios(df: pd.DataFrame) -> pd.DataFrame:
    """Add empty_underused_m2 and the shares: empty_underused_share and non_clinical_share
    (of GIA), backlog_per_m2 (£ per m² of GIA), land_share (of site area)."""
    out = df.copy()
    gia = out["gia_m2"].astype(float).where(out["gia_m2"] != 0)
    area = out["site_area_ha"].astype(float).where(out["site_area_ha"] != 0)
    out["empty_underused_m2"] = out["empty_m2"].astype(float) + out["underused_m2"].astype(float)
    out["empty_underused_share"] = out["empty_underused_m2"] / gia
    out["non_clinical_share"] = out["non_clinical_m2"].astype(float) / gia
    out["backlog_per_m2"] = out["backlog_cost_gbp"].astype(float) / gia
    out["land_share"] = out["land_not_delivering_ha"].astype(float) / area
    return out


def totals(sites: pd.DataFrame) -> pd.Series:
    """The sites of the place together: sums, the number of sites, and the shares."""
    row = sites[SUMMED].astype(float).sum(min_count=0).to_frame().T
    row["sites"] = len(sites)
    return with_ratios(row).iloc[0]


def by_organisation(sites: pd.DataFrame) -> pd.DataFrame:
    """One row per organisation: its sites in the place added up, with the shares."""
    g = sites.groupby("org_code", as_index=False)[SUMMED].sum()
    g["sites"] = sites.groupby("org_code")["site_code"].count().to_numpy()
    return with_ratios(g)


@dataclass(frozen=True)
class Headlines:
    """What the tiles show, worked out once."""

    t: pd.Series

    @property
    def empty_underused_vs_target(self) -> str | None:
        """'+1.2 pts': the share as shown against the limit, or None when not known."""
        s = self.t["empty_underused_share"]
        return None if _missing(s) else fmt.points_change(float(s), EMPTY_UNDERUSED_TARGET)

    @property
    def non_clinical_vs_target(self) -> str | None:
        s = self.t["non_clinical_share"]
        return None if _missing(s) else fmt.points_change(float(s), NON_CLINICAL_TARGET)


# -- tables ------------------------------------------------------------------------------------

def _site_label(df: pd.DataFrame) -> list[str]:
    return [f"{n} ({o})" for n, o in zip(df["site_name"], df["org_code"])]


def _quarter(q) -> str:
    return quarter_label(pd.Timestamp(q).date())


_HA, _M2, _GBP = rounded(2), rounded(0), rounded(2)
SITE_COLUMNS = (
    Column("Organisation", "org_code", None, as_is),
    Column("Site code", "site_code", None, as_is),
    Column("Site", "site_label", as_is, None),
    Column("Site", "site_name", None, as_is),
    Column("Postcode", "postcode", None, as_is),
    Column("Latest return", "snapshot_quarter", None, _quarter),
    Column("Site area", "site_area_ha", fmt.hectares, _HA, "Site area (ha)"),
    Column("Not delivering", "land_not_delivering_ha", fmt.hectares, _HA,
           "Land not delivering services (ha)"),
    Column("GIA (m²)", "gia_m2", fmt.count, _M2, "GIA (m2)"),
    Column("Occupied (m2)", "occupied_m2", None, _M2),
    Column("Empty (m2)", "empty_m2", None, _M2),
    Column("Under-used (m2)", "underused_m2", None, _M2),
    Column("Empty, under-used", "empty_underused_share", fmt.pct, percent,
           "Empty or under-used (%)"),
    Column("Non-clinical", "non_clinical_share", fmt.pct, percent, "Non-clinical (%)"),
    Column("Backlog", "backlog_cost_gbp", fmt.gbp, _GBP, "Backlog maintenance (GBP)"),
    Column("Backlog per m²", "backlog_per_m2", fmt.gbp, _GBP, "Backlog per m2 (GBP)"),
    Column("Energy (kWh)", "energy_kwh", None, _M2),
    Column("tCO2e", "carbon_tco2e", fmt.count, rounded(1), "Carbon (tCO2e)"),
    Column("Community hours", "community_use_hours", fmt.count, _M2, "Community use (hours)"),
)
ORGANISATION_COLUMNS = (
    Column("Organisation", "organisation", as_is, None),
    Column("Organisation", "org_code", None, as_is),
    Column("Name", "name", None, as_is),
    Column("Sites", "sites", fmt.count, as_is),
    Column("Site area (ha)", "site_area_ha", None, _HA),
    Column("Not delivering", "land_not_delivering_ha", fmt.hectares, _HA,
           "Land not delivering services (ha)"),
    Column("GIA (m²)", "gia_m2", fmt.count, _M2, "GIA (m2)"),
    Column("Empty or under-used (m2)", "empty_underused_m2", None, _M2),
    Column("Empty, under-used", "empty_underused_share", fmt.pct, percent,
           "Empty or under-used (%)"),
    Column("Non-clinical", "non_clinical_share", fmt.pct, percent, "Non-clinical (%)"),
    Column("Backlog", "backlog_cost_gbp", fmt.gbp, _GBP, "Backlog maintenance (GBP)"),
    Column("Backlog per m²", "backlog_per_m2", fmt.gbp, _GBP, "Backlog per m2 (GBP)"),
    Column("Energy (kWh)", "energy_kwh", None, _M2),
    Column("tCO2e", "carbon_tco2e", fmt.count, rounded(1), "Carbon (tCO2e)"),
    Column("Community use (hours)", "community_use_hours", None, _M2),
)
RELEASE_COLUMNS = (
    Column("Organisation", "org_code", None, as_is),
    Column("Site", "site_label", as_is, None),
    Column("Site", "site_name", None, as_is),
    Column("Postcode", "postcode", None, as_is),
    Column("Land not delivering services", "land_not_delivering_ha", fmt.hectares, _HA,
           "Land not delivering services (ha)"),
    Column("Share of the site", "land_share", fmt.pct, percent, "Share of site area (%)"),
    Column("Empty floor space", "empty_m2", m2, _M2, "Empty (m2)"),
    Column("Under-used floor space", "underused_m2", m2, _M2, "Under-used (m2)"),
)


def site_table(sites: pd.DataFrame, *, download: bool = False) -> pd.DataFrame:
    """Every site in the place, largest floor area first: land, floor space, backlog, energy,
    carbon and community use. `download` keeps numbers (shares in %) for spreadsheets."""
    s = with_ratios(sites).sort_values(["gia_m2", "site_name"], ascending=[False, True])
    return table(s.assign(site_label=_site_label(s)), SITE_COLUMNS, download=download)


def organisation_table(orgs: pd.DataFrame, names: dict[str, str], *,
                       download: bool = False) -> pd.DataFrame:
    o = orgs.assign(
        organisation=[f"{c} · {fmt.short_org_name(names.get(c, c))}" for c in orgs["org_code"]],
        name=[names.get(c, c) for c in orgs["org_code"]])
    return table(o, ORGANISATION_COLUMNS, download=download)


def release_table(sites: pd.DataFrame, *, download: bool = False) -> pd.DataFrame:
    """Land and floor space that could be released: sites with land not delivering services or
    empty space, most land first."""
    s = with_ratios(sites)
    s = s[(s["land_not_delivering_ha"] > 0) | (s["empty_m2"] > 0)]
    s = s.sort_values(["land_not_delivering_ha", "empty_m2"], ascending=False)
    return table(s.assign(site_label=_site_label(s)), RELEASE_COLUMNS, download=download)


# -- what changed (sentences) ----------------------------------------------------------------

def sentences(now: pd.DataFrame, then: pd.DataFrame, *, period_label: str, then_label: str,
              then_last: date, place_phrase: str) -> list[str]:
    """Plain-English sentences from the data: what the sites hold now, and which sites changed
    most since a year earlier (land or floor space falling out of use, sites opening or no
    longer returning)."""
    if now.empty:
        return [f"No site {place_phrase} made an estates return in {period_label}."]
    t = totals(now)
    s = with_ratios(now)
    out = []
    text = (f"In {period_label}, {fmt.hectares(t['land_not_delivering_ha'])} of the "
            f"{fmt.hectares(t['site_area_ha'])} held at {n_sites(t['sites'])} {place_phrase} "
            f"did not deliver services")
    if t["land_not_delivering_ha"] > 0:
        top = s.sort_values("land_not_delivering_ha", ascending=False).iloc[0]
        text += (f"; the most at {top['site_name']} ({fmt.hectares(top['land_not_delivering_ha'])}"
                 f", {fmt.pct(top['land_share'])} of its site)")
    out.append(text + ".")
    out.append(f"{fmt.pct(t['empty_underused_share'])} of the floor space "
               f"({m2(t['empty_underused_m2'])}) was empty or under-used, against a target of at "
               f"most {EMPTY_UNDERUSED_MAX_PCT:g}%; non-clinical space was "
               f"{fmt.pct(t['non_clinical_share'])} (Carter: at most {NON_CLINICAL_MAX_PCT:g}%).")
    if then.empty:
        return out
    before = with_ratios(then).set_index("site_code")
    opened = []
    for r in s.sort_values("gia_m2", ascending=False).itertuples():
        if r.site_code not in before.index:
            first = pd.Timestamp(r.first_return).date()
            if first > then_last:
                opened.append(f"{r.site_name} ({r.org_code}) made its first return in "
                              f"{quarter_label(first)}: {m2(r.gia_m2)} of floor space on "
                              f"{fmt.hectares(r.site_area_ha)}.")
            continue
        b = before.loc[r.site_code]
        land_change = r.land_not_delivering_ha - b["land_not_delivering_ha"]
        empty_change = r.empty_underused_share - b["empty_underused_share"]
        parts = []
        if abs(empty_change) >= EMPTY_CHANGE:
            parts.append(f"empty or under-used floor space {_rose(empty_change)} from "
                         f"{fmt.pct(b['empty_underused_share'])} to "
                         f"{fmt.pct(r.empty_underused_share)} of its {m2(r.gia_m2)}")
        if abs(land_change) >= LAND_CHANGE_HA:
            parts.append(f"land not delivering services {_rose(land_change)} from "
                         f"{fmt.hectares(b['land_not_delivering_ha'])} to "
                         f"{fmt.hectares(r.land_not_delivering_ha)}")
        if parts:
            tail = (": space that could be released for housing, regeneration or community use"
                    if land_change > 0 or empty_change > 0 else "")
            out.append(f"At {r.site_name} ({r.org_code}), {' and '.join(parts)} since "
                       f"{then_label}{tail}.")
    out.extend(opened)
    gone = before.index.difference(s["site_code"])
    for code in gone:
        b = before.loc[code]
        out.append(f"{b['site_name']} ({b['org_code']}) made no return in {period_label}.")
    return out


def _rose(change: float) -> str:
    return "rose" if change > 0 else "fell"


# -- charts and the map ----------------------------------------------------------------------

def floor_space_chart(sites: pd.DataFrame, height: int | None = None) -> go.Figure:
    """Stacked horizontal bars per site: floor space in use, under-used and empty (m²)."""
    s = with_ratios(sites).sort_values("gia_m2")
    labels = [plotly_text(label) for label in _site_label(s)]
    in_use = (s["occupied_m2"] - s["underused_m2"]).clip(lower=0)
    fig = go.Figure()
    for values, name, colour in [(in_use, "In use", NHS_BLUE),
                                 (s["underused_m2"], "Under-used", ORANGE),
                                 (s["empty_m2"], "Empty", NHS_DARK_GREY)]:
        fig.add_trace(go.Bar(
            x=values, y=labels, orientation="h", name=name, marker_color=colour,
            customdata=[[m2(v), fmt.pct(share(v, g))] for v, g in zip(values, s["gia_m2"])],
            hovertemplate="%{y}<br>%{customdata[0]} (%{customdata[1]} of GIA)"
                          f"<extra>{name}</extra>",
        ))
    fig.update_layout(
        barmode="stack", font=FONT, height=height or max(260, 90 + 34 * len(s)),
        margin=dict(l=10, r=20, t=40, b=10), plot_bgcolor="white", paper_bgcolor="white",
        legend=dict(orientation="h", yanchor="bottom", y=1.01, xanchor="left", x=0,
                    traceorder="normal"),
        hoverlabel=dict(font_size=14),
    )
    fig.update_xaxes(title="Floor area (m²)", tickformat=",.0f", gridcolor=NHS_PALE_GREY,
                     linecolor=NHS_MID_GREY, rangemode="tozero")
    fig.update_yaxes(title=None, automargin=True)
    return fig


SIZE_OPTIONS = {
    "Site area": ("site_area_ha", fmt.hectares),
    "Floor area (GIA)": ("gia_m2", m2),
    "Land not delivering services": ("land_not_delivering_ha", fmt.hectares),
    "Empty or under-used floor space": ("empty_underused_m2", m2),
}


def sites_map(sites: pd.DataFrame, size_by: str, *, context: dict | None,
              focus_outline: dict | None, height: int = 520, width_px: int = 560) -> go.Figure:
    """Each site as a circle whose area is proportional to the chosen measure."""
    col, show = SIZE_OPTIONS[size_by]
    s = with_ratios(sites).dropna(subset=["lat", "lon"]).reset_index(drop=True)
    s = s[s[col] > 0].reset_index(drop=True)
    hover = [f"{plotly_text(o)} · {show(v)}<br>Site {fmt.hectares(a)}, of which "
             f"{fmt.hectares(land)} not delivering services<br>GIA {m2(g)}, "
             f"{fmt.pct(e)} empty or under-used"
             for o, v, a, land, g, e in zip(s["org_code"], s[col], s["site_area_ha"],
                                            s["land_not_delivering_ha"], s["gia_m2"],
                                            s["empty_underused_share"])]
    colour = ORANGE if col in ("land_not_delivering_ha", "empty_underused_m2") else NHS_BLUE
    outline = focus_outline if focus_outline and focus_outline["features"] else None
    fig = maps.bubbles(s, size_col=col, label_col="site_name", hover_text=hover, context=context,
                       focus_outline=outline, height=height, colour=colour)
    # The map shares its row with a table: fit the place into a narrower frame than the default.
    b = fc_bounds(outline) if outline else None
    if b is None and len(s):
        pad = 0.02
        b = (float(s["lon"].min()) - pad, float(s["lat"].min()) - pad,
             float(s["lon"].max()) + pad, float(s["lat"].max()) + pad)
    return maps.fit(fig, b, width_px=width_px, height_px=height)


# -- the quarterly series (their measures and SPC: anchor/measures/estate.py) ------------

def quarterly_series(by_quarter: pd.DataFrame) -> pd.DataFrame:
    s = with_ratios(by_quarter).reset_index(drop=True)
    s["label"] = [quarter_label(pd.Timestamp(q).date()) for q in s["quarter_start"]]
    return s
