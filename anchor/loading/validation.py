"""Check a file before anything is written: every problem with its file, row, column and value.

`check` turns a `RawFile` into a `CheckedFile`: the rows exactly as they would be written,
the slices (organisation and quarter) they replace, and the report. Errors block the load;
warnings (a new supplier, an unknown postcode) are shown and do not. Every check works on
whole columns (see `anchor.loading.parse`); the warehouse is only read, for organisations,
footprints, sites, suppliers, categories, postcodes, LSOAs and local authorities.
"""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

import pandas as pd

from anchor.loading import aliases, months, parse
from anchor.loading.layouts import (
    NOT_STATED_CATEGORY,
    ODS_KIND,
    REFERENCE_KINDS,
    TRANSPARENCY_IGNORED,
    Layout,
    TableSpec,
    custom_layout,
    detect_layout,
    norm_header,
    saved_mapping,
)
from anchor.loading.published import ERIC_KIND, ERIC_USED, eric_cells, eric_read, ods_cells
from anchor.loading.readers import RawFile
from anchor.periods import month_label, quarter_label, quarter_start
from anchor.queries import geo

Progress = Callable[[float, str], None]
ISSUE_COLUMNS = ["file", "row", "column", "value", "problem", "severity"]
MAX_ROWS_PER_PROBLEM = 1000  # the rest of a repeated problem is summarised in one line
EARLIEST_DATE = pd.Timestamp("2000-01-01")
EARLIEST_QUARTER = date(2000, 4, 1)  # 2000/01 Q1: no workforce or estates return is older
# The largest value each count, area and amount may hold on one row, with why: each is far
# beyond what any real trust reports, so only a slip goes past one (a misplaced decimal
# point, m² typed where hectares belong, a number run into its neighbour, or a 400-digit
# cell that reads as infinity), and one such row would swamp every total and chart it is
# counted in. Every one is also never below zero. Spend's amounts are bounded by what the
# warehouse stores (parse.MAX_AMOUNT_GBP); survey shares lie between 0% and 100%.
_PEOPLE = (1_000_000, "1,000,000 people", "the largest NHS trusts employ about 30,000")
_AREA_HA = (10_000, "10,000 ha (100 km²)", "the largest hospital sites cover a few hundred "
                                           "hectares")
_FLOOR_M2 = (5_000_000, "5,000,000 m²", "that is more than twice the floor area of the largest "
                                        "building in the world")
LARGEST: dict[str, tuple[float, str, str]] = {
    "headcount": _PEOPLE, "fte": (1_000_000, "1,000,000 FTE", _PEOPLE[2]),
    "starters": _PEOPLE, "apprentices": _PEOPLE, "below_living_wage": _PEOPLE,
    "respondents": _PEOPLE,
    "gross_pay_gbp": (1e10, "£10bn", "a quarter's pay at the largest NHS trusts is under £1bn"),
    "site_area_ha": _AREA_HA, "land_not_delivering_ha": _AREA_HA,
    "gia_m2": _FLOOR_M2, "occupied_m2": _FLOOR_M2, "empty_m2": _FLOOR_M2,
    "underused_m2": _FLOOR_M2, "clinical_m2": _FLOOR_M2, "non_clinical_m2": _FLOOR_M2,
    "backlog_cost_gbp": (1e11, "£100bn", "the backlog of the whole NHS in England is about "
                                         "£14bn"),
    "energy_kwh": (1e10, "10,000,000,000 kWh (10 TWh)", "a large acute hospital uses about "
                                                        "50 GWh a year"),
    "carbon_tco2e": (1e7, "10,000,000 tCO2e", "a large hospital emits about 20,000 tonnes a "
                                             "year"),
    "community_use_hours": (1e6, "1,000,000 hours", "a quarter has about 2,200 hours: that "
                                                    "would be 450 rooms in use day and night"),
}
# Postcodes the geography can place: known, with a local authority (spend there is placed).
PLACEABLE_POSTCODES_SQL = ("select postcode from geo_postcode where postcode = any(?)"
                           " and lad_code is not null")


def no_progress(_fraction: float, _message: str) -> None:
    pass


class Issues:
    """The validation report as it is built: one frame per check, joined at the end."""

    def __init__(self, file_name: str) -> None:
        self.file = file_name
        self.parts: list[pd.DataFrame] = []

    def rows(self, mask: pd.Series, column: str, values: pd.Series, problem: str | pd.Series,
             severity: str = "error") -> None:
        mask = mask.fillna(False).astype(bool)
        n = int(mask.sum())
        if not n:
            return
        hit = mask[mask].index[:MAX_ROWS_PER_PROBLEM]
        frame = pd.DataFrame({
            "file": self.file, "row": hit.astype("Int64"), "column": column,
            "value": values.loc[hit].astype("str").to_numpy(),
            "problem": problem.loc[hit].to_numpy() if isinstance(problem, pd.Series) else problem,
            "severity": severity,
        })
        if n > MAX_ROWS_PER_PROBLEM:
            more = pd.DataFrame([{
                "file": self.file, "row": pd.NA, "column": column, "value": "",
                "problem": f"… and {n - MAX_ROWS_PER_PROBLEM:,} more rows with this problem "
                           f"({n:,} in all).",
                "severity": severity,
            }])
            frame = pd.concat([frame, more], ignore_index=True)
        self.parts.append(frame)

    def at(self, row: int, column: str, value: str, problem: str,
           severity: str = "error") -> None:
        """One problem shown at one row, for what repeats on many (a spelling of the
        organisation, said once at its first row with how many rows have it)."""
        self.parts.append(pd.DataFrame([{
            "file": self.file, "row": row, "column": column, "value": value,
            "problem": problem, "severity": severity}]))

    def whole(self, problem: str, column: str = "", severity: str = "error") -> None:
        self.parts.append(pd.DataFrame([{
            "file": self.file, "row": pd.NA, "column": column, "value": "", "problem": problem,
            "severity": severity,
        }]))

    def frame(self) -> pd.DataFrame:
        if not self.parts:
            return pd.DataFrame({c: pd.Series(dtype="Int64" if c == "row" else "str")
                                 for c in ISSUE_COLUMNS})
        return ordered(pd.concat(self.parts, ignore_index=True))

    @property
    def has_errors(self) -> bool:
        return any((p["severity"] == "error").any() for p in self.parts)


def ordered(issues: pd.DataFrame) -> pd.DataFrame:
    """Errors first, then warnings; within each, the whole file's first, then by row."""
    out = issues.copy()
    out["row"] = out["row"].astype("Int64")
    order = out["severity"].map({"error": 0, "warning": 1})
    return (out.assign(_o=order).sort_values(["_o", "row"], na_position="first", kind="stable")
            .drop(columns="_o").reset_index(drop=True))


@dataclass
class CheckedFile:
    """A file checked against the warehouse: what would be written, and the report."""

    file_name: str
    sha256: str
    size_bytes: int
    encoding: str
    spec: TableSpec
    layout: Layout
    columns: list[str]  # the file's own columns
    issues: pd.DataFrame
    rows: pd.DataFrame | None = None  # warehouse columns, ready to insert; None on errors
    slices: pd.DataFrame = field(default_factory=pd.DataFrame)  # org_code, quarter_start, rows
    new_suppliers: pd.DataFrame = field(default_factory=pd.DataFrame)  # supplier_id, name
    quarter: date | None = None  # the quarter the analyst said the file is for
    # other tables the load writes: for organisations, 'footprint' (footprint_code, name) and
    # 'footprint_lad' (footprint_code, lad_code), only where the file changes them
    related: dict[str, pd.DataFrame] = field(default_factory=dict)
    # spend: the months the file is for (anchor/loading/months.py), its lines paid in other
    # months (row, org_code, paid_date, month_start, amount_gbp) and what is done with them
    file_months: list[date] = field(default_factory=list)
    strays: pd.DataFrame = field(default_factory=pd.DataFrame)
    stray_rows: str = months.LEAVE_OUT
    # how the file was read where it could be read more than one way, or where the analyst
    # chose: each in the report (as a warning) and in the audit trail (`summary`)
    choices: list[str] = field(default_factory=list)
    # spend: the rows left out at the analyst's choice (skip bad rows), by spreadsheet row
    skipped_rows: list[int] = field(default_factory=list)
    # spend: the organisation each spelling of the file's not yet known looks like, for the
    # analyst to confirm (spelling -> aliases.Proposal or None)
    org_proposals: dict[str, aliases.Proposal | None] = field(default_factory=dict)
    # spend: the spellings confirmed with this load (alias_key, alias, org_code), remembered
    # when it loads; and a council the load adds as an organisation (organisation columns)
    aliases: pd.DataFrame = field(default_factory=pd.DataFrame)
    new_organisations: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def errors(self) -> pd.DataFrame:
        return self.issues[self.issues["severity"] == "error"]

    @property
    def warnings(self) -> pd.DataFrame:
        return self.issues[self.issues["severity"] == "warning"]

    @property
    def ok(self) -> bool:
        return self.rows is not None and self.errors.empty

    def summary(self) -> str:
        """One line for the audit trail and the command line."""
        if not self.ok:
            return (f"{self.file_name}: {plural(len(self.errors), 'problem')}; nothing was "
                    f"loaded. First: {first_problem(self.errors)}")
        slice_name = "organisation-month" if self.spec.key == "spend" else "organisation-quarter"
        where = (f" in {plural(len(self.slices), slice_name)}"
                 if self.spec.key not in REFERENCE_KINDS else "")
        chosen = "".join(f"; {c}" for c in self.choices)
        return (f"{self.spec.label}: {plural(len(self.rows), 'row')}{where} from "
                f"{self.file_name} ({self.layout.kind}, {self.encoding}){chosen}")


