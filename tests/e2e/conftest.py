"""A running app on a private copy of the demo warehouse, and headless Chromium to drive it."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SCREENSHOTS = ROOT / "build" / "screenshots"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(db_path: Path, env: dict | None = None) -> tuple[subprocess.Popen, str]:
    proc, url = launch_app(db_path, env)
    return proc, wait_until_serving(proc, url)


def launch_app(db_path: Path, env: dict | None = None) -> tuple[subprocess.Popen, str]:
    """Start the app without waiting for it (`wait_until_serving`), so several can start at once."""
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
         "--server.port", str(port), "--server.headless", "true",
         "--server.address", "127.0.0.1", "--server.fileWatcherType", "none"],
        cwd=ROOT, env={**os.environ, "ANCHOR_DB": str(db_path), **(env or {})},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    return proc, f"http://127.0.0.1:{port}"


def wait_until_serving(proc: subprocess.Popen, url: str) -> str:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.read() == b"ok":
                    return url
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("The app did not start: " + proc.stdout.read().decode(errors="replace"))


@pytest.fixture(scope="session")
def app_db(demo_db, tmp_path_factory) -> Path:
    dest = tmp_path_factory.mktemp("app") / "anchor.duckdb"
    shutil.copy(demo_db, dest)
    return dest


@pytest.fixture(scope="session")
def app_url(app_db):
    proc, url = start_app(app_db)
    yield url
    proc.terminate()
    proc.wait(timeout=20)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is not installed: run `make test`, which installs it.")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1500, "height": 1100}, accept_downloads=True)
    pg = context.new_page()
    yield pg
    context.close()


def refuse_the_internet(pg, app_url: str) -> list[str]:
    """Refuse every request that is not to the app; returns the list of what was refused,
    which a test expects to stay empty."""
    refused: list[str] = []

    def route(r):
        if r.request.url.startswith(app_url):
            r.continue_()
        else:
            refused.append(r.request.url)
            r.abort()

    pg.route("**/*", route)
    return refused


# Every page of the app, by its address, with what shows once it has drawn: the Data page
# (analysts only) has tables and no headline figures.
PAGES = ("", "local_spend", "employment", "estates", "multiplier", "suppliers", "place",
         "national", "data")
READY = {"data": "[data-testid=stDataFrame]"}


def wait_for_app(pg, ready: str = "[data-testid=stMetric]") -> None:
    """Wait until Streamlit has finished running the script and the page has stopped changing."""
    pg.wait_for_selector(ready, timeout=60_000)
    pg.wait_for_function(
        "() => !document.querySelector('[data-testid=stStatusWidget]')", timeout=60_000)
    # The status widget can clear between two reruns: wait for two quiet readings in a row.
    pg.wait_for_function(
        """() => {
            const n = document.querySelectorAll('[data-testid=stMetric], .js-plotly-plot').length;
            const busy = !!document.querySelector('[data-testid=stStatusWidget]');
            const same = window.__anchorLast === n && !busy;
            window.__anchorLast = n;
            return same;
        }""", timeout=60_000, polling=700)


def screenshot(pg, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    pg.screenshot(path=str(path), full_page=True)
    return path
