"""Files as analysts send them: CSV, XLSX or XLS bytes in, every cell as text out.

CSV may be UTF-8 (with or without a byte-order mark), Windows-1252, the encoding Excel
on Windows saves "CSV" in, where the £ sign is one byte, or UTF-16 with a byte-order mark
(Excel's "Unicode Text", tab-separated); a UTF-8 file with a few lines typed in
Windows-1252 keeps its UTF-8 and says which rows were not. A workbook sent with a .csv name
is read as a workbook, from its visible sheet that holds the known columns (the others are
named in a warning). The column names are the row near the top that holds the most names
Anchor knows (title rows above them are skipped); a note typed beside the named columns is
left out, with a warning naming its cell; a column with no name and nothing in it (a blank
column A) is skipped, with a warning. An Excel 97-2003 workbook (.xls) is read by
python-calamine, its sheet chosen as for .xlsx. A zip of files (a year of monthly files) is
read as its files (`unpack`, `read_many`). A file with no header row in NHS Digital's ODS
layout is known by its shape and given that layout's names. A name given twice is kept, its
later copies told apart by their column letter: whether that matters depends on the table
(`RawFile.repeated`). Row numbers are the spreadsheet's: a record whose
quoted cell holds a line break is one row. Nothing is interpreted here: amounts and dates
stay text for `anchor.loading.parse`.

Every file is read within the bounds in `anchor.config` (READ_*): workbooks are checked
before parsing (`anchor.loading.workbook`) and parsed in a worker process with a memory and
a time limit (`anchor.loading.worker`), as are CSVs over READ_IN_PROCESS_MAX_BYTES, so a
file that defeats a reader ends only the worker, and is refused.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import zipfile
from bisect import bisect_left
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from anchor import config
from anchor.loading import workbook
from anchor.loading.layouts import KNOWN_HEADERS, header_name_key
from anchor.loading.published import ODS_COLUMNS, is_ods
from anchor.loading.worker import WorkerStopped, run_limited

HEADER_SEARCH_ROWS = 20
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # Excel 97-2003 .xls
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# A cell beside the named columns that reads as a number is more likely part of a row split
# by a separator inside an unquoted value ('1,329.75') than a note: refuse rather than guess.
_NUMBER_LIKE = r"[-+(]?[ ]*£?[ ]*[0-9][0-9,]*(?:\.[0-9]*)?[ ]*\)?-?"


class UnreadableFile(ValueError):
    """The file cannot be read at all: empty, too big, binary, or not a table."""


class SeveralSheets(UnreadableFile):
    """A workbook with more than one visible sheet holding Anchor's columns with data (a
    year's workbook, a sheet a month): refused as one file; `read_many` reads each sheet as
    a file of its own where several files may load together (spend)."""

    def __init__(self, message: str, sheets: list[str]) -> None:
        super().__init__(message)
        self.sheets = sheets

    def __reduce__(self):  # handed back from the worker process
        return (SeveralSheets, (str(self), self.sheets))


@dataclass(frozen=True)
class Note:
    """Something found while reading, for the validation report: the rows (`mask`, indexed
    by spreadsheet row) with `values` and `problem` under `column`; `mask` None for one
    about the whole file (the sheets not read)."""

    mask: pd.Series | None
    column: str
    values: pd.Series
    problem: str | pd.Series
    severity: str  # 'error' or 'warning'
    choice: str = ""  # how reading chose, for the audit trail ('column A skipped …')


@dataclass(frozen=True)
class RawFile:
    """A file read as text cells. `frame` is indexed by spreadsheet row number (the header
    is row `header_row`, the first data row `header_row + 1`); empty rows are dropped.
    `notes` are what reading found for the report: cells beside the named columns, rows
    read as Windows-1252 in a UTF-8 file."""

    name: str
    sha256: str
    size_bytes: int
    # 'UTF-8', 'UTF-8 with BOM', 'Windows-1252', 'UTF-8 and Windows-1252',
    # 'UTF-8 with BOM and Windows-1252', 'UTF-16' or 'Excel workbook'
    encoding: str
    header_row: int  # 0 for a file published with no header row (an ODS file)
    frame: pd.DataFrame = field(repr=False)
    notes: tuple[Note, ...] = field(default=(), repr=False)
    # the column names as the file gives them, in order: a name given twice is here twice,
    # while `columns` tells its copies apart ('Cost (£) (column K)')
    header: tuple[str, ...] = ()

    @property
    def columns(self) -> list[str]:
        return list(self.frame.columns)

    def repeated(self) -> dict[str, list[str]]:
        """Each column name the file gives more than once -> its columns' letters."""
        where: dict[str, list[str]] = {}
        for i, c in enumerate(self.header):
            where.setdefault(c.lower(), []).append(workbook.column_letter(i))
        firsts = {c.lower(): c for c in reversed(self.header)}
        return {firsts[k]: v for k, v in where.items() if len(v) > 1}


