"""A board member reads the app on a warehouse of real published files (NHS Digital's
organisations, Chelsea and Westminster's April and May 2020 spend, no supplier postcodes):
the Overview and the Place page say the local share is not yet known, and so does the board
paper they take away. Nowhere does unplaced spend read as 0.0% local."""

import re
import shutil
import subprocess

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot, start_app, wait_for_app

pytestmark = pytest.mark.browser
ZERO_SHARE = re.compile(r"(?<![\d.])0\.0%")


@pytest.fixture(scope="module")
def real_url(real_db, tmp_path_factory):
    db = tmp_path_factory.mktemp("real_app") / "anchor.duckdb"
    shutil.copy(real_db, db)
    proc, url = start_app(db)
    yield url
    proc.terminate()
    proc.wait(timeout=20)


def tile(page, label: str):
    return page.locator("[data-testid=stMetric]").filter(has_text=label).first


def test_real_files_read_as_not_yet_known_on_screen_and_in_the_paper(page, real_url, tmp_path):
    page.goto(real_url)
    wait_for_app(page)
    value = tile(page, "Local spend: influenceable").locator("[data-testid=stMetricValue]")
    expect(value).to_have_text("Not yet known")
    main = page.locator("[data-testid=stMain]")
    expect(main).to_contain_text("Supplier location known for none of £41.7m")
    expect(main).to_contain_text("The map needs supplier locations")
    assert not ZERO_SHARE.search(main.inner_text())
    # the value wraps inside its tile rather than running into the next one
    box = value.bounding_box()
    card = tile(page, "Local spend: influenceable").bounding_box()
    assert box["x"] + box["width"] <= card["x"] + card["width"] + 1
    screenshot(page, "real_files_overview")

    page.goto(f"{real_url}/place")
    wait_for_app(page)
    main = page.locator("[data-testid=stMain]")
    expect(main).to_contain_text("spend is not yet known")
    assert not ZERO_SHARE.search(main.inner_text())
    with page.expect_download(timeout=180_000) as pdf:
        page.get_by_role("button", name="Board paper (PDF)").click()
    path = tmp_path / "paper.pdf"
    pdf.value.save_as(path)
    if shutil.which("pdftotext"):
        text = " ".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True,
                                       text=True, check=True).stdout.split())
        assert "Not yet known" in text
        assert "supplier location known for none of it" in text
        assert not ZERO_SHARE.search(text)
