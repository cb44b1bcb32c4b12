"""Running a reader in a worker process with a memory and a time limit.

A crafted file can make a native reader ask for hundreds of GiB, or run for minutes: in the
app's own process that aborts every session at once. Here it ends only the worker, and the
caller gets `WorkerStopped` saying which limit was met.

The worker is a fresh interpreter (`python -m anchor.loading.worker`) that is handed the
function and its arguments, pickled, on its standard input and sends the result back on its
standard output. Not multiprocessing: it prepares each child by running the parent's
`__main__` again, and under Streamlit that is the app's own script, which would open the
warehouse in the child and hold DuckDB's lock on it. The child imports the function's module
first and only then caps its address space, so the limit is what reading may add.
"""

from __future__ import annotations

import importlib
import os
import pickle
import subprocess
import sys
from collections.abc import Callable
from typing import Any

from anchor import config


class WorkerStopped(Exception):
    """The worker met a limit, or died: `reason` says which ('memory', 'time' or
    'stopped'), `detail` what was seen."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


def _limit_memory(memory_mb: int) -> None:
    """Cap the worker's address space at what it holds now plus `memory_mb`: an allocation
    past it fails (MemoryError in Python, an abort in native code) in this process only."""
    try:
        import resource
    except ImportError:  # Windows: the time limit still holds
        return
    try:
        with open("/proc/self/statm") as f:
            now = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        now = 0
    limit = now + memory_mb * 1024 * 1024
    try:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ValueError, OSError):  # a platform that does not enforce it (macOS)
        pass


def _main() -> int:
    """The worker: read (func, args, memory_mb) from stdin, run it, write the outcome."""
    func, args, memory_mb = pickle.load(sys.stdin.buffer)
    importlib.import_module(func.__module__)  # imported before the cap: not what reading takes
    _limit_memory(memory_mb)
    try:
        result = ("ok", func(*args))
    except MemoryError:
        result = ("memory", "")
    except Exception as exc:  # noqa: BLE001 - handed to the caller to raise there
        result = ("raised", exc)
    try:
        out = pickle.dumps(result)
    except MemoryError:
        out = pickle.dumps(("memory", ""))
    except Exception as exc:  # noqa: BLE001 - an exception that cannot be pickled
        out = pickle.dumps(("raised", RuntimeError(f"{type(exc).__name__}: {exc}")))
    sys.stdout.buffer.write(out)
    sys.stdout.buffer.flush()
    return 0


def run_limited(func: Callable, *args: Any, memory_mb: int | None = None,
                seconds: float | None = None) -> Any:
    """`func(*args)` in a worker process, returning its result or raising what it raised.
    Raises WorkerStopped when it takes more memory or time than allowed, or dies.
    `func` must be importable by name (a module-level function)."""
    memory_mb = config.read_memory_mb() if memory_mb is None else memory_mb
    seconds = config.read_seconds() if seconds is None else seconds
    payload = pickle.dumps((func, args, memory_mb))
    proc = subprocess.Popen([sys.executable, "-m", "anchor.loading.worker"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL)  # a native abort's backtrace
    try:
        out, _ = proc.communicate(payload, timeout=seconds)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise WorkerStopped("time", f"more than {seconds:g} s") from None
    if proc.returncode != 0 or not out:
        # a native allocation refused under the limit aborts (SIGABRT) or is killed
        raise WorkerStopped("stopped", f"exit code {proc.returncode}")
    kind, value = pickle.loads(out)
    if kind == "ok":
        return value
    if kind == "memory":
        raise WorkerStopped("memory", f"more than {memory_mb:,} MB")
    raise value


if __name__ == "__main__":
    sys.exit(_main())
