"""The preview of a load: what it would replace, and how the headline figures would change.

The load is applied inside a transaction that is always rolled back, so nothing is kept (it
takes the write lock as a load does). The figures before and after are read by the measures
of `anchor.measures`, through a `Source` on that transaction's cursor, so each one agrees by
construction with the figure the Overview shows once the file is loaded.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date

import duckdb
import pandas as pd

from anchor import disclosure, metrics
from anchor.auth import User, writes
from anchor.db import Warehouse
from anchor.filters import Filters
from anchor.loading import transaction
from anchor.loading.validation import CheckedFile, no_progress
from anchor.measures import LAND_NOT_DELIVERING, LOCAL_SHARE_ALL, RESIDENTS_EMPLOYED
from anchor.measures.base import Selection, WarehouseSource
from anchor.measures.estate import land
from anchor.measures.people import staff
from anchor.measures.spend import totals
from anchor.periods import Period
from anchor.places import Place


class CursorReader:
    """The query modules read through `wh.df`; inside a transaction they read through this,
    so they see the transaction's own, uncommitted rows."""

    def __init__(self, cur) -> None:
        self.cur = cur

    def df(self, sql: str, params=None) -> pd.DataFrame:
        return self.cur.execute(sql, params or []).df()

    def rows(self, sql: str, params=None) -> list[tuple]:
        return self.cur.execute(sql, params or []).fetchall()

    def value(self, sql: str, params=None):
        rows = self.rows(sql, params)
        return rows[0][0] if rows else None


class StagingSource(WarehouseSource):
    """A `Source` on the cursor of a transaction that stages a load: the measures read the
    warehouse as the load would leave it."""

    def __init__(self, cur) -> None:
        super().__init__(CursorReader(cur))


class _RollBack(Exception):
    pass


@dataclass(frozen=True)
class Preview:
    """What a load would do. `slices`: org_code, quarter_start, rows_replaced, rows_added.
    `figures`: org_code, quarter_start, figure, unit, before, after (unit: 'gbp', 'share',
    'people', 'ha', 'm2'; a count of people is
    rounded to the nearest 5, or '*' for 1 to 4)."""

    slices: pd.DataFrame
    figures: pd.DataFrame
    place: Place
    # organisations and sites: each entry the load writes, as it is now and as it would be
    # (data, code, now, after; `now` is None for a new entry)
    changes: pd.DataFrame = field(default_factory=pd.DataFrame)


def default_place(wh, orgs: list[str]) -> Place:
    """The home local authorities of the organisations' footprint: what 'local' means
    when no one has chosen."""
    rows = wh.rows(
        "select distinct f.lad_code, coalesce(l.lad_name, f.lad_code), fp.name"
        " from organisation as o join footprint_lad as f using (footprint_code)"
        " join footprint as fp using (footprint_code)"
        " left join geo_lad as l on l.lad_code = f.lad_code"
        " where o.org_code = any(?) order by 2", [orgs])
    if not rows:
        return Place.within_km(10)
    return Place.of_lads(rows[0][2], [r[0] for r in rows], [r[1] for r in rows])


def default_place_of_footprint(wh, footprint_code: str) -> Place | None:
    """A footprint's home local authorities, as `default_place` gives them for its
    organisations; None when it has none."""
    rows = wh.rows(
        "select f.lad_code, coalesce(l.lad_name, f.lad_code), fp.name from footprint_lad as f"
        " join footprint as fp using (footprint_code)"
        " left join geo_lad as l on l.lad_code = f.lad_code"
        " where f.footprint_code = ? order by 2", [footprint_code])
    if not rows:
        return None
    return Place.of_lads(rows[0][2], [r[0] for r in rows], [r[1] for r in rows])


def selection(source, orgs, first: date, last: date, place: Place) -> Selection:
    """The organisations, quarters and place a preview's figures are read for, as the sidebar
    would choose them."""
    return Selection(source, Filters("", "", tuple(sorted(orgs)), Period(first, last), place))


def _row(org_code, q, figure: str, unit: str, value) -> dict:
    return {"org_code": org_code, "quarter_start": q, "figure": figure, "unit": unit,
            "value": value}


