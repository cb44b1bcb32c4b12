"""What a workbook holds, found before any reader parses it: its zip within bounds, its
sheets in order with whether each is visible, and each sheet's used range.

An .xlsx is a zip of XML parts. A crafted one can declare parts that unzip to gigabytes (a
"zip bomb"), or put one cell at XFD1048576 so that a reader building the sheet's grid from A1
asks for 17 billion cells. So the zip's own directory is checked first (each part's size and
how many times it unzips), then each sheet to be read is unzipped as a stream, never whole,
and its cell references scanned for the last row and column actually present (the
`<dimension>` a workbook records may be stale, either way). Python's zipfile stops a part at
its declared size and checks its CRC, so a part that lies about its size is refused too.
Nothing here builds a grid: the limits are in `anchor.config` (READ_*).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from posixpath import dirname, join, normpath
from xml.etree import ElementTree

from anchor import config

_MB = 1024 * 1024
_RATIO_FROM_BYTES = _MB  # small parts (a few KB of styles) may compress far more, harmlessly
_WORKSHEET = "/relationships/worksheet"
_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"
# A cell's start tag with its reference (r="AB12"), with or without a namespace prefix.
_CELL_REF = re.compile(rb'<(?:\w+:)?c\s[^>]*?\br="\$?([A-Za-z]{1,4})\$?([0-9]{1,8})"')
_CELL_TAG = re.compile(rb"<(?:\w+:)?c[\s/>]")
_ROW_OR_CELL = re.compile(rb'<(?:\w+:)?(row|c)(?=[\s/>])([^>]*)>')
_R_ATTR = re.compile(rb'\br="\$?([A-Za-z]{0,4})\$?([0-9]{1,8})"')
_CHUNK = 4 * _MB
_MAX_ROWS = 1_048_576  # Excel's own
_MAX_COLUMNS = 16_384  # XFD


class WorkbookRefused(ValueError):
    """The workbook is beyond Anchor's bounds, or not a workbook: the message says which."""


@dataclass(frozen=True)
class Sheet:
    name: str
    state: str  # 'visible', 'hidden' or 'veryHidden'
    part: str  # its XML part in the zip, e.g. 'xl/worksheets/sheet1.xml'

    @property
    def visible(self) -> bool:
        return self.state == "visible"


