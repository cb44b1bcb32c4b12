import duckdb
import pytest

from anchor import schema
from anchor.db import Warehouse, WarehouseError, migrate


def test_new_warehouse_is_at_the_latest_version(tmp_path):
    wh = Warehouse(tmp_path / "a.duckdb")
    assert wh.value("select max(version) from schema_migration") == schema.LATEST_VERSION
    for table in ["spend", "supplier", "workforce", "estate", "load", "geo_postcode"]:
        assert wh.value("select count(*) from information_schema.tables where table_name = ?",
                        [table]) == 1
    wh.close()


def test_an_older_warehouse_is_upgraded_in_place(tmp_path, monkeypatch):
    path = tmp_path / "old.duckdb"
    monkeypatch.setattr("anchor.db.MIGRATIONS", schema.MIGRATIONS[:1])
    wh = Warehouse(path)
    wh.rows("insert into footprint values ('FP', 'Kept', false)")
    wh.close()
    extra = schema.Migration(schema.LATEST_VERSION + 1, "a later release",
                             "alter table footprint add column notes varchar;")
    monkeypatch.setattr("anchor.db.MIGRATIONS", [*schema.MIGRATIONS, extra])
    monkeypatch.setattr("anchor.db.LATEST_VERSION", extra.version)
    wh = Warehouse(path)
    assert wh.rows("select name, notes from footprint") == [("Kept", None)]
    assert wh.value("select max(version) from schema_migration") == extra.version
    wh.close()


def test_a_failed_migration_changes_nothing(tmp_path, monkeypatch):
    con = duckdb.connect(str(tmp_path / "b.duckdb"))
    bad = [schema.Migration(1, "broken", "create table t (a int); select * from missing_table;")]
    monkeypatch.setattr("anchor.db.MIGRATIONS", bad)
    with pytest.raises(duckdb.Error):
        migrate(con)
    tables = con.execute("select count(*) from information_schema.tables where table_name = 't'")
    assert tables.fetchall() == [(0,)]
    assert con.execute("select count(*) from schema_migration").fetchall() == [(0,)]


def test_a_newer_warehouse_is_refused(tmp_path):
    path = tmp_path / "new.duckdb"
    Warehouse(path).close()
    con = duckdb.connect(str(path))
    con.execute("insert into schema_migration values (999, 'future', now())")
    con.close()
    with pytest.raises(WarehouseError, match="newer than this release"):
        Warehouse(path)
