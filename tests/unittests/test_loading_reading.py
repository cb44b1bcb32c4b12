"""Reading files as they really arrive: workbooks with a stale used range, notes typed beside
the named columns, UTF-8 files with a line in Windows-1252, dates with times, amounts as
Excel formats them, and size limits that are not whole megabytes. Every file is made here
or kept in tests/data, by hand."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from anchor import loading
from anchor.auth import Role, User
from anchor.loading import layouts, readers
from anchor.loading.readers import file_size_text, size_message, upload_limit_bytes
from anchor.spreadsheets import to_xlsx_bytes

ANALYST = User("ana@example.nhs.uk", Role.ANALYST, "signed in", "ana@example.nhs.uk")
DATA = Path(__file__).resolve().parents[1] / "data"
SPEND_HEADER = "org_code,paid_date,supplier_id,category,amount_gbp\n"


def checked_bytes(wh, data: bytes, name: str = "file.csv", table: str = "spend", **kw):
    return loading.check(wh, loading.read_bytes(name, data, **kw), loading.spec(table))


def issues(checked, severity: str) -> list[tuple]:
    found = checked.issues[checked.issues["severity"] == severity]
    return [(None if pd.isna(r.row) else int(r.row), r.column, r.value, r.problem)
            for r in found.itertuples()]


# -- a workbook whose recorded used range is stale ------------------------------------------

@pytest.fixture(params=["openpyxl", "calamine"])
def xlsx_reader(request, monkeypatch):
    """Each workbook test with openpyxl, and with python-calamine where it is installed."""
    if request.param == "openpyxl":
        monkeypatch.setattr(readers, "_calamine_rows", lambda data, sheet: None)
        # read in this process, where the patch holds (a worker imports the readers afresh)
        monkeypatch.setattr(readers, "run_limited", lambda func, *args, **kw: func(*args))
    else:
        pytest.importorskip("python_calamine")
    return request.param


def with_dimension(xlsx: bytes, ref: str) -> bytes:
    """The workbook with its first sheet's <dimension ref=…> replaced, as a workbook saved
    by another program (or edited after saving) may carry it."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                body, n = re.subn(rb'<dimension ref="[^"]*"/>',
                                  f'<dimension ref="{ref}"/>'.encode(), body)
                assert n == 1
            dst.writestr(item, body)
    return out.getvalue()


def test_a_workbook_with_a_stale_used_range_is_read_to_its_last_row(fixture_wh, xlsx_reader):
    frame = pd.DataFrame({
        "org_code": ["AAA"] * 4,
        "paid_date": pd.to_datetime(["2024-07-15", "2024-07-16", "2024-07-17", "2024-07-18"]),
        "supplier_id": ["S1", "S2", "S3", "S1"], "category": ["Catering"] * 4,
        "amount_gbp": [100.0, 200.0, 300.0, 400.0]})
    good = to_xlsx_bytes(frame)
    assert b'<dimension ref="A1:E5"/>' in zipfile.ZipFile(io.BytesIO(good)).read(
        "xl/worksheets/sheet1.xml")
    # says A1:D4: a row and a column fewer than the sheet holds
    stale = with_dimension(good, "A1:D4")
    checked = checked_bytes(fixture_wh, stale, "july.xlsx")
    assert checked.ok, checked.issues
    assert len(checked.rows) == 4
    assert list(checked.rows["amount_gbp"]) == ["100", "200", "300", "400"]


def test_a_note_beside_a_workbooks_columns_is_left_out_with_a_warning(fixture_wh, xlsx_reader):
    frame = pd.DataFrame({"org_code": ["AAA", "AAA"], "paid_date": ["15/07/2024", "16/07/2024"],
                          "supplier_id": ["S1", "S2"], "category": ["Catering", "Catering"],
                          "amount_gbp": ["100", "200"], "": ["", "ask Sam"]})
    data = with_dimension(to_xlsx_bytes(frame), "A1:E2")  # stale too: hides row 3 and F
    checked = checked_bytes(fixture_wh, data, "july.xlsx")
    assert checked.ok, checked.issues
    assert len(checked.rows) == 2
    assert issues(checked, "warning") == [
        (3, "(no name: F)", "ask Sam", "Cell F3 lies outside the named columns and is not "
                                       "loaded. Give the column a name to load it, or delete it.")]


