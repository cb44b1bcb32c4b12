"""Files made to break the reader, and files that are only unusual. Each crafted one is refused
with a message naming the file and where it breaks a bound (cell, row, column, part, limit),
through the sidebar's own path (`check_offered`), which records the refusal; the warehouse is
left as it was. The worker that parses them dies alone when a reader does. The unusual ones
(UTF-16, a hidden first sheet, line breaks inside quoted cells) load. Big files are built
here; tests/data keeps the small ones (made by `tests.crafted_workbooks.write_corpus`)."""

from __future__ import annotations

import hashlib
import io
import os
import random
import time
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from anchor import loading
from anchor.auth import local_user
from anchor.cli import main
from anchor.db import Warehouse
from anchor.loading import readers
from anchor.loading.worker import WorkerStopped, run_limited
from anchor.queries.loads import table_fingerprints
from tests import crafted_workbooks as cw
from tests.fixture_warehouse import build_fixture_warehouse

DATA = Path(__file__).resolve().parents[1] / "data"
HEADER = "org_code,paid_date,supplier_id,category,amount_gbp\n"
ROW = "AAA,2024-07-15,S1,Catering,100\n"
OFFERED: list[tuple[str, str]] = []  # (file, sha256) of each refusal, in order


@pytest.fixture
def wh(fixture_wh, monkeypatch):
    """The fixture warehouse, checked afterwards to hold exactly what it held, with one
    'rejected' audit row per refusal offered."""
    monkeypatch.setenv("ANCHOR_ROLE", "analyst")
    monkeypatch.setenv("ANCHOR_USER", "ana")
    before = table_fingerprints(fixture_wh)
    version = fixture_wh.data_version()
    OFFERED.clear()
    yield fixture_wh
    after = table_fingerprints(fixture_wh)
    assert {t for t in before if before[t] != after[t]} <= {"load"}, \
        "a crafted file changed the warehouse"
    assert fixture_wh.data_version() == version
    audit = fixture_wh.rows("select file_name, sha256, loaded_by, outcome, message from load"
                            " order by load_id")
    assert [(f, s) for f, s, *_ in audit] == OFFERED
    for _, _, by, outcome, message in audit:
        assert (by, outcome) == ("ana", "rejected")
        assert message.startswith("1 problem; nothing was loaded. ")


def refused(wh, name: str, data: bytes, table: str = "spend") -> str:
    """Offer the file as the sidebar does and return why it was refused."""
    offered = loading.check_offered(wh, name, data, loading.spec(table), local_user())
    assert offered.error is not None, offered.checked and offered.checked.issues
    assert offered.refusal_id is not None
    OFFERED.append((name, hashlib.sha256(data).hexdigest()))
    return offered.error


def read_ok(wh, name: str, data: bytes, table: str = "spend"):
    checked = loading.check(wh, loading.read_bytes(name, data), loading.spec(table))
    assert checked.ok, checked.issues
    return checked


def issues(checked, severity: str) -> list[tuple]:
    found = checked.issues[checked.issues["severity"] == severity]
    return [(None if pd.isna(r.row) else int(r.row), r.column, r.value, r.problem)
            for r in found.itertuples()]


# -- workbooks beyond the bounds: refused before any reader parses them ----------------------

def test_a_cell_at_xfd1048576_is_refused_naming_the_sheet_the_cell_and_the_limit(wh):
    data = (DATA / "bad" / "spend_cell_at_xfd1048576.xlsx").read_bytes()
    assert len(data) < 2000  # the 1.6 KB file that took the app down
    started = time.monotonic()
    message = refused(wh, "spend_cell_at_xfd1048576.xlsx", data)
    assert time.monotonic() - started < 30
    # column 501 is SG: 26 one-letter columns, then 18 runs of 26 from AA (A..R), then S + G
    assert message == (
        "spend_cell_at_xfd1048576.xlsx, sheet 'Spend' is refused: it has a cell at XFD1048576, "
        "so its used range is A1:XFD1048576, 16,384 columns wide, and Anchor reads at most 500 "
        "columns. Delete the columns after the table (from SG on) and save it again.")


