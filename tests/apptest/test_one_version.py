"""A page drawn while a load commits shows one state of the data: every figure from before the
load, or every figure from after it, never some of each."""

from __future__ import annotations

import json

from anchor import loading
from anchor.db import Warehouse
from anchor.queries import workforce
from anchor.ui import data
from tests.apptest.helpers import run_app
from tests.unittests.test_loading import ANALYST, NEW_QUARTER, checked_csv

OVERVIEW = "pages/overview.py"


def shown(at) -> dict[str, object]:
    """What the page shows a reader: tiles, text, tables and charts."""
    return {
        "tiles": [(m.label, m.value, m.proto.body) for m in at.metric],
        "text": [m.value for m in at.markdown] + [c.value for c in at.caption],
        "tables": [t.value.to_csv() for t in at.dataframe] + [t.value.to_csv() for t in at.table],
        "charts": [json.loads(c.proto.spec)["data"] for c in at.get("plotly_chart")],
    }


def midway(monkeypatch, action) -> None:
    """Make the first workforce query of the next run (the Overview asks it after its spend
    tiles and before its organisation table) run `action` first: a load or an undo."""
    name = f"{workforce.workforce_totals.__module__}.{workforce.workforce_totals.__name__}"
    original = data._QUERIES[name]
    pending = [action]

    def with_the_action(*args, **kwargs):
        if pending:
            pending.pop()()
        return original(*args, **kwargs)

    monkeypatch.setitem(data._QUERIES, name, with_the_action)


def load_midway(monkeypatch, db_path) -> None:
    """A load of the quarter shown commits midway through the next run."""
    checked = checked_csv(Warehouse(db_path), "spend", NEW_QUARTER)
    midway(monkeypatch, lambda: loading.load(Warehouse(db_path), checked, ANALYST))


def render_with_a_load_midway(monkeypatch, db_path):
    at = run_app(monkeypatch, db_path, OVERVIEW)
    before = shown(at)
    data._cached.clear()  # the run must ask the workforce query afresh
    load_midway(monkeypatch, db_path)
    during = shown(at.run())
    after = shown(at.run())
    assert before != after  # the load changed what the page shows: the check can tell
    return before, during, after


def test_a_page_drawn_while_a_load_commits_shows_the_data_before_it(monkeypatch, fixture_db):
    before, during, after = render_with_a_load_midway(monkeypatch, fixture_db)
    assert during == before


def test_without_one_version_the_same_page_would_mix_them(monkeypatch, fixture_db):
    # The check above can fail: read query by query, the tiles come from before the load and
    # the organisation table from after it.
    class EachQueryOnItsOwn:
        def __enter__(self):
            return None

        def __exit__(self, *exc):
            return False

    monkeypatch.setattr(data, "one_version", EachQueryOnItsOwn)
    before, during, after = render_with_a_load_midway(monkeypatch, fixture_db)
    assert during != before and during != after


def test_a_page_drawn_while_an_undo_commits_shows_the_data_before_it(monkeypatch, fixture_db):
    loaded = loading.load(Warehouse(fixture_db), checked_csv(Warehouse(fixture_db), "spend",
                                                             NEW_QUARTER), ANALYST)
    at = run_app(monkeypatch, fixture_db, OVERVIEW)
    before = shown(at)
    data._cached.clear()
    midway(monkeypatch, lambda: loading.undo(Warehouse(fixture_db), loaded.load_id, ANALYST))
    during = shown(at.run())
    after = shown(at.run())
    assert before != after  # the undo changed what the page shows
    assert during == before
