"""A small Excel 97-2003 (.xls) writer for tests: one visible sheet of text and numbers, as
BIFF8 records in an OLE compound file, the format older finance systems still export.
Nothing in the product writes .xls; this only makes files for the reader to read."""

from __future__ import annotations

import struct

_SECTOR = 512
_END, _FREE, _FAT_SECTOR, _NO_STREAM = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF


def _record(kind: int, data: bytes) -> bytes:
    return struct.pack("<HH", kind, len(data)) + data


def _bof(kind: int) -> bytes:
    return _record(0x0809, struct.pack("<HHHHII", 0x0600, kind, 0x0DBB, 0x07CC, 0, 6))


def _cell(row: int, col: int, value: object) -> bytes:
    if isinstance(value, (int, float)):
        return _record(0x0203, struct.pack("<HHHd", row, col, 0, float(value)))  # NUMBER
    text = str(value).encode("utf-16-le")
    return _record(0x0204, struct.pack("<HHHHB", row, col, 0, len(text) // 2, 1) + text)


def workbook_stream(sheet: str, rows: list[list[object]]) -> bytes:
    name = sheet.encode("utf-16-le")

    def globals_(sheet_at: int) -> bytes:
        boundsheet = struct.pack("<IBBBB", sheet_at, 0, 0, len(name) // 2, 1) + name
        return (_bof(0x0005) + _record(0x0042, struct.pack("<H", 1200))
                + _record(0x0085, boundsheet) + _record(0x000A, b""))

    head = globals_(0)
    width = max((len(r) for r in rows), default=0)
    body = _bof(0x0010) + _record(0x0200, struct.pack("<IIHHH", 0, len(rows), 0, width, 0))
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            if value is not None and value != "":
                body += _cell(i, j, value)
    body += _record(0x000A, b"")
    return globals_(len(head)) + body


def xls_bytes(sheet: str, rows: list[list[object]]) -> bytes:
    """An .xls file holding `rows` (text or numbers; None for an empty cell) on `sheet`."""
    stream = workbook_stream(sheet, rows)
    stream += b"\x00" * (max(4096, -(-len(stream) // _SECTOR) * _SECTOR) - len(stream))
    n = len(stream) // _SECTOR
    if n + 2 > _SECTOR // 4:
        raise ValueError("too big for this small writer")
    fat = [_FAT_SECTOR, _END] + [3 + i for i in range(n - 1)] + [_END]
    fat += [_FREE] * (_SECTOR // 4 - len(fat))

    def entry(label: str, kind: int, child: int, start: int, size: int) -> bytes:
        raw = (label + "\x00").encode("utf-16-le") if label else b""
        return (raw.ljust(64, b"\x00") + struct.pack("<HBB", len(raw), kind, 1 if kind else 0)
                + struct.pack("<III", _NO_STREAM, _NO_STREAM, child) + b"\x00" * 16
                + struct.pack("<I", 0) + b"\x00" * 16 + struct.pack("<II", start, size)
                + b"\x00" * 4)

    directory = (entry("Root Entry", 5, 1, _END, 0) + entry("Workbook", 2, _NO_STREAM, 2,
                                                           len(stream))
                 + entry("", 0, _NO_STREAM, 0, 0) * 2)
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16
              + struct.pack("<HHHHH", 0x003E, 0x0003, 0xFFFE, 9, 6) + b"\x00" * 6
              + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, _END, 0, _END, 0)
              + struct.pack("<I", 0) + struct.pack("<I", _FREE) * 108)
    return header + struct.pack(f"<{len(fat)}I", *fat) + directory + stream
