"""The Data page's "Where suppliers are": an analyst places suppliers from the Companies
House register held, reviews each match, corrects one, and the Overview's share follows."""

from anchor.db import Warehouse
from anchor.loading.companies import BY_ANALYST, BY_NUMBER, import_companies
from tests.apptest.helpers import plain, run_app
from tests.companies_house import companies_csv, company_row
from tests.unittests.test_loading import ANALYST

DATA = "pages/data.py"


def with_register(db, tmp_path):
    """S4 (no usable postcode, company 01111111) is in the register at B70 9PL, Sandwell."""
    path = tmp_path / "BasicCompanyDataAsOneFile-2026-11-01.csv"
    path.write_bytes(companies_csv([company_row("UNKNOWN FOUR LIMITED", "01111111", "B70 9PL")]))
    wh = Warehouse(db)
    try:
        import_companies(wh, [path], ANALYST)
    finally:
        wh.close()


def labelled(elements, label: str):
    return next(e for e in elements if e.label == label)


def share_known(at, quarter: str, org: str) -> str:
    table = next(d.value for d in at.dataframe if "Share known" in d.value.columns)
    row = table[(table["Quarter"] == quarter) & table["Organisation"].str.startswith(org)]
    return row["Share known"].item()


def test_an_analyst_places_suppliers_and_corrects_one(monkeypatch, fixture_db, tmp_path):
    with_register(fixture_db, tmp_path)
    at = run_app(monkeypatch, fixture_db, DATA, role="analyst")
    # 2024/25 Q1: AAA's £7,030 of lines (Tax too), all but S4's £50 placed: 6,980 of 7,030
    assert share_known(at, "2024/25 Q1", "AAA") == "99.3%"
    assert any("1 company imported from BasicCompanyDataAsOneFile-2026-11-01.csv" in
               plain(m.value) for m in at.markdown)
    at.button(key="place_suppliers").click().run()
    assert not at.exception
    assert any("Placed as load" in plain(s.value) and f"1 {BY_NUMBER}" in plain(s.value)
               for s in at.success)
    assert share_known(at, "2024/25 Q1", "AAA") == "100.0%"
    matches = next(d.value for d in at.dataframe if "Found by" in d.value.columns)
    assert matches[["Id", "Postcode", "Found by", "Confidence"]].values.tolist() == [
        ["S4", "B70 9PL", BY_NUMBER, "certain"]]

    # the analyst moves S4 to Birmingham by hand
    labelled(at.selectbox, "Supplier").set_value("S4")
    labelled(at.text_input, "Postcode of the supplier's premises").input("b18 7qh")
    labelled(at.button, "Save").click().run()
    assert not at.exception
    matches = next(d.value for d in at.dataframe if "Found by" in d.value.columns)
    assert matches[["Id", "Postcode", "Found by"]].values.tolist() == [
        ["S4", "B18 7QH", BY_ANALYST]]


def test_a_bad_postcode_is_named_and_changes_nothing(monkeypatch, fixture_db, tmp_path):
    with_register(fixture_db, tmp_path)
    at = run_app(monkeypatch, fixture_db, DATA, role="analyst")
    labelled(at.selectbox, "Supplier").set_value("S4")
    labelled(at.text_input, "Postcode of the supplier's premises").input("not a postcode")
    labelled(at.button, "Save").click().run()
    assert any("'not a postcode' is not a postcode" in plain(e.value) for e in at.error)
    assert share_known(at, "2024/25 Q1", "AAA") == "99.3%"
    assert not any("Found by" in d.value.columns for d in at.dataframe)  # no match made
