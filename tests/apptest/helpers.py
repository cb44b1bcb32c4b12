"""Running the app under Streamlit's AppTest, as every page test does."""

from __future__ import annotations

import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")
TIMEOUT = 90


def run_app(monkeypatch, db_path, page: str | None = None, *, role: str | None = None) -> AppTest:
    """The app on warehouse `db_path`, on `page` when given, with no exception raised."""
    monkeypatch.setenv("ANCHOR_DB", str(db_path))
    if role is not None:
        monkeypatch.setenv("ANCHOR_ROLE", role)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    if page is not None:
        at.switch_page(page).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def plain(markdown: str) -> str:
    """Markdown as a person reads it: the escapes that keep names from becoming links or
    formatting (`formatting.md_text`) taken out."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u200b", "")


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if plain(m.label) == label)


def tiles(at: AppTest) -> dict[str, str]:
    return {plain(m.label): m.value for m in at.metric}


def chart_alternatives(at) -> list[str]:
    """The words a screen reader reads for the page's charts and maps, after checking there is
    one for each chart (anchor/ui/chart.py), each more than a few words."""
    charts = at.get("plotly_chart")
    texts = [h.proto.body for h in at.get("html")
             if 'data-testid="anchor-chart-text"' in h.proto.body]
    assert len(texts) == len(charts), (len(texts), len(charts))
    assert all(len(t) > 80 for t in texts), texts
    return texts
