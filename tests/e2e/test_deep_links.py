"""A link to any page, opened first on a freshly started server (a bookmark, a link in a board
paper's email), shows that page inside the app: the shared sidebar, the demo banner and the
page's own heading. Streamlit would otherwise run a script of `pages/` on its own there (see
anchor/ui/frame.py)."""

import shutil

import pytest

from tests.e2e.conftest import launch_app, wait_for_app, wait_until_serving

pytestmark = pytest.mark.browser

# url path: the heading the page opens with
PAGES = {
    "local_spend": "Local spend",
    "employment": "Local employment",
    "estates": "Estates and assets",
    "multiplier": "Local multiplier",
    "suppliers": "Local suppliers",
    "place": "Place",
    "national": "National comparison",
    "data": "Data",
}


@pytest.fixture(scope="module")
def fresh_servers(demo_db, tmp_path_factory):
    """One newly started server per page, started together; none has served a page yet."""
    started = {}
    for path in PAGES:
        db = tmp_path_factory.mktemp(f"deep-{path}") / "anchor.duckdb"
        shutil.copy(demo_db, db)
        started[path] = launch_app(db)
    try:
        yield {path: wait_until_serving(proc, url) for path, (proc, url) in started.items()}
    finally:
        for proc, _ in started.values():
            proc.terminate()
        for proc, _ in started.values():
            proc.wait(timeout=30)


@pytest.mark.parametrize("path", list(PAGES))
def test_a_deep_link_on_a_fresh_server_opens_the_page_inside_the_app(browser, fresh_servers, path):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        page.goto(f"{fresh_servers[path]}/{path}")
        if path == "data":  # the Data page has no tiles to wait for
            page.wait_for_selector("h1", timeout=90_000)
            page.wait_for_function(
                "() => !document.querySelector('[data-testid=stStatusWidget]')", timeout=90_000)
        else:
            wait_for_app(page)
        sidebar = page.locator("[data-testid=stSidebar]")
        assert sidebar.get_by_text("Footprint", exact=False).first.is_visible()
        nav = page.locator("[data-testid=stSidebarNav]")
        assert nav.get_by_text("Overview").is_visible()  # the app's navigation, not the folder's
        assert nav.get_by_text("National comparison").is_visible()
        assert page.locator("h1").first.inner_text().startswith(PAGES[path])
        assert page.get_by_text("demo", exact=False).first.is_visible()
        assert page.locator("[data-testid=stException]").count() == 0
        assert page.url.rstrip("/").endswith(path)
    finally:
        context.close()