# -- the header row, and rows wider than it ----------------------------------------------

def test_a_note_in_a_spare_column_does_not_become_the_header(fixture_wh):
    raw = loading.read_path(DATA / "good" / "spend_note_in_spare_column.csv")
    assert raw.header_row == 2  # not row 4, the widest
    checked = loading.check(fixture_wh, raw, loading.spec("spend"))
    assert checked.ok, checked.issues
    assert checked.layout.kind == "published spend"
    assert list(checked.rows["amount_gbp"]) == ["30000.00", "26500.00", "27000.00"]
    assert issues(checked, "warning")[0] == (
        4, "(no name: I)", "checked by DH 02/08",
        "Row 4 has 9 cells; the header has 8: cell I4 lies outside the named columns and is "
        "not loaded. Give the column a name to load it, or delete it.")


def test_the_same_note_with_trailing_commas_on_every_row(fixture_wh):
    """Excel saves a spare column as a trailing comma on every row: the same reading."""
    text = (DATA / "good" / "spend_note_in_spare_column.csv").read_text(encoding="utf-8")
    lines = text.splitlines()
    text = "\n".join(ln if "checked by" in ln else ln + "," for ln in lines) + "\n"
    checked = checked_bytes(fixture_wh, text.encode())
    assert checked.ok, checked.issues
    assert issues(checked, "warning")[0][:3] == (4, "(no name: I)", "checked by DH 02/08")


def test_a_short_row_is_read_with_empty_cells_and_a_warning(fixture_wh):
    text = SPEND_HEADER + "AAA,15/07/2024,S1,Catering,100\nAAA,16/07/2024,S1,Catering\n"
    checked = checked_bytes(fixture_wh, text.encode())
    assert issues(checked, "error") == [
        (3, "amount_gbp", "", "Missing: every row needs an amount in £.")]
    assert issues(checked, "warning") == [
        (3, "", "4 cells", "Row 3 has 4 cells; the header has 5: the missing cells at its end "
                           "are read as empty.")]


def test_the_header_is_the_row_of_known_names_not_the_widest(fixture_wh):
    """A title row wider than the header, and a mapped layout found by its saved names."""
    text = ("Trust,Paid on,Vendor ref,Cost centre type,Net\n"
            "AAA,15/07/2024,S1,Catering,100,,note,another note\n")
    mapping = {"org_code": "Trust", "paid_date": "Paid on", "supplier_id": "Vendor ref",
               "category": "Cost centre type", "amount_gbp": "Net"}
    layouts.save_mapping(fixture_wh, "spend", list(mapping.values()), mapping, ANALYST)
    remembered = layouts.remembered_columns(fixture_wh)
    raw = loading.read_bytes("f.csv", text.encode(), known_columns=remembered)
    assert raw.header_row == 1 and raw.columns == list(mapping.values())
    checked = loading.check(fixture_wh, raw, loading.spec("spend"))
    assert checked.ok and checked.layout.kind == "saved mapping"
    assert issues(checked, "warning") == [
        (2, "(no name: G, H)", "note | another note",
         "Row 2 has 8 cells; the header has 5: cells G2, H2 lie outside the named columns and "
         "are not loaded. Give the column a name to load it, or delete it.")]
    title = ("Spend, July 2024, all organisations, over £25k, published 1 Aug, v2\n" + SPEND_HEADER
             + "AAA,15/07/2024,S1,Catering,100\n")
    assert loading.read_bytes("t.csv", title.encode()).header_row == 2


# -- encodings ---------------------------------------------------------------------------------

