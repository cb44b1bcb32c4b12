"""The Estates and assets page through AppTest: the sidebar's changes and figures from the
hand-worked fixture (tests/fixture_warehouse.py); the City Hospital story on the demo."""

from __future__ import annotations

import pytest

from anchor.ui import state
from tests.apptest.helpers import metric, plain, run_app, tiles
from tests.fixture_warehouse import add_fixture_deciles, build_fixture_warehouse

PAGE = "app_pages/estates.py"


@pytest.fixture
def fixture_db(tmp_path):
    path = tmp_path / "fixture.duckdb"
    add_fixture_deciles(build_fixture_warehouse(path)).close()
    return path


def test_figures_match_the_fixture(monkeypatch, fixture_db):
    at = run_app(monkeypatch, fixture_db, PAGE)
    assert at.title[0].value == "Estates and assets"
    # 2024/25 Q2: only AAA01 made a return.
    assert tiles(at) == {
        "Land not delivering services": "2.0 ha",
        "Empty or under-used space": "4.0%",  # 800 of 20,000 m²
        "Non-clinical floor space": "40.0%",
        "Backlog maintenance": "£1.1m",
        "Carbon from energy, tCO2e": "80",
        "Community use, hours": "150",
    }
    assert next(m.delta for m in at.metric if m.label == "Empty or under-used space") == (
        "+1.5 pts vs 2.5% limit")
    assert any("£55/m²" in c.value for c in at.caption)
    at.selectbox(key=f"{state.PERIOD}_{state.PERIOD_QUARTER}").select_index(1).run()  # Q1
    assert not at.exception
    assert tiles(at) == {
        "Land not delivering services": "2.0 ha",  # 1.5 + 0.5
        "Empty or under-used space": "3.2%",  # 900 of 28,000
        "Non-clinical floor space": "39.3%",
        "Backlog maintenance": "£1.4m",
        "Carbon from energy, tCO2e": "140",
        "Community use, hours": "180",
    }
    sites = next(t.value for t in at.table if "GIA (m²)" in t.value.columns and "Site" in t.value.columns)
    assert list(sites["Site"]) == ["Alpha General (AAA)", "Beta City (BBB)"]


def test_follows_the_sidebar(monkeypatch, fixture_db):
    at = run_app(monkeypatch, fixture_db, PAGE)
    at.segmented_control(key=state.PERIOD_KIND).set_value(state.PERIOD_YEAR).run()
    assert not at.exception
    # 2024/25: AAA01's Q2 return and BBB01's Q1 return; energy and carbon over both quarters.
    assert metric(at, "Land not delivering services") == "2.5 ha"
    assert metric(at, "Empty or under-used space") == "3.6%"  # 1,000 of 28,000
    assert metric(at, "Backlog maintenance") == "£1.5m"
    assert metric(at, "Carbon from energy, tCO2e") == "220"
    assert metric(at, "Community use, hours") == "330"
    at.selectbox(key=state.PLACE_KIND).select(state.PLACE_ONE_LAD).run()
    at.selectbox(key=state.PLACE_LAD).select("E08000028").run()  # Sandwell: AAA01 only
    assert not at.exception
    assert metric(at, "Land not delivering services") == "2.0 ha"
    assert metric(at, "Empty or under-used space") == "4.0%"
    at.selectbox(key=state.PLACE_KIND).select(state.PLACE_RADIUS).run()
    at.toggle(key=state.INFLUENCEABLE).set_value(False).run()
    assert not at.exception
    assert metric(at, "Land not delivering services") == "2.5 ha"
    at.segmented_control(key=state.ESTATES_SIZE_BY).set_value("Land not delivering services").run()
    assert not at.exception
    at.segmented_control(key=state.PERIOD_KIND).set_value(state.PERIOD_QUARTER).run()
    at.multiselect(key=f"{state.ORGS}_FP1").set_value(["BBB"]).run()  # BBB's only quarter, Q1
    assert not at.exception
    assert metric(at, "Land not delivering services") == "0.5 ha"
    assert metric(at, "Empty or under-used space") == "2.5%"  # 200 of 8,000: on the limit
    at.selectbox(key=state.PLACE_KIND).select(state.PLACE_ONE_LAD).run()
    at.selectbox(key=state.PLACE_LAD).select("E09000033").run()  # Westminster: no sites
    assert not at.exception
    assert any("has an estates return" in i.body for i in at.info)


def test_demo_tells_the_city_hospital_story(monkeypatch, demo_copy):
    at = run_app(monkeypatch, demo_copy, PAGE)
    text = plain(at.markdown[0].value)
    # 2025/26 Q2 against 2024/25 Q2: services left City Hospital for Midland Met in between.
    assert "At City Hospital (RXK), empty or under-used floor space rose" in text
    assert "land not delivering services rose" in text
    assert "Midland Metropolitan University Hospital (RXK) made its first return in 2024/25 Q3" in text
    release = next(t.value for t in at.table if "Land not delivering services" in t.value.columns)
    assert release["Site"].iat[0] == "City Hospital (RXK)"
    at.segmented_control(key=f"{state.SPC_WINDOW}_estates").set_value("Every quarter").run()
    at.multiselect(key=f"{state.ORGS}_BCWB").set_value(["RXK"]).run()
    at.selectbox(key=state.PLACE_KIND).select(state.PLACE_NAMED).run()
    assert not at.exception


def test_a_site_the_geography_cannot_place_is_named(monkeypatch, fixture_db):
    from anchor.db import Warehouse, bump_data_version
    wh = Warehouse(fixture_db)
    with wh.transaction() as cur:  # Beta City's postcode mistyped: its returns fall out of every place
        cur.execute("update site set postcode = 'ZZ9 9ZZ' where site_code = 'BBB01'")
        bump_data_version(cur)
    wh.close()
    at = run_app(monkeypatch, fixture_db, PAGE)
    at.selectbox(key=f"{state.PERIOD}_{state.PERIOD_QUARTER}").select_index(1).run()  # Q1
    assert metric(at, "Land not delivering services") == "1.5 ha"  # AAA01 alone
    assert any("cannot place their postcode: Beta City (BBB, ZZ9 9ZZ)" in w.body for w in at.warning)
