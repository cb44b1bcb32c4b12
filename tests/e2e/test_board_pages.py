"""A board member opens Local employment and Estates and assets: the maps draw, every SPC chart
draws its process limits, nothing is fetched from the internet, and no downloaded workforce
figure shows a count of people from 1 to 4."""

from __future__ import annotations

import csv
import io

import pytest
from PIL import Image

from tests.e2e.conftest import refuse_the_internet, screenshot, wait_for_app

pytestmark = pytest.mark.browser


def _fractions(png: bytes) -> tuple[float, float]:
    """Shares of pixels in the maps' blues and in the orange of sites and idle land."""
    im = Image.open(io.BytesIO(png)).convert("RGB")
    im = im.resize((im.width // 4, im.height // 4))
    px = list(im.get_flattened_data())
    blue = sum(1 for r, g, b in px if b > 150 and b - r > 40)
    orange = sum(1 for r, g, b in px if r > 200 and r - b > 90 and g < 190)
    return blue / len(px), orange / len(px)


def _open(page, app_url, path: str) -> list[str]:
    """Open a page with every request outside the app refused; returns what was refused."""
    external = refuse_the_internet(page, app_url)
    page.goto(f"{app_url}/{path}")
    _wait_for_page(page)
    return external


def _wait_for_page(page) -> None:
    """Until the script has run to the end (the definitions come last) and nothing on the page
    is left over from an earlier run."""
    wait_for_app(page)
    page.get_by_text("How these figures are calculated").wait_for(timeout=60_000)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=stStatusWidget]')"
        " && !document.querySelector('[data-stale=true]')", timeout=60_000)


def _the_map(page):
    page.locator(".maplibregl-canvas").first.wait_for(timeout=30_000)
    the_map = page.locator(".js-plotly-plot", has=page.locator(".maplibregl-canvas")).first
    the_map.scroll_into_view_if_needed()
    page.wait_for_timeout(2500)  # let MapLibre paint
    return the_map


def _traces(the_map) -> list[tuple[str, str, int]]:
    """(type, name, number of points) of each trace Plotly drew in a figure."""
    return [tuple(t) for t in the_map.evaluate(
        "d => d._fullData.map(t => [t.type, t.name || '', t._length || 0])")]


def _spc_limits_drawn(page) -> None:
    """Four SPC charts, each with its process limits: a legend entry and two dashed lines."""
    page.get_by_text("Quarter by quarter").scroll_into_view_if_needed()
    page.wait_for_timeout(1000)
    assert page.locator(".js-plotly-plot .legendtext", has_text="Process limits").count() == 4
    dashed = page.locator(".js-plotly-plot .scatterlayer .trace path.js-line").evaluate_all(
        "ps => ps.filter(p => (p.style.strokeDasharray || '').includes('px')).length")
    assert dashed >= 8


def _full_screenshots(page, name: str) -> None:
    """The whole page at 1,500 and 1,100 pixels wide, for a person to look at."""
    for width, suffix in [(1500, ""), (1100, "-1100")]:
        page.set_viewport_size({"width": width, "height": 5200})
        page.wait_for_timeout(3000)
        screenshot(page, f"{name}{suffix}")
    page.set_viewport_size({"width": 1500, "height": 1100})


def test_local_employment(page, app_url):
    external = _open(page, app_url, "employment")
    body = page.locator("body").inner_text()
    assert "Residents employed" in body
    assert "synthetic demo values" in body and "anchor imd FILE" in body
    the_map = _the_map(page)
    blue, _ = _fractions(the_map.screenshot())
    # The colour bar alone is about 2% of the figure; the shaded LSOAs take far more.
    assert blue > 0.08
    traces = _traces(the_map)
    assert traces[0][0] == "choroplethmap" and traces[0][2] > 1000
    assert ("choroplethmap", "Suppressed") in [t[:2] for t in traces]
    _spc_limits_drawn(page)
    assert external == []
    _full_screenshots(page, "employment")


def test_estates_and_assets(page, app_url):
    external = _open(page, app_url, "estates")
    body = page.locator("body").inner_text()
    assert "At City Hospital (RXK), empty or under-used floor space rose" in body
    the_map = _the_map(page)
    blue, _ = _fractions(the_map.screenshot())
    assert blue > 0.01  # the circles and the place's outline
    assert _traces(the_map)[0][:1] == ("scattermap",)
    assert _traces(the_map)[0][2] == 14  # the footprint's sites with a return
    page.get_by_role("radio", name="Land not delivering services").click()
    page.wait_for_timeout(500)
    _wait_for_page(page)
    the_map = _the_map(page)
    _, orange = _fractions(the_map.screenshot())
    assert orange > 0.002  # idle land in orange, City Hospital's the largest
    _spc_limits_drawn(page)
    assert external == []
    _full_screenshots(page, "estates")


def _csv_rows(download) -> list[dict[str, str]]:
    with open(download.path(), encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def _is_count(column: str) -> bool:
    """Columns that hold counts of people (not shares, money, FTE or names)."""
    return not any(w in column for w in ("%", "GBP", "FTE", "Organisation", "Local authority"))


def test_no_downloaded_workforce_figure_shows_a_count_from_one_to_four(page, app_url):
    page.goto(f"{app_url}/employment")  # no request routing here: it would cancel downloads
    _wait_for_page(page)
    # Within 10 km of the sites some local authorities hold only a handful of staff.
    page.get_by_role("combobox", name="Local means").click()
    page.get_by_role("option", name="Distance from each organisation's sites").click()
    page.get_by_text("Within 10 km").first.wait_for(timeout=60_000)
    _wait_for_page(page)
    buttons = page.locator("[data-testid=stMain] [data-testid=stDownloadButton] button",
                           has_text="CSV")
    assert buttons.count() == 4
    suppressed = 0
    for i in range(buttons.count()):
        with page.expect_download() as download:
            buttons.nth(i).click()
        rows = _csv_rows(download.value)
        # A download button reruns the page, which renews every file behind the buttons.
        page.wait_for_timeout(500)
        _wait_for_page(page)
        assert rows
        for row in rows:
            for column, value in row.items():
                if not _is_count(column):
                    continue
                if value == "*":
                    suppressed += 1
                    continue
                assert not 0 < float(value) < 5, (column, value)
    assert suppressed >= 2


def test_local_spend(page, app_url):
    external = _open(page, app_url, "local_spend")
    body = page.locator("body").inner_text()
    assert "Local share" in body
    assert "Invoices paid within 30 days" in body
    the_map = _the_map(page)
    blue, _ = _fractions(the_map.screenshot())
    assert blue > 0.08  # local authorities shaded by their share of spend
    assert _traces(the_map)[0][0] == "choroplethmap"
    # Two SPC charts (the local share, prompt payment), each with its limits.
    assert page.locator(".js-plotly-plot .legendtext", has_text="Process limits").count() == 2
    # Prompt payment has a target line (95%).
    assert page.locator(".js-plotly-plot .legendtext", has_text="Target (95.0%)").count() == 1
    assert external == []
    _full_screenshots(page, "local-spend")
