import pandas as pd
import pytest

from anchor import formatting as fmt


@pytest.mark.parametrize("x, text", [
    (1_720_000, "£1.7m"), (12_600_000, "£12.6m"), (89_000_000, "£89.0m"), (850_000, "£850k"),
    (4_250, "£4.2k"), (640, "£640"), (-1_200_000, "-£1.2m"), (2.3e9, "£2.30bn"), (None, "–"),
])
def test_gbp(x, text):
    assert fmt.gbp(x) == text


@pytest.mark.parametrize("x, text", [
    (0, "£0"), (5_000_000, "£5m"), (2_500_000, "£2.5m"), (500_000_000, "£500m"),
    (1.5e9, "£1.5bn"), (2e9, "£2bn"), (500_000, "£500k"), (2_500, "£2.5k"), (-5e6, "-£5m"),
])
def test_gbp_tick(x, text):
    assert fmt.gbp_tick(x) == text


def test_shares_counts_and_units():
    assert fmt.pct(0.143) == "14.3%"
    assert fmt.pct(0.019) == "1.9%"
    assert fmt.pct(float("nan")) == "–"
    assert fmt.points(0.012) == "+1.2 pts"
    assert fmt.points(-0.004) == "-0.4 pts"
    assert fmt.count(24216) == "24,216"
    assert fmt.hectares(11.77) == "11.8 ha"
    assert fmt.gbp(1234.5, precise=True) == "£1,234.50"


@pytest.mark.parametrize("value, text", [
    ("<img src=x onerror=alert(1)>", r"\<img src=x onerror=alert\(1\)\>"),
    ("[click](http://evil.example) **bold**",
     "\\[click\\]\\(http\\:\u200b//evil.example\\) \\*\\*bold\\*\\*"),
    # a bare address is broken by a zero-width space, which GFM would otherwise link
    ("see https://evil.example or www.evil.example",
     "see https\\:\u200b//evil.example or www\u200b.evil.example"),
    (":red[alert] :material/delete:", r"\:red\[alert\] \:material/delete\:"),
    ("![x](y)", r"\!\[x\]\(y\)"),
    ("`code` _it_ ~strike~ $x$ a|b #1", r"\`code\` \_it\_ \~strike\~ \$x\$ a\|b \#1"),
    ("back\\slash", "back\\\\slash"),
    ("Line one\n# Line two", r"Line one \# Line two"),
    ("Sandwell & West Birmingham 14.3%", "Sandwell & West Birmingham 14.3%"),
    (42, "42"),
])
def test_md_text_escapes_what_markdown_would_act_on(value, text):
    assert fmt.md_text(value) == text


def test_md_table_escapes_text_cells_only():
    import pandas as pd

    df = pd.DataFrame({"name": ["**A**", "*"], "n": [1, 2]})
    out = fmt.md_table(df)
    assert out["name"].tolist() == [r"\*\*A\*\*", r"\*"]
    assert out["n"].tolist() == [1, 2]


def test_plotly_text_escapes_tags():
    from anchor.charts import plotly_text

    assert plotly_text("<b>A</b> & <a href='x'>") == "&lt;b&gt;A&lt;/b&gt; &amp; &lt;a href='x'&gt;"


# One rounding rule: a comparison is made on the figures as shown.

@pytest.mark.parametrize("now, before, word", [
    (0.02296, 0.023, "about the same as"),   # both read 2.3%: never "below 2.3%"
    (0.1434, 0.1426, "about the same as"),   # 14.3% and 14.3%
    (0.1436, 0.1424, "up from"),             # 14.4% and 14.2%
    (0.121, 0.143, "down from"),
])
def test_shares_compared_as_shown(now, before, word):
    assert fmt.compared(now, before, fmt.pct) == word


def test_areas_compared_as_shown():
    # 10.46 and 10.54 ha both read 10.5 ha; a 0.05 ha tolerance would call it a rise.
    assert fmt.compared(10.54, 10.46, fmt.hectares) == "about the same as"
    assert fmt.compared(10.56, 10.44, fmt.hectares) == "up from"


def test_a_change_is_the_difference_of_the_figures_shown():
    # 14.34% and 12.16% show as 14.3% and 12.2%: the chip reads their difference, 2.1 points,
    # not the 2.2 that the unrounded 2.18 would print.
    assert fmt.pct(0.1434) == "14.3%" and fmt.pct(0.1216) == "12.2%"
    assert fmt.points_change(0.1434, 0.1216) == "+2.1 pts"   # not +2.2 from 2.18
    assert fmt.points_change(0.1216, 0.1434) == "-2.1 pts"
    assert fmt.points_change(None, 0.1) is None
    # 10.46 ha and 4.24 ha show as 10.5 ha and 4.2 ha: +6.3 ha, not the +6.2 of 6.22.
    assert fmt.hectares_change(10.46, 4.24) == "+6.3 ha"
    assert fmt.as_shown(0.14349, scale=100) == 14.3


@pytest.mark.parametrize("top, ticks", [
    (0.6, ".0%"),     # 0%, 10%, 20% ...
    (0.025, ".1%"),   # 0.0%, 0.5%, 1.0% ... rather than 0%, 1%, 1%, 2%, 2%
    (0.0015, ".2%"),  # one neighbourhood's share of all staff
])
def test_colour_bars_and_share_axes_tick_in_readable_steps(top, ticks):
    from anchor import charts, maps
    assert charts.share_tickformat(top) == ticks
    fig = maps.choropleth({"type": "FeatureCollection", "features": []},
                          pd.DataFrame({"id": ["A"], "v": [top], "name": ["A"]}), id_col="id",
                          value_col="v", label_col="name", hover_text=["A"], colorbar_title="S",
                          zmax=top)
    assert fig.data[0].colorbar.tickformat == ticks
