"""Tables declared as their columns: each column's heading, the frame's column it shows, how
the page writes a value and how a spreadsheet holds it. One declaration gives both the table
a page shows (text) and its download (numbers, '*' where withheld), so the two never drift."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Column:
    """`show` writes a value as the page shows it (None: the column is in downloads only);
    `raw` as a download holds it (None: on the page only). `download_heading` says the unit
    where the page leaves it to the formatting: 'Pay into the place (GBP)'."""

    heading: str
    source: str
    show: Callable[[Any], Any] | None
    raw: Callable[[Any], Any] | None
    download_heading: str | None = None


def table(frame: pd.DataFrame, columns: Sequence[Column], *, download: bool = False) -> pd.DataFrame:
    """The frame's rows in the columns declared, as the page shows them or, with `download`,
    as a spreadsheet holds them."""
    out: dict[str, list] = {}
    for c in columns:
        write = c.raw if download else c.show
        if write is None:
            continue
        heading = (c.download_heading or c.heading) if download else c.heading
        out[heading] = [write(v) for v in frame[c.source]]
    return pd.DataFrame(out)


def rounded(digits: int) -> Callable[[Any], float]:
    """A number rounded for a spreadsheet (as numpy rounds a column); nothing stays nothing."""
    return lambda v: None if v is None else float(np.round(float(v), digits))


def percent(v: Any) -> float:
    """A share as a percentage with one decimal, for a spreadsheet."""
    return float(np.round(100 * float(v), 1))


def as_is(v: Any) -> Any:
    return v
