"""An analyst enters a commitment for the footprint's organisations together on the Data
page, sees it charted with its trajectory on the Local spend page, the Overview and the Place
page, and undoes it."""

from __future__ import annotations

import shutil

import pytest

from tests.e2e.conftest import screenshot, start_app, wait_for_app

pytestmark = pytest.mark.browser
TITLE = "Commitment: raise their local share of influenceable spend by 10% by 2017/18 Q4"


@pytest.fixture(scope="module")
def commitment_app(demo_db, tmp_path_factory):
    """Its own app on its own copy of the demo, so entering does not disturb other tests."""
    db = tmp_path_factory.mktemp("commitment") / "anchor.duckdb"
    shutil.copy(demo_db, db)
    proc, url = start_app(db, env={"ANCHOR_ROLE": "analyst"})
    yield url
    proc.terminate()
    proc.wait(timeout=20)


def wait_idle(page) -> None:
    page.wait_for_timeout(300)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=stStatusWidget]')", timeout=60_000)


def main_text(page) -> str:
    return page.locator("[data-testid=stMain]").inner_text()


def open_page(page, name: str, marker: str) -> None:
    page.get_by_role("link", name=name, exact=True).click()
    page.get_by_text(marker).first.wait_for(timeout=60_000)
    wait_idle(page)


def test_enter_a_commitment_see_it_charted_undo_it(page, commitment_app):
    page.goto(commitment_app)
    wait_for_app(page)
    open_page(page, "Data", "Enter a commitment")
    form = page.locator("[data-testid=stForm]")
    # Made by: the footprint's organisations together, the first choice; the baseline
    # 2014/15 Q1 to Q4 and the target 2017/18 Q4 as the form offers them.
    assert form.get_by_label("Made by").input_value() == (
        "Black Country and West Birmingham (its organisations together)")
    assert [form.get_by_label(q).input_value() for q in (
        "Baseline: first quarter", "Baseline: last quarter", "Target quarter")] == [
        "2014/15 Q1", "2014/15 Q4", "2017/18 Q4"]
    form.get_by_label("Rise promised", exact=True).fill("10")
    form.get_by_label("Where it was made").fill("Public Health Plan 2014-17")
    form.get_by_role("button", name="Enter the commitment").click()
    page.get_by_text("Entered as load").first.wait_for(timeout=60_000)
    wait_idle(page)
    done = main_text(page)
    assert "Commitments: 1 commitment from the commitment form" in done
    load_id = done.split("Entered as load ", 1)[1].split(":", 1)[0]
    screenshot(page, "commitment-data-page")

    open_page(page, "Local spend", TITLE)
    chart = page.locator(".js-plotly-plot", has_text="Trajectory to the target")
    chart.first.wait_for(timeout=60_000)
    text = main_text(page)
    assert ("In Public Health Plan 2014-17, the five organisations of Black Country and West "
            "Birmingham committed together to raise their local share of influenceable spend "
            "by 10%, from") in text
    assert "it has met the target" in text or "it has missed the target" in text
    # the assurance, judged against the target: the trend above it has none of its own
    assert any(word in text for word in ("Meets target", "Misses target", "Hit and miss"))
    chart.first.scroll_into_view_if_needed()
    screenshot(page, "commitment-local-spend")

    # The Overview and the Place page chart it too, with the same sentence.
    open_page(page, "Overview", TITLE)
    page.locator(".js-plotly-plot", has_text="Trajectory to the target").first.wait_for(
        timeout=60_000)
    assert "committed together to raise their local share" in main_text(page)
    open_page(page, "Place", "The commitment to raise the local share")
    page.locator(".js-plotly-plot", has_text="Trajectory to the target").first.wait_for(
        timeout=60_000)
    assert page.locator("img[alt^='Assurance:']").count() >= 1
    screenshot(page, "commitment-place")

    open_page(page, "Data", "Enter a commitment")
    page.get_by_role("button", name=f"Undo load {load_id}").click()
    page.get_by_role("button", name="Yes, undo it").click()
    page.get_by_text(f"Undid load {load_id}").first.wait_for(timeout=60_000)
    wait_idle(page)

    open_page(page, "Local spend", "Local share over time")
    page.locator(".js-plotly-plot").first.wait_for(timeout=60_000)
    wait_idle(page)
    assert TITLE not in main_text(page)
    assert page.locator(".js-plotly-plot", has_text="Trajectory to the target").count() == 0
