"""Importing the English Indices of Deprivation, 2019 (LSOA 2011) and 2025 (LSOA 2021)."""

import hashlib
import io
import re
from datetime import datetime

import pandas as pd
import pytest

from anchor import loading
from anchor.auth import PermissionDenied, Role, User
from anchor.cli import main
from anchor.db import Warehouse
from anchor.geography.imd import ImdFileError, read_imd, save_imd
from anchor.queries.loads import load_history
from tests.fixture_warehouse import add_fixture_deciles, build_fixture_warehouse

LSOA_2011 = pd.DataFrame({
    "lsoa_code": ["E01009001", "E01009002", "E01009003", "W01000001"],
    "lsoa_name": ["Sandwell 010A", "Sandwell 010B", "Sandwell 011A", "Cardiff 001A"],
})
DECILE = "Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)"
ANALYST = User("ana", Role.ANALYST, "local")
VIEWER = User("vic", Role.VIEWER, "local")
# Two of the fixture's LSOAs (Sandwell 010A and Birmingham 050C), 2019 edition
FILE_7 = f"LSOA code (2011),{DECILE}\nE01010104,1\nE01009345,2\n".encode()


def csv(text: str) -> io.BytesIO:
    return io.BytesIO(text.encode("utf-8-sig"))


def test_2019_file_seven():
    f = csv("LSOA code (2011),LSOA name (2011),Local Authority District code (2019),"
            f"Index of Multiple Deprivation (IMD) Score,{DECILE}\n"
            "E01009001,Sandwell 010A,E08000028,45.1,1\n"
            "E01009002,Sandwell 010B,E08000028,30.2,3\n"
            "E01009003,Sandwell 011A,E08000028,10.0,9\n")
    imp = read_imd(f, LSOA_2011)
    assert imp.edition == "2019"
    assert dict(zip(imp.deciles["lsoa_code"], imp.deciles["imd_decile"])) == {
        "E01009001": 1, "E01009002": 3, "E01009003": 9}
    assert (imp.matched, imp.mapped, imp.missing) == (3, 0, 0)  # Wales is not in the English IoD


def test_2025_file_maps_changed_codes_through_the_msoa():
    # E01009002 was split in 2021 into E01035001 (decile 2) and E01035002 (decile 4).
    f = csv(f"LSOA code (2021),LSOA name (2021),{DECILE}\n"
            "E01009001,Sandwell 010A,1\n"
            "E01035001,Sandwell 010C,2\n"
            "E01035002,Sandwell 010D,4\n"
            "E01009003,Sandwell 011A,8\n")
    imp = read_imd(f, LSOA_2011)
    deciles = dict(zip(imp.deciles["lsoa_code"], imp.deciles["imd_decile"]))
    assert deciles == {"E01009001": 1, "E01009002": 3, "E01009003": 8}
    assert (imp.edition, imp.matched, imp.mapped) == ("2025", 2, 1)
    assert "mapped to 2011" in imp.source


@pytest.mark.parametrize("text, message", [
    ("code,decile\nE01009001,1\n", "has no 'LSOA code (2011)' column"),
    (f"LSOA code (2011),{DECILE}\nE01009001,eleven\n", "row 2"),
    (f"LSOA code (2011),{DECILE}\nE01009001,11\n", "not a decile from 1 to 10"),
    # A Welsh file, or one for another geography, would otherwise wipe every decile.
    (f"LSOA code (2011),{DECILE}\nW01000001,4\n",
     "imd.csv gives no decile for any neighbourhood: none of its codes (such as 'W01000001')"),
])
def test_bad_files_say_what_is_wrong(text, message):
    with pytest.raises(ImdFileError, match=re.escape(message)):
        read_imd(csv(text), LSOA_2011, file_name="imd.csv")


def test_a_warehouse_with_no_geography_is_told_to_build_it():
    with pytest.raises(ImdFileError, match="the geography has no English LSOAs yet"):
        read_imd(csv(f"LSOA code (2011),{DECILE}\nE01009001,4\n"), LSOA_2011.iloc[0:0],
                 file_name="imd.csv")


def test_import_replaces_synthetic_deciles(fixture_wh):
    fixture_wh.rows("insert into imd_lsoa values ('E01010104', 5, 'synthetic', true)")
    f = csv(f"LSOA code (2011),{DECILE}\nE01010104,1\nE01009345,2\n")
    imp = read_imd(f, fixture_wh.df("select lsoa_code, lsoa_name from geo_lsoa"))
    assert imp.lsoas == 2
    save_imd(fixture_wh, imp, ANALYST)
    assert fixture_wh.rows("select lsoa_code, imd_decile, is_synthetic from imd_lsoa order by 1") == [
        ("E01009345", 2, False), ("E01010104", 1, False)]