def test_a_reader_that_builds_that_grid_dies_alone_in_its_worker():
    """Without the bounds, calamine asks for 512 GiB and aborts: only the worker ends."""
    pytest.importorskip("python_calamine")
    data = (DATA / "bad" / "spend_cell_at_xfd1048576.xlsx").read_bytes()
    with pytest.raises(WorkerStopped) as stopped:
        run_limited(readers._calamine_rows, data, "Spend", memory_mb=512, seconds=60)
    assert stopped.value.reason in ("stopped", "memory")
    # and this process goes on reading
    assert loading.read_bytes("ok.csv", (HEADER + ROW).encode()).frame.shape == (1, 5)


def test_ten_thousand_columns_are_refused_naming_the_last_cell(wh):
    header = cw.SPEND_HEADER + [f"note {i}" for i in range(6, 10_001)]
    data = cw.workbook([("Spend", "visible", cw.sheet_xml(cw.rows_xml([header])))])
    message = refused(wh, "wide.xlsx", data)
    # column 10,000: 10,000 = 14 × 676 + 20 × 26 + 16 -> N, T, P
    assert "wide.xlsx, sheet 'Spend' is refused: it has a cell at NTP1" in message
    assert "10,000 columns wide, and Anchor reads at most 500 columns" in message


def test_a_million_cells_without_references_are_counted_and_refused(wh):
    # cells may leave out r="…": each then follows the one before it
    row = '<row r="1">' + "".join(f"<c><v>{i}</v></c>" for i in range(1_000_000)) + "</row>"
    data = cw.workbook([("Spend", "visible", cw.sheet_xml(row))])
    message = refused(wh, "million.xlsx", data)
    assert message == ("million.xlsx, sheet 'Spend' is refused: it has a cell at column "
                       "1,000,000, beyond the 1,048,576 rows and 16,384 columns of Excel's grid.")


def test_a_used_range_over_the_cell_budget_is_refused(wh):
    body = cw.rows_xml(cw.spend_rows(1)) + '<row r="1048576">' + cw.cell("T1048576", 1) + "</row>"
    data = cw.workbook([("Spend", "visible", cw.sheet_xml(body))])
    message = refused(wh, "long.xlsx", data)
    # 20 columns × 1,048,576 rows
    assert message.startswith(
        "long.xlsx, sheet 'Spend' is refused: it has a cell at T1048576, so its used range "
        "A1:T1048576 holds 20,971,520 cells, and Anchor reads at most 20,000,000.")


def test_a_part_that_unzips_too_many_times_is_refused(wh):
    # 30 MB of spaces between two rows: deflate packs it about a thousand times
    body = cw.rows_xml(cw.spend_rows(1)) + " " * 30_000_000
    data = cw.workbook([("Spend", "visible", cw.sheet_xml(body))])
    assert len(data) < 100_000
    message = refused(wh, "bomb.xlsx", data)
    assert message.startswith("bomb.xlsx is refused: its part xl/worksheets/sheet1.xml unzips ")
    assert "Anchor reads workbooks whose parts unzip at most 200 times" in message


def test_a_workbook_declaring_more_than_the_unzipped_limit_is_refused(wh):
    noise = random.Random(11).randbytes(20 * 1024 * 1024)  # does not compress
    xlsx = cw.workbook([("Spend", "visible", cw.sheet_xml(cw.rows_xml(cw.spend_rows(1))))])
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item.filename))
        dst.writestr("xl/media/image1.bin", noise, compress_type=zipfile.ZIP_STORED)
    # 3 GiB said, 20 MB held: 154 times, under the ratio; over the 2,048 MB in all
    with_media = cw.declare_size(out.getvalue(), "xl/media/image1.bin", 3 * 1024**3)
    message = refused(wh, "declared.xlsx", with_media)
    assert message.startswith("declared.xlsx is refused: it unzips to 3,072 MB, and Anchor reads "
                              "workbooks that unzip to at most 2,048 MB.")


def test_a_part_holding_more_than_it_declares_is_refused(wh):
    xlsx = cw.workbook([("Spend", "visible", cw.sheet_xml(cw.rows_xml(cw.spend_rows(40))))])
    lying = cw.declare_size(xlsx, "xl/worksheets/sheet1.xml", 100)
    message = refused(wh, "lying.xlsx", lying)
    assert message.startswith("lying.xlsx is not an Excel workbook Anchor can read "
                              "(xl/worksheets/sheet1.xml: ")


def test_a_stale_used_range_as_large_as_the_grid_is_not_trusted():
    """The cells decide, not the <dimension> a program recorded."""
    xml = cw.sheet_xml(cw.rows_xml(cw.spend_rows(2)), dimension="A1:XFD1048576")
    raw = loading.read_bytes("stale.xlsx", cw.workbook([("Spend", "visible", xml)]))
    assert list(raw.frame.index) == [2, 3]


