"""`anchor load`, `undo` and `report` while the app holds the warehouse: the command line
hands its command to the app through the channel (anchor/channel.py), and killing either
side midway leaves every load whole or absent. Here the app is a `Warehouse` serving the
channel in this process (as the app's cached warehouse does), or in a process of its own
where the test kills it; the command line is the real `python -m anchor.cli`. Also: a
warehouse the app cannot write is opened read-only, serves readers and refuses writes."""

from __future__ import annotations

import io
import json
import os
import signal
import socket
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from PIL import Image
from pptx import Presentation

from anchor import channel, loading
from anchor import db as anchor_db
from anchor.auth import local_user
from anchor.db import Warehouse, WarehouseReadOnly, open_for_serving
from anchor.queries import reference
from anchor.queries.loads import table_fingerprints
from anchor.reports import images
from tests.fixture_warehouse import build_fixture_warehouse

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
TWO_ROWS = DATA / "good" / "spend_utf8_bom.csv"  # AAA 2024/25 Q2: 1,000.00 and -20.00


def cli(db: Path, *args: str, role: str = "analyst", cwd: Path = ROOT,
        wait: bool = True) -> subprocess.CompletedProcess | subprocess.Popen:
    command = [sys.executable, "-m", "anchor.cli", *args]
    env = {**os.environ, "ANCHOR_DB": str(db), "PYTHONPATH": str(ROOT),
           "ANCHOR_USER": "scheduled-job", "ANCHOR_ROLE": role}
    if not wait:
        return subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
    return subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True,
                          timeout=120)


def spend_file(path: Path, lines: int) -> Path:
    """`lines` invoice lines of AAA's 2024/25 Q1, which the fixture holds 8 lines of."""
    rng = np.random.default_rng(11)
    days = pd.date_range("2024-04-01", "2024-06-30").strftime("%d/%m/%Y").to_numpy()
    pd.DataFrame({
        "org_code": "AAA",
        "paid_date": days[rng.integers(0, len(days), lines)],
        "supplier_id": np.array(["S1", "S2", "S3", "S4", "S5"])[rng.integers(0, 5, lines)],
        "category": "Catering",
        "amount_gbp": (rng.integers(1, 1_000_000, lines) / 100).round(2).astype(str),
        "transaction_number": np.arange(lines).astype(str),
    }).to_csv(path, index=False)
    return path


def data_fingerprints(wh) -> dict:
    """Every table's fingerprint but the audit trail's and the data version."""
    return {t: f for t, f in table_fingerprints(wh).items()
            if t not in ("load", "load_slice", "data_version")}


def aaa_q1_lines(wh) -> int:
    return wh.value("select count(*) from spend where org_code = 'AAA'"
                    " and quarter_start = date '2024-04-01'")


@pytest.fixture
def app(tmp_path):
    """The app's side: the warehouse held for writing, and the channel served beside it."""
    db = tmp_path / "anchor.duckdb"
    wh = build_fixture_warehouse(db)
    server = channel.serve(wh)
    yield db, wh, server
    server.close()
    wh.close()


def test_the_channel_is_beside_the_warehouse_for_its_owner_only(app):
    db, _, server = app
    assert server.path == db.with_name("anchor.duckdb.sock")
    assert server.path.stat().st_mode & 0o777 == 0o600


