"""The geography built from the open data packages: postcodes, LADs, ICBs."""

import re

import duckdb
import pytest

from anchor.geography.build import build_geography, cache_is_current
from anchor.geography.postcodes import (
    PostcodeError,
    UnknownPostcode,
    locate_postcode,
    normalise_postcode,
)

OFFICIAL_AREA_KM2 = {"E08000025": 267.8, "E08000028": 85.6, "E08000027": 98.0,
                     "E08000031": 69.4, "E08000030": 104.0}


@pytest.fixture(scope="module")
def geo(geography_cache):
    con = duckdb.connect(str(geography_cache), read_only=True)
    yield con
    con.close()


@pytest.mark.parametrize("raw, clean", [("b709pl", "B70 9PL"), (" B71  4hj ", "B71 4HJ"),
                                        ("sw1a1aa", "SW1A 1AA"), ("M1 1AE", "M1 1AE")])
def test_normalise_postcode(raw, clean):
    assert normalise_postcode(raw) == clean


@pytest.mark.parametrize("raw", ["B71", "12345", "", None, "B71 4HJJ", "BT1 1AA1"])
def test_invalid_postcodes_say_what_is_wrong(raw):
    with pytest.raises(PostcodeError):
        normalise_postcode(raw)


def test_sandwell_general_hospital(demo_copy):
    from anchor.db import Warehouse
    wh = Warehouse(demo_copy)
    for raw in ["B71 4HJ", "b71 4hj", "B714HJ"]:
        loc = locate_postcode(wh, raw)
        assert (loc.lad_code, loc.lad_name) == ("E08000028", "Sandwell")
        assert loc.icb_name == "NHS Black Country Integrated Care Board"
        assert loc.lat == pytest.approx(52.528, abs=0.001)
    with pytest.raises(UnknownPostcode, match="ZZ9 9ZZ is not a known GB postcode"):
        locate_postcode(wh, "zz99zz")
    with pytest.raises(PostcodeError, match="'B7' is not a UK postcode"):
        locate_postcode(wh, "B7")
    wh.close()


def test_lad_areas_match_the_official_figures(geo):
    rows = dict(geo.execute("select lad_code, area_km2 from geo_lad where lad_code = any(?)",
                            [list(OFFICIAL_AREA_KM2)]).fetchall())
    for code, official in OFFICIAL_AREA_KM2.items():
        assert rows[code] == pytest.approx(official, rel=0.02), code


def test_coverage(geo):
    n, no_lsoa, ni = geo.execute(
        "select count(*), count(*) filter (where lsoa_code is null),"
        " count(*) filter (where postcode like 'BT%') from geo_postcode").fetchall()[0]
    assert n > 2_500_000  # live and terminated GB postcodes
    assert no_lsoa / n < 0.001
    assert ni == 0  # Northern Ireland's postcodes are under a different licence
    # A terminated postcode keeps its place through its LSOA.
    row = geo.execute("select is_live, lad_code, located_by from geo_postcode"
                      " where postcode = 'DY8 4JB'").fetchall()[0]
    assert row == (False, "E08000027", "lsoa_centroid")
    assert geo.execute("select count(*) from geo_icb where geometry_wkb is not null").fetchall()[0][0] == 42


def test_region_build(tmp_path):
    path = tmp_path / "wv.duckdb"
    report = build_geography(path, areas=["WV"])
    assert report.scope == "WV"
    assert cache_is_current(path, scope="WV")
    assert not cache_is_current(path, scope="GB")
    con = duckdb.connect(str(path), read_only=True)
    lad = con.execute("select lad_code from geo_postcode where postcode = 'WV10 0QP'").fetchall()
    assert lad == [("E08000031",)]
    assert con.execute("select count(*) from geo_postcode where postcode not like 'WV%'").fetchall() == [(0,)]
    # Whole LADs are kept, so Wolverhampton's area is complete.
    area = con.execute("select area_km2 from geo_lad where lad_code = 'E08000031'").fetchall()[0][0]
    assert area == pytest.approx(69.4, rel=0.02)
    con.close()


def test_bad_area_is_refused(tmp_path):
    with pytest.raises(ValueError, match="is not a postcode area"):
        build_geography(tmp_path / "x.duckdb", areas=["B1"])


def test_radius_selects_the_postcodes_expected(demo_copy):
    """10 km of any RXK site (Sandwell General B71 4HJ, City Hospital B18 7QH, Rowley Regis
    B65 8DA, Midland Met B66 2QT). Distances worked from the OS grid references."""
    from anchor.db import Warehouse
    from anchor.places import Place
    from anchor.queries.geo import local_postcodes

    wh = Warehouse(demo_copy)
    got = local_postcodes(wh, "RXK", Place.within_km(10),
                          ["B70 9PL", "DY1 2HQ", "WS2 9PS", "WV10 0QP", "B15 2TH", "CV1 5FB"])
    assert got == {
        "B70 9PL": True,   # West Bromwich: 2.3 km from Sandwell General
        "DY1 2HQ": True,   # Russells Hall: 4.9 km from Rowley Regis
        "WS2 9PS": True,   # Walsall Manor: 6.1 km from Sandwell General
        "WV10 0QP": False,  # New Cross: 10.8 km from Sandwell General, further from the rest
        "B15 2TH": True,   # Queen Elizabeth Hospital: 4.0 km from City Hospital
        "CV1 5FB": False,  # Coventry: over 30 km away
    }
    wh.close()


