"""Every page through Streamlit's AppTest: the demo warehouse and the hand-worked fixture."""

from __future__ import annotations

import pytest

from anchor.db import Warehouse, bump_data_version
from anchor.geography.install import warehouse_has_geography
from anchor.ui import state
from tests.apptest.helpers import chart_alternatives, metric, plain, run_app

PAGES = [
    "pages/overview.py",
    "pages/local_spend.py",
    "pages/employment.py",
    "pages/estates.py",
    "pages/data.py",
    "pages/multiplier.py",
    "pages/suppliers.py",
    "pages/place.py",
    "pages/national.py",
]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_on_the_demo(monkeypatch, demo_copy, page):
    at = run_app(monkeypatch, demo_copy, page)
    assert at.title[0].value
    assert any("Demo data" in w.body for w in at.warning)
    # Every chart and map carries words a screen reader reads (anchor/ui/chart.py).
    assert chart_alternatives(at) or page == "pages/data.py"


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_on_an_empty_warehouse(monkeypatch, tmp_path, geography_cache, page):
    # First start: the geography is installed from the cache, then the page explains.
    monkeypatch.setenv("ANCHOR_GEO_CACHE", str(geography_cache))
    at = run_app(monkeypatch, tmp_path / "empty.duckdb", page)
    assert any("nothing to show yet" in i.body for i in at.info)
    assert warehouse_has_geography(Warehouse(tmp_path / "empty.duckdb"))


def test_overview_figures_match_the_hand_worked_fixture(monkeypatch, fixture_db):
    at = run_app(monkeypatch, fixture_db)
    # The latest quarter (2024/25 Q2) has staff but no spend.
    assert metric(at, "Local spend: influenceable") == "–"
    assert metric(at, "Residents employed") == "15"  # 16 to the nearest 5
    at.selectbox(key=f"{state.PERIOD}_{state.PERIOD_QUARTER}").select_index(1).run()
    assert not at.exception
    # Both organisations, 2024/25 Q1: AAA's 380 of 830 and BBB's 0 of 1,000 influenceable;
    # S4's £50 of AAA's is not placed, so the shares are of the rest.
    assert metric(at, "Local spend: influenceable") == "21.3%"  # 380 / 1,780
    assert metric(at, "Local spend: all in-scope") == "19.5%"  # 580 / 2,980
    assert metric(at, "Residents employed") == "10"
    assert metric(at, "Land not delivering services") == "2.0 ha"  # 1.5 + 0.5
    assert any("£580 of £3.0k in-scope spend (of the 98.3% whose supplier location is known)"
               in plain(c.value) for c in at.caption)  # 2,980 of 3,030
    # A year earlier (2023/24 Q1) 25.0% was local: 19.5% is 5.5 points down.
    assert next(m.delta for m in at.metric if plain(m.label) == "Local spend: all in-scope") == (
        "-5.5 pts")
    assert any(c.value == "Change on 2023/24 Q1" for c in at.caption)
    at.multiselect(key=f"{state.ORGS}_FP1").set_value(["AAA"]).run()
    assert metric(at, "Local spend: influenceable") == "48.7%"  # 380 / 780
    assert metric(at, "Local spend: all in-scope") == "29.3%"  # 580 / 1,980


def test_overview_withholds_counts_of_one_to_four_people(monkeypatch, fixture_db):
    """2024/25 Q2: AAA's 16 residents are 12 in Sandwell and 4 in Birmingham."""
    at = run_app(monkeypatch, fixture_db)
    at.selectbox(key=state.PLACE_KIND).select(state.PLACE_ONE_LAD).run()
    at.selectbox(key=state.PLACE_LAD).select("E08000025").run()  # Birmingham
    assert not at.exception
    assert metric(at, "Residents employed") == "*"
    table = next(d.value for d in at.dataframe if "Code" in d.value.columns).set_index("Code")
    assert table.loc["AAA", "Residents employed"] == "*"
    assert list(table.index) == ["AAA"]  # BBB made no return of any kind for 2024/25 Q2
    assert any("At the end of 2024/25 Q2, fewer than 5 of the 20 staff" in h.proto.body
               for h in at.get("html"))  # the tile's sentence
    at.selectbox(key=state.PLACE_LAD).select("E08000028").run()  # Sandwell
    assert metric(at, "Residents employed") == "10"  # 12 to the nearest 5


