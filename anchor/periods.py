"""NHS financial years and quarters.

The financial year runs April to March; `2024/25 Q1` is April to June 2024. A
quarter is stored as its first day. A `Period` is a run of whole quarters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_QUARTER_RE = re.compile(r"^\s*(\d{4})/(\d{2})\s*Q([1-4])\s*$")
_YEAR_RE = re.compile(r"^\s*(\d{4})/(\d{2})\s*$")


def quarter_start(d: date) -> date:
    """First day of the NHS quarter containing `d`."""
    month = ((d.month - 1) // 3) * 3 + 1
    return date(d.year, month, 1)


def fy_start(d: date) -> date:
    """1 April of the financial year containing `d`."""
    return date(d.year if d.month >= 4 else d.year - 1, 4, 1)


def fy_label(d: date) -> str:
    start = fy_start(d).year
    return f"{start}/{(start + 1) % 100:02d}"


def quarter_number(d: date) -> int:
    """1 for April to June ... 4 for January to March."""
    return ((d.month - 4) % 12) // 3 + 1


def quarter_label(d: date) -> str:
    return f"{fy_label(d)} Q{quarter_number(d)}"


def add_quarters(q: date, n: int) -> date:
    months = q.year * 12 + (q.month - 1) + 3 * n
    return date(months // 12, months % 12 + 1, 1)


def quarter_end(q: date) -> date:
    nxt = add_quarters(q, 1)
    return date.fromordinal(nxt.toordinal() - 1)


def parse_quarter_label(label: str) -> date:
    """'2024/25 Q1' -> 2024-04-01. Raises ValueError naming the label."""
    m = _QUARTER_RE.match(label)
    if not m or (int(m.group(1)) + 1) % 100 != int(m.group(2)):
        raise ValueError(f"{label!r} is not a quarter like 2024/25 Q1.")
    return add_quarters(date(int(m.group(1)), 4, 1), int(m.group(3)) - 1)


def quarters_between(first: date, last: date) -> list[date]:
    out, q = [], quarter_start(first)
    while q <= last:
        out.append(q)
        q = add_quarters(q, 1)
    return out


@dataclass(frozen=True)
class Period:
    """Whole quarters from `first` to `last` (quarter start dates, inclusive)."""

    first: date
    last: date

    @classmethod
    def quarter(cls, q: date) -> Period:
        q = quarter_start(q)
        return cls(q, q)

    @classmethod
    def financial_year(cls, d: date) -> Period:
        start = fy_start(d)
        return cls(start, add_quarters(start, 3))

    @classmethod
    def parse(cls, label: str) -> Period:
        """'2024/25' (a year) or '2024/25 Q2' (a quarter)."""
        m = _YEAR_RE.match(label)
        if m and (int(m.group(1)) + 1) % 100 == int(m.group(2)):
            return cls.financial_year(date(int(m.group(1)), 4, 1))
        return cls.quarter(parse_quarter_label(label))

    @property
    def is_quarter(self) -> bool:
        return self.first == self.last

    @property
    def n_quarters(self) -> int:
        return len(quarters_between(self.first, self.last))

    @property
    def label(self) -> str:
        if self.is_quarter:
            return quarter_label(self.first)
        if self.first == fy_start(self.first) and self.last == add_quarters(self.first, 3):
            return fy_label(self.first)
        return f"{quarter_label(self.first)} to {quarter_label(self.last)}"

    @property
    def end_date(self) -> date:
        return quarter_end(self.last)

    def shifted(self, quarters: int) -> Period:
        return Period(add_quarters(self.first, quarters), add_quarters(self.last, quarters))

    def year_earlier(self) -> Period:
        return self.shifted(-4)

    def clipped_to(self, latest: date) -> Period:
        """The part of this period up to the quarter `latest` (for a year still under way)."""
        return Period(self.first, min(self.last, latest))


def month_label(d: date) -> str:
    """'May 2020'."""
    return f"{d:%B %Y}"


def months_text(months: list[date]) -> str:
    """'April 2020', 'April and May 2020', 'April to June 2020', 'March 2018 and April 2020':
    a run of months as a range, others listed."""
    months = sorted(set(months))
    if not months:
        return ""
    if len(months) == 1:
        return month_label(months[0])
    ordinals = [m.year * 12 + m.month for m in months]
    run = ordinals == list(range(ordinals[0], ordinals[0] + len(ordinals)))
    first, last = months[0], months[-1]
    if run and first.year == last.year:
        joint = " and " if len(months) == 2 else " to "
        return f"{first:%B}{joint}{month_label(last)}"
    if run and len(months) > 2:
        return f"{month_label(first)} to {month_label(last)}"
    return ", ".join(month_label(m) for m in months[:-1]) + " and " + month_label(last)


def quarter_months(q: date) -> list[date]:
    """The first day of each of the quarter's three months."""
    q = quarter_start(q)
    return [date(q.year, q.month + i, 1) for i in range(3)]
