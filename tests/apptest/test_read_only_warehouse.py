"""A warehouse the app cannot write (a read-only file, folder or mount) is opened read-only:
the pages are served, and the sidebar says loading is not possible here instead of offering it."""

from pathlib import Path

from anchor import db as anchor_db
from tests.apptest.helpers import run_app


def test_a_read_only_warehouse_is_served_without_the_load_box(monkeypatch, demo_copy):
    # root may write any file, so the test says the folder of the demo's warehouse cannot be
    # written
    monkeypatch.setattr(anchor_db.os, "access", lambda path, mode: Path(path) != demo_copy.parent)
    at = run_app(monkeypatch, demo_copy, role="analyst")
    assert at.metric, "the Overview shows its figures"
    notes = [i.value for i in at.sidebar.info]
    assert any(n.startswith("The warehouse is read-only here") for n in notes), notes
    assert not [e for e in at.sidebar.expander if e.label == "Load data"]
