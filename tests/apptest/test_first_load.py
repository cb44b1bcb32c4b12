"""From an empty warehouse to the Overview: an analyst with no demo loads their organisations
and footprint (with its home local authorities), sites, the supplier register, a quarter of
spend and its estates returns (tests/data/first_load), and the Overview shows that quarter.

The figures, worked by hand. Footprint BCWB's home place: Sandwell, Birmingham, Dudley,
Walsall and Wolverhampton. 2025/26 Q1 spend, in the published layout:
    RXK  Tipton Catering (Sandwell, SME)        1,000.00 and a credit note of -200.00
         Brum Linen CIC (Birmingham, VCSE)        500.00
         London Medical plc (Westminster)       3,000.00
         Midlands Pathology Network (Birmingham, a public body: not influenceable) 1,200.00
    RNA  Walsall Estates (Walsall, SME)         2,000.00
         London Medical plc ("The London Medical PLC" in the file) 2,500.00
  in scope 10,000.00; local 800 + 500 + 1,200 + 2,000 = 4,500.00 (45.0%)
  influenceable 10,000 - 1,200 = 8,800.00; local 800 + 500 + 2,000 = 3,300.00 (37.5%)
  RXK alone: local 2,500 of 5,500 (45.5%); influenceable 1,300 of 4,300 (30.2%)
  Sandwell alone: 800 of 10,000 (8.0%)
Estates returns: Sandwell General (RXK02, Sandwell) 1.5 ha not delivering services, Russells
Hall (RNA01, Dudley) 0.5 ha: 2.0 ha in the footprint.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from anchor import loading
from anchor.auth import Role, User
from anchor.db import Warehouse
from anchor.geography.install import install_geography
from anchor.ui import state
from tests.apptest.helpers import metric

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
FIRST = ROOT / "tests" / "data" / "first_load"
ANALYST = User("ana@example.nhs.uk", Role.ANALYST, "signed in", "ana@example.nhs.uk")
# the order the README gives: organisations and footprint, sites, suppliers, then the quarter
FILES = [("organisation", "organisations.csv"), ("site", "sites.csv"),
         ("supplier", "suppliers.csv"), ("spend", "spend_2025_26_q1.csv"),
         ("estate", "estates_2025_26_q1.csv")]


@pytest.fixture
def empty_db(tmp_path, geography_cache, monkeypatch) -> Path:
    """A new warehouse with the geography and nothing else, as `make run` leaves it once
    the demo is removed."""
    path = tmp_path / "anchor.duckdb"
    wh = Warehouse(path)
    try:
        install_geography(wh, geography_cache, ANALYST)
    finally:
        wh.close()
    monkeypatch.setenv("ANCHOR_DB", str(path))
    monkeypatch.setenv("ANCHOR_GEO_CACHE", str(geography_cache))
    monkeypatch.setenv("ANCHOR_ROLE", "analyst")
    return path


def check(wh, kind: str, name: str):
    return loading.check(wh, loading.read_path(FIRST / name), loading.spec(kind))


def test_the_load_box_starts_with_organisations_on_an_empty_warehouse(empty_db):
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.selectbox(key=state.UPLOAD_TABLE).value == "organisation"
    assert any("Starting out: load **organisations and footprints** first" in c.value
               for c in at.sidebar.caption)
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels[:2] == ["Organisations and footprints template (CSV)",
                          "Organisations and footprints template (Excel)"]
    # the organisations, sites and supplier files are not by quarter
    assert state.UPLOAD_QUARTER not in [s.key for s in at.selectbox]


def test_from_an_empty_warehouse_to_the_overview(empty_db):
    wh = Warehouse(empty_db)
    try:
        refused = check(wh, "spend", "spend_2025_26_q1.csv")
        assert set(refused.errors["problem"]) == {
            "There are no organisations in the warehouse yet: load the organisations file "
            "first (Organisations and footprints)."}
        for kind, name in FILES:
            checked = check(wh, kind, name)
            assert checked.ok, checked.issues
            assert checked.warnings.empty, checked.warnings
            loading.preview(wh, checked, ANALYST)
            loading.load(wh, checked, ANALYST)
        assert wh.rows("select footprint_code, name from footprint") == [
            ("BCWB", "Black Country and West Birmingham")]
        assert [r[0] for r in wh.rows("select l.lad_name from footprint_lad join geo_lad as l"
                                      " using (lad_code) order by 1")] == [
            "Birmingham", "Dudley", "Sandwell", "Walsall", "Wolverhampton"]
        assert wh.rows("select org_code, footprint_code from organisation order by 1") == [
            ("RNA", "BCWB"), ("RXK", "BCWB")]
        assert wh.rows("select site_code, org_code, postcode from site order by 1") == [
            ("RNA01", "RNA", "DY1 2HQ"), ("RXK02", "RXK", "B71 4HJ")]
        assert float(wh.value("select sum(amount_gbp) from spend")) == 10_000.0
        assert wh.value("select count(*) from supplier") == 5  # every line matched by name
        assert [r[0] for r in wh.rows("select table_name from load order by load_id")] == [
            "geography", "organisation", "site", "supplier", "spend", "estate"]
    finally:
        wh.close()

    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.selectbox(key=state.FOOTPRINT).value == "BCWB"
    assert not any("Demo data" in w.body for w in at.warning)
    assert metric(at, "Local spend: influenceable") == "37.5%"  # 3,300 / 8,800
    assert metric(at, "Local spend: all in-scope") == "45.0%"  # 4,500 / 10,000
    assert any("£4.5k of £10k in-scope spend" in c.value for c in at.caption)
    assert metric(at, "Land not delivering services") == "2.0 ha"  # 1.5 + 0.5
    assert any("2025/26 Q1" in c.value for c in at.caption)

    at.multiselect(key=f"{state.ORGS}_BCWB").set_value(["RXK"]).run()
    assert metric(at, "Local spend: influenceable") == "30.2%"  # 1,300 / 4,300
    assert metric(at, "Local spend: all in-scope") == "45.5%"  # 2,500 / 5,500
    at.multiselect(key=f"{state.ORGS}_BCWB").set_value(["RNA", "RXK"]).run()
    at.selectbox(key=state.PLACE_KIND).select(state.PLACE_ONE_LAD).run()
    at.selectbox(key=state.PLACE_LAD).select("E08000028").run()
    assert not at.exception, [e.message for e in at.exception]
    assert metric(at, "Local spend: all in-scope") == "8.0%"  # Sandwell: 800 / 10,000
