"""Numbers as a board reads them: £1.7m, 14.3%, 1,234."""

from __future__ import annotations

import math
import re
from collections.abc import Callable


def _missing(x: float | None) -> bool:
    """No value to show: none, or not a finite number (an infinite value is no figure)."""
    return x is None or (isinstance(x, float) and not math.isfinite(x))


def gbp(x: float | None, *, precise: bool = False) -> str:
    """£1.7m, £850k, £640; negatives as -£1.2m. `precise` keeps pounds and pence for tables."""
    if _missing(x):
        return "–"
    x = float(x)
    sign = "-" if x < 0 else ""
    a = abs(x)
    if precise:
        return f"{sign}£{a:,.2f}"
    if a >= 1e9:
        return f"{sign}£{a / 1e9:.2f}bn"
    if a >= 1e6:
        return f"{sign}£{a / 1e6:.1f}m"
    if a >= 1e4:
        return f"{sign}£{a / 1e3:.0f}k"
    if a >= 1e3:
        return f"{sign}£{a / 1e3:.1f}k"
    return f"{sign}£{a:,.0f}"


def gbp_tick(x: float | None) -> str:
    """An axis tick: £5m, £2.5bn, £500k, with no trailing zeros (which £5.0m would repeat on
    every tick)."""
    text = gbp(x)
    if "." not in text:
        return text
    number, unit = text.rstrip("bnmk"), text[len(text.rstrip("bnmk")):]
    return number.rstrip("0").rstrip(".") + unit


def pct(x: float | None, *, digits: int = 1) -> str:
    """A share held as a fraction: 0.143 -> '14.3%'."""
    if _missing(x):
        return "–"
    return f"{100 * float(x):.{digits}f}%"


def points(x: float | None, *, digits: int = 1) -> str:
    """A change of a share in percentage points: 0.012 -> '+1.2 pts'."""
    if _missing(x):
        return "–"
    return f"{100 * float(x):+.{digits}f} pts"


def as_shown(x: float, *, digits: int = 1, scale: float = 1.0) -> float:
    """A figure as its text shows it: as_shown(0.14349, scale=100) -> 14.3."""
    return float(f"{scale * float(x):.{digits}f}")


def compared(now: float, before: float, render: Callable[[float], str]) -> str:
    """'up from', 'down from' or 'about the same as', judged on the figures as `render`
    shows them, so no sentence says 2.3% is below 2.3%."""
    if render(now) == render(before):
        return "about the same as"
    return "up from" if now > before else "down from"


def points_change(now: float | None, before: float | None, *, digits: int = 1) -> str | None:
    """The change between two shares as shown ('14.3%' and '12.1%' -> '+2.2 pts'), so the
    chip beside two figures is their difference; None when either is not known."""
    if _missing(now) or _missing(before):
        return None
    shown = as_shown(now, digits=digits, scale=100) - as_shown(before, digits=digits, scale=100)
    return points(shown / 100, digits=digits)


def hectares_change(now: float, before: float) -> str:
    """'+6.3 ha': the difference of the two areas as shown (10.5 ha and 4.2 ha)."""
    return f"{as_shown(now) - as_shown(before):+,.1f} ha"


def count(x: float | None) -> str:
    if _missing(x):
        return "–"
    return f"{float(x):,.0f}"


def number(x: float | None, *, digits: int = 1) -> str:
    if _missing(x):
        return "–"
    return f"{float(x):,.{digits}f}"


def hectares(x: float | None) -> str:
    return "–" if _missing(x) else f"{float(x):,.1f} ha"


_ORG_SUFFIXES = (" NHS Foundation Trust", " NHS Trust", " Foundation Trust")


def short_org_name(name: str) -> str:
    """'The Dudley Group NHS Foundation Trust' -> 'Dudley Group', for charts and tiles."""
    for suffix in _ORG_SUFFIXES:
        if name.endswith(suffix):
            name = name[: -len(suffix)]
            break
    return name[4:] if name.startswith("The ") else name


# What Markdown (and Streamlit's own additions: `:red[…]` colours, `:icons:`, `$…$` maths)
# reads as links, images, emphasis, code, headings, tables, strikethrough or HTML.
_MARKDOWN_SPECIAL = frozenset("\\`*_[]()<>#!|~$:")
# GitHub-flavoured Markdown links a bare `http://…` or `www.…` found in the text after the
# escapes are read, so no escape stops it: a zero-width space, unseen, breaks the pattern.
_BARE_LINK = re.compile(r"(?i)(https?:|\bwww)(?=//|\.)")


def md_text(value: object) -> str:
    """A data value (an organisation's, place's, supplier's or file's name, a message quoting
    a cell) made safe to put into Markdown: every character Markdown would act on is escaped,
    so it reads exactly as written and never becomes a link, an image or formatting. Line
    breaks become spaces, so a value cannot start a heading or a list of its own."""
    text = " ".join(str(value).splitlines())
    text = _BARE_LINK.sub("\\1\u200b", text)
    return "".join("\\" + c if c in _MARKDOWN_SPECIAL else c for c in text)


def md_table(df):
    """A display table for `st.table`, whose cells are Markdown: every text cell escaped
    (`md_text`), so a '*' for a withheld count and every name read as written."""
    return df.map(lambda v: md_text(v) if isinstance(v, str) else v)
