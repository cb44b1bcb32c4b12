"""Shared fixtures: a hand-worked fixture warehouse, and the real demo warehouse."""

from __future__ import annotations

import shutil
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


@pytest.fixture(scope="session")
def geography_cache(tmp_path_factory) -> Path:
    """The whole-GB geography cache: the user's own if it is current, else built once."""
    mine = config.geography_cache_path()
    if cache_is_current(mine, scope="GB"):
        return mine
    path = tmp_path_factory.mktemp("geo") / "geography.duckdb"
    build_geography(path)
    return path


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory, geography_cache) -> Path:
    """A demo warehouse built the way `anchor setup` builds it. Tests copy it to write."""
    path = tmp_path_factory.mktemp("demo") / "anchor.duckdb"
    wh = Warehouse(path)
    try:
        install_geography(wh, geography_cache, setup_user())
        build_demo(wh, setup_user())
    finally:
        wh.close()
    return path


@pytest.fixture
def demo_copy(demo_db, tmp_path) -> Path:
    """A private copy of the demo warehouse (DuckDB allows one writer per file)."""
    dest = tmp_path / "anchor.duckdb"
    shutil.copy(demo_db, dest)
    return dest


@pytest.fixture(scope="session")
def real_db(tmp_path_factory, geography_cache) -> Path:
    """A warehouse of real published files (tests/real_warehouse.py). Tests copy it to write."""
    path = tmp_path_factory.mktemp("real") / "anchor.duckdb"
    build_real_warehouse(path, geography_cache).close()
    return path