def max_upload_bytes() -> int:
    return int(config.max_upload_mb() * 1024 * 1024)


def upload_limit_bytes(streamlit_max_mb: float | None) -> int:
    """The largest file the sidebar takes: the smaller of ANCHOR_MAX_UPLOAD_MB (or its
    default) and Streamlit's own `server.maxUploadSize`, which refuses larger files first."""
    ours = max_upload_bytes()
    if streamlit_max_mb is None or streamlit_max_mb <= 0:
        return ours
    return min(ours, int(streamlit_max_mb * 1024 * 1024))


def file_size_text(size_bytes: float) -> str:
    """1,610,612 -> '1.5 MB'; 2,048 -> '2 KB'; 512 KB stays in KB: a limit of 0.5 MB is
    never '0 MB'."""
    kb = size_bytes / 1024
    value, unit = (kb, "KB") if kb < 1024 else (kb / 1024, "MB")
    text = f"{value:,.1f}".removesuffix(".0")
    return f"{text} {unit}"


def size_message(size_bytes: int, limit_bytes: int) -> str:
    size, limit = file_size_text(size_bytes), file_size_text(limit_bytes)
    if size == limit:  # just over: say by how much
        size = f"{size_bytes:,} bytes"
        limit = f"{limit} ({limit_bytes:,} bytes)"
    return (f"The file is {size}; the largest file Anchor accepts is {limit} (set by "
            "ANCHOR_MAX_UPLOAD_MB, or Streamlit's server.maxUploadSize). Split it into "
            "quarters or organisations.")


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_path(path: Path | str, *, known_columns: Collection[str] = ()) -> RawFile:
    """Read a file from disk, refusing it before reading when it is over the size limit."""
    path = Path(path)
    limit = max_upload_bytes()
    size = path.stat().st_size
    if size > limit:
        raise UnreadableFile(size_message(size, limit))
    return read_bytes(path.name, path.read_bytes(), known_columns=known_columns)


def read_bytes(name: str, data: bytes, *, known_columns: Collection[str] = (),
               sheet: str | None = None) -> RawFile:
    """Read an uploaded file. Raises UnreadableFile with a message for the analyst.

    `known_columns` are column names to look for when finding the header beyond ours and the
    published layout's: those of the layouts mapped before (`layouts.remembered_columns`)."""
    limit = max_upload_bytes()
    if len(data) > limit:
        raise UnreadableFile(size_message(len(data), limit))
    if not data.strip():
        raise UnreadableFile(f"{name} is empty.")
    suffix = Path(name).suffix.lower()
    known = frozenset(KNOWN_HEADERS | {header_name_key(c) for c in known_columns})
    # an Excel 97-2003 workbook (.xls) is read by python-calamine, in the worker
    is_workbook = data.startswith(_ZIP_MAGIC) or data.startswith(_OLE_MAGIC)
    if not is_workbook and suffix in (".xlsx", ".xlsm"):
        raise UnreadableFile(f"{name} is not an Excel workbook, although its name ends {suffix}.")
    if not is_workbook and len(data) <= config.READ_IN_PROCESS_MAX_BYTES:
        return _read(name, data, known, sheet)
    memory_mb, seconds = config.read_memory_mb(), config.read_seconds()
    try:
        return run_limited(_read, name, data, known, sheet, memory_mb=memory_mb,
                           seconds=seconds)
    except WorkerStopped as exc:
        took = {"memory": f"it needed more than {memory_mb:,} MB of memory",
                "time": f"it took longer than {seconds:,g} seconds"}.get(
                    exc.reason, "the reader ran out of memory or stopped")
        raise UnreadableFile(
            f"{name} could not be read within Anchor's limits ({memory_mb:,} MB of memory, "
            f"{seconds:,g} seconds): {took}. Check that it holds only the table to load (no "
            "cells far beyond it, no other large sheets), or split it into smaller files. "
            "An administrator can raise the limits with ANCHOR_READ_MEMORY_MB and "
            "ANCHOR_READ_SECONDS.") from None


def _read(name: str, data: bytes, known: frozenset[str], sheet: str | None = None) -> RawFile:
    """The file read, in whichever process runs it: nothing here touches the warehouse.
    `sheet`, for a workbook, is the one sheet to read (one of `SeveralSheets.sheets`)."""
    notes: list[Note] = []
    if data.startswith(_ZIP_MAGIC):
        encoding = "Excel workbook"
        header_row, header, frame = _workbook_frame(name, data, known, notes, sheet)
    elif data.startswith(_OLE_MAGIC):
        encoding = "Excel 97-2003 workbook"
        header_row, header, frame = _xls_frame(name, data, known, notes, sheet)
    else:
        encoding, text, legacy_lines = _decode(name, data)
        header_row, header, frame, delimiter = _csv_frame(name, text, known, notes)
        if legacy_lines:
            notes.insert(0, _legacy_note(text, delimiter, legacy_lines))
    return RawFile(name, sha256_of(data), len(data), encoding, header_row, frame, tuple(notes),
                   tuple(header))


