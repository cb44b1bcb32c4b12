"""The Estates and assets page through AppTest: the sidebar's changes and figures from the
hand-worked fixture (tests/fixture_warehouse.py); the City Hospital story on the demo."""

from __future__ import annotations

import pytest

from anchor import estates
from anchor.ui import state
from tests.apptest.helpers import metric, plain, run_app, tiles
from tests.fixture_warehouse import add_fixture_deciles, build_fixture_warehouse

PAGE = "pages/estates.py"


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
    assert any("cannot place their postcode: Beta City (BBB, ZZ9 9ZZ)" in plain(w.body)
               for w in at.warning)


def _return_of_alpha_general(db_path, **values) -> None:
    """Rewrite AAA01's 2024/25 Q2 return (the default period's only one) with `values`."""
    from anchor.db import Warehouse, bump_data_version
    wh = Warehouse(db_path)
    with wh.transaction() as cur:
        for column, value in values.items():  # column names from this test only
            cur.execute(f"update estate set {column} = ? where site_code = 'AAA01'"
                        " and quarter_start = date '2024-07-01'", [value])
        bump_data_version(cur)
    wh.close()


def test_the_largest_values_a_load_allows_are_drawn(monkeypatch, fixture_db):
    # each at its bound (anchor.loading.validation.LARGEST), or zero
    _return_of_alpha_general(
        fixture_db, site_area_ha=10_000, land_not_delivering_ha=10_000, gia_m2=5_000_000,
        occupied_m2=0, empty_m2=5_000_000, underused_m2=0, clinical_m2=0,
        non_clinical_m2=5_000_000, backlog_cost_gbp=1e11, energy_kwh=1e10, carbon_tco2e=1e7,
        community_use_hours=1e6)
    at = run_app(monkeypatch, fixture_db, PAGE)
    assert tiles(at) == {
        "Land not delivering services": "10,000.0 ha",
        "Empty or under-used space": "100.0%",
        "Non-clinical floor space": "100.0%",
        "Backlog maintenance": "£100.00bn",
        "Carbon from energy, tCO2e": "10,000,000",
        "Community use, hours": "1,000,000",
    }
    assert any("10,000.0 GWh of energy used" in c.value for c in at.caption)


def test_the_page_stands_whatever_a_stored_row_holds(monkeypatch, fixture_db):
    """Values no load lets in (infinity, 1e300, negatives, nothing), as an older warehouse
    or a hand edit may hold them: the page still draws, and shows no figure it cannot."""
    _return_of_alpha_general(
        fixture_db, site_area_ha=float("inf"), land_not_delivering_ha=1e300, gia_m2=-5,
        empty_m2=float("inf"), underused_m2=None, energy_kwh=float("inf"), carbon_tco2e=-5,
        community_use_hours=float("nan"), backlog_cost_gbp=-1)
    at = run_app(monkeypatch, fixture_db, PAGE)
    shown = tiles(at)
    assert (shown["Backlog maintenance"], shown["Carbon from energy, tCO2e"]) == ("-£1", "-5")
    assert shown["Empty or under-used space"] == "–"  # infinite m² of -5 m²: no share
    for size_by in estates.SIZE_OPTIONS:
        at.segmented_control(key=state.ESTATES_SIZE_BY).set_value(size_by).run()
        assert not at.exception, [e.message for e in at.exception]