def _spend_figures(sel: Selection, org_code, q) -> list[dict]:
    """In-scope and local spend, the local share of in-scope spend and its coverage, as
    `LOCAL_SHARE_ALL` reads them; nothing for an organisation-quarter with no spend. With no
    quarter (`q` None), the share and its coverage of all the selection together."""
    if q is not None and not int(totals(sel, sel.period).iloc[0]["invoice_lines"]):
        return []
    reading = LOCAL_SHARE_ALL.read(sel, sel.period)
    s: metrics.SpendShare = reading.basis
    out = [_row(org_code, q, "In-scope spend", "gbp", s.spend_gbp),
           _row(org_code, q, "Local spend", "gbp", s.local_gbp)] if q is not None else []
    return [*out,
            _row(org_code, q, "Local share" if q is not None else "Local share of spend",
                 "share", reading.value),
            _row(org_code, q, "Spend whose supplier location is known", "share", s.coverage)]


def _people(count) -> int | str:
    """A count of people as the pages show it: to the nearest 5, or '*' for 1 to 4, so the
    preview (and the change between its two columns) gives no small count away."""
    shown = disclosure.shown_count(count)
    return disclosure.SUPPRESSED if shown is None else shown


def _workforce_figures(sel: Selection, org_code, q) -> list[dict]:
    """Staff and gross pay, and residents employed as `RESIDENTS_EMPLOYED` reads them, each
    count of people under disclosure control as the pages show it."""
    row = staff(sel, sel.period).iloc[0]
    if pd.isna(row["snapshot_quarter"]):  # no return for the quarter
        return []
    raw = RESIDENTS_EMPLOYED.read(sel, sel.period).basis[0]
    return [_row(org_code, q, "Staff", "people", _people(raw.headcount)),
            _row(org_code, q, "Residents employed", "people", _people(raw.local_headcount)),
            _row(org_code, q, "Gross pay", "gbp", row["gross_pay_gbp"])]


def _estate_figures(sel: Selection, org_code, q) -> list[dict]:
    """Floor space and land not delivering services, as `LAND_NOT_DELIVERING` reads them,
    over the organisation's sites in the place."""
    if not int(land(sel, sel.period).iloc[0]["sites"] or 0):
        return []
    reading = LAND_NOT_DELIVERING.read(sel, sel.period)
    return [_row(org_code, q, "Floor space (GIA)", "m2", reading.basis["gia_m2"]),
            _row(org_code, q, "Land not delivering services", "ha", reading.value)]


_BY_KIND = {"spend": _spend_figures, "workforce": _workforce_figures, "estate": _estate_figures}


def figures(source, checked: CheckedFile, place: Place,
            context: tuple[list[str], date, date] | None) -> pd.DataFrame:
    """The headline figures of what the file writes, read through `source` (org_code,
    quarter_start, figure, unit, value): of each organisation and quarter in the file; for a
    supplier register, of `context` (organisations, first and last quarter) together."""
    key = checked.spec.key
    out: list[dict] = []
    if key == "supplier" and context is not None:
        orgs, first, last = context
        out += _spend_figures(selection(source, orgs, first, last, place), None, None)
    elif key in _BY_KIND:  # organisations and sites change no headline figure of their own
        slices = checked.slices
        for q in sorted(slices["quarter_start"].dt.date.unique()):
            for org in sorted(slices.loc[slices["quarter_start"].dt.date == q, "org_code"]
                              .unique()):
                out += _BY_KIND[key](selection(source, [org], q, q, place), org, q)
    return pd.DataFrame(out)


@writes("preview a load", audited=False)
def preview(wh: Warehouse, checked: CheckedFile, user: User, place: Place | None = None,
            context: tuple[list[str], date, date] | None = None) -> Preview:
    """Apply the load inside a transaction, measure the headline figures before and after
    with the measures the pages use, and roll back: nothing is kept, but it takes the
    write lock as a load does. `context` (organisations, first and last quarter) is what a
    supplier register's effect is measured on."""
    if not checked.ok:
        raise transaction.InvalidFile(checked.summary())
    if place is None:
        orgs = (list(checked.slices["org_code"].dropna().unique())
                if checked.spec.key != "supplier" else (context[0] if context else []))
        place = default_place(wh, orgs)
        if not checked.new_organisations.empty:  # a council the load adds: its footprint's
            place = default_place_of_footprint(wh, checked.new_organisations["footprint_code"]
                                               .iloc[0]) or place
    try:
        return _preview(wh, checked, place, context)
    except (OSError, duckdb.IOException) as exc:
        raise transaction._write_failed(wh, checked, user, exc, audit=False) from exc