def _decode(name: str, data: bytes) -> tuple[str, str, list[int]]:
    """The text, how it was encoded, and for a UTF-8 file with some lines in Windows-1252
    the (physical) lines read so."""
    if data.startswith(_UTF16_BOMS):  # Excel's "Unicode Text"
        try:
            return "UTF-16", data.decode("utf-16"), []
        except UnicodeDecodeError as exc:
            raise UnreadableFile(f"{name} starts as UTF-16 text but is not UTF-16 (byte "
                                 f"{exc.start:,}). Save it from Excel as 'CSV UTF-8'.") from exc
    head = data[:65536]
    # Text files never hold NUL bytes (UTF-16 aside); most binary formats are full of them.
    # One further on is refused where it lies, naming its row (`_check_cells`).
    if b"\x00" in head:
        raise UnreadableFile(f"{name} is not a CSV file: it holds binary data. Upload the "
                             "spreadsheet as .xlsx, or save it as CSV first.")
    bom = data.startswith(b"\xef\xbb\xbf")
    body = data[3:] if bom else data
    label = "UTF-8 with BOM" if bom else "UTF-8"
    try:
        return label, body.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    text, legacy_lines, utf8_lines = _decode_lines(name, body, 3 if bom else 0)
    control = sum(1 for ch in text[:65536] if ord(ch) < 32 and ch not in "\r\n\t")
    if control > 10:
        raise UnreadableFile(f"{name} is not a CSV file: it holds binary data.")
    if not utf8_lines and not bom:
        return "Windows-1252", text, []  # the whole file is Excel's "CSV"
    return f"{label} and Windows-1252", text, legacy_lines


def _legacy_note(text: str, delimiter: str, lines: list[int]) -> Note:
    """The warning naming the rows of a UTF-8 file read as Windows-1252, by the rows a
    spreadsheet shows (a record with a line break in a quoted cell is one row)."""
    records = _records_of_lines(text, delimiter, lines)
    rows = pd.Series(True, index=pd.Index(records, name="row")).groupby(level=0).first()
    shown = dict(zip(records, _lines_at(text, lines)))
    values = pd.Series([shown[r][:60] for r in rows.index], index=rows.index, dtype="str")
    return Note(rows, "", values,
                "Not UTF-8, unlike the rest of the file, so read as Windows-1252 (where £ is "
                "one byte): check its £ signs and accented letters, or save the file from "
                "Excel as 'CSV UTF-8'.", "warning")


def _records_of_lines(text: str, delimiter: str, lines: list[int]) -> list[int]:
    """The row (record) each of the physical `lines` lies in."""
    if '"' not in text:  # no quoted line breaks: a line is a row
        return list(lines)
    ends = []  # the last physical line of each record
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    for _ in reader:
        ends.append(reader.line_num)
    return [bisect_left(ends, line) + 1 for line in lines]


def _decode_lines(name: str, data: bytes, offset: int) -> tuple[str, list[int], bool]:
    """Decode line by line: UTF-8 where a line is valid UTF-8, else Windows-1252. Returns the
    text, the (1-based) lines read as Windows-1252, and whether any line holds UTF-8 beyond
    ASCII. Neither encoding uses the newline byte inside a character, so lines split safely."""
    out, legacy, utf8 = [], [], False
    position = offset
    for number, line in enumerate(data.split(b"\n"), start=1):
        if line.isascii():
            out.append(line.decode("ascii"))
        else:
            try:
                out.append(line.decode("utf-8"))
                utf8 = True
            except UnicodeDecodeError:
                try:
                    out.append(line.decode("cp1252"))
                except UnicodeDecodeError as exc:
                    raise UnreadableFile(
                        f"{name} is not a text file Anchor can read: it is neither UTF-8 nor "
                        f"Windows-1252 (byte {position + exc.start:,}, line {number:,}). Save "
                        "it from Excel as 'CSV UTF-8'.") from exc
                legacy.append(number)
        position += len(line) + 1
    return "\n".join(out), legacy, utf8


def _lines_at(text: str, numbers: list[int]) -> list[str]:
    wanted = set(numbers)
    return [ln.rstrip("\r") for i, ln in enumerate(text.split("\n"), start=1) if i in wanted]


def _header_index(rows: list[list[str]], known: Collection[str] = KNOWN_HEADERS) -> int:
    """The column names: the first of the rows near the top holding the most names Anchor
    knows (ours, the published layout's, those of layouts mapped before). Data rows hold
    none, however wide a note beside them makes them. With none known anywhere, the first
    row as wide as most rows near the top: title rows above are narrower."""
    scores = [sum(1 for c in r if header_name_key(c) in known) for r in rows]
    best = max(scores, default=0)
    if best:
        return scores.index(best)
    widths = [sum(1 for c in r if str(c).strip()) for r in rows]
    counts = Counter(w for w in widths if w)
    if not counts:
        return 0
    usual = max(counts.items(), key=lambda kv: (kv[1], kv[0]))[0]
    return next(i for i, w in enumerate(widths) if w >= usual)


