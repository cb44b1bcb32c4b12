"""A scheduled `anchor load` and `anchor report` while a browser session is open on the app:
the app holds the warehouse, the command line hands it the work, and the open page shows the
load on its next click."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.e2e.conftest import ROOT, start_app, wait_for_app
from tests.e2e.test_upload import GOOD_FILE

pytestmark = pytest.mark.browser


def anchor(db, cwd, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "anchor.cli", *args], cwd=cwd,
        env={**os.environ, "ANCHOR_DB": str(db), "PYTHONPATH": str(ROOT),
             "ANCHOR_USER": "nightly-job", "ANCHOR_ROLE": "analyst"},
        capture_output=True, text=True, timeout=120)


def open_data_page(page) -> str:
    page.get_by_role("link", name="Data", exact=True).click()
    page.get_by_role("heading", name="Loads").first.wait_for(timeout=60_000)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=stStatusWidget]')", timeout=60_000)
    return page.locator("[data-testid=stMain]").inner_text()


def test_a_load_from_the_command_line_shows_on_the_next_click(page, demo_copy, tmp_path):
    proc, url = start_app(demo_copy, env={"ANCHOR_ROLE": "analyst"})
    try:
        page.goto(url)
        wait_for_app(page)  # the first visit opens the warehouse and serves the channel
        assert "No load can be undone" in open_data_page(page)  # the demo's loads are not

        file = tmp_path / "rxk-2025-26-q3.csv"
        file.write_text(GOOD_FILE, encoding="utf-8")
        done = anchor(demo_copy, tmp_path, "load", "spend", str(file))
        assert done.returncode == 0, done.stderr
        # a spend load is by month of payment: October to December 2025, a line each
        assert "RXK: October 2025 (none held) gets 1 line" in done.stdout
        assert "3 rows in 3 organisation-months" in done.stdout

        # the same session, one click later
        page.get_by_role("link", name="Overview", exact=True).click()
        wait_for_app(page)
        assert "No load can be undone" not in open_data_page(page)
        chosen = page.locator("[data-testid=stSelectbox]", has_text="Load to undo")
        assert "rxk-2025-26-q3.csv" in chosen.locator("input").input_value()
        page.get_by_role("button", name="Undo load").click()
        page.get_by_text("This removes the 3 rows load").first.wait_for(timeout=60_000)

        # and a report, drawn by the app, written by the command line
        done = anchor(demo_copy, tmp_path, "report", "--place", "Sandwell", "--period",
                      "2025/26 Q2", "--out", "sandwell.pptx")
        assert done.returncode == 0, done.stderr
        assert (tmp_path / "sandwell.pptx").read_bytes().startswith(b"PK")
    finally:
        proc.terminate()
        proc.wait(timeout=20)
