"""Every function that writes to the warehouse checks the role itself, and is audited.

`anchor.auth.writes` registers each writer in `WRITES`. Here every registered writer is
called as a viewer on the fixture warehouse, with arguments that would write, and must
refuse with the warehouse unchanged; then as an analyst, and must write and leave a row in
the audit trail naming them. The source of anchor/ is scanned so that a new function that
writes without registering fails here.
"""

from __future__ import annotations

import ast
import importlib
import io
import pkgutil
import re
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

import anchor
from anchor import loading
from anchor.auth import WRITES, PermissionDenied, Role, User, setup_user
from anchor.db import Warehouse
from anchor.geography.build import GEO_TABLES, _write_meta
from anchor.queries.loads import table_fingerprints
from tests.fixture_warehouse import BIRMINGHAM, SANDWELL, build_fixture_warehouse

VIEWER = User("vic@example.nhs.uk", Role.VIEWER, "signed in", "vic@example.nhs.uk")
ANALYST = User("ana@example.nhs.uk", Role.ANALYST, "signed in", "ana@example.nhs.uk")
ANCHOR = Path(anchor.__file__).parent

for _module in pkgutil.walk_packages(anchor.__path__, "anchor."):
    importlib.import_module(_module.name)  # every writer registers as its module loads

SPEND = "org_code,paid_date,supplier_id,category,amount_gbp\nAAA,15/07/2024,S1,Catering,75.00\n"
DECILE = "Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)"


def _checked_spend(wh):
    return loading.check(wh, loading.read_bytes("july.csv", SPEND.encode()),
                         loading.spec("spend"))


def _tiny_geography_cache(wh, path: Path) -> Path:
    """A geography cache holding the fixture's own geography, marked as a current build."""
    wh.rows("attach ? as cache", [str(path)])
    for table in GEO_TABLES[:-1]:
        wh.rows(f"create table cache.{table} as select * from {table}")
    wh.rows("detach cache")
    con = duckdb.connect(str(path))
    _write_meta(con, "GB")
    con.close()
    return path


# How to call each writer so that it would write: each takes the warehouse and a folder,
# makes what the call needs (as an analyst, before the warehouse is measured) and returns
# the call, to be made as a user.
def _load(wh, _):
    checked = _checked_spend(wh)
    return lambda user: loading.load(wh, checked, user)


def _undo(wh, _):
    load_id = loading.load(wh, _checked_spend(wh), ANALYST).load_id
    return lambda user: loading.undo(wh, load_id, user)


def _preview(wh, _):
    checked = _checked_spend(wh)
    return lambda user: loading.preview(wh, checked, user)


def _record_rejection(wh, _):
    return lambda user: loading.record_rejection(wh, None, user, "spend", "july.csv",
                                                 "The file is empty.", "ab" * 32)


def _check_offered(wh, _):
    bad = b"org_code,paid_date,supplier_id,category,amount_gbp\nAAA,31/02/2024,S1,Catering,5\n"
    return lambda user: loading.check_offered(wh, "july.csv", bad, loading.spec("spend"), user)


def _save_mapping(wh, _):
    from anchor.loading import layouts

    mapping = {"org_code": "Trust", "paid_date": "Date", "supplier_id": "Supplier",
               "category": "Expense type", "amount_gbp": "Amount"}
    return lambda user: layouts.save_mapping(wh, "spend", list(mapping.values()), mapping, user)


def _remove_demo_data(wh, _):
    wh.rows("update organisation set is_demo = true where org_code = 'BBB'")
    wh.rows("update spend set is_demo = true where org_code = 'BBB'")
    return lambda user: loading.remove_demo_data(wh, user)


def _build_demo(wh, _):
    from anchor.demo import build_demo

    return lambda user: build_demo(wh, user)


def _install_geography(wh, folder):
    from anchor.geography.install import install_geography

    cache = _tiny_geography_cache(wh, folder / "geography.duckdb")
    return lambda user: install_geography(wh, cache, user)


def _ensure_geography(wh, folder):
    from anchor.geography.install import ensure_geography

    cache = _tiny_geography_cache(wh, folder / "geography.duckdb")
    return lambda user: ensure_geography(wh, user, cache=cache)


def _save_imd(wh, _):
    from anchor.geography.imd import read_imd, save_imd

    text = f"LSOA code (2011),{DECILE}\nE01010104,1\nE01009345,2\n".encode()
    imported = read_imd(io.BytesIO(text), wh.df("select lsoa_code, lsoa_name from geo_lsoa"),
                        file_name="File_7.csv")
    return lambda user: save_imd(wh, imported, user)