def plural(n: int, word: str) -> str:
    return f"{n:,} {word}" + ("" if n == 1 else "s")


def first_problem(errors: pd.DataFrame) -> str:
    if errors.empty:
        return ""
    e = errors.iloc[0]
    where = f"row {int(e['row'])}, " if pd.notna(e["row"]) else ""
    col = f"{e['column']}: " if e["column"] else ""
    return f"{where}{col}{e['problem']}"


# -- reference data from the warehouse -------------------------------------------------------

@dataclass(frozen=True)
class Reference:
    orgs: pd.DataFrame  # org_code, name
    sites: pd.DataFrame  # site_code, org_code
    suppliers: pd.DataFrame  # supplier_id, name
    categories: frozenset[str]


def reference(wh) -> Reference:
    return Reference(
        orgs=wh.df("select org_code, name from organisation order by org_code"),
        sites=wh.df("select site_code, org_code from site order by site_code"),
        suppliers=wh.df("select supplier_id, name from supplier order by supplier_id"),
        categories=frozenset(r[0] for r in wh.rows("select category from category")),
    )


def _known(wh, sql: str, values: pd.Series) -> set[str]:
    wanted = [v for v in values.unique().tolist() if v]
    if not wanted:
        return set()
    return {r[0] for r in wh.rows(sql, [wanted])}


# -- the check --------------------------------------------------------------------------------

def check(wh, raw: RawFile, spec: TableSpec, *, mapping: dict[str, str] | None = None,
          quarter: date | None = None, stray_rows: str = months.LEAVE_OUT,
          org: str | None = None, skip_bad_rows: bool = False,
          progress: Progress = no_progress) -> CheckedFile:
    """Check `raw` as a `spec` file. `mapping` (ours -> theirs) overrides the layout found;
    `quarter`, when given, is the quarter the analyst says the file is for; `stray_rows`
    what becomes of spend lines paid outside the file's months (`months.STRAY_CHOICES`).
    For spend, `org` is the organisation the analyst says the file is for (its code, or a
    local authority's code for a council not yet held), confirming the spellings of its
    Entity column; `skip_bad_rows` leaves out the rows with a fault of their own (a blank
    amount), listed in the report, and loads the rest."""
    if stray_rows not in months.STRAY_CHOICES:
        raise ValueError(f"{stray_rows!r} is not one of {', '.join(months.STRAY_CHOICES)}.")
    org = org.strip().upper() if org and org.strip() else None
    try:
        result = _check(wh, raw, spec, mapping, quarter, stray_rows, org, progress)
        if skip_bad_rows and not result.ok:
            result = _skipping_bad_rows(wh, raw, spec, mapping, quarter, stray_rows, org,
                                        result, progress)
        return result
    finally:
        progress(1.0, "Checked")


SKIPPED = "Left out, as you chose (skip bad rows): "


def _skipping_bad_rows(wh, raw: RawFile, spec: TableSpec, mapping, quarter, stray_rows, org,
                       first: CheckedFile, progress: Progress) -> CheckedFile:
    """The check again without the rows whose errors are their own. A problem of the whole
    file (a missing column, an organisation to confirm) is not a row's: leaving rows out
    cannot mend it, so the first check stands."""
    errors = first.errors
    if errors.empty:
        return first
    if errors["row"].isna().any():
        return _not_skipped(first, "the file has a problem of its own, not of a row's (the "
                                   "first above), which leaving rows out cannot mend")
    bad = sorted({int(r) for r in errors["row"]})
    kept = raw.frame.drop(index=bad)
    if kept.empty:
        return _not_skipped(first, "every row has one")
    notes = tuple(n if n.mask is None else
                  dataclasses.replace(n, mask=n.mask & ~n.mask.index.isin(bad))
                  for n in raw.notes)
    again = _check(wh, dataclasses.replace(raw, frame=kept, notes=notes), spec, mapping,
                   quarter, stray_rows, org, progress)
    if not again.ok:
        return _not_skipped(first, "without them, the rest still has problems")
    left = errors.assign(severity="warning", problem=SKIPPED + errors["problem"])
    shown = ", ".join(f"{r:,}" for r in bad[:20]) + (f" and {len(bad) - 20:,} more"
                                                      if len(bad) > 20 else "")
    rows = "rows" if len(bad) > 1 else "row"
    choice = f"{plural(len(bad), 'row')} with a fault left out, as chosen: {rows} {shown}"
    summary = pd.DataFrame([{"file": raw.name, "row": pd.NA, "column": "", "value": "",
                             "problem": f"{choice[0].upper()}{choice[1:]}. The rest loads.",
                             "severity": "warning"}])
    again.issues = ordered(pd.concat([again.issues, summary, left], ignore_index=True))
    again.choices.insert(0, choice)
    again.skipped_rows = bad
    return again


def _not_skipped(first: CheckedFile, why: str) -> CheckedFile:
    """The first check, saying why no row was left out though the analyst chose to."""
    note = pd.DataFrame([{"file": first.file_name, "row": pd.NA, "column": "", "value": "",
                          "problem": f"No row was left out, as you chose (skip bad rows): "
                                     f"{why}.", "severity": "warning"}])
    first.issues = ordered(pd.concat([first.issues, note], ignore_index=True))
    return first


def _check(wh, raw: RawFile, spec: TableSpec, mapping: dict[str, str] | None,
           quarter: date | None, stray_rows: str, org: str | None,
           progress: Progress) -> CheckedFile:
    progress(0.02, "Reading the columns")
    if mapping is not None:
        layout = custom_layout(spec, raw.columns, mapping)
    else:
        layout = detect_layout(spec, raw.columns, saved_mapping(wh, spec.key, raw.columns))
    issues = Issues(raw.name)
    for note in raw.notes:  # what reading found: cells beside the named columns, encodings
        if note.mask is None:  # about the whole file: the sheets not read
            issues.whole(note.problem, note.column, note.severity)
        else:
            issues.rows(note.mask, note.column, note.values, note.problem, note.severity)
    result = CheckedFile(raw.name, raw.sha256, raw.size_bytes, raw.encoding, spec, layout,
                         raw.columns, issues.frame(), quarter=quarter, stray_rows=stray_rows)
    result.choices += [n.choice for n in raw.notes if n.choice]
    repeats = _repeated_columns(raw, layout, issues)
    used = set(layout.mapping.values())
    result.choices += [f"repeated column '{name}' ignored" for name in raw.repeated()
                       if name not in used]
    if issues.has_errors:
        result.issues = issues.frame()
        return result
    missing = layout.missing(spec)
    if quarter is not None and "quarter" in missing:
        missing.remove("quarter")  # the quarter the analyst gives is every row's
    if org is not None and spec.key == "spend" and "org_code" in missing:
        missing.remove("org_code")  # the organisation the analyst names is every row's
    # the one problem that stops the rest: with a required column absent, every row would
    # also be reported as missing it, burying the one thing to fix
    if missing == ["org_code"] and spec.key == "spend":
        _unnamed_organisation(wh, raw.name, result, issues,
                              f"it has no Entity or organisation column (its columns are: "
                              f"{', '.join(raw.columns)})")
        result.issues = issues.frame()
        return result
    if missing:
        names = ", ".join(missing)
        issues.whole(
            f"No column for {names}. The file's columns are: {', '.join(raw.columns)}. "
            f"Rename them as in the {spec.label.lower()} template, or map them to ours.",
            column=names)
        result.issues = issues.frame()
        return result
    _not_loaded(layout, repeats, issues)

    if layout.kind == ODS_KIND:
        cells = _ods_cells(wh, raw, spec, issues)
    elif layout.kind == ERIC_KIND:
        yearly = (" ERIC's figures are for the year: costs, energy, waste and services are "
                  "not loaded." if spec.key == "estate" else "")
        issues.whole(f"Read as NHS Digital's ERIC site data: {eric_read(spec.key)}.{yearly}",
                     severity="warning")
        cells = eric_cells(spec.key, raw.frame)
    else:
        cells = pd.DataFrame({ours: raw.frame[theirs] for ours, theirs in layout.mapping.items()},
                             index=raw.frame.index)
    if quarter is not None and "quarter" in spec.required and "quarter" not in cells:
        cells["quarter"] = quarter_label(quarter)  # a file without one, as ERIC's
    if spec.key == "spend" and ("category" not in cells
                                or (cells["category"].str.strip() == "").all()):
        given = "an empty category column" if "category" in cells else "no category column"
        cells["category"] = NOT_STATED_CATEGORY
        _choose(result, issues, f"{given}, so category '{NOT_STATED_CATEGORY}'",
                f"The file has {given} (such as Expense Type): every line loads "
                f"with the category '{NOT_STATED_CATEGORY}', counted as in scope and "
                "influenceable until it is flagged.", "category")
    if layout.kind == ERIC_KIND or (layout.kind == ODS_KIND and spec.key == "site"):
        cells = _held_only(wh, spec, cells, issues)
        if issues.has_errors:
            result.issues = issues.frame()
            return result
    progress(0.05, "Looking for formulas")
    formulas = pd.DataFrame({col: parse.formula_cells(cells[col]) for col in cells.columns},
                            index=cells.index)
    for col in cells.columns:
        issues.rows(formulas[col], col, cells[col], FORMULA_PROBLEM)

    # every check runs, whatever the others found, so that the report lists every problem
    ref = reference(wh)
    if spec.key == "spend":
        rows, slices, extras = _check_spend(wh, cells, ref, issues, quarter, progress,
                                            raw.frame, org=org, result=result)
    else:
        rows, slices, extras = _CHECKERS[spec.key](wh, cells, ref, issues, quarter, progress,
                                                   raw.frame)
    if not issues.has_errors and spec.key == "spend":
        rows, slices = _settle_months(wh, result, rows, _col(cells, "paid_date"), issues)
    if not issues.has_errors and spec.key in SLICED_KINDS:  # it compares the rows to be written
        _shrinking_slices(wh, spec, slices, issues)
    result.issues = _formula_cells_once(issues.frame(), formulas)
    if not issues.has_errors:
        result.rows, result.slices = rows, slices
        result.new_suppliers = extras.pop("new_suppliers", pd.DataFrame())
        result.related = extras
    return result


