"""Files as analysts send them: CSV or XLSX bytes in, every cell as text out.

CSV may be UTF-8 (with or without a byte-order mark) or Windows-1252, the encoding Excel
on Windows saves "CSV" in, where the £ sign is one byte. A workbook sent with a .csv name
is read as a workbook. Title rows above the column names are skipped. Nothing is
interpreted here: amounts and dates stay text for `anchor.loading.parse`.
"""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from anchor import config

HEADER_SEARCH_ROWS = 20
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # Excel 97-2003 .xls


class UnreadableFile(ValueError):
    """The file cannot be read at all: empty, too big, binary, or not a table."""


@dataclass(frozen=True)
class RawFile:
    """A file read as text cells. `frame` is indexed by spreadsheet row number (the header
    is row `header_row`, the first data row `header_row + 1`); empty rows are dropped."""

    name: str
    sha256: str
    size_bytes: int
    encoding: str  # 'UTF-8', 'UTF-8 with BOM', 'Windows-1252' or 'Excel workbook'
    header_row: int
    frame: pd.DataFrame = field(repr=False)

    @property
    def columns(self) -> list[str]:
        return list(self.frame.columns)


def max_upload_bytes() -> int:
    return int(config.max_upload_mb() * 1024 * 1024)


def size_message(size_bytes: int, limit_bytes: int) -> str:
    return (f"The file is {size_bytes / 1024 / 1024:,.1f} MB; the largest file Anchor accepts is "
            f"{limit_bytes / 1024 / 1024:,.0f} MB (set by ANCHOR_MAX_UPLOAD_MB, or Streamlit's "
            "server.maxUploadSize). Split it into quarters or organisations.")


def read_path(path: Path | str) -> RawFile:
    """Read a file from disk, refusing it before reading when it is over the size limit."""
    path = Path(path)
    limit = max_upload_bytes()
    size = path.stat().st_size
    if size > limit:
        raise UnreadableFile(size_message(size, limit))
    return read_bytes(path.name, path.read_bytes())


def read_bytes(name: str, data: bytes) -> RawFile:
    """Read an uploaded file. Raises UnreadableFile with a message for the analyst."""
    limit = max_upload_bytes()
    if len(data) > limit:
        raise UnreadableFile(size_message(len(data), limit))
    if not data.strip():
        raise UnreadableFile(f"{name} is empty.")
    digest = hashlib.sha256(data).hexdigest()
    suffix = Path(name).suffix.lower()
    if data.startswith(_ZIP_MAGIC):
        encoding, rows = "Excel workbook", _xlsx_rows(name, data)
        header_row, frame = _frame_from_rows(name, rows)
    elif data.startswith(_OLE_MAGIC):
        raise UnreadableFile(f"{name} is an Excel 97-2003 workbook (.xls). Save it as .xlsx or "
                             "as CSV and upload that.")
    elif suffix in (".xlsx", ".xlsm"):
        raise UnreadableFile(f"{name} is not an Excel workbook, although its name ends {suffix}.")
    else:
        encoding, text = _decode(name, data)
        header_row, frame = _csv_frame(name, text)
    return RawFile(name, digest, len(data), encoding, header_row, frame)


def _decode(name: str, data: bytes) -> tuple[str, str]:
    head = data[:65536]
    # Text files never hold NUL bytes (UTF-16 aside, which no spreadsheet saves as CSV);
    # most binary formats are full of them.
    if b"\x00" in head:
        raise UnreadableFile(f"{name} is not a CSV file: it holds binary data. Upload the "
                             "spreadsheet as .xlsx, or save it as CSV first.")
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return "UTF-8 with BOM", data[3:].decode("utf-8")
        except UnicodeDecodeError as exc:
            raise UnreadableFile(f"{name} says it is UTF-8 but is not ({exc.reason} at byte "
                                 f"{exc.start + 3:,}).") from exc
    try:
        return "UTF-8", data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise UnreadableFile(f"{name} is not a text file Anchor can read: it is neither UTF-8 "
                             f"nor Windows-1252 (byte {exc.start:,}). Save it from Excel as "
                             "'CSV UTF-8'.") from exc
    control = sum(1 for ch in text[:65536] if ord(ch) < 32 and ch not in "\r\n\t")
    if control > 10:
        raise UnreadableFile(f"{name} is not a CSV file: it holds binary data.")
    return "Windows-1252", text


def _header_index(rows: list[list[str]]) -> int:
    """The column names: the first of the widest rows near the top. Title rows above them
    ('Spend over £25,000, July 2024') are narrower; data rows below are no wider."""
    widths = [sum(1 for c in r if str(c).strip()) for r in rows]
    widest = max(widths, default=0)
    return widths.index(widest) if widest else 0


def _check_header(name: str, header: list[str], row_number: int) -> list[str]:
    cols = [str(c).replace("\ufeff", "").strip() for c in header]
    while cols and not cols[-1]:
        cols.pop()
    if not cols:
        raise UnreadableFile(f"{name} has no column names.")
    blanks = [i + 1 for i, c in enumerate(cols) if not c]
    if blanks:
        raise UnreadableFile(f"{name}: row {row_number} is read as the column names, but "
                             f"column {blanks[0]} has no name.")
    seen: dict[str, int] = {}
    for c in cols:
        key = c.lower()
        if key in seen:
            raise UnreadableFile(f"{name}: the column {c!r} appears twice (row {row_number}).")
        seen[key] = 1
    return cols


