"""The organisations check, with their footprints and the footprints' home local
authorities (by ONS code or by name, as people write them), and the home place an ICB's
footprint takes from the geography."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import date

import pandas as pd

from anchor.loading import parse
from anchor.loading.validation.cells import _at, _codes, _col, _repeated_codes, _required_text
from anchor.loading.validation.common import Issues, Progress, Reference
from anchor.queries import geo


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


NO_HOME_KM = 10  # what 'local' falls back to for a footprint with no home local authorities


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