def _choose(result: CheckedFile, issues: Issues, choice: str, sentence: str,
            column: str = "") -> None:
    """A way the file was read that the analyst should know of: `sentence` in the report,
    as a warning, and `choice` (a phrase) in the audit trail."""
    result.choices.append(choice)
    issues.whole(sentence, column=column, severity="warning")


FORMULA_PROBLEM = ("Starts with =, +, - or @, so a spreadsheet would run it as a formula. "
                   "Remove the leading character, or give the value as plain text or a number.")


def _formula_cells_once(issues: pd.DataFrame, formulas: pd.DataFrame) -> pd.DataFrame:
    """A formula cell is reported as one: what the other checks make of '=SUM(A1)' as a
    date or an amount only repeats that it is not one."""
    at = formulas.stack()
    at = {(int(r), c) for r, c in at[at].index}
    if not at:
        return issues
    cell = [(int(r), c) in at if pd.notna(r) else False
            for r, c in zip(issues["row"], issues["column"])]
    repeat = pd.Series(cell, index=issues.index) & (issues["problem"] != FORMULA_PROBLEM)
    return issues[~repeat].reset_index(drop=True)


def _held_only(wh, spec: TableSpec, cells: pd.DataFrame, issues: Issues) -> pd.DataFrame:
    """A national file (ERIC's site data, ODS trust sites) holds the sites of every trust:
    it loads for the organisations the warehouse holds, and for sites, those it can place.
    The rows left out are counted and named; none left is an error."""
    held = {r[0].upper() for r in wh.rows("select org_code from organisation")}
    if not held:
        return cells  # the check says to load the organisations first
    org = cells["org_code"].str.strip().str.upper()
    keep = org.isin(held)
    _left_out(issues, org[~keep].drop_duplicates(), "organisation",
              "the warehouse does not hold", "org_code", "load them first to include their sites")
    if spec.key == "site":
        placeless = keep & (cells["postcode"].str.strip() == "")
        _left_out(issues, cells.loc[placeless, "site_code"], "site", "with no postcode",
                  "postcode", "they cannot be placed")
        keep &= ~placeless
    else:
        sites = {r[0].upper() for r in wh.rows("select site_code from site")}
        site = cells["site_code"].str.strip().str.upper()
        unknown = keep & ~site.isin(sites)
        _left_out(issues, site[unknown], "site", "not in the warehouse", "site_code",
                  "load the file as sites first")
        keep &= ~unknown
    if not keep.any():
        issues.whole("None of the file's rows is for an organisation and site the warehouse "
                     "holds: nothing to load.", column="org_code")
    return cells[keep]


def _some(codes: pd.Series, shown: int = 10) -> str:
    """'R1C, RA3 and 22 more': the first codes, and how many others."""
    more = f" and {len(codes) - shown:,} more" if len(codes) > shown else ""
    return ", ".join(codes.head(shown)) + more


def _left_out(issues: Issues, codes: pd.Series, noun: str, which: str, column: str,
              why: str) -> None:
    if codes.empty:
        return
    issues.whole(f"Rows for {plural(len(codes), noun)} {which} left out ({why}): "
                 f"{_some(codes)}.",
                 column=column, severity="warning")


MANY_NOT_LOADED = 10  # beyond this, the columns not loaded are named in one line


def _not_loaded(layout: Layout, repeats: set[str], issues: Issues) -> None:
    """Name the file's columns Anchor does not load: each on its own line, or all on one
    when there are many (ERIC's site data has some 150)."""
    cols = [c for c in layout.ignored if c not in repeats and not (
        # every published file has them; Anchor does not use them
        (layout.kind == "published spend" and norm_header(c) in TRANSPARENCY_IGNORED)
        or layout.kind == ODS_KIND  # said in the line on the layout
        or (layout.kind == ERIC_KIND and c in ERIC_USED))]
    if len(cols) > MANY_NOT_LOADED:
        issues.whole(f"{len(cols):,} columns are not loaded: "
                     f"{', '.join(map(repr, cols))}.", severity="warning")
        return
    for col in cols:
        issues.whole(f"The column {col!r} is not loaded.", column=col, severity="warning")


def _repeated_columns(raw: RawFile, layout: Layout, issues: Issues) -> set[str]:
    """A column name the file gives more than once: an error when Anchor reads the column
    (which copy is meant?), naming where each copy is; otherwise every copy is ignored, and
    said so once. Returns the file's columns (as `raw.columns` names them) so ignored."""
    used = set(layout.mapping.values())
    ignored: set[str] = set()
    for name, letters in raw.repeated().items():
        copies = [name] + [f"{name} (column {letter})" for letter in letters[1:]]
        where = f"columns {', '.join(letters[:-1])} and {letters[-1]}"
        times = "twice" if len(letters) == 2 else f"{len(letters)} times"
        ours = [o for o, theirs in layout.mapping.items() if theirs in copies]
        if ours:
            issues.whole(f"The column {name!r} appears {times} ({where}), and "
                         f"Anchor reads it as {ours[0]}: it cannot tell which to load. Rename "
                         "or delete all but one.", column=name)
        else:
            issues.whole(f"The column {name!r} appears {times} ({where}); Anchor "
                         "does not use it, so each is ignored.", column=name,
                         severity="warning")
            ignored.update(c for c in copies if c not in used)
    return ignored


def _ods_cells(wh, raw: RawFile, spec: TableSpec, issues: Issues) -> pd.DataFrame:
    """An ODS file's rows as our columns, saying what was read and what was left out. An
    ICB's footprint takes the ICB's local authorities in the geography as its home place."""
    ods = ods_cells(spec.key, raw.frame, date.today())
    if spec.key == "organisation":
        ods.cells["home_local_authorities"] = _icb_home_lads(wh, ods.cells["footprint_name"])
        _unnamed_footprints(wh, ods.cells, issues)
    read = ("code, name, postcode and parent organisation" if spec.key == "site" else
            "code, name, postcode and high level health geography (the ICB or STP, as the "
            "footprint)")
    issues.whole(f"Read as NHS Digital's ODS standard file layout (no header row): {read}. "
                 "Names are written in title case; addresses, dates and the other fields are "
                 "not loaded.", severity="warning")
    for reason, codes in ods.left_out.items():
        if codes.empty:
            continue
        what = "entry" if len(codes) == 1 else "entries"
        issues.whole(f"{len(codes):,} {what} {reason} left out: {_some(codes)}.",
                     column="Organisation Code", severity="warning")
    return ods.cells


def _unnamed_footprints(wh, cells: pd.DataFrame, issues: Issues) -> None:
    """A trusts file (etr.csv) gives footprint codes only: their names come from the ICB
    file (eccg.csv), so it is loaded first."""
    named = set(cells.loc[cells["footprint_name"] != "", "footprint_code"])
    known = {r[0] for r in wh.rows("select footprint_code from footprint")}
    unnamed = sorted(set(cells["footprint_code"]) - named - known)
    if unnamed:
        which = (f"The footprint {unnamed[0]} has no name" if len(unnamed) == 1 else
                 f"The footprints {', '.join(unnamed)} have no names")
        issues.whole(f"{which} yet: an ODS trusts file (etr.csv) gives only their codes. Load "
                     "NHS Digital's ICB file (eccg.csv) as organisations first: it names them.",
                     column="footprint_code")


def _icb_key(name: str) -> str:
    """'NHS Black Country ICB' and 'NHS Black Country Integrated Care Board' alike."""
    return _lad_key(name.lower().replace("integrated care board", "icb"))


def _icb_home_lads(wh, icb_names: pd.Series) -> pd.Series:
    """For each ICB named, its local authorities' codes as a home place cell ('E08…; …');
    '' where the geography does not know it (or is not installed)."""
    lads = geo.icb_local_authorities(wh)
    by_icb = lads.groupby(lads["icb_name"].map(_icb_key))["lad_code"].agg("; ".join)
    return icb_names.map(lambda n: by_icb.get(_icb_key(n), "") if n else "").astype("str")


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


def _day_month_order(cells: pd.DataFrame, issues: Issues, result: CheckedFile | None) -> str:
    """One order for all of a file's dates (`parse.day_month_order`), said in the report
    and the audit trail whenever it is not plainly day first."""
    order, why = parse.day_month_order([cells[c] for c in ("paid_date", "invoice_date",
                                                            "due_date") if c in cells])
    if result is None:
        return order
    if why == "us":
        _choose(result, issues, "dates in US order (month first)",
                "Dates read in US order, month first, for the whole file: some can be read no "
                "other way (such as 4/30/2020), and none only day first.", "paid_date")
    elif why == "ambiguous":
        _choose(result, issues, "dates read day first (UK order), which every date allows",
                "Every date in the file reads either way (such as 03/04/2020 for 3 April or "
                "4 March): read in UK order, day first. If the file is in US order, check "
                "its months in the preview.", "paid_date")
    return order