# -- the worker's limits -----------------------------------------------------------------------

def big_workbook(rows: int) -> bytes:
    return cw.workbook([("Spend", "visible", cw.sheet_xml(cw.rows_xml(cw.spend_rows(rows))))])


def test_a_workbook_needing_more_memory_than_allowed_is_refused(wh, monkeypatch):
    monkeypatch.setenv("ANCHOR_READ_MEMORY_MB", "40")
    message = refused(wh, "big.xlsx", big_workbook(200_000))
    assert message.startswith("big.xlsx could not be read within Anchor's limits (40 MB of "
                              "memory, 300 seconds): ")
    assert "ANCHOR_READ_MEMORY_MB" in message


def test_a_workbook_taking_longer_than_allowed_is_refused(wh, monkeypatch):
    monkeypatch.setenv("ANCHOR_READ_SECONDS", "0.05")
    message = refused(wh, "slow.xlsx", big_workbook(100_000))
    assert message.startswith("slow.xlsx could not be read within Anchor's limits (4,096 MB of "
                              "memory, 0.05 seconds): it took longer than 0.05 seconds.")


def test_the_worker_reports_each_way_it_can_end():
    with pytest.raises(WorkerStopped) as aborted:
        run_limited(os.abort, seconds=30)
    assert aborted.value.reason == "stopped"
    with pytest.raises(WorkerStopped) as slow:
        run_limited(time.sleep, 30, seconds=0.5)
    assert slow.value.reason == "time"
    with pytest.raises(WorkerStopped) as hungry:
        run_limited(bytearray, 2 * 1024**3, memory_mb=256, seconds=30)
    assert (hungry.value.reason, hungry.value.detail) == ("memory", "more than 256 MB")
    with pytest.raises(loading.UnreadableFile,
                       match="^empty.csv has column names but no rows of data.$"):
        run_limited(readers._read, "empty.csv", b"org_code\n", frozenset(), seconds=30)
    assert run_limited(divmod, 17, 5, seconds=30) == (3, 2)


# -- CSV bounds --------------------------------------------------------------------------------

def test_a_csv_with_ten_thousand_columns_is_refused_naming_the_row(wh):
    data = (",".join(f"c{i}" for i in range(10_000)) + "\n" + "1," * 9_999 + "1\n").encode()
    assert refused(wh, "wide.csv", data) == (
        "wide.csv: row 1 has 10,000 cells, and Anchor reads at most 500 columns. Check the "
        "separator, or delete the columns after the table.")


def test_a_row_of_a_million_cells_far_down_is_refused_naming_it(wh):
    data = (HEADER + ROW * 2_000 + "AAA" + "," * 999_999 + "\n").encode()
    assert len(data) > 1024 * 1024  # read by the worker
    assert refused(wh, "ragged.csv", data) == (
        "ragged.csv: row 2,002 has 1,000,000 cells, and Anchor reads at most 500 columns. Check "
        "the separator, or delete the columns after the table.")


@pytest.mark.parametrize("rows_before", [0, 100_000])  # in the app's process; in the worker
def test_a_cell_of_a_megabyte_is_refused_in_anchors_words(wh, rows_before):
    data = (HEADER + ROW * rows_before + "AAA,2024-07-15,S2," + "x" * 1_048_576
            + ",5\n").encode()
    message = refused(wh, "long_cell.csv", data)
    assert message == (
        f"long_cell.csv: row {rows_before + 2:,}, column category holds 1,048,576 characters "
        "(starting 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'), and Anchor reads cells of at "
        "most 32,767 characters, as Excel does. Check the row for a quote (\") that is never "
        "closed.")


def test_a_cell_of_excels_own_limit_is_read(wh):
    raw = loading.read_bytes("limit.csv", (HEADER + "AAA,2024-07-15,S2," + "x" * 32_767
                                           + ",5\n").encode())
    assert len(raw.frame.loc[2, "category"]) == 32_767


def test_a_quote_never_closed_is_refused_naming_where_it_opens(wh):
    data = (HEADER + ROW + 'AAA,2024-07-15,"S2,Catering,5\n' + ROW * 3_000).encode()
    message = refused(wh, "unclosed.csv", data)
    # 'S2,Catering,5\n' (14) and 3,000 rows of 31 characters: the rest of the file
    assert message.startswith("unclosed.csv: row 3, column supplier_id holds 93,014 characters "
                              "(starting 'S2,Catering,5\\nAAA,2024-07-15,S1,Catering'), ")


