"""What a page view hands its page besides measures' figures: a tile worded for that page, a
table with its download, and a grid of SPC charts of measures' quarterly series, worked out for
the chart window the page's control chooses."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from anchor import spc
from anchor.measures import Measure, Selection
from anchor.metrics import series_until


@dataclass(frozen=True)
class Tile:
    """A headline figure as the page words it; every text is plain text (the tile escapes it)."""

    label: str
    value: str
    detail: str | None = None
    delta: str | None = None
    delta_color: str = "normal"


@dataclass(frozen=True)
class Table:
    """A table as the page shows it, and the same rows as a spreadsheet holds them."""

    shown: pd.DataFrame
    download: pd.DataFrame
    title: str  # the download's name
    notes: list[str]
    key: str | None = None  # the download buttons' key, when not the title's
    height: int | str = "content"


@dataclass(frozen=True)
class Chart:
    """How one measure's quarterly series is charted in a grid: `key` names its chart."""

    measure: Measure
    key: str
    title: str
    kind: str  # charts.spc_chart value_kind: 'pct', 'count', 'gbp', 'number'
    note: str


@dataclass(frozen=True)
class SpcCard:
    title: str
    result: spc.SpcResult | None
    kind: str
    key: str
    note: str
    empty: str


@dataclass(frozen=True)
class SpcGrid:
    """SPC charts of measures' quarterly series up to the period's end (`series` in the order
    of `charts`). `count_left_out`: each note says how many quarters of the window have no
    value, or rest on 1 to 4 people."""

    selection: Selection
    charts: tuple[Chart, ...]
    series: tuple[pd.DataFrame, ...]
    page_key: str  # the chart window control's key
    caption: str
    empty: str = "Too few quarters to chart."
    count_left_out: bool = False

    @classmethod
    def of(cls, sel: Selection, charts: tuple[Chart, ...], **kwargs) -> SpcGrid:
        return cls(sel, charts, tuple(c.measure.series(sel, sel.history) for c in charts), **kwargs)

    def cards(self, quarters: int | None) -> list[SpcCard]:
        """Each chart over the latest `quarters` quarters to the period's end (every one when
        None): its limits come from those quarters."""
        out = []
        for chart, series in zip(self.charts, self.series):
            note = chart.note
            if self.count_left_out:
                shown = series_until(series, self.selection.period.last, quarters)
                left_out = int(shown["value"].isna().sum())
                if left_out:
                    note += (f" {left_out} quarter{'s' if left_out > 1 else ''} left out: no value, "
                             "or resting on 1 to 4 people.")
            out.append(SpcCard(chart.title, chart.measure.spc(self.selection, series, quarters),
                               chart.kind, f"spc-{chart.key}", note, self.empty))
        return out
