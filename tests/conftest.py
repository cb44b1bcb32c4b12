"""Shared fixtures: a hand-worked fixture warehouse, and the real demo warehouse.

`make test` runs the tests in two processes (pytest-xdist). What is costly to build (the
geography, the demo and the real-files warehouses) is built once for the run, by whichever
process asks first, and shared: the others wait for it and read it.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from anchor import config
from anchor.auth import setup_user
from anchor.db import Warehouse
from anchor.demo import build_demo
from anchor.geography.build import build_geography, cache_is_current
from anchor.geography.install import install_geography
from tests.fixture_warehouse import build_fixture_warehouse
from tests.real_warehouse import build_real_warehouse


@pytest.fixture
def fixture_wh(tmp_path) -> Warehouse:
    wh = build_fixture_warehouse(tmp_path / "fixture.duckdb")
    yield wh
    wh.close()


def built_once(tmp_path_factory, name: str, build: Callable[[Path], None]) -> Path:
    """The file `name`, built by `build(path)` once for the whole run: in the run's shared
    temporary folder when the tests run in several processes, under a lock, so one process
    builds it and the rest wait. A build that fails leaves no file behind."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # the folder every worker's own temporary folder is in
    path = root / "shared" / name
    path.parent.mkdir(exist_ok=True)
    with open(path.parent / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not path.exists():
            partial = path.with_name(f"building-{name}")
            partial.unlink(missing_ok=True)
            build(partial)
            partial.rename(path)
    return path


@pytest.fixture(scope="session")
def geography_cache(tmp_path_factory) -> Path:
    """The whole-GB geography cache: the user's own if it is current, else built once."""
    mine = config.geography_cache_path()
    if cache_is_current(mine, scope="GB"):
        return mine
    return built_once(tmp_path_factory, "geography.duckdb", build_geography)


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory, geography_cache) -> Path:
    """A demo warehouse built the way `anchor setup` builds it. Tests copy it to write."""
    def build(path: Path) -> None:
        wh = Warehouse(path)
        try:
            install_geography(wh, geography_cache, setup_user())
            build_demo(wh, setup_user())
        finally:
            wh.close()
    return built_once(tmp_path_factory, "demo.duckdb", build)


@pytest.fixture
def demo_copy(demo_db, tmp_path) -> Path:
    """A private copy of the demo warehouse (DuckDB allows one writer per file)."""
    dest = tmp_path / "anchor.duckdb"
    shutil.copy(demo_db, dest)
    return dest


@pytest.fixture(scope="session")
def real_db(tmp_path_factory, geography_cache) -> Path:
    """A warehouse of real published files (tests/real_warehouse.py). Tests copy it to write."""
    return built_once(tmp_path_factory, "real.duckdb",
                      lambda path: build_real_warehouse(path, geography_cache).close())
