"""A regional lead opens the National comparison and reads every trust's rank."""

import pytest

from anchor.demo import reference as ref
from tests.e2e.conftest import screenshot, wait_for_app

pytestmark = pytest.mark.browser


def test_national_comparison_ranks_and_downloads(page, app_url):
    page.goto(app_url)
    wait_for_app(page)
    page.get_by_role("link", name="National comparison", exact=True).click()
    page.get_by_text("Every organisation", exact=True).first.wait_for(timeout=60_000)
    # one column per organisation whose share is known, the footprint's in its own colour
    page.wait_for_selector(".js-plotly-plot .barlayer .point", timeout=30_000)
    assert page.locator(".js-plotly-plot .barlayer .point").count() == len(ref.ORGS)
    assert ref.FOOTPRINT_NAME in page.locator(".js-plotly-plot .legend").text_content()
    with page.expect_download() as download:
        page.get_by_role("button", name="CSV", exact=True).click()
    text = open(download.value.path(), encoding="utf-8-sig").read()
    assert text.splitlines()[0].startswith("Rank,Organisation,Name")
    assert len(text.splitlines()) == 1 + len(ref.ORGS)
    screenshot(page, "national")
