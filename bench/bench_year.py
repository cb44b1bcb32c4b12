"""Benchmark: a year of a trust's monthly spend files loaded at once (`make bench`).

Twelve files in the published "spend over £25,000" layout, one a month (October 2025 to
September 2026) for RXK, as `anchor load spend FILE...` and the sidebar take them: read, checked
together, previewed once and loaded in one transaction (one load, undone as one). At two
sizes: the lines a trust's over-£25k files really hold (about 300 a month) and a whole
accounts-payable extract (50,000 a month). Each run starts from a fresh copy of the demo
warehouse. Medians.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench_load import BENCH_USER, published_file  # noqa: E402 (beside this file)

from anchor import config, loading  # noqa: E402
from anchor.db import Warehouse  # noqa: E402
from anchor.loading.readers import read_many  # noqa: E402
from anchor.loading.validation import check_many  # noqa: E402

MONTHS = pd.date_range("2025-10-01", periods=12, freq="MS")


def year_files(wh: Warehouse, lines_a_month: int) -> list[tuple[str, bytes]]:
    return [(f"rxk-spend-{m:%Y-%m}.csv",
             published_file(wh, lines_a_month, seed=i, first=f"{m:%Y-%m-%d}",
                            last=f"{m + pd.offsets.MonthEnd(0):%Y-%m-%d}"))
            for i, m in enumerate(MONTHS)]


def run_once(src: Path, files: list[tuple[str, bytes]], tmp: Path) -> dict[str, float]:
    db = tmp / "bench-year.duckdb"
    shutil.copy(src, db)
    wh = Warehouse(db)
    t: dict[str, float] = {}
    try:
        start = time.perf_counter()
        raws = read_many(files)  # as `anchor load spend FILE...` and the sidebar read them
        t["read 12 files"] = time.perf_counter() - start
        s = time.perf_counter()
        checked = check_many(wh, raws, loading.spec("spend"))
        assert checked.ok, checked.summary()
        t["check them together"] = time.perf_counter() - s
        s = time.perf_counter()
        pv = loading.preview(wh, checked, BENCH_USER)
        t["preview (apply, measure, roll back)"] = time.perf_counter() - s
        s = time.perf_counter()
        result = loading.load(wh, checked, BENCH_USER, expected=pv.slices)
        t["load (one transaction)"] = time.perf_counter() - s
        t["read, check, preview and load"] = time.perf_counter() - start
        s = time.perf_counter()
        loading.undo(wh, result.load_id, BENCH_USER)
        t["undo (one load)"] = time.perf_counter() - s
    finally:
        wh.close()
        db.unlink()
    return t


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sizes", default="300,50000", help="lines a month, comma-separated")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "demo.duckdb"
        shutil.copy(config.warehouse_path(), src)  # the app may hold the warehouse open
        for size in (int(x) for x in args.sizes.split(",")):
            wh = Warehouse(src)
            files = year_files(wh, size)
            wh.close()
            runs = [run_once(src, files, Path(tmp)) for _ in range(args.repeat)]
            mb = sum(len(d) for _, d in files) / 1e6
            print(f"\nTwelve monthly files of {size:,} lines ({12 * size:,} lines, {mb:,.1f} MB),"
                  f" median of {args.repeat} (s)")
            for step in runs[0]:
                print(f"  {step:40}{statistics.median(r[step] for r in runs):8.2f}")


if __name__ == "__main__":
    main()
