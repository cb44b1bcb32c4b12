"""Benchmark: importing Companies House's Basic Company Data and placing suppliers with it
(`make bench`).

The real file holds about 5 million companies (some 2.5 GB of CSV in seven zipped parts).
This writes a file of `--rows` companies (1,000,000 by default) in the official layout, with
registered offices at postcodes drawn from the geography, into a copy of the demo warehouse
with 20,000 suppliers added as a published spend file leaves them (names only; one in four
with a company number after its name), then times the import and the placing. Medians of
`--repeat` runs, and the figures scaled to 5 million companies (the import is one scan and
one hash aggregate, so it grows in step with the rows).
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from anchor import config  # noqa: E402
from anchor.auth import setup_user  # noqa: E402
from anchor.db import Warehouse  # noqa: E402
from anchor.loading.companies import import_companies, place_suppliers  # noqa: E402
from tests.companies_house import HEADER, company_row  # noqa: E402

REAL_ROWS = 5_000_000
SUPPLIERS = 20_000
WORDS = ("ACME", "NORTH", "VALLEY", "CARE", "MEDICAL", "SUPPLIES", "BUILD", "DIGITAL",
         "HEALTH", "GREEN", "SERVICES", "TECH", "ROYAL", "CITY", "BRIDGE", "STAR", "PRIME",
         "UNITED", "CLINICAL", "HOME")


def write_file(path: Path, rows: int, postcodes: list[str], rng: random.Random) -> list[tuple]:
    """The file, and a sample of its companies (name, number) for the suppliers."""
    sample = []
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(HEADER)
        for i in range(rows):
            name = f"{' '.join(rng.sample(WORDS, 3))} {i} LIMITED"
            number = f"{i:08d}"
            w.writerow(company_row(name, number, rng.choice(postcodes),
                                   accounts=rng.choice(("SMALL", "MICRO ENTITY", "FULL"))))
            if len(sample) < SUPPLIERS and rng.random() < SUPPLIERS * 2 / rows:
                sample.append((name, number))
    return sample


def run(demo: Path, ch_file: Path, sample: list[tuple], folder: Path) -> dict[str, float]:
    db = folder / "anchor.duckdb"
    shutil.copy(demo, db)
    wh = Warehouse(db)
    try:
        user = setup_user()
        for i, (name, number) in enumerate(sample):
            shown = f"{name.title()}:{number}" if i % 4 == 0 else name.title().replace(
                "Limited", "Ltd")
            wh.rows("insert into supplier (supplier_id, name) values (?, ?)", [f"B{i}", shown])
        t = time.perf_counter()
        held = import_companies(wh, [ch_file], user)
        imported = time.perf_counter() - t
        t = time.perf_counter()
        placed = place_suppliers(wh, user)
        placing = time.perf_counter() - t
        assert held > 0 and placed.placed >= len(sample) * 0.9, (held, placed)
    finally:
        wh.close()
        db.unlink()
    return {"import": imported, "place": placing, "placed": placed.placed}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rng = random.Random(20261203)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        demo = folder / "demo.duckdb"
        shutil.copy(config.warehouse_path(), demo)  # the app may hold the warehouse open
        wh = Warehouse(demo, read_only=True)
        postcodes = [r[0] for r in wh.rows(
            "select postcode from geo_postcode where lad_code is not null using sample 5000")]
        wh.close()
        ch_file = folder / "BasicCompanyDataAsOneFile.csv"
        sample = write_file(ch_file, args.rows, postcodes, rng)
        size_mb = ch_file.stat().st_size / 1e6
        runs = [run(demo, ch_file, sample, folder) for _ in range(args.repeat)]
    imp = statistics.median(r["import"] for r in runs)
    place = statistics.median(r["place"] for r in runs)
    scale = REAL_ROWS / args.rows
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"Companies House file: {args.rows:,} companies, {size_mb:,.0f} MB; "
          f"{len(sample):,} suppliers to place")
    print(f"  import          {imp:6.1f} s  (scaled to {REAL_ROWS:,}: {imp * scale:,.0f} s)")
    print(f"  place suppliers {place:6.1f} s  ({runs[0]['placed']:,} placed)")
    print(f"  peak memory     {peak_mb:,.0f} MB")


if __name__ == "__main__":
    main()
