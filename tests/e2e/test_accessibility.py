"""Public bodies must meet the accessibility regulations (WCAG 2.2 AA): axe-core, run in the
browser on the demo, finds no serious or critical failure on any page. axe-core comes inside
the axe-playwright-python package: nothing is fetched."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.e2e.conftest import PAGES, READY, refuse_the_internet, wait_for_app

pytestmark = pytest.mark.browser

RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def test_no_serious_accessibility_failure(page, app_url):
    external = refuse_the_internet(page, app_url)
    axe = Axe()
    failures = []
    for name in PAGES:
        page.goto(f"{app_url}/{name}")
        wait_for_app(page, READY.get(name, "[data-testid=stMetric]"))
        found = axe.run(page, options={"runOnly": RULES}).response
        checked = {r["id"] for kind in ("passes", "violations", "incomplete")
                   for r in found[kind]}
        assert {"color-contrast", "label"} <= checked, name  # axe really ran its checks
        failures += [
            f"{name or 'overview'}: {v['id']} ({v['impact']}) {v['help']}: "
            + "; ".join(n["html"][:120] for n in v["nodes"][:5])
            for v in found["violations"] if v["impact"] in ("serious", "critical")]
    assert not failures, "\n".join(failures)
    assert external == []