def _spend_organisations(wh, cells: pd.DataFrame, ref: Reference, issues: Issues,
                         org: str | None, result: CheckedFile | None) -> pd.Series:
    """Each line's organisation: by code, exact name or a spelling confirmed before
    (`aliases`); with `org` (the analyst's), every other spelling is taken as that
    organisation and remembered when the file loads (unless it plainly means another).
    Without it, a spelling not yet known is refused once, at its first row with how many
    rows have it, saying which organisation it looks like (`org_proposals`)."""
    raw = _col(cells, "org_code")
    p = parse.text(raw)
    by_code = dict(zip(ref.orgs["org_code"].str.upper(), ref.orgs["org_code"]))
    by_name = dict(zip(parse.normalise_names(ref.orgs["name"].astype("str")), ref.orgs["org_code"]))
    # a spelling confirmed for an organisation since removed (a council whose first load
    # was undone) is not one any more
    confirmed = {k: by_code[v.upper()] for k, v in aliases.remembered(wh).items()
                 if v.upper() in by_code}
    # commonest first: a council added is named as most of its lines name it
    spellings = pd.Series(p.values[~p.missing].value_counts().index, dtype="str")
    keys = parse.normalise_names(spellings)
    known = {s: by_code.get(s.upper()) or by_name.get(k) or confirmed.get(k) or ""
             for s, k in zip(spellings, keys)}
    codes = p.values.map(known).astype("object").fillna("").astype("str")
    chosen = _chosen_org(wh, org, ref, spellings, issues, result) if org else None
    if org:
        if chosen is None:
            return codes
        if "org_code" not in cells and result is not None:
            _choose(result, issues, f"organisation {chosen} as named (--org)",
                    f"The file has no Entity or organisation column: every line is loaded "
                    f"for {chosen}, the organisation you named.", "org_code")
        other = (codes != "") & (codes != chosen)
        issues.rows(other, "org_code", raw,
                    "Names " + codes + f", not {chosen}, the organisation you said the file is "
                    "for (--org).")
        new = [s for s in spellings if not known[s]]
        # a spelling that plainly means another organisation is not taken as this one
        councils = _councils(wh) if new else pd.DataFrame()
        for s in new[:MAX_SPELLINGS]:
            other = aliases.propose(s, ref.orgs, councils)
            if other is not None and other.plain and other.org_code.upper() != chosen.upper():
                first = p.values.index[p.values == s][0]
                issues.at(int(first), "org_code", s,
                          f"Looks like {other.describe()}, not {chosen}, the organisation you "
                          "said the file is for (--org): check the file is that "
                          "organisation's.")
        if new and result is not None:
            result.aliases = pd.DataFrame({
                "alias_key": parse.normalise_names(pd.Series(new, dtype="str")).to_numpy(),
                "alias": new, "org_code": chosen}).drop_duplicates("alias_key")
            shown = ", ".join(f"'{s}'" for s in new[:5])
            _choose(result, issues, f"{shown} confirmed as {chosen}",
                    f"{shown} {'is' if len(new) == 1 else 'are'} taken as {chosen}, as you "
                    "confirmed: remembered when the file loads, so the next file spelt so loads "
                    "without asking.", "org_code")
        return codes.where(codes != "", chosen)
    if p.missing.all():  # an Entity column left blank: as if there were none
        if result is not None:
            _unnamed_organisation(wh, result.file_name, result, issues,
                                  "its organisation column is empty")
        return codes
    _required(issues, p, "org_code", raw, "an organisation")
    councils = _councils(wh)
    unknown = p.values[(codes == "") & ~p.missing]
    first_rows = pd.Series(unknown.index, index=unknown.to_numpy()).groupby(level=0).first()
    counts = unknown.value_counts()
    for n, s in enumerate(s for s in spellings if not known[s]):
        if n == MAX_SPELLINGS:  # a column of anything but organisations: say so once
            issues.whole(f"The organisation column holds {len(counts):,} spellings that are "
                         "not organisations in the warehouse: is it the organisation column? "
                         "Map the file's columns to ours, or name the organisation (--org).",
                         column="org_code")
            break
        first_row, count = first_rows[s], int(counts[s])
        proposal = aliases.propose(s, ref.orgs, councils)
        if result is not None:
            result.org_proposals[s] = proposal
        where = "" if count == 1 else f" (this row and {count - 1:,} more)"
        if ref.orgs.empty:
            problem = ("There are no organisations in the warehouse yet: load the "
                       "organisations file first (Organisations and footprints).")
        elif proposal is None:
            problem = (f"Not the code or name of an organisation in the warehouse{where}, and "
                       "none looks like it. Use its ODS code, or say which organisation the "
                       "file is for (--org CODE, or in the sidebar): the spelling is then "
                       "remembered.")
        else:
            problem = (f"Not the code or name of an organisation in the warehouse{where}. It "
                       f"looks like {proposal.describe()}. If it is, confirm it: load again "
                       f"with --org {proposal.org_code}, or confirm it in the sidebar; the "
                       "spelling is then remembered.")
        issues.at(int(first_row), "org_code", s, problem)
    return codes


def _unnamed_organisation(wh, file_name: str, result: CheckedFile, issues: Issues,
                          why: str) -> None:
    """A spend file that does not name its organisation: refused, saying so, with the
    organisation its file name names by ODS code ('spend_RJ6_croydon.csv'), if one."""
    orgs = reference(wh).orgs
    codes = dict(zip(orgs["org_code"].str.upper(), zip(orgs["org_code"], orgs["name"])))
    named = [codes[w] for w in dict.fromkeys(re.split(r"[^0-9A-Za-z]+", file_name.upper()))
             if w in codes and len(w) >= 3]
    hint = ""
    if len(named) == 1:
        code, name = named[0]
        result.org_proposals[""] = aliases.Proposal(code, name, "the file's name")
        hint = (f" Its file name suggests {code}, {name}: if so, load again with --org {code}, "
                "or confirm it in the sidebar.")
    issues.whole(f"The file does not say which organisation it is for: {why}. Name the "
                 "organisation: load again with --org CODE (its ODS code), or choose it in "
                 f"the sidebar.{hint}", column="org_code")


MAX_SPELLINGS = 20  # spellings of organisations matched and reported one by one


def _councils(wh) -> pd.DataFrame:
    try:
        return wh.df("select lad_code, lad_name from geo_lad order by lad_code")
    except Exception:  # noqa: BLE001 - no geography installed: no council to propose
        return pd.DataFrame(columns=["lad_code", "lad_name"])


def _chosen_org(wh, org: str, ref: Reference, spellings: pd.Series, issues: Issues,
                result: CheckedFile | None) -> str | None:
    """The organisation the analyst named: one the warehouse holds, or a local authority's
    code for a council not yet held, then added as an organisation in the footprint whose
    home place holds it (its name from the file, where the file gives one)."""
    by_code = dict(zip(ref.orgs["org_code"].str.upper(), ref.orgs["org_code"]))
    if org in by_code:
        return by_code[org]
    lad = wh.rows("select lad_code, lad_name from geo_lad where upper(lad_code) = ?", [org]) \
        if not _councils(wh).empty else []
    if not lad:
        issues.whole(f"{org} (--org) is not an organisation in the warehouse, nor a local "
                     "authority's code (for a council). Give the organisation's ODS code.",
                     column="org_code")
        return None
    lad_code, lad_name = lad[0]
    footprints = [r[0] for r in wh.rows(
        "select footprint_code from footprint_lad where lad_code = ? order by footprint_code",
        [lad_code])]
    if not footprints:
        issues.whole(f"{lad_code} ({lad_name}) is a local authority, but no footprint's home "
                     "place includes it, so Anchor cannot tell which footprint the council "
                     "belongs to: load it as an organisation first (Organisations and "
                     "footprints).", column="org_code")
        return None
    name = spellings.iloc[0] if len(spellings) else f"{lad_name} Council"  # the commonest
    if result is not None:
        result.new_organisations = pd.DataFrame([{
            "org_code": lad_code, "name": name, "org_type": aliases.COUNCIL_TYPE,
            "footprint_code": footprints[0], "postcode": None}])
        _choose(result, issues, f"{lad_code} {name} added as a council in {footprints[0]}",
                f"{name} is added as an organisation: a council, code {lad_code} (the local "
                f"authority {lad_name}), in the footprint {footprints[0]}, whose home place "
                "includes it.", "org_code")
    return lad_code


