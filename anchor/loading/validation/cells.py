"""Checks of one column of a file, each over the whole column (see `anchor.loading.parse`),
reporting into `Issues`: required values, organisations by code or name, dates, quarters,
amounts, numbers and counts within their bounds, codes, and repeated rows."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

from anchor.loading import parse
from anchor.loading.validation.common import EARLIEST_DATE, EARLIEST_QUARTER, LARGEST, Issues, Reference
from anchor.periods import quarter_label, quarter_start


def _col(cells: pd.DataFrame, name: str) -> pd.Series:
    if name in cells:
        return cells[name]
    return pd.Series("", index=cells.index, dtype="str")


def _required(issues: Issues, p: parse.Parsed, column: str, cells: pd.Series, what: str) -> None:
    issues.rows(p.missing, column, cells, f"Missing: every row needs {what}.")


def _organisations(cells: pd.DataFrame, ref: Reference, issues: Issues,
                   hint: str = "Use its ODS code.") -> pd.Series:
    raw = _col(cells, "org_code")
    p = parse.text(raw)
    _required(issues, p, "org_code", raw, "an organisation")
    by_code = dict(zip(ref.orgs["org_code"].str.upper(), ref.orgs["org_code"]))
    names = parse.normalise_names(ref.orgs["name"].astype("str"))
    by_name = dict(zip(names, ref.orgs["org_code"]))

    def resolve(u: pd.Series) -> pd.Series:
        norm = parse.normalise_names(u)
        # as text even when nothing matches (an empty warehouse), so the blanks fill as text
        code = u.str.upper().map(by_code).astype("str")
        return code.fillna(norm.map(by_name).astype("str")).fillna("")

    codes = parse.by_unique(p.values, resolve)
    unknown = (codes == "") & ~p.missing
    if ref.orgs.empty:
        problem = ("There are no organisations in the warehouse yet: load the organisations "
                   "file first (Organisations and footprints).")
    else:
        problem = (f"Not an organisation in the warehouse (known: {', '.join(ref.orgs['org_code'])})."
                   f" {hint}")
    issues.rows(unknown, "org_code", raw, problem)
    return codes


def _paid_dates(cells: pd.DataFrame, issues: Issues, column: str, required: bool,
                order: str = parse.DAY_FIRST) -> parse.Parsed:
    raw = _col(cells, column)
    p = parse.dates(raw, order)
    if required:
        _required(issues, p, column, raw, "a date")
    issues.rows(p.bad, column, raw,
                "Not a date. Use dd/mm/yyyy (UK order), yyyy-mm-dd, or a spreadsheet date."
                if order == parse.DAY_FIRST else
                "Not a date in the file's US order (mm/dd/yyyy), nor yyyy-mm-dd.")
    tomorrow = pd.Timestamp(date.today() + timedelta(days=1))
    issues.rows(p.values > tomorrow, column, raw, "In the future: check the year.")
    issues.rows(p.values < EARLIEST_DATE, column, raw, "Before 2000: check the year.")
    return p


def _quarter_column(cells: pd.DataFrame, issues: Issues, required: bool,
                    quarter: date | None) -> pd.Series:
    raw = _col(cells, "quarter")
    p = parse.quarters(raw)
    if required:
        _required(issues, p, "quarter", raw, "a quarter such as 2025/26 Q3")
    issues.rows(p.bad, "quarter", raw, "Not a quarter: write it as 2025/26 Q3, or give a date.")
    # one mistyped year would become everyone's latest (default) period, or the first
    current = quarter_start(date.today())
    issues.rows(p.values > pd.Timestamp(current), "quarter", raw,
                f"After {quarter_label(current)}, the current quarter: check the year.")
    issues.rows(p.values < pd.Timestamp(EARLIEST_QUARTER), "quarter", raw,
                f"Before {quarter_label(EARLIEST_QUARTER)}: check the year.")
    if quarter is not None:
        chosen = pd.Timestamp(quarter)
        issues.rows(p.values.notna() & (p.values != chosen), "quarter", raw,
                    f"Not {quarter_label(quarter)}, the quarter this file is being loaded for.")
    return p.values


def _money(cells: pd.DataFrame, issues: Issues, column: str, required: bool,
           negative_ok: bool) -> parse.Parsed:
    raw = _col(cells, column)
    p = parse.money(raw)
    if required:
        _required(issues, p, column, raw, "an amount in £")
    issues.rows(p.bad, column, raw,
                "Not an amount in £. Write it as 1,329.75, £1,200 or (500.00) for a credit.")
    amounts = parse.amount_numbers(p)
    if not negative_ok:
        issues.rows(amounts < 0, column, raw, "Cannot be negative.")
    if column in LARGEST:
        _at_most(issues, amounts, column, raw)
    return p


def _at_most(issues: Issues, values: pd.Series, column: str, raw: pd.Series) -> None:
    largest, shown, why = LARGEST[column]
    issues.rows(values > largest, column, raw,
                f"More than {shown}: {why}. Check the number (a misplaced decimal point, or "
                "another unit?).")


def _numbers(cells: pd.DataFrame, issues: Issues, column: str, required: bool,
             what: str) -> parse.Parsed:
    raw = _col(cells, column)
    p = parse.number(raw)
    if required:
        _required(issues, p, column, raw, what)
    issues.rows(p.bad, column, raw, "Not a number.")
    issues.rows(p.values < 0, column, raw, f"Cannot be negative: {what} is never below zero.")
    _at_most(issues, p.values, column, raw)  # a 400-digit number reads as infinity: refused
    return p


def _integers(cells: pd.DataFrame, issues: Issues, column: str, required: bool,
              what: str) -> parse.Parsed:
    raw = _col(cells, column)
    p = parse.integer(raw)
    # read as a number too, so that a count too long to be whole is named as too large
    as_number = parse.number(raw).values
    if required:
        _required(issues, p, column, raw, what)
    issues.rows(p.bad & ~(as_number.abs() > LARGEST[column][0]), column, raw,
                "Not a whole number.")
    issues.rows(as_number < 0, column, raw, f"Cannot be negative: {what} is never below zero.")
    _at_most(issues, as_number, column, raw)
    return p


def _duplicates(issues: Issues, key: pd.DataFrame, shown: pd.Series, column: str,
                what: str) -> None:
    """Rows whose `key` columns repeat an earlier row's exactly."""
    hashes = pd.util.hash_pandas_object(key, index=False)
    repeat = hashes.duplicated(keep="first")
    if not repeat.any():
        return
    first_row = pd.Series(hashes[~repeat].index, index=hashes[~repeat].to_numpy())
    first = hashes[repeat].map(first_row)
    # confirm with the values themselves: a hash collision must not reject a good row
    same = (key.loc[repeat.to_numpy()].astype("str").to_numpy()
            == key.loc[first.to_numpy()].astype("str").to_numpy()).all(axis=1)
    mask = pd.Series(False, index=key.index)
    mask[first.index[same]] = True
    problem = ("Repeats row " + first.astype("str") + f": {what}.").reindex(key.index)
    issues.rows(mask, column, shown, problem)


