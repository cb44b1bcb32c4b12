"""The Data page's view on the hand-worked fixture warehouse (tests/fixture_warehouse.py)."""

from __future__ import annotations

import pytest

from anchor import loading
from anchor.filters import Filters
from anchor.measures import WarehouseSource
from anchor.periods import Period
from anchor.places import Place
from anchor.views import data
from tests.fixture_warehouse import BIRMINGHAM, Q1_2024, SANDWELL
from tests.unittests.test_loading import ANALYST, checked_csv

FP1 = Place.of_lads("Fixture footprint", [SANDWELL, BIRMINGHAM])
FILTERS = Filters("FP1", "Fixture footprint", ("AAA", "BBB"), Period(Q1_2024, Q1_2024), FP1)


@pytest.fixture
def view(fixture_wh) -> data.DataView:
    return data.build(WarehouseSource(fixture_wh), FILTERS)


def test_nothing_to_show_before_anything_is_loaded(fixture_wh):
    # with no sidebar choice and no load (the geography's aside), the page says what to load
    empty = data.build(WarehouseSource(fixture_wh), None)
    assert empty.empty and empty.checks == ()
    assert not data.build(WarehouseSource(fixture_wh), FILTERS).empty


def test_spend_held_by_month(view):
    assert view.org_names == {"AAA": "Alpha Hospitals", "BBB": "Beta Healthcare"}
    held = view.held[view.held["Lines"] != "not held"]
    # AAA's April 2024: 100 - 20 + 300 + 400 + 1,000 + 50 + 200 + 5,000 = £7,030 in 8 lines;
    # BBB's: S3's £1,000; AAA's April 2023: S1 £100 and S3 £300
    assert held[["Organisation", "Month", "Lines", "Spend"]].values.tolist() == [
        ["AAA · Alpha Hospitals", "April 2024", "8", "£7.0k"],
        ["BBB · Beta Healthcare", "April 2024", "1", "£1.0k"],
        ["AAA · Alpha Hospitals", "April 2023", "2", "£400"]]
    assert set(view.held["Quarter held"]) == {"partial: 1 of 3 months"}
    # one month of three in each of AAA's two quarters and BBB's one
    assert view.held_caption.endswith("organisation-quarters partial.")
    assert "3 organisation-quarters partial." in view.held_caption


def test_the_data_quality_checks(view):
    checks = {c.title: c for c in view.checks}
    assert list(checks) == [
        "Suppliers whose spend cannot be placed", "Sites that cannot be placed",
        "Staff whose home cannot be placed", "Suppliers without SME or VCSE flags",
        "Quarters missing"]
    unplaced = checks["Suppliers whose spend cannot be placed"]
    # S4's ZZ9 9ZZ is no postcode the geography knows: its one £50 line
    assert unplaced.found and unplaced.caption.startswith("1 supplier, £50 of spend, whose")
    assert unplaced.table[["Id", "Postcode", "Spend", "Invoice lines"]].values.tolist() == [
        ["S4", "ZZ9 9ZZ", "£50", "1"]]
    assert view.unplaced["supplier_id"].tolist() == ["S4"]
    sites = checks["Sites that cannot be placed"]
    assert not sites.found and sites.caption == (
        "None: every site has a postcode the geography knows and can place.")
    staff = checks["Staff whose home cannot be placed"]
    # AAA's 2024/25 Q2: 2 admin staff with no home LSOA, a count of 1 to 4, shown as *
    assert staff.table.values.tolist() == [["Alpha Hospitals", "2024/25 Q2", "None", "*"]]
    assert not checks["Suppliers without SME or VCSE flags"].found
    gaps = checks["Quarters missing"].table
    # spend runs from 2023/24 Q1 to 2024/25 Q1: AAA misses the three quarters between, BBB
    # the four before its first; BBB has no workforce return, and no estate return in Q2
    assert gaps[["Data", "Organisation", "Quarters missing"]].values.tolist() == [
        ["Estates", "BBB · Beta Healthcare", 1], ["Spend", "AAA · Alpha Hospitals", 3],
        ["Spend", "BBB · Beta Healthcare", 4], ["Workforce", "BBB · Beta Healthcare", 2]]


def test_the_audit_trail_shows_a_load(fixture_wh):
    text = "org_code,paid_date,supplier_id,category,amount_gbp\nAAA,15/07/2024,S1,Catering,100\n"
    result = loading.load(fixture_wh, checked_csv(fixture_wh, "spend", text, "july.csv"), ANALYST)
    view = data.build(WarehouseSource(fixture_wh), FILTERS)
    assert view.history["load_id"].tolist() == [result.load_id]
    row = view.loads.iloc[0]
    assert (row["File"], row["Rows added"], row["Outcome"]) == ("july.csv", "1", "Loaded")
    assert not view.has_demo


def test_the_demo_is_offered_for_removal_while_it_is_there(fixture_wh):
    fixture_wh.rows("update organisation set is_demo = true where org_code = 'BBB'")
    assert data.build(WarehouseSource(fixture_wh), FILTERS).has_demo
