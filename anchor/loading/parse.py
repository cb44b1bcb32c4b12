"""Cells as analysts type them, read a whole column at a time.

Each parser takes a column of text cells (indexed by spreadsheet row) and returns the
values and masks of the cells that are missing or cannot be read, without a Python loop
over rows: string methods over the column, or a parse of its distinct values mapped back.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from anchor.geography.postcodes import PostcodeError, normalise_postcode
from anchor.periods import parse_quarter_label

DATE_FORMATS = (
    "%Y-%m-%d", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y",
    "%d-%b-%Y", "%d-%b-%y", "%d %b %Y", "%d %B %Y", "%Y/%m/%d", "%d/%m/%Y %H:%M",
    "%d/%m/%Y %H:%M:%S", "%d-%m-%y", "%d.%m.%y",
)
# Excel counts days from 30 December 1899; serials from 1 Jan 1990 to 31 Dec 2099.
EXCEL_EPOCH = pd.Timestamp("1899-12-30")
EXCEL_SERIALS = (32874, 73415)
MAX_AMOUNT_GBP = 1e14  # decimal(18, 2) holds 16 digits before the point

# Character classes are spelled out: pandas runs RE2 (pyarrow) over a whole column, but
# falls back to Python's re, one cell at a time, for \s, and for \d on non-ASCII text.
# A non-breaking space (U+00A0) is what Excel puts between £ and the number in a currency
# format, and U+202F is its narrow cousin: both count as spaces.
_SP = "[ \t\n\r\f\v\u00a0\u202f]"
_NUMBER = r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)"
# A cell a spreadsheet would run as a formula: it starts with =, +, -, @, a tab or a carriage
# return. A sign followed by a number (a credit note, -500.00) is a number, not a formula.
_FORMULA_START = r"^(?:[\t\r]|" + _SP + r"*[=+\-@])"
_SIGNED_NUMBER = (_SP + r"*(?:[+-]" + _SP + "*£?" + _SP + r"*(?:[0-9][0-9,]*(?:\.[0-9]*)?|\.[0-9]+))?"
                  + _SP + "*-?" + _SP + "*")


@dataclass(frozen=True)
class Parsed:
    values: pd.Series
    missing: pd.Series  # the cell is empty
    bad: pd.Series  # the cell has something that cannot be read


def by_unique(s: pd.Series, fn: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """Apply `fn` to the distinct values of `s` only and spread the results back: dates,
    names and codes repeat thousands of times in a quarter of invoice lines."""
    codes, uniques = pd.factorize(s, sort=False)
    parsed = fn(pd.Series(uniques, dtype="str"))
    out = parsed.iloc[codes]
    out.index = s.index
    return out


def formula_cells(s: pd.Series) -> pd.Series:
    starts = s.str.contains(_FORMULA_START, regex=True)
    if not starts.any():
        return starts
    hits = s[starts]
    return starts & ~hits.str.fullmatch(_SIGNED_NUMBER).reindex(s.index, fill_value=False)


def text(s: pd.Series) -> Parsed:
    v = s.str.strip()
    missing = v == ""
    return Parsed(v, missing, pd.Series(False, index=s.index))


def _thousands_ok(core: pd.Series) -> pd.Series:
    """Commas only as thousands separators: '1.200,50' must not be read as 1.2005."""
    return ~core.str.contains(",", regex=False) | core.str.fullmatch(
        r"[-+]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]*)?-?")


def money(s: pd.Series) -> Parsed:
    """'1,329,075.00', '£1,200', '(500.00)', '-£20', '500.00-' -> decimal text such as
    '-500.00', which DuckDB casts to decimal(18, 2) exactly (no float on the way). As Excel
    writes them too: '£\u00a01,200' (a non-breaking space) and ' £ -   ', its accounting
    format's zero."""
    t = s.str.strip()
    missing = t == ""
    core = t.str.replace(r"£|GBP|" + _SP, "", regex=True)
    brackets = core.str.startswith("(") & core.str.endswith(")")
    core = core.str.replace(r"^\((.*)\)$", r"\1", regex=True).str.replace(r"^\+", "", regex=True)
    core = core.where(core != "-", "0")  # the accounting format shows zero as a dash
    commas_ok = _thousands_ok(core)
    core = core.str.replace(",", "", regex=False)
    trailing_minus = core.str.fullmatch(r"[^-].*-")
    core = core.where(~trailing_minus, "-" + core.str[:-1])
    core = core.where(~brackets, "-" + core.str.lstrip("-"))
    ok = core.str.fullmatch(_NUMBER) & commas_ok & ~missing
    number = pd.to_numeric(core.where(ok, None), errors="coerce")
    bad = ~missing & (~ok | (number.abs() >= MAX_AMOUNT_GBP))
    return Parsed(core.where(~bad & ~missing, ""), missing, bad)


