"""Disclosure control: no count of people from 1 to 4 can be seen or worked out.

The rule, in one place (`shown_count`), which every count of people passes through on its way
to a page, a sentence, a help text or an export:

- 0 is shown as 0; a count from 1 to 4 is withheld (None, shown "*");
- every other count is rounded to the nearest 5 (halves up), as NHS Digital's statistical
  publications do. Shown counts are then all multiples of 5, so neither a total minus its
  shown parts nor the difference between two selections (RXK, then RXK with RNA) nor the
  complement "of N staff" can come to 1 to 4.
- A share of people is worked out from the two shown counts (`people_share`), and withheld
  when either is withheld: it then says nothing the rounded counts do not.
- Figures resting on a count (FTE, pay, a share) are withheld with it (`suppress`'s `linked`);
  FTE is rounded as the counts are.

Pure functions.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from anchor.config import DISCLOSURE_MIN_COUNT, DISCLOSURE_ROUNDING_BASE

SUPPRESSED = "*"
BASE = DISCLOSURE_ROUNDING_BASE
NOTE = (f"* a count from 1 to {DISCLOSURE_MIN_COUNT - 1}, suppressed to protect individuals; "
        f"other counts of people are rounded to the nearest {BASE}.")
RULE = (
    f"A count of 1 to {DISCLOSURE_MIN_COUNT - 1} people is shown as *, and so is any pay, FTE "
    f"or share resting on it. Every other count of people is rounded to the nearest {BASE} "
    "(halves up), and FTE likewise, everywhere it appears: pages, sentences, help texts and "
    f"exports. A share of people is worked out from the two rounded counts, and shown only "
    f"when both are {DISCLOSURE_MIN_COUNT} or more. So no total less its parts, no "
    "complement (\"of N staff\") and no difference between two choices of organisations, "
    f"places or periods can reveal 1 to {DISCLOSURE_MIN_COUNT - 1} people. Where one figure "
    "of a table or map is withheld and its total is shown, the next smallest is withheld too. "
    "Pay into the place is withheld for an organisation with 1 to "
    f"{DISCLOSURE_MIN_COUNT - 1} staff living in the place, or in one of its local "
    "authorities, and so is the organisations' pay together; local staff's pay in the local "
    "multiplier likewise, and R2, R3 and LM3 are then shown without it, so that it cannot be "
    "worked back by subtraction."
)


def _missing(x) -> bool:
    return x is None or (not isinstance(x, str) and pd.isna(x))


def is_disclosive(x) -> bool:
    return not _missing(x) and 0 < float(x) < DISCLOSURE_MIN_COUNT


def round_to_base(x: float) -> int:
    """The nearest multiple of BASE, halves up: 92 → 90, 93 → 95, 97.5 → 100."""
    return int((float(x) + BASE / 2) // BASE) * BASE


def shown_count(x) -> int | None:
    """A count of people as it may be shown: None when missing or from 1 to 4, else rounded
    to the nearest 5 (0 stays 0)."""
    if _missing(x) or is_disclosive(x):
        return None
    return round_to_base(x)


def shown_fte(x) -> float | None:
    """FTE resting on a shown count, rounded as counts are (a part-time 5 stays 5, not 0)."""
    if _missing(x):
        return None
    if float(x) <= 0:
        return 0.0
    return float(max(BASE, round_to_base(x)))


def people_share(num, den) -> float | None:
    """A share of people from the shown (rounded) counts: None when either is withheld or
    the denominator is 0."""
    n, d = shown_count(num), shown_count(den)
    if n is None or d is None or d == 0:
        return None
    return n / d


def suppress(df: pd.DataFrame, count_cols: Sequence[str],
             linked: dict[str, str] | None = None) -> pd.DataFrame:
    """Counts of people through `shown_count` (1 to 4 become None, the rest rounded); a
    `linked` column (say a share, or FTE) is withheld wherever the count it is keyed to
    {linked_col: count_col} was."""
    out = df.copy()
    masks = {}
    for col in count_cols:
        masks[col] = out[col].map(is_disclosive).astype(bool)
        out[col] = pd.Series([shown_count(v) for v in out[col]], index=out.index, dtype=object)
    for col, source in (linked or {}).items():
        out[col] = out[col].astype(object).where(~masks[source], None)
    return out


def show_count(x) -> str:
    """For tiles and sentences: a count to the nearest 5, or * when it would disclose."""
    n = shown_count(x)
    return SUPPRESSED if n is None else f"{n:,}"
