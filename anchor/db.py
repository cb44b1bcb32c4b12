"""The one owner of the warehouse connection.

DuckDB allows one read-write process per file, and a connection is not safe to
share between threads, so a `Warehouse` holds a single connection and hands each
query its own cursor. Every value is bound as a parameter; identifiers come only
from allow-lists in the query modules.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from anchor import config
from anchor.schema import LATEST_VERSION, MIGRATIONS


class WarehouseError(RuntimeError):
    """The warehouse cannot be opened or is newer than this release."""


class WarehouseBusy(WarehouseError):
    """Another process (the app, usually) holds the warehouse: DuckDB lets one process
    have it open for writing. `anchor.channel` hands such a command to that process."""


class WarehouseReadOnly(WarehouseError):
    """A write to a warehouse this process can only read."""


# What DuckDB's IOException says when the file, its folder or its file system cannot be
# written; the lock message when another process has the file.
_NOT_WRITABLE = ("Permission denied", "Read-only file system")
_LOCKED = "Conflicting lock"


class Warehouse:
    def __init__(self, path: Path | str, *, read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            memory_limit = config.duckdb_memory_limit()
        except ValueError as exc:
            raise WarehouseError(str(exc)) from exc
        try:
            self._con = duckdb.connect(str(self.path), read_only=read_only,
                                       config={"memory_limit": memory_limit})
        except duckdb.IOException as exc:
            if _LOCKED in str(exc):
                raise WarehouseBusy(
                    f"Cannot open the warehouse {self.path}: another Anchor process (the app, "
                    f"usually) has it open. {exc}") from exc
            raise WarehouseError(f"Cannot open the warehouse {self.path}: {exc}.") from exc
        self._write_lock = threading.Lock()
        if not read_only:
            migrate(self._con)
        check_version(self._con)

    # -- reading -------------------------------------------------------------
    def df(self, sql: str, params: Sequence[Any] | dict | None = None) -> pd.DataFrame:
        cur = self._con.cursor()
        try:
            return cur.execute(sql, params or []).df()
        finally:
            cur.close()

    def rows(self, sql: str, params: Sequence[Any] | dict | None = None) -> list[tuple]:
        cur = self._con.cursor()
        try:
            return cur.execute(sql, params or []).fetchall()
        finally:
            cur.close()

    def value(self, sql: str, params: Sequence[Any] | dict | None = None) -> Any:
        rows = self.rows(sql, params)
        return rows[0][0] if rows else None

    # -- writing -------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor inside one transaction: committed on success, rolled back on any error.

        Writers are serialised so two loads from two sessions never interleave.
        """
        if self.read_only:
            raise WarehouseReadOnly(self.read_only_message())
        with self._write_lock:
            cur = self._con.cursor()
            try:
                cur.execute("begin transaction")
                try:
                    yield cur
                except BaseException:
                    cur.execute("rollback")
                    raise
                cur.execute("commit")
            finally:
                cur.close()

    def read_only_message(self) -> str:
        return (f"The warehouse is read-only here ({self.path} cannot be written by this "
                "process): it can be viewed, but nothing can be loaded, saved or undone.")

    def data_version(self) -> int:
        """A number that changes whenever any data changes: the key for cached results."""
        return int(self.value("select version from data_version"))

    def snapshot(self) -> Snapshot:
        """Reads of one committed state of the data: see `Snapshot`."""
        return Snapshot(self)

    def close(self) -> None:
        self._con.close()


class Snapshot:
    """Every read through it sees the same committed data, whatever loads or undos commit
    meanwhile: one read transaction (DuckDB's snapshot isolation) on its own cursor. A page
    run reads through one, so no page shows figures from before and after a load side by side.

    It reads as a `Warehouse` does (`df`, `rows`, `value`, `data_version`, `path`); writes go
    through the warehouse itself. One thread uses it at a time; `close` ends it."""

    def __init__(self, wh: Warehouse) -> None:
        self.path = wh.path
        self.read_only = wh.read_only
        self._cur = wh._con.cursor()
        self._cur.execute("begin transaction")
        self._version = int(self._cur.execute("select version from data_version").fetchall()[0][0])

    def df(self, sql: str, params: Sequence[Any] | dict | None = None) -> pd.DataFrame:
        return self._cur.execute(sql, params or []).df()

    def rows(self, sql: str, params: Sequence[Any] | dict | None = None) -> list[tuple]:
        return self._cur.execute(sql, params or []).fetchall()

    def value(self, sql: str, params: Sequence[Any] | dict | None = None) -> Any:
        rows = self.rows(sql, params)
        return rows[0][0] if rows else None

    def data_version(self) -> int:
        """The version of the data this snapshot reads, fixed when it began."""
        return self._version

    def close(self) -> None:
        try:
            self._cur.execute("rollback")
        finally:
            self._cur.close()


def bump_data_version(cur: duckdb.DuckDBPyConnection) -> None:
    """Call inside every transaction that changes data."""
    cur.execute("update data_version set version = version + 1")


def migrate(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Apply the migrations this warehouse has not had yet; return the versions applied."""
    con.execute(
        "create table if not exists schema_migration ("
        " version integer primary key, name varchar not null, applied_at timestamp not null)"
    )
    done = {v for (v,) in con.execute("select version from schema_migration").fetchall()}
    applied = []
    for m in MIGRATIONS:
        if m.version in done:
            continue
        con.execute("begin transaction")
        try:
            con.execute(m.sql)
            con.execute(
                "insert into schema_migration values (?, ?, ?)",
                [m.version, m.name, datetime.now(UTC).replace(tzinfo=None)],
            )
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise
        applied.append(m.version)
    return applied


def check_version(con: duckdb.DuckDBPyConnection) -> None:
    try:
        newest = con.execute("select max(version) from schema_migration").fetchall()[0][0]
    except duckdb.CatalogException as exc:
        raise WarehouseError("This file is not an Anchor warehouse (no schema_migration).") from exc
    if newest is not None and newest > LATEST_VERSION:
        raise WarehouseError(
            f"The warehouse is at schema version {newest}, newer than this release "
            f"({LATEST_VERSION}). Upgrade Anchor."
        )


def open_warehouse(path: Path | str | None = None, *, read_only: bool = False) -> Warehouse:
    return Warehouse(path or config.warehouse_path(), read_only=read_only)


def open_for_serving(path: Path | str) -> Warehouse:
    """The app's warehouse: for writing, else for reading when this process cannot write it
    (a read-only file, folder or mount), so viewers are still served."""
    path = Path(path)
    if path.exists() and not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)):
        return Warehouse(path, read_only=True)
    try:
        return Warehouse(path)
    except WarehouseError as exc:
        # root passes os.access on a file it cannot lock or write; DuckDB then says so
        if path.exists() and any(m in str(exc) for m in _NOT_WRITABLE):
            return Warehouse(path, read_only=True)
        raise
