"""A chart's text alternative says what the chart shows, in the chart's own numbers."""

from datetime import date

import pandas as pd
import plotly.graph_objects as go

from anchor import charts, spc
from anchor.chart_text import describe, describe_spc


def _trend() -> pd.DataFrame:
    quarters = [date(2024, 4, 1), date(2024, 7, 1), date(2024, 10, 1), date(2025, 1, 1)]
    return pd.DataFrame({
        "quarter_start": quarters,
        "local_share": [0.20, float("nan"), 0.25, 0.22],
        "influenceable_local_share": [0.30, 0.28, 0.35, 0.40],
        "local_gbp": [20.0, 0, 25, 22], "influenceable_local_gbp": [15.0, 14, 17.5, 20],
        "spend_gbp": [100.0] * 4, "influenceable_gbp": [50.0] * 4,
        "unplaced_gbp": [0.0] * 4, "influenceable_unplaced_gbp": [0.0] * 4,
    })


def test_a_trend_reads_its_first_last_lowest_and_highest_points_as_its_axis_writes_them():
    text = describe(charts.local_share_trend(_trend()), title="Local share of spend")
    assert text == (
        "Local share of spend. Line chart of local share: "
        "Influenceable spend: 4 points from 2024/25 Q1 to 2024/25 Q4, 30.0% at first and 40.0% "
        "at last; lowest 28.0% (2024/25 Q2), highest 40.0% (2024/25 Q4); "
        # the quarter not yet known is a gap, not a point
        "All in-scope spend: 3 points from 2024/25 Q1 to 2024/25 Q4, 20.0% at first and 22.0% "
        "at last; lowest 20.0% (2024/25 Q1), highest 25.0% (2024/25 Q3).")


def test_a_bar_chart_names_its_largest_bars_by_their_own_labels_and_counts_the_rest():
    df = pd.DataFrame({"org": ["AAA", "BBB", "CCC", "DDD", "EEE"],
                       "share": [0.1, 0.5, 0.3, 0.2, None],
                       "label": ["10.0%", "50.0%", "30.0%", "20.0%", "Not yet known"]})
    fig = charts.organisation_comparison(df, value_col="share", label_col="org",
                                         text_col="label", axis_title="Local share")
    assert describe(fig) == ("Bar chart: 4 bars, largest first: BBB 50.0%; CCC 30.0%; "
                             "DDD 20.0%; and 1 more.")


def test_money_is_written_in_pounds_and_tags_in_labels_are_not_read_out():
    fig = go.Figure(go.Bar(x=["A &amp; B<br>Ltd", "C"], y=[2_500_000, 40_000]))
    charts.money_axis(fig, 2_500_000, axis="y")
    assert describe(fig) == "Bar chart: 2 bars, largest first: A & B Ltd £2.5m; C £40k."


def test_a_map_counts_its_areas_names_the_most_shaded_and_counts_its_sites():
    fig = go.Figure(go.Choroplethmap(
        locations=["E1", "E2", "E3"], z=[0.05, 0.173, None], text=["Dudley", "Birmingham", "X"],
        colorbar=dict(title=dict(text="Share of in-scope spend"), tickformat=".0%")))
    fig.add_trace(go.Scattermap(lat=[52.5, 52.6], lon=[-2.0, -2.1], name="Sites"))
    assert describe(fig) == ("Map: 2 areas shaded by share of in-scope spend; the most is "
                             "Birmingham (17.3%); 2 sites marked.")


def test_reference_lines_are_left_out_and_an_empty_chart_says_so():
    fig = go.Figure([go.Scatter(x=["Q1", "Q2"], y=[3, 5], name="Backlog"),
                     go.Scatter(x=["Q1", "Q2"], y=[4, 4], name="Upper limit")])
    assert describe(fig) == ("Line chart: Backlog: 2 points from Q1 to Q2, 3.00 at first and "
                             "5.00 at last; lowest 3.00 (Q1), highest 5.00 (Q2).")
    assert describe(go.Figure()) == "Chart: nothing to show."


def test_an_spc_chart_reads_its_span_latest_point_limits_and_special_causes():
    labels = [f"Q{i}" for i in range(1, 12)]
    result = spc.xmr([0.20] * 10 + [0.50], labels, improvement="up", target=0.25)
    # Mean 2.5 / 11 = 22.7%; the one moving range of 0.3 over ten gives 0.03, so the limits
    # are 22.7% ± 2.66 × 0.03: 14.7% to 30.7%, across the target. The last point is above
    # them; the ten before it are a run below the mean (a shift).
    assert describe_spc(result, kind="pct", title="Local share <b>of spend</b>") == (
        "SPC chart of Local share of spend: 11 quarters from Q1 to Q11, 50.0% at the latest. "
        "Mean 22.7%, process limits 14.7% to 30.7%; special cause: improving; "
        "target 25.0%: hits and misses the target; 10 points special cause: concerning, the "
        "latest Q10; 1 point special cause: improving, the latest Q11.")


def test_areas_set_apart_in_grey_are_counted_as_such():
    fig = go.Figure(go.Choroplethmap(locations=["E1", "E2"], z=[1, 1], showscale=False,
                                     name="Suppressed"))
    assert describe(fig) == "Map: 2 areas in grey: suppressed."
