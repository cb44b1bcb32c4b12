"""The Local multiplier and Local suppliers pages: fixture figures and demo interactions."""


import pytest

from anchor import summary
from anchor.db import bump_data_version
from anchor.ui import state
from tests.apptest.helpers import metric, run_app
from tests.fixture_warehouse import Q2_2024, build_fixture_warehouse


@pytest.fixture
def fixture_db(tmp_path):
    path = tmp_path / "fixture.duckdb"
    wh = build_fixture_warehouse(path)
    wh.rows("insert into local_business (business_id, name, postcode, categories, is_sme,"
            " health_approved) values ('B1', 'Tipton Bakes', 'B70 9PL', ['Catering'], true, true),"
            " ('B2', 'Far Away Ltd', 'SW1A 1AA', ['Catering'], true, false)")
    wh.close()
    return path


def test_lm3_figures_match_the_fixture(monkeypatch, fixture_db):
    at = run_app(monkeypatch, fixture_db, "pages/multiplier.py", role="analyst")
    at.selectbox(key=f"{state.PERIOD}_{state.PERIOD_QUARTER}").select_index(1).run()
    at.multiselect(key=f"{state.ORGS}_FP1").set_value(["AAA"]).run()
    # R1 = in-scope spend 2,030 + pay 80,000; R2 = local suppliers 580 + local staff pay 50,000
    assert metric(at, "R1: money studied") == "£82k"
    assert metric(at, "R2: spent in the place") == "£51k"
    # R3 = 580 × (0.45 × 0.25 + 0.35 × 0.65) + 50,000 × 0.72 × 0.40 = 197.2 + 14,400
    assert metric(at, "R3: re-spent in the place") == "£15k"
    assert metric(at, "LM3") == "1.79"  # (82,030 + 50,580 + 14,597) / 82,030
    # A scenario starts neutral: nothing moved, the LM3 as it is.
    assert metric(at, "More spent in the place") == "£0"
    assert [m.value for m in at.metric if m.label == "LM3"] == ["1.79", "1.79"]
    assert any("Move the sliders" in m.value for m in at.markdown)
    # Move 10% of Catering's non-local influenceable spend (450): 45 more in the place.
    at.multiselect(key="scenario_categories").set_value(["Catering"]).run()
    at.slider(key="scenario_shift").set_value(10).run()
    assert metric(at, "More spent in the place") == "£45"


def test_the_starters_slider_starts_at_todays_share_with_no_change(monkeypatch, tmp_path):
    wh = build_fixture_warehouse(tmp_path / "starters.duckdb")
    with wh.transaction() as cur:  # 2024/25 Q2: 40 starters, 7 local, shown as 40 and 5
        cur.execute("insert into workforce (org_code, quarter_start, home_lsoa, staff_group,"
                    " afc_band, headcount, fte, gross_pay_gbp, starters, apprentices,"
                    " below_living_wage) values ('AAA', ?, 'E01004736', 'Admin', 'Band 3', 40,"
                    " 40.0, 200000, 33, 0, 0)", [Q2_2024])
        summary.rebuild(cur)
        bump_data_version(cur)
    wh.close()
    at = run_app(monkeypatch, tmp_path / "starters.duckdb", "pages/multiplier.py")
    # Today 5 / 40 = 12.5%, which the slider shows as 12%: on first render that is no change,
    # not 0.12 × 40 − 5 = 0.2 fewer local starters.
    assert at.slider(key="scenario_hire").value == 12
    assert metric(at, "More spent in the place") == "£0"
    baseline, scenario = [m for m in at.metric if m.label == "LM3"]
    assert scenario.value == baseline.value
    assert scenario.proto.delta == "+0.00"
    assert any("Move the sliders" in m.value for m in at.markdown)


def test_a_scenario_is_saved_and_compared(monkeypatch, fixture_db):
    at = run_app(monkeypatch, fixture_db, "pages/multiplier.py", role="analyst")
    at.slider(key="scenario_shift").set_value(20).run()
    form_input = next(t for t in at.text_input if "Name this scenario" in t.label)
    form_input.input("Twenty per cent")  # a form sends its fields with its button
    next(b for b in at.button if b.label == "Save scenario").click().run()
    assert not at.exception
    assert any("Saved" in s.value for s in at.success)
    assert any("Twenty per cent" in df.value.to_string() for df in at.dataframe)


def test_directory_and_opportunities(monkeypatch, fixture_db):
    at = run_app(monkeypatch, fixture_db, "pages/suppliers.py", role="analyst")
    at.selectbox(key=f"{state.PERIOD}_{state.PERIOD_QUARTER}").select_index(1).run()
    # Only Tipton Bakes is in the place; Far Away Ltd is in Westminster.
    assert metric(at, "Local businesses in the directory") == "1"
    assert metric(at, "Approved for health-sector supply") == "1"
    # Catering's influenceable spend outside the place: S3 400 + S4 50 (AAA) + S3 1,000 (BBB).
    assert metric(at, "Spend they could win") == "£1.4k"


@pytest.mark.parametrize("page", ["pages/multiplier.py", "pages/suppliers.py"])
def test_demo_pages_follow_the_sidebar(monkeypatch, demo_copy, page):
    at = run_app(monkeypatch, demo_copy, page, role="analyst")
    at.multiselect(key=f"{state.ORGS}_BCWB").set_value(["RXK", "TAJ"]).run()
    at.selectbox(key=state.PLACE_KIND).select(state.PLACE_ONE_LAD).run()
    at.segmented_control(key=state.PERIOD_KIND).set_value(state.PERIOD_YEAR).run()
    at.toggle(key=state.INFLUENCEABLE).set_value(False).run()
    assert not at.exception
    at.selectbox(key=state.PLACE_KIND).select(state.PLACE_RADIUS).run()
    assert not at.exception
