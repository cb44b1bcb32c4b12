"""The Estates and assets view on the hand-worked fixture warehouse (tests/fixture_warehouse.py):
tiles, tables, SPC and definitions, worked out by hand from ESTATE and ESTATE_USE. The estate
holds no counts of people, so no figure here is withheld."""

import pytest

from anchor.filters import Filters
from anchor.measures import WarehouseSource
from anchor.periods import Period
from anchor.places import Place
from anchor.views import estates as view
from tests.fixture_warehouse import BIRMINGHAM, Q1_2024, Q2_2024, SANDWELL, WESTMINSTER

FP1 = Place.of_lads("Fixture footprint", [SANDWELL, BIRMINGHAM])


def _build(wh, first=Q2_2024, last=Q2_2024, orgs=("AAA", "BBB"), place=FP1):
    return view.build(WarehouseSource(wh), Filters("FP1", "Fixture footprint", orgs,
                                                   Period(first, last), place))


def test_tiles_of_a_quarter(fixture_wh):
    built = _build(fixture_wh)
    tiles = {t.label: t for t in built.tiles}
    # 2024/25 Q2: only AAA01 returned. 2.0 of its 10.0 ha (20.0%); no return a year earlier.
    land = tiles["Land not delivering services"]
    assert (land.value, land.delta) == ("2.0 ha", None)
    assert land.detail == "20.0% of 10.0 ha at 1 site: land that could be released"
    # Empty 500 + under-used 300 of 20,000 m²: 4.0%, 1.5 points over the 2.5% limit.
    empty = tiles["Empty or under-used space"]
    assert (empty.value, empty.delta, empty.delta_color) == ("4.0%", "+1.5 pts vs 2.5% limit", "inverse")
    assert empty.detail == "500 m² empty and 300 m² under-used of 20,000 m²"
    # Non-clinical 8,000 of 20,000 m²: 40.0%, 5 points over Carter's 35%.
    non_clinical = tiles["Non-clinical floor space"]
    assert (non_clinical.value, non_clinical.delta) == ("40.0%", "+5.0 pts vs Carter's 35%")
    assert non_clinical.detail == "8,000 m² of 20,000 m² gross internal area"
    # £1,100,000 of backlog over 20,000 m²: £55 a m².
    backlog = tiles["Backlog maintenance"]
    assert (backlog.value, backlog.detail) == ("£1.1m", "£55/m² of floor area, at the latest returns")
    carbon = tiles["Carbon from energy, tCO2e"]  # 80.0 tCO2e from 400,000 kWh
    assert (carbon.value, carbon.detail) == ("80", "400 MWh of energy used in 2024/25 Q2")
    assert tiles["Community use, hours"].value == "150"


def test_tiles_of_the_year_take_each_sites_latest_return(fixture_wh):
    built = _build(fixture_wh, Q1_2024, Q2_2024)
    tiles = {t.label: t.value for t in built.tiles}
    # AAA01's Q2 return (2.0 ha) and BBB01's Q1 (0.5 ha); empty 500 + 100 and under-used
    # 300 + 100 of 28,000 m²: 3.6%; backlog 1.1m + 0.4m; carbon and hours over both quarters:
    # 100 + 80 + 40 tCO2e, 120 + 150 + 60 hours.
    assert tiles == {
        "Land not delivering services": "2.5 ha", "Empty or under-used space": "3.6%",
        "Non-clinical floor space": "39.3%",  # 8,000 + 3,000 of 28,000
        "Backlog maintenance": "£1.5m", "Carbon from energy, tCO2e": "220",
        "Community use, hours": "330",
    }


def test_tables(fixture_wh):
    built = _build(fixture_wh, Q1_2024, Q1_2024)
    # Q1: both sites; Alpha General's 20,000 m² before Beta City's 8,000.
    assert list(built.by_site.shown["Site"]) == ["Alpha General (AAA)", "Beta City (BBB)"]
    assert list(built.by_site.download["Site code"]) == ["AAA01", "BBB01"]
    # Alpha: 700 of 20,000 m² (3.5%); Beta: 200 of 8,000 (2.5%).
    assert list(built.by_site.download["Empty or under-used (%)"]) == [3.5, 2.5]
    assert list(built.by_site.download["Latest return"]) == ["2024/25 Q1", "2024/25 Q1"]
    # Both have land not delivering services: Alpha's 1.5 ha first.
    release = built.release.shown
    assert list(release["Site"]) == ["Alpha General (AAA)", "Beta City (BBB)"]
    assert list(release["Land not delivering services"]) == ["1.5 ha", "0.5 ha"]
    assert list(release["Share of the site"]) == ["15.0%", "10.0%"]  # of 10 ha and of 5 ha
    assert list(built.release.download["Share of site area (%)"]) == [15.0, 10.0]
    orgs = built.organisations
    assert list(orgs.shown["Organisation"]) == ["AAA · Alpha Hospitals", "BBB · Beta Healthcare"]
    assert list(orgs.download["Name"]) == ["Alpha Hospitals NHS Trust", "Beta Healthcare NHS Trust"]
    assert list(orgs.download["Backlog per m2 (GBP)"]) == [50.0, 50.0]  # 1m of 20,000; 0.4m of 8,000
    assert (orgs.key, built.by_site.key, built.release.key) == (
        "estates-orgs", "estates-sites", "estates-release")
    assert built.unplaced is None


def test_spc_grid(fixture_wh):
    built = _build(fixture_wh)
    cards = built.spc.cards(20)
    assert [c.key for c in cards] == ["spc-empty_underused_share", "spc-non_clinical_share",
                                      "spc-backlog_per_m2", "spc-carbon_tco2e"]
    # Q1: 900 of 28,000 m²; Q2: 800 of 20,000. Target at most 2.5%.
    empty = cards[0].result
    assert empty.improvement == "down" and empty.target == pytest.approx(0.025)
    assert empty.mean == pytest.approx((900 / 28_000 + 800 / 20_000) / 2)
    assert cards[2].result.mean == pytest.approx((50.0 + 55.0) / 2)  # £ per m²
    assert cards[3].result.mean == pytest.approx((140.0 + 80.0) / 2)  # tCO2e
    assert cards[0].note == ("Empty plus under-used m² ÷ GIA of the sites returning that quarter; "
                             "target at most 2.5%.")
    # A window of one quarter is too few to chart.
    assert all(c.result is None for c in built.spc.cards(1))


def test_definitions_and_no_returns(fixture_wh):
    d = dict(_build(fixture_wh).definitions)
    assert d["Snapshot and flows"].startswith(
        "Land, floor space and backlog come from each site's latest return in 2024/25 Q2 (the "
        "latest is 2024/25 Q2)")
    assert d["Non-clinical floor space"].endswith("set at most 35%.")
    westminster = Place.of_lads("Westminster", [WESTMINSTER])
    built = _build(fixture_wh, place=westminster)
    assert built.no_returns.startswith("No site in Westminster has an estates return for 2024/25 Q2.")
