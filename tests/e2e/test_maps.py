"""Maps draw filled polygons with their attribution, with no network at all."""

import io

import pytest
from PIL import Image

from tests.e2e.conftest import refuse_the_internet, screenshot, wait_for_app

pytestmark = pytest.mark.browser


def _blue_fraction(png: bytes) -> float:
    """Share of pixels in the choropleth's blues (not white, not grey)."""
    im = Image.open(io.BytesIO(png)).convert("RGB")
    im = im.resize((im.width // 4, im.height // 4))
    px = list(im.get_flattened_data())
    blue = sum(1 for r, g, b in px if b > 150 and b - r > 40)
    return blue / len(px)


def test_overview_map_offline(page, app_url):
    external = refuse_the_internet(page, app_url)
    page.goto(app_url)
    wait_for_app(page)
    canvas = page.locator(".maplibregl-canvas")
    canvas.first.wait_for(timeout=30_000)
    page.wait_for_timeout(2500)  # let MapLibre paint
    the_map = page.locator(".js-plotly-plot", has=page.locator(".maplibregl-canvas")).first
    the_map.scroll_into_view_if_needed()
    # The colour bar alone is about 2% of the figure; filled areas take far more.
    assert _blue_fraction(the_map.screenshot()) > 0.08
    attribution = page.locator(".maplibregl-ctrl-attrib").first.inner_text()
    assert "Open Government Licence" in attribution
    assert "Crown copyright" in attribution
    assert external == []
    screenshot(page, "overview-map")