def amount_numbers(parsed: Parsed) -> pd.Series:
    return pd.to_numeric(parsed.values.where(parsed.values != "", None), errors="coerce")


def number(s: pd.Series) -> Parsed:
    """'1,234.5' -> 1234.5 (float). Negative numbers are read; callers decide if allowed."""
    t = s.str.strip()
    missing = t == ""
    core = t.str.replace(_SP, "", regex=True)
    ok = _thousands_ok(core) & ~missing
    core = core.str.replace(",", "", regex=False)
    ok = ok & core.str.fullmatch(_NUMBER)
    values = pd.to_numeric(core.where(ok, None), errors="coerce").astype("float64")
    return Parsed(values, missing, ~ok & ~missing)


def integer(s: pd.Series) -> Parsed:
    """'1,234' or '12.0' (a spreadsheet's whole number) -> 1234."""
    t = s.str.strip()
    missing = t == ""
    core = t.str.replace(_SP, "", regex=True)
    ok = _thousands_ok(core) & ~missing
    core = core.str.replace(",", "", regex=False).str.replace(r"\.0*$", "", regex=True)
    ok = ok & core.str.fullmatch(r"[-+]?[0-9]{1,9}")
    values = pd.to_numeric(core.where(ok, None), errors="coerce").astype("Int64")
    return Parsed(values, missing, ~ok & ~missing)


_TRUE = {"yes", "y", "true", "t", "1"}
_FALSE = {"no", "n", "false", "f", "0"}


def flag(s: pd.Series) -> Parsed:
    t = s.str.strip().str.lower()
    missing = t == ""
    is_true, is_false = t.isin(_TRUE), t.isin(_FALSE)
    values = pd.Series(pd.NA, index=s.index, dtype="boolean")
    values[is_true] = True
    values[is_false] = False
    return Parsed(values, missing, ~(is_true | is_false | missing))


# An ISO date with a time ('2025-10-15T00:00:00', '2025-10-15 10:22', '…Z', '…+01:00'), as
# finance systems export them: the date is the date part.
_ISO_DATE_TIME = (r"([0-9]{4}-[0-9]{2}-[0-9]{2})[T ][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?"
                  r"(?:Z|[+-][0-9]{2}:?[0-9]{2})?")


# The same formats with the month first, for a file in US order (4/30/2020).
US_DATE_FORMATS = tuple(f.replace("%d/%m/", "%m/%d/").replace("%d-%m-", "%m-%d-")
                        .replace("%d.%m.", "%m.%d.") for f in DATE_FORMATS)
DAY_FIRST, MONTH_FIRST = "day first", "month first"
_NUMERIC_DATE = r"^[ ]*([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{2}|[0-9]{4})(?:[ T].*)?$"