def _check_spend(wh, cells: pd.DataFrame, ref: Reference, issues: Issues, quarter: date | None,
                 progress: Progress, whole: pd.DataFrame, *, org: str | None = None,
                 result: CheckedFile | None = None):
    progress(0.10, "Checking organisations")
    org = _spend_organisations(wh, cells, ref, issues, org, result)
    progress(0.20, "Checking dates")
    order = _day_month_order(cells, issues, result)
    paid = _paid_dates(cells, issues, "paid_date", required=True, order=order)
    invoice = _paid_dates(cells, issues, "invoice_date", required=False, order=order)
    due = _paid_dates(cells, issues, "due_date", required=False, order=order)
    q = parse.quarter_starts(paid.values)
    raw_paid = _col(cells, "paid_date")
    if "quarter" in cells:
        stated = _quarter_column(cells, issues, required=False, quarter=quarter)
        labels = parse.by_unique(q.dt.strftime("%Y-%m-%d").fillna(""), _labels)
        outside = stated.notna() & q.notna() & (stated != q)
        issues.rows(outside, "paid_date", raw_paid,
                    "Paid in " + labels + ", outside the quarter given in the file's quarter "
                    "column (" + parse.by_unique(stated.dt.strftime("%Y-%m-%d").fillna(""),
                                                 _labels) + ").")
    if quarter is not None:
        labels = parse.by_unique(q.dt.strftime("%Y-%m-%d").fillna(""), _labels)
        issues.rows(q.notna() & (q != pd.Timestamp(quarter)), "paid_date", raw_paid,
                    "Paid in " + labels + f", outside {quarter_label(quarter)}, the quarter "
                    "this file is being loaded for.")
    progress(0.35, "Checking amounts")
    amount = _money(cells, issues, "amount_gbp", required=True, negative_ok=True)
    category = parse.text(_col(cells, "category"))
    _required(issues, category, "category", _col(cells, "category"), "a category")
    progress(0.50, "Matching suppliers")
    supplier_id, new_suppliers = _spend_suppliers(cells, ref, issues)
    progress(0.65, "Looking for repeated rows")
    # a repeat is a line whose every cell in the file is the same, not just the cells Anchor
    # keeps: published files tell lines apart by Expense Area or Description too
    _duplicates(issues, whole, _col(cells, "amount_gbp"), "amount_gbp",
                "every column is the same; if both are real, give them transaction numbers")
    if ref.categories:
        new_cat = ~category.values.isin(ref.categories) & ~category.missing
        firsts = new_cat & ~category.values.duplicated()
        issues.rows(firsts, "category", _col(cells, "category"),
                    "A new category: counted as in scope and influenceable until it is flagged.",
                    severity="warning")
    if issues.has_errors:
        return None, None, {}
    progress(0.75, "Preparing rows")
    rows = pd.DataFrame({
        "org_code": org,
        "quarter_start": q,
        "paid_date": paid.values,
        "supplier_id": supplier_id,
        "category": category.values,
        "amount_gbp": amount.values,
        "invoice_date": invoice.values,
        "due_date": due.values,
        "transaction_number": parse.text(_col(cells, "transaction_number")).values.replace("", None),
    })
    return rows, _slices(rows), {"new_suppliers": new_suppliers}