def _check_header(name: str, header: list[str], row_number: int) -> list[str]:
    cols = [str(c).replace("\ufeff", "").strip() for c in header]
    while cols and not cols[-1]:
        cols.pop()
    if not any(cols):
        raise UnreadableFile(f"{name} has no column names.")
    return cols


def _unnamed_columns(name: str, cols: list[str], frame: pd.DataFrame, row_number: int,
                     notes: list[Note]) -> tuple[list[str], pd.DataFrame]:
    """A column with no name and nothing in it (a blank column A, a spacer between two
    tables' worth of columns) is skipped, and said so; one with no name that holds values
    is refused: Anchor cannot tell what it is."""
    blank = [j for j, c in enumerate(cols) if not c]
    if not blank:
        return cols, frame
    empty = []
    for j in blank:
        values = frame[j].fillna("").astype("str").str.strip() if j in frame else None
        if values is not None and (values != "").any():
            raise UnreadableFile(f"{name}: row {row_number} is read as the column names, but "
                                 f"column {j + 1} ({workbook.column_letter(j)}) has no name "
                                 "and holds values. Give it a name, or delete it.")
        empty.append(j)
    letters = [workbook.column_letter(j) for j in empty]
    which = (f"Column {letters[0]} has" if len(letters) == 1
             else f"Columns {', '.join(letters)} have")
    notes.append(Note(None, "", pd.Series(dtype="str"),
                      f"{which} no name and no values: skipped.", "warning",
                      f"column{'s' if len(letters) > 1 else ''} {', '.join(letters)} "
                      "(no name, no values) skipped"))
    keep = [j for j in range(frame.shape[1]) if j not in set(empty)]
    frame = frame[keep]
    frame.columns = range(len(keep))
    return [c for j, c in enumerate(cols) if j not in set(empty)], frame


def _distinct(cols: list[str]) -> list[str]:
    """The names with each later copy of a repeated name told apart by its column letter:
    whether a repeat matters depends on whether Anchor uses the column, which the check
    knows (`RawFile.repeated`)."""
    seen: set[str] = set()
    out = []
    for i, c in enumerate(cols):
        out.append(c if c.lower() not in seen else f"{c} (column {workbook.column_letter(i)})")
        seen.add(c.lower())
    return out


def _csv_frame(name: str, text: str, known: Collection[str],
               notes: list[Note]) -> tuple[int, list[str], pd.DataFrame, str]:
    """The header row, its names, the frame and the separator. Rows are numbered as a
    spreadsheet shows them: by record, so a line break inside a quoted cell does not count.
    An ODS standard file has no header row: its rows are data from the first, and its
    columns are given the layout's names (header row 0)."""
    delimiter = _delimiter(text)
    # Python's csv refuses a cell over 128 KB in its own words: let it through, so that
    # `_check_cells` names the cell and Anchor's limit (the text is bounded by the upload's).
    csv.field_size_limit(max(csv.field_size_limit(), 2**31 - 1))
    head_rows = []
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        for row in reader:
            head_rows.append(row)
            _check_width(name, len(row), len(head_rows))
            if len(head_rows) >= HEADER_SEARCH_ROWS:
                break
    except csv.Error as exc:
        raise UnreadableFile(f"{name}: row {len(head_rows) + 1} is not well-formed CSV: "
                             f"{exc}.") from exc
    if is_ods(head_rows) and not any(header_name_key(c) in known for c in head_rows[0]):
        header_row, cols, skip = 0, list(ODS_COLUMNS), 0
    else:
        idx = _header_index(head_rows, known)
        header_row = idx + 1
        cols = _check_header(name, head_rows[idx] if head_rows else [], header_row)
        # pyarrow skips physical lines: count those before the header, and the header.
        skip = _lines_before_record(text, delimiter, idx) + 1
    try:
        frame = pd.read_csv(io.BytesIO(text.encode("utf-8")), dtype=str, keep_default_na=False,
                            header=None, skiprows=skip, skip_blank_lines=False,
                            engine="pyarrow", delimiter=delimiter)
        # pyarrow gives one row per record, blank ones included: the spreadsheet's rows
        frame.index = pd.RangeIndex(header_row + 1, header_row + 1 + len(frame), name="row")
        _check_width(name, frame.shape[1], header_row + 1)
    except UnreadableFile:
        raise
    except Exception:  # noqa: BLE001 - a ragged row (pyarrow says not which): read it slowly
        frame = _csv_rows(name, text, delimiter, header_row, len(cols), notes)
    _check_cells(name, frame, cols)
    cols, frame = _unnamed_columns(name, cols, frame, header_row, notes)
    frame = _fit(frame, _distinct(cols), "CSV", notes)
    return header_row, cols, _finish(name, frame), delimiter


