"""`anchor load` and `anchor undo`: the same checks and transaction as the sidebar, for
scheduled loads. Non-zero exit and the validation report when a file is refused."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from anchor.cli import main
from anchor.db import Warehouse
from anchor.queries import reference
from anchor.queries.loads import table_fingerprints
from tests.fixture_warehouse import build_fixture_warehouse

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture
def db(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "anchor.duckdb"
    build_fixture_warehouse(path).close()
    monkeypatch.setenv("ANCHOR_DB", str(path))
    monkeypatch.setenv("ANCHOR_USER", "scheduled-job")
    monkeypatch.delenv("ANCHOR_ROLE", raising=False)
    return path


def fingerprints(path: Path) -> dict:
    wh = Warehouse(path)
    try:
        return table_fingerprints(wh)
    finally:
        wh.close()


def test_load_then_undo(db, capsys):
    assert main(["load", "spend", str(DATA / "good" / "spend_windows_1252.csv")]) == 0
    out = capsys.readouterr().out
    assert "Loaded load 1: Spend: 3 rows in 2 organisation-months from spend_windows_1252.csv " \
           "(published spend, Windows-1252)." in out
    assert "AAA: July 2024 (none held) gets 2 lines\n  AAA: August 2024 (none held) gets 1 line" \
        in out
    assert "1 supplier added to the register with no postcode." in out
    wh = Warehouse(db)
    assert wh.rows("select loaded_by, outcome from load") == [("scheduled-job", "loaded")]
    assert wh.value("select sum(amount_gbp) from spend where load_id = 1") == 1_329_775
    wh.close()
    assert main(["undo", "1"]) == 0
    assert "Undid load 1 (spend): removed 3 rows, put back 0." in capsys.readouterr().out
    assert main(["undo", "1"]) == 1
    assert "already undone" in capsys.readouterr().err


def test_a_bad_file_exits_non_zero_with_the_report(db, capsys, tmp_path):
    before = fingerprints(db)
    report = tmp_path / "report.csv"
    code = main(["load", "spend", str(DATA / "bad" / "spend_bad_dates.csv"),
                 "--report", str(report)])
    assert code == 1
    err = capsys.readouterr().err
    assert ("ERROR    spend_bad_dates.csv, row 2, paid_date '31/02/2024': Not a date. Use "
            "dd/mm/yyyy") in err
    assert "3 errors, 0 warnings." in err
    assert "Refused: nothing was loaded." in err
    assert report.read_text(encoding="utf-8-sig").splitlines()[1].startswith(
        "spend_bad_dates.csv,2,paid_date,31/02/2024,\"Not a date.")
    after = fingerprints(db)
    # the refusal is audited; nothing else changes, not even the data version (which would
    # throw away every viewer's cached figures)
    assert {t for t in before if before[t] != after[t]} == {"load"}
    wh = Warehouse(db)
    sha = hashlib.sha256((DATA / "bad" / "spend_bad_dates.csv").read_bytes()).hexdigest()
    assert wh.rows("select outcome, file_name, sha256, loaded_by, table_name from load") == [
        ("rejected", "spend_bad_dates.csv", sha, "scheduled-job", "spend")]
    assert wh.value("select message from load").startswith(
        "3 problems; nothing was loaded. First: row 2, paid_date: Not a date.")
    # a refused file is no change of data: the sidebar's "updated" date does not move
    assert pd.isna(reference.freshness(wh)["last_change"].iat[0])
    wh.close()


def test_an_unreadable_file_is_refused_and_audited(db, capsys):
    before = fingerprints(db)
    assert main(["load", "spend", str(DATA / "bad" / "spend_binary.csv")]) == 1
    assert "is not a CSV file: it holds binary data" in capsys.readouterr().err
    after = fingerprints(db)
    assert {t for t in before if before[t] != after[t]} == {"load"}
    wh = Warehouse(db)
    sha = hashlib.sha256((DATA / "bad" / "spend_binary.csv").read_bytes()).hexdigest()
    assert wh.rows("select outcome, file_name, sha256, message from load") == [
        ("rejected", "spend_binary.csv", sha, "1 problem; nothing was loaded. spend_binary.csv "
         "is not a CSV file: it holds binary data. Upload the spreadsheet as .xlsx, or save "
         "it as CSV first.")]
    wh.close()


def test_the_quarter_option(db, capsys):
    good = str(DATA / "good" / "spend_utf8_bom.csv")
    assert main(["load", "spend", good, "--quarter", "2024/25 Q3", "--dry-run"]) == 1
    assert "outside 2024/25 Q3" in capsys.readouterr().err
    assert main(["load", "spend", good, "--quarter", "2024/25 Q2", "--dry-run"]) == 0
    assert "Nothing was written (--dry-run)" in capsys.readouterr().out


def test_a_viewer_cannot_load(db, capsys, monkeypatch):
    before = fingerprints(db)
    monkeypatch.setenv("ANCHOR_ROLE", "viewer")
    assert main(["load", "spend", str(DATA / "good" / "spend_utf8_bom.csv")]) == 3
    assert "scheduled-job (viewer) cannot load data: it needs the analyst role" in \
        capsys.readouterr().err
    assert main(["undo", "1"]) == 3
    assert fingerprints(db) == before


def test_a_viewer_cannot_remove_or_build_the_demo(db, capsys, monkeypatch):
    wh = Warehouse(db)
    wh.rows("update spend set is_demo = true where org_code = 'BBB'")
    wh.close()
    before = fingerprints(db)
    monkeypatch.setenv("ANCHOR_ROLE", "viewer")
    assert main(["demo", "--remove"]) == 3
    assert capsys.readouterr().err.strip() == (
        "scheduled-job (viewer) cannot remove the demo data: it needs the analyst role or "
        "higher.")
    assert main(["demo"]) == 3
    assert "scheduled-job (viewer) cannot build the demo footprint" in capsys.readouterr().err
    assert fingerprints(db) == before


def test_an_analyst_removes_the_demo_and_the_audit_trail_says_so(db, capsys):
    wh = Warehouse(db)
    wh.rows("update spend set is_demo = true where org_code = 'BBB'")
    wh.close()
    assert main(["demo", "--remove"]) == 0
    assert "Removed the demo data (1 invoice lines)." in capsys.readouterr().out
    wh = Warehouse(db)
    assert wh.rows("select loaded_by, table_name, outcome from load") == [
        ("scheduled-job", "demo", "removed")]
    assert wh.value("select count(*) from spend where org_code = 'BBB'") == 0
    wh.close()


def test_a_busy_warehouse_gives_a_clear_message(db, capsys):
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, duckdb, time; c = duckdb.connect(sys.argv[1]);"
                               " print('open', flush=True); time.sleep(60)", str(db)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        assert main(["load", "spend", str(DATA / "good" / "spend_utf8_bom.csv")]) == 2
        assert "It is not a running Anchor app that could take the command" in (
            capsys.readouterr().err)
    finally:
        holder.kill()
        holder.wait()


def test_load_organisations_then_sites_then_undo(db, capsys, tmp_path):
    orgs = tmp_path / "organisations.csv"
    orgs.write_text("org_code,name,org_type,footprint_code,footprint_name,home_local_authorities\n"
                    "CCC,Gamma Hospitals NHS Trust,Acute trust,FP2,Second footprint,"
                    "Sandwell; Birmingham\n", encoding="utf-8")
    sites = tmp_path / "sites.csv"
    sites.write_text("site_code,org_code,name,postcode\nCCC01,CCC,Gamma General,b709pl\n"
                     "AAA01,AAA,Alpha General,B71 4HJ\n", encoding="utf-8")
    before = fingerprints(db)
    # sites first: their organisation is not there yet
    assert main(["load", "site", str(sites)]) == 1
    err = capsys.readouterr().err
    assert ("ERROR    sites.csv, row 2, org_code 'CCC': Not an organisation in the warehouse "
            "(known: AAA, BBB). Load it in an organisations file first") in err

    assert main(["load", "organisation", str(orgs), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "Valid: Organisations and footprints: 1 row from organisations.csv" in out
    assert "  new       Organisation CCC: Gamma Hospitals NHS Trust · Acute trust · FP2" in out
    assert "  new       Home local authorities FP2: Birmingham; Sandwell" in out

    assert main(["load", "organisation", str(orgs)]) == 0
    out = capsys.readouterr().out
    assert "Loaded load 2: Organisations and footprints: 1 row from organisations.csv" in out
    assert ("  organisations: 1 from the file, 0 replaced\n"
            "  footprints: 1 from the file, 0 replaced\n"
            "  home local authorities: 2 from the file, 0 replaced\n") in out
    assert main(["load", "site", str(sites)]) == 0
    out = capsys.readouterr().out
    assert "  AAA: 1 site, replacing 1\n  CCC: 1 site, replacing 0" in out
    wh = Warehouse(db)
    assert wh.rows("select site_code, org_code, postcode, load_id from site where load_id = 3"
                   " order by 1") == [("AAA01", "AAA", "B71 4HJ", 3), ("CCC01", "CCC", "B70 9PL", 3)]
    assert wh.rows("select footprint_code, name, load_id from footprint where load_id = 2") == [
        ("FP2", "Second footprint", 2)]
    wh.close()

    assert main(["undo", "2"]) == 1
    assert "Undo those loads first." in capsys.readouterr().err
    assert main(["undo", "3"]) == 0
    assert "Undid load 3 (site): removed 2 rows, put back 1." in capsys.readouterr().out
    assert main(["undo", "2"]) == 0
    after = fingerprints(db)
    assert {t for t in before if before[t] != after[t]} == {"load", "load_slice", "data_version"}


def test_names_in_every_script_load_and_look_alikes_are_reported(db, capsys):
    """Möller and Moller are two new suppliers, warned as look-alikes; Greek and Japanese
    names are suppliers of their own; a Cyrillic о in 'Lоcal One Ltd' is warned beside the
    register's Local One Ltd; the id s1 is the register's S1."""
    assert main(["load", "spend", str(DATA / "good" / "spend_names_in_every_script.csv")]) == 0
    err = capsys.readouterr().err
    assert "'Moller Ltd' looks like 'Möller Ltd' on row 2" in err
    assert "'L\u043ecal One Ltd' looks like 'Local One Ltd' in the warehouse" in err
    assert "'s1' is 'S1' in the supplier register" in err
    wh = Warehouse(db)
    added = wh.rows("select name from supplier where load_id = 1 order by name")
    assert added == [("L\u043ecal One Ltd",), ("Moller Ltd",), ("Möller Ltd",), ("Müller Ltd",),
                     ("Ελληνικά Τρόφιμα ΑΕ",), ("トヨタ株式会社",)]
    assert wh.value("select sum(amount_gbp) from spend where load_id = 1 and supplier_id = 'S1'"
                    ) == 700
    wh.close()


def test_a_full_disk_exits_non_zero_with_a_plain_message(db, capsys, monkeypatch):
    import duckdb

    from anchor.loading import transaction

    apply = transaction._apply

    def full(cur, checked, load_id, progress):
        if load_id is None:  # the preview before the load fits; the load itself does not
            return apply(cur, checked, load_id, progress)
        raise duckdb.IOException('IO Error: Could not write all bytes to file "anchor.duckdb.wal"'
                                 ': No space left on device')

    monkeypatch.setattr(transaction, "_apply", full)
    before = fingerprints(db)
    assert main(["load", "spend", str(DATA / "good" / "spend_utf8_bom.csv")]) == 1
    err = capsys.readouterr().err
    assert "Refused: The disk holding the warehouse is full: spend_utf8_bom.csv could not be " \
           f"written to {db}, so nothing was loaded." in err
    assert "Traceback" not in err
    after = fingerprints(db)
    assert {t for t in before if before[t] != after[t]} == {"load"}
    wh = Warehouse(db)
    assert wh.rows("select loaded_by, outcome from load") == [("scheduled-job", "failed")]
    wh.close()


def test_a_disk_full_during_the_preview_is_a_plain_message_and_records_nothing(db, capsys,
                                                                                monkeypatch):
    import duckdb

    from anchor.loading import transaction

    def full(cur, checked, load_id, progress):
        raise duckdb.IOException("IO Error: No space left on device")

    monkeypatch.setattr(transaction, "_apply", full)
    before = fingerprints(db)
    assert main(["load", "spend", str(DATA / "good" / "spend_utf8_bom.csv"), "--dry-run"]) == 1
    err = capsys.readouterr().err
    assert "Refused: The disk holding the warehouse is full: spend_utf8_bom.csv could not be " \
           f"written to {db}, so nothing was loaded." in err
    assert "Traceback" not in err
    assert fingerprints(db) == before
