"""What a measure is, and what it works out for a selection.

A `Measure` is one figure's specification, kept in one place: its key, label, unit, basis,
direction of improvement, target, the definition shown beside it, the sentence that states it
and the query measure it rests on. For a `Selection` (the sidebar's choices, read through a
`Source`) it works out a `Figure`: its `Reading` for the period and a year earlier, its
quarterly series, and that series' SPC result."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

import pandas as pd

from anchor import change_points, spc
from anchor.filters import Filters
from anchor.metrics import series_until
from anchor.periods import Period, quarter_label
from anchor.queries import commitments as held_q
from anchor.queries import reference

# The SPC limits of a tile come from the last five years of quarters to the period's end, as
# the pages' charts work them out by default.
SPC_QUARTERS = 20


class Source(Protocol):
    """Where figures are read from: `query(fn, *args, **kwargs)` runs a query function of
    `anchor.queries` (cached in the app); `shapes(fn, *args, id_col=, props=)` returns its
    polygons as GeoJSON."""

    def query(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any: ...

    def shapes(self, fn: Callable[..., Any], *args: Any, id_col: str, props: tuple = ()) -> dict: ...


class WarehouseSource:
    """A `Source` straight on a warehouse, uncached: the command line, scripts and tests."""

    def __init__(self, wh) -> None:
        self.wh = wh

    def query(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        return fn(self.wh, *args, **kwargs)

    def shapes(self, fn: Callable[..., Any], *args: Any, id_col: str, props: tuple = ()) -> dict:
        from anchor.geography.shapes import feature_collection
        return feature_collection(fn(self.wh, *args), id_col, list(props))


def derived(fn: Callable[..., Any]) -> Callable[..., Any]:
    """A figure worked out from a selection's queries, `fn(sel, *args)`, worked out once per
    selection and arguments however many measures ask for it. What it returns is shared:
    callers read it and never change it."""
    def once(sel: Selection, *args: Any) -> Any:
        key = ("derived", fn.__module__, fn.__qualname__, args)
        if key not in sel._memo:
            sel._memo[key] = fn(sel, *args)
        return sel._memo[key]
    once.__name__, once.__qualname__, once.__doc__ = fn.__name__, fn.__qualname__, fn.__doc__
    once.__module__ = fn.__module__
    return once


@dataclass
class Selection:
    """The organisations, period and place chosen, and the reads figures share: each query
    asked once for every measure that needs it."""

    source: Source
    filters: Filters
    _memo: dict = field(default_factory=dict, repr=False)

    @property
    def orgs(self) -> tuple[str, ...]:
        return self.filters.orgs

    @property
    def period(self) -> Period:
        return self.filters.period

    @property
    def before(self) -> Period:
        return self.filters.period.year_earlier()

    @property
    def year_earlier(self) -> tuple[str, str]:
        """The definition of every 'a year earlier' a page or paper shows for this selection."""
        return ("Year-earlier comparison", f"The same quarters a year before: {self.before.label}.")

    @property
    def place(self):
        return self.filters.place

    @property
    def who(self) -> str:
        """Whose figures: 'the footprint', or the one organisation's code."""
        return "the footprint" if len(self.orgs) > 1 else self.orgs[0]

    def query(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        key = (fn.__module__, fn.__name__, args, tuple(sorted(kwargs.items())))
        if key not in self._memo:
            self._memo[key] = self.source.query(fn, *args, **kwargs)
        return self._memo[key]

    @property
    def history(self) -> Period:
        """From the first quarter the organisations hold to the period's end."""
        quarters = self.query(reference.data_quarters, self.orgs)
        return Period(quarters[0] if quarters else self.period.first, self.period.last)

    def phases(self, quarters, values, measure: str) -> tuple[tuple[spc.Phase, ...], list[str]]:
        """The phases a chart of `measure` takes from the change points recorded for the
        organisations, and those it could not use (in words)."""
        held = self.query(held_q.change_points_for, tuple(sorted(self.orgs)),
                          self.filters.footprint_code)
        members = list(self.query(reference.organisations, self.filters.footprint_code)["org_code"])
        return change_points.phases(list(quarters),
                                    change_points.applying(held, self.orgs, members, measure),
                                    list(values))


@dataclass(frozen=True)
class Reading:
    """A measure over one period: its value (None when not known or nothing to measure), the
    value as a tile shows it, the line under it, and what it was worked out from."""

    value: float | None
    shown: str
    detail: str | None = None
    basis: Any = None  # the figures behind it (a SpendShare, ResidentsEmployed, a row ...)


@dataclass(frozen=True)
class Figure:
    measure: Measure
    now: Reading
    then: Reading | None
    series: pd.DataFrame  # quarter_start, value: None (or no row) where nothing to measure
    spc: spc.SpcResult | None
    delta: str | None
    delta_note: str | None
    sentence: str | None


@dataclass(frozen=True)
class Measure:
    """One figure, specified once (see the module's docstring). `read(selection, period)`
    gives its Reading; `series(selection, period)` its quarterly values (quarter_start, value)
    over `period`; `sentence(selection, now, then)` states it; `delta(now, then)` is the change
    on a year earlier as a tile shows it; `compared` False for a figure shown with no
    year-earlier value (its `Figure.then` is None, and not read). `rebased`: its SPC limits
    are worked out afresh at each change point recorded for it (`change_point` names it
    there)."""

    key: str
    label: str  # as a tile heads it: 'Local spend: influenceable'
    name: str  # as a sentence names it: 'local share'
    unit: str  # how it is formatted: 'pct', 'count', 'ha', 'ratio'
    improvement: str | None  # 'up' or 'down', as anchor.spc reads it
    query_measure: str  # the query column(s) it rests on
    read: Callable[[Selection, Period], Reading]
    definition: Callable[[Selection, Reading], str]
    sentence: Callable[[Selection, Reading, Reading | None], str | None]
    series: Callable[[Selection, Period], pd.DataFrame] | None = None
    delta: Callable[[Reading, Reading | None], str | None] | None = None
    basis: str | None = None  # 'influenceable', 'all' or None
    target: float | None = None
    change_point: str | None = None
    compared: bool = True

    def figure(self, sel: Selection) -> Figure:
        now = self.read(sel, sel.period)
        then = self.read(sel, sel.before) if self.compared else None
        series = (self.series(sel, sel.history) if self.series is not None
                  else pd.DataFrame({"quarter_start": [], "value": []}))
        delta = self.delta(now, then) if self.delta is not None else None
        return Figure(self, now, then, series, self.spc(sel, series), delta,
                      f"change on {sel.before.label}" if delta is not None else None,
                      self.sentence(sel, now, then))

    def spc(self, sel: Selection, series: pd.DataFrame,
            quarters: int | None = SPC_QUARTERS) -> spc.SpcResult | None:
        """The XmR chart of the series' last `quarters` quarters to the period's end (every
        quarter when None); a quarter in them with no value takes no part."""
        if self.improvement is None or series.empty:
            return None
        recent = series_until(series, sel.period.last, quarters)
        recent = recent[recent["value"].notna()]
        if len(recent) < 2:
            return None
        phases = (sel.phases(recent["quarter_start"], recent["value"], self.change_point)[0]
                  if self.change_point else ())
        return spc.xmr(list(recent["value"]), [quarter_label(q) for q in recent["quarter_start"]],
                       improvement=self.improvement, target=self.target, phases=phases)


def quarterly(df: pd.DataFrame, values) -> pd.DataFrame:
    """A series frame from a query's rows by quarter and their values."""
    return pd.DataFrame({"quarter_start": pd.to_datetime(df["quarter_start"]).dt.date,
                         "value": list(values)}).reset_index(drop=True)


def as_date(q) -> date:
    return pd.Timestamp(q).date()
