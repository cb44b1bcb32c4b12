"""An analyst loads a quarter through the sidebar, sees it on the Overview, undoes it on the
Data page and sees it gone; a bad file gets the validation report instead."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.e2e.conftest import screenshot, start_app, wait_for_app

pytestmark = pytest.mark.browser
NEW_QUARTER = "2025/26 Q3"  # the demo runs to 2025/26 Q2
GOOD_FILE = (
    "Department Family,Entity,Date,Expense Type,Expense Area,Supplier,Transaction Number,"
    "Amount\n"
    "Department of Health,Sandwell and West Birmingham Hospitals NHS Trust,15/10/2025,"
    "Catering and food,Facilities,Brand New Caterers Ltd,T1,\"£12,500.00\"\n"
    "Department of Health,Sandwell and West Birmingham Hospitals NHS Trust,03/11/2025,"
    "Catering and food,Facilities,BRAND NEW CATERERS LIMITED,T2,(500.00)\n"
    "Department of Health,Sandwell and West Birmingham Hospitals NHS Trust,2025-12-01,"
    "Clinical supplies,Theatres,Brand New Caterers Ltd,T3,\"1,329,075.00\"\n"
)
BAD_FILE = GOOD_FILE.replace("(500.00)", "five hundred").replace("15/10/2025", "31/02/2025")


@pytest.fixture(scope="module")
def upload_app(demo_db, tmp_path_factory):
    """Its own app on its own copy of the demo, so loading does not disturb other tests."""
    db = tmp_path_factory.mktemp("upload") / "anchor.duckdb"
    shutil.copy(demo_db, db)
    proc, url = start_app(db, env={"ANCHOR_ROLE": "analyst"})
    yield url
    proc.terminate()
    proc.wait(timeout=20)


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("files")
    out = {"good": folder / "rxk-2025-26-q3.csv", "bad": folder / "rxk-2025-26-q3-bad.csv"}
    out["good"].write_text(GOOD_FILE, encoding="utf-8")
    out["bad"].write_text(BAD_FILE, encoding="utf-8")
    return out


def sidebar_text(page) -> str:
    return page.locator("[data-testid=stSidebar]").inner_text()


def open_load_box(page) -> None:
    box = page.locator("[data-testid=stSidebar] [data-testid=stExpander]", has_text="Load data")
    if not box.locator("[data-testid=stFileUploaderDropzone]").is_visible():
        box.locator("summary").click()
    page.wait_for_selector("[data-testid=stSidebar] [data-testid=stFileUploaderDropzone]")


def upload(page, path: Path) -> None:
    open_load_box(page)
    page.locator("[data-testid=stSidebar] input[type=file]").set_input_files(str(path))


def wait_idle(page) -> None:
    page.wait_for_timeout(300)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=stStatusWidget]')", timeout=60_000)


def test_a_bad_file_gets_the_validation_report(page, upload_app, files):
    page.goto(upload_app)
    wait_for_app(page)
    screenshot(page, "upload-sidebar")
    upload(page, files["bad"])
    page.get_by_text("problems to fix before this file can load").wait_for(timeout=60_000)
    wait_idle(page)
    body = page.locator("body").inner_text()
    assert "Nothing has been written" in body
    # the report's table is drawn on a canvas; its rows are read from the download below
    assert page.get_by_role("button", name="Load").filter(has_text="rows").count() == 0
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the validation report (CSV)").click()
    report = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert report.splitlines()[0] == "File,Row,Column,Value,Problem,Severity"
    assert "rxk-2025-26-q3-bad.csv,2,paid_date,31/02/2025" in report
    assert "rxk-2025-26-q3-bad.csv,3,amount_gbp,five hundred" in report
    screenshot(page, "upload-validation-report")
    page.get_by_role("button", name="Choose another file").click()
    wait_idle(page)
    assert "problems to fix" not in page.locator("body").inner_text()


def test_load_a_quarter_see_it_undo_it(page, upload_app, files):
    page.goto(upload_app)
    wait_for_app(page)
    assert NEW_QUARTER not in sidebar_text(page)

    upload(page, files["good"])
    confirm = page.get_by_role("button", name="Load 3 rows")
    confirm.wait_for(timeout=60_000)
    wait_idle(page)
    body = page.locator("body").inner_text()
    assert "What this load replaces" in body
    assert "How the headline figures change" in body
    assert "Read as published spend" in body
    screenshot(page, "upload-preview")
    confirm.click()
    page.get_by_text("as load").wait_for(timeout=60_000)
    wait_idle(page)
    assert "Loaded rxk-2025-26-q3.csv as load" in page.locator("body").inner_text()

    # A new session sees the new quarter: the latest in the sidebar, and on the Overview.
    page.goto(upload_app)
    wait_for_app(page)
    assert f"Spend to {NEW_QUARTER}" in sidebar_text(page)
    assert NEW_QUARTER in page.locator("[data-testid=stMain]").inner_text()
    screenshot(page, "upload-overview-new-quarter")

    page.get_by_role("link", name="Data").click()
    page.get_by_role("heading", name="Loads").wait_for(timeout=60_000)
    wait_idle(page)
    screenshot(page, "data-page")
    page.get_by_role("button", name="Undo load").click()
    page.get_by_role("button", name="Yes, undo it").click()
    page.get_by_text("Undid load").wait_for(timeout=60_000)
    wait_idle(page)
    assert "removed 3 rows and put back 0" in page.locator("body").inner_text()

    page.goto(upload_app)
    wait_for_app(page)
    assert NEW_QUARTER not in sidebar_text(page)
    assert NEW_QUARTER not in page.locator("[data-testid=stMain]").inner_text()
