"""Several files read at once: the text files a worker would read one at a time are read in
one worker (a year of monthly files starts one interpreter, not twelve), and a file that
cannot be read is still refused by name."""

import pytest

from anchor import config
from anchor.loading import readers
from anchor.loading.readers import UnreadableFile, read_many

HEADER = "org_code,paid_date,supplier_name,category,amount_gbp\n"


def month(m: int, lines: int = 40_000) -> bytes:
    """A CSV over the in-process size (1 MB), so a worker reads it."""
    body = "".join(f"AAA,{1 + i % 28:02d}/{m:02d}/2024,Supplier {i % 97} Ltd,Catering,{i}.50\n"
                   for i in range(lines))
    data = (HEADER + body).encode()
    assert len(data) > config.READ_IN_PROCESS_MAX_BYTES
    return data


def test_a_year_of_files_is_read_in_one_worker(monkeypatch):
    calls = []
    real = readers.run_limited

    def counted(func, *args, **kw):
        calls.append(func.__name__)
        return real(func, *args, **kw)

    monkeypatch.setattr(readers, "run_limited", counted)
    files = [(f"spend-2024-{m:02d}.csv", month(m)) for m in (4, 5, 6)]
    raws = read_many(files)
    assert calls == ["_read_each"]
    assert [r.name for r in raws] == [n for n, _ in files]
    assert [len(r.frame) for r in raws] == [40_000] * 3


def test_a_file_that_cannot_be_read_is_named(monkeypatch):
    bad = b"\xff\xfe" + "\u0000".join("x" * 10).encode("utf-16-le") * 200_000
    with pytest.raises(UnreadableFile, match="spend-2024-05.csv"):
        read_many([("spend-2024-04.csv", month(4)), ("spend-2024-05.csv", bad + b"\x00\x01")])