def test_load_then_undo_through_the_app(app, tmp_path):
    db, wh, server = app
    data_fingerprints_before = data_fingerprints(wh)
    version = wh.data_version()

    done = cli(db, "load", "spend", str(TWO_ROWS), "--report", "checked.csv", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Loaded load 1: Spend: 2 rows in 1 organisation-month" in done.stdout
    assert "AAA: July 2024 (none held) gets 2 lines" in done.stdout
    # the app's own connection sees the rows, and viewers' cached results are out of date
    assert wh.rows("select amount_gbp::double from spend where load_id = 1 order by 1") == [
        (-20.0,), (1000.0,)]
    assert wh.data_version() == version + 1
    assert wh.value("select loaded_by from load where load_id = 1") == "scheduled-job"
    # the validation report is written where the command line asked, relative to its folder
    # (a valid file: its report is the header alone)
    assert (tmp_path / "checked.csv").read_text(encoding="utf-8-sig") == (
        "File,Row,Column,Value,Problem,Severity\n")

    undone = cli(db, "undo", "1")
    assert undone.returncode == 0, undone.stderr
    assert "Undid load 1 (spend): removed 2 rows, put back 0." in undone.stdout
    assert data_fingerprints(wh) == data_fingerprints_before
    assert aaa_q1_lines(wh) == 8


def test_a_refused_file_comes_back_as_a_refusal(app, tmp_path):
    db, wh, _ = app
    bad = tmp_path / "spend.csv"
    bad.write_text("org_code,paid_date,supplier_id,category,amount_gbp\n"
                   "AAA,2024-07-15,S1,Catering,lots\n")
    done = cli(db, "load", "spend", str(bad))
    assert done.returncode == 1
    assert "Refused: nothing was loaded." in done.stderr
    assert "'lots'" in done.stderr
    # recorded against the file's own name, not the app's copy of it
    assert wh.rows("select file_name, outcome from load") == [("spend.csv", "rejected")]


def test_a_folder_of_monthly_files_loads_through_the_app_as_one_load(app, tmp_path):
    db, wh, _ = app
    folder = tmp_path / "year"
    folder.mkdir()
    for month, amount in ((7, "100.00"), (8, "250.00")):
        (folder / f"aaa_2024-{month:02d}.csv").write_text(
            "org_code,paid_date,supplier_id,category,amount_gbp\n"
            f"AAA,15/{month:02d}/2024,S1,Catering,{amount}\n")
    done = cli(db, "load", "spend", str(folder))
    assert done.returncode == 0, done.stderr
    assert "AAA: July 2024 (none held) gets 1 line" in done.stdout
    assert "AAA: August 2024 (none held) gets 1 line" in done.stdout
    assert wh.rows("select distinct load_id from spend where load_id is not null") == [(1,)]
    assert wh.value("select file_name from load where load_id = 1") == (
        "aaa_2024-07.csv, aaa_2024-08.csv")


def test_a_viewer_cannot_load_through_the_app(app):
    db, wh, server = app
    before = table_fingerprints(wh)
    done = cli(db, "load", "spend", str(TWO_ROWS), role="viewer")
    assert done.returncode == 3
    assert "scheduled-job (viewer) cannot load data" in done.stderr
    # a request written by hand, claiming to be a viewer, is refused by the app itself
    request = {"argv": ["load", "spend", "x.csv"], "user": "someone", "role": "viewer",
               "files": {"file": {"name": "x.csv", "data": channel.encode(TWO_ROWS.read_bytes())}}}
    replies = ask(server, json.dumps(request).encode() + b"\n")
    assert replies[-1] == {"exit": 3}
    assert "someone (viewer) cannot load data" in "".join(r.get("err", "") for r in replies)
    assert table_fingerprints(wh) == before


def test_a_deprivation_import_through_the_app(app, tmp_path):
    db, wh, _ = app
    decile = "Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)"
    file = tmp_path / "File_7.csv"  # two of the fixture's LSOAs, 2019 edition
    file.write_text(f"LSOA code (2011),{decile}\nE01010104,1\nE01009345,2\n")
    done = cli(db, "imd", str(file))
    assert done.returncode == 0, done.stderr
    assert "Imported English Indices of Deprivation 2019, IMD decile as load 1: 2 LSOAs" in (
        done.stdout)
    assert wh.rows("select lsoa_code, imd_decile from imd_lsoa order by 1") == [
        ("E01009345", 2), ("E01010104", 1)]
    assert wh.rows("select loaded_by, file_name from load") == [("scheduled-job", "File_7.csv")]


def ask(server, raw: bytes) -> list[dict]:
    """Send bytes to the channel as a request; the replies."""
    with socket.socket(socket.AF_UNIX) as conn:
        conn.connect(str(server.path))
        conn.sendall(raw)
        conn.shutdown(socket.SHUT_WR)
        return [json.loads(line) for line in conn.makefile("rb")]


def test_a_request_the_app_cannot_read_is_refused_and_the_app_serves_on(app):
    db, _, server = app
    assert ask(server, b"load spend x.csv\n") == [
        {"err": "The app could not read this request.\n"}, {"exit": 2}]
    replies = ask(server, json.dumps({"argv": ["demo", "--remove"], "role": "admin"}).encode())
    assert replies == [{"err": "The app does not run `anchor demo`.\n"}, {"exit": 2}]
    assert cli(db, "undo", "7").stderr.strip() == "Refused: There is no load 7."


def stand_in_pngs(figs, *, scale=2.0) -> dict[str, bytes]:
    """The charts as plain blue images: drawing them needs Chromium, which is not the point."""
    buf = io.BytesIO()
    Image.new("RGB", (900, 560), (0, 94, 184)).save(buf, "PNG")
    return {key: buf.getvalue() for key in figs}


def test_report_through_the_app(app, tmp_path, monkeypatch):
    db, _, _ = app
    monkeypatch.setattr(images, "to_png", stand_in_pngs)  # the app draws; the app is here
    done = cli(db, "report", "--place", "footprint", "--period", "2024/25 Q1",
               "--footprint", "FP1", "--out", "packs/fp1.pptx", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Wrote packs/fp1.pptx (")
    # written by the command line, in its own folder, from the bytes the app sent
    pack = Presentation(str(tmp_path / "packs" / "fp1.pptx"))
    assert "Fixture footprint" in "".join(
        shape.text_frame.text for shape in pack.slides[0].shapes if shape.has_text_frame)


def test_killing_the_command_line_midway_loses_nothing(app, tmp_path, monkeypatch):
    db, wh, server = app
    big = spend_file(tmp_path / "aaa-2024-25-q1.csv", 3_000)
    writing, killed = threading.Event(), threading.Event()
    real_load = loading.load

    def load_that_waits(*args, **kwargs):
        def progress(fraction, message):
            if message.startswith("Writing") and not writing.is_set():
                writing.set()
                killed.wait(30)  # the command line dies while the transaction is open
        return real_load(*args, **{**kwargs, "progress": progress})

    monkeypatch.setattr(loading, "load", load_that_waits)
    proc = cli(db, "load", "spend", str(big), wait=False)
    try:
        assert writing.wait(60), proc.communicate()
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    finally:
        killed.set()
    assert server.idle.wait(30)
    # the app finished the load it had begun, as one transaction
    assert aaa_q1_lines(wh) == 3_000
    assert wh.rows("select l.outcome, sum(s.rows_added) from load as l join load_slice as s"
                   " using (load_id) group by all") == [("loaded", 3_000)]
    # and still serves
    monkeypatch.setattr(loading, "load", real_load)
    undone = cli(db, "undo", "1")
    assert undone.returncode == 0, undone.stderr
    assert aaa_q1_lines(wh) == 8


APP = textwrap.dedent("""
    import sys, time
    from anchor import channel, loading

    # while a request runs, this thread's sys.stdout is the command line's: tell the test
    # through the process's own standard output
    from anchor.db import Warehouse

    wh = Warehouse(sys.argv[1])
    real_load = loading.load

    def load_that_stops(*args, **kwargs):
        def progress(fraction, message):
            if message.startswith("Committing"):
                print("MIDWAY", file=sys.__stdout__, flush=True)
                time.sleep(60)
        return real_load(*args, **{**kwargs, "progress": progress})

    loading.load = load_that_stops
    channel.serve(wh)
    print("SERVING", flush=True)
    time.sleep(120)
""")


def test_killing_the_app_midway_loses_nothing(tmp_path):
    db = tmp_path / "anchor.duckdb"
    wh = build_fixture_warehouse(db)
    before = table_fingerprints(wh)
    wh.close()
    # more than one DuckDB row group, so rows reach the file before the commit
    big = spend_file(tmp_path / "aaa-2024-25-q1.csv", 130_000)
    app = subprocess.Popen([sys.executable, "-c", APP, str(db)], cwd=ROOT,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert app.stdout.readline().strip() == "SERVING", app.stderr.read()
        proc = cli(db, "load", "spend", str(big), wait=False)
        assert app.stdout.readline().strip() == "MIDWAY", app.stderr.read()
        os.kill(app.pid, signal.SIGKILL)
        out, err = proc.communicate(timeout=60)
    finally:
        app.kill()
        app.wait()
    assert proc.returncode == 2
    assert "The app stopped before the command finished." in err
    wh = Warehouse(db)
    try:
        assert table_fingerprints(wh) == before
    finally:
        wh.close()
    # the socket the app left behind is ignored: the command line has the warehouse itself
    assert db.with_name("anchor.duckdb.sock").is_socket()
    done = cli(db, "load", "spend", str(TWO_ROWS))
    assert done.returncode == 0, done.stderr


def test_a_held_warehouse_with_no_app_listening_gives_a_clear_message(tmp_path):
    db = tmp_path / "anchor.duckdb"
    holder = build_fixture_warehouse(db)  # held, and its channel not served
    stale = socket.socket(socket.AF_UNIX)
    stale.bind(str(db.with_name("anchor.duckdb.sock")))
    stale.close()  # a socket file nobody listens on: an app that died
    try:
        done = cli(db, "load", "spend", str(TWO_ROWS))
        assert done.returncode == 2
        assert "another Anchor process (the app, usually) has it open" in done.stderr
        assert "It is not a running Anchor app that could take the command" in done.stderr
        # an app starting on this warehouse replaces the stale socket with its own
        server = channel.serve(holder)
        try:
            assert cli(db, "undo", "7").stderr.strip() == "Refused: There is no load 7."
        finally:
            server.close()
    finally:
        holder.close()


def test_commands_that_need_the_warehouse_to_themselves_say_so(app):
    db, _, _ = app
    done = cli(db, "demo", "--remove")
    assert done.returncode == 2
    assert "`anchor demo` needs the warehouse to itself: run it while the app is stopped." in (
        done.stderr)


# -- a warehouse the app can only read ----------------------------------------------------------

def test_a_warehouse_that_cannot_be_written_is_opened_read_only(tmp_path, monkeypatch):
    db = tmp_path / "anchor.duckdb"
    build_fixture_warehouse(db).close()
    real_connect = duckdb.connect

    def connect(path, read_only=False, **kwargs):
        # what DuckDB says on a read-only mount or a file this account may not write (root
        # ignores file modes, so the test stands in for the file system)
        if not read_only:
            raise duckdb.IOException(f'IO Error: Cannot open file "{path}": Permission denied')
        return real_connect(path, read_only=read_only, **kwargs)

    monkeypatch.setattr(anchor_db.duckdb, "connect", connect)
    wh = open_for_serving(db)
    try:
        assert wh.read_only
        assert list(reference.organisations(wh, "FP1")["org_code"]) == ["AAA", "BBB"]
        checked = loading.check(wh, loading.read_path(TWO_ROWS), loading.spec("spend"))
        with pytest.raises(WarehouseReadOnly, match="The warehouse is read-only here"):
            loading.load(wh, checked, local_user())
    finally:
        wh.close()


def test_a_read_only_folder_opens_the_warehouse_read_only(tmp_path, monkeypatch):
    db = tmp_path / "anchor.duckdb"
    build_fixture_warehouse(db).close()
    monkeypatch.setattr(anchor_db.os, "access", lambda path, mode: Path(path) != tmp_path)
    wh = open_for_serving(db)
    try:
        assert wh.read_only and wh.data_version() >= 0
    finally:
        wh.close()
    monkeypatch.undo()
    writable = open_for_serving(db)
    try:
        assert not writable.read_only
    finally:
        writable.close()
