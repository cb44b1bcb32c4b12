"""A saved scenario survives a restart of the app; the directory's map draws."""

import shutil

import pytest

from tests.e2e.conftest import screenshot, start_app, wait_for_app

pytestmark = pytest.mark.browser


@pytest.fixture
def own_db(demo_db, tmp_path):
    dest = tmp_path / "anchor.duckdb"
    shutil.copy(demo_db, dest)
    return dest


def _open(page, url, path):
    page.goto(f"{url}/{path}")
    wait_for_app(page)


def test_scenario_saved_survives_a_restart(browser, own_db):
    proc, url = start_app(own_db, {"ANCHOR_ROLE": "analyst"})
    try:
        page = browser.new_page(viewport={"width": 1500, "height": 1100})
        _open(page, url, "multiplier")
        body = page.locator("body").inner_text()
        assert "LM3" in body and "R3: re-spent in the place" in body
        page.wait_for_selector(".js-plotly-plot .barlayer", timeout=30_000)
        slider = page.get_by_role("slider").first
        slider.focus()
        for _ in range(15):
            page.keyboard.press("ArrowRight")  # from a neutral 0% to 15%
        page.wait_for_timeout(1500)
        page.get_by_label("Name this scenario to save it").fill("Fifteen per cent")
        page.get_by_role("button", name="Save scenario").click()
        page.get_by_text("Saved “Fifteen per cent”").wait_for(timeout=30_000)
        screenshot(page, "multiplier")
        page.close()
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    proc, url = start_app(own_db)
    try:
        page = browser.new_page(viewport={"width": 1500, "height": 1100})
        _open(page, url, "multiplier")
        page.get_by_text("Saved scenarios, side by side").wait_for(timeout=30_000)
        # The table draws on a canvas; its download says what it holds.
        with page.expect_download() as download:
            page.get_by_role("button", name="CSV").last.click()
        text = open(download.value.path(), encoding="utf-8-sig").read()
        assert "Fifteen per cent" in text
        assert ",15.0," in text  # the share moved, in per cent
        page.close()
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_directory_page(page, app_url):
    page.goto(f"{app_url}/suppliers")
    wait_for_app(page)
    page.locator(".maplibregl-canvas").first.wait_for(timeout=30_000)
    assert "What our place can supply" in page.locator("body").inner_text()
    assert page.locator(".js-plotly-plot .barlayer .point").count() >= 5
    screenshot(page, "suppliers")
