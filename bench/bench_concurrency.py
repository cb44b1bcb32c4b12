"""How many viewers one machine serves: N sessions rendering the Overview at once, warm.

Streamlit serves every session from one process, a thread each, sharing the query cache. This
runs N sessions of the app (Streamlit's AppTest, which runs the same script the server runs)
in N threads of one process, each rerunning the Overview `--renders` times as fast as it can,
after one session has filled the cache: the load of N people clicking at once, with no pause
to read. It reports the median and 95th percentile time per render, the renders per second
the process sustains, errors, and the process's peak memory.

    PYTHONPATH=. python bench/bench_concurrency.py --sessions 1 5 10 25
"""

from __future__ import annotations

import argparse
import math
import os
import resource
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from anchor import config  # noqa: E402

PAGE = "pages/overview.py"


def share_one_script_cache() -> None:
    """The server compiles each page once, into one cache every session shares (under a lock);
    AppTest gives each run a cache of its own, compiling the pages again every time, and
    CPython 3.11's compiler is not safe to run in several threads at once. One shared cache
    here, as the server has."""
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import local_script_runner

    shared = ScriptCache()
    local_script_runner.ScriptCache = lambda: shared


def run_sessions(n: int, renders: int) -> dict[str, float]:
    from streamlit.testing.v1 import AppTest

    sessions = []
    for _ in range(n):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
        at.run()  # the first render of each session, the cache already warm
        sessions.append(at)
    times: list[float] = []
    errors = [0]
    lock = threading.Lock()
    start = threading.Barrier(n + 1)

    def viewer(at) -> None:
        start.wait()
        for _ in range(renders):
            t = time.perf_counter()
            try:
                at.run()
                failed = bool(at.exception)
            except Exception:  # noqa: BLE001 - a timeout or crash is one error, counted
                failed = True
            with lock:
                times.append(time.perf_counter() - t)
                errors[0] += failed

    threads = [threading.Thread(target=viewer, args=(at,)) for at in sessions]
    for th in threads:
        th.start()
    start.wait()
    wall = time.perf_counter()
    for th in threads:
        th.join()
    wall = time.perf_counter() - wall
    times.sort()
    return {"median_ms": 1000 * statistics.median(times),
            "p95_ms": 1000 * times[math.ceil(0.95 * len(times)) - 1],  # nearest rank
            "per_second": len(times) / wall, "errors": errors[0],
            "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, nargs="+", default=[1, 5, 10, 25])
    parser.add_argument("--renders", type=int, default=5, help="reruns per session")
    parser.add_argument("--db", type=Path, help="warehouse (default: a copy of the app's)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "anchor.duckdb"
        if not args.db:
            shutil.copy(config.warehouse_path(), db)
        os.environ["ANCHOR_DB"] = str(db)
        os.environ["ANCHOR_ROLE"] = "viewer"
        share_one_script_cache()
        run_sessions(1, 1)  # fill the query cache, as the first viewer of the day does
        print(f"\n{PAGE}, warm, {args.renders} renders per session, on {os.cpu_count()} cores")
        print(f"{'sessions':>9}{'median ms':>11}{'p95 ms':>9}{'renders/s':>11}{'errors':>8}"
              f"{'peak MiB':>10}")
        for n in args.sessions:
            r = run_sessions(n, args.renders)
            print(f"{n:9}{r['median_ms']:11.0f}{r['p95_ms']:9.0f}{r['per_second']:11.1f}"
                  f"{r['errors']:8}{r['peak_mib']:10.0f}")


if __name__ == "__main__":
    main()
