"""A board member opens the app and reads the Overview's headline figures."""

from datetime import date

import pytest

from anchor import disclosure, lm3, metrics
from anchor import formatting as fmt
from anchor.db import Warehouse
from anchor.demo import reference as ref
from anchor.places import Place
from anchor.queries import estate, spend, workforce
from anchor.queries import lm3 as lm3_queries
from tests.e2e.conftest import screenshot, wait_for_app

pytestmark = pytest.mark.browser
LATEST = date(2025, 7, 1)


@pytest.fixture(scope="module")
def expected(demo_db):
    """The headline figures worked out from the warehouse directly."""
    wh = Warehouse(demo_db, read_only=True)
    orgs = [o.code for o in ref.ORGS]
    names = ["Birmingham", "Dudley", "Sandwell", "Walsall", "Wolverhampton"]
    place = Place.of_lads(ref.FOOTPRINT_NAME, list(ref.HOME_LADS), names)
    s = spend.spend_totals(wh, orgs, LATEST, LATEST, place).iloc[0]
    w = workforce.workforce_totals(wh, orgs, LATEST, LATEST, place).iloc[0]
    e = estate.estate_totals(wh, orgs, LATEST, LATEST, place).iloc[0]
    inputs = lm3_queries.lm3_inputs(wh, orgs, LATEST, LATEST, place)
    multiplier = lm3.compute(inputs.r1_gbp, inputs.local_suppliers, inputs.local_staff,
                             lm3_queries.assumptions(wh)[0]).lm3
    wh.close()
    return {
        "Local spend: influenceable": fmt.pct(metrics.spend_share(s, influenceable=True).share),
        "Local spend: all in-scope": fmt.pct(metrics.spend_share(s, influenceable=False).share),
        "Local SMEs: influenceable": fmt.pct(metrics.FlaggedShare(
            s["influenceable_local_sme_gbp"], s["influenceable_placed_sme_known_gbp"],
            s["influenceable_gbp"]).share),
        "Residents employed": disclosure.show_count(w["local_headcount"]),  # nearest 5
        "Land not delivering services": fmt.hectares(e["land_not_delivering_ha"]),
        "Local multiplier (LM3)": fmt.number(multiplier, digits=2),
    }


def test_overview_headline_figures(page, app_url, expected):
    page.goto(app_url)
    wait_for_app(page)
    tiles = {}
    for m in page.locator("[data-testid=stMetric]").all():
        label = m.locator("[data-testid=stMetricLabel]").inner_text().strip()
        tiles[label] = m.locator("[data-testid=stMetricValue]").inner_text().strip()
    assert tiles == expected
    # Each tile's chip and icon say what they compare, so neither reads as the other: the
    # chip the same quarter a year earlier, the icon the latest quarter against its limits.
    for label in ("Local spend: influenceable", "Local spend: all in-scope"):
        card = page.locator("[data-testid=stMetric]").filter(has_text=label).locator(
            "xpath=ancestor::div[@data-testid='stVerticalBlock'][1]")
        text = card.inner_text()
        assert "Change on 2024/25 Q2" in text, text
        assert "in 2025/26 Q2, against its SPC limits" in text, text
        assert card.locator("img[alt]").count() >= 1  # the variation icon, with its words
    body = page.locator("body").inner_text()
    assert "Demo data" in body
    assert "2025/26 Q2" in body
    # The trend chart drew both series, and the comparison one bar per organisation.
    page.wait_for_selector(".js-plotly-plot .scatterlayer .trace", timeout=30_000)
    assert page.locator(".js-plotly-plot .scatterlayer .trace").count() == 2
    assert page.locator(".js-plotly-plot .barlayer .point").count() == len(ref.ORGS)
    screenshot(page, "overview")