def _csv_frame(name: str, text: str) -> tuple[int, pd.DataFrame]:
    delimiter = _delimiter(text)
    head_rows = []
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        for row in reader:
            head_rows.append(row)
            if len(head_rows) >= HEADER_SEARCH_ROWS:
                break
    except csv.Error as exc:
        raise UnreadableFile(f"{name} is not a well-formed CSV file: {exc}.") from exc
    idx = _header_index(head_rows)
    header_row = idx + 1
    cols = _check_header(name, head_rows[idx] if head_rows else [], header_row)
    # Count the physical lines before the header, so row numbers match the spreadsheet.
    skip = _lines_before_record(text, delimiter, idx)
    body = text.encode("utf-8")
    try:
        frame = pd.read_csv(io.BytesIO(body), dtype=str, keep_default_na=False, header=0,
                            skiprows=skip, skip_blank_lines=False, engine="pyarrow",
                            delimiter=delimiter)
    except Exception:  # noqa: BLE001 - pyarrow's messages lack row numbers; find it below
        raise UnreadableFile(_ragged_message(name, text, delimiter, skip, len(cols))) from None
    frame = frame.iloc[:, : len(cols)] if frame.shape[1] > len(cols) else frame
    frame.columns = cols[: frame.shape[1]]
    if frame.shape[1] < len(cols):
        for c in cols[frame.shape[1]:]:
            frame[c] = ""
    return header_row, _finish(name, frame, header_row)


def _delimiter(text: str) -> str:
    """Comma, unless a semicolon, tab or bar is clearly what separates the columns: the one
    that splits the most lines near the top into the same number of cells. A list inside a
    cell ('Sandwell; Dudley; Walsall', which Excel does not quote) splits only its own line."""
    lines = [ln for ln in text[:16384].splitlines()[:HEADER_SEARCH_ROWS] if ln.strip()]
    best, best_key = ",", (0, 0)
    for d in (",", ";", "\t", "|"):
        try:
            widths = Counter(len(row) - 1 for row in csv.reader(lines, delimiter=d))
        except csv.Error:
            continue
        widths.pop(0, None)
        if not widths:
            continue
        separators, lines_agreeing = max(widths.items(), key=lambda kv: (kv[1], kv[0]))
        if (lines_agreeing, separators) > best_key:
            best, best_key = d, (lines_agreeing, separators)
    return best


def _lines_before_record(text: str, delimiter: str, record: int) -> int:
    if record == 0:
        return 0
    buf = io.StringIO(text)
    reader = csv.reader(buf, delimiter=delimiter)
    for _ in range(record):
        next(reader)
    return reader.line_num


def _ragged_message(name: str, text: str, delimiter: str, skip: int, width: int) -> str:
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        for row in reader:
            if reader.line_num <= skip + 1:
                continue
            if len(row) > width and any(c.strip() for c in row[width:]):
                return (f"{name}: row {reader.line_num} has {len(row)} cells but there are "
                        f"{width} column names. Check for a separator inside a value that is "
                        "not in quotes.")
    except csv.Error as exc:
        return f"{name}: row {reader.line_num} is not well-formed CSV: {exc}."
    return f"{name} is not a well-formed CSV file."


def _xlsx_rows(name: str, data: bytes) -> list[list[object]]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise UnreadableFile(f"{name} is not an Excel workbook Anchor can read ({exc}).") from exc
    try:
        sheet = book.worksheets[0]
        return [list(r) for r in sheet.iter_rows(values_only=True)]
    finally:
        book.close()


def _cell_text(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if hasattr(v, "isoformat"):
        text = v.isoformat()
        return text[:10] if text.endswith("T00:00:00") else text.replace("T", " ")
    return str(v)


def _frame_from_rows(name: str, rows: list[list[object]]) -> tuple[int, pd.DataFrame]:
    if not any(any(_cell_text(c).strip() for c in r) for r in rows):
        raise UnreadableFile(f"{name} is empty.")
    head = [[_cell_text(c) for c in r] for r in rows[:HEADER_SEARCH_ROWS]]
    idx = _header_index(head)
    header_row = idx + 1
    cols = _check_header(name, head[idx], header_row)
    body = [[_cell_text(c) for c in r[: len(cols)]] for r in rows[idx + 1:]]
    body = [r + [""] * (len(cols) - len(r)) for r in body]
    frame = pd.DataFrame(body, columns=cols, dtype="str")
    return header_row, _finish(name, frame, header_row)


def _finish(name: str, frame: pd.DataFrame, header_row: int) -> pd.DataFrame:
    frame = frame.fillna("")
    frame.index = pd.RangeIndex(header_row + 1, header_row + 1 + len(frame), name="row")
    blank = (frame == "").all(axis=1)
    if blank.any():
        frame = frame[~blank]
    if frame.empty:
        raise UnreadableFile(f"{name} has column names but no rows of data.")
    return frame
