"""The README's tour pictures (`make screenshots`): every page of the app on the demo
footprint, in headless Chromium at 1,400 pixels wide, written to docs/screenshots/.

It serves a copy of the warehouse `make run` serves (the demo, unless you have replaced it)
on a free port, so the app you may have running is
left alone, and takes each page once it has settled. Pass --width to look at another width
and --out to write elsewhere (for instance build/ while checking a layout)."""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from anchor import config  # noqa: E402
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, start_app  # noqa: E402

# (file name, the page's address in the app)
PAGES = (("overview", ""), ("local_spend", "local_spend"), ("employment", "employment"),
         ("estates", "estates"), ("multiplier", "multiplier"), ("suppliers", "suppliers"),
         ("place", "place"), ("national", "national"), ("data", "data"))

SETTLED = """() => {
    const busy = !!document.querySelector('[data-testid=stStatusWidget]')
        || !!document.querySelector('[data-testid=stSkeleton]');
    const n = document.querySelectorAll('[data-testid=stMain] *').length;
    const same = window.__shotLast === n && !busy && n > 50;
    window.__shotLast = n;
    return same;
}"""


def take(url: str, out: Path, width: int, height: int) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": width, "height": height})
        for name, path in PAGES:
            page.goto(f"{url}/{path}")
            page.wait_for_selector("[data-testid=stSidebar]", timeout=90_000)
            page.wait_for_function(SETTLED, timeout=90_000, polling=1000)
            page.wait_for_timeout(1500)  # Plotly's last redraw
            target = out / f"{name}.png"
            page.screenshot(path=str(target), full_page=False)
            written.append(target)
        browser.close()
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=900)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    demo = config.warehouse_path()
    if not demo.exists():
        print(f"No warehouse at {demo}: run `make setup` first.")
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "anchor.duckdb"
        shutil.copy(demo, db)
        proc, url = start_app(db)
        try:
            for path in take(url, args.out, args.width, args.height):
                print(f"Wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
        finally:
            proc.terminate()
            proc.wait(timeout=20)
    return 0


if __name__ == "__main__":
    sys.exit(main())
