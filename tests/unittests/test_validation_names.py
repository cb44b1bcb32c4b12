"""Supplier names and ids as a spend file and the supplier register give them, on the fixture
warehouse (its register: S1 Local One Ltd, S2 Brum Two CIC, S3 London Three plc, ...): names
match after Unicode normalisation and case folding, in every script; ids match in any case;
spellings that look alike are warned, naming both and where each is."""

from __future__ import annotations

from anchor import loading
from anchor.auth import Role, User

ANALYST = User("ana@example.nhs.uk", Role.ANALYST, "signed in", "ana@example.nhs.uk")
SPEND = "org_code,paid_date,supplier_id,supplier_name,category,amount_gbp\n"
REGISTER = "supplier_id,name\n"
TWO = ("they differ only in accents, look-alike letters (such as Cyrillic а for Latin a), "
       "spacing or punctuation, so they count as two suppliers. If they are one, spell them "
       "alike.")


def check(wh, text: str, table: str = "spend"):
    return loading.check(wh, loading.read_bytes("f.csv", text.encode()), loading.spec(table))


def warned(checked, column: str) -> list[tuple]:
    w = checked.warnings
    w = w[(w["column"] == column) & ~w["problem"].str.startswith("Not in the supplier register")]
    return [(int(r.row), r.value, r.problem) for r in w.itertuples()]


def test_accented_and_plain_names_are_two_suppliers_and_warned(fixture_wh):
    checked = check(fixture_wh, SPEND + "AAA,15/07/2024,,Möller Ltd,Catering,10\n"
                                        "AAA,16/07/2024,,Moller Ltd,Catering,20\n"
                                        "AAA,17/07/2024,,Müller Ltd,Catering,30\n")
    assert checked.ok, checked.errors
    assert list(checked.new_suppliers["name"]) == ["Möller Ltd", "Moller Ltd", "Müller Ltd"]
    assert checked.rows["supplier_id"].nunique() == 3
    # Müller is another name, not a look-alike of Möller
    assert warned(checked, "supplier_name") == [
        (3, "Moller Ltd", f"'Moller Ltd' looks like 'Möller Ltd' on row 2: {TWO}")]


def test_greek_and_japanese_names_are_accepted_as_suppliers_of_their_own(fixture_wh):
    checked = check(fixture_wh, SPEND + "AAA,15/07/2024,,Ελληνικά Τρόφιμα ΑΕ,Catering,10\n"
                                        "AAA,16/07/2024,,トヨタ株式会社,Catering,20\n"
                                        "AAA,17/07/2024,,日本食品株式会社,Catering,30\n"
                                        "AAA,18/07/2024,,ΕΛΛΗΝΙΚΆ ΤΡΌΦΙΜΑ ΑΕ,Catering,40\n")
    assert checked.ok, checked.errors
    ids = list(checked.rows["supplier_id"])
    assert len(set(ids[:3])) == 3 and ids[3] == ids[0]  # the capitals are the same supplier
    assert warned(checked, "supplier_name") == [
        (5, "ΕΛΛΗΝΙΚΆ ΤΡΌΦΙΜΑ ΑΕ", "'ΕΛΛΗΝΙΚΆ ΤΡΌΦΙΜΑ ΑΕ' and 'Ελληνικά Τρόφιμα ΑΕ' on row 2 "
                                  "differ only in case: counted as one supplier.")]
    result = loading.load(fixture_wh, checked, ANALYST)
    assert result.new_suppliers == 3
    assert fixture_wh.value("select name from supplier where supplier_id = ?", [ids[1]]) == (
        "トヨタ株式会社")


def test_names_beside_the_registers_spelling(fixture_wh):
    checked = check(fixture_wh, SPEND + "AAA,15/07/2024,,LOCAL ONE LTD,Catering,10\n"
                                        "AAA,16/07/2024,,Local One Limited,Catering,20\n"
                                        "AAA,17/07/2024,,L\u043ecal One Ltd,Catering,30\n"
                                        "AAA,18/07/2024,,LocalOne Ltd,Catering,40\n")
    assert checked.ok, checked.errors
    # case and Ltd/Limited are the register's S1; a Cyrillic о or a missing space are not
    assert list(checked.rows["supplier_id"])[:2] == ["S1", "S1"]
    assert list(checked.new_suppliers["name"]) == ["L\u043ecal One Ltd", "LocalOne Ltd"]
    assert warned(checked, "supplier_name") == [
        (2, "LOCAL ONE LTD", "'LOCAL ONE LTD' and 'Local One Ltd' in the warehouse differ only "
                             "in case: counted as one supplier."),
        (4, "L\u043ecal One Ltd", f"'L\u043ecal One Ltd' looks like 'Local One Ltd' in the "
                                  f"warehouse: {TWO}"),
        (5, "LocalOne Ltd", f"'LocalOne Ltd' looks like 'Local One Ltd' in the warehouse: {TWO}"),
    ]


def test_supplier_ids_match_in_any_case(fixture_wh):
    loading.load(fixture_wh, check(fixture_wh, REGISTER + "S09001,Tipton Catering Ltd\n",
                                   "supplier"), ANALYST)
    checked = check(fixture_wh, SPEND + "AAA,15/07/2024,s09001,,Catering,10\n"
                                        "AAA,16/07/2024,S09001,,Catering,20\n"
                                        "AAA,17/07/2024,s09001,,Catering,30\n")
    assert checked.ok, checked.errors
    assert list(checked.rows["supplier_id"]) == ["S09001"] * 3
    assert checked.new_suppliers.empty
    assert warned(checked, "supplier_id") == [
        (2, "s09001", "'s09001' is 'S09001' in the supplier register (ids compare in any "
                      "case): taken as that supplier.")]


def test_a_register_file_keeps_one_entry_per_id_in_any_case(fixture_wh):
    checked = check(fixture_wh, REGISTER + "S09001,Tipton Catering Ltd\ns09001,Tipton Two\n",
                    "supplier")
    assert [(int(r.row), r.column, r.value, r.problem) for r in checked.errors.itertuples()] == [
        (3, "supplier_id", "s09001", "Repeats row 2: the same supplier id (ids compare in any "
                                     "case); each supplier appears once.")]
    # s1 is the warehouse's S1: the load replaces that entry rather than adding another
    checked = check(fixture_wh, REGISTER + "s1,Local One Ltd\n", "supplier")
    assert checked.ok, checked.errors
    loading.load(fixture_wh, checked, ANALYST)
    assert fixture_wh.rows("select supplier_id from supplier where upper(supplier_id) = 'S1'") == [
        ("S1",)]


def test_a_register_file_warns_of_look_alikes_within_it_and_beside_other_entries(fixture_wh):
    checked = check(fixture_wh, REGISTER + "S10,Möller Ltd\nS11,Moller Ltd\n"
                                           "S12,Brum Tw\u043e CIC\nS1,Local One Ltd\n", "supplier")
    assert checked.ok, checked.errors
    # S1 renames nothing: its own entry in the warehouse is not a look-alike of itself
    assert warned(checked, "name") == [
        (3, "Moller Ltd", f"'Moller Ltd' looks like 'Möller Ltd' on row 2: {TWO}"),
        (4, "Brum Tw\u043e CIC", f"'Brum Tw\u043e CIC' looks like 'Brum Two CIC' in the "
                                 f"warehouse: {TWO}"),
    ]
