"""Reference files an analyst uploads besides the quarterly data: the LM3 supplier and staff
surveys, and the local supplier directory. Read like every other file (CSV or XLSX, any of
the encodings analysts save in), checked cell by cell with the same report, and saved in one
transaction that the `load` table records.

- Supplier survey: one row per local supplier that answered; replaces those suppliers' answers.
- Staff survey: one row per organisation; replaces those organisations' results.
- Directory: the whole list of local businesses; replaces every entry not from the demo.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pandas as pd

from anchor import spreadsheets
from anchor.auth import User, writes
from anchor.db import bump_data_version
from anchor.loading import parse
from anchor.loading.layouts import norm_header
from anchor.loading.readers import RawFile
from anchor.loading.validation import LARGEST, Issues


@dataclass(frozen=True)
class RefColumn:
    name: str
    required: bool
    help: str
    example: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class RefSpec:
    key: str
    label: str
    table: str
    columns: tuple[RefColumn, ...]
    replaces: str


SPECS = {
    s.key: s
    for s in [
        RefSpec("supplier_survey", "LM3 supplier survey", "supplier_survey", (
            RefColumn("supplier", True, "The supplier's id in the register, or its name",
                      "Tipton Catering Ltd", ("supplier id", "supplier name", "name")),
            RefColumn("local_spend_share", True,
                      "Share of its spending on goods and services with local suppliers (45% or 0.45)",
                      "45%", ("local spend share", "local spend")),
            RefColumn("local_payroll_share", True,
                      "Share of its payroll paid to people living locally (80% or 0.8)", "80%",
                      ("local payroll share", "local payroll", "local wages")),
            RefColumn("surveyed_on", False, "When it answered (dd/mm/yyyy)", "01/11/2025",
                      ("date", "survey date")),
        ), "the answers of every supplier in the file"),
        RefSpec("staff_survey", "LM3 staff survey", "staff_survey", (
            RefColumn("org_code", True, "The organisation's ODS code", "RXK", ("organisation", "org")),
            RefColumn("net_pay_local_share", True,
                      "Share of staff's net pay spent in the place (40% or 0.4)", "40%",
                      ("local spend share", "net pay spent locally")),
            RefColumn("respondents", False, "How many staff answered", "1,240", ("responses",)),
            RefColumn("surveyed_on", False, "When the survey closed (dd/mm/yyyy)", "30/09/2025",
                      ("date", "survey date")),
        ), "the results of every organisation in the file"),
        RefSpec("directory", "local supplier directory", "local_business", (
            RefColumn("name", True, "Business name", "Lye Joinery Ltd", ("business", "business name")),
            RefColumn("postcode", True, "Postcode of its premises", "DY9 8UE", ("post code",)),
            RefColumn("categories", True,
                      "Spend categories it can supply, separated by ';'",
                      "Estates maintenance and construction; Furniture, fittings and equipment",
                      ("category", "can supply")),
            RefColumn("is_sme", False, "Small or medium-sized enterprise: yes or no", "yes", ("sme",)),
            RefColumn("is_vcse", False, "Voluntary, community or social enterprise: yes or no", "no",
                      ("vcse",)),
            RefColumn("health_approved", False, "Approved for health-sector supply: yes or no", "yes",
                      ("approved", "health approved")),
            RefColumn("frameworks", False, "Frameworks it is on", "Crown Commercial Service",
                      ("framework",)),
            RefColumn("description", False, "What it does, in a sentence", "Joinery and fit-out."),
            RefColumn("supplier_id", False, "Its id in the supplier register, if it supplies already",
                      "S00123", ("supplier id",)),
        ), "the whole directory (entries from the demo stay until the demo is removed)"),
    ]
}


@dataclass
class CheckedReference:
    spec: RefSpec
    raw: RawFile
    rows: pd.DataFrame
    issues: pd.DataFrame
    replaces: int = 0

    @property
    def errors(self) -> pd.DataFrame:
        return self.issues[self.issues["severity"] == "error"]

    @property
    def ok(self) -> bool:
        return self.errors.empty and not self.rows.empty


def template_csv(key: str) -> bytes:
    s = SPECS[key]
    return spreadsheets.to_csv_bytes(pd.DataFrame([{c.name: c.example for c in s.columns}]))


def columns_guide(key: str) -> pd.DataFrame:
    return pd.DataFrame([{"Column": c.name, "Required": "Yes" if c.required else "No",
                          "What it holds": c.help} for c in SPECS[key].columns])


def _map_columns(spec: RefSpec, raw: RawFile, issues: Issues) -> dict[str, str]:
    """Ours -> the file's, by name or alias, ignoring case, spaces and punctuation."""
    theirs = {norm_header(c): c for c in raw.columns}
    found = {}
    for col in spec.columns:
        for name in (col.name, col.name.replace("_", " "), *col.aliases):
            if norm_header(name) in theirs:
                found[col.name] = theirs[norm_header(name)]
                break
        else:
            if col.required:
                issues.whole(f"{raw.name} has no {col.name!r} column ({col.help}).", column=col.name)
    return found


