"""Running a reader in a worker process with a memory and a time limit.

A crafted file can make a native reader ask for hundreds of GiB, or run for minutes: in the
app's own process that aborts every session at once. Here it ends only the worker, and the
caller gets `WorkerStopped` saying which limit was met. The worker is forked from a server
process that has the readers imported already (multiprocessing's 'forkserver'), so starting
one costs milliseconds, not an interpreter start; where there is no forkserver (Windows) a
fresh interpreter is spawned. As with any use of multiprocessing, a script that reads files
must start from `if __name__ == "__main__":` (every entry point of Anchor's does).
"""

from __future__ import annotations

import multiprocessing
import os
import traceback
from collections.abc import Callable
from typing import Any

from anchor import config

# '__main__' as multiprocessing preloads by default: imported once in the server, so a worker
# does not import the program's main script again (the app's, `anchor`'s) before it reads.
_PRELOAD = ["__main__", "anchor.loading.readers"]
_context = None


class WorkerStopped(Exception):
    """The worker met a limit, or died: `reason` says which ('memory', 'time' or
    'stopped'), `detail` what was seen."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


def _get_context():
    global _context
    if _context is None:
        if "forkserver" in multiprocessing.get_all_start_methods():
            _context = multiprocessing.get_context("forkserver")
            # imported once in the server, not in every worker
            _context.set_forkserver_preload(_PRELOAD)
        else:
            _context = multiprocessing.get_context("spawn")
    return _context


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


def _child(conn, memory_mb: int, func: Callable, args: tuple) -> None:
    _limit_memory(memory_mb)
    try:
        result = ("ok", func(*args))
    except MemoryError:
        result = ("memory", "")
    except Exception as exc:  # noqa: BLE001 - handed to the caller to raise there
        result = ("raised", exc)
    try:
        conn.send(result)
    except MemoryError:
        conn.send(("memory", ""))
    except Exception:  # noqa: BLE001 - an exception that cannot be pickled
        conn.send(("raised", RuntimeError(traceback.format_exc())))
    finally:
        conn.close()


def run_limited(func: Callable, *args: Any, memory_mb: int | None = None,
                seconds: float | None = None) -> Any:
    """`func(*args)` in a worker process, returning its result or raising what it raised.
    Raises WorkerStopped when it takes more memory or time than allowed, or dies.
    `func` must be importable by name (a module-level function)."""
    memory_mb = config.read_memory_mb() if memory_mb is None else memory_mb
    seconds = config.read_seconds() if seconds is None else seconds
    ctx = _get_context()
    receive, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(send, memory_mb, func, args), daemon=True)
    proc.start()
    send.close()  # the worker holds the other end: its death is end-of-file here
    try:
        if not receive.poll(seconds):
            raise WorkerStopped("time", f"more than {seconds:g} s")
        try:
            kind, value = receive.recv()
        except (EOFError, OSError):
            proc.join(5)
            code = proc.exitcode
            # a native allocation refused under the limit aborts (SIGABRT) or is killed
            raise WorkerStopped("stopped", f"exit code {code}") from None
    finally:
        receive.close()
        if proc.is_alive():
            proc.kill()
        proc.join(5)
    if kind == "ok":
        return value
    if kind == "memory":
        raise WorkerStopped("memory", f"more than {memory_mb:,} MB")
    raise value