def _save_reference(wh, _):
    from anchor.surveys import check_reference, save_reference

    checked = check_reference(wh, "staff_survey", loading.read_bytes(
        "staff.csv", b"org_code,net_pay_local_share,respondents\nAAA,41%,240\n"))
    return lambda user: save_reference(wh, checked, user)


def _save_place(wh, _):
    from anchor.queries.places import save_place

    return lambda user: save_place(wh, "LEP-BC", "Black Country LEP", "LEP",
                                   [SANDWELL, BIRMINGHAM], user)


def _save_assumption(wh, _):
    from anchor.queries.lm3 import save_assumption

    return lambda user: save_assumption(wh, "staff_local_spend_share", 0.35, "Survey", user)


def _save_scenario(wh, _):
    from anchor.queries.lm3 import save_scenario

    return lambda user: save_scenario(wh, "Catering", {"shift_share": 0.1}, user)


def _delete_scenario(wh, _):
    from anchor.queries.lm3 import delete_scenario, save_scenario

    sid = save_scenario(wh, "Catering", {"shift_share": 0.1}, ANALYST)
    return lambda user: delete_scenario(wh, sid, user)


def _import_companies(wh, folder):
    from anchor.loading.companies import import_companies
    from tests.companies_house import companies_csv, company_row

    path = folder / "BasicCompanyDataAsOneFile.csv"
    path.write_bytes(companies_csv([company_row("UNKNOWN FOUR LIMITED", "01111111", "B70 9PL")]))
    return lambda user: import_companies(wh, [path], user)


def _place_suppliers(wh, folder):
    from anchor.loading.companies import place_suppliers

    _import_companies(wh, folder)(ANALYST)
    return lambda user: place_suppliers(wh, user)


def _correct_supplier_location(wh, _):
    from anchor.loading.companies import correct_supplier_location

    return lambda user: correct_supplier_location(wh, "S4", "B18 7QH", user)


def _save_commitments(wh, _):
    from anchor.commitments import check_commitments, known_columns, save_commitments

    checked = check_commitments(wh, loading.read_bytes(
        "commitments.csv", b"org_code,baseline_first,baseline_last,rise,rise_kind,"
        b"target_quarter,made_in\nAAA,2023/24 Q1,2023/24 Q4,10,relative,2026/27 Q4,Plan\n",
        known_columns=known_columns()))
    return lambda user: save_commitments(wh, checked, user)


def _save_change_point(wh, _):
    from datetime import date

    from anchor.change_points import save_change_point

    return lambda user: save_change_point(wh, user, org_code="AAA", footprint_code=None,
                                          measure="local_spend_share",
                                          quarter_start=date(2024, 4, 1), name="New hospital")


def _remove_change_point(wh, _):
    from datetime import date

    from anchor.change_points import remove_change_point, save_change_point

    point = save_change_point(wh, ANALYST, org_code="AAA", footprint_code=None,
                              measure="local_spend_share", quarter_start=date(2024, 4, 1),
                              name="New hospital")
    return lambda user: remove_change_point(wh, point, user)


CALLS: dict[str, Callable] = {
    "anchor.loading.transaction.load": _load,
    "anchor.loading.transaction.undo": _undo,
    "anchor.loading.preview.preview": _preview,
    "anchor.loading.transaction.record_rejection": _record_rejection,
    "anchor.loading.transaction.check_offered": _check_offered,
    "anchor.loading.transaction.remove_demo_data": _remove_demo_data,
    "anchor.loading.layouts.save_mapping": _save_mapping,
    "anchor.demo.build_demo": _build_demo,
    "anchor.geography.install.install_geography": _install_geography,
    "anchor.geography.install.ensure_geography": _ensure_geography,
    "anchor.geography.imd.save_imd": _save_imd,
    "anchor.surveys.save_reference": _save_reference,
    "anchor.queries.places.save_place": _save_place,
    "anchor.queries.lm3.save_assumption": _save_assumption,
    "anchor.queries.lm3.save_scenario": _save_scenario,
    "anchor.queries.lm3.delete_scenario": _delete_scenario,
    "anchor.loading.companies.import_companies": _import_companies,
    "anchor.loading.companies.place_suppliers": _place_suppliers,
    "anchor.loading.companies.correct_supplier_location": _correct_supplier_location,
    "anchor.commitments.save_commitments": _save_commitments,
    "anchor.change_points.save_change_point": _save_change_point,
    "anchor.change_points.remove_change_point": _remove_change_point,
}


def test_every_registered_writer_is_called_here():
    assert sorted(CALLS) == sorted(WRITES)


@pytest.fixture
def writable(request, tmp_path):
    """The warehouse a writer is tried on: the fixture's; the demo's for the demo build,
    which needs the real hospital postcodes."""
    if request.node.callspec.params["name"] == "anchor.demo.build_demo":
        demo_copy = request.getfixturevalue("demo_copy")
        wh = Warehouse(demo_copy)
    else:
        wh = build_fixture_warehouse(tmp_path / "fixture.duckdb")
    yield wh
    wh.close()