def test_only_great_britain(geo):
    """The Channel Islands and the Isle of Man are not in Great Britain: Code-Point Open has
    no coordinates for them, and the ONS lookup only the pseudo LADs L99999999 and
    M99999999. They are left out as Northern Ireland is."""
    outside = geo.execute(
        "select count(*) from geo_postcode"
        " where regexp_extract(postcode, '^[A-Z]+') in ('GY', 'JE', 'IM', 'BT')").fetchall()
    assert outside == [(0,)]
    pseudo = geo.execute("select lad_code from geo_lad where lad_code like '_99999999'"
                         " or lad_name like 'Pseudo%'").fetchall()
    assert pseudo == []
    assert geo.execute("select count(*) from geo_postcode where lad_code like '_99999999'"
                       ).fetchall() == [(0,)]


def test_a_known_postcode_with_no_location(geo):
    """A few live postcodes of the ONS lookup have no LSOA, LAD or coordinates: they stay
    known, and nothing claims a location for them."""
    row = geo.execute("select is_live, lsoa_code, lad_code, easting, lat, located_by"
                      " from geo_postcode where postcode = 'BD98 1GA'").fetchall()
    assert row == [(True, None, None, None, None, None)]


@pytest.mark.parametrize("areas, message", [
    (["JE"], "JE is Jersey (the Channel Islands), which is not in Great Britain's geography"),
    (["B", "BT"], "BT is Northern Ireland, which is not in Great Britain's geography"),
])
def test_areas_outside_great_britain_are_refused(tmp_path, areas, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        build_geography(tmp_path / "x.duckdb", areas=areas)


def test_the_list_of_local_authorities_has_no_pseudo_codes(fixture_wh):
    from anchor.queries import reference

    fixture_wh.rows("insert into geo_lad (lad_code, lad_name) values"
                    " ('L99999999', 'Pseudo (Channel Islands)'),"
                    " ('M99999999', 'Pseudo (Isle of Man)'), ('E99999999', 'Pseudo (England)'),"
                    " ('X00000001', 'Pseudo district')")
    assert reference.lads(fixture_wh).values.tolist() == [
        ["E08000025", "Birmingham"], ["E08000028", "Sandwell"], ["E09000033", "Westminster"]]


def test_a_supplier_at_a_postcode_with_no_location_cannot_be_placed(fixture_wh):
    """S4 (£50 in one invoice line, fixture_warehouse.py) moves to a postcode the geography
    knows but cannot place."""
    from anchor.queries.loads import supplier_postcode_problems

    fixture_wh.rows("insert into geo_postcode (postcode, is_live, lsoa_from_neighbour)"
                    " values ('BD98 1GA', true, false)")
    fixture_wh.rows("update supplier set postcode = 'BD98 1GA' where supplier_id = 'S4'")
    problems = supplier_postcode_problems(fixture_wh)
    assert problems[["supplier_id", "problem", "problem_text", "spend_gbp",
                     "invoice_lines"]].values.tolist() == [
        ["S4", "unlocated", "BD98 1GA is a known postcode with no location in the geography",
         50.0, 1]]


def test_every_postcode_problem_is_said_in_a_sentence(fixture_wh):
    from anchor.queries.loads import supplier_postcode_problems

    fixture_wh.rows("update supplier set postcode = null where supplier_id = 'S1'")
    fixture_wh.rows("update supplier set postcode = 'B7' where supplier_id = 'S2'")
    problems = supplier_postcode_problems(fixture_wh)
    # largest spend first: S2 £300, S1 £180 (100 - 20 + 100), S4 £50
    assert problems[["supplier_id", "problem", "problem_text"]].values.tolist() == [
        ["S2", "invalid", "'B7' is not a postcode"],
        ["S1", "missing", "No postcode"],
        ["S4", "unknown", "ZZ9 9ZZ is not in the geography"]]


def test_a_cache_another_process_is_writing_is_refused_in_words(tmp_path):
    import subprocess
    import sys

    from anchor.auth import setup_user
    from anchor.db import Warehouse, WarehouseError
    from anchor.geography.install import install_geography

    cache = tmp_path / "geography.duckdb"
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
         "print('open', flush=True); time.sleep(60)", str(cache)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        wh = Warehouse(tmp_path / "anchor.duckdb")
        with pytest.raises(WarehouseError, match="being written by another process"):
            install_geography(wh, cache, setup_user())
        wh.close()
    finally:
        holder.kill()
        holder.wait()
