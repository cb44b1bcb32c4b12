"""Undo and the supplier register: after undoing a load the register is exactly as it was
before that load, and a load whose new suppliers later loads use waits for them, as a load
of organisations or sites does. Worked by hand on the fixture warehouse."""

from __future__ import annotations

import pytest

from anchor import loading
from anchor.auth import Role, User
from anchor.queries.loads import table_fingerprints

ANALYST = User("ana@example.nhs.uk", Role.ANALYST, "signed in", "ana@example.nhs.uk")
BY_NAME = "org_code,paid_date,supplier_name,category,amount_gbp\n"
# load A: 2024/25 Q2 names a supplier the register does not have; load B: Q3 names it again
LOAD_A = BY_NAME + "AAA,15/07/2024,Brand New Ltd,Catering,10\nAAA,16/07/2024,Local One Ltd,Catering,5\n"
LOAD_B = BY_NAME + "AAA,15/10/2024,BRAND NEW LIMITED,Catering,20\n"


def load(wh, text: str, table: str = "spend"):
    checked = loading.check(wh, loading.read_bytes("f.csv", text.encode()), loading.spec(table))
    assert checked.ok, checked.issues
    return checked, loading.load(wh, checked, ANALYST)


def register(wh) -> list[tuple]:
    return wh.rows("select * from supplier order by supplier_id")


def test_a_spend_loads_new_supplier_goes_when_both_loads_using_it_are_undone(fixture_wh):
    before, fingerprints = register(fixture_wh), table_fingerprints(fixture_wh)
    checked_a, a = load(fixture_wh, LOAD_A)
    (new_id,) = checked_a.new_suppliers["supplier_id"]
    checked_b, b = load(fixture_wh, LOAD_B)
    assert checked_b.new_suppliers.empty  # B finds it in the register, by name
    assert fixture_wh.value("select count(*) from spend where supplier_id = ?", [new_id]) == 2

    # undoing A first would leave B's line paid to a supplier that is not there
    with pytest.raises(loading.LoadError, match=(
            rf"Load {a.load_id} added suppliers \({new_id}\) that other data now refers to "
            rf"\(loads {b.load_id}\). Undo those loads first.")):
        loading.undo(fixture_wh, a.load_id, ANALYST)
    assert fixture_wh.value("select outcome from load where load_id = ?", [a.load_id]) == "loaded"

    loading.undo(fixture_wh, b.load_id, ANALYST)
    assert fixture_wh.value("select count(*) from supplier where supplier_id = ?", [new_id]) == 1
    loading.undo(fixture_wh, a.load_id, ANALYST)
    assert register(fixture_wh) == before
    after = table_fingerprints(fixture_wh)
    assert {t for t in fingerprints if fingerprints[t] != after[t]} == {
        "load", "load_slice", "data_version"}


def test_a_register_load_that_replaced_a_spend_loads_supplier_is_undone_first(fixture_wh):
    before = register(fixture_wh)
    checked_a, a = load(fixture_wh, LOAD_A)
    (new_id,) = checked_a.new_suppliers["supplier_id"]
    # the register now gives that supplier a postcode and flags
    _, r = load(fixture_wh, "supplier_id,name,postcode,is_sme\n"
                            f"{new_id},Brand New Ltd,B70 9PL,yes\n", "supplier")
    assert fixture_wh.rows("select postcode, load_id from supplier where supplier_id = ?",
                           [new_id]) == [("B70 9PL", r.load_id)]
    with pytest.raises(loading.LoadError, match=(
            rf"Later loads \({r.load_id}\) replaced rows that load {a.load_id} wrote. "
            rf"Undo load {r.load_id} first.")):
        loading.undo(fixture_wh, a.load_id, ANALYST)
    loading.undo(fixture_wh, r.load_id, ANALYST)  # puts back A's entry, with no postcode
    assert fixture_wh.rows("select postcode, load_id from supplier where supplier_id = ?",
                           [new_id]) == [(None, a.load_id)]
    loading.undo(fixture_wh, a.load_id, ANALYST)
    assert register(fixture_wh) == before


def test_a_register_loads_new_supplier_waits_for_the_spend_that_uses_it(fixture_wh):
    before = register(fixture_wh)
    _, r = load(fixture_wh, "supplier_id,name,postcode\nS9,Nine CIC,B70 9PL\n", "supplier")
    _, s = load(fixture_wh, "org_code,paid_date,supplier_id,category,amount_gbp\n"
                            "AAA,15/07/2024,S9,Catering,10\n")
    with pytest.raises(loading.LoadError, match=(
            rf"Load {r.load_id} added suppliers \(S9\) that other data now refers to "
            rf"\(loads {s.load_id}\). Undo those loads first.")):
        loading.undo(fixture_wh, r.load_id, ANALYST)
    loading.undo(fixture_wh, s.load_id, ANALYST)
    loading.undo(fixture_wh, r.load_id, ANALYST)
    assert register(fixture_wh) == before