def _fixture_lsoas(wh):
    return wh.df("select lsoa_code, lsoa_name from geo_lsoa")


def test_a_viewer_cannot_import(fixture_wh):
    add_fixture_deciles(fixture_wh)
    imp = read_imd(io.BytesIO(FILE_7), _fixture_lsoas(fixture_wh), file_name="File_7.csv")
    with pytest.raises(PermissionDenied, match=re.escape(
            "vic (viewer) cannot import deprivation deciles: it needs the analyst role")):
        save_imd(fixture_wh, imp, VIEWER)
    assert fixture_wh.value("select count(*) from imd_lsoa where source = 'Fixture deciles'") == 4
    assert fixture_wh.value("select count(*) from load") == 0


def test_an_import_is_in_the_audit_trail_and_cannot_be_undone(fixture_wh):
    add_fixture_deciles(fixture_wh)  # 4 deciles, which the import replaces
    imp = read_imd(io.BytesIO(FILE_7), _fixture_lsoas(fixture_wh), file_name="File_7.csv")
    version = fixture_wh.data_version()
    load_id = save_imd(fixture_wh, imp, ANALYST)
    assert fixture_wh.data_version() == version + 1
    row = fixture_wh.rows("select loaded_by, file_name, sha256, table_name, outcome, message,"
                          " loaded_at from load where load_id = ?", [load_id])[0]
    assert row[:6] == ("ana", "File_7.csv", hashlib.sha256(FILE_7).hexdigest(), "imd_lsoa",
                       "loaded", "English Indices of Deprivation 2019, IMD decile: 2 LSOAs")
    assert isinstance(row[6], datetime)
    assert fixture_wh.rows("select table_name, org_code, quarter_start, rows_added,"
                           " rows_replaced from load_slice where load_id = ?", [load_id]) == [
        ("imd_lsoa", None, None, 2, 4)]
    top = load_history(fixture_wh).iloc[0]
    assert (top["load_id"], top["rows_added"], top["rows_replaced"]) == (load_id, 2, 4)
    assert "imd_lsoa" not in loading.transaction.UNDOABLE_TABLES
    with pytest.raises(loading.LoadError, match="keeps no earlier rows to put back"):
        loading.undo(fixture_wh, load_id, ANALYST)
    assert fixture_wh.value("select count(*) from imd_lsoa") == 2


@pytest.fixture
def cli_warehouse(monkeypatch, tmp_path):
    db = tmp_path / "fixture.duckdb"
    build_fixture_warehouse(db).close()
    monkeypatch.setenv("ANCHOR_DB", str(db))
    monkeypatch.setenv("ANCHOR_USER", "cli.analyst")
    file = tmp_path / "File_7.csv"
    file.write_bytes(FILE_7)
    return db, file


def _audit(db) -> list[tuple]:
    wh = Warehouse(db)
    try:
        return wh.rows("select loaded_by, file_name, table_name, outcome from load order by 1")
    finally:
        wh.close()


def test_the_command_line_refuses_a_viewer(monkeypatch, cli_warehouse, capsys):
    db, file = cli_warehouse
    monkeypatch.setenv("ANCHOR_ROLE", "viewer")
    assert main(["imd", str(file)]) == 3
    assert "cannot import deprivation deciles: it needs the analyst role" in (
        capsys.readouterr().err)
    wh = Warehouse(db)
    assert wh.value("select count(*) from imd_lsoa") == 0
    wh.close()
    assert _audit(db) == []


def test_the_command_line_imports_and_records_it(monkeypatch, cli_warehouse, capsys):
    db, file = cli_warehouse
    monkeypatch.setenv("ANCHOR_ROLE", "analyst")
    assert main(["imd", str(file)]) == 0
    assert "Imported English Indices of Deprivation 2019, IMD decile as load 1: 2 LSOAs" in (
        capsys.readouterr().out)
    assert _audit(db) == [("cli.analyst", "File_7.csv", "imd_lsoa", "loaded")]


def test_the_command_line_records_a_refused_file(monkeypatch, cli_warehouse, capsys):
    db, file = cli_warehouse
    monkeypatch.setenv("ANCHOR_ROLE", "analyst")
    file.write_text("code,decile\nE01009001,1\n")
    assert main(["imd", str(file)]) == 1
    assert "Refused: File_7.csv has no 'LSOA code (2011)' column" in capsys.readouterr().err
    assert _audit(db) == [("cli.analyst", "File_7.csv", "imd_lsoa", "rejected")]
    assert main(["imd", str(file.with_name("nowhere.csv"))]) == 1
    assert "There is no file" in capsys.readouterr().err
