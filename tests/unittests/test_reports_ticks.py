"""The axis numbers of every exported chart, on the hand-worked fixture: read from the board
paper's text (its charts are vector drawings), and from the figures the slide images are
drawn from, with Plotly's default theme set to Streamlit's as it is inside the app.

The fixture story (2024/25 Q1, Sandwell and Birmingham, AAA and BBB, influenceable spend):
    trend      influenceable local share 25.0% in 2023/24 Q1 (100 of 400) and 21.3% in
               2024/25 Q1 (380 of the 1,780 placed): top 25%, steps of 5%
    residents  10 staff living in the place in 2024/25 Q1: 0 to 10 in steps of 2
    land       2.0 ha not delivering services: 0 to 2 ha in steps of 0.5 ha
    lm3        R1 £83,030 (£3,030 in-scope spend and £80,000 pay); room above it for its
               label, 15%, makes £95,484: £0 to £100k in steps of £20k
    compare    no value ticks (each bar carries its value): Sandwell £80 and 10 staff,
               Birmingham £300 and 0
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import plotly.io as pio
import pytest
from PIL import Image
from pptx import Presentation

from anchor.reports import exports, paper, slides
from tests.unittests.test_reports import story_of

TICKS = {
    "trend": (["0%", "5%", "10%", "15%", "20%", "25%"], ["2023/24", "2024/25"]),
    "residents": (["0", "2", "4", "6", "8", "10"], ["2024/25"]),
    "land": (["0 ha", "0.5 ha", "1 ha", "1.5 ha", "2 ha"], ["2024/25"]),
    "lm3": (["£0", "£20k", "£40k", "£60k", "£80k", "£100k"],
            ["R1: spent and paid", "R2: in the place", "R3: re-spent there"]),
}
BAR_LABELS = {"compare": ["£80", "£300", "10", "0", "Sandwell", "Birmingham"]}

needs_chromium = pytest.mark.skipif(not Path("/usr/bin/chromium").exists(),
                                    reason="needs Debian's chromium (make test installs it)")


@pytest.fixture
def streamlit_theme():
    """Plotly's default theme as the app has it: importing Streamlit's chart element makes
    its own theme the default, one without automatic margins."""
    before = pio.templates.default
    import streamlit.elements.plotly_chart  # noqa: F401  (registers the theme)
    pio.templates.default = "streamlit"
    yield
    pio.templates.default = before


def pdf_words(pdf: bytes, tmp_path: Path, name: str) -> list[tuple[str, float, float]]:
    """Every word of the PDF with its left and right edge (points from the page's left)."""
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    html = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    return [(w.replace("&amp;", "&"), float(x0), float(x1)) for x0, x1, w in re.findall(
        r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>',
        html)]


def _expected_words(labels: list[str]) -> Counter:
    return Counter(w for label in labels for w in label.split())


def test_the_trends_value_axes_are_fixed_round_ticks(fixture_wh):
    s = story_of(fixture_wh)
    for key, (values, _) in TICKS.items():
        y = s.charts[key].layout.yaxis
        assert list(y.ticktext) == values, key
        assert y.range[1] == y.tickvals[-1], key  # every tick inside the range, none cut off
    assert list(s.charts["trend"].layout.yaxis.tickvals) == pytest.approx(
        [0, 0.05, 0.10, 0.15, 0.20, 0.25])


def test_export_figures_make_room_for_their_labels_whatever_the_default_theme(
        fixture_wh, streamlit_theme):
    s = story_of(fixture_wh)
    for k, fig in exports.paper_figures(s).items():
        assert fig.layout.template.layout.colorway == pio.templates["plotly"].layout.colorway
        axes = [fig.layout[a] for a in fig.layout if a.startswith(("xaxis", "yaxis"))]
        assert axes and all(a.automargin for a in axes), k
        assert (fig.layout.width, fig.layout.height) == paper.CHART_PX
    assert s.charts["trend"].layout.width is None  # the app's own figure is left alone


def test_slide_figures_carry_the_apps_ticks_at_a_fixed_size(fixture_wh, streamlit_theme):
    s = story_of(fixture_wh)
    figs = exports.slide_figures(s)
    assert set(figs) == set(slides.chart_layouts(s)) == set(TICKS) | set(BAR_LABELS)
    for k, fig in figs.items():
        assert (fig.layout.width, fig.layout.height) == slides.chart_layouts(s)[k]
        for axis in ("xaxis", "yaxis"):
            shown, app = fig.layout[axis], s.charts[k].layout[axis]
            assert (shown.tickvals, shown.ticktext, shown.range) == \
                   (app.tickvals, app.ticktext, app.range), (k, axis)
        if k in TICKS:
            values, categories = TICKS[k]
            assert list(fig.layout.yaxis.ticktext) == values
            if fig.layout.xaxis.ticktext:
                assert list(fig.layout.xaxis.ticktext) == categories
            else:
                assert [x for t in fig.data for x in t.x] == categories + categories[1:]


@needs_chromium
def test_slide_images_are_drawn_at_their_fixed_size(fixture_wh, streamlit_theme):
    s = story_of(fixture_wh)
    prs = Presentation(io.BytesIO(exports.slide_pack(s)))
    sizes = [Image.open(io.BytesIO(sh.image.blob)).size
             for sl in prs.slides for sh in sl.shapes if sh.name == "Chart"]
    layouts = slides.chart_layouts(s)
    order = [m.chart for m in s.messages[1:] if m.chart in layouts]
    assert sizes == [(layouts[k][0] * slides.CHART_SCALE, layouts[k][1] * slides.CHART_SCALE)
                     for k in order]


@needs_chromium
@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils (make test)")
def test_board_paper_charts_are_text_with_every_tick_label(fixture_wh, tmp_path,
                                                            streamlit_theme):
    s = story_of(fixture_wh)
    without = Counter(w for w, _, _ in pdf_words(paper.build(s, {}), tmp_path, "bare"))
    words = pdf_words(exports.board_paper(s), tmp_path, "paper")
    charts = Counter(w for w, _, _ in words) - without  # what the charts (and captions) add
    labels = [lab for values, categories in TICKS.values() for lab in values + categories]
    missing = _expected_words(labels + BAR_LABELS["compare"]) - charts
    assert not missing, missing
    # Every word lies inside the text frame: none pushed off the chart's left edge.
    left, right = paper.MARGIN - 1, paper.PAGE_W - paper.MARGIN + 1
    outside = [(w, x0, x1) for w, x0, x1 in words if x0 < left or x1 > right]
    assert not outside, outside
