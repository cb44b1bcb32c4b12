"""The hand-worked fixture warehouse as a file the app can open."""

import pytest

from tests.fixture_warehouse import build_fixture_warehouse


@pytest.fixture
def fixture_db(tmp_path):
    path = tmp_path / "fixture.duckdb"
    build_fixture_warehouse(path).close()
    return path
