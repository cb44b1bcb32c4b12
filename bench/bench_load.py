"""Benchmark: a quarter of one million invoice lines read, checked, previewed and loaded
(`make bench`), against the 15-second target.

The file is in the published "spend over £25,000" layout, as a trust would upload it: the
organisation by name, suppliers by name (matched to the demo's register, with some new
ones), amounts such as "1,329.75" and "(500.00)", dates as dd/mm/yyyy. Each run starts
from a fresh copy of the demo warehouse and does what the sidebar does for a new quarter
(2025/26 Q3) for RXK: read, check, preview (apply, measure, roll back) and load; then the
same again for the same file, replacing that quarter; then undoes both. `--xlsx-rows` also
times reading a workbook of that many rows. Medians.
"""

from __future__ import annotations

import argparse
import io
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


def published_file(wh: Warehouse, lines: int, seed: int = 25, first: str = "2025-10-01",
                   last: str = "2025-12-31") -> bytes:
    rng = np.random.default_rng(seed)
    org_name = wh.value("select name from organisation where org_code = ?", [ORG])
    suppliers = wh.df("select name from supplier order by supplier_id")["name"].to_numpy()
    # a few new suppliers, and register names written the way finance systems do
    names = np.concatenate([suppliers, [f"New Supplier {i} Limited" for i in range(200)]])
    shouting = np.char.upper(names.astype(str))
    pick = rng.integers(0, len(names), lines)
    supplier = np.where(rng.random(lines) < 0.3, shouting[pick], names[pick])
    days = pd.date_range(first, last).strftime("%d/%m/%Y").to_numpy()
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


TARGET_S = 15.0  # read, check, preview and load a quarter of 1,000,000 invoice lines


def sidebar_load(wh: Warehouse, data: bytes, t: dict[str, float], label: str):
    """What the sidebar does with a file, step by step, timed: read, check, preview, load."""
    start = time.perf_counter()
    raw = loading.read_bytes("rxk-2025-26-q3.csv", data)
    t[f"{label}: read"] = time.perf_counter() - start
    s = time.perf_counter()
    checked = loading.check(wh, raw, loading.spec("spend"))
    t[f"{label}: check"] = time.perf_counter() - s
    assert checked.ok, checked.summary()
    s = time.perf_counter()
    pv = loading.preview(wh, checked, BENCH_USER)
    t[f"{label}: preview (apply and roll back)"] = time.perf_counter() - s
    s = time.perf_counter()
    result = loading.load(wh, checked, BENCH_USER, expected=pv.slices)
    t[f"{label}: load"] = time.perf_counter() - s
    t[f"{label}: read, check, preview and load"] = time.perf_counter() - start
    return checked, result


def run_once(src: Path, data: bytes, tmp: Path) -> dict[str, float]:
    db = tmp / "bench-load.duckdb"
    shutil.copy(src, db)
    wh = Warehouse(db)
    t: dict[str, float] = {}
    try:
        _, first = sidebar_load(wh, data, t, "new quarter")
        checked, second = sidebar_load(wh, data, t, "replacing the quarter")
        assert second.rows_replaced == len(checked.rows)
        s = time.perf_counter()
        loading.undo(wh, second.load_id, BENCH_USER)
        t["undo"] = time.perf_counter() - s
        loading.undo(wh, first.load_id, BENCH_USER)
    finally:
        wh.close()
        db.unlink()
    return t


def xlsx_read_seconds(wh: Warehouse, rows: int) -> tuple[float, int]:
    """Seconds to read a workbook of `rows` published-layout lines, and its size in bytes."""
    from anchor.spreadsheets import to_xlsx_bytes

    frame = pd.read_csv(io.BytesIO(published_file(wh, rows)), dtype=str)
    data = to_xlsx_bytes(frame)
    start = time.perf_counter()
    raw = loading.read_bytes("rxk.xlsx", data)
    seconds = time.perf_counter() - start
    assert len(raw.frame) == rows
    return seconds, len(data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--xlsx-rows", type=int, default=100_000,
                        help="also time reading a workbook of this many rows (0 to skip)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "demo.duckdb"
        shutil.copy(config.warehouse_path(), src)  # the app may hold the warehouse open
        wh = Warehouse(src)
        data = published_file(wh, args.lines)
        xlsx = xlsx_read_seconds(wh, args.xlsx_rows) if args.xlsx_rows else None
        wh.close()
        print(f"Published-layout spend file: {args.lines:,} lines, {len(data) / 1e6:,.0f} MB")
        runs = [run_once(src, data, Path(tmp)) for _ in range(args.repeat)]
    print(f"\nOne quarter of {args.lines:,} invoice lines, median of {args.repeat} (s)")
    medians = {step: statistics.median(r[step] for r in runs) for step in runs[0]}
    for step, seconds in medians.items():
        print(f"{step:52}{seconds:10.2f}")
    target = TARGET_S * args.lines / 1_000_000
    print(f"\nTarget: read, check, preview and load in {target:.1f} s"
          + ("" if args.lines == 1_000_000 else f" ({TARGET_S:.0f} s per million lines)"))
    for case in ("new quarter", "replacing the quarter"):
        seconds = medians[f"{case}: read, check, preview and load"]
        verdict = "met" if seconds <= target else "NOT met"
        print(f"  {case:30}{seconds:8.2f} s  {verdict} ({seconds / target:.0%} of the target)")
    if xlsx is not None:
        seconds, size = xlsx
        print(f"\nReading a workbook of {args.xlsx_rows:,} rows ({size / 1e6:,.0f} MB): "
              f"{seconds:.2f} s")


if __name__ == "__main__":
    main()