def _audit_rows(wh) -> set[tuple]:
    return set(wh.rows("select load_id, loaded_by, table_name, outcome, undone_by from load"))


@pytest.mark.parametrize("name", sorted(CALLS))
def test_a_viewer_is_refused_before_anything_is_written(name, writable, tmp_path):
    call = CALLS[name](writable, tmp_path)
    before = table_fingerprints(writable)
    with pytest.raises(PermissionDenied, match=re.escape(
            f"vic@example.nhs.uk (viewer) cannot {WRITES[name].action}: it needs the "
            "analyst role")):
        call(VIEWER)
    assert table_fingerprints(writable) == before


@pytest.mark.parametrize("name", sorted(CALLS))
def test_nobody_signed_in_is_refused(name, writable, tmp_path):
    call = CALLS[name](writable, tmp_path)
    before = table_fingerprints(writable)
    with pytest.raises(PermissionDenied, match="Nobody signed in cannot"):
        call(None)
    assert table_fingerprints(writable) == before


@pytest.mark.parametrize("name", sorted(CALLS))
def test_an_analyst_writes_and_the_audit_trail_names_them(name, writable, tmp_path):
    call = CALLS[name](writable, tmp_path)
    before, audit = table_fingerprints(writable), _audit_rows(writable)
    call(ANALYST)
    new = _audit_rows(writable) - audit
    if name == "anchor.loading.preview.preview":
        assert table_fingerprints(writable) == before  # rolled back
    else:
        assert table_fingerprints(writable) != before
    if WRITES[name].audited:
        assert any(ANALYST.name in (by, undone_by) for _, by, _, _, undone_by in new), new
    else:
        assert new == set()


def test_the_demo_can_be_removed_only_by_an_analyst_and_it_is_audited(fixture_wh):
    _remove_demo_data(fixture_wh, None)
    loading.remove_demo_data(fixture_wh, ANALYST)
    assert fixture_wh.rows("select loaded_by, table_name, outcome, message from load") == [
        (ANALYST.name, "demo", "removed", "Removed the demo footprint (1 invoice line).")]


def test_a_change_made_by_hand_is_not_undone_as_a_load(fixture_wh):
    _save_assumption(fixture_wh, None)(ANALYST)
    (load_id,) = fixture_wh.rows("select load_id from load")[0]
    with pytest.raises(loading.LoadError, match="a change made by hand .saved., not a load"):
        loading.undo(fixture_wh, load_id, ANALYST)


def test_first_time_setup_acts_as_anchor_itself_with_the_analyst_role():
    user = setup_user()
    assert (user.name, user.role, user.mode) == ("anchor setup", Role.ANALYST, "setup")


# -- the source: no write outside a registered writer -------------------------------------

# Modules that write, but not to the warehouse through a person's action.
NOT_SCANNED = {
    "db.py": "the connection's owner: it defines transactions and migrates the schema as a "
             "warehouse opens",
    "geography/build.py": "builds the geography cache, its own DuckDB file, never the "
                          "warehouse",
}
WRITE_SQL = re.compile(
    r"\b(insert\s+(or\s+replace\s+)?into|delete\s+from|update\s+\S+\s+set"
    r"|create\s+(or\s+replace\s+)?(temp\s+|temporary\s+)?(table|view|sequence|index|macro)"
    r"|drop\s+(table|view|sequence|index|macro)|alter\s+table|copy\s+\S+\s+(from|to)"
    r"|truncate)\b", re.IGNORECASE)


def _strings(node: ast.AST) -> list[str]:
    """Every string in `node`, an f-string's holes read as 'x'."""
    out = []
    for n in ast.walk(node):
        if isinstance(n, ast.JoinedStr):
            out.append("".join(v.value if isinstance(v, ast.Constant) else "x"
                               for v in n.values))
        elif isinstance(n, ast.Constant) and isinstance(n.value, str):
            out.append(n.value)
    return out


def _writes_sql(node: ast.AST) -> bool:
    return any(WRITE_SQL.search(s) for s in _strings(node))


def _functions(tree: ast.Module):
    """(qualified name, node) of each module-level function and method."""
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node.name, node
        elif isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                    yield f"{node.name}.{item.name}", item