def day_month_order(columns: list[pd.Series]) -> tuple[str, str]:
    """The order of a file's numeric dates (3/4/2020), decided once for the whole file from
    every date column: month first only when some date can be read no other way (4/30/2020)
    and none can only be day first. Returns the order and why: 'us' (read month first),
    'uk' (day first, as some date shows, or as the dates then fall in fewer months),
    'ambiguous' (every such date reads either way, as plausibly: day first, as always) or
    'none' (no such dates)."""
    values = pd.concat([c.astype("str") for c in columns]) if columns else pd.Series(dtype="str")
    parts = pd.Series(values.unique(), dtype="str").str.extract(_NUMERIC_DATE).dropna()
    if parts.empty:
        return DAY_FIRST, "none"
    first, second = parts[0].astype(int), parts[1].astype(int)
    only_us = ((first <= 12) & (second > 12)).any()
    only_uk = ((first > 12) & (second <= 12)).any()
    if only_us and not only_uk:
        return MONTH_FIRST, "us"
    if only_uk:
        return DAY_FIRST, "uk"
    if (first != second).any():
        # Read day first, a month's file falls in fewer months than read month first (1/4,
        # 2/4, 3/4 are all April): then nothing is in doubt in practice.
        year = parts[2]
        if (pd.Series(list(zip(second, year))).nunique()
                < pd.Series(list(zip(first, year))).nunique()):
            return DAY_FIRST, "uk"
        return DAY_FIRST, "ambiguous"
    return DAY_FIRST, "none"


def _dates_of(u: pd.Series, formats: tuple[str, ...] = DATE_FORMATS) -> pd.Series:
    out = pd.Series(pd.NaT, index=u.index, dtype="datetime64[us]")
    u = u.str.strip()
    u = u.str.replace("^" + _ISO_DATE_TIME + "$", r"\1", regex=True)
    for fmt in formats:
        todo = out.isna() & (u != "")
        if not todo.any():
            break
        out[todo] = pd.to_datetime(u[todo], format=fmt, errors="coerce")
    serial = out.isna() & u.str.fullmatch(r"[0-9]{5}(?:\.0+)?")
    if serial.any():
        days = pd.to_numeric(u[serial]).astype("float64")
        days = days.where(days.between(*EXCEL_SERIALS))
        out[serial] = EXCEL_EPOCH + pd.to_timedelta(days, unit="D")
    return out.dt.normalize()  # a date: the time of day, where a cell had one, is dropped


def dates(s: pd.Series, order: str = DAY_FIRST) -> Parsed:
    """dd/mm/yyyy (UK order; mm/dd/yyyy only with `order` MONTH_FIRST, for a file whose
    dates show it: `day_month_order`), ISO yyyy-mm-dd (with or without a time of day),
    15-Oct-2025, Excel serial numbers."""
    t = s.str.strip()
    missing = t == ""
    formats = US_DATE_FORMATS if order == MONTH_FIRST else DATE_FORMATS
    values = by_unique(t, lambda u: _dates_of(u, formats))
    return Parsed(values, missing, values.isna() & ~missing)


def quarter_starts(d: pd.Series) -> pd.Series:
    """First day of each date's NHS quarter (the NHS quarters are the calendar quarters
    shifted in name only: April to June is 2025/26 Q1)."""
    return d.dt.to_period("Q").dt.start_time


def _quarters_of(u: pd.Series) -> pd.Series:
    out = pd.Series(pd.NaT, index=u.index, dtype="datetime64[us]")
    for i, value in u.items():  # distinct values: one or two per file
        try:
            out[i] = pd.Timestamp(parse_quarter_label(value))
        except ValueError:
            pass
    as_dates = _dates_of(u.where(out.isna(), ""))
    out = out.fillna(as_dates.dt.to_period("Q").dt.start_time)
    return out


def quarters(s: pd.Series) -> Parsed:
    """'2025/26 Q3', or any date in the quarter -> the quarter's first day."""
    t = s.str.strip()
    missing = t == ""
    values = by_unique(t, _quarters_of)
    return Parsed(values, missing, values.isna() & ~missing)


def _postcodes_of(u: pd.Series) -> pd.Series:
    out = []
    for value in u:  # distinct values; the one normaliser every part of Anchor uses
        try:
            out.append(normalise_postcode(value) if value.strip() else "")
        except PostcodeError as exc:
            out.append("!" + str(exc))
    return pd.Series(out, index=u.index, dtype="str")


