"""The Data page and the sidebar's Load data box, through Streamlit's AppTest.

AppTest cannot drive a file upload: the upload itself is tested in the browser
(tests/e2e/test_upload.py) and the checks and transaction with plain pytest."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from anchor import loading
from anchor.auth import Role, User
from anchor.db import Warehouse
from anchor.ui import state
from tests.fixture_warehouse import build_fixture_warehouse

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
DATA = "pages/data.py"
NEW_QUARTER = (
    "org_code,paid_date,supplier_name,category,amount_gbp\n"
    "RXK,15/10/2025,Brand New Caterers Ltd,Catering and food,\"12,500.00\"\n"
    "RXK,20/11/2025,Brand New Caterers Ltd,Catering and food,(500.00)\n"
)


def run(monkeypatch, db: Path, role: str = "analyst", page: str | None = DATA) -> AppTest:
    monkeypatch.setenv("ANCHOR_DB", str(db))
    monkeypatch.setenv("ANCHOR_ROLE", role)
    at = AppTest.from_file(APP, default_timeout=90).run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def uploaders(at: AppTest) -> list:
    return at.get("file_uploader")


def load_a_quarter(db: Path) -> int:
    wh = Warehouse(db)
    try:
        checked = loading.check(wh, loading.read_bytes("rxk-q3.csv", NEW_QUARTER.encode()),
                                loading.spec("spend"))
        assert checked.ok, checked.issues
        return loading.load(wh, checked, User("ana", Role.ANALYST, "local")).load_id
    finally:
        wh.close()


def test_an_analyst_has_the_load_box_and_templates(monkeypatch, demo_copy):
    at = run(monkeypatch, demo_copy, page=None)
    assert len(uploaders(at)) == 1
    assert any("Local mode, no sign-in: everyone here is **analyst**" in c.value
               for c in at.sidebar.caption)
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels[:2] == ["Spend template (CSV)", "Spend template (Excel)"]
    at.selectbox(key=state.UPLOAD_TABLE).select("workforce").run()
    assert not at.exception


def test_spend_offers_the_organisation_and_leaving_out_bad_rows(monkeypatch, demo_copy):
    at = run(monkeypatch, demo_copy, page=None)
    org = at.selectbox(key=state.UPLOAD_ORG)
    assert org.value is None
    options = org.options
    assert options[0] == "As the file names it"
    assert any(o.startswith("RXK · ") for o in options)
    # a council not yet held is offered by its local authority, to be added with the load
    assert "E08000035 · Leeds (a council, added with the load)" in options
    assert at.checkbox(key=state.UPLOAD_SKIP_BAD_ROWS).value is False
    at.selectbox(key=state.UPLOAD_TABLE).select("workforce").run()
    assert not [w for w in at.selectbox if w.key == state.UPLOAD_ORG]


def test_a_viewer_sees_no_upload_and_no_data_controls(monkeypatch, demo_copy):
    at = run(monkeypatch, demo_copy, role="viewer", page=None)
    assert uploaders(at) == []
    assert not [b for b in at.get("download_button") if "template" in b.proto.label]
    assert any("everyone here is **viewer**" in c.value for c in at.sidebar.caption)
    # the navigation has no Data page for a viewer: there is nothing to switch to
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(DATA)
    assert [b for b in at.button if b.key in ("confirm_undo", "confirm_remove_demo")] == []


def test_history_and_undo(monkeypatch, demo_copy):
    load_id = load_a_quarter(demo_copy)
    at = run(monkeypatch, demo_copy)
    table = at.dataframe[0].value
    wh = Warehouse(demo_copy)
    demo_id = wh.value("select load_id from load where is_demo")
    wh.close()
    assert list(table["Load"][:2]) == [load_id, demo_id]
    top = table.iloc[0]
    assert (top["Data"], top["File"], top["Organisations and quarters"], top["Rows added"],
            top["Rows replaced"], top["Outcome"]) == (
        "Spend", "rxk-q3.csv",
        "RXK: October 2025 (none held) gets 1 line, RXK: November 2025 (none held) gets 1 line",
        "2", "0", "Loaded")
    demo = table[table["Data"] == "Demo footprint"].iloc[0]
    assert (demo["Rows added"], demo["Organisations and quarters"]) == ("–", "–")
    assert at.selectbox(key=state.UNDO_CHOICE).value == load_id
    at.button(key="confirm_undo").click().run()
    assert not at.exception
    assert any(f"Undid load {load_id}: removed 2 rows and put back 0." in s.value
               for s in at.success)
    assert at.dataframe[0].value.iloc[0]["Outcome"].startswith("Undone ")
    wh = Warehouse(demo_copy)
    assert wh.value("select count(*) from spend where load_id = ?", [load_id]) == 0
    wh.close()


def test_data_quality_on_the_demo(monkeypatch, demo_copy):
    at = run(monkeypatch, demo_copy)
    text = " ".join(m.value for m in at.markdown)
    assert "Suppliers whose spend cannot be placed" in text
    captions = " ".join(c.value for c in at.caption)
    assert "None: every supplier has a postcode the geography knows." in captions
    assert "None: every organisation has every quarter" in captions


def test_data_quality_on_the_fixture(monkeypatch, tmp_path):
    db = tmp_path / "fixture.duckdb"
    wh = build_fixture_warehouse(db)
    wh.rows("update supplier set is_sme = null where supplier_id = 'S2'")
    wh.close()
    at = run(monkeypatch, db)
    captions = " ".join(c.value for c in at.caption)
    assert "1 supplier, £50 of spend, whose location is not known" in captions
    assert "1 supplier, £300 of spend, left out of the SME and VCSE shares" in captions
    assert "None: every site has a postcode the geography knows" in captions
    def table_with(column: str):
        return next(d.value for d in at.dataframe if column in d.value.columns)

    unplaced, staff = table_with("Problem"), table_with("Home LSOA given")
    flags, gaps = table_with("SME"), table_with("Quarters missing")
    # AAA's 2 staff with no home LSOA in its latest quarter: a count of 1 to 4, withheld.
    assert staff.values.tolist() == [["Alpha Hospitals", "2024/25 Q2", "None", "*"]]
    assert unplaced.values.tolist() == [["Unknown Four Ltd", "S4", "ZZ9 9ZZ",
                                         "ZZ9 9ZZ is not in the geography", "£50", "1"]]
    assert flags.values.tolist() == [["Brum Two CIC", "S2", "–", "yes", "£300"]]
    assert gaps.iloc[0].tolist() == ["Estates", "BBB · Beta Healthcare", 1,
                                     "2024/25 Q2"]


def test_remove_the_demo(monkeypatch, demo_copy):
    at = run(monkeypatch, demo_copy)
    assert any("Demo data" in w.body for w in at.warning)
    at.button(key="confirm_remove_demo").click().run()
    assert not at.exception
    assert not any("Demo data" in w.body for w in at.warning)
    wh = Warehouse(demo_copy)
    assert wh.value("select count(*) from spend") == 0
    wh.close()


@pytest.mark.parametrize("role", ["analyst", "admin"])
def test_the_data_page_is_for_analysts_and_admins(monkeypatch, demo_copy, role):
    at = run(monkeypatch, demo_copy, role=role)
    assert at.title[0].value == "Data"
    assert at.dataframe[0].value.iloc[0]["Data"] == "Demo footprint"
    assert any("No load can be undone" in c.value for c in at.caption)


def test_a_deprivation_import_is_in_the_history_but_not_offered_for_undo(monkeypatch, tmp_path):
    from anchor.geography.imd import read_imd, save_imd
    from tests.fixture_warehouse import add_fixture_deciles

    db = tmp_path / "fixture.duckdb"
    wh = add_fixture_deciles(build_fixture_warehouse(db))  # 4 deciles, replaced by 2
    file_7 = (b"LSOA code (2011),Index of Multiple Deprivation (IMD) Decile\n"
              b"E01010104,1\nE01009345,2\n")
    imported = read_imd(io.BytesIO(file_7), wh.df("select lsoa_code, lsoa_name from geo_lsoa"),
                        file_name="File_7.csv")
    load_id = save_imd(wh, imported, User("ana", Role.ANALYST, "local"))
    wh.close()
    at = run(monkeypatch, db)
    table = at.dataframe[0].value
    # the app's first start installed the whole-GB geography over the fixture's, as setup
    top = table.iloc[0]
    assert (top["By"], top["Data"], top["Outcome"]) == (
        "anchor setup", "Geography", "Installed: Geography of the whole of Great Britain "
        "installed from geography.duckdb.")
    imd = table[table["Load"] == load_id].iloc[0]
    assert (imd["By"], imd["Data"], imd["File"], imd["Organisations and quarters"],
            imd["Rows added"], imd["Rows replaced"], imd["Outcome"]) == (
        "ana", "Deprivation deciles", "File_7.csv", "Whole file", "2", "4", "Loaded")
    # the import is the only load, and undo cannot reverse it: nothing is offered
    assert any("No load can be undone" in c.value for c in at.caption)
    assert [b for b in at.button if b.key == "confirm_undo"] == []


def test_a_supplier_at_a_known_postcode_with_no_location(monkeypatch, tmp_path):
    """BD98 1GA is in the ONS lookup with no LSOA, local authority or coordinates: S4's £50
    (one invoice line) cannot be placed."""
    db = tmp_path / "fixture.duckdb"
    wh = build_fixture_warehouse(db)
    wh.rows("insert into geo_postcode (postcode, is_live, lsoa_from_neighbour)"
            " values ('BD98 1GA', true, false)")
    wh.rows("update supplier set postcode = 'BD98 1GA' where supplier_id = 'S4'")
    wh.close()
    at = run(monkeypatch, db)
    captions = " ".join(c.value for c in at.caption)
    assert "1 supplier, £50 of spend, whose location is not known" in captions
    unplaced = next(d.value for d in at.dataframe if "Problem" in d.value.columns)
    assert unplaced.values.tolist() == [[
        "Unknown Four Ltd", "S4", "BD98 1GA",
        "BD98 1GA is a known postcode with no location in the geography", "£50", "1"]]


def test_data_quality_names_a_site_it_cannot_place(monkeypatch, tmp_path):
    db = tmp_path / "fixture.duckdb"
    wh = build_fixture_warehouse(db)
    wh.rows("update site set postcode = 'ZZ9 9ZZ' where site_code = 'BBB01'")
    wh.close()
    at = run(monkeypatch, db)
    assert any("1 site whose estate returns count in no place" in c.value for c in at.caption)
    sites = next(d.value for d in at.dataframe if "Estate returns" in d.value.columns)
    assert sites.values.tolist() == [["BBB01", "Beta City", "Beta Healthcare", "ZZ9 9ZZ", 1]]


def test_pages_open_on_the_latest_complete_quarter_and_say_when_one_is_partial(monkeypatch,
                                                                               tmp_path):
    from anchor.periods import Period
    from tests.unittests.test_coverage import newest_quarter_partial

    db = tmp_path / "fixture.duckdb"
    newest_quarter_partial(build_fixture_warehouse(db)).close()
    at = run(monkeypatch, db, page=None)
    period = at.selectbox(key=f"{state.PERIOD}_{state.PERIOD_QUARTER}")
    assert period.value == Period.quarter(date(2024, 4, 1))  # not AAA's July alone
    assert not any("is partial" in c.value for c in at.caption)
    period.select(Period.quarter(date(2024, 7, 1))).run()
    assert any("2024/25 Q2 is partial: AAA holds July 2024 only; BBB holds none of it."
               in c.value for c in at.caption)
    at.switch_page(DATA).run()
    held = at.dataframe[1].value
    assert held.iloc[2].tolist() == ["AAA · Alpha Hospitals", "2024/25 Q2", "July 2024", "1",
                                     "£30", "partial: 1 of 3 months"]
    assert any("2 organisation-quarters partial." in c.value for c in at.caption)
