"""Benchmark: a quarter of one million invoice lines read, checked and loaded (`make bench`).

The file is in the published "spend over £25,000" layout, as a trust would upload it: the
organisation by name, suppliers by name (matched to the demo's register, with some new
ones), amounts such as "1,329.75" and "(500.00)", dates as dd/mm/yyyy. Each run starts
from a fresh copy of the demo warehouse and loads a new quarter (2025/26 Q3) for RXK;
then the same file again, replacing that quarter; then undoes both. Medians; no thresholds.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from anchor import config, loading  # noqa: E402
from anchor.auth import Role, User  # noqa: E402
from anchor.db import Warehouse  # noqa: E402

ORG = "RXK"
BENCH_USER = User("bench", Role.ANALYST, "command line")


def published_file(wh: Warehouse, lines: int, seed: int = 25) -> bytes:
    rng = np.random.default_rng(seed)
    org_name = wh.value("select name from organisation where org_code = ?", [ORG])
    suppliers = wh.df("select name from supplier order by supplier_id")["name"].to_numpy()
    # a few new suppliers, and register names written the way finance systems do
    names = np.concatenate([suppliers, [f"New Supplier {i} Limited" for i in range(200)]])
    shouting = np.char.upper(names.astype(str))
    pick = rng.integers(0, len(names), lines)
    supplier = np.where(rng.random(lines) < 0.3, shouting[pick], names[pick])
    days = pd.date_range("2025-10-01", "2025-12-31").strftime("%d/%m/%Y").to_numpy()
    pence = rng.lognormal(10.5, 1.6, lines).astype(np.int64)
    credit = rng.random(lines) < 0.03
    pounds = pd.Series(pence // 100).map("{:,}".format) + "." + pd.Series(pence % 100).map(
        "{:02d}".format)
    amount = np.where(credit, "(" + pounds + ")", pounds)
    frame = pd.DataFrame({
        "Department Family": "Department of Health",
        "Entity": org_name,
        "Date": days[rng.integers(0, len(days), lines)],
        "Expense Type": rng.choice(["Catering and food", "Clinical supplies", "Estates and "
                                    "facilities", "IT and telecoms", "Agency staff"], lines),
        "Expense Area": "Corporate",
        "Supplier": supplier,
        "Transaction Number": np.char.add("T", np.arange(lines).astype(str)),
        "Amount": amount,
    })
    return frame.to_csv(index=False).encode("utf-8")


def run_once(src: Path, data: bytes, tmp: Path) -> dict[str, float]:
    db = tmp / "bench-load.duckdb"
    shutil.copy(src, db)
    wh = Warehouse(db)
    t = {}
    try:
        start = time.perf_counter()
        raw = loading.read_bytes("rxk-2025-26-q3.csv", data)
        t["read"] = time.perf_counter() - start
        s = time.perf_counter()
        checked = loading.check(wh, raw, loading.spec("spend"))
        t["check"] = time.perf_counter() - s
        assert checked.ok, checked.summary()
        s = time.perf_counter()
        first = loading.load(wh, checked, BENCH_USER)
        t["load"] = time.perf_counter() - s
        t["read, check and load"] = time.perf_counter() - start
        s = time.perf_counter()
        loading.preview(wh, checked)
        t["preview (apply and roll back)"] = time.perf_counter() - s
        s = time.perf_counter()
        second = loading.load(wh, checked, BENCH_USER)
        t["load replacing the quarter"] = time.perf_counter() - s
        assert second.rows_replaced == len(checked.rows)
        s = time.perf_counter()
        loading.undo(wh, second.load_id, BENCH_USER)
        t["undo"] = time.perf_counter() - s
        loading.undo(wh, first.load_id, BENCH_USER)
    finally:
        wh.close()
        db.unlink()
    return t


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "demo.duckdb"
        shutil.copy(config.warehouse_path(), src)  # the app may hold the warehouse open
        wh = Warehouse(src)
        data = published_file(wh, args.lines)
        wh.close()
        print(f"Published-layout spend file: {args.lines:,} lines, {len(data) / 1e6:,.0f} MB")
        runs = [run_once(src, data, Path(tmp)) for _ in range(args.repeat)]
    print(f"\nOne quarter of {args.lines:,} invoice lines, median of {args.repeat} (s)")
    for step in runs[0]:
        print(f"{step:36}{statistics.median(r[step] for r in runs):10.2f}")


if __name__ == "__main__":
    main()