def test_a_nul_byte_after_the_first_64_kb_is_refused_naming_row_and_column(wh):
    rows = [f"AAA,2024-07-15,S{i},Catering,{i}\n" for i in range(1, 3001)]
    rows[2500] = "AAA,2024-07-15,S25\x0001,Catering,2501\n"  # row 2,502: header is row 1
    data = (HEADER + "".join(rows)).encode()
    assert data.index(b"\x00") > 65536
    assert refused(wh, "nul.csv", data) == (
        "nul.csv: row 2,502, column supplier_id holds a NUL character (byte zero), which no "
        "spreadsheet saves: 'S25\\x0001'. The file is damaged or not text: save it again from "
        "the spreadsheet.")


# -- unusual but valid files load ------------------------------------------------------------

def test_utf16_as_excel_saves_unicode_text_is_read(wh):
    data = (DATA / "good" / "spend_utf16.txt").read_bytes()
    assert data.startswith(b"\xff\xfe")
    checked = read_ok(wh, "spend_utf16.txt", data)
    assert checked.encoding == "UTF-16"
    assert list(checked.rows["supplier_id"]) == ["S1", "S2"]
    assert list(checked.rows["category"]) == ["Café supplies", "Catering"]
    assert list(checked.rows["amount_gbp"]) == ["1200.00", "329.75"]


def test_utf16_big_endian_is_read(wh):
    text = HEADER.replace(",", "\t") + "AAA\t2024-07-15\tS1\tCatering\t£100\n"
    checked = read_ok(wh, "be.txt", b"\xfe\xff" + text.encode("utf-16-be"))
    assert checked.encoding == "UTF-16"
    assert list(checked.rows["amount_gbp"]) == ["100"]


def test_rows_after_a_line_break_in_a_quoted_cell_are_the_spreadsheets(wh):
    """Excel shows the quoted cell as one row: 'five' is in row 4, though on line 5."""
    data = (DATA / "good" / "spend_quoted_newline.csv").read_bytes()
    assert data.count(b"\n") == 5
    checked = loading.check(wh, loading.read_bytes("q.csv", data), loading.spec("spend"))
    (row, column, value, _), = issues(checked, "error")
    assert (row, column, value) == (4, "amount_gbp", "five")
    # the same with a note beside the named columns, which the slower reader reads
    ragged = data + b"AAA,2024-07-18,S4,Catering,400,checked\n"
    checked = loading.check(wh, loading.read_bytes("q.csv", ragged), loading.spec("spend"))
    assert [(r, c) for r, c, *_ in issues(checked, "error")] == [(4, "amount_gbp")]
    assert [(r, p) for r, _, _, p in issues(checked, "warning") if "F5" in p] == [
        (5, "Row 5 has 6 cells; the header has 5: cell F5 lies outside the named columns and "
            "is not loaded. Give the column a name to load it, or delete it.")]


def test_a_windows_1252_line_after_a_quoted_line_break_is_named_by_its_row(wh):
    data = (HEADER + 'AAA,2024-07-15,S1,"Catering\nand food",100\n').encode() \
        + "AAA,2024-07-16,S2,Caf\u00e9,£200\n".encode("cp1252") \
        + "AAA,2024-07-17,S3,Caf\u00e9,300\n".encode()
    checked = read_ok(wh, "mixed.csv", data)
    legacy = [(r, v) for r, _, v, p in issues(checked, "warning")
              if p.startswith("Not UTF-8, unlike the rest of the file")]
    assert legacy == [(3, "AAA,2024-07-16,S2,Café,£200")]  # on line 4, in row 3


@pytest.fixture(params=["calamine", "openpyxl"])
def xlsx_reader(request, monkeypatch):
    if request.param == "openpyxl":
        monkeypatch.setattr(readers, "_calamine_rows", lambda data, sheet: None)
        # read in this process, where the patch holds (a worker imports the readers afresh)
        monkeypatch.setattr(readers, "run_limited", lambda func, *args, **kw: func(*args))
    else:
        pytest.importorskip("python_calamine")
    return request.param


