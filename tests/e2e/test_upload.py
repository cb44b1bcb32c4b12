"""An analyst loads a quarter through the sidebar, sees it on the Overview, undoes it on the
Data page and sees it gone; a bad file gets the validation report instead."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot, start_app, wait_for_app

DATA = Path(__file__).resolve().parent.parent / "data"

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
    upload(page, files["bad"])
    page.get_by_text("problems to fix before this file can load").first.wait_for(timeout=60_000)
    page.get_by_role("button", name="Choose another file").first.wait_for(timeout=60_000)
    body = page.locator("[data-testid=stMain]").inner_text()
    assert "Nothing has been written" in body
    assert "five hundred" in body and "Not an amount in £." in body
    assert "31/02/2025" in body and "Not a date. Use dd/mm/yyyy (UK order)" in body
    assert page.get_by_role("button", name="Load").filter(has_text="rows").count() == 0
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the validation report (CSV)").click()
    report = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert report.splitlines()[0] == "File,Row,Column,Value,Problem,Severity"
    assert "rxk-2025-26-q3-bad.csv,2,paid_date,31/02/2025" in report
    assert "rxk-2025-26-q3-bad.csv,3,amount_gbp,five hundred" in report
    screenshot(page, "upload-validation-report")
    page.get_by_role("button", name="Choose another file").click()
    expect(page.get_by_text("problems to fix before this file can load")).to_have_count(
        0, timeout=60_000)


IMAGE = "<img src=x onerror=alert(1)>"
LINK = "[click](http://evil.example) **bold**"


def test_a_file_quoting_html_and_markdown_is_shown_as_written(page, upload_app, tmp_path):
    """A file name and cells that hold an image tag and a Markdown link:
    the report quotes them as text, and the page gains no image and no link."""
    bad = GOOD_FILE.replace("(500.00)", f'"{IMAGE}"').replace("15/10/2025", LINK)
    path = tmp_path / "[click](http:evil) <b>q3.csv"
    path.write_text(bad, encoding="utf-8")
    page.goto(upload_app)
    wait_for_app(page)
    upload(page, path)
    page.get_by_text("problems to fix before this file can load").first.wait_for(timeout=60_000)
    page.get_by_role("button", name="Choose another file").first.wait_for(timeout=60_000)
    main = page.locator("[data-testid=stMain]")
    body = main.inner_text()
    # the cells, quoted in the report as they are (a bare address carries a zero-width space)
    assert IMAGE in body and LINK in body.replace("\u200b", "")
    # the file name, in the panel's title
    assert "[click](http:evil) <b>q3.csv" in body.replace("\u200b", "")
    assert main.locator("img[src=x]").count() == 0
    assert main.locator("a[href*=evil]").count() == 0
    assert main.locator("b", has_text="q3").count() == 0
    page.get_by_role("button", name="Choose another file").click()


def test_the_workbook_that_once_killed_the_server_is_refused_and_the_app_serves_on(
        page, upload_app):
    """A header row and one cell at XFD1048576: the Excel reader would ask for 512 GiB and
    abort the whole server. It is refused before it is parsed, and the app serves on."""
    page.goto(upload_app)
    wait_for_app(page)
    upload(page, DATA / "bad" / "spend_cell_at_xfd1048576.xlsx")
    page.get_by_text("at most 500 columns").first.wait_for(timeout=60_000)
    body = page.locator("[data-testid=stMain]").inner_text() + sidebar_text(page)
    assert "spend_cell_at_xfd1048576.xlsx" in body and "500 columns" in body
    screenshot(page, "upload-refused-workbook")
    page.get_by_role("link", name="Local spend", exact=True).click()
    page.get_by_role("heading", name="Local spend").first.wait_for(timeout=60_000)
    page.wait_for_selector("[data-testid=stMetric]", timeout=60_000)


def test_load_a_quarter_see_it_undo_it(page, upload_app, files):
    page.goto(upload_app)
    wait_for_app(page)
    assert NEW_QUARTER not in sidebar_text(page)
    open_load_box(page)
    page.set_viewport_size({"width": 1500, "height": 1800})  # the whole sidebar, for a look
    screenshot(page, "upload-sidebar")
    page.set_viewport_size({"width": 1500, "height": 1100})

    upload(page, files["good"])
    confirm = page.get_by_role("button", name="Load 3 rows").first
    confirm.wait_for(timeout=60_000)
    wait_idle(page)
    body = page.locator("body").inner_text()
    assert "What this load replaces" in body
    assert "Lines paid outside the file's months" in sidebar_text(page)
    assert "How the headline figures change" in body
    assert "Read as the published spend layout" in body
    screenshot(page, "upload-preview")
    confirm.click()
    page.get_by_text("as load").first.wait_for(timeout=60_000)
    wait_idle(page)
    assert "Loaded rxk-2025-26-q3.csv as load" in page.locator("body").inner_text()

    # A new session sees the new quarter in the sidebar, but opens on the latest quarter
    # every organisation holds in full: only RXK has 2025/26 Q3.
    page.goto(upload_app)
    wait_for_app(page)
    assert f"Spend to {NEW_QUARTER}" in sidebar_text(page)
    main = page.locator("[data-testid=stMain]").inner_text()
    assert "2025/26 Q2" in main and "is partial" not in main
    screenshot(page, "upload-overview-latest-complete-quarter")

    page.get_by_role("link", name="Data", exact=True).click()
    page.get_by_role("heading", name="Loads").first.wait_for(timeout=60_000)
    page.get_by_text("Quarters missing").first.wait_for(timeout=60_000)
    wait_idle(page)
    assert "Spend held, by month" in page.locator("body").inner_text()
    screenshot(page, "data-page")
    page.get_by_role("button", name="Undo load").click()
    page.get_by_role("button", name="Yes, undo it").click()
    page.get_by_text("Undid load").first.wait_for(timeout=60_000)
    wait_idle(page)
    assert "removed 3 rows and put back 0" in page.locator("body").inner_text()

    page.goto(upload_app)
    wait_for_app(page)
    assert NEW_QUARTER not in sidebar_text(page)
    assert NEW_QUARTER not in page.locator("[data-testid=stMain]").inner_text()


def test_replacing_a_month_with_far_fewer_lines_asks_first(page, upload_app, tmp_path):
    """One line for RXK's July 2025, which holds thousands: the Load button waits for the
    analyst to confirm."""
    one = tmp_path / "rxk-2025-07.csv"
    one.write_text(GOOD_FILE.splitlines()[0] + "\n" + GOOD_FILE.splitlines()[1].replace(
        "15/10/2025", "15/07/2025") + "\n", encoding="utf-8")
    page.goto(upload_app)
    wait_for_app(page)
    upload(page, one)
    load = page.get_by_role("button", name="Load 1 row").first
    load.wait_for(timeout=60_000)
    wait_idle(page)
    assert "Check the file's dates: is this the whole month?" in page.locator("body").inner_text()
    expect(load).to_be_disabled()
    page.get_by_text("Yes, replace these months with fewer than half").click()
    expect(load).to_be_enabled(timeout=30_000)
    screenshot(page, "upload-confirm-shrinking-month")
    wait_idle(page)  # the box is drawn afresh after the tick: one Cancel, not the old one too
    page.get_by_role("button", name="Cancel").click()
    expect(page.get_by_role("button", name="Load 1 row")).to_have_count(0, timeout=60_000)


def test_another_layout_is_mapped_once_and_remembered(page, upload_app, tmp_path):
    own = tmp_path / "finance-system-export.csv"
    own.write_text("Trust,Paid on,Vendor,Expense type,Net amount\n"
                   "RXK,12/07/2025,Brand New Caterers Ltd,Catering and food,250.00\n",
                   encoding="utf-8")
    page.goto(upload_app)
    wait_for_app(page)
    upload(page, own)
    page.get_by_text("Anchor does not recognise this layout").first.wait_for(timeout=60_000)
    for ours, theirs in [("org_code (required)", "Trust"), ("paid_date (required)", "Paid on")]:
        page.locator("[data-testid=stSelectbox]", has_text=ours).click()
        page.get_by_role("option", name=theirs, exact=True).click()
    screenshot(page, "upload-mapping")
    page.get_by_role("button", name="Check with this mapping").click()
    page.get_by_role("button", name="Load 1 row").first.wait_for(timeout=60_000)
    assert "Read as your saved mapping" in page.locator("body").inner_text()
    page.get_by_role("button", name="Cancel").click()
    expect(page.get_by_role("button", name="Load 1 row")).to_have_count(0, timeout=60_000)

    # the next file with the same columns, in a new session, is read with the saved mapping
    page.goto(upload_app)
    wait_for_app(page)
    upload(page, own)
    page.get_by_role("button", name="Load 1 row").first.wait_for(timeout=60_000)
    assert "Read as your saved mapping" in page.locator("body").inner_text()


ORGANISATIONS_FILE = (
    "org_code,name,org_type,footprint_code,footprint_name,home_local_authorities\n"
    "RXK,Sandwell and West Birmingham NHS Trust,Acute trust,BCWB,,\n"
    "SMBC,Sandwell Metropolitan Borough Council,Council,BCWB,,\n"
)


def test_set_up_an_organisation_see_it_undo_it(page, upload_app, tmp_path):
    """An organisations file: what it adds and replaces, the warnings about the demo, the new
    organisation in the sidebar, and undo taking it away again."""
    orgs = tmp_path / "organisations.csv"
    orgs.write_text(ORGANISATIONS_FILE, encoding="utf-8")
    page.goto(upload_app)
    wait_for_app(page)
    assert "SMBC" not in sidebar_text(page)
    open_load_box(page)
    wait_idle(page)  # a list opened during a rerun, or while the sidebar scrolls, closes again
    kind = page.locator("[data-testid=stSidebar] [data-testid=stSelectbox]",
                        has_text="What the file holds")
    kind.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    kind.click()
    page.get_by_role("option", name="Organisations and footprints").click()
    page.get_by_role("button", name="Organisations and footprints template (CSV)").wait_for()
    upload(page, orgs)
    confirm = page.get_by_role("button", name="Load 2 organisations").first
    confirm.wait_for(timeout=60_000)
    wait_idle(page)
    main = page.locator("[data-testid=stMain]").inner_text()
    assert "What this load replaces" in main
    assert "Sandwell Metropolitan Borough Council · Council · BCWB" in main
    assert "Sandwell and West Birmingham Hospitals NHS Trust · Acute trust · BCWB" in main
    assert "Black Country and West Birmingham (demo)" in main  # the footprint becomes theirs
    assert "2 warnings: the file can load, but read them first" in main
    screenshot(page, "upload-organisations-preview")
    confirm.click()
    page.get_by_text("as load").first.wait_for(timeout=60_000)
    wait_idle(page)
    assert "2 organisations (1 replaced), 1 footprint named" in page.locator("body").inner_text()
    page.goto(upload_app)  # a new session chooses the organisations holding data
    wait_for_app(page)
    assert "SMBC holds no data yet, so is not chosen." in sidebar_text(page)

    page.get_by_role("link", name="Data", exact=True).click()
    page.get_by_role("heading", name="Loads").first.wait_for(timeout=60_000)
    wait_idle(page)
    page.get_by_role("button", name="Undo load").click()
    page.get_by_role("button", name="Yes, undo it").click()
    page.get_by_text("Undid load").first.wait_for(timeout=60_000)
    page.goto(upload_app)
    wait_for_app(page)
    assert "SMBC" not in sidebar_text(page)


# -- signing in against a real OpenID Connect provider -------------------------------------------

ALICE, BOB, CAROL = "alice@example.nhs.uk", "bob@example.nhs.uk", "carol@example.nhs.uk"


@pytest.fixture(scope="module")
def signed_in_app(demo_db, tmp_path_factory):
    """The app with an OpenID Connect provider configured: the mock provider, started here on a
    free port, knows Alice (an analyst by configuration), Bob (not listed: a viewer) and
    Carol (listed as an analyst, but the provider has not verified her email: a viewer).
    The mock sends only the claims given here, so each says whether its email is verified."""
    import httpx
    import oidc_provider_mock

    folder = tmp_path_factory.mktemp("signin")
    db = folder / "anchor.duckdb"
    shutil.copy(demo_db, db)
    with oidc_provider_mock.run_server_in_thread() as server:
        issuer = f"http://localhost:{server.server_port}"
        for email, name, verified in [(ALICE, "Alice Analyst", True), (BOB, "Bob Board", True),
                                      (CAROL, "Carol Unconfirmed", False)]:
            httpx.put(f"{issuer}/users/{email}",
                      json={"email": email, "name": name, "email_verified": verified},
                      timeout=10).raise_for_status()
        secrets = folder / "secrets.toml"
        secrets.write_text(
            "[auth]\n"
            'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
            f'cookie_secret = "{"not-a-secret-" * 3}"\n'
            'client_id = "anchor-test"\n'
            'client_secret = "anchor-test-secret"\n'
            f'server_metadata_url = "{issuer}/.well-known/openid-configuration"\n'
            "\n[anchor_roles]\n"
            f'analyst = ["{ALICE}", "{CAROL}"]\n', encoding="utf-8")
        # ANCHOR_ROLE says analyst, but with sign-in configured it must not apply to anyone
        proc, url = start_app(db, env={"STREAMLIT_SECRETS_FILES": str(secrets),
                                       "ANCHOR_ROLE": "analyst"})
        try:
            yield url
        finally:
            proc.terminate()
            proc.wait(timeout=20)


def sign_in(page, url: str, email: str) -> None:
    page.goto(url)
    wait_for_app(page)
    assert "Viewing without signing in." in sidebar_text(page)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_placeholder("sub").fill(email)
    page.get_by_role("button", name="Authorize").click()
    wait_for_app(page)
    page.get_by_text(f"Signed in as {email}").first.wait_for(timeout=60_000)


def test_signed_in_analyst_can_load_and_viewer_cannot(browser, signed_in_app):
    # nobody signed in: a viewer, with no load controls
    context = browser.new_context(viewport={"width": 1500, "height": 1100})
    page = context.new_page()
    page.goto(signed_in_app)
    wait_for_app(page)
    assert page.locator("[data-testid=stSidebar] [data-testid=stExpander]",
                        has_text="Load data").count() == 0
    sign_in(page, signed_in_app, ALICE)
    assert f"Signed in as {ALICE} (analyst)" in sidebar_text(page)
    open_load_box(page)
    assert page.locator("[data-testid=stSidebar] input[type=file]").count() == 1
    screenshot(page, "sign-in-analyst")
    context.close()

    context = browser.new_context(viewport={"width": 1500, "height": 1100})
    page = context.new_page()
    sign_in(page, signed_in_app, BOB)
    assert f"Signed in as {BOB} (viewer)" in sidebar_text(page)
    assert page.locator("[data-testid=stSidebar] input[type=file]").count() == 0
    assert "Load data" not in sidebar_text(page)
    # a viewer's navigation has no Data page (a deep link to it gets Streamlit's "page not
    # found"), so no load or undo controls
    assert page.get_by_role("link", name="Overview", exact=True).count() == 1
    assert page.get_by_role("link", name="Data", exact=True).count() == 0
    assert page.get_by_role("button", name="Undo load").count() == 0
    screenshot(page, "sign-in-viewer-navigation")
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("button", name="End session").click()  # the provider's own page
    page.get_by_text("Viewing without signing in.").first.wait_for(timeout=60_000)
    context.close()

    # listed as an analyst, but her email is not verified: a viewer, and told why
    context = browser.new_context(viewport={"width": 1500, "height": 1100})
    page = context.new_page()
    sign_in(page, signed_in_app, CAROL)
    text = sidebar_text(page)
    assert f"Signed in as {CAROL} (viewer)" in text
    assert "has not verified this email address" in text
    assert page.locator("[data-testid=stSidebar] input[type=file]").count() == 0
    context.close()
