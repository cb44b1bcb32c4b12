"""Workbooks written part by part, as a crafted or unusual file would be: sheets with cells
anywhere, hidden sheets, parts whose zip directory says what it likes. Small enough to build
in a test; `tests/data` keeps a few of them, made by `write_corpus()`."""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
SPEND_HEADER = ["org_code", "paid_date", "supplier_id", "category", "amount_gbp"]


def cell(ref: str, value: object) -> str:
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'


def letters(i: int) -> str:
    out = ""
    i += 1
    while i:
        i, rem = divmod(i - 1, 26)
        out = chr(65 + rem) + out
    return out


def rows_xml(rows: list[list[object]], start: int = 1) -> str:
    """Rows of values from A`start` on, every cell with its reference."""
    return "".join(
        f'<row r="{r}">' + "".join(cell(f"{letters(j)}{r}", v) for j, v in enumerate(row)
                                   if v is not None) + "</row>"
        for r, row in enumerate(rows, start=start))


def sheet_xml(body: str, dimension: str | None = None) -> str:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f'<worksheet xmlns="{MAIN}">{dim}<sheetData>{body}</sheetData></worksheet>'


def workbook(sheets: list[tuple[str, str, str]], *, compression=zipfile.ZIP_DEFLATED) -> bytes:
    """An .xlsx of `sheets`: (name, state, sheet XML) in tab order, state 'visible',
    'hidden' or 'veryHidden'."""
    types = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, len(sheets) + 1))
    entries = "".join(
        f'<sheet name="{escape(n)}" sheetId="{i}"'
        + ("" if state == "visible" else f' state="{state}"') + f' r:id="rId{i}"/>'
        for i, (n, state, _) in enumerate(sheets, start=1))
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="{REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, len(sheets) + 1))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as z:
        z.writestr("[Content_Types].xml", (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            f"{types}</Types>"))
        z.writestr("_rels/.rels", (
            f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" '
            f'Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'))
        z.writestr("xl/workbook.xml", (
            f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>{entries}</sheets></workbook>'))
        z.writestr("xl/_rels/workbook.xml.rels", f'<Relationships xmlns="{PKG}">{rels}'
                                                 "</Relationships>")
        for i, (_, _, xml) in enumerate(sheets, start=1):
            z.writestr(f"xl/worksheets/sheet{i}.xml", xml)
    return out.getvalue()


def declare_size(xlsx: bytes, part: str, size: int) -> bytes:
    """The workbook with `part`'s uncompressed size, in its local header and the central
    directory, said to be `size` (under 4 GiB): what a crafted zip may claim."""
    data = bytearray(xlsx)
    name = part.encode()
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = 0
        while (at := data.find(signature, at)) >= 0:
            name_at = at + (30 if signature == b"PK\x03\x04" else 46)
            if data[name_at:name_at + len(name)] == name:
                data[at + offset:at + offset + 4] = struct.pack("<I", size)
            at += 4
    return bytes(data)


def spend_rows(n: int = 3) -> list[list[object]]:
    return [SPEND_HEADER] + [["AAA", "2024-07-15", f"S{i}", "Catering", 100 * i]
                             for i in range(1, n + 1)]


def cell_at_xfd1048576() -> bytes:
    """A header row, one row of data, and one cell at the last cell of Excel's grid: a reader
    that builds the grid from A1 asks for 17 billion cells."""
    return workbook([("Spend", "visible",
                      sheet_xml(rows_xml(spend_rows(1)) + '<row r="1048576">'
                                + cell("XFD1048576", "x") + "</row>"))])


def hidden_first_sheet() -> bytes:
    """An old quarter on a hidden first sheet, the file's own on the visible second."""
    old = [SPEND_HEADER, ["AAA", "2024-04-15", "S9", "Catering", 999]]
    return workbook([("Old", "hidden", sheet_xml(rows_xml(old))),
                     ("Spend", "visible", sheet_xml(rows_xml(spend_rows(3)))),
                     ("Notes", "visible", sheet_xml(rows_xml([["Prepared by finance"]])))])


def two_data_sheets() -> bytes:
    q2 = [SPEND_HEADER, ["AAA", "2024-08-15", "S1", "Catering", 50]]
    return workbook([("July", "visible", sheet_xml(rows_xml(spend_rows(2)))),
                     ("August", "visible", sheet_xml(rows_xml(q2)))])


def write_corpus(folder: Path) -> None:
    """The small crafted workbooks kept in tests/data (run once; they are committed)."""
    (folder / "bad" / "spend_cell_at_xfd1048576.xlsx").write_bytes(cell_at_xfd1048576())
    (folder / "bad" / "spend_two_data_sheets.xlsx").write_bytes(two_data_sheets())
    (folder / "good" / "spend_hidden_first_sheet.xlsx").write_bytes(hidden_first_sheet())