def _shares(cells: pd.Series, column: str, issues: Issues, required: bool) -> pd.Series:
    """'45%', '45' and '0.45' all mean 0.45."""
    t = cells.str.strip()
    pct = t.str.endswith("%")
    p = parse.number(t.str.rstrip("%"))
    v = p.values.where(~pct, p.values / 100)
    v = v.where(pct | (v <= 1), v / 100)
    if required:
        issues.rows(p.missing, column, cells, "Missing: every row needs a share.")
    issues.rows(p.bad, column, cells, "Not a number or a percentage.")
    issues.rows(~p.bad & ~p.missing & ((v < 0) | (v > 1)), column, cells,
                "A share must be between 0% and 100%.")
    return v


def check_reference(wh, key: str, raw: RawFile) -> CheckedReference:
    spec = SPECS[key]
    issues = Issues(raw.name)
    mapping = _map_columns(spec, raw, issues)
    if issues.parts:
        return CheckedReference(spec, raw, pd.DataFrame(), issues.frame())
    cells = pd.DataFrame({ours: raw.frame[theirs].astype("str").fillna("")
                          for ours, theirs in mapping.items()}, index=raw.frame.index)
    for col in cells.columns:
        issues.rows(parse.formula_cells(cells[col]), col, cells[col],
                    "Starts with =, +, - or @, so a spreadsheet would run it as a formula; "
                    "remove that character.")
    if key == "supplier_survey":
        rows = _check_supplier_survey(wh, cells, issues)
    elif key == "staff_survey":
        rows = _check_staff_survey(wh, cells, issues)
    else:
        rows = _check_directory(wh, cells, issues)
    replaces = _replaced(wh, key, rows) if not rows.empty else 0
    return CheckedReference(spec, raw, rows, issues.frame(), replaces)


def _surveyed_on(cells: pd.DataFrame, issues: Issues) -> pd.Series:
    if "surveyed_on" not in cells:
        return pd.Series(pd.NaT, index=cells.index)
    p = parse.dates(cells["surveyed_on"])
    issues.rows(p.bad, "surveyed_on", cells["surveyed_on"], "Not a date (use dd/mm/yyyy).")
    return p.values


def _check_supplier_survey(wh, cells: pd.DataFrame, issues: Issues) -> pd.DataFrame:
    register = wh.df("select supplier_id, name from supplier")
    given = cells["supplier"].str.strip()
    issues.rows(given == "", "supplier", cells["supplier"], "Missing: which supplier answered?")
    # ids compare in any case, as a spend file's do: s09001 is the register's S09001
    by_id = given.str.upper().map(dict(zip(register["supplier_id"].str.upper(),
                                           register["supplier_id"])))
    names = dict(zip(parse.normalise_names(register["name"].astype("str")), register["supplier_id"]))
    by_name = parse.normalise_names(given).map(names)
    supplier_id = by_id.fillna(by_name)
    issues.rows(supplier_id.isna() & (given != ""), "supplier", cells["supplier"],
                "Not in the supplier register, by id or by name.")
    dup = supplier_id.notna() & supplier_id.duplicated(keep=False)
    issues.rows(dup, "supplier", cells["supplier"], "The same supplier answers twice.")
    return pd.DataFrame({
        "supplier_id": supplier_id,
        "local_spend_share": _shares(cells["local_spend_share"], "local_spend_share", issues, True),
        "local_payroll_share": _shares(cells["local_payroll_share"], "local_payroll_share", issues, True),
        "surveyed_on": _surveyed_on(cells, issues),
    })


def _check_staff_survey(wh, cells: pd.DataFrame, issues: Issues) -> pd.DataFrame:
    known = {r[0] for r in wh.rows("select org_code from organisation")}
    org = cells["org_code"].str.strip().str.upper()
    issues.rows(~org.isin(known), "org_code", cells["org_code"], "Not an organisation in Anchor.")
    issues.rows(org.duplicated(keep=False), "org_code", cells["org_code"],
                "The same organisation appears twice.")
    respondents = pd.Series(pd.NA, index=cells.index, dtype="Int64")
    if "respondents" in cells:
        p = parse.integer(cells["respondents"])
        issues.rows(p.bad | (p.values < 0).fillna(False), "respondents", cells["respondents"],
                    "Not a whole number of people.")
        largest, shown, why = LARGEST["respondents"]
        issues.rows(p.values > largest, "respondents", cells["respondents"],
                    f"More than {shown}: {why}.")
        respondents = p.values
    return pd.DataFrame({
        "org_code": org,
        "net_pay_local_share": _shares(cells["net_pay_local_share"], "net_pay_local_share",
                                       issues, True),
        "respondents": respondents,
        "surveyed_on": _surveyed_on(cells, issues),
    })


