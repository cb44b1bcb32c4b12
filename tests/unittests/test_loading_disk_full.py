"""A load whose write fails (the disk holding the warehouse is full, or it cannot be written)
rolls back: the warehouse is exactly as it was, the analyst gets a plain message, and the
audit trail records the failure, or the message says it could not."""

from __future__ import annotations

import errno
import hashlib

import duckdb
import pytest

from anchor import loading
from anchor.auth import Role, User
from anchor.loading import transaction
from anchor.queries.loads import table_fingerprints

ANALYST = User("ana@example.nhs.uk", Role.ANALYST, "signed in", "ana@example.nhs.uk")
FILE = (b"org_code,paid_date,supplier_name,category,amount_gbp\n"
        b"AAA,15/07/2024,Local One Ltd,Catering,10\nAAA,16/07/2024,Brand New Ltd,Catering,5\n")
# what DuckDB raises when the disk fills as it writes the warehouse's log
DISK_FULL = duckdb.IOException(
    'IO Error: Could not write all bytes to file "fixture.duckdb.wal": No space left on device')


def checked_file(wh):
    checked = loading.check(wh, loading.read_bytes("q2.csv", FILE), loading.spec("spend"))
    assert checked.ok, checked.issues
    return checked


def fail_after_writing(monkeypatch, error: Exception) -> None:
    """The rows are written inside the transaction, and then the write fails."""
    real = transaction._apply

    def apply_then_fail(cur, checked, load_id, progress):
        real(cur, checked, load_id, progress)
        assert cur.execute("select count(*) from spend where load_id = ?",
                           [load_id]).fetchall()[0][0] == 2
        raise error

    monkeypatch.setattr(transaction, "_apply", apply_then_fail)


def audit(wh) -> list[tuple]:
    return wh.rows("select loaded_by, file_name, sha256, table_name, outcome, message from load"
                   " order by load_id")


@pytest.mark.parametrize("error", [
    DISK_FULL, OSError(errno.ENOSPC, "No space left on device")])
def test_a_full_disk_loads_nothing_and_is_audited(fixture_wh, monkeypatch, error):
    checked = checked_file(fixture_wh)
    before, version = table_fingerprints(fixture_wh), fixture_wh.data_version()
    fail_after_writing(monkeypatch, error)
    with pytest.raises(loading.LoadError) as failed:
        loading.load(fixture_wh, checked, ANALYST)
    message = str(failed.value)
    assert message == (
        f"The disk holding the warehouse is full: q2.csv could not be written to "
        f"{fixture_wh.path}, so nothing was loaded. Free some space on that disk and load the "
        f"file again. ({error})")
    after = table_fingerprints(fixture_wh)
    assert {t for t in before if before[t] != after[t]} == {"load"}
    assert fixture_wh.data_version() == version
    assert audit(fixture_wh) == [("ana@example.nhs.uk", "q2.csv", hashlib.sha256(FILE).hexdigest(),
                                  "spend", "failed", message)]


def test_another_write_failure_is_named_as_it_is(fixture_wh, monkeypatch):
    checked = checked_file(fixture_wh)
    fail_after_writing(monkeypatch, PermissionError(errno.EACCES, "Permission denied"))
    with pytest.raises(loading.LoadError) as failed:
        loading.load(fixture_wh, checked, ANALYST)
    assert str(failed.value) == (f"The warehouse {fixture_wh.path} could not be written: "
                                 "nothing was loaded from q2.csv. ([Errno 13] Permission denied)")
    assert [r[4] for r in audit(fixture_wh)] == ["failed"]
    assert fixture_wh.value("select count(*) from spend where load_id is not null") == 0


class _FullAtCommit:
    """The warehouse's connection, with every commit failing as a full disk fails it."""

    def __init__(self, con) -> None:
        self._con = con

    def cursor(self):
        return _Cursor(self._con.cursor())

    def __getattr__(self, name):
        return getattr(self._con, name)


class _Cursor:
    def __init__(self, cur) -> None:
        self._cur = cur

    def execute(self, sql, *args):
        if sql == "commit":
            raise DISK_FULL
        return self._cur.execute(sql, *args)

    def __getattr__(self, name):
        return getattr(self._cur, name)


def test_a_commit_on_a_full_disk_rolls_back_and_says_the_audit_failed_too(fixture_wh,
                                                                          monkeypatch):
    checked = checked_file(fixture_wh)
    before = table_fingerprints(fixture_wh)
    monkeypatch.setattr(fixture_wh, "_con", _FullAtCommit(fixture_wh._con))
    with pytest.raises(loading.LoadError) as failed:
        loading.load(fixture_wh, checked, ANALYST)
    assert str(failed.value).startswith("The disk holding the warehouse is full: q2.csv could "
                                        "not be written")
    assert str(failed.value).endswith(
        "The audit trail could not record this failure either, so it is not in the load "
        f"history ({DISK_FULL}).")
    monkeypatch.undo()
    assert table_fingerprints(fixture_wh) == before  # no audit row could be written either
    # nothing was left half-open: once there is space, the same file loads
    result = loading.load(fixture_wh, checked, ANALYST)
    assert result.rows_added == 2
    assert [r[4] for r in audit(fixture_wh)] == ["loaded"]
