"""A local growth advisor picks a place, presents it full screen step by step with the arrow
keys, and takes away the slide pack and the board paper. No request leaves the machine."""

import io
import re
import shutil
import subprocess
from collections import Counter
from datetime import date

import pytest
from playwright.sync_api import expect
from pptx import Presentation

from anchor.db import Warehouse
from anchor.demo import reference as ref
from anchor.measures import WarehouseSource
from anchor.periods import Period
from anchor.places import Place
from anchor.reports import paper
from anchor.reports.story import build_story
from tests.e2e.conftest import refuse_the_internet, screenshot, wait_for_app
from tests.unittests.test_reports_ticks import pdf_words

pytestmark = pytest.mark.browser


def step_text(page) -> str:
    return page.locator("[data-testid=anchor-step]").inner_text()


def sandwell_story(db):
    """The story the page tells of Sandwell in the demo's last quarter, from the same data."""
    wh = Warehouse(db, read_only=True)
    try:
        return build_story(WarehouseSource(wh), footprint_code=ref.FOOTPRINT_CODE,
                           footprint_name=ref.FOOTPRINT_NAME,
                           orgs=tuple(o.code for o in ref.ORGS),
                           period=Period.quarter(date(2025, 7, 1)),
                           place=Place.of_lads("Sandwell", ["E08000028"], ["Sandwell"]))
    finally:
        wh.close()


def test_present_a_place_and_take_it_away(page, app_url, demo_db, tmp_path):
    external = refuse_the_internet(page, app_url)
    page.goto(f"{app_url}/place")
    wait_for_app(page)

    # Choose Sandwell on the page (the sidebar still says the footprint).
    page.locator("[data-testid=stMain] [data-testid=stSelectbox]").filter(
        has_text="Place").first.click()
    page.get_by_role("option", name="Sandwell", exact=True).click()
    # The tile's label is written out in full under its number (the metric's own label is hidden).
    label = page.locator("p:visible", has_text="Influenceable spend with suppliers based in Sandwell")
    expect(label).to_be_visible(timeout=60_000)
    wait_for_app(page)

    page.set_viewport_size({"width": 1100, "height": 800})  # a small projector
    page.get_by_role("button", name="Present").click()
    title = page.locator(".anchor-present-title")
    expect(title).to_have_text("What the NHS puts into Sandwell", timeout=60_000)
    expect(page.locator("[data-testid=stSidebar]")).to_be_hidden()
    expect(page.locator("[data-testid=stHeader]")).to_be_hidden()
    assert page.evaluate("() => document.fullscreenElement === document.documentElement")
    # Every control's words in full: no "Take a…".
    for name in ("Previous", "Next", "Exit", "Take away"):
        button = page.get_by_role("button", name=name)
        assert button.evaluate("b => [b, ...b.querySelectorAll('*')].every("
                               "e => e.scrollWidth <= e.clientWidth + 1)"), name
    bar = page.locator(".anchor-present-bar")
    expect(bar).to_contain_text("2025/26 Q2")
    expect(bar).to_contain_text("Local means in Sandwell local authority.")
    expect(bar).to_contain_text("Source: Synthetic demo data")
    expect(bar).to_contain_text("DEMO DATA")
    assert re.fullmatch(r"1 of \d+", step_text(page))
    screenshot(page, "place-present-1")

    page.keyboard.press("ArrowRight")
    expect(title).to_have_text("Spend with businesses in Sandwell", timeout=30_000)
    assert step_text(page).startswith("2 of")
    page.get_by_role("button", name="Next").click()
    expect(title).to_have_text("The local share over time", timeout=30_000)
    page.keyboard.press("ArrowLeft")
    expect(title).to_have_text("Spend with businesses in Sandwell", timeout=30_000)
    page.locator(".js-plotly-plot").first.wait_for(timeout=30_000)
    page.wait_for_timeout(1500)  # let the map paint
    expect(page.locator(".modebar")).to_have_count(0)  # no chart toolbar on a slide
    screenshot(page, "place-present-2")

    # The last step compares the local authorities, with a key to its two colours.
    step = page.locator("[data-testid=anchor-step]")
    while not re.fullmatch(r"(\d+) of \1", now := step_text(page)):
        page.get_by_role("button", name="Next").click()
        expect(step).not_to_have_text(now, timeout=30_000)  # a busy server is slow to step
    expect(page.locator(".legendtext", has_text="In Sandwell")).to_be_visible(timeout=30_000)
    expect(page.locator(".legendtext", has_text="Other local authorities")).to_be_visible()

    # Take away the slide pack and the board paper, from inside the presentation.
    page.get_by_role("button", name="Take away").click()
    with page.expect_download(timeout=180_000) as pptx:
        page.get_by_role("button", name="Slide pack (PPTX)").click()
    assert pptx.value.suggested_filename.endswith(".pptx")
    prs = Presentation(io.BytesIO(open(pptx.value.path(), "rb").read()))
    titles = [next((sh.text_frame.text for sh in s.shapes if sh.name == "Title"), "")
              for s in prs.slides]
    assert titles[0] == "What the NHS puts into Sandwell"
    assert titles[-1] == "About these figures"
    assert sum(1 for s in prs.slides for sh in s.shapes if sh.name == "Chart") >= 5

    if not page.get_by_role("button", name="Board paper (PDF)").is_visible():
        page.get_by_role("button", name="Take away").click()
    with page.expect_download(timeout=180_000) as pdf:
        page.get_by_role("button", name="Board paper (PDF)").click()
    assert pdf.value.suggested_filename.endswith(".pdf")
    path = tmp_path / "paper.pdf"
    pdf.value.save_as(path)
    assert path.read_bytes()[:5] == b"%PDF-"
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                              check=True).stdout
        assert "What the NHS puts into Sandwell" in text
        # Every chart's tick labels are text in the paper, as the app's charts have them,
        # and none has fallen off a chart's left edge.
        words = pdf_words(path.read_bytes(), tmp_path, "downloaded")
        found = Counter(w for w, _, _ in words)
        ticks = [t for key, fig in sandwell_story(demo_db).charts.items() if key != "map"
                 for axis in ("xaxis", "yaxis") for t in fig.layout[axis].ticktext or ()]
        assert "12%" in ticks and "£400m" in ticks
        missing = Counter(w for t in ticks for w in t.split()) - found
        assert not missing, missing
        assert all(paper.MARGIN - 1 <= x0 and x1 <= paper.PAGE_W - paper.MARGIN + 1
                   for _, x0, x1 in words)

    page.keyboard.press("Escape")  # closes the Take away menu
    page.wait_for_timeout(500)
    page.keyboard.press("Escape")  # leaves the presentation
    expect(page.get_by_role("heading", name="Place", exact=True)).to_be_visible(timeout=30_000)
    expect(page.locator("[data-testid=stSidebar]")).to_be_visible()
    page.wait_for_function("() => !document.fullscreenElement", timeout=10_000)
    assert external == []
