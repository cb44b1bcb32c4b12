"""Which months a spend file is for, and which of its lines are strays.

Trusts publish spend a month at a time, so a spend load replaces the organisation-months
its file is for, not whole quarters. A published month often carries a few lines paid
long before it (a late credit, a correction from years ago): those strays must never
replace the months they fall in. The rule, stated in the README and the check report:

1. When the file's name names one month (`2020-05`, `2020_05`, `May 2020`, `May-2020`;
   `2020-21` is a financial year, not a month) and some of its lines were paid in it, the
   file is for that month.
2. Otherwise it is for its busiest month (the most lines) and the months next to it, one
   after another on either side, that each hold at least `BULK_SHARE` of the busiest
   month's lines: one month for a monthly file, three for a quarterly one.

Every other line is a stray. The analyst leaves strays out (the default) or adds them to
their own months, alongside what those months already hold.
"""

from __future__ import annotations

import re
from datetime import date

import pandas as pd

from anchor.periods import month_label, months_text

BULK_SHARE = 0.10
LEAVE_OUT = "leave-out"
OWN_MONTHS = "own-months"
STRAY_CHOICES = (LEAVE_OUT, OWN_MONTHS)

_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december")
_NUMERIC = re.compile(r"(?<![0-9])(20[0-9]{2})[-_ .](0[1-9]|1[0-2])(?![0-9])")
# a month's name in full or as its first three letters (and 'sept'), as a word of its own
_NAME = ("(?<![a-z])(" + "|".join(sorted({*_MONTHS, *(m[:3] for m in _MONTHS), "sept"},
                                          key=len, reverse=True)) + ")(?![a-z])")
_NAMED = (re.compile(_NAME + r"[-_ .]*(20[0-9]{2})(?![0-9])"),
          re.compile(r"(?<![0-9])(20[0-9]{2})[-_ .]*" + _NAME))


def _month_number(name: str) -> int:
    return next(i for i, m in enumerate(_MONTHS, start=1) if m.startswith(name[:3]))


def named_months(file_name: str) -> set[date]:
    """The months a file's name names: '..._2020-05.csv' -> {May 2020}."""
    text = file_name.lower()
    found = set()
    for m in _NUMERIC.finditer(text):
        year, month = int(m.group(1)), int(m.group(2))
        if month != (year + 1) % 100:  # '2020-21' is a financial year
            found.add(date(year, month, 1))
    for m in _NAMED[0].finditer(text):
        found.add(date(int(m.group(2)), _month_number(m.group(1)), 1))
    for m in _NAMED[1].finditer(text):
        found.add(date(int(m.group(1)), _month_number(m.group(2)), 1))
    return found


def _ordinal(d: date) -> int:
    return d.year * 12 + d.month - 1


def _month(ordinal: int) -> date:
    return date(ordinal // 12, ordinal % 12 + 1, 1)


def file_months(month_starts: pd.Series, file_name: str) -> tuple[list[date], str]:
    """The months the file is for, from each line's month (its first day), and which part
    of the rule decided them, in a phrase for the report."""
    lines = pd.to_datetime(month_starts).dt.date.value_counts()
    if lines.empty:
        return [], ""
    named = named_months(file_name)
    if len(named) == 1 and next(iter(named)) in lines.index:
        return sorted(named), "the month its name gives"
    counts = {_ordinal(m): int(n) for m, n in lines.items()}
    busiest = max(counts, key=lambda o: (counts[o], o))
    floor = BULK_SHARE * counts[busiest]
    first = last = busiest
    while counts.get(first - 1, 0) >= floor:
        first -= 1
    while counts.get(last + 1, 0) >= floor:
        last += 1
    phrase = (f"its busiest month and the months beside it holding at least "
              f"{BULK_SHARE:.0%} as many lines")
    return [_month(o) for o in range(first, last + 1)], phrase


def rule_sentence(months: list[date], phrase: str, strays: int, choice: str) -> str:
    """What the report says of a file's months and its strays."""
    text = f"This file is for {months_text(months)} ({phrase})."
    if not strays:
        return text
    lines = "line was" if strays == 1 else "lines were"
    fate = ("left out (--stray-rows own-months adds them to their own months)"
            if choice == LEAVE_OUT else
            "added to their own months, alongside what those months hold; they replace nothing")
    return f"{text} {strays:,} {lines} paid in other months: {fate}."


def stray_problem(month_starts: pd.Series, choice: str, months: list[date]) -> pd.Series:
    """The report's line for each stray, naming its month."""
    fate = ("left out" if choice == LEAVE_OUT
            else "added to that month alongside what it holds")
    labels = pd.to_datetime(month_starts).dt.date.map(month_label)
    return ("Paid in " + labels + f", outside {months_text(months)}, the month"
            + ("s" if len(months) > 1 else "") + f" this file is for: {fate}.")
