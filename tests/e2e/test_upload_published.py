"""An analyst uploads two months of a trust's published spend together, the file spelling the
trust its own way: the check proposes the organisation, the analyst confirms it once, and
both months load as one load."""

from __future__ import annotations

import shutil

import pytest

from tests.e2e.conftest import screenshot, start_app, wait_for_app
from tests.e2e.test_upload import open_load_box, wait_idle

pytestmark = pytest.mark.browser
HEADER = ("Department Family,Entity,Date Paid,Expenses Type,Expenses Area,Supplier Name,"
          "Transaction Reference,Amount\n")
SPELLING = "Sandwell & West Birmingham Hospitals NHS FT"


def month_file(folder, month: int, lines: int):
    path = folder / f"swbh_2025-{month:02d}.csv"
    path.write_text(HEADER + "".join(
        f"Department of Health,{SPELLING},{d:02d}/{month:02d}/2025,Catering and food,"
        f"Facilities,Brand New Caterers Ltd,T{month}{d},\"1,000.00\"\n"
        for d in range(1, lines + 1)), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def published_app(demo_db, tmp_path_factory):
    db = tmp_path_factory.mktemp("published") / "anchor.duckdb"
    shutil.copy(demo_db, db)
    proc, url = start_app(db, env={"ANCHOR_ROLE": "analyst"})
    yield url
    proc.terminate()
    proc.wait(timeout=20)


def test_two_months_spelt_their_own_way_load_as_one_after_one_confirmation(
        page, published_app, tmp_path):
    files = [month_file(tmp_path, 10, 3), month_file(tmp_path, 11, 2)]
    page.goto(published_app)
    wait_for_app(page)
    page.set_viewport_size({"width": 1500, "height": 1400})
    open_load_box(page)
    page.locator("[data-testid=stSidebar] input[type=file]").set_input_files(
        [str(f) for f in files])
    confirm_org = page.get_by_role("button", name="Yes, it is RXK: confirm and check again")
    confirm_org.wait_for(timeout=120_000)
    wait_idle(page)
    body = page.locator("body").inner_text()
    assert "Load spend: 2 files" in body
    assert f"The file names its organisation “{SPELLING}”. It looks like RXK" in body
    screenshot(page, "upload-confirm-organisation")
    confirm_org.click()
    load = page.get_by_role("button", name="Load 5 rows").first
    load.wait_for(timeout=120_000)
    wait_idle(page)
    body = page.locator("body").inner_text()
    assert "taken as RXK, as you confirmed" in body or "What this load replaces" in body
    screenshot(page, "upload-two-months-preview")
    load.click()
    page.get_by_text("as load").first.wait_for(timeout=120_000)
    wait_idle(page)
    done = page.locator("body").inner_text()
    assert "Loaded swbh_2025-10.csv, swbh_2025-11.csv as load" in done
    assert "October 2025" in done and "November 2025" in done