# Codes are upper-cased; letters and digits (a hyphen or underscore allowed after the first).
CODE_PATTERN = r"[A-Z0-9][A-Z0-9_-]{0,19}"


def _codes(cells: pd.DataFrame, issues: Issues, column: str, what: str,
           example: str) -> parse.Parsed:
    raw = _col(cells, column)
    p = parse.text(raw)
    _required(issues, p, column, raw, what)
    upper = p.values.str.upper()
    bad = ~p.missing & ~upper.str.fullmatch(CODE_PATTERN).fillna(False)
    issues.rows(bad, column, raw,
                f"Not a code: letters and digits, no spaces, at most 20 (e.g. {example}).")
    return parse.Parsed(upper.where(~bad, ""), p.missing, bad)


def _at(cells: pd.DataFrame, rows: pd.Index) -> pd.Series:
    """A mask of the given spreadsheet rows."""
    return pd.Series(cells.index.isin(rows), index=cells.index)


def _required_text(cells: pd.DataFrame, issues: Issues, column: str, what: str) -> pd.Series:
    raw = _col(cells, column)
    p = parse.text(raw)
    _required(issues, p, column, raw, what)
    return p.values


def _repeated_codes(issues: Issues, codes: parse.Parsed, column: str, cells: pd.DataFrame,
                    what: str) -> None:
    given = codes.values != ""
    _duplicates(issues, codes.values[given].to_frame(), _col(cells, column), column, what)
