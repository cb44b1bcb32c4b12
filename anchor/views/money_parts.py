"""What the money pages' views (Local multiplier, Local suppliers, National comparison) hand
their pages besides measures' figures: a tile worded for the page, and a table with the
spreadsheet a person downloads of it."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Tile:
    """A headline figure as the page words it; every text is plain text (the tile escapes it)."""

    label: str
    value: str
    detail: str | None = None


@dataclass(frozen=True)
class Table:
    """A table as the page shows it, and the same rows as a spreadsheet holds them."""

    shown: pd.DataFrame
    download: pd.DataFrame
    title: str  # the download's name
    notes: list[str]
    key: str | None = None  # the download buttons' key, when not the title's