def _called_names(node: ast.AST) -> set[str]:
    names = set()
    for n in ast.walk(node):
        if isinstance(n, ast.Call):
            f = n.func
            names.add(f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", ""))
    return names


def unregistered_writes(sources: dict[str, str], registered: set[str]) -> list[str]:
    """Where a module writes outside a registered writer. `sources`: module name -> source.

    A function opens a transaction, or holds write SQL (its own, or a module constant's),
    only if it is registered, or it takes a cursor (`cur`) and so runs inside a caller's
    transaction, or it is private (`_name`) and called only by registered writers (or by
    other such private functions), so it writes on their behalf after their check. A cursor
    helper is called only from registered writers, cursor helpers or such private functions.
    No module but db.py opens a connection or reaches for its `_con`.
    """
    problems, helpers, functions = [], set(), []
    for module, source in sources.items():
        tree = ast.parse(source)
        constants = {t.id for node in tree.body if isinstance(node, ast.Assign | ast.AnnAssign)
                     and node.value is not None and _writes_sql(node.value)
                     for t in (node.targets if isinstance(node, ast.Assign) else [node.target])
                     if isinstance(t, ast.Name)}
        for n in ast.walk(tree):
            if isinstance(n, ast.Attribute) and n.attr == "_con" or (
                    isinstance(n, ast.Attribute) and n.attr == "connect"
                    and getattr(n.value, "id", "") == "duckdb"):
                problems.append(f"{module}: line {n.lineno} opens its own connection")
        for name, fn in _functions(tree):
            takes_cursor = "cur" in [a.arg for a in fn.args.args + fn.args.kwonlyargs]
            writes = _writes_sql(fn) or any(
                isinstance(n, ast.Name) and n.id in constants for n in ast.walk(fn))
            if takes_cursor and writes:
                helpers.add(name)
            functions.append((f"{module}.{name}", name, takes_cursor, writes,
                              "transaction" in _called_names(fn), _called_names(fn)))
    # private functions that write on behalf of registered writers only
    trusted = {q.rsplit(".", 1)[1] for q, *_ in functions if q in registered}
    delegates: set[str] = set()
    while True:
        found = {name for q, name, cur, writes, opens, called in functions
                 if name.startswith("_") and q not in registered and not cur
                 and name not in delegates
                 and (callers := {n for _, n, _, _, _, c in functions if name in c})
                 and callers <= trusted | delegates}
        if not found:
            break
        delegates |= found
    for qualified, name, takes_cursor, writes, opens, called in functions:
        if qualified in registered or name in delegates:
            continue
        if opens:
            problems.append(f"{qualified} opens a transaction but is not registered "
                            "with @writes")
        elif writes and not takes_cursor:
            problems.append(f"{qualified} writes to the warehouse but is not registered "
                            "with @writes")
        if not takes_cursor:
            for helper in sorted(called & helpers):
                problems.append(f"{qualified} calls the writing helper {helper} but is not "
                                "registered with @writes")
    return problems


def _anchor_sources(skip: dict[str, str]) -> dict[str, str]:
    out = {}
    for path in sorted(ANCHOR.rglob("*.py")):
        rel = path.relative_to(ANCHOR).as_posix()
        if rel in skip:
            continue
        module = "anchor." + rel.removesuffix(".py").removesuffix("/__init__").replace("/", ".")
        out[module] = path.read_text(encoding="utf-8")
    return out


def test_no_module_writes_outside_a_registered_writer():
    assert unregistered_writes(_anchor_sources(NOT_SCANNED), set(WRITES)) == []


def test_the_source_scan_finds_writes_that_skip_the_check():
    sources = {"anchor.example": '''
_WIPE = {t: f"delete from {t}" for t in ("spend",)}

def wipe(wh):
    wh.rows(_WIPE["spend"])

def rename(wh, user):
    wh.rows("update supplier set name = ? where supplier_id = ?", ["A", "S1"])

def save(wh, user):
    with wh.transaction() as cur:
        _stamp(cur)

def _stamp(cur):
    cur.execute("insert into load (load_id) values (1)")

def stamp_twice(wh):
    _stamp(wh)

def save_twice(wh, user):
    _save_on_behalf(wh)

def _save_on_behalf(wh):
    with wh.transaction() as cur:
        _stamp(cur)

def _sneaky(wh):
    with wh.transaction() as cur:
        _stamp(cur)

def sneak(wh):
    _sneaky(wh)

def raw(wh):
    wh._con.execute("select 1")

def reads(wh):
    return wh.rows("select name from supplier where postcode is null")
'''}
    assert unregistered_writes(sources, {"anchor.example.save",
                                         "anchor.example.save_twice"}) == [
        "anchor.example: line 35 opens its own connection",
        "anchor.example.wipe writes to the warehouse but is not registered with @writes",
        "anchor.example.rename writes to the warehouse but is not registered with @writes",
        "anchor.example.stamp_twice calls the writing helper _stamp but is not registered "
        "with @writes",
        "anchor.example._sneaky opens a transaction but is not registered with @writes",
        "anchor.example._sneaky calls the writing helper _stamp but is not registered "
        "with @writes",
    ]
