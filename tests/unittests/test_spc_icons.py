"""The SPC icons: which icon each result gets, and that every icon is labelled."""

import re

import pytest

from anchor import spc, spc_icons
from anchor.charts import NHS_BLUE, ORANGE


def result(values, improvement, target=None):
    return spc.xmr(values, [f"q{i}" for i in range(len(values))], improvement=improvement,
                   target=target)


FLAT = [10, 11, 10, 12, 11, 10, 11, 12, 10, 11, 10, 11]


@pytest.mark.parametrize("improvement, last, side, colour", [
    ("up", 30, "high", NHS_BLUE),     # far above the limits, higher is better: improvement, H
    ("up", -10, "low", ORANGE),       # far below, higher is better: concern, L
    ("down", -10, "low", NHS_BLUE),   # lower is better: improvement, L
    ("down", 30, "high", ORANGE),
    (None, 30, "high", "#5D3A9B"),    # no better direction: purple H
])
def test_a_special_cause_icon_shows_its_side_and_colour(improvement, last, side, colour):
    r = result(FLAT + [last], improvement)
    svg = spc_icons.variation_svg(r)
    assert spc_icons.side(r) == side
    assert f'stroke="{colour}"' in svg
    letter = re.search(r"<text[^>]*>(\w)</text>", svg).group(1)
    assert letter == ("H" if side == "high" else "L")


def test_common_cause_has_no_letter_and_every_icon_a_title():
    r = result(FLAT, "up")
    assert r.variation == spc.COMMON
    svg = spc_icons.variation_svg(r)
    assert "<text" not in svg and "<title>Common cause variation</title>" in svg
    for icon, meaning in spc_icons.key():
        assert icon.startswith("<svg") and "<title>" in icon and meaning


def test_assurance_icons_follow_the_target():
    # Mean 10.75, limits about 7.6 and 13.9: a target of 5 is always beaten when higher is
    # better (P), 20 never reached (F), 11 sometimes (?).
    assert ">P</text>" in spc_icons.assurance_svg(result(FLAT, "up", target=5).assurance)
    assert ">F</text>" in spc_icons.assurance_svg(result(FLAT, "up", target=20).assurance)
    assert ">?</text>" in spc_icons.assurance_svg(result(FLAT, "up", target=11).assurance)
    assert len(spc_icons.icons_svg(result(FLAT, "up", target=11))) == 2
    assert len(spc_icons.icons_svg(result(FLAT, "up"))) == 1
    assert 'width="30" height="30"' in spc_icons.sized(spc_icons.variation_svg(result(FLAT, "up")), 30)


def test_two_sigma_lines_are_drawn_only_when_asked_for():
    from anchor import charts
    r = result(FLAT, "up")
    names = [t.name for t in charts.spc_chart(r).data]
    assert "Two sigma" not in names
    fig = charts.spc_chart(r, two_sigma=True)
    lines = [t for t in fig.data if t.name == "Two sigma"]
    assert len(lines) == 1
    # mean 10.75 + 2/3 × 2.66 × MR̄ (13/11): 12.846...
    assert lines[0].y[0] == pytest.approx(10.75 + 2 / 3 * 2.66 * 13 / 11)


def test_an_icon_as_an_image_keeps_its_title_as_alternative_text():
    import base64

    svg = spc_icons.assurance_svg(spc.PASS)
    tag = spc_icons.img(svg, 34)
    assert tag.startswith('<img src="data:image/svg+xml;base64,')
    assert base64.b64decode(tag.split("base64,", 1)[1].split('"', 1)[0]).decode() == svg
    assert 'width="34" height="34" alt="Assurance: consistently meets the target"' in tag
