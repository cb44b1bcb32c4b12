"""The warehouse connection's own settings."""

import pytest

from anchor.db import WarehouseError, open_warehouse


def test_the_memory_limit_is_set_and_configurable(tmp_path, monkeypatch):
    monkeypatch.delenv("ANCHOR_DUCKDB_MEMORY_LIMIT", raising=False)
    wh = open_warehouse(tmp_path / "a.duckdb")
    try:
        # DuckDB reports 4GB (decimal) as 3.7 GiB
        assert wh.value("select current_setting('memory_limit')") == "3.7 GiB"
    finally:
        wh.close()
    monkeypatch.setenv("ANCHOR_DUCKDB_MEMORY_LIMIT", "512MiB")
    wh = open_warehouse(tmp_path / "b.duckdb")
    try:
        assert wh.value("select current_setting('memory_limit')") == "512.0 MiB"
    finally:
        wh.close()


def test_a_memory_limit_duckdb_cannot_read_is_refused_by_name(tmp_path, monkeypatch):
    monkeypatch.setenv("ANCHOR_DUCKDB_MEMORY_LIMIT", "lots")
    with pytest.raises(WarehouseError, match="ANCHOR_DUCKDB_MEMORY_LIMIT is 'lots'"):
        open_warehouse(tmp_path / "c.duckdb")
    assert not (tmp_path / "c.duckdb").exists()
