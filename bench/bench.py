"""Benchmarks: `make bench`. Medians of repeated runs; no thresholds (these machines are noisy).

- the Overview's queries, and a full AppTest render of the Overview, Local employment and
  Estates and assets pages, cold and warm, on the demo warehouse and on one ten times its
  size (every spend, workforce and estate row x10);
- the geography build from the open data packages: time and peak memory.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from anchor import config  # noqa: E402
from anchor.db import Warehouse  # noqa: E402
from anchor.demo import reference as ref  # noqa: E402
from anchor.periods import Period  # noqa: E402
from anchor.places import Place  # noqa: E402
from anchor.queries import estate, reference, spend, workforce  # noqa: E402


def median_ms(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(1000 * (time.perf_counter() - t))
    return statistics.median(times)


def overview_queries(wh: Warehouse) -> dict[str, float]:
    orgs = [o.code for o in ref.ORGS]
    place = Place.of_lads(ref.FOOTPRINT_NAME, list(ref.HOME_LADS))
    latest = reference.data_quarters(wh, orgs)[-1]
    p = Period.quarter(latest)
    y = p.year_earlier()
    first = reference.data_quarters(wh, orgs)[0]
    return {
        "spend, period": median_ms(lambda: spend.spend_totals(wh, orgs, p.first, p.last, place)),
        "spend, year earlier": median_ms(lambda: spend.spend_totals(wh, orgs, y.first, y.last, place)),
        "spend, by quarter (all history)": median_ms(
            lambda: spend.spend_totals(wh, orgs, first, latest, place, ("quarter",))),
        "spend, by organisation": median_ms(
            lambda: spend.spend_totals(wh, orgs, p.first, p.last, place, ("org",))),
        "workforce, period": median_ms(
            lambda: workforce.workforce_totals(wh, orgs, p.first, p.last, place)),
        "workforce, by organisation": median_ms(
            lambda: workforce.workforce_totals(wh, orgs, p.first, p.last, place, ("org",))),
        "estate, period": median_ms(lambda: estate.estate_totals(wh, orgs, p.first, p.last, place)),
        "data quarters": median_ms(lambda: reference.data_quarters(wh, orgs)),
    }


def apptest_render(db: Path, page: str = "pages/overview.py", repeat: int = 5) -> tuple[float, float]:
    """(cold, warm) medians in ms: cold is a new session with empty caches."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    os.environ["ANCHOR_DB"] = str(db)
    cold, warm = [], []
    for _ in range(repeat):
        st.cache_data.clear()
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        if page != "pages/overview.py":
            at.run()  # a session starts on the Overview; time the page's own first render
            st.cache_data.clear()
        t = time.perf_counter()
        if page != "pages/overview.py":
            at.switch_page(page).run()
        else:
            at.run()
        cold.append(1000 * (time.perf_counter() - t))
        assert not at.exception, at.exception
        t = time.perf_counter()
        at.run()
        warm.append(1000 * (time.perf_counter() - t))
    return statistics.median(cold), statistics.median(warm)


# Pages whose full render is timed: (name, script).
RENDERED_PAGES = [
    ("Overview", "pages/overview.py"),
    ("Local spend", "pages/local_spend.py"),
    ("Local employment", "pages/employment.py"),
    ("Estates and assets", "pages/estates.py"),
    ("Local multiplier", "pages/multiplier.py"),
    ("Local suppliers", "pages/suppliers.py"),
    ("Place", "pages/place.py"),
    ("Data", "pages/data.py"),
    ("National comparison", "pages/national.py"),
]


def make_tenfold(src: Path, dest: Path) -> None:
    shutil.copy(src, dest)
    wh = Warehouse(dest)
    with wh.transaction() as cur:
        for table in ("spend", "workforce", "estate"):
            cur.execute("create temp table one as select * from " + table)
            for _ in range(9):
                cur.execute("insert into " + table + " select * from one")
            cur.execute("drop table one")
        cur.execute("update data_version set version = version + 1")
    wh.close()


def geography_build() -> tuple[float, float]:
    """(seconds, peak MiB) of a whole-GB build, in a child process."""
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "anchor.cli", "geo", "build", "--force",
                        "--cache-only", "--cache", str(Path(tmp) / "g.duckdb")],
                       check=True, capture_output=True)
        seconds = time.perf_counter() - t
    peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return seconds, peak_mib


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--skip-tenfold", action="store_true")
    parser.add_argument("--skip-geo", action="store_true")
    args = parser.parse_args()

    src = config.warehouse_path()
    with tempfile.TemporaryDirectory() as tmp:
        demo = Path(tmp) / "demo.duckdb"
        shutil.copy(src, demo)
        sizes = [("demo", demo)]
        if not args.skip_tenfold:
            ten = Path(tmp) / "tenfold.duckdb"
            make_tenfold(demo, ten)
            sizes.append(("10x demo", ten))
        results = {}
        for name, db in sizes:
            wh = Warehouse(db)
            lines = wh.value("select count(*) from spend")
            results[name] = (lines, overview_queries(wh))
            wh.close()
            results[name] += ({title: apptest_render(db, page) for title, page in RENDERED_PAGES},)

    print("\nOverview queries, median of 5 (ms)")
    names = list(results)
    header = f"{'query':36}" + "".join(f"{n:>14}" for n in names)
    print(header)
    for q in results[names[0]][1]:
        print(f"{q:36}" + "".join(f"{results[n][1][q]:14.1f}" for n in names))
    print(f"{'invoice lines':36}" + "".join(f"{results[n][0]:14,}" for n in names))
    for title, _page in RENDERED_PAGES:
        print(f"\n{title} page, full AppTest render, median of 5 (ms)")
        print(f"{'cold (new session, empty cache)':36}"
              + "".join(f"{results[n][2][title][0]:14.0f}" for n in names))
        print(f"{'warm (rerun)':36}" + "".join(f"{results[n][2][title][1]:14.0f}" for n in names))

    if not args.skip_geo:
        seconds, peak = geography_build()
        print(f"\nGeography build (all of GB): {seconds:.1f}s, peak memory {peak:,.0f} MiB")


if __name__ == "__main__":
    main()
