"""The Local employment page through AppTest: the sidebar's changes, figures from the
hand-worked fixture (tests/fixture_warehouse.py), disclosure control on screen."""

from __future__ import annotations

import pytest

from anchor.ui import state
from tests.apptest.helpers import metric, plain, run_app, tiles
from tests.fixture_warehouse import add_fixture_deciles, build_fixture_warehouse

PAGE = "pages/employment.py"


@pytest.fixture
def fixture_db(tmp_path):
    path = tmp_path / "fixture.duckdb"
    add_fixture_deciles(build_fixture_warehouse(path)).close()
    return path


def test_figures_match_the_fixture_and_small_counts_are_withheld(monkeypatch, fixture_db):
    at = run_app(monkeypatch, fixture_db, PAGE)
    assert at.title[0].value == "Local employment"
    # 2024/25 Q2, AAA and BBB (only AAA has staff), the footprint's two local authorities.
    assert tiles(at) == {
        "Residents employed": "15",  # 16 to the nearest 5
        # £80k, but it holds the pay of AAA's 4 residents in Birmingham: Sandwell alone
        # shows £60k, so the footprint's figure would give their £20k away.
        "Pay into the place": "*",
        "Apprenticeship starts": "*",  # 2 starts
        "Staff, most deprived 20%": "100.0%",  # 16 of the 16 with a decile: 15 of 15
        "Starters, most deprived 20%": "100.0%",  # 7 of 7
        "Below Real Living Wage": "*",  # 1 person
    }
    sentences = plain(at.markdown[0].value)
    # 16 of 18 to the nearest 5, and the share from the rounded counts.
    assert "15 of the footprint's 20 staff (75.0%) lived in Fixture footprint" in sentences
    assert "of the organisations' gross pay" not in sentences  # the pay is withheld
    tables = [t.value for t in at.table] + [t.value for t in at.dataframe]
    residents = next(t for t in tables if "Pay into the place" in t.columns)
    # Only AAA has staff: one row, with no total repeating it.
    assert list(residents["Residents employed"]) == ["15"]
    assert list(residents["Share living in the place"]) == ["75.0%"]
    assert list(residents["Pay into the place"]) == ["\\*"]  # AAA's 4 in Birmingham
    # The LSOA counts (12 and 4) and the local authority counts are all withheld: one is
    # from 1 to 4 and the place's total is shown.
    lads = next(t for t in tables if "Local authority" in t.columns)
    assert list(lads["Residents"]) == ["\\*", "\\*"]
    apprentices = next(t for t in tables if "Apprenticeship starts, 12 months" in t.columns)
    # Markdown-escaped in the table, so that it shows as a star and not a bullet.
    assert list(apprentices["Paid below the Real Living Wage"]) == ["\\*"]
    # The fixture's deciles are imported ones: nothing says they are synthetic.
    assert not any("synthetic" in w.body for w in at.warning)


def test_follows_the_sidebar(monkeypatch, fixture_db):
    at = run_app(monkeypatch, fixture_db, PAGE)
    at.selectbox(key=f"{state.PERIOD}_{state.PERIOD_QUARTER}").select_index(1).run()  # Q1
    assert not at.exception
    assert metric(at, "Residents employed") == "10"
    assert metric(at, "Pay into the place") == "£50k"
    assert metric(at, "Staff, most deprived 20%") == "66.7%"  # 10 of 13: 10 of 15
    assert metric(at, "Below Real Living Wage") == "0"
    at.selectbox(key=f"{state.PERIOD}_{state.PERIOD_QUARTER}").select_index(0).run()  # Q2
    at.multiselect(key=f"{state.ORGS}_FP1").set_value(["AAA"]).run()
    at.selectbox(key=state.PLACE_KIND).select(state.PLACE_ONE_LAD).run()
    at.selectbox(key=state.PLACE_LAD).select("E08000028").run()  # Sandwell
    assert not at.exception
    assert metric(at, "Residents employed") == "10"  # 12 to the nearest 5
    assert metric(at, "Pay into the place") == "£60k"
    at.selectbox(key=state.PLACE_KIND).select(state.PLACE_RADIUS).run()
    at.slider(key=state.RADIUS_KM).set_value(6).run()
    assert not at.exception
    assert metric(at, "Residents employed") == "15"  # Sandwell 010A and Birmingham 050C: 16
    at.slider(key=state.RADIUS_KM).set_value(2).run()
    assert metric(at, "Residents employed") == "10"  # 12: Birmingham 050C is 5.8 km away
    at.segmented_control(key=state.PERIOD_KIND).set_value(state.PERIOD_YEAR).run()
    at.toggle(key=state.INFLUENCEABLE).set_value(False).run()
    assert not at.exception
    assert metric(at, "Residents employed") == "10"  # 12 in Q2, the year's last quarter
    assert metric(at, "Pay into the place") == "£110k"  # 50k + 60k in Sandwell 010A
    assert any("2024/25" in c.value for c in at.caption)
    at.multiselect(key=f"{state.ORGS}_FP1").set_value(["BBB"]).run()
    assert not at.exception
    assert any("No workforce returns" in i.body for i in at.info)


def test_demo_says_the_deciles_are_synthetic_and_how_to_import_real_ones(monkeypatch, demo_copy):
    at = run_app(monkeypatch, demo_copy, PAGE)
    warning = next(w.body for w in at.warning if "deprivation deciles are synthetic" in w.body)
    assert "anchor imd FILE" in warning
    details = " ".join(c.value for c in at.caption)
    assert "Synthetic demo deciles" in details
    assert metric(at, "Residents employed") not in ("", "*", "–")
    # Four SPC charts, each a Plotly figure with its process limits.
    assert len(at.get("plotly_chart")) >= 6
    at.segmented_control(key=f"{state.SPC_WINDOW}_employment").set_value("Every quarter").run()
    at.multiselect(key=f"{state.ORGS}_BCWB").set_value(["TAJ"]).run()
    at.selectbox(key=state.PLACE_KIND).select(state.PLACE_NAMED).run()
    assert not at.exception
    at.selectbox(key=state.PLACE_KIND).select(state.PLACE_RADIUS).run()
    assert not at.exception


DECILE = "Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)"


def test_an_analyst_can_import_deciles_and_a_viewer_cannot(monkeypatch, fixture_db):
    at = run_app(monkeypatch, fixture_db, PAGE)
    [uploader] = [u for u in at.get("file_uploader") if u.label == "File 7 (CSV)"]
    # Both homes now in decile 5: nobody lives in the most deprived 20%.
    uploader.set_value(("File_7.csv", f"LSOA code (2011),{DECILE}\nE01010104,5\nE01009345,5\n"
                        .encode(), "text/csv"))
    at.run()
    assert any("2 LSOAs matched by code" in s.body for s in at.success)
    at.button(key=f"{state.IMD_FILE}_confirm").click().run()
    assert not at.exception
    assert metric(at, "Staff, most deprived 20%") == "0.0%"
    monkeypatch.setenv("ANCHOR_ROLE", "viewer")
    viewer = run_app(monkeypatch, fixture_db, PAGE)
    assert [u for u in viewer.get("file_uploader") if u.label == "File 7 (CSV)"] == []