def _check_directory(wh, cells: pd.DataFrame, issues: Issues) -> pd.DataFrame:
    name = cells["name"].str.strip()
    issues.rows(name == "", "name", cells["name"], "Missing: every business needs a name.")
    p, messages = parse.postcodes(cells["postcode"])
    issues.rows(p.missing, "postcode", cells["postcode"], "Missing: where is the business?")
    issues.rows(p.bad, "postcode", cells["postcode"], messages)
    known_pc = {r[0] for r in wh.rows("select postcode from geo_postcode where postcode = any(?)",
                                      [list(set(p.values[p.values != ""]))])}
    issues.rows((p.values != "") & ~p.values.isin(known_pc), "postcode", cells["postcode"],
                "Not a known postcode: the business will not be on the map or counted as local.",
                severity="warning")
    cats = cells["categories"].str.split(r"[;|]", regex=True).map(
        lambda xs: sorted({x.strip() for x in xs if x.strip()}))
    issues.rows(cats.map(len) == 0, "categories", cells["categories"],
                "Missing: what can the business supply?")
    known_cats = {r[0] for r in wh.rows("select category from category")}
    unknown = cats.map(lambda xs: [x for x in xs if x not in known_cats])
    issues.rows(unknown.map(len) > 0, "categories", cells["categories"],
                unknown.map(lambda xs: f"Not a spend category: {'; '.join(xs)}. It is listed, "
                                       "but not matched to spend."), severity="warning")
    flags = {}
    for col in ("is_sme", "is_vcse", "health_approved"):
        if col in cells:
            f = parse.flag(cells[col])
            issues.rows(f.bad, col, cells[col], "Use yes or no.")
            flags[col] = f.values
        else:
            flags[col] = pd.Series(pd.NA, index=cells.index, dtype="boolean")
    text = {c: cells[c].str.strip().replace("", None) if c in cells else None
            for c in ("frameworks", "description", "supplier_id")}
    dup = parse.normalise_names(name).duplicated(keep=False) & (name != "")
    issues.rows(dup, "name", cells["name"], "The same business appears twice.", severity="warning")
    return pd.DataFrame({
        "business_id": [f"U{i:05d}" for i in range(1, len(cells) + 1)],
        "name": name, "postcode": p.values, "categories": cats, **flags,
        **{k: v for k, v in text.items() if v is not None},
    }, index=cells.index)


def _replaced(wh, key: str, rows: pd.DataFrame) -> int:
    if key == "supplier_survey":
        return int(wh.value("select count(*) from supplier_survey where supplier_id = any(?)",
                            [list(rows["supplier_id"].dropna())]))
    if key == "staff_survey":
        return int(wh.value("select count(*) from staff_survey where org_code = any(?)",
                            [list(rows["org_code"])]))
    return int(wh.value("select count(*) from local_business where not is_demo"))


_DELETE = {
    "supplier_survey": "delete from supplier_survey where supplier_id in (select supplier_id from ref_rows)",
    "staff_survey": "delete from staff_survey where org_code in (select org_code from ref_rows)",
    "directory": "delete from local_business where not is_demo",
}
_INSERT = {key: f"insert into {s.table} by name select * from ref_rows" for key, s in SPECS.items()}


@writes("load a survey or the supplier directory")
def save_reference(wh, checked: CheckedReference, user: User) -> int:
    """Write a checked file in one transaction; returns the load id recorded for it."""
    if not checked.ok:
        raise ValueError(f"{checked.raw.name} has problems to fix before it can be loaded.")
    spec = checked.spec
    rows = checked.rows.reset_index(drop=True)
    with wh.transaction() as cur:
        load_id = int(cur.execute("select nextval('load_id_seq')").fetchall()[0][0])
        frame = rows.assign(load_id=load_id, source=f"{checked.raw.name}, loaded by {user.name}") \
            if spec.key != "directory" else rows.assign(load_id=load_id)
        cur.register("ref_rows", frame)
        cur.execute(_DELETE[spec.key])
        cur.execute(_INSERT[spec.key])
        cur.unregister("ref_rows")
        cur.execute(
            "insert into load (load_id, loaded_at, loaded_by, file_name, sha256, table_name,"
            " outcome, message) values (?, ?, ?, ?, ?, ?, 'loaded', ?)",
            [load_id, datetime.now(UTC).replace(tzinfo=None), user.name, checked.raw.name,
             checked.raw.sha256, spec.table, f"{spec.label}: {len(rows):,} rows"])
        cur.execute("insert into load_slice (load_id, table_name, rows_added, rows_replaced)"
                    " values (?, ?, ?, ?)",
                    [load_id, spec.table, len(rows), checked.replaces])
        bump_data_version(cur)
    return load_id