def postcodes(s: pd.Series) -> tuple[Parsed, pd.Series]:
    """Normalised postcodes, and for the bad ones the normaliser's message."""
    t = s.str.strip()
    missing = t == ""
    result = by_unique(t, _postcodes_of)
    bad = result.str.startswith("!")
    return Parsed(result.where(~bad, ""), missing, bad), result.str[1:].where(bad, "")


LSOA_PATTERN = r"[EW]0[0-9]{7}"


def lsoa_codes(s: pd.Series) -> Parsed:
    t = s.str.strip().str.upper()
    missing = t == ""
    bad = ~t.str.fullmatch(LSOA_PATTERN) & ~missing
    return Parsed(t.where(~bad, ""), missing, bad)


_COMPANY_ENDINGS = ("ltd", "limited", "plc", "llp")
_NOT_ASCII_ALNUM = re.compile(r"[^0-9a-z]+")


def _name_key(name: str) -> str:
    """One name as it is matched (see `normalise_names`)."""
    if name.isascii():  # most names: the same rule, faster
        words = _NOT_ASCII_ALNUM.sub(" ", name.lower().replace("&", " and ")).split()
    else:
        folded = unicodedata.normalize("NFKC", name).casefold().replace("&", " and ")
        # letters and digits of every script count, with the marks that belong to them (the
        # vowel signs of Devanagari, say); everything else separates words
        words = "".join(ch if ch.isalnum() or unicodedata.category(ch).startswith("M")
                        else " " for ch in folded).split()
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    while len(words) > 1 and words[-1] in _COMPANY_ENDINGS:
        words = words[:-1]
    return " ".join(words).upper()


def normalise_names(s: pd.Series) -> pd.Series:
    """How names are matched: after Unicode normalisation (NFKC: a full-width Ａ is A) and
    case folding, punctuation, '&'/'and', a leading 'The' and a trailing Ltd/Limited/plc/LLP
    do not count; letters of every script do. 'The A.B. Smith & Co Ltd' -> 'A B SMITH AND CO',
    'Möller GmbH' -> 'MÖLLER GMBH' (not Müller's), 'Ελληνικά Τρόφιμα' -> 'ΕΛΛΗΝΙΚΆ ΤΡΌΦΙΜΑ'."""
    return by_unique(s.fillna("").astype("str"), lambda u: u.map(_name_key).astype("str"))


# Letters of other scripts drawn like Latin ones (after Unicode's confusables list, TR39):
# 'Аcme' with a Cyrillic А is a different name from 'Acme', but no one reading it can tell.
# Case is folded first, so each letter is mapped as its capital looks (Greek η as H).
_LOOK_ALIKE_LETTERS = str.maketrans(
    "авекмнорстхуѕіјһԁԛԝӏүαβεζηικμνορτυχı",
    "abekmhopctxysijhdqwlyabezhikmnoptyxi")


def _look_alike_key(name: str) -> str:
    if name.isascii():
        return _name_key(name).replace(" ", "")
    # accents come apart from their letters (NFKD) and are dropped: ö is o
    plain = "".join(ch for ch in unicodedata.normalize("NFKD", name).casefold()
                    if not unicodedata.combining(ch))
    return _name_key(plain.translate(_LOOK_ALIKE_LETTERS)).replace(" ", "")


def look_alike_keys(s: pd.Series) -> pd.Series:
    """Names that a reader would take for one another share a key: case, accents, letters of
    another script drawn alike (Cyrillic а, Latin a), spacing and punctuation aside.
    'Möller Ltd', 'MOLLER LTD', 'Mоller Ltd' (a Cyrillic о) and 'M.oller' -> 'MOLLER'."""
    return by_unique(s.fillna("").astype("str"), lambda u: u.map(_look_alike_key).astype("str"))


def new_supplier_ids(normalised: pd.Series) -> pd.Series:
    """A stable id for a supplier first seen in a spend file: the same name, the same id."""
    return by_unique(normalised, lambda u: pd.Series(
        ["NEW-" + hashlib.sha1(v.encode()).hexdigest()[:10].upper() for v in u],
        index=u.index, dtype="str"))