def _check_width(name: str, cells: int, row: int) -> None:
    if cells > config.READ_MAX_COLUMNS:
        raise UnreadableFile(f"{name}: row {row:,} has {cells:,} cells, and Anchor reads at most "
                             f"{config.READ_MAX_COLUMNS:,} columns. Check the separator, or "
                             "delete the columns after the table.")


def _check_cells(name: str, frame: pd.DataFrame, cols: list[str]) -> None:
    """Refuse a cell longer than READ_MAX_CELL_CHARS (Excel's own limit: in a CSV, most
    likely a quote never closed, taking the rest of the file into one cell) or holding a NUL
    character (no spreadsheet saves one), naming its row and column."""
    for j in frame.columns:
        values = frame[j].fillna("").astype("str")
        column = cols[j] if j < len(cols) else f"(no name: {workbook.column_letter(j)})"
        lengths = values.str.len()
        too_long = lengths > config.READ_MAX_CELL_CHARS
        if too_long.any():
            row = too_long.idxmax()
            raise UnreadableFile(
                f"{name}: row {row:,}, column {column} holds {int(lengths[row]):,} characters "
                f"(starting {values[row][:40]!r}), and Anchor reads cells of at most "
                f"{config.READ_MAX_CELL_CHARS:,} characters, as Excel does. Check the row for "
                "a quote (\") that is never closed.")
        nul = values.str.contains("\x00", regex=False)
        if nul.any():
            row = nul.idxmax()
            raise UnreadableFile(
                f"{name}: row {row:,}, column {column} holds a NUL character (byte zero), which "
                f"no spreadsheet saves: {values[row][:40]!r}. The file is damaged or not "
                "text: save it again from the spreadsheet.")


def _csv_rows(name: str, text: str, delimiter: str, header_row: int, width: int,
              notes: list[Note]) -> pd.DataFrame:
    """Every record after the header (row `header_row`) by Python's csv reader, indexed by
    its row as a spreadsheet shows it. Only for files whose rows are not all as wide as the
    header."""
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows, numbers, number = [], [], 0
    try:
        for number, row in enumerate(reader, start=1):
            if number > header_row and row:
                _check_width(name, len(row), number)
                rows.append(row)
                numbers.append(number)
    except csv.Error as exc:
        raise UnreadableFile(f"{name}: row {number + 1:,} is not well-formed CSV: "
                             f"{exc}.") from exc
    lengths = pd.Series([len(r) for r in rows], index=pd.Index(numbers, name="row"))
    short = lengths < width
    if short.any():
        notes.append(Note(short, "", lengths.astype("str") + " cells",
                          "Row " + lengths.index.astype("str") + " has "
                          + lengths.astype("str") + f" cells; the header has {width}: the "
                          "missing cells at its end are read as empty.", "warning"))
    most = max(int(lengths.max()) if len(lengths) else 0, width)
    padded = [r + [""] * (most - len(r)) for r in rows]
    return pd.DataFrame(padded, index=lengths.index, columns=range(most), dtype="str")


def _fit(frame: pd.DataFrame, cols: list[str], source: str,
         notes: list[Note]) -> pd.DataFrame:
    """The frame with exactly the header's columns, named. A cell beside them (a note in a
    spare column) is left out with a warning naming it; in a CSV, one that reads as a
    number is an error (a value split in two by an unquoted separator)."""
    frame = frame.fillna("")
    width = len(cols)
    if frame.shape[1] > width:
        extra = frame.iloc[:, width:].astype("str")
        filled = extra.apply(lambda c: c.str.strip() != "")
        has = filled.any(axis=1)
        if has.any():
            # every filled cell beside the named columns, by name ('I4') and value
            cells = pd.Series("", index=frame.index, dtype="str")
            value = pd.Series("", index=frame.index, dtype="str")
            letters = set()
            for j in range(extra.shape[1]):
                here = filled.iloc[:, j]
                if not here.any():
                    continue
                letter = workbook.column_letter(width + j)
                letters.add((width + j, letter))
                sep = (cells != "").map({True: ", ", False: ""}).astype("str")
                cells = cells.where(~here, cells + sep + letter + frame.index.astype("str"))
                vsep = (value != "").map({True: " | ", False: ""}).astype("str")
                value = value.where(~here, value + vsep + extra.iloc[:, j].str.strip())
            several = filled.sum(axis=1) > 1
            cell = ("cell " + cells).where(~several, "cells " + cells)
            verb = pd.Series(" lies outside the named columns and is", index=frame.index,
                             dtype="str").where(~several, " lie outside the named columns and are")
            count = (filled.iloc[:, ::-1].cummax(axis=1).sum(axis=1) + width).astype("str")
            ragged = ("Row " + frame.index.astype("str") + " has " + count
                      + f" cells; the header has {width}: ")
            column = f"(no name: {', '.join(name for _, name in sorted(letters))})"
            if source == "CSV":
                numeric = has & value.str.fullmatch(_NUMBER_LIKE)
                notes.append(Note(
                    numeric, column, value,
                    ragged + cell + " beside the named columns holds a number. Check the row "
                    "for a separator inside a value that is not in quotes (such as 1,329.75, "
                    "or a name with a comma in it).", "error"))
                lead = ragged + cell
            else:
                numeric = has & False
                lead = ("Cell " + cells).where(~several, "Cells " + cells)
            notes.append(Note(
                has & ~numeric, column, value,
                lead + verb + " not loaded. Give the column a name to load it, or delete "
                "it.", "warning"))
        frame = frame.iloc[:, :width]
    frame.columns = cols[: frame.shape[1]]
    for c in cols[frame.shape[1]:]:
        frame[c] = ""
    return frame


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


