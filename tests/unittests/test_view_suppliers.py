"""The Local suppliers page's view on the hand-worked fixture warehouse
(tests/fixture_warehouse.py), AAA and BBB in Fixture footprint (Sandwell and Birmingham),
2024/25 Q1, with a directory of three businesses:

    B1 Tipton Bakes    B70 9PL Sandwell     Catering            approved
    B2 Far Away Ltd    SW1A 1AA Westminster Catering            not approved: outside the place
    B3 Brum Clean CIC  B18 7QH Birmingham   Cleaning, Catering  approval unknown; supplier S2

Catering's influenceable spend: AAA 830 (S1 80, S2 300, S3 400, S4 50; S5 is a public body)
and BBB's S3 1,000: 1,830, of which S1 80 + S2 300 = 380 local, so 1,450 outside the place,
with two suppliers (S3, and S4 whose location is not known). Nothing is spent on Cleaning.
"""

from __future__ import annotations

import pytest

from anchor.filters import Filters
from anchor.measures import WarehouseSource
from anchor.periods import Period
from anchor.places import Place
from anchor.views import suppliers
from tests.fixture_warehouse import BIRMINGHAM, Q1_2024, SANDWELL

FP1 = Place.of_lads("Fixture footprint", [SANDWELL, BIRMINGHAM])
FILTERS = Filters("FP1", "Fixture footprint", ("AAA", "BBB"), Period(Q1_2024, Q1_2024), FP1)


@pytest.fixture
def directory_wh(fixture_wh):
    fixture_wh.rows(
        "insert into local_business (business_id, name, postcode, categories, is_sme,"
        " health_approved, supplier_id) values"
        " ('B1', 'Tipton Bakes', 'B70 9PL', ['Catering'], true, true, null),"
        " ('B2', 'Far Away Ltd', 'SW1A 1AA', ['Catering'], true, false, null),"
        " ('B3', 'Brum Clean CIC', 'B18 7QH', ['Cleaning', 'Catering'], true, null, 'S2')")
    return fixture_wh


def test_tiles(directory_wh):
    view = suppliers.build(WarehouseSource(directory_wh), FILTERS)
    assert view.empty_md is None
    assert list(view.businesses["name"]) == ["Brum Clean CIC", "Tipton Bakes"]  # not Far Away
    assert [(t.label, t.value, t.detail) for t in view.tiles] == [
        ("Local businesses in the directory", "2", "1 already supply the organisations"),
        ("Approved for health-sector supply", "1", "Ready to bid for NHS contracts"),
        ("Categories they cover", "2", None),  # Catering, Cleaning
        ("Spend they could win", "£1.4k", "Influenceable spend outside the place in 2024/25 "
         "Q1, in categories local businesses supply"),  # 1,450
    ]


def test_opportunities_and_who_could_supply(directory_wh):
    view = suppliers.build(WarehouseSource(directory_wh), FILTERS)
    # Cleaning has no spend, so Catering is the only opportunity.
    assert view.categories == ["Catering"]
    assert list(view.chart["label"]) == ["£1.4k"]
    assert list(view.chart["bar"]) == ["Catering<br>2 local businesses"]
    row = view.opportunities.download.iloc[0].to_dict()
    assert row == {"Category": "Catering", "Influenceable spend (£)": 1830.0,
                   "Spent outside the place (£)": 1450.0, "Suppliers outside the place": 2,
                   "Local businesses that can supply": 2,
                   "Of which approved for health-sector supply": 1}
    assert view.opportunities.shown.iloc[0]["Spent outside the place"] == "£1.4k"
    assert view.opportunities.title == "Opportunities 2024/25 Q1"
    assert view.opportunities.notes[1] == "Period: 2024/25 Q1."
    able = view.able("Catering")
    assert list(able.columns) == ["Business", "Based in", "Health-sector approved",
                                  "Already a supplier"]
    assert able.values.tolist() == [["Brum Clean CIC", "Birmingham", "Unknown", "Yes"],
                                    ["Tipton Bakes", "Sandwell", "Yes", "No"]]
    assert list(view.able("Cleaning")["Business"]) == ["Brum Clean CIC"]


def test_map_and_showcase(directory_wh):
    view = suppliers.build(WarehouseSource(directory_wh), FILTERS)
    # Approval unknown counts as not yet approved.
    assert list(view.map.points["group"]) == [suppliers.NOT_APPROVED, suppliers.APPROVED]
    assert view.map.hover_text == ["B18 7QH · Cleaning; Catering", "B70 9PL · Catering"]
    # Most businesses first; approved businesses first within a category.
    assert [s.title_md for s in view.showcase] == [
        "Catering: 2 businesses, 1 health-sector approved",
        "Cleaning: 1 businesses, 0 health-sector approved"]
    assert list(view.showcase[0].table["Business"]) == ["Tipton Bakes", "Brum Clean CIC"]
    assert "Can supply" not in view.showcase[0].table
    assert list(view.directory.download["Can supply"]) == ["Cleaning; Catering", "Catering"]
    assert view.directory.title == "What our place can supply"


def test_an_empty_directory(fixture_wh):
    view = suppliers.build(WarehouseSource(fixture_wh), FILTERS)
    assert view.empty_md == ("The directory has no businesses in Fixture footprint. Load one "
                             "below, or choose another place in the sidebar.")
    assert view.tiles == () and view.map is None and view.categories == []