def _settle_months(wh, result: CheckedFile, rows: pd.DataFrame, raw_paid: pd.Series,
                   issues: Issues) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Decide the months a spend file is for (anchor/loading/months.py) and list its strays,
    each with its date. Strays are left out, or kept as lines added to their own months
    (never replacing them; a stray the warehouse already holds line for line is not added
    twice). Returns the rows to write and their organisation-months (`_month_slices`)."""
    month = rows["paid_date"].dt.to_period("M").dt.start_time
    chosen, phrase = months.file_months(month, result.file_name)
    stray = ~month.dt.date.isin(chosen)
    result.file_months = chosen
    result.strays = pd.DataFrame({
        "row": rows.index[stray], "org_code": rows["org_code"][stray].to_numpy(),
        "paid_date": rows["paid_date"][stray].to_numpy(),
        "month_start": month[stray].to_numpy(), "amount_gbp": rows["amount_gbp"][stray].to_numpy(),
    })
    if stray.any():
        issues.whole(months.rule_sentence(chosen, phrase, int(stray.sum()), result.stray_rows),
                     column="paid_date", severity="warning")
        issues.rows(stray, "paid_date", raw_paid,
                    months.stray_problem(month, result.stray_rows, chosen), severity="warning")
    if result.stray_rows == months.LEAVE_OUT:
        keep = ~stray
    else:
        held = (_already_held(wh, rows[stray]).reindex(rows.index, fill_value=False)
                if stray.any() else stray)
        keep = ~held
        issues.rows(held, "paid_date", raw_paid,
                    "A stray the warehouse already holds, line for line: not added again.",
                    severity="warning")
    return rows[keep], _month_slices(rows[keep], chosen)


def _already_held(wh, rows: pd.DataFrame) -> pd.Series:
    """Lines the warehouse holds already: the same organisation, payment date, supplier,
    category and amount."""
    key = ["org_code", "paid_date", "supplier_id", "category", "pence"]
    mine = rows.assign(paid_date=rows["paid_date"].dt.date,
                       pence=(pd.to_numeric(rows["amount_gbp"]) * 100).round().astype("int64"))
    held = wh.df(
        "select distinct org_code, paid_date, supplier_id, category,"
        " (amount_gbp * 100)::bigint as pence from spend"
        " where org_code = any(?) and paid_date = any(?)",
        [sorted(set(mine["org_code"])), sorted(set(mine["paid_date"]))])
    held["paid_date"] = pd.to_datetime(held["paid_date"]).dt.date
    found = mine[key].merge(held.assign(_held=True), on=key, how="left")["_held"]
    return pd.Series(found.fillna(False).astype(bool).to_numpy(), index=rows.index)


def _month_slices(rows: pd.DataFrame, file_months: list[date]) -> pd.DataFrame:
    """Each organisation-month the rows fill: org_code, quarter_start, month_start, rows,
    gbp (their £), and `replaces`: whether the load replaces it (one of the file's months)
    or only adds to it (strays kept in their own months)."""
    out = (rows.assign(month_start=rows["paid_date"].dt.to_period("M").dt.start_time,
                       gbp=pd.to_numeric(rows["amount_gbp"]))
           .groupby(["org_code", "quarter_start", "month_start"], as_index=False)
           .agg(rows=("gbp", "size"), gbp=("gbp", "sum"))
           .sort_values(["org_code", "month_start"]).reset_index(drop=True))
    out["replaces"] = out["month_start"].dt.date.isin(file_months)
    return out


SLICED_KINDS = ("spend", "workforce", "estate")
SHRINK_WARNING = 0.5  # a slice the file gives fewer than half its rows is probably a mistake
# What each sliced table holds now, per slice (org_code, the slice's start, rows_now). Spend
# is sliced by month of payment (a line with no payment date by its quarter's first month).
MONTH_OF_PAYMENT = "date_trunc('month', coalesce({t}.paid_date, {t}.quarter_start))::date"
_ROWS_NOW = {
    "spend": "select org_code, " + MONTH_OF_PAYMENT.format(t="spend") + " as month_start,"
             " count(*) as rows_now from spend"
             " where org_code = any(?) and quarter_start = any(?) group by all",
    **{t: f"select org_code, quarter_start, count(*) as rows_now from {t}"
          " where org_code = any(?) and quarter_start = any(?) group by all"
       for t in ("workforce", "estate")},
}


def _shrinking_slices(wh, spec: TableSpec, slices: pd.DataFrame, issues: Issues) -> None:
    """Warn where the file holds far fewer rows for an organisation-month (spend) or
    -quarter than the warehouse does: a few stray lines would replace the whole of it."""
    if slices is None or slices.empty:
        return
    by_month = spec.key == "spend"
    start = "month_start" if by_month else "quarter_start"
    if by_month:
        slices = slices[slices["replaces"]]
    keys = slices[["org_code", start]].assign(**{start: pd.to_datetime(slices[start]).dt.date})
    quarters = sorted(set(pd.to_datetime(slices["quarter_start"]).dt.date))
    now = wh.df(_ROWS_NOW[spec.key], [sorted(set(keys["org_code"])), quarters])
    if now.empty:
        return
    now[start] = pd.to_datetime(now[start]).dt.date
    merged = keys.assign(rows=slices["rows"].to_numpy()).merge(
        now, on=["org_code", start], how="inner")
    for r in merged[merged["rows"] < merged["rows_now"] * SHRINK_WARNING].itertuples():
        if by_month:
            issues.whole(
                f"{r.org_code} {month_label(r.month_start)}: the file has "
                f"{plural(int(r.rows), 'line')} for it, which would replace the "
                f"{int(r.rows_now):,} there now. Loading it asks you to confirm (--yes on the "
                "command line); check the file's dates if that is not meant.",
                column="paid_date", severity="warning")
            continue
        issues.whole(
            f"{r.org_code} {quarter_label(r.quarter_start)}: the file has "
            f"{plural(int(r.rows), 'row')} for it, which would replace the "
            f"{int(r.rows_now):,} there now: a load replaces the whole organisation-quarter. "
            "If that is not meant, check the file's dates (a line in the wrong quarter?).",
            column="quarter_start", severity="warning")


def _labels(u: pd.Series) -> pd.Series:
    return pd.Series([quarter_label(date.fromisoformat(v)) if v else "" for v in u],
                     index=u.index, dtype="str")


def _spend_suppliers(cells: pd.DataFrame, ref: Reference, issues: Issues):
    """Supplier ids for every line: by id (in any case), else by name (normalised) from the
    register. Suppliers not in the register are added with no postcode (a warning each)."""
    ids = parse.text(_col(cells, "supplier_id")).values
    names = parse.text(_col(cells, "supplier_name")).values
    register = ref.suppliers
    norm_register = parse.normalise_names(register["name"].astype("str"))
    by_name = dict(zip(norm_register[::-1], register["supplier_id"][::-1]))  # first id wins
    norm = parse.by_unique(names, parse.normalise_names)

    by_id = _register_ids(ids, register, issues, "supplier_id", _col(cells, "supplier_id"))
    matched = norm.map(by_name).astype("str").fillna("")
    out = by_id.where(by_id != "", matched.where(ids == "", ""))
    unknown_id = (ids != "") & (by_id == "")
    issues.rows(unknown_id & (names == ""), "supplier_id", _col(cells, "supplier_id"),
                "Not in the supplier register, and the row has no supplier name to add it by. "
                "Load the supplier register first.")
    issues.rows((ids == "") & (names == ""), "supplier_name", names,
                "Missing: every row needs a supplier (an id or a name).")
    issues.rows((names != "") & (norm == "") & (out == ""), "supplier_name", names,
                "Not a supplier name.")
    new = (out == "") & (names != "") & (norm != "") & ~((ids != "") & (names == ""))
    new_ids = ids.where(unknown_id, parse.new_supplier_ids(norm))
    out = out.where(~new, new_ids)
    firsts = new & ~out.duplicated()
    issues.rows(firsts, "supplier_name", names,
                "Not in the supplier register: it will be added with no postcode, so where its "
                "spend goes is not known (local shares leave it out) until the register gives "
                "one.", severity="warning")
    # the names that choose a supplier: those of lines with no id the register knows
    _look_alikes(issues, names.where(by_id == "", ""), "supplier_name", register["name"],
                 "supplier")
    new_suppliers = pd.DataFrame({"supplier_id": out[firsts].to_numpy(),
                                  "name": names[firsts].to_numpy()})
    # the numbers a file gives for a supplier it adds: the first on any of its lines
    for col, ours in (("supplier_vat_number", "vat_number"),
                      ("supplier_company_number", "company_number")):
        given = parse.text(_col(cells, col)).values.str.replace(" ", "", regex=False).str.upper()
        first = (pd.DataFrame({"supplier_id": out, "n": given})[new & (given != "")]
                 .drop_duplicates("supplier_id").set_index("supplier_id")["n"])
        new_suppliers[ours] = new_suppliers["supplier_id"].map(first)
    return out, new_suppliers


def _register_ids(ids: pd.Series, register: pd.DataFrame, issues: Issues, column: str,
                  shown: pd.Series) -> pd.Series:
    """The register's id for each id given, compared in any case ('' where it has none):
    s09001 is the register's S09001, and is written as the register spells it, so one
    supplier never becomes two. Each other spelling is named once, as a warning."""
    spelled = dict(zip(register["supplier_id"].str.upper(), register["supplier_id"]))
    out = ids.str.upper().map(spelled).astype("str").fillna("")
    other = (out != "") & (out != ids)
    issues.rows(other & ~ids.duplicated(), column, shown,
                ids.map(repr) + " is " + out.map(repr) + " in the supplier register (ids compare "
                "in any case): taken as that supplier.", severity="warning")
    return out


def _look_alikes(issues: Issues, names: pd.Series, column: str, known: pd.Series,
                 what: str) -> None:
    """Warn where a name in the file looks like another spelling, earlier in the file or in
    the warehouse (`known`), naming both: spellings that differ only in case are one `what`,
    and say so; spellings that differ only in accents, in letters of another script drawn
    alike (Cyrillic а for Latin a), or in spacing and punctuation are two, and may be one.
    Spellings the matching deliberately takes as one ('&' and 'and', Ltd and Limited) are
    not warned of: they are the same name."""
    given = names[names != ""]
    firsts = given[~given.duplicated()]  # each spelling, on the row it first appears
    if firsts.empty:
        return
    known = known.astype("str")
    known = known[~known.isin(set(firsts))].drop_duplicates()
    found = pd.concat([
        pd.DataFrame({"spelling": known.to_numpy(), "row": pd.NA}),
        pd.DataFrame({"spelling": firsts.to_numpy(), "row": firsts.index.to_numpy()}),
    ], ignore_index=True)
    found["key"] = parse.normalise_names(found["spelling"])
    found["look"] = parse.look_alike_keys(found["spelling"])
    found = found[found["look"] != ""]
    # each look-alike group's first spelling (the register's, or the file's earliest) is the
    # one the others are compared with; whole columns at a time, as a year of files names
    # thousands of suppliers
    group = found[found.duplicated("look", keep=False)]
    head = group.groupby("look", sort=False).cumcount() == 0
    first = group[head].set_index("look")
    other = first.reindex(group["look"]).set_axis(group.index)
    compared = group[~head & group["row"].notna()]
    other = other.loc[compared.index]
    problems = {}
    for spelling, row, key, o_spelling, o_row, o_key in zip(
            compared["spelling"], compared["row"], compared["key"], other["spelling"],
            other["row"], other["key"]):
        where = "in the warehouse" if pd.isna(o_row) else f"on row {int(o_row)}"
        if key != o_key:
            problems[row] = (
                f"{spelling!r} looks like {o_spelling!r} {where}: they differ only in accents, "
                "look-alike letters (such as Cyrillic а for Latin a), spacing or "
                f"punctuation, so they count as two {what}s. If they are one, spell them "
                "alike.")
        elif _folded(spelling) == _folded(o_spelling):
            problems[row] = (f"{spelling!r} and {o_spelling!r} {where} differ only in case: "
                             f"counted as one {what}.")
    problem = pd.Series(problems, dtype="str").reindex(names.index)
    issues.rows(problem.notna(), column, names, problem, severity="warning")


def _folded(name: str) -> str:
    return unicodedata.normalize("NFKC", name).casefold()


def _slices(rows: pd.DataFrame) -> pd.DataFrame:
    return (rows.groupby(["org_code", "quarter_start"], as_index=False).size()
            .rename(columns={"size": "rows"}).sort_values(["org_code", "quarter_start"])
            .reset_index(drop=True))


def _check_workforce(wh, cells: pd.DataFrame, ref: Reference, issues: Issues,
                     quarter: date | None, progress: Progress, whole: pd.DataFrame):
    progress(0.10, "Checking organisations")
    org = _organisations(cells, ref, issues)
    q = _quarter_column(cells, issues, required=True, quarter=quarter)
    progress(0.30, "Checking home LSOAs")
    raw_lsoa = _col(cells, "home_lsoa")
    lsoa = parse.lsoa_codes(raw_lsoa)
    issues.rows(lsoa.bad, "home_lsoa", raw_lsoa,
                "Not an LSOA code (E01 or W01 and six digits, e.g. E01010104).")
    known = _known(wh, "select lsoa_code from geo_lsoa where lsoa_code = any(?)", lsoa.values)
    unknown = (lsoa.values != "") & ~lsoa.values.isin(known)
    issues.rows(unknown & ~lsoa.values.duplicated(), "home_lsoa", raw_lsoa,
                "Not an LSOA in the geography: these staff count as not placed.",
                severity="warning")
    progress(0.50, "Checking numbers")
    head = _integers(cells, issues, "headcount", True, "a headcount")
    fte = _numbers(cells, issues, "fte", True, "full-time equivalent (FTE)")
    pay = _money(cells, issues, "gross_pay_gbp", required=True, negative_ok=False)
    counts = {c: _integers(cells, issues, c, False, what) for c, what in (
        ("starters", "a count of starters"), ("apprentices", "a count of apprentices"),
        ("below_living_wage", "a count of staff"))}
    issues.rows(fte.values > head.values.astype("float64") * 1.5, "fte", _col(cells, "fte"),
                "More than 1.5 FTE per person: check headcount and FTE.", severity="warning")
    group = parse.text(_col(cells, "staff_group")).values
    band = parse.text(_col(cells, "afc_band")).values
    key = pd.DataFrame({"org": org, "quarter": q, "lsoa": lsoa.values, "group": group,
                        "band": band})
    _duplicates(issues, key, _col(cells, "headcount"), "headcount",
                "the same organisation, quarter, home LSOA, staff group and band")
    if issues.has_errors:
        return None, None, {}
    rows = pd.DataFrame({
        "org_code": org, "quarter_start": q,
        "home_lsoa": lsoa.values.replace("", None),
        "staff_group": group.replace("", None), "afc_band": band.replace("", None),
        "headcount": head.values, "fte": fte.values, "gross_pay_gbp": pay.values,
        **{c: p.values.fillna(0) for c, p in counts.items()},
    })
    return rows, _slices(rows), {}


_ESTATE_NUMBERS = {
    "site_area_ha": "an area", "land_not_delivering_ha": "an area", "gia_m2": "an area",
    "occupied_m2": "an area", "empty_m2": "an area", "underused_m2": "an area",
    "clinical_m2": "an area", "non_clinical_m2": "an area", "energy_kwh": "energy used",
    "carbon_tco2e": "carbon", "community_use_hours": "a number of hours",
}


def _check_estate(wh, cells: pd.DataFrame, ref: Reference, issues: Issues, quarter: date | None,
                  progress: Progress, whole: pd.DataFrame):
    progress(0.10, "Checking organisations and sites")
    org = _organisations(cells, ref, issues)
    q = _quarter_column(cells, issues, required=True, quarter=quarter)
    raw_site = _col(cells, "site_code")
    site = parse.text(raw_site)
    _required(issues, site, "site_code", raw_site, "a site code")
    site_org = dict(zip(ref.sites["site_code"].str.upper(), ref.sites["org_code"]))
    site_code = dict(zip(ref.sites["site_code"].str.upper(), ref.sites["site_code"]))
    upper = site.values.str.upper()
    owner = upper.map(site_org).fillna("")
    issues.rows((owner == "") & ~site.missing, "site_code", raw_site,
                "Not a site in the warehouse.")
    issues.rows((owner != "") & (org != "") & (owner != org), "site_code", raw_site,
                "This site belongs to another organisation.")
    progress(0.40, "Checking areas and costs")
    values = {c: _numbers(cells, issues, c, False, what) for c, what in _ESTATE_NUMBERS.items()}
    backlog = _money(cells, issues, "backlog_cost_gbp", required=False, negative_ok=False)
    idle, area = values["land_not_delivering_ha"].values, values["site_area_ha"].values
    issues.rows(idle > area, "land_not_delivering_ha", _col(cells, "land_not_delivering_ha"),
                "More than the site's area.", severity="warning")
    key = pd.DataFrame({"org": org, "site": upper, "quarter": q})
    _duplicates(issues, key, raw_site, "site_code", "the same site and quarter")
    if issues.has_errors:
        return None, None, {}
    rows = pd.DataFrame({
        "org_code": org, "site_code": upper.map(site_code), "quarter_start": q,
        **{c: p.values for c, p in values.items()},
        "backlog_cost_gbp": backlog.values.replace("", None),
    })
    return rows, _slices(rows), {}


def _check_supplier(wh, cells: pd.DataFrame, ref: Reference, issues: Issues,
                    quarter: date | None, progress: Progress, whole: pd.DataFrame):
    progress(0.10, "Checking suppliers")
    raw_id = _col(cells, "supplier_id")
    sid = parse.text(raw_id)
    _required(issues, sid, "supplier_id", raw_id, "a supplier id")
    name = parse.text(_col(cells, "name"))
    _required(issues, name, "name", _col(cells, "name"), "a supplier name")
    in_register = _register_ids(sid.values, ref.suppliers, issues, "supplier_id", raw_id)
    ids = in_register.where(in_register != "", sid.values)
    _duplicates(issues, ids.str.upper().to_frame(), raw_id, "supplier_id",
                "the same supplier id (ids compare in any case); each supplier appears once")
    others = ref.suppliers[~ref.suppliers["supplier_id"].isin(set(ids))]
    _look_alikes(issues, name.values, "name", others["name"], "supplier")
    progress(0.30, "Checking postcodes")
    raw_pc = _col(cells, "postcode")
    pc, messages = parse.postcodes(raw_pc)
    issues.rows(pc.bad, "postcode", raw_pc, messages)
    known = _known(wh, PLACEABLE_POSTCODES_SQL, pc.values)
    unknown = (pc.values != "") & ~pc.values.isin(known)
    issues.rows(unknown, "postcode", raw_pc,
                "Not a postcode the geography can place (new, mistyped, or one of the few it "
                "knows without a location): this supplier's spend counts as not placed.",
                severity="warning")
    issues.rows(pc.missing & ~sid.missing, "postcode", raw_pc,
                "No postcode: this supplier's spend counts as not placed.", severity="warning")
    flags = {}
    for c in ("is_sme", "is_vcse", "is_public_body"):
        raw = _col(cells, c)
        p = parse.flag(raw)
        issues.rows(p.bad, c, raw, "Not yes or no.")
        flags[c] = p.values
    if issues.has_errors:
        return None, None, {}
    rows = pd.DataFrame({
        "supplier_id": ids, "name": name.values, "postcode": pc.values.replace("", None),
        "company_number": parse.text(_col(cells, "company_number")).values.replace("", None),
        **flags,
    })
    slices = pd.DataFrame({"org_code": [None], "quarter_start": [pd.NaT], "rows": [len(rows)]})
    return rows, slices, {}


# -- organisations (with their footprints) and sites -----------------------------------------

# Codes are upper-cased; letters and digits (a hyphen or underscore allowed after the first).
CODE_PATTERN = r"[A-Z0-9][A-Z0-9_-]{0,19}"
NO_HOME_KM = 10  # what 'local' falls back to for a footprint with no home local authorities


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


def _lad_key(name: pd.Series | str) -> str:
    """How a local authority's name is matched: case, punctuation and '&'/'and' aside."""
    text = str(name).lower().replace("&", " and ")
    return " ".join("".join(ch if ch.isalnum() else " " for ch in text).split())


@dataclass(frozen=True)
class _Lads:
    by_code: dict[str, str]  # upper-case code -> code
    by_name: dict[str, str]  # matching key -> code
    names: dict[str, str]  # code -> name


def _lads(wh) -> _Lads:
    """Local authorities by ONS code and by name. 'Bristol, City of' is also found as
    'City of Bristol' and 'Bristol'."""
    by_code, by_name, names = {}, {}, {}
    for code, name in wh.rows("select lad_code, lad_name from geo_lad order by lad_code"):
        by_code[code.upper()] = code
        names[code] = name
        by_name[_lad_key(name)] = code
        head, _, tail = name.partition(", ")
        if tail.lower().startswith(("city of", "county of")):
            by_name.setdefault(_lad_key(f"{tail} {head}"), code)
            by_name.setdefault(_lad_key(head), code)
    return _Lads(by_code, by_name, names)


# How people also write a local authority's name: 'City of Wolverhampton', 'Sandwell Council'.
_LAD_PREFIXES = ("city of ", "county of ", "london borough of ", "royal borough of ",
                 "borough of ")
_LAD_SUFFIXES = (" metropolitan borough council", " city council", " borough council",
                 " district council", " county council", " council")


def _lad_by_name(item: str, lads: _Lads) -> str | None:
    key = _lad_key(item)
    if key in lads.by_name:
        return lads.by_name[key]
    for prefix in _LAD_PREFIXES:
        key = key.removeprefix(prefix)
    for suffix in _LAD_SUFFIXES:
        if key.endswith(suffix):
            key = key.removesuffix(suffix)
            break
    return lads.by_name.get(key)


def _resolve_lads(cell: str, lads: _Lads) -> tuple[list[str], list[str]]:
    """A cell such as 'Sandwell; E08000025' -> (codes, the items not recognised)."""
    codes, unknown = [], []
    for item in (i.strip() for i in cell.split(";")):
        if not item:
            continue
        code = lads.by_code.get(item.upper()) or _lad_by_name(item, lads)
        if code is None:
            unknown.append(item)
        elif code not in codes:
            codes.append(code)
    return sorted(codes), unknown


def _unknown_lad_message(item: str, lads: _Lads) -> str:
    names = list(lads.names.values())
    close = difflib.get_close_matches(item, names, n=1, cutoff=0.75)
    if not close:
        by_key = {_lad_key(n): n for n in names}
        close = [by_key[k] for k in difflib.get_close_matches(_lad_key(item), list(by_key), n=1,
                                                              cutoff=0.75)]
    hint = f" Did you mean {close[0]}?" if close else ""
    return (f"{item!r} is not a local authority in the geography.{hint} Give each by its ONS "
            "code (e.g. E08000028) or its name, separated by ;.")


def _check_organisation(wh, cells: pd.DataFrame, ref: Reference, issues: Issues,
                        quarter: date | None, progress: Progress, whole: pd.DataFrame):
    progress(0.10, "Checking organisations")
    code = _codes(cells, issues, "org_code", "an ODS code", "RXK")
    name = _required_text(cells, issues, "name", "the organisation's name")
    org_type = _required_text(cells, issues, "org_type",
                              "a kind of organisation, such as Acute trust")
    fp = _codes(cells, issues, "footprint_code", "a footprint code", "BCWB")
    _repeated_codes(issues, code, "org_code", cells,
                    "the same organisation code; each organisation appears once")
    raw_pc = _col(cells, "postcode")
    pc, messages = parse.postcodes(raw_pc)
    issues.rows(pc.bad, "postcode", raw_pc, messages)
    progress(0.30, "Checking footprints")
    fp_name = parse.text(_col(cells, "footprint_name")).values
    raw_lads = _col(cells, "home_local_authorities")
    lad_cells = parse.text(raw_lads).values
    footprints = wh.df("select footprint_code, name, is_demo from footprint")
    known_names = dict(zip(footprints["footprint_code"], footprints["name"]))
    demo_fps = set(footprints.loc[footprints["is_demo"].astype(bool), "footprint_code"])
    homes = {f: sorted(c) for f, c in wh.rows(
        "select footprint_code, list(lad_code) from footprint_lad group by footprint_code")}

    # every footprint's name, once: the first given, the same wherever given again
    given = fp_name[(fp.values != "") & (fp_name != "")]
    first_name = given.groupby(fp.values[given.index], sort=False).first()
    first_row = given.index.to_series().groupby(fp.values[given.index], sort=False).first()
    other = (fp_name != "") & (fp.values != "") & (fp_name != fp.values.map(first_name))
    issues.rows(other, "footprint_name", _col(cells, "footprint_name"),
                "Footprint " + fp.values + " is named " + fp.values.map(first_name).map(repr)
                + " on row " + fp.values.map(first_row).astype("Int64").astype("str")
                + ": give a footprint one name.")
    in_file = fp.values[fp.values != ""]
    firsts = in_file[~in_file.duplicated()]
    unnamed = firsts[~firsts.isin(known_names) & ~firsts.isin(first_name.index)]
    issues.rows(_at(cells, unnamed.index), "footprint_name",
                _col(cells, "footprint_name"),
                fp.values + " is a new footprint: give its name (on at least one of its rows).")

    progress(0.50, "Checking home local authorities")
    lads = _lads(wh) if (lad_cells != "").any() else None
    home: dict[str, list[str]] = {}  # footprint -> the codes its rows give
    home_row: dict[str, int] = {}
    if lads is not None and not lads.by_code:
        issues.whole("The warehouse has no geography yet, so local authorities cannot be "
                     "checked: run `anchor geo build` (or start the app once) first.",
                     column="home_local_authorities")
    elif lads is not None:
        unknown_problem, differs = {}, {}
        for row, cell in lad_cells[lad_cells != ""].items():
            codes, unknown = _resolve_lads(cell, lads)
            if unknown:
                unknown_problem[row] = " ".join(_unknown_lad_message(u, lads) for u in unknown)
                continue
            f = fp.values.at[row]
            if not f or not codes:
                continue
            if f not in home:
                home[f], home_row[f] = codes, row
            elif codes != home[f]:
                differs[row] = (f"Footprint {f} has other home local authorities on row "
                                f"{home_row[f]}: give the same list on every row, or on one "
                                "row only.")
        for found in (unknown_problem, differs):
            problem = pd.Series(found, dtype="str").reindex(cells.index)
            issues.rows(problem.notna(), "home_local_authorities", raw_lads, problem)
    with_lads = set(fp.values[lad_cells != ""])
    homeless = firsts[~firsts.isin(list(homes)) & ~firsts.isin(with_lads)]
    issues.rows(_at(cells, homeless.index), "footprint_code",
                fp.values,
                fp.values + " has no home local authorities: until it has, 'local' means "
                f"within {NO_HOME_KM} km of its organisations' sites. Give them in "
                "home_local_authorities.", severity="warning")

    progress(0.70, "Comparing with the warehouse")
    now = wh.df("select org_code, footprint_code, is_demo from organisation")
    old_fp = code.values.map(dict(zip(now["org_code"], now["footprint_code"]))).astype("str")
    moves = old_fp.notna() & (fp.values != "") & (old_fp != fp.values)
    issues.rows(moves, "footprint_code", _col(cells, "footprint_code"),
                "Moves from footprint " + old_fp.fillna("") + " to " + fp.values + ".",
                severity="warning")
    demo_orgs = set(now.loc[now["is_demo"].astype(bool), "org_code"])
    issues.rows(code.values.isin(demo_orgs), "org_code", _col(cells, "org_code"),
                "A demo organisation: this entry replaces it and stays when the demo is "
                "removed; the demo's spend, staff and estates for it go with the demo.",
                severity="warning")
    if issues.has_errors:
        return None, None, {}

    rows = pd.DataFrame({"org_code": code.values, "name": name, "org_type": org_type,
                         "footprint_code": fp.values,
                         "postcode": pc.values.replace("", None)})
    # a footprint is written when it is new, renamed, or the demo's (which becomes yours)
    fp_rows = []
    for f in firsts:
        new_name = first_name.get(f)
        if f not in known_names or f in demo_fps or (new_name and new_name != known_names[f]):
            fp_rows.append((f, new_name or known_names[f]))
    adopted = [f for f, _ in fp_rows if f in demo_fps]
    if adopted:
        issues.whole(f"{', '.join(adopted)} is the demo footprint: it becomes yours, with its "
                     "home local authorities, and stays when the demo is removed.",
                     column="footprint_code", severity="warning")
    lad_rows = [(f, c) for f, codes in home.items() if codes != homes.get(f) for c in codes]
    slices = pd.DataFrame({"org_code": rows["org_code"], "quarter_start": pd.NaT, "rows": 1})
    return rows, slices, {
        "footprint": pd.DataFrame(fp_rows, columns=["footprint_code", "name"], dtype="str"),
        "footprint_lad": pd.DataFrame(lad_rows, columns=["footprint_code", "lad_code"],
                                      dtype="str"),
    }


def _check_site(wh, cells: pd.DataFrame, ref: Reference, issues: Issues, quarter: date | None,
                progress: Progress, whole: pd.DataFrame):
    progress(0.10, "Checking sites")
    code = _codes(cells, issues, "site_code", "a site code", "RXK02")
    org = _organisations(cells, ref, issues,
                         hint="Load it in an organisations file first, or use its ODS code.")
    name = _required_text(cells, issues, "name", "the site's name")
    _repeated_codes(issues, code, "site_code", cells,
                    "the same site code; each site appears once")
    progress(0.40, "Checking postcodes")
    raw_pc = _col(cells, "postcode")
    pc, messages = parse.postcodes(raw_pc)
    issues.rows(pc.bad, "postcode", raw_pc, messages)
    _required(issues, pc, "postcode", raw_pc, "a postcode, to place the site")
    known = _known(wh, PLACEABLE_POSTCODES_SQL, pc.values)
    unknown = (pc.values != "") & ~pc.values.isin(known)
    issues.rows(unknown, "postcode", raw_pc,
                pc.values + " is not a postcode the geography can place (new, mistyped, or "
                "known without a location): the site is left off the maps, out of distances "
                "from the sites and out of every place until it has one.", severity="warning")
    owner = code.values.map(dict(zip(ref.sites["site_code"].str.upper(),
                                     ref.sites["org_code"]))).astype("str")
    moves = owner.notna() & (org != "") & (owner != org)
    issues.rows(moves, "org_code", _col(cells, "org_code"),
                "Site " + code.values + " moves from " + owner.fillna("") + " to " + org
                + "; its earlier estates returns stay with " + owner.fillna("") + ".",
                severity="warning")
    if issues.has_errors:
        return None, None, {}
    rows = pd.DataFrame({"site_code": code.values, "org_code": org, "name": name,
                         "postcode": pc.values})
    slices = (rows.groupby("org_code", as_index=False).size().rename(columns={"size": "rows"})
              .assign(quarter_start=pd.NaT)[["org_code", "quarter_start", "rows"]])
    return rows, slices, {}


_CHECKERS = {
    "spend": _check_spend,
    "workforce": _check_workforce,
    "estate": _check_estate,
    "supplier": _check_supplier,
    "organisation": _check_organisation,
    "site": _check_site,
}


# -- several files at once: a year of monthly files ---------------------------------------------

def check_many(wh, raws: list[RawFile], spec: TableSpec, *, quarter: date | None = None,
               stray_rows: str = months.LEAVE_OUT, org: str | None = None,
               skip_bad_rows: bool = False, progress: Progress = no_progress) -> CheckedFile:
    """Several spend files checked together, as one load: each is checked as it would be on
    its own (its months, strays and choices), then their lines are joined, to be previewed
    and written in one transaction (one load id, undone as one). Two files for the same
    organisation-month are refused: one would replace the other."""
    if len(raws) == 1:
        return check(wh, raws[0], spec, quarter=quarter, stray_rows=stray_rows, org=org,
                     skip_bad_rows=skip_bad_rows, progress=progress)
    if spec.key != "spend":
        raise ValueError(f"{spec.label} loads one file at a time; several files at once are "
                         "for spend (a year of monthly files).")
    each: list[CheckedFile] = []
    for i, raw in enumerate(raws):
        share = 0.95 / len(raws)
        each.append(check(wh, raw, spec, quarter=quarter, stray_rows=stray_rows, org=org,
                          skip_bad_rows=skip_bad_rows,
                          progress=lambda f, m, i=i, share=share: progress(
                              i * share + f * share, f"{raws[i].name}: {m}")))
    return combine(each)


def combine(each: list[CheckedFile]) -> CheckedFile:
    """The checked files as one: their reports joined, and when none has an error, their
    lines, organisation-months, new suppliers, confirmed spellings and councils."""
    first = each[0]
    names = [c.file_name for c in each]
    sha = hashlib.sha256("\n".join(c.sha256 for c in each).encode()).hexdigest()
    encodings = sorted({c.encoding for c in each})
    kinds = sorted({c.layout.kind for c in each})
    layout = first.layout if len(kinds) == 1 else dataclasses.replace(
        first.layout, kind=", ".join(kinds))
    issues = [c.issues for c in each]
    ok = all(c.ok for c in each)
    clash = _same_months(each) if ok else pd.DataFrame()
    if not clash.empty:
        issues.append(clash)
    out = CheckedFile(
        ", ".join(names), sha, sum(c.size_bytes for c in each), ", ".join(encodings),
        first.spec, layout, first.columns, ordered(pd.concat(issues, ignore_index=True)),
        quarter=first.quarter, stray_rows=first.stray_rows)
    # a choice every file shares is said once; the others with their file's name
    shared = [ch for ch in dict.fromkeys(ch for c in each for ch in c.choices)
              if all(ch in c.choices for c in each)]
    out.choices = shared + [f"{c.file_name}: {ch}" for c in each for ch in c.choices
                            if ch not in shared]
    out.org_proposals = {k: v for c in each for k, v in c.org_proposals.items()}
    if not ok or not clash.empty:
        return out
    out.rows = pd.concat([c.rows for c in each], ignore_index=True)
    out.file_months = sorted({m for c in each for m in c.file_months})
    replaced = pd.concat([c.slices[c.slices["replaces"]] for c in each])
    keys = set(zip(replaced["org_code"], replaced["month_start"].dt.date))
    out.slices = _month_slices(out.rows, [])
    out.slices["replaces"] = [(o, m.date()) in keys for o, m in
                              zip(out.slices["org_code"], out.slices["month_start"])]
    out.strays = pd.concat([c.strays.assign(file=c.file_name) for c in each],
                           ignore_index=True)
    out.skipped_rows = [r for c in each for r in c.skipped_rows]
    out.new_suppliers = _joined(each, "new_suppliers", "supplier_id")
    out.aliases = _joined(each, "aliases", "alias_key")
    out.new_organisations = _joined(each, "new_organisations", "org_code")
    return out


def _joined(each: list[CheckedFile], attr: str, key: str) -> pd.DataFrame:
    frames = [getattr(c, attr) for c in each if not getattr(c, attr).empty]
    if not frames:
        return pd.DataFrame()
    return pd.concat(frames, ignore_index=True).drop_duplicates(key).reset_index(drop=True)


def _same_months(each: list[CheckedFile]) -> pd.DataFrame:
    """An error for each organisation-month that two of the files are for."""
    seen: dict[tuple[str, date], str] = {}
    out = []
    for c in each:
        for r in c.slices[c.slices["replaces"]].itertuples():
            key = (r.org_code, r.month_start.date())
            if key in seen:
                out.append({"file": c.file_name, "row": pd.NA, "column": "paid_date",
                            "value": "", "severity": "error",
                            "problem": f"{seen[key]} and {c.file_name} are both for "
                                       f"{r.org_code} {month_label(key[1])}: one would replace "
                                       "the other. Load only one of them."})
            else:
                seen[key] = c.file_name
    return pd.DataFrame(out, columns=ISSUE_COLUMNS)
