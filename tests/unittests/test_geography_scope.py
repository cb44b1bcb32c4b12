"""What the geography covers: the whole of Great Britain, which the app needs, or a region
built for tests. A region never passes for GB, in a cache or in a warehouse, and a region
build never replaces the GB cache by default."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from anchor.auth import setup_user
from anchor.cli import main
from anchor.db import Warehouse
from anchor.geography import build as geo_build
from anchor.geography import install as geo_install
from anchor.geography.build import (
    BuildReport,
    build_geography,
    cache_is_current,
    cache_scope,
    region_cache_path,
    scope_of,
)
from anchor.geography.install import (
    ensure_geography,
    install_geography,
    warehouse_geography_scope,
    warehouse_has_geography,
)

SANDWELL_GENERAL = "B71 4HJ"  # in Sandwell (E08000028), outside the WV postcode area


@pytest.fixture(scope="module")
def wv_cache(tmp_path_factory) -> Path:
    """Wolverhampton's postcode area only: 8 LADs, about 5 seconds to build."""
    path = tmp_path_factory.mktemp("wv") / "geography-WV.duckdb"
    build_geography(path, areas=["WV"])
    return path


def _scope_of_file(path: Path) -> str:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute("select value from geo_meta where key = 'scope'").fetchall()[0][0]
    finally:
        con.close()


class FakeBuild:
    """Stands in for the 20-second GB build: copies the real GB cache to where it was asked."""

    def __init__(self, gb_cache: Path) -> None:
        self.gb_cache = gb_cache
        self.calls: list[tuple[Path, object]] = []

    def __call__(self, dest, *, areas=None, progress=None) -> BuildReport:
        self.calls.append((Path(dest), areas))
        shutil.copy(self.gb_cache, dest)
        return BuildReport(Path(dest), "GB", 1, 1, 1, 0.0)


def test_scopes_and_where_a_region_build_goes():
    assert scope_of(None) == "GB"
    assert scope_of([" ws", "B", "b"]) == "B,WS"
    assert region_cache_path(Path("data/geography.duckdb"), "B,WS") == Path(
        "data/geography-B-WS.duckdb")
    assert region_cache_path(Path("/x/geo.duckdb"), "WV") == Path("/x/geo-WV.duckdb")


def test_a_region_cache_is_not_current_for_the_app(wv_cache, geography_cache):
    assert cache_scope(wv_cache) == "WV"
    assert not cache_is_current(wv_cache)  # the default is the whole of GB
    assert cache_is_current(wv_cache, scope="WV")
    assert cache_is_current(geography_cache)


def test_a_warehouse_holding_a_region_gets_gb_installed(tmp_path, wv_cache, geography_cache):
    wh = Warehouse(tmp_path / "anchor.duckdb")
    try:
        install_geography(wh, wv_cache, setup_user())
        assert warehouse_geography_scope(wh) == "WV"
        assert not warehouse_has_geography(wh)
        assert warehouse_has_geography(wh, scope="WV")
        assert wh.value("select count(*) from geo_postcode where postcode = ?",
                        [SANDWELL_GENERAL]) == 0
        # The GB cache is current, so nothing is built: it is only installed.
        assert ensure_geography(wh, setup_user(), cache=geography_cache) is None
        assert warehouse_geography_scope(wh) == "GB"
        assert wh.value("select lad_code from geo_postcode where postcode = ?",
                        [SANDWELL_GENERAL]) == "E08000028"
    finally:
        wh.close()


def test_ensure_geography_builds_gb_over_a_region_cache(monkeypatch, tmp_path, wv_cache,
                                                        geography_cache):
    cache = tmp_path / "geography.duckdb"
    shutil.copy(wv_cache, cache)
    fake = FakeBuild(geography_cache)
    monkeypatch.setattr(geo_install, "build_geography", fake)
    wh = Warehouse(tmp_path / "anchor.duckdb")
    try:
        assert ensure_geography(wh, setup_user(), cache=cache) is not None
        assert fake.calls == [(cache, None)]  # the whole of GB, where the region was
        assert warehouse_geography_scope(wh) == "GB"
    finally:
        wh.close()


def test_a_region_build_goes_beside_the_gb_cache(monkeypatch, tmp_path, geography_cache,
                                                 capsys):
    gb = tmp_path / "geography.duckdb"
    shutil.copy(geography_cache, gb)
    monkeypatch.setenv("ANCHOR_GEO_CACHE", str(gb))
    monkeypatch.setenv("ANCHOR_DB", str(tmp_path / "anchor.duckdb"))
    assert main(["geo", "build", "--areas", "WV", "--cache-only"]) == 0
    assert _scope_of_file(tmp_path / "geography-WV.duckdb") == "WV"
    assert cache_is_current(gb)  # the GB cache is untouched
    assert "-> " + str(tmp_path / "geography-WV.duckdb") in capsys.readouterr().out
    # Aiming a region build at the GB cache is refused, with the way round it.
    assert main(["geo", "build", "--areas", "WV", "--cache", str(gb), "--cache-only"]) == 1
    err = capsys.readouterr().err
    assert "holds the geography of the whole of Great Britain" in err
    assert "--force" in err
    assert cache_is_current(gb)


def test_a_plain_build_rebuilds_a_region_cache(monkeypatch, tmp_path, wv_cache,
                                               geography_cache, capsys):
    cache = tmp_path / "geography.duckdb"
    shutil.copy(wv_cache, cache)
    fake = FakeBuild(geography_cache)
    monkeypatch.setattr(geo_build, "build_geography", fake)
    monkeypatch.setenv("ANCHOR_GEO_CACHE", str(cache))
    assert main(["geo", "build", "--cache-only"]) == 0
    assert fake.calls == [(cache, None)]
    out = capsys.readouterr().out
    assert f"Geography cache {cache} holds postcode area WV only; building the whole of " \
           "Great Britain." in out
    assert "is current" not in out


@pytest.mark.parametrize("areas, message", [
    ("GY", "GY is Guernsey (the Channel Islands), which is not in Great Britain's geography"),
    ("B,IM", "IM is the Isle of Man, which is not in Great Britain's geography"),
    ("BT", "BT is Northern Ireland"),
    ("B1", "'B1' is not a postcode area"),
    ("ZZ", "No Code-Point Open file covers the areas ZZ."),
])
def test_areas_outside_gb_are_refused_with_a_message(monkeypatch, tmp_path, capsys, areas,
                                                     message):
    monkeypatch.setenv("ANCHOR_GEO_CACHE", str(tmp_path / "geography.duckdb"))
    assert main(["geo", "build", "--areas", areas, "--cache-only"]) == 1
    assert message in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_setup_replaces_a_region_in_the_warehouse_and_builds_the_demo(
        monkeypatch, tmp_path, wv_cache, geography_cache):
    """`make run` after `anchor geo build --areas WV`: the demo needs Sandwell, Dudley and
    Walsall, which the WV area does not hold."""
    db = tmp_path / "anchor.duckdb"
    wh = Warehouse(db)
    install_geography(wh, wv_cache, setup_user())
    wh.close()
    monkeypatch.setenv("ANCHOR_DB", str(db))
    monkeypatch.setenv("ANCHOR_GEO_CACHE", str(geography_cache))
    assert main(["setup"]) == 0
    wh = Warehouse(db)
    try:
        assert warehouse_geography_scope(wh) == "GB"
        assert wh.rows("select org_code from organisation order by 1") == [
            ("RBK",), ("RL4",), ("RNA",), ("RXK",), ("TAJ",)]
    finally:
        wh.close()
