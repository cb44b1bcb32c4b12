"""A load killed with SIGKILL in the middle of its transaction leaves the previous data
intact, and the warehouse opens and takes the next load."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from anchor import loading
from anchor.auth import local_user
from anchor.db import Warehouse
from anchor.queries.loads import table_fingerprints
from tests.fixture_warehouse import build_fixture_warehouse

ROOT = Path(__file__).resolve().parents[2]
LINES = 250_000  # more than one DuckDB row group, so rows reach the file before the commit

LOADER = textwrap.dedent("""
    import sys, time
    from anchor import loading
    from anchor.auth import local_user
    from anchor.db import Warehouse

    db, file, stage = sys.argv[1:]
    wh = Warehouse(db)
    checked = loading.check(wh, loading.read_path(file), loading.spec("spend"))
    assert checked.ok, checked.summary()

    def progress(fraction, message):
        if message.startswith(stage):
            print("MIDWAY", flush=True)
            time.sleep(300)

    loading.load(wh, checked, local_user(), progress=progress)
    print("FINISHED", flush=True)
""")


@pytest.fixture(scope="module")
def big_file(tmp_path_factory) -> Path:
    """A quarter of AAA's spend (2024/25 Q1, which the fixture already holds 8 lines of)."""
    rng = np.random.default_rng(7)
    days = pd.date_range("2024-04-01", "2024-06-30").strftime("%d/%m/%Y").to_numpy()
    frame = pd.DataFrame({
        "org_code": "AAA",
        "paid_date": days[rng.integers(0, len(days), LINES)],
        "supplier_id": np.array(["S1", "S2", "S3", "S4", "S5"])[rng.integers(0, 5, LINES)],
        "category": "Catering",
        "amount_gbp": (rng.integers(-5_000, 5_000_000, LINES) / 100).round(2).astype(str),
        "transaction_number": np.arange(LINES).astype(str),
    })
    path = tmp_path_factory.mktemp("kill") / "aaa-2024-25-q1.csv"
    frame.to_csv(path, index=False)
    return path


@pytest.mark.parametrize("stage", [
    "Writing",     # the slice's old rows are deleted, the new ones not yet written
    "Committing",  # every new row written and the load recorded, not yet committed
])
def test_a_load_killed_midway_changes_nothing(tmp_path, big_file, stage):
    db = tmp_path / "anchor.duckdb"
    wh = build_fixture_warehouse(db)
    before = table_fingerprints(wh)
    wh.close()

    proc = subprocess.Popen([sys.executable, "-c", LOADER, str(db), str(big_file), stage],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        assert line.strip() == "MIDWAY", proc.stderr.read()
        os.kill(proc.pid, signal.SIGKILL)
        assert proc.wait(timeout=30) == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()

    wh = Warehouse(db)  # opens: DuckDB drops the uncommitted transaction
    try:
        assert table_fingerprints(wh) == before
        # and it takes the next load
        checked = loading.check(wh, loading.read_path(big_file), loading.spec("spend"))
        result = loading.load(wh, checked, local_user())
        assert (result.rows_added, result.rows_replaced) == (LINES, 8)
    finally:
        wh.close()