def _calamine_rows(data: bytes, sheet: str) -> list[list[object]] | None:
    """A sheet's rows by python-calamine (a Rust reader, about three times faster than
    openpyxl here) when it is installed; None when it is not, or cannot read the file."""
    try:
        from python_calamine import CalamineWorkbook
    except ImportError:
        return None
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        # skip_empty_area=False: from cell A1, so row numbers stay the spreadsheet's
        return book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    except Exception:  # noqa: BLE001 - openpyxl reads it again, and explains what is wrong
        return None


def _xlsx_rows(name: str, data: bytes, sheet: str) -> list[list[object]]:
    rows = _calamine_rows(data, sheet)
    if rows is not None:
        return rows
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise UnreadableFile(f"{name} is not an Excel workbook Anchor can read ({exc}).") from exc
    try:
        ws = book[sheet]
        # The used range a workbook records (its 'dimension') may be stale, and read-only
        # mode would stop there: read every row and cell the sheet holds instead.
        ws.reset_dimensions()
        return [list(r) for r in ws.iter_rows(values_only=True)]
    except KeyError as exc:
        raise UnreadableFile(f"{name} is not an Excel workbook Anchor can read ({exc}).") from exc
    finally:
        book.close()


@dataclass
class _SheetRead:
    sheet: workbook.Sheet
    rows: list[list[object]]
    score: int  # names Anchor knows in its header row
    has_data: bool  # a filled row below the header


def _read_sheet(name: str, data: bytes, book: zipfile.ZipFile, sheet: workbook.Sheet,
                known: Collection[str]) -> _SheetRead:
    try:
        workbook.check_sheet(name, book, sheet)
    except workbook.WorkbookRefused as exc:
        raise UnreadableFile(str(exc)) from exc
    rows = _xlsx_rows(name, data, sheet.name)
    head = [[_cell_text(c) for c in r] for r in rows[:HEADER_SEARCH_ROWS]]
    idx = _header_index(head, known) if head else 0
    score = sum(1 for c in head[idx] if header_name_key(c) in known) if head else 0
    has_data = any(any(_cell_text(c).strip() for c in r) for r in rows[idx + 1:])
    return _SheetRead(sheet, rows, score, has_data)


def _workbook_frame(name: str, data: bytes, known: Collection[str], notes: list[Note],
                    only: str | None = None) -> tuple[int, list[str], pd.DataFrame]:
    """The sheet a person would read: the visible one holding the columns Anchor knows.
    Hidden sheets are never read; two visible sheets both holding the columns with data are
    refused (loading one and warning of the other would leave rows out too easily); the
    sheets not read are named in a warning."""
    try:
        book, sheets = workbook.open_checked(name, data)
    except workbook.WorkbookRefused as exc:
        raise UnreadableFile(str(exc)) from exc
    visible = [s for s in sheets if s.visible]
    if not visible:
        raise UnreadableFile(f"{name} has no visible sheet: unhide the sheet to load.")
    if only is not None:
        visible = [s for s in visible if s.name == only]
    chosen: _SheetRead | None = None
    holding: list[str] = []  # sheets with two or more known names and data
    for sheet in visible:
        read = _read_sheet(name, data, book, sheet, known)
        if read.score >= 2 and read.has_data:
            holding.append(sheet.name)
        if chosen is None or (read.has_data, read.score) > (chosen.has_data, chosen.score):
            chosen = read  # the others' cells are let go as the loop moves on
    if len(holding) > 1:
        raise _several_sheets(name, holding)
    if chosen is None:
        raise UnreadableFile(f"{name} has no visible sheet '{only}'.")
    assert chosen is not None
    left_out = [s for s in sheets if s is not chosen.sheet]
    if left_out and only is None:  # one of several sheets read as its own file: said so
        notes.append(_sheets_note(chosen.sheet, left_out))
    return _frame_from_rows(name, chosen.rows, known, notes)


def _several_sheets(name: str, holding: list[str]) -> SeveralSheets:
    return SeveralSheets(
        f"{name} has {len(holding)} sheets holding Anchor's columns with data: "
        f"{_quoted(holding)}. Anchor reads one sheet per file: save each as its own file, "
        "or hide the sheets not to load (hidden sheets are never read), and upload again. "
        "(Spend loads each sheet as a file of its own, together.)", holding)


