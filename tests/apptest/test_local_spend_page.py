"""The Local spend page against the fixture's hand-worked figures, and on the demo."""

import json

from anchor.ui import state
from tests.apptest.helpers import metric, run_app

PAGE = "pages/local_spend.py"


def test_figures_match_the_fixture(monkeypatch, fixture_db):
    at = run_app(monkeypatch, fixture_db, PAGE)
    at.selectbox(key=f"{state.PERIOD}_{state.PERIOD_QUARTER}").select_index(1).run()  # 2024/25 Q1
    # Both organisations, influenceable: 380 local of the 1,780 placed (S4's £50 is not);
    # SMEs S1 80 + S2 300 + S4 50 = 430 of 1,830, every supplier flagged.
    assert metric(at, "Local share") == "21.3%"
    assert metric(at, "Paid to SMEs") == "23.5%"
    assert metric(at, "Paid to the voluntary sector") == "16.4%"  # S2's 300
    # Invoices (credit notes and out-of-scope lines left out): 5 of 7 within 30 days.
    assert metric(at, "Invoices paid within 30 days") == "71.4%"
    at.multiselect(key=f"{state.ORGS}_FP1").set_value(["AAA"]).run()
    assert metric(at, "Paid to SMEs") == "51.8%"  # 430 / 830
    assert metric(at, "Invoices paid within 30 days") == "66.7%"  # 4 of 6
    at.toggle(key=state.INFLUENCEABLE).set_value(False).run()
    assert metric(at, "Local share") == "29.3%"  # 580 / 1,980 placed
    assert not at.exception


def test_bppc_splits_local_smes(monkeypatch, fixture_db):
    at = run_app(monkeypatch, fixture_db, PAGE)
    at.selectbox(key=f"{state.PERIOD}_{state.PERIOD_QUARTER}").select_index(1).run()
    at.multiselect(key=f"{state.ORGS}_FP1").set_value(["AAA"]).run()
    bppc = next(df.value for df in at.dataframe if "Suppliers" in df.value.columns)
    rows = bppc.set_index("Suppliers")
    # Local SMEs are S1 (paid in 10 days) and S2 (45 days): 1 of 2, £100 of £400.
    assert rows.loc["Local SMEs", "Paid within 30 days (number)"] == "50.0%"
    assert rows.loc["Local SMEs", "Paid within 30 days (value)"] == "25.0%"
    assert rows.loc["All suppliers", "Paid within 30 days (value)"] == "82.9%"  # 1,700 / 2,050


def test_demo_interactions(monkeypatch, demo_copy):
    at = run_app(monkeypatch, demo_copy, PAGE)
    at.multiselect(key=f"{state.ORGS}_BCWB").set_value(["RXK"]).run()
    assert not at.exception
    # RXK's commitment: a target line on its trend, stated in words.
    assert any("committed to raise its local share" in c.value for c in at.caption)
    at.segmented_control(key="spend_map_scale").set_value("Neighbourhoods in the place").run()
    at.selectbox(key=state.PLACE_KIND).select(state.PLACE_RADIUS).run()
    at.segmented_control(key=state.PERIOD_KIND).set_value(state.PERIOD_YEAR).run()
    at.toggle(key=state.INFLUENCEABLE).set_value(False).run()
    assert not at.exception


def commitment_caption(at) -> str:
    return next(c.value for c in at.caption if "committed to raise its local share" in c.value)


def test_a_commitment_is_tracked_on_the_spend_it_was_made_on(monkeypatch, demo_copy):
    at = run_app(monkeypatch, demo_copy, PAGE)
    at.multiselect(key=f"{state.ORGS}_BCWB").set_value(["RXK"]).run()
    on = commitment_caption(at)
    assert "its local share of influenceable spend by 10%" in on  # RXK's, in the demo
    at.toggle(key=state.INFLUENCEABLE).set_value(False).run()
    off = commitment_caption(at)
    # The same baseline and target, not the in-scope share set against the influenceable target.
    assert off.startswith(on) and off.endswith(
        "The chart shows influenceable spend, the spend the commitment was made on.")


def test_the_trend_has_a_point_a_month_or_a_quarter(monkeypatch, fixture_db):
    at = run_app(monkeypatch, fixture_db, PAGE)
    at.selectbox(key=f"{state.PERIOD}_{state.PERIOD_QUARTER}").select_index(1).run()  # 2024/25 Q1
    # the fixture's spend was paid in April 2023 and April 2024: a point for each month
    assert any(c.value == "One point a month (of payment): 2 months." for c in at.caption)
    assert ["April 2023", "April 2024"] in trend_x(at)
    at.segmented_control(key=state.SPEND_POINTS).set_value("By quarter").run()
    assert not at.exception
    assert any(c.value == "One point a quarter: 2 quarters." for c in at.caption)
    assert ["2023/24 Q1", "2024/25 Q1"] in trend_x(at)
    assert ["April 2023", "April 2024"] not in trend_x(at)


def trend_x(at) -> list[list]:
    """The x values of every line of every chart on the page."""
    return [trace.get("x") for e in at.get("plotly_chart")
            for trace in json.loads(e.proto.spec)["data"]]