def test_overview_follows_the_sidebar(monkeypatch, fixture_db):
    at = run_app(monkeypatch, fixture_db)
    at.selectbox(key=f"{state.PERIOD}_{state.PERIOD_QUARTER}").select_index(1).run()
    at.multiselect(key=f"{state.ORGS}_FP1").set_value(["AAA"]).run()
    at.selectbox(key=state.PLACE_KIND).select(state.PLACE_ONE_LAD).run()
    at.selectbox(key=state.PLACE_LAD).select("E08000028").run()
    assert not at.exception
    assert metric(at, "Local spend: all in-scope") == "4.0%"  # 80 / 1,980 in Sandwell only
    at.selectbox(key=state.PLACE_KIND).select(state.PLACE_RADIUS).run()
    at.slider(key=state.RADIUS_KM).set_value(6).run()
    assert metric(at, "Local spend: all in-scope") == "29.3%"  # S1, S2 and S5 within 6 km
    at.multiselect(key=f"{state.ORGS}_FP1").set_value(["BBB"]).run()
    assert not at.exception
    assert metric(at, "Local spend: all in-scope") == "0.0%"
    at.segmented_control(key=state.PERIOD_KIND).set_value(state.PERIOD_YEAR).run()
    at.toggle(key=state.INFLUENCEABLE).set_value(False).run()
    assert not at.exception
    assert any("2024/25" in c.value for c in at.caption)


def test_overview_demo_interactions(monkeypatch, demo_copy):
    at = run_app(monkeypatch, demo_copy)
    at.segmented_control(key=state.PERIOD_KIND).set_value(state.PERIOD_YEAR).run()
    at.selectbox(key=f"{state.PERIOD}_{state.PERIOD_YEAR}").select_index(11).run()  # 2014/15
    assert not at.exception
    assert any("2014/15" in c.value for c in at.caption)
    at.multiselect(key=f"{state.ORGS}_BCWB").set_value(["RXK"]).run()
    at.selectbox(key=state.PLACE_KIND).select(state.PLACE_RADIUS).run()
    assert not at.exception
    assert metric(at, "Residents employed") != "–"


def test_an_organisation_loaded_during_a_session_joins_it(monkeypatch, fixture_db):
    at = run_app(monkeypatch, fixture_db)
    at.multiselect(key=f"{state.ORGS}_FP1").set_value(["AAA"]).run()
    wh = Warehouse(fixture_db)  # the app's own connection, as a load would use
    with wh.transaction() as cur:
        cur.execute("insert into organisation (org_code, name, org_type, footprint_code)"
                    " values ('CCC', 'Gamma Council', 'Council', 'FP1')")
        bump_data_version(cur)
    at.run()
    assert not at.exception
    assert at.multiselect(key=f"{state.ORGS}_FP1").value == ["AAA", "CCC"]


def test_overview_tiles_carry_the_spc_icons_and_their_key(monkeypatch, demo_copy):
    at = run_app(monkeypatch, demo_copy, "pages/overview.py")
    html = " ".join(h.proto.body for h in at.get("html"))
    # Each tile with an SPC result draws its variation icon, each icon an image (st.html keeps
    # no inline SVG) titled for a reader.
    assert html.count('<img src="data:image/svg+xml;base64,') >= 3 and 'alt="' in html
    assert any(e.label == "What the SPC icons mean" for e in at.expander)
    assert "Consistently meets the target" in html and "Common cause: no significant change" in html


# Every count, pay and area at the largest a load allows (anchor.loading.validation.LARGEST),
# and at zero: each page still draws.
EXTREMES = {
    "largest": (1_000_000, 1e10), "zero": (0, 0),
}


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("extreme", list(EXTREMES))
def test_every_page_renders_with_the_extremes_a_load_allows(monkeypatch, fixture_db, page,
                                                            extreme):
    people, pay = EXTREMES[extreme]
    wh = Warehouse(fixture_db)
    with wh.transaction() as cur:
        cur.execute("update workforce set headcount = ?, fte = ?, gross_pay_gbp = ?,"
                    " starters = ?, apprentices = ?, below_living_wage = ?",
                    [people, people, pay, people, people, people])
        cur.execute("update estate set site_area_ha = ?, land_not_delivering_ha = ?,"
                    " gia_m2 = ?, empty_m2 = ?, backlog_cost_gbp = ?",
                    [10_000 * bool(people), 10_000 * bool(people), 5_000_000 * bool(people),
                     5_000_000 * bool(people), 1e11 * bool(people)])
        bump_data_version(cur)
    wh.close()
    at = run_app(monkeypatch, fixture_db, page)  # asserts no exception
    assert at.title[0].value