def test_the_visible_sheet_is_read_not_a_hidden_first_one(wh, xlsx_reader):
    data = (DATA / "good" / "spend_hidden_first_sheet.xlsx").read_bytes()
    checked = read_ok(wh, "hidden.xlsx", data)
    assert list(checked.rows["amount_gbp"]) == ["100", "200", "300"]  # not the hidden 999
    assert list(checked.rows.index) == [2, 3, 4]
    assert [w for w in issues(checked, "warning") if w[0] is None] == [(
        None, "", "", "Read sheet 'Spend'. Sheet 'Notes' and hidden sheet 'Old' were not read: "
        "Anchor reads one sheet per file, the visible one holding its columns. To load another "
        "sheet, save it as its own file.")]


def test_the_sheet_holding_the_columns_is_read_wherever_it_is(wh, xlsx_reader):
    cover = cw.sheet_xml(cw.rows_xml([["Spend over £25,000"], ["Published quarterly"]]))
    data = cw.workbook([("Cover", "visible", cover),
                        ("Lookup", "veryHidden", cw.sheet_xml(cw.rows_xml(cw.spend_rows(1)))),
                        ("Data", "visible", cw.sheet_xml(cw.rows_xml(cw.spend_rows(2))))])
    checked = read_ok(wh, "cover.xlsx", data)
    assert list(checked.rows["amount_gbp"]) == ["100", "200"]
    (*_, problem), = [w for w in issues(checked, "warning") if w[0] is None]
    assert problem.startswith("Read sheet 'Data'. Sheet 'Cover' and hidden sheet 'Lookup' "
                              "were not read")


def test_two_visible_sheets_holding_the_columns_are_refused_naming_both(wh, xlsx_reader):
    data = (DATA / "bad" / "spend_two_data_sheets.xlsx").read_bytes()
    assert refused(wh, "spend_two_data_sheets.xlsx", data, "supplier") == (
        "spend_two_data_sheets.xlsx has 2 sheets holding Anchor's columns with data: 'July' "
        "and 'August'. Anchor reads one sheet per file: save each as its own file, or hide the "
        "sheets not to load (hidden sheets are never read), and upload again. (Spend loads "
        "each sheet as a file of its own, together.)")


def test_a_spend_workbook_of_a_sheet_a_month_loads_each_as_a_file(wh, xlsx_reader):
    data = (DATA / "bad" / "spend_two_data_sheets.xlsx").read_bytes()
    offered = loading.check_offered(wh, "year.xlsx", data, loading.spec("spend"), local_user())
    checked = offered.checked
    assert checked.ok, checked.issues
    assert checked.file_name == "year.xlsx (July), year.xlsx (August)"
    assert list(checked.rows["amount_gbp"]) == ["100", "200", "50"]
    # each sheet is read as the file it stands for: no warning of the other sheet unread
    assert not any("were not read" in p or "was not read" in p
                   for p in checked.issues["problem"])


def test_a_workbook_with_every_sheet_hidden_is_refused(wh):
    data = cw.workbook([("Spend", "hidden", cw.sheet_xml(cw.rows_xml(cw.spend_rows(1))))])
    assert refused(wh, "hidden.xlsx", data) == (
        "hidden.xlsx has no visible sheet: unhide the sheet to load.")


# -- the command line records the refusal too --------------------------------------------------

def test_anchor_load_records_a_refused_workbook(tmp_path, monkeypatch, capsys):
    db = tmp_path / "anchor.duckdb"
    build_fixture_warehouse(db).close()
    monkeypatch.setenv("ANCHOR_DB", str(db))
    monkeypatch.setenv("ANCHOR_USER", "scheduled-job")
    monkeypatch.delenv("ANCHOR_ROLE", raising=False)
    path = DATA / "bad" / "spend_cell_at_xfd1048576.xlsx"
    assert main(["load", "spend", str(path)]) == 1
    err = capsys.readouterr().err
    assert "Refused: spend_cell_at_xfd1048576.xlsx, sheet 'Spend' is refused: it has a cell " \
           "at XFD1048576" in err
    wh = Warehouse(db)
    try:
        (by, outcome, sha, message), = wh.rows("select loaded_by, outcome, sha256, message "
                                               "from load")
    finally:
        wh.close()
    assert (by, outcome, sha) == ("scheduled-job", "rejected",
                                  hashlib.sha256(path.read_bytes()).hexdigest())
    assert message.startswith("1 problem; nothing was loaded. spend_cell_at_xfd1048576.xlsx, "
                              "sheet 'Spend' is refused: it has a cell at XFD1048576")
