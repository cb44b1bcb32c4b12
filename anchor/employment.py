"""Local employment: the figures behind the Local employment page, with disclosure control.

Pure functions over the workforce query frames; no I/O, no Streamlit:
- per-organisation and collective figures (residents employed, pay into the place, the
  deprivation profile, apprenticeship starts, staff below the Real Living Wage);
- the quarterly headline series (their measures and SPC: anchor/measures/people.py);
- tables for display and download, plain-English sentences, and the two figures (where staff
  live, the deprivation profile).

Disclosure control (`anchor.disclosure` states the rule): every count of people from 1 to 4
becomes None (shown "*") together with whatever would give it away: its share, its FTE, its
pay; every other count, and FTE, is rounded to the nearest 5, and shares of people are worked
out from the rounded counts. Where exactly one count of a group is suppressed and the group's
total is shown, the smallest other count is suppressed too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from anchor import columns, disclosure, maps
from anchor import formatting as fmt
from anchor.charts import FONT, NHS_BLUE, NHS_DARK_GREY, NHS_MID_GREY, NHS_PALE_GREY, ORANGE
from anchor.columns import Column
from anchor.config import APPRENTICESHIP_TARGET_PCT
from anchor.geography.shapes import bounds as fc_bounds
from anchor.geography.shapes import subset
from anchor.periods import add_quarters, quarter_label

ALL = "All"  # the org_code of the row for the organisations together

COUNTS = [
    "headcount", "local_headcount", "unplaced_headcount", "starters", "local_starters",
    "staff_with_decile", "staff_deprived_10", "staff_deprived_20",
    "starters_with_decile", "starters_deprived_10", "starters_deprived_20",
    "apprentices", "below_living_wage",
]
# Figures that would give a suppressed count away, keyed to that count.
LINKED = {
    "fte": "headcount",
    "gross_pay_gbp": "headcount",
    "local_fte": "local_headcount",
    "residents_share": "local_headcount",
    "local_gross_pay_gbp": "local_headcount",
    "local_pay_share": "local_headcount",
    "staff_deprived_10_share": "staff_deprived_10",
    "staff_deprived_20_share": "staff_deprived_20",
    "starters_deprived_10_share": "starters_deprived_10",
    "starters_deprived_20_share": "starters_deprived_20",
    "apprenticeship_rate": "apprentices",
}
SHARES = {
    # share: (numerator, denominator)
    "residents_share": ("local_headcount", "headcount"),
    "local_pay_share": ("local_gross_pay_gbp", "gross_pay_gbp"),
    "staff_deprived_10_share": ("staff_deprived_10", "staff_with_decile"),
    "staff_deprived_20_share": ("staff_deprived_20", "staff_with_decile"),
    "starters_deprived_10_share": ("starters_deprived_10", "starters_with_decile"),
    "starters_deprived_20_share": ("starters_deprived_20", "starters_with_decile"),
    "apprenticeship_rate": ("apprentices", "headcount"),
}
APPRENTICESHIP_TARGET = APPRENTICESHIP_TARGET_PCT / 100
SYNTHETIC_NOTE = (
    "The deprivation deciles are synthetic demo values, not the English Indices of "
    "Deprivation. Import the real ones with `anchor imd FILE`, where FILE is File 7 of the "
    "English Indices of Deprivation (the CSV of all ranks, deciles and scores)."
)
SUPPRESSED_FILL = "#D3D9DD"  # LSOAs with 1 to 4 staff: a flat grey outside the blue scale


NOTE_MD = fmt.md_text(disclosure.NOTE)


# -- disclosure ------------------------------------------------------------------------------

def protect(df: pd.DataFrame, counts: Sequence[str], linked: dict[str, str] | None = None, *,
            groups: Sequence[str | None] = (None,),
            total_rows: pd.Series | None = None) -> pd.DataFrame:
    """`disclosure.suppress`, then secondary suppression. For each grouping in `groups` (a
    column whose groups have a published total, or None for all the rows together; rows
    marked in `total_rows` take no part), a count column with exactly one withheld cell in a
    group loses its smallest other non-zero cell too, and with it that cell's linked figures.
    Repeated until every group holds: a cell withheld for one group's sake can leave another
    group with a single withheld cell."""
    linked = linked or {}
    out = disclosure.suppress(df, counts, linked)
    is_total = (total_rows if total_rows is not None
                else pd.Series(False, index=df.index)).astype(bool)
    parts = [df.index[~is_total] if group is None
             else idx.intersection(df.index[~is_total])
             for group in groups
             for idx in ([df.index] if group is None else df.groupby(group).groups.values())]
    for col in counts:
        out[col] = out[col].astype(object)
        for other, source in linked.items():
            if source == col:
                out[other] = out[other].astype(object)
        values = pd.to_numeric(df[col], errors="coerce")
        changed = True
        while changed:
            changed = False
            for idx in parts:
                hidden = out.loc[idx, col].map(_blank).astype(bool)
                if int(hidden.sum()) != 1:
                    continue
                candidates = values[idx][(values[idx] > 0) & ~hidden]
                if candidates.empty:
                    continue
                row = candidates.idxmin()
                out.loc[row, col] = None
                for other, source in linked.items():
                    if source == col:
                        out.loc[row, other] = None
                changed = True
    return out


def _blank(x) -> bool:
    return x is None or (not isinstance(x, str) and pd.isna(x))


FTES = ["fte", "local_fte"]


# Pay of the organisations together, keyed to the count of each organisation it sums: shown
# beside one organisation's own pay (or on another choice of organisations), a total holding
# the pay of 1 to 4 people would give that pay away by subtraction.
TOTAL_PAY = {"local_gross_pay_gbp": "local_headcount", "local_pay_share": "local_headcount",
             "gross_pay_gbp": "headcount"}


def small_cell_orgs(by_org_lad: pd.DataFrame) -> set[str]:
    """Organisations with 1 to 4 staff living in the place in some local authority of it.
    `by_org_lad` is `workforce_totals(..., by=("org", "lad"))`. Their pay into the place is
    withheld: the same figure for a place without that local authority would give the pay
    of those few people away by subtraction."""
    if by_org_lad.empty:
        return set()
    small = by_org_lad["local_headcount"].map(disclosure.is_disclosive).astype(bool)
    return set(by_org_lad.loc[small, "org_code"])


def _total_pay_withheld(figures: pd.DataFrame, out: pd.DataFrame,
                        small_cells: set[str] | frozenset[str] = frozenset()) -> pd.DataFrame:
    """The `ALL` row's pay withheld where any organisation's count behind it is 1 to 4; the
    local pay of organisations in `small_cells` (and so the `ALL` row's) withheld too."""
    parts = figures[figures["org_code"] != ALL]
    is_all = out["org_code"] == ALL
    for col, count in TOTAL_PAY.items():
        if col not in out:
            continue
        out[col] = out[col].astype(object)
        if parts[count].map(disclosure.is_disclosive).any():
            out.loc[is_all, col] = None
        if count == "local_headcount" and small_cells:
            out.loc[out["org_code"].isin(list(small_cells)) | is_all, col] = None
    return out


def _as_shown(protected: pd.DataFrame) -> pd.DataFrame:
    """After `protect`: FTE rounded as counts are, and every share of people worked out again
    from the rounded counts, so that a share times a shown count gives back no unrounded one."""
    out = protected.copy()
    for col in FTES:
        if col in out:
            out[col] = pd.Series([disclosure.shown_fte(v) for v in out[col]], index=out.index,
                                 dtype=object)
    for col, (num, den) in SHARES.items():
        if col in out and num in COUNTS and num in out and den in out:
            out[col] = [disclosure.people_share(n, d) for n, d in zip(out[num], out[den])]
            out[col] = out[col].astype(object)
    return out


# -- figures per organisation ----------------------------------------------------------------

def _add_shares(df: pd.DataFrame) -> pd.DataFrame:
    """The SHARES whose numerator and denominator the frame holds."""
    out = df.copy()
    for col, (num, den) in SHARES.items():
        if num not in out or den not in out:
            continue
        d = pd.to_numeric(out[den], errors="coerce").astype(float)
        out[col] = pd.to_numeric(out[num], errors="coerce").astype(float) / d.where(d != 0)
    return out


def deprivation_counts(deprivation: pd.DataFrame) -> pd.DataFrame:
    """`deprivation_by_org` rows to one row per organisation: staff and starters with a decile,
    and in the most deprived 10% (decile 1) and 20% (deciles 1 and 2)."""
    d = deprivation.copy()
    decile = pd.to_numeric(d["imd_decile"], errors="coerce")
    parts = {
        "staff_with_decile": d["headcount"].where(decile.notna(), 0),
        "staff_deprived_10": d["headcount"].where(decile <= 1, 0),
        "staff_deprived_20": d["headcount"].where(decile <= 2, 0),
        "starters_with_decile": d["starters"].where(decile.notna(), 0),
        "starters_deprived_10": d["starters"].where(decile <= 1, 0),
        "starters_deprived_20": d["starters"].where(decile <= 2, 0),
    }
    frame = pd.DataFrame({"org_code": d["org_code"], **{k: v.astype("int64") for k, v in parts.items()}})
    return frame.groupby("org_code", as_index=False).sum()


def organisation_figures(totals: pd.DataFrame, apprentices: pd.DataFrame,
                         deprivation: pd.DataFrame) -> pd.DataFrame:
    """One row per organisation, then a row `ALL` for the organisations together; unsuppressed.

    `totals` is `workforce_totals(..., by=("org",))` for the period; `apprentices` the same for
    the four quarters to the period's end (its apprenticeship starts are used); `deprivation`
    is `deprivation_by_org` for the period."""
    cols = ["org_code", "headcount", "fte", "local_headcount", "local_fte", "unplaced_headcount",
            "gross_pay_gbp", "local_gross_pay_gbp", "starters", "local_starters",
            "below_living_wage"]
    t = totals[cols].merge(apprentices[["org_code", "apprentices"]], on="org_code", how="left")
    t = t.merge(deprivation_counts(deprivation), on="org_code", how="left")
    t = t.fillna({c: 0 for c in t.columns if c != "org_code"})
    for c in COUNTS:
        t[c] = t[c].astype("int64")
    total = t.drop(columns="org_code").sum().to_frame().T
    total.insert(0, "org_code", ALL)
    out = pd.concat([t, total], ignore_index=True)
    for c in COUNTS:
        out[c] = out[c].astype("int64")
    return _add_shares(out)


# The most deprived 10% lie inside the most deprived 20%: showing both would give away the
# people in decile 2 alone.
NESTED = [("staff_deprived_10", "staff_deprived_20"), ("starters_deprived_10", "starters_deprived_20")]


def protected_figures(figures: pd.DataFrame,
                      small_cells: set[str] | frozenset[str] = frozenset()) -> pd.DataFrame:
    """`organisation_figures` with disclosure control applied (the total row included); where
    the most deprived 20% exceed the most deprived 10% by 1 to 4 people, the 10% figure goes.
    `small_cells` is `small_cell_orgs`: their pay into the place is withheld."""
    out = _as_shown(protect(figures, COUNTS, LINKED, total_rows=figures["org_code"] == ALL))
    out = _total_pay_withheld(figures, out, small_cells)
    for inner, outer in NESTED:
        gap = (figures[outer] - figures[inner]).map(disclosure.is_disclosive).astype(bool)
        for col in [inner, f"{inner}_share"]:
            out[col] = out[col].astype(object).where(~gap, None)
    return out


RESIDENT_COUNTS = ["headcount", "local_headcount", "unplaced_headcount"]


def protected_residents(totals: pd.DataFrame,
                        small_cells: set[str] | frozenset[str] = frozenset()) -> pd.DataFrame:
    """Residents employed per organisation and together (`ALL`), protected exactly as the Local
    employment page protects them, for pages that show only those figures (the Overview).
    `totals` is `workforce_totals(..., by=("org",))`; `small_cells` as `protected_figures`."""
    cols = ["org_code", "headcount", "fte", "local_headcount", "local_fte", "unplaced_headcount",
            "gross_pay_gbp", "local_gross_pay_gbp"]
    t = totals[cols].fillna({c: 0 for c in cols if c != "org_code"})
    total = t.drop(columns="org_code").sum().to_frame().T
    total.insert(0, "org_code", ALL)
    out = pd.concat([t, total], ignore_index=True)
    for c in RESIDENT_COUNTS:
        out[c] = out[c].astype("int64")
    out = _add_shares(out)
    linked = {k: v for k, v in LINKED.items() if k in out and v in RESIDENT_COUNTS}
    shown = _as_shown(protect(out, RESIDENT_COUNTS, linked, total_rows=out["org_code"] == ALL))
    return _total_pay_withheld(out, shown, small_cells)


@dataclass(frozen=True)
class Headlines:
    """The organisations together, after disclosure control: None where suppressed."""

    row: pd.Series

    def __getitem__(self, key: str):
        v = self.row[key]
        return None if _blank(v) else v

    def count(self, key: str) -> str:
        return disclosure.show_count(self[key]) if self[key] is not None else disclosure.SUPPRESSED


def headlines(protected: pd.DataFrame) -> Headlines:
    return Headlines(protected.loc[protected["org_code"] == ALL].iloc[0])


# -- tables ------------------------------------------------------------------------------------

def text_count(x) -> str:
    return disclosure.SUPPRESSED if _blank(x) else fmt.count(x)


def text_pct(x) -> str:
    return disclosure.SUPPRESSED if _blank(x) else fmt.pct(x)


def text_gbp(x) -> str:
    return disclosure.SUPPRESSED if _blank(x) else fmt.gbp(x)


def text_number(x) -> str:
    return disclosure.SUPPRESSED if _blank(x) else fmt.number(x)


def _raw_count(x):
    return disclosure.SUPPRESSED if _blank(x) else int(x)


def _raw_pct(x):
    """A share as a percentage with one decimal, for spreadsheets; '*' where suppressed."""
    if _blank(x):
        return disclosure.SUPPRESSED
    return round(100 * float(x), 1)


def _raw_number(x, digits: int = 1):
    return disclosure.SUPPRESSED if _blank(x) else round(float(x), digits)


def _org_label(code: str, names: dict[str, str]) -> str:
    if code == ALL:
        return "All organisations chosen"
    return f"{code} · {fmt.short_org_name(names.get(code, code))}"


RESIDENT_COLUMNS = (
    Column("Staff", "headcount", text_count, _raw_count),
    Column("Residents employed", "local_headcount", text_count, _raw_count),
    Column("Share living in the place", "residents_share", text_pct, _raw_pct,
           "Share living in the place (%)"),
    Column("Residents' FTE", "local_fte", text_number, _raw_number),
    Column("Pay into the place", "local_gross_pay_gbp", text_gbp, lambda x: _raw_number(x, 2),
           "Pay into the place (GBP)"),
    Column("Share of gross pay", "local_pay_share", text_pct, _raw_pct, "Share of gross pay (%)"),
)
DEPRIVATION_COLUMNS = (
    Column("Staff: 10%", "staff_deprived_10_share", text_pct, _raw_pct,
           "Staff in the most deprived 10% (%)"),
    Column("Staff: 20%", "staff_deprived_20_share", text_pct, _raw_pct,
           "Staff in the most deprived 20% (%)"),
    Column("New starters", "starters", text_count, _raw_count),
    Column("Starters: 10%", "starters_deprived_10_share", text_pct, _raw_pct,
           "Starters in the most deprived 10% (%)"),
    Column("Starters: 20%", "starters_deprived_20_share", text_pct, _raw_pct,
           "Starters in the most deprived 20% (%)"),
)
APPRENTICESHIP_COLUMNS = (
    Column("Staff", "headcount", text_count, _raw_count),
    Column("Apprenticeship starts, 12 months", "apprentices", text_count, _raw_count),
    Column("Starts as a share of staff", "apprenticeship_rate", text_pct, _raw_pct,
           "Starts as a share of staff (%)"),
    Column("Paid below the Real Living Wage", "below_living_wage", text_count, _raw_count),
)


def _table(protected: pd.DataFrame, names: dict[str, str], cols, *, download: bool) -> pd.DataFrame:
    if len(protected) == 2:  # one organisation: its row and a total that repeats it
        protected = protected[protected["org_code"] != ALL]
    labelled = protected.assign(organisation=[_org_label(c, names) for c in protected["org_code"]])
    organisation = Column("Organisation", "organisation", columns.as_is, columns.as_is)
    return columns.table(labelled, (organisation, *cols), download=download)


def residents_table(protected: pd.DataFrame, names: dict[str, str], *,
                    download: bool = False) -> pd.DataFrame:
    """Residents employed and pay into the place, by organisation and together.
    `download` gives numbers (shares in %) with '*' for suppressed cells; otherwise text."""
    return _table(protected, names, RESIDENT_COLUMNS, download=download)


def deprivation_table(protected: pd.DataFrame, names: dict[str, str], *,
                      download: bool = False) -> pd.DataFrame:
    """Shares of staff and of new starters living in the most deprived 10% and 20% of LSOAs."""
    return _table(protected, names, DEPRIVATION_COLUMNS, download=download)


def apprenticeship_table(protected: pd.DataFrame, names: dict[str, str], *,
                         download: bool = False) -> pd.DataFrame:
    """Apprenticeship starts over the 12 months to the period's end, and staff paid below the
    Real Living Wage at its end."""
    return _table(protected, names, APPRENTICESHIP_COLUMNS, download=download)


def residents_by_lad(by_lsoa: pd.DataFrame, total_headcount: int) -> pd.DataFrame:
    """Residents employed by the local authority they live in, largest first, protected:
    lad_code, lad_name, local_headcount (None when suppressed), share of all staff. Pass the
    withheld ones to `lsoa_values`, so the map withholds them too."""
    local = by_lsoa[by_lsoa["local_headcount"] > 0]
    lad = (local.groupby(["lad_code", "lad_name"], as_index=False)["local_headcount"].sum()
           .sort_values(["local_headcount", "lad_name"], ascending=[False, True], ignore_index=True))
    lad["share"] = None
    out = protect(lad, ["local_headcount"], {"share": "local_headcount"})
    out["share"] = [disclosure.people_share(n, total_headcount) for n in out["local_headcount"]]
    return out.astype({"share": object})


LAD_COLUMNS = (
    Column("Local authority", "lad_name", columns.as_is, columns.as_is),
    Column("Residents", "local_headcount", text_count, _raw_count, "Residents employed"),
    Column("Of all staff", "share", text_pct, _raw_pct, "Share of all staff (%)"),
)


def lad_table(lads: pd.DataFrame, *, download: bool = False) -> pd.DataFrame:
    return columns.table(lads, LAD_COLUMNS, download=download)


# -- where staff live (map) ------------------------------------------------------------------

def lsoa_values(by_lsoa: pd.DataFrame, total_headcount: int,
                withheld_lads: Sequence[str] = ()) -> pd.DataFrame:
    """Residents employed in each LSOA of the place, as a share of all the organisations'
    staff, protected: LSOAs with 1 to 4 staff are marked `suppressed` and carry no figure, and
    so is one more wherever a local authority, or the whole place, has exactly one of them.
    `withheld_lads` are the local authorities whose figure `residents_by_lad` withholds: all
    their LSOAs are withheld too, or the map would add up to the figure the table hides."""
    local = by_lsoa[by_lsoa["local_headcount"] > 0].reset_index(drop=True)
    local = local.assign(share=local["local_headcount"] / total_headcount if total_headcount else 0.0)
    # Each local authority's total is in the table beside the map, and the place's in a tile.
    out = protect(local, ["local_headcount"], {"share": "local_headcount"},
                  groups=("lad_code", None))
    out["share"] = [disclosure.people_share(n, total_headcount) for n in out["local_headcount"]]
    out["share"] = out["share"].astype(object)
    hidden_lad = out["lad_code"].isin(list(withheld_lads))
    for col in ("local_headcount", "share"):
        out[col] = out[col].astype(object).where(~hidden_lad, None)
    out["suppressed"] = out["local_headcount"].map(_blank)
    return out[["lsoa_code", "lsoa_name", "lad_code", "lad_name", "local_headcount", "share",
                "suppressed"]]


def staff_home_map(lsoa_fc: dict, values: pd.DataFrame, *, context: dict | None,
                   focus_outline: dict | None, sites: pd.DataFrame | None,
                   height: int = 520, width_px: int = 600) -> go.Figure:
    """LSOAs shaded by the share of the organisations' staff who live there; LSOAs whose
    figure is suppressed in flat grey, with no number anywhere in the figure."""
    shown = values[~values["suppressed"]].reset_index(drop=True)
    hidden = values[values["suppressed"]].reset_index(drop=True)
    shown = shown.assign(share=shown["share"].astype(float))
    top = float(shown["share"].max()) if len(shown) else 0.0
    fig = maps.choropleth(
        subset(lsoa_fc, shown["lsoa_code"]), shown, id_col="lsoa_code", value_col="share",
        label_col="lsoa_name",
        hover_text=[f"{fmt.count(n)} staff · {fmt.pct(s, digits=2)} of all staff · {lad}"
                    for n, s, lad in zip(shown["local_headcount"], shown["share"], shown["lad_name"])],
        colorbar_title="Share of all staff living here", context=context,
        focus_outline=focus_outline if focus_outline and focus_outline["features"] else None,
        sites=sites, height=height, zmax=max(top, 0.0001),
    )
    # The map shares its row with a table: fit the place into a narrower frame than the default.
    b = fc_bounds(focus_outline) if focus_outline and focus_outline["features"] else fc_bounds(
        subset(lsoa_fc, values["lsoa_code"]))
    maps.fit(fig, b, width_px=width_px, height_px=height)
    if len(hidden):
        grey = go.Choroplethmap(
            geojson=subset(lsoa_fc, hidden["lsoa_code"]), locations=hidden["lsoa_code"],
            z=[1] * len(hidden), zmin=0, zmax=1, showscale=False,
            colorscale=[[0, SUPPRESSED_FILL], [1, SUPPRESSED_FILL]],
            marker=dict(line=dict(width=0.6, color="white"), opacity=0.9),
            text=hidden["lsoa_name"],
            hovertemplate="<b>%{text}</b><br>1 to 4 staff, or kept back so that such a count "
                          "cannot be worked out: not shown<extra></extra>",
            name="Suppressed",
        )
        fig.add_trace(grey)
        # Keep the site markers on top.
        fig.data = tuple(t for t in fig.data if t.type != "scattermap") + tuple(
            t for t in fig.data if t.type == "scattermap")
    return fig


# -- deprivation profile ---------------------------------------------------------------------

def decile_profile(deprivation: pd.DataFrame) -> pd.DataFrame:
    """Staff and starters of the organisations together by IMD decile 1 to 10, each as a
    share of those whose home has a decile; protected (secondary suppression across deciles)."""
    d = deprivation.dropna(subset=["imd_decile"]).copy()
    d["imd_decile"] = d["imd_decile"].astype(int)
    by = d.groupby("imd_decile")[["headcount", "starters"]].sum()
    by = by.reindex(range(1, 11), fill_value=0).rename_axis("imd_decile").reset_index()
    for col in ("headcount", "starters"):
        total = by[col].sum()
        by[f"{col}_share"] = by[col] / total if total else None
    out = protect(by, ["headcount", "starters"],
                  {"headcount_share": "headcount", "starters_share": "starters"})
    for col in ("headcount", "starters"):
        total = by[col].sum()
        out[f"{col}_share"] = [disclosure.people_share(n, total) for n in out[col]]
        out[f"{col}_share"] = out[f"{col}_share"].astype(object)
    # Deciles 1 and 2 make up the most deprived 20%: they are shown or withheld together.
    for col in ("headcount", "starters"):
        if out.loc[out["imd_decile"] <= 2, col].map(_blank).any():
            for c in (col, f"{col}_share"):
                out[c] = out[c].astype(object)
                out.loc[out["imd_decile"] <= 2, c] = None
    return out


def deprivation_chart(profile: pd.DataFrame, *, synthetic: bool, height: int = 380) -> go.Figure:
    """Grouped bars: the share of staff and of new starters living in each IMD decile, with
    the most deprived 20% shaded. Suppressed bars are left out (and say so on hover)."""
    labels = [f"{d}" for d in profile["imd_decile"]]
    fig = go.Figure()
    for col, count_col, name, colour in [("headcount_share", "headcount", "Staff", NHS_BLUE),
                                         ("starters_share", "starters", "New starters", ORANGE)]:
        values = [None if _blank(v) else float(v) for v in profile[col]]
        text = [disclosure.SUPPRESSED if _blank(v) else fmt.pct(v) for v in profile[col]]
        counts = [text_count(v) for v in profile[count_col]]
        fig.add_trace(go.Bar(
            x=labels, y=values, name=name, marker_color=colour,
            customdata=list(zip(text, counts)),
            hovertemplate="Decile %{x}: %{customdata[0]} (%{customdata[1]} people)"
                          f"<extra>{name}</extra>",
        ))
    fig.add_vrect(x0=-0.5, x1=1.5, fillcolor=NHS_PALE_GREY, opacity=0.8, line_width=0,
                  layer="below")
    fig.add_annotation(x=0.5, y=1, yref="paper", text="Most deprived 20%", showarrow=False,
                       yanchor="bottom", font=dict(size=14, color=NHS_DARK_GREY))
    fig.update_layout(
        font=FONT, height=height, barmode="group", bargap=0.25,
        margin=dict(l=10, r=20, t=60, b=10), plot_bgcolor="white", paper_bgcolor="white",
        legend=dict(orientation="h", yanchor="bottom", y=1.08, xanchor="right", x=1),
        hoverlabel=dict(font_size=14),
    )
    deciles = "IMD decile (synthetic demo values)" if synthetic else "IMD decile"
    fig.update_xaxes(title=f"{deciles}: 1 = most deprived 10% of LSOAs in England",
                     linecolor=NHS_MID_GREY, type="category")
    fig.update_yaxes(tickformat=".0%", title="Share", gridcolor=NHS_PALE_GREY, rangemode="tozero")
    return fig


# -- the quarterly series and SPC ------------------------------------------------------------

def quarterly_series(by_quarter: pd.DataFrame) -> pd.DataFrame:
    """`workforce_by_quarter` plus the shares, and apprenticeship starts over the four quarters
    to each quarter (`apprentices_12m`, None until four consecutive quarters are held)."""
    s = by_quarter.copy().reset_index(drop=True)
    quarters = [pd.Timestamp(q).date() for q in s["quarter_start"]]
    s["label"] = [quarter_label(q) for q in quarters]
    # Shares from the rounded counts, as everywhere else (`disclosure.people_share`).
    s["residents_share"] = _shares(s["local_headcount"], s["headcount"])
    s["starters_deprived_20_share"] = _shares(s["starters_deprived_20"], s["starters_with_decile"])
    position = {q: i for i, q in enumerate(quarters)}
    rolling: list[float | None] = []
    for q in quarters:
        window = [position.get(add_quarters(q, -k)) for k in range(4)]
        rolling.append(None if None in window else float(s.loc[window, "apprentices"].sum()))
    s["apprentices_12m"] = pd.array(rolling, dtype="Float64")
    s["apprenticeship_rate"] = _shares(s["apprentices_12m"], s["headcount"])
    # The chart plots this count itself: rounded; its measure leaves out 1 to 4.
    s["below_living_wage_shown"] = s["below_living_wage"].map(disclosure.shown_count)
    return s


def _shares(num: pd.Series, den: pd.Series) -> pd.Series:
    return pd.Series([disclosure.people_share(n, d) for n, d in zip(num, den)],
                     index=num.index, dtype="Float64")


# -- sentences -------------------------------------------------------------------------------

def shown_count(x) -> int | None:
    """A count as it may be shown: None when it is from 1 to 4 (or missing), else to the
    nearest 5."""
    return disclosure.shown_count(x)


def change_text(now, then) -> str | None:
    """'+114 on a year earlier', or None when either count cannot be shown."""
    a, b = shown_count(now), shown_count(then)
    if a is None or b is None:
        return None
    return f"{a - b:+,} on a year earlier"


def sentences(h: Headlines, *, period_label: str, snapshot_label: str, who: str,
              place_phrase: str, then_local_headcount: int | None, synthetic: bool) -> list[str]:
    """Plain-English sentences for the board, each carrying its numbers (suppressed as '*').
    `then_local_headcount` is the residents employed a year earlier, if there were returns."""
    if h.row["headcount"] == 0:  # no staff at all, rather than "* of 0 staff"
        return [f"No workforce return covers {period_label} for {who}."]
    out = []
    staff = h.count("headcount")
    local = h["local_headcount"]
    text = (f"At the end of {snapshot_label}, {h.count('local_headcount')} of {who}'s {staff} "
            f"staff ({text_pct(h['residents_share'])}) lived {place_phrase}")
    then = shown_count(then_local_headcount)
    if local is not None and then is not None:
        diff = int(local) - then
        if diff:
            text += f", {fmt.count(abs(diff))} {'more' if diff > 0 else 'fewer'} than a year earlier"
        else:
            text += ", the same number as a year earlier"
    out.append(text + ".")
    if h["local_gross_pay_gbp"] is not None:
        out.append(f"They were paid {fmt.gbp(h['local_gross_pay_gbp'])} in {period_label}, "
                   f"{fmt.pct(h['local_pay_share'])} of the organisations' gross pay: money "
                   f"paid into the place.")
    deciles = " (synthetic demo deciles)" if synthetic else ""
    out.append(f"{text_pct(h['staff_deprived_20_share'])} of staff and "
               f"{text_pct(h['starters_deprived_20_share'])} of those who started in "
               f"{period_label} lived in the most deprived 20% of neighbourhoods in "
               f"England{deciles}.")
    rate = h["apprenticeship_rate"]
    if rate is None:
        out.append(f"Apprenticeship starts in the 12 months to {snapshot_label}: "
                   f"{disclosure.SUPPRESSED} (a count from 1 to 4).")
    else:
        side = {"up from": "above", "down from": "below"}.get(
            fmt.compared(rate, APPRENTICESHIP_TARGET, fmt.pct), "about the same as")
        out.append(f"Apprenticeship starts in the 12 months to {snapshot_label} came to "
                   f"{fmt.pct(rate)} of headcount ({h.count('apprentices')} starts), {side} the "
                   f"public-sector target of {fmt.pct(APPRENTICESHIP_TARGET)}.")
    blw = h["below_living_wage"]
    if blw is not None and int(blw) == 0:
        out.append(f"No one was paid below the Real Living Wage at the end of {snapshot_label}.")
    else:
        out.append(f"{h.count('below_living_wage')} staff were paid below the Real Living Wage "
                   f"at the end of {snapshot_label} (target: none).")
    return out