def _xls_frame(name: str, data: bytes, known: Collection[str], notes: list[Note],
               only: str | None = None) -> tuple[int, list[str], pd.DataFrame]:
    """An Excel 97-2003 workbook, read by python-calamine (in the worker: see `read_bytes`),
    choosing its sheet as for .xlsx: the visible one holding the columns Anchor knows."""
    try:
        from python_calamine import CalamineWorkbook

        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        meta = list(book.sheets_metadata)
    except Exception as exc:  # noqa: BLE001 - any reader failure is a file it cannot read
        raise UnreadableFile(f"{name} is not an Excel 97-2003 workbook Anchor can read "
                             f"({exc}). Save it as .xlsx or as CSV and upload that.") from exc
    sheets = [workbook.Sheet(m.name, "visible" if str(m.visible).endswith(".Visible") else "hidden", "")
              for m in meta]
    visible = [s for s in sheets if s.visible and (only is None or s.name == only)]
    if not visible:
        raise UnreadableFile(f"{name} has no visible sheet: unhide the sheet to load.")
    chosen, rows_of, best, holding = None, None, (False, -1), []
    for sheet in visible:
        try:
            rows = book.get_sheet_by_name(sheet.name).to_python(skip_empty_area=False)
        except Exception as exc:  # noqa: BLE001
            raise UnreadableFile(f"{name}: sheet '{sheet.name}' cannot be read ({exc}).") from exc
        head = [[_cell_text(c) for c in r] for r in rows[:HEADER_SEARCH_ROWS]]
        idx = _header_index(head, known) if head else 0
        score = sum(1 for c in head[idx] if header_name_key(c) in known) if head else 0
        has_data = any(any(_cell_text(c).strip() for c in r) for r in rows[idx + 1:])
        if score >= 2 and has_data:
            holding.append(sheet.name)
        if chosen is None or (has_data, score) > best:
            chosen, rows_of, best = sheet, rows, (has_data, score)
    if len(holding) > 1:
        raise _several_sheets(name, holding)
    left_out = [s for s in sheets if s is not chosen]
    if left_out and only is None:
        notes.append(_sheets_note(chosen, left_out))
    return _frame_from_rows(name, rows_of, known, notes)


