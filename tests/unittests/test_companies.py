"""Placing suppliers from Companies House's register (imported as published) and NHS
Digital's organisations, with how each was found; undone like a load; corrected by hand.
Expected values worked by hand from tests/fixture_warehouse.py."""

import zipfile

import duckdb
import pytest

from anchor import metrics
from anchor.loading import companies, undo
from anchor.loading.companies import (
    BY_ANALYST,
    BY_NAME,
    BY_NUMBER,
    BY_ODS,
    NHS_BY_NAME,
    CompaniesFileError,
    company_number_in_name,
    correct_supplier_location,
    import_companies,
    place_suppliers,
)
from anchor.places import Place
from anchor.queries import spend
from anchor.queries.loads import table_fingerprints
from tests.companies_house import companies_csv, company_row
from tests.fixture_warehouse import BIRMINGHAM, Q1_2024, SANDWELL
from tests.unittests.test_loading import ANALYST

FP1 = Place.of_lads("Fixture footprint", [SANDWELL, BIRMINGHAM])

REGISTER = [
    company_row("UNKNOWN FOUR LIMITED", "01111111", "b70 9pl"),  # S4 by its number
    company_row("KING'S COLLEGE LONDON", "03529700", "B18 7QH", category="PRI/LBG/NSC "
                "(Private, Limited by guarantee, no share capital, use of 'Limited' "
                "exemption)", accounts="FULL"),
    company_row("ACME WIDGETS LTD", "09000001", "B71  4HJ", accounts="MICRO ENTITY"),
    company_row("TWIN NAME LIMITED", "09000002", "B70 9PL"),
    company_row("TWIN NAME LTD", "09000003", "B18 7QH"),
    company_row("SOLO TRADING LIMITED", "09000004", "B18 7QH", status="Dissolved"),
    company_row("SOLO TRADING LTD", "09000005", "B70 9PL", category="Community Interest "
                "Company", accounts="TOTAL EXEMPTION FULL"),
]


@pytest.fixture
def ch_file(tmp_path):
    path = tmp_path / "BasicCompanyDataAsOneFile-2026-11-01.csv"
    path.write_bytes(companies_csv(REGISTER))
    return path


def add_suppliers(wh):
    """Suppliers as a published spend file leaves them: names, no postcode, no flags."""
    wh.rows("update organisation set postcode = 'B71 4HJ' where org_code = 'AAA'")
    for sid, name in [("S6", "KINGS COLLEGE LONDON:03529700"), ("S7", "Acme Widgets Limited"),
                      ("S8", "Twin Name Ltd"), ("S9", "Solo Trading Ltd"),
                      ("S10", "Alpha Hospitals Nhs Trust"), ("S11", "NHS Supply Chain"),
                      ("S12", "Nobody Known Ltd")]:
        wh.rows("insert into supplier (supplier_id, name) values (?, ?)", [sid, name])


def test_a_company_number_after_a_name_is_read():
    assert company_number_in_name("KINGS COLLEGE LONDON:03529700") == "03529700"
    assert company_number_in_name("Acme (sc123456)") == "SC123456"
    assert company_number_in_name("Acme Ltd") is None
    assert company_number_in_name("Unit 12345678 Ltd") is None  # not after the name


def test_the_register_is_imported_as_published(fixture_wh, ch_file):
    assert import_companies(fixture_wh, [ch_file], ANALYST) == 7
    assert fixture_wh.rows(
        "select company_number, name_key, postcode, accounts_category from company"
        " where company_number in ('03529700', '09000001') order by 1") == [
        ("03529700", "king s college london", "B18 7QH", "FULL"),
        ("09000001", "acme widgets", "B71 4HJ", "MICRO ENTITY")]
    # a second import replaces the first: it is a snapshot of the register
    one = ch_file.with_name("part.csv")
    one.write_bytes(companies_csv(REGISTER[:1]))
    assert import_companies(fixture_wh, [one], ANALYST) == 1
    assert fixture_wh.rows("select loaded_by, table_name, outcome from load"
                           " where table_name = 'company'") == [
        (ANALYST.name, "company", "installed")] * 2


def test_the_zipped_parts_are_imported_together(fixture_wh, tmp_path):
    path = tmp_path / "BasicCompanyData-2026-11-01-part1_2.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("BasicCompanyData-2026-11-01-part1_2.csv", companies_csv(REGISTER[:3]))
        z.writestr("BasicCompanyData-2026-11-01-part2_2.csv", companies_csv(REGISTER[3:]))
    assert import_companies(fixture_wh, [path], ANALYST) == 7


def test_a_file_in_another_layout_is_refused_and_changes_nothing(fixture_wh, tmp_path):
    path = tmp_path / "companies.csv"
    path.write_text("Name,Number,Postcode\nAcme,09000001,B71 4HJ\n")
    before = table_fingerprints(fixture_wh)
    with pytest.raises(CompaniesFileError, match=r"companies.csv is not Companies House's Basic "
                       r"Company Data: it has no CompanyName, CompanyNumber, "
                       r"RegAddress.PostCode column"):
        import_companies(fixture_wh, [path], ANALYST)
    assert table_fingerprints(fixture_wh) == before


def placed(wh) -> dict[str, tuple]:
    return {r[0]: r[1:] for r in wh.rows(
        "select supplier_id, postcode, location_method, location_confidence, is_public_body,"
        " is_sme, is_vcse from supplier order by supplier_id")}