def _preview(wh: Warehouse, checked: CheckedFile, place: Place,
             context: tuple[list[str], date, date] | None) -> Preview:
    result: dict[str, pd.DataFrame] = {}
    with suppress(_RollBack), wh.transaction() as cur:
        source = StagingSource(cur)
        result["changes"] = entry_changes(source.wh, checked)
        before = figures(source, checked, place, context)
        result["slices"], _ = transaction._apply(cur, checked, None, no_progress)
        after = figures(source, checked, place, context)
        result["figures"] = _join_figures(before, after)
        raise _RollBack
    return Preview(result["slices"], result["figures"], place, result["changes"])


def _describe(*parts) -> str:
    return " · ".join(str(p) for p in parts if p is not None and not pd.isna(p) and p != "")


def entry_changes(reader, checked: CheckedFile) -> pd.DataFrame:
    """For an organisations or sites file: each entry it writes, now and after (data, code,
    now, after); `now` is None for a new entry."""
    cols = ["data", "code", "now", "after"]
    key = checked.spec.key
    if key not in ("organisation", "site"):
        return pd.DataFrame(columns=cols)
    rows = checked.rows
    out = []
    if key == "site":
        now = {r[0]: _describe(*r[1:]) for r in reader.rows(
            "select upper(site_code), name, org_code, postcode from site"
            " where upper(site_code) = any(?)", [list(rows["site_code"])])}
        for r in rows.itertuples():
            out.append(("Site", r.site_code, now.get(r.site_code),
                        _describe(r.name, r.org_code, r.postcode)))
        return pd.DataFrame(out, columns=cols)
    now = {r[0]: _describe(*r[1:]) for r in reader.rows(
        "select upper(org_code), name, org_type, footprint_code from organisation"
        " where upper(org_code) = any(?)", [list(rows["org_code"])])}
    for r in rows.itertuples():
        out.append(("Organisation", r.org_code, now.get(r.org_code),
                    _describe(r.name, r.org_type, r.footprint_code)))
    fps = checked.related.get("footprint", pd.DataFrame(columns=["footprint_code", "name"]))
    now = {r[0]: r[1] + (" (demo)" if r[2] else "") for r in reader.rows(
        "select footprint_code, name, is_demo from footprint where footprint_code = any(?)",
        [list(fps["footprint_code"])])}
    for r in fps.itertuples():
        out.append(("Footprint", r.footprint_code, now.get(r.footprint_code), r.name))
    home = checked.related.get("footprint_lad",
                               pd.DataFrame(columns=["footprint_code", "lad_code"]))
    if not home.empty:
        names = dict(reader.rows("select lad_code, lad_name from geo_lad"))
        now_lads = reader.rows(
            "select footprint_code, list(lad_code order by lad_code) from footprint_lad"
            " where footprint_code = any(?) group by footprint_code",
            [list(home["footprint_code"].unique())])
        now = {f: "; ".join(sorted(names.get(c, c) for c in codes)) for f, codes in now_lads}
        for f, g in home.groupby("footprint_code", sort=True):
            after = "; ".join(sorted(names.get(c, c) for c in g["lad_code"]))
            out.append(("Home local authorities", f, now.get(f), after))
    return pd.DataFrame(out, columns=cols)


def _join_figures(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    cols = ["org_code", "quarter_start", "figure", "unit"]
    if before.empty and after.empty:
        return pd.DataFrame(columns=[*cols, "before", "after"])
    b = before.rename(columns={"value": "before"}) if not before.empty else None
    a = after.rename(columns={"value": "after"})
    if b is None:
        a["before"] = None
        return a[[*cols, "before", "after"]]
    merged = a.astype({"org_code": "object"}).merge(
        b.astype({"org_code": "object"}), on=cols, how="left")
    return merged[[*cols, "before", "after"]]