def _quoted(names: list[str]) -> str:
    quoted = [f"'{n}'" for n in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


def _sheets_note(chosen: workbook.Sheet, left_out: list[workbook.Sheet]) -> Note:
    shown = [s.name for s in left_out if s.visible]
    hidden = [s.name for s in left_out if not s.visible]
    parts = []
    if shown:
        parts.append(f"{'Sheet' if len(shown) == 1 else 'Sheets'} {_quoted(shown)}")
    if hidden:
        parts.append(f"hidden {'sheet' if len(hidden) == 1 else 'sheets'} {_quoted(hidden)}")
    which = " and ".join(parts)
    verb = "was" if len(left_out) == 1 else "were"
    problem = (f"Read sheet '{chosen.name}'. {which[0].upper()}{which[1:]} {verb} not read: "
               "Anchor reads one sheet per file, the visible one holding its columns. To load "
               "another sheet, save it as its own file.")
    return Note(None, "", pd.Series(dtype="str"), problem, "warning")


def _cell_text(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if hasattr(v, "isoformat"):
        text = v.isoformat()
        return text[:10] if text.endswith("T00:00:00") else text.replace("T", " ")
    return str(v)


def _frame_from_rows(name: str, rows: list[list[object]], known: Collection[str],
                     notes: list[Note]) -> tuple[int, list[str], pd.DataFrame]:
    if not any(any(_cell_text(c).strip() for c in r) for r in rows):
        raise UnreadableFile(f"{name} is empty.")
    head = [[_cell_text(c) for c in r] for r in rows[:HEADER_SEARCH_ROWS]]
    idx = _header_index(head, known)
    header_row = idx + 1
    cols = _check_header(name, head[idx], header_row)
    # most cells are text already: convert only the others (a workbook may hold millions)
    body = [[c if c.__class__ is str else _cell_text(c) for c in r] for r in rows[idx + 1:]]
    most = max([len(cols), *map(len, body)])
    body = [r + [""] * (most - len(r)) for r in body]
    frame = pd.DataFrame(body, columns=range(most), dtype="str",
                         index=pd.RangeIndex(header_row + 1, header_row + 1 + len(body),
                                             name="row"))
    _check_cells(name, frame, cols)
    cols, frame = _unnamed_columns(name, cols, frame, header_row, notes)
    frame = _fit(frame, _distinct(cols), "Excel", notes)
    return header_row, cols, _finish(name, frame)


def _finish(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.fillna("")
    frame.index.name = "row"
    blank = (frame == "").all(axis=1)
    if blank.any():
        frame = frame[~blank]
    if frame.empty:
        raise UnreadableFile(f"{name} has column names but no rows of data.")
    return frame


# -- several files at once: a folder or a zip of a year's monthly files -------------------------

TABLE_SUFFIXES = (".csv", ".xlsx", ".xlsm", ".xls", ".txt", ".tsv")


def is_archive(data: bytes) -> bool:
    """A zip of files, as opposed to an Excel workbook (itself a zip, holding its
    '[Content_Types].xml')."""
    if not data.startswith(_ZIP_MAGIC):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return "[Content_Types].xml" not in z.namelist()
    except zipfile.BadZipFile:
        return False


def unpack(name: str, data: bytes) -> list[tuple[str, bytes]]:
    """A zip's tables (CSV and Excel files, in name order; folders inside it, hidden files
    and others skipped), each within the size limit; any other file as it is."""
    if not is_archive(data):
        return [(name, data)]
    limit = max_upload_bytes()
    out = []
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        members = sorted((i for i in z.infolist() if not i.is_dir()), key=lambda i: i.filename)
        total = 0
        for info in members:
            base = Path(info.filename).name
            if base.startswith((".", "~$")) or "__MACOSX" in info.filename:
                continue
            if Path(base).suffix.lower() not in TABLE_SUFFIXES:
                continue
            total += info.file_size
            if info.file_size > limit or total > limit * 50:
                raise UnreadableFile(f"{name}: {base} unpacks to "
                                     f"{file_size_text(info.file_size)}, more than Anchor "
                                     f"accepts ({file_size_text(limit)} a file).")
            try:
                out.append((base, z.read(info)))
            except (zipfile.BadZipFile, NotImplementedError, RuntimeError) as exc:
                raise UnreadableFile(f"{name}: {base} cannot be unpacked ({exc}).") from exc
    if not out:
        raise UnreadableFile(f"{name} is a zip holding no CSV or Excel files.")
    return out


def files_in(paths: list[Path | str]) -> list[Path]:
    """The files named: each file, and each folder's CSV and Excel files (not its
    sub-folders), in name order. Raises FileNotFoundError for one that is not there."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found = sorted(f for f in p.iterdir() if f.is_file() and not f.name.startswith(".")
                           and f.suffix.lower() in (*TABLE_SUFFIXES, ".zip"))
            if not found:
                raise FileNotFoundError(f"The folder {p} holds no CSV, Excel or zip files.")
            out += found
        elif p.is_file():
            out.append(p)
        else:
            raise FileNotFoundError(f"There is no file {p}.")
    return out


def _read_each(batch: list[tuple[str, bytes]], known: frozenset[str]) -> list[RawFile]:
    return [_read(name, data, known) for name, data in batch]


def _read_together(items: list[tuple[str, bytes]],
                   known_columns: Collection[str]) -> dict[int, RawFile]:
    """The text files among `items` that each would be read in a worker of its own (over the
    in-process size), read in one worker instead: a year of monthly files starts one
    interpreter, not twelve. By their place in `items`; empty when there are fewer than two,
    or when the worker stopped (each is then read on its own, so the one at fault is named).
    A file that cannot be read raises UnreadableFile, naming it, as on its own."""
    limit = max_upload_bytes()
    batch = {i: (name, data) for i, (name, data) in enumerate(items)
             if config.READ_IN_PROCESS_MAX_BYTES < len(data) <= limit and data.strip()
             and not data.startswith(_ZIP_MAGIC) and not data.startswith(_OLE_MAGIC)
             and Path(name).suffix.lower() not in (".xlsx", ".xlsm")}
    if len(batch) < 2:
        return {}
    known = frozenset(KNOWN_HEADERS | {header_name_key(c) for c in known_columns})
    try:
        raws = run_limited(_read_each, list(batch.values()), known,
                           memory_mb=config.read_memory_mb(), seconds=config.read_seconds())
    except WorkerStopped:
        return {}
    return dict(zip(batch, raws))


def read_many(files: list[tuple[str, bytes]], *, known_columns: Collection[str] = (),
              split_sheets: bool = True) -> list[RawFile]:
    """Every file read (a zip's tables each as its own file; with `split_sheets`, each of a
    workbook's sheets holding Anchor's columns as its own file, named 'book.xlsx (April)');
    the first that cannot be read is refused, naming it."""
    items = [item for name, data in files for item in unpack(name, data)]
    together = _read_together(items, known_columns)
    raws = []
    for i, (inner, content) in enumerate(items):
        if i in together:
            raws.append(together[i])
            continue
        try:
            raws.append(read_bytes(inner, content, known_columns=known_columns))
        except SeveralSheets as several:
            if not split_sheets:
                raise
            for sheet in several.sheets:
                raw = read_bytes(inner, content, known_columns=known_columns, sheet=sheet)
                raws.append(dataclasses.replace(raw, name=f"{inner} ({sheet})"))
    return raws
