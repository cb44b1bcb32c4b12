"""The geography built from the open data packages: postcodes, LADs, ICBs."""

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
