"""Disclosure control: counts of people from 1 to 4 are never shown or exported.

Such counts become `None` (shown as "*", with a note). Shares whose numerator was suppressed
are suppressed with it, so a count cannot be worked back from a percentage. Pure functions.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from anchor.config import DISCLOSURE_MIN_COUNT

SUPPRESSED = "*"
NOTE = f"* a count from 1 to {DISCLOSURE_MIN_COUNT - 1}, suppressed to protect individuals."


def is_disclosive(x) -> bool:
    return x is not None and not pd.isna(x) and 0 < float(x) < DISCLOSURE_MIN_COUNT


def suppress(df: pd.DataFrame, count_cols: Sequence[str],
             linked: dict[str, str] | None = None) -> pd.DataFrame:
    """Counts of people from 1 to 4 become None; a `linked` column (say a share, or FTE)
    is suppressed wherever the count it is keyed to {linked_col: count_col} was."""
    out = df.copy()
    masks = {}
    for col in count_cols:
        masks[col] = out[col].map(is_disclosive).astype(bool)
        out[col] = out[col].astype(object).where(~masks[col], None)
    for col, source in (linked or {}).items():
        out[col] = out[col].astype(object).where(~masks[source], None)
    return out


def show_count(x) -> str:
    """For tiles and sentences: a count, or * when it would disclose."""
    if x is None or pd.isna(x):
        return SUPPRESSED
    if is_disclosive(x):
        return SUPPRESSED
    return f"{float(x):,.0f}"
