"""The supplier register's check, and the matching of supplier ids and names against the
register that a spend file's check shares: ids compare in any case, and names that look
alike are warned of."""

from __future__ import annotations

import unicodedata
from datetime import date

import pandas as pd

from anchor.loading import parse
from anchor.loading.validation.cells import _col, _duplicates, _required
from anchor.loading.validation.common import PLACEABLE_POSTCODES_SQL, Issues, Progress, Reference, _known


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