def column_letter(i: int) -> str:
    """0 -> 'A', 26 -> 'AA': how a spreadsheet names a column."""
    letters = ""
    i += 1
    while i:
        i, rem = divmod(i - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _column_number(letters: bytes) -> int:
    """b'A' -> 1, b'XFD' -> 16384."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + ch - 64
    return n


def check_zip(name: str, book: zipfile.ZipFile) -> None:
    """Refuse a workbook whose parts unzip to more than READ_MAX_UNZIPPED_MB together, or a
    part over 1 MB that unzips more than READ_MAX_ZIP_RATIO times, by what its zip declares."""
    total = 0
    for item in book.infolist():
        total += item.file_size
        ratio = item.file_size / max(item.compress_size, 1)
        if item.file_size > _RATIO_FROM_BYTES and ratio > config.READ_MAX_ZIP_RATIO:
            raise WorkbookRefused(
                f"{name} is refused: its part {item.filename} unzips {ratio:,.0f} times (from "
                f"{item.compress_size:,} bytes to {item.file_size:,}), and Anchor reads "
                f"workbooks whose parts unzip at most {config.READ_MAX_ZIP_RATIO:,} times. A "
                "workbook saved by Excel is never like this: save it again from Excel, or as CSV.")
    if total > config.READ_MAX_UNZIPPED_MB * _MB:
        raise WorkbookRefused(
            f"{name} is refused: it unzips to {total / _MB:,.0f} MB, and Anchor reads workbooks "
            f"that unzip to at most {config.READ_MAX_UNZIPPED_MB:,} MB. Split it into smaller "
            "files, or save it as CSV.")
    # What a part declares is only a claim: unzip each as a stream, which stops at the
    # declared size and checks the CRC, so a part that unzips to more is refused here.
    for item in book.infolist():
        try:
            with book.open(item) as f:
                while f.read(_CHUNK):
                    pass
        except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError) as exc:
            raise WorkbookRefused(f"{name} is not an Excel workbook Anchor can read "
                                  f"({item.filename}: {exc}).") from exc


def _xml(name: str, book: zipfile.ZipFile, part: str) -> ElementTree.Element:
    try:
        return ElementTree.fromstring(book.read(part))
    except KeyError as exc:
        raise WorkbookRefused(f"{name} is not an Excel workbook Anchor can read (it has no "
                              f"{part}).") from exc
    except (ElementTree.ParseError, zipfile.BadZipFile, EOFError) as exc:
        raise WorkbookRefused(f"{name} is not an Excel workbook Anchor can read ({part}: "
                              f"{exc}).") from exc


def sheets(name: str, book: zipfile.ZipFile) -> list[Sheet]:
    """The workbook's worksheets in the order Excel shows their tabs (chart sheets left out),
    each with its visibility and its part."""
    workbook_part = "xl/workbook.xml"
    for rel in _xml(name, book, "_rels/.rels").iter(f"{_NS_PKG}Relationship"):
        if rel.get("Type", "").endswith("/officeDocument"):
            workbook_part = rel.get("Target", workbook_part).lstrip("/")
    base = dirname(workbook_part)
    rels_part = join(base, "_rels", workbook_part.rsplit("/", 1)[-1] + ".rels")
    targets = {}
    for rel in _xml(name, book, rels_part).iter(f"{_NS_PKG}Relationship"):
        if rel.get("Type", "").endswith(_WORKSHEET):
            target = rel.get("Target", "")
            targets[rel.get("Id")] = (target.lstrip("/") if target.startswith("/")
                                      else normpath(join(base, target)))
    out = []
    for sheet in _xml(name, book, workbook_part).iter(f"{_NS_MAIN}sheet"):
        part = targets.get(sheet.get(f"{_NS_REL}id"))
        if part is not None:
            out.append(Sheet(sheet.get("name", ""), sheet.get("state", "visible"), part))
    if not out:
        raise WorkbookRefused(f"{name} has no worksheets.")
    return out


def _chunks(name: str, book: zipfile.ZipFile, part: str):
    """The part unzipped a few MB at a time, each chunk ending after a tag: memory stays
    bounded however large the part."""
    carry = b""
    try:
        with book.open(part) as f:
            while True:
                block = f.read(_CHUNK)
                if not block:
                    break
                block = carry + block
                cut = block.rfind(b">") + 1
                carry = block[cut:]
                yield block[:cut]
    except (zipfile.BadZipFile, EOFError, OSError, KeyError) as exc:
        raise WorkbookRefused(f"{name} is not an Excel workbook Anchor can read ({part}: "
                              f"{exc}).") from exc
    if carry:
        yield carry


def used_range(name: str, book: zipfile.ZipFile, sheet: Sheet) -> tuple[int, int]:
    """The sheet's last row and last column (1-based) holding a cell, from the cells
    themselves; 0, 0 for an empty sheet."""
    last_row = last_col = 0
    row = col = 0  # where the walk below is, for cells without a reference
    for chunk in _chunks(name, book, sheet.part):
        refs = _CELL_REF.findall(chunk)
        if len(refs) == len(_CELL_TAG.findall(chunk)):  # every cell says where it is
            if refs:
                last_col = max(last_col, max(_column_number(c) for c in {c for c, _ in refs}))
                last_row = max(last_row, max(int(r) for r in {r for _, r in refs}))
            continue
        # Cells without a reference follow the one before (as other programs than Excel may
        # write them): walk the rows and cells in order.
        for tag, attrs in _ROW_OR_CELL.findall(chunk):
            found = _R_ATTR.search(attrs)
            if tag == b"row":
                row = int(found.group(2)) if found else row + 1
                col = 0
            else:
                col = _column_number(found.group(1)) if found and found.group(1) else col + 1
                if found:
                    row = int(found.group(2))
                last_row, last_col = max(last_row, max(row, 1)), max(last_col, col)
    return last_row, last_col


def check_sheet(name: str, book: zipfile.ZipFile, sheet: Sheet) -> None:
    """Refuse a sheet whose used range, from A1, is wider than READ_MAX_COLUMNS, larger than
    READ_MAX_CELLS, or beyond Excel's own grid, naming its last cell."""
    rows, cols = used_range(name, book, sheet)
    if not rows:
        return
    last = f"{column_letter(cols - 1)}{rows}" if cols <= _MAX_COLUMNS else f"column {cols:,}"
    where = f"{name}, sheet '{sheet.name}'"
    if rows > _MAX_ROWS or cols > _MAX_COLUMNS:
        raise WorkbookRefused(f"{where} is refused: it has a cell at {last}, beyond the "
                              f"{_MAX_ROWS:,} rows and {_MAX_COLUMNS:,} columns of Excel's grid.")
    if cols > config.READ_MAX_COLUMNS:
        raise WorkbookRefused(
            f"{where} is refused: it has a cell at {last}, so its used range is A1:{last}, "
            f"{cols:,} columns wide, and Anchor reads at most {config.READ_MAX_COLUMNS:,} "
            f"columns. Delete the columns after the table (from "
            f"{column_letter(config.READ_MAX_COLUMNS)} on) and save it again.")
    if rows * cols > config.READ_MAX_CELLS:
        raise WorkbookRefused(
            f"{where} is refused: it has a cell at {last}, so its used range A1:{last} holds "
            f"{rows * cols:,} cells, and Anchor reads at most {config.READ_MAX_CELLS:,}. "
            "Delete the rows and columns after the table, or split it into smaller files.")


def open_checked(name: str, data: bytes) -> tuple[zipfile.ZipFile, list[Sheet]]:
    """The workbook opened, its zip checked, and its sheets."""
    try:
        book = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise WorkbookRefused(f"{name} is not an Excel workbook Anchor can read ({exc}).") from exc
    check_zip(name, book)
    return book, sheets(name, book)