def test_a_utf8_file_with_one_windows_1252_line_keeps_its_utf8(fixture_wh):
    raw = loading.read_path(DATA / "good" / "spend_mixed_encoding.csv")
    assert raw.encoding == "UTF-8 and Windows-1252"
    checked = loading.check(fixture_wh, raw, loading.spec("spend"))
    assert checked.ok, checked.issues
    assert list(checked.new_suppliers["name"]) == ["Café Néro Ltd", "Crème Brûlée Ltd"]
    assert list(checked.rows["amount_gbp"]) == ["100.00", "250.00", "75.00"]
    warned = [w for w in issues(checked, "warning") if "Windows-1252" in w[3]]
    assert warned == [(3, "", "AAA,16/07/2024,Local One Ltd,Catering,£250.00",
                       "Not UTF-8, unlike the rest of the file, so read as Windows-1252 (where "
                       "£ is one byte): check its £ signs and accented letters, or save the "
                       "file from Excel as 'CSV UTF-8'.")]


def test_a_file_wholly_in_windows_1252_says_so_without_a_warning(fixture_wh):
    raw = loading.read_path(DATA / "good" / "spend_windows_1252.csv")
    assert raw.encoding == "Windows-1252" and raw.notes == ()
    assert raw.frame["Description"].iat[0] == "Café supplies"


# -- cells -----------------------------------------------------------------------------------

def test_iso_dates_with_a_time_of_day(fixture_wh):
    text = (SPEND_HEADER + "AAA,2024-07-15T00:00:00,S1,Catering,100\n"
            "AAA,2024-07-16 10:22,S1,Catering,100\nAAA,2024-07-17T23:59:59.5Z,S1,Catering,1\n")
    checked = checked_bytes(fixture_wh, text.encode())
    assert checked.ok, checked.issues
    assert list(checked.rows["paid_date"].dt.date) == [date(2024, 7, 15), date(2024, 7, 16),
                                                      date(2024, 7, 17)]
    assert checked.rows["quarter_start"].dt.date.unique().tolist() == [date(2024, 7, 1)]


def test_amounts_as_excel_formats_them(fixture_wh):
    text = (SPEND_HEADER + 'AAA,15/07/2024,S1,Catering," £ -   "\n'
            "AAA,16/07/2024,S1,Catering,\"£\u00a01,200.00\"\n"
            "AAA,17/07/2024,S1,Catering,-£\u00a020.50\n"
            "AAA,18/07/2024,S1,Catering,£(500.00)\n")
    checked = checked_bytes(fixture_wh, text.encode())
    assert checked.ok, checked.issues
    assert list(checked.rows["amount_gbp"]) == ["0", "1200.00", "-20.50", "-500.00"]


# -- size limits -----------------------------------------------------------------------------

def test_size_limits_that_are_not_whole_megabytes(monkeypatch):
    assert [file_size_text(n) for n in (2_048, 2_800, 512 * 1024, 1_610_612, 200 * 1024 ** 2)] \
        == ["2 KB", "2.7 KB", "512 KB", "1.5 MB", "200 MB"]
    monkeypatch.setenv("ANCHOR_MAX_UPLOAD_MB", "0.5")
    with pytest.raises(loading.UnreadableFile, match=r"^The file is 781.3 KB; the largest file "
                                                     r"Anchor accepts is 512 KB \(set by"):
        loading.read_bytes("big.csv", b"a,b\n" + b"1,2\n" * 200_000)
    # just over a limit: the message says by how much rather than '1 MB; … is 1 MB'
    assert size_message(1024 ** 2 + 1, 1024 ** 2).startswith(
        "The file is 1,048,577 bytes; the largest file Anchor accepts is 1 MB (1,048,576 bytes)")


def test_the_sidebar_states_the_smaller_of_the_two_limits(monkeypatch):
    monkeypatch.setenv("ANCHOR_MAX_UPLOAD_MB", "500")
    assert upload_limit_bytes(200) == 200 * 1024 ** 2  # Streamlit refuses above its own
    monkeypatch.setenv("ANCHOR_MAX_UPLOAD_MB", "0.5")
    assert upload_limit_bytes(200) == 512 * 1024
    assert upload_limit_bytes(None) == 512 * 1024
