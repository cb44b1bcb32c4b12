"""A warehouse as an analyst at a trust first fills it: NHS Digital's organisation files as
published (ods_eccg.csv, ods_etr.csv), then Chelsea and Westminster's April and May 2020
"spend over £25k" files, whose suppliers carry no postcode. Tests read every page of it as
a real user meets it."""

from __future__ import annotations

from pathlib import Path

from anchor import loading
from anchor.auth import Role, User, setup_user
from anchor.db import Warehouse
from anchor.geography.install import install_geography

REAL = Path(__file__).resolve().parent / "data" / "real"
ANALYST = User("ana@example.nhs.uk", Role.ANALYST, "signed in", "ana@example.nhs.uk", True)
CHELSEA = "RQM"
# 141 lines (£21,963,605.56) paid in April 2020 and 101 (£19,724,112.94) in May
CHELSEA_SPEND_GBP = 41_687_718.50


def build_real_warehouse(path: Path, geography_cache: Path) -> Warehouse:
    wh = Warehouse(path)
    install_geography(wh, geography_cache, setup_user())
    for name in ("ods_eccg.csv", "ods_etr.csv"):
        _load(wh, "organisation", REAL / name)
    # The files name the trust as it spells itself, not as NHS Digital does: the analyst
    # confirms the spelling once (--org), and it is remembered for May.
    _load(wh, "spend", REAL / "spend_RQM_chelsea_westminster_2020-04.csv", org=CHELSEA)
    _load(wh, "spend", REAL / "spend_RQM_chelsea_westminster_2020-05.csv")
    return wh


def _load(wh: Warehouse, table: str, path: Path, **choices) -> None:
    checked = loading.check(wh, loading.read_path(path), loading.spec(table), **choices)
    assert checked.ok, checked.summary()
    loading.load(wh, checked, ANALYST)
