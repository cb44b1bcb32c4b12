"""Check a file before anything is written: every problem with its file, row, column and value.

`check` turns a `RawFile` into a `CheckedFile`: the layout found, the columns read (from a
national file, ODS's or ERIC's, the rows of organisations held), formulas refused, then the
table's own check (a module of this package each); `check_many` checks a year of monthly
spend files as one load."""

from __future__ import annotations

import dataclasses
import hashlib
from datetime import date

import pandas as pd

from anchor.loading import months, parse
from anchor.loading.layouts import (
    NOT_STATED_CATEGORY,
    ODS_KIND,
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
from anchor.loading.validation.cells import _col
from anchor.loading.validation.common import (
    ISSUE_COLUMNS,
    CheckedFile,
    Issues,
    Progress,
    _choose,
    _some,
    no_progress,
    ordered,
    plural,
    reference,
)
from anchor.loading.validation.estate import _check_estate
from anchor.loading.validation.organisation import _check_organisation, _icb_home_lads, _unnamed_footprints
from anchor.loading.validation.site import _check_site
from anchor.loading.validation.slices import SLICED_KINDS, _shrinking_slices
from anchor.loading.validation.spend import _check_spend, _month_slices, _settle_months, _unnamed_organisation
from anchor.loading.validation.supplier import _check_supplier
from anchor.loading.validation.workforce import _check_workforce
from anchor.periods import month_label, quarter_label


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


_CHECKERS = {
    "spend": _check_spend,
    "workforce": _check_workforce,
    "estate": _check_estate,
    "supplier": _check_supplier,
    "organisation": _check_organisation,
    "site": _check_site,
}



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
