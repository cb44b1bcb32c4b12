"""Import the English Indices of Deprivation: LSOA deciles of the Index of Multiple Deprivation.

Reads the official "File 7" CSV (all ranks, deciles and scores) of the 2019 edition (LSOA 2011
codes) or the 2025 edition (LSOA 2021 codes). Our boundaries and staff homes use LSOA 2011
codes. A 2021 code that is also a 2011 code is used as it is (most are). A 2011 LSOA whose code
changed in 2021 (split or merged) takes the median decile of the new 2021 LSOAs that carry the
same MSOA name ("Sandwell 010A" belongs to "Sandwell 010"), and the import says how many
LSOAs were mapped that way.

An import needs the analyst role and is recorded in the audit trail (`load` and `load_slice`,
as `imd_lsoa`) like any load. It cannot be undone (the deciles it replaces are not kept):
import the earlier file again instead.
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

import pandas as pd

from anchor.auth import User, writes
from anchor.db import bump_data_version

IMD_TABLE = "imd_lsoa"  # what the audit trail records an import as having written

_CODE_RE = re.compile(r"^LSOA code \((2011|2021)\)$", re.I)
_NAME_RE = re.compile(r"^LSOA name \((2011|2021)\)$", re.I)
_DECILE_RE = re.compile(r"^Index of Multiple Deprivation \(IMD\) Decile", re.I)


class ImdFileError(ValueError):
    """The file is not an English Indices of Deprivation File 7."""


@dataclass(frozen=True)
class ImdImport:
    edition: str  # '2019' (LSOA 2011) or '2025' (LSOA 2021)
    deciles: pd.DataFrame  # lsoa_code (2011), imd_decile
    matched: int  # LSOAs whose code appears in the file
    mapped: int  # LSOAs given a decile through their MSOA
    missing: int  # English LSOAs left without a decile
    source: str
    file_name: str = ""
    sha256: str | None = None  # of the file's bytes, for the audit trail

    @property
    def lsoas(self) -> int:
        """LSOAs given a decile."""
        return len(self.deciles)


def _column(df: pd.DataFrame, pattern: re.Pattern, what: str, file_name: str) -> str:
    for c in df.columns:
        if pattern.match(str(c).strip()):
            return c
    raise ImdFileError(
        f"{file_name} has no '{what}' column. Use File 7 of the English Indices of "
        "Deprivation (the CSV of all ranks, deciles and scores)."
    )


def _msoa(name: str) -> str:
    return re.sub(r"[A-Z]$", "", str(name).strip())


def _file_bytes(data: str | Path | BinaryIO) -> bytes:
    if isinstance(data, (str, Path)):
        return Path(data).read_bytes()
    if hasattr(data, "getvalue"):  # an upload or BytesIO, wherever it was last read to
        return data.getvalue()
    return data.read()


def read_imd(data: str | Path | BinaryIO, lsoa_2011: pd.DataFrame,
             file_name: str | None = None) -> ImdImport:
    """Deciles for the 2011 LSOAs in `lsoa_2011` (lsoa_code, lsoa_name) from a File 7 CSV.
    `file_name` names the file in messages and the audit trail (a path's own name if not
    given)."""
    content = _file_bytes(data)
    if file_name is None and isinstance(data, (str, Path)):
        file_name = Path(data).name
    recorded_name = file_name or ""
    file_name = file_name or "the file"
    try:
        raw = pd.read_csv(io.BytesIO(content), dtype=str, encoding="utf-8-sig")
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise ImdFileError(f"{file_name} is not a readable CSV file: {exc}") from exc
    code_col = _column(raw, _CODE_RE, "LSOA code (2011)", file_name)
    decile_col = _column(raw, _DECILE_RE, "Index of Multiple Deprivation (IMD) Decile", file_name)
    edition = "2019" if "2011" in code_col else "2025"
    df = pd.DataFrame({"code": raw[code_col].str.strip(),
                       "decile": pd.to_numeric(raw[decile_col], errors="coerce")})
    bad = df[df["decile"].isna() | ~df["decile"].between(1, 10)]
    if len(bad):
        row = bad.index[0] + 2  # 1-based, after the header
        raise ImdFileError(
            f"{file_name}, row {row}, column '{decile_col}': {raw[decile_col].iat[bad.index[0]]!r} "
            "is not a decile from 1 to 10."
        )
    df["decile"] = df["decile"].astype(int)
    ours = lsoa_2011[lsoa_2011["lsoa_code"].str.startswith("E")][["lsoa_code", "lsoa_name"]]
    direct = ours.merge(df, left_on="lsoa_code", right_on="code", how="left")
    matched = int(direct["decile"].notna().sum())
    mapped = 0
    if edition == "2025" and direct["decile"].isna().any():
        name_col = _column(raw, _NAME_RE, "LSOA name (2021)", file_name)
        new_codes = df[~df["code"].isin(ours["lsoa_code"])].copy()
        new_codes["msoa"] = raw.loc[new_codes.index, name_col].map(_msoa)
        by_msoa = new_codes.groupby("msoa")["decile"].median().round().astype(int)
        gap = direct["decile"].isna()
        fill = direct.loc[gap, "lsoa_name"].map(_msoa).map(by_msoa)
        direct.loc[gap, "decile"] = fill
        mapped = int(fill.notna().sum())
    out = direct.dropna(subset=["decile"])
    if out.empty:
        # Importing nothing would wipe every decile the warehouse holds.
        where = ("the geography has no English LSOAs yet: run `anchor geo build` first"
                 if ours.empty else f"none of its codes (such as {df['code'].iat[0]!r}) is an "
                 "English LSOA of 2011 in the geography")
        raise ImdFileError(f"{file_name} gives no decile for any neighbourhood: {where}.")
    deciles = pd.DataFrame({"lsoa_code": out["lsoa_code"], "imd_decile": out["decile"].astype(int)})
    source = (f"English Indices of Deprivation {edition}, IMD decile"
              + (" (LSOA 2021, mapped to 2011)" if edition == "2025" else ""))
    return ImdImport(edition, deciles, matched, mapped, len(ours) - len(deciles), source,
                     recorded_name, hashlib.sha256(content).hexdigest())


@writes("import deprivation deciles")
def save_imd(wh, imported: ImdImport, user: User) -> int:
    """Replace every decile (synthetic or imported) with the imported ones, in one transaction
    that records the import in the audit trail. Refuses anyone below analyst before writing.
    Returns the load id recorded for it."""
    frame = imported.deciles.assign(source=imported.source, is_synthetic=False)
    with wh.transaction() as cur:
        load_id = int(cur.execute("select nextval('load_id_seq')").fetchall()[0][0])
        replaced = int(cur.execute("select count(*) from imd_lsoa").fetchall()[0][0])
        cur.execute("delete from imd_lsoa")
        cur.register("imd_import", frame)
        cur.execute("insert into imd_lsoa by name select * from imd_import")
        cur.unregister("imd_import")
        cur.execute(
            "insert into load (load_id, loaded_at, loaded_by, file_name, sha256, table_name,"
            " outcome, message) values (?, ?, ?, ?, ?, ?, 'loaded', ?)",
            [load_id, datetime.now(UTC).replace(tzinfo=None), user.name,
             imported.file_name or None, imported.sha256, IMD_TABLE,
             f"{imported.source}: {len(frame):,} LSOAs"])
        cur.execute("insert into load_slice (load_id, table_name, rows_added, rows_replaced)"
                    " values (?, ?, ?, ?)",
                    [load_id, IMD_TABLE, len(frame), replaced])
        bump_data_version(cur)
    return load_id