def test_suppliers_are_placed_each_way_and_the_share_becomes_known(fixture_wh, ch_file):
    add_suppliers(fixture_wh)
    import_companies(fixture_wh, [ch_file], ANALYST)
    before = table_fingerprints(fixture_wh)
    result = place_suppliers(fixture_wh, ANALYST)
    p = placed(fixture_wh)
    assert p["S4"] == ("B70 9PL", BY_NUMBER, "certain", False, True, False)  # flags kept
    # the number after its name; a company limited by guarantee is neither VCSE nor not
    assert p["S6"] == ("B18 7QH", BY_NUMBER, "certain", None, False, None)
    assert p["S7"] == ("B71 4HJ", BY_NAME, "high", None, True, False)  # micro: an SME
    assert p["S8"][:2] == (None, None)  # two active companies of that name: not chosen
    assert p["S9"] == ("B70 9PL", BY_NAME, "medium", None, True, True)  # the active one, a CIC
    assert p["S10"] == ("B71 4HJ", BY_ODS, "high", True, None, None)  # AAA's headquarters
    assert p["S11"] == (None, NHS_BY_NAME, "medium", True, None, None)
    assert p["S12"][:2] == (None, None)
    assert result.by_method == {BY_NUMBER: 2, BY_NAME: 2, BY_ODS: 1, NHS_BY_NAME: 1}
    assert result.placed == 5
    # unplaced before: S4, and the seven added; S8, S11 and S12 are still not placed
    assert result.still_unplaced == 3
    # S4's £50 is now placed, in Sandwell: AAA's all-spend share 630 of 2,030, all placed
    row = spend.spend_totals(fixture_wh, ["AAA"], Q1_2024, Q1_2024, FP1).iloc[0]
    share = metrics.spend_share(row, influenceable=False)
    assert share.coverage == 1.0 and share.share == pytest.approx(630 / 2030)

    # placing again changes nothing more
    again = place_suppliers(fixture_wh, ANALYST)
    assert again.load_id is None and placed(fixture_wh) == p
    # undone like a load: every supplier as it was
    undo(fixture_wh, result.load_id, ANALYST)
    after = table_fingerprints(fixture_wh)
    assert after["supplier"] == before["supplier"]


def test_an_analyst_corrects_a_location_and_placing_leaves_it(fixture_wh, ch_file):
    add_suppliers(fixture_wh)
    import_companies(fixture_wh, [ch_file], ANALYST)
    before = table_fingerprints(fixture_wh)
    with pytest.raises(ValueError, match="'not a postcode' is not a postcode"):
        correct_supplier_location(fixture_wh, "S8", "not a postcode", ANALYST)
    with pytest.raises(ValueError, match="ZZ9 9ZZ is not a postcode the geography can place"):
        correct_supplier_location(fixture_wh, "S8", "zz99zz", ANALYST)
    with pytest.raises(ValueError, match="There is no supplier 'S99'"):
        correct_supplier_location(fixture_wh, "S99", "B70 9PL", ANALYST)
    assert table_fingerprints(fixture_wh) == before
    load_id = correct_supplier_location(fixture_wh, "S8", "b18 7qh", ANALYST)
    place_suppliers(fixture_wh, ANALYST)
    assert placed(fixture_wh)["S8"][:3] == ("B18 7QH", BY_ANALYST, "certain")
    assert fixture_wh.value("select message from load where load_id = ?", [load_id]) == (
        "Twin Name Ltd (S8) placed at B18 7QH by hand.")


def test_the_name_key_sets_aside_what_does_not_tell_companies_apart():
    con = duckdb.connect()
    con.execute(companies.NAME_KEY_SQL)
    keys = [con.execute("select anchor_name_key(?)", [n]).fetchall()[0][0] for n in (
        "The Möller & Sons Limited", "MOLLER AND SONS LTD", "Acme Widgets PLC",
        "Acme Widgets Public Limited Company", "Brum Two C.I.C.")]
    con.close()
    assert keys == ["moller and sons", "moller and sons", "acme widgets", "acme widgets",
                    "brum two c i c"]


def test_a_spend_files_numbers_are_kept_and_place_its_new_supplier(fixture_wh, ch_file):
    from anchor import loading
    from tests.unittests.test_loading import checked_csv

    text = ("org_code,paid_date,supplier_name,category,amount_gbp,VAT Registration Number,"
            "Company Number\n"
            "AAA,10/07/2024,Widget Makers of Acme,Catering,100,GB 223 2199 32,\n"
            "AAA,11/07/2024,Widget Makers of Acme,Catering,50,,9000001\n")
    checked = checked_csv(fixture_wh, "spend", text)
    assert checked.ok, checked.issues
    loading.load(fixture_wh, checked, ANALYST)
    assert fixture_wh.rows("select vat_number, company_number, postcode from supplier"
                           " where name = 'Widget Makers of Acme'") == [
        ("GB223219932", "9000001", None)]
    import_companies(fixture_wh, [ch_file], ANALYST)
    place_suppliers(fixture_wh, ANALYST)
    # '9000001' is Companies House's 09000001, ACME WIDGETS LTD, whatever the name says
    assert fixture_wh.rows("select postcode, location_method from supplier"
                           " where name = 'Widget Makers of Acme'") == [("B71 4HJ", BY_NUMBER)]
