"""Metric queries against the fixture warehouse; expected values worked by hand in
tests/fixture_warehouse.py."""

from datetime import date

import pandas as pd
import pytest

from anchor import metrics
from anchor.places import Place
from anchor.queries import estate, reference, spend, workforce
from tests.fixture_warehouse import BIRMINGHAM, Q1_2023, Q1_2024, Q2_2024, SANDWELL

FP1 = Place.of_lads("Fixture footprint", [SANDWELL, BIRMINGHAM])
FY_2024 = (date(2024, 4, 1), date(2025, 1, 1))


def test_local_spend_share_all_and_influenceable(fixture_wh):
    row = spend.spend_totals(fixture_wh, ["AAA"], Q1_2024, Q1_2024, FP1).iloc[0]
    assert row["spend_gbp"] == pytest.approx(2030.00)  # Tax is out of scope
    assert row["local_gbp"] == pytest.approx(580.00)  # S1 80 + S2 300 + S5 200
    assert row["unplaced_gbp"] == pytest.approx(50.00)  # S4's postcode is unknown
    assert row["influenceable_gbp"] == pytest.approx(830.00)  # no Framework, no public body
    assert row["influenceable_local_gbp"] == pytest.approx(380.00)
    assert row["influenceable_unplaced_gbp"] == pytest.approx(50.00)
    assert row["invoice_lines"] == 7
    all_ = metrics.spend_share(row, influenceable=False)
    infl = metrics.spend_share(row, influenceable=True)
    # shares are of the spend whose supplier is placed: S4's £50 is neither local nor not
    assert all_.share == pytest.approx(580 / 1980)  # 29.29%
    assert infl.share == pytest.approx(380 / 780)  # 48.72%
    assert all_.coverage == pytest.approx(1980 / 2030)  # 97.5%, above the 80% a share needs
    assert all_.unplaced_share == pytest.approx(50 / 2030)


def test_single_lad_place(fixture_wh):
    sandwell = Place.of_lads("Sandwell", [SANDWELL])
    row = spend.spend_totals(fixture_wh, ["AAA"], Q1_2024, Q1_2024, sandwell).iloc[0]
    assert row["local_gbp"] == pytest.approx(80.00)  # only S1, net of its credit note


@pytest.mark.parametrize("km, local", [(0.5, 0.0), (2, 80.0), (6, 580.0)])
def test_radius_place_measures_from_the_organisations_sites(fixture_wh, km, local):
    # S1 is 990 m from AAA's site; S2 and S5 are 5.82 km away.
    row = spend.spend_totals(fixture_wh, ["AAA"], Q1_2024, Q1_2024, Place.within_km(km)).iloc[0]
    assert row["local_gbp"] == pytest.approx(local)


def test_spend_by_org_and_quarter(fixture_wh):
    by_org = spend.spend_totals(fixture_wh, ["AAA", "BBB"], Q1_2024, Q1_2024, FP1, ("org",))
    assert list(by_org["org_code"]) == ["AAA", "BBB"]
    assert list(by_org["local_gbp"]) == pytest.approx([580.0, 0.0])
    assert list(by_org["spend_gbp"]) == pytest.approx([2030.0, 1000.0])
    by_q = metrics.add_spend_shares(
        spend.spend_totals(fixture_wh, ["AAA"], Q1_2023, Q1_2024, FP1, ("quarter",)))
    assert list(by_q["quarter_start"].dt.date) == [Q1_2023, Q1_2024]
    assert list(by_q["local_share"]) == pytest.approx([100 / 400, 580 / 1980])
    assert list(by_q["placed_share"]) == pytest.approx([1.0, 1980 / 2030])


def test_bad_grouping_is_refused(fixture_wh):
    with pytest.raises(ValueError, match="Cannot group by"):
        spend.spend_totals(fixture_wh, ["AAA"], Q1_2024, Q1_2024, FP1, ("amount_gbp; drop",))


def test_residents_employed_snapshot_and_flows(fixture_wh):
    row = workforce.workforce_totals(fixture_wh, ["AAA"], *FY_2024, FP1).iloc[0]
    # Headcount is the latest quarter held (Q2): 12 + 4 + 2 with no home.
    assert row["headcount"] == 18
    assert row["local_headcount"] == 16
    assert row["local_fte"] == pytest.approx(14.0)
    assert row["unplaced_headcount"] == 2
    assert row["below_living_wage"] == 1
    # Pay, starters and apprentices add up over both quarters.
    assert row["gross_pay_gbp"] == pytest.approx(170_000)
    assert row["local_gross_pay_gbp"] == pytest.approx(130_000)
    assert row["starters"] == 9
    assert row["local_starters"] == 9
    assert row["apprentices"] == 2
    assert row["snapshot_quarter"].date() == Q2_2024
    r = metrics.residents_employed(row)
    assert r.share == pytest.approx(16 / 18)


def test_residents_in_one_quarter(fixture_wh):
    row = workforce.workforce_totals(fixture_wh, ["AAA"], Q1_2024, Q1_2024, FP1).iloc[0]
    assert (row["headcount"], row["local_headcount"]) == (13, 10)


def test_residents_by_quarter(fixture_wh):
    df = workforce.residents_by_quarter(fixture_wh, ["AAA"], *FY_2024, FP1)
    assert list(df["headcount"]) == [13, 18]
    assert list(df["local_headcount"]) == [10, 16]
    assert list(df["unplaced_headcount"]) == [0, 2]


def test_land_not_delivering_services(fixture_wh):
    both = estate.estate_totals(fixture_wh, ["AAA", "BBB"], *FY_2024, FP1).iloc[0]
    # AAA01's latest return (Q2) says 2.0 ha; BBB01's only return says 0.5 ha.
    assert both["land_not_delivering_ha"] == pytest.approx(2.5)
    assert both["site_area_ha"] == pytest.approx(15.0)
    assert both["sites"] == 2
    sandwell = estate.estate_totals(fixture_wh, ["AAA", "BBB"], *FY_2024,
                                    Place.of_lads("Sandwell", [SANDWELL])).iloc[0]
    assert sandwell["land_not_delivering_ha"] == pytest.approx(2.0)


def test_reference_queries(fixture_wh):
    assert list(reference.organisations(fixture_wh, "FP1")["org_code"]) == ["AAA", "BBB"]
    assert list(reference.footprint_lads(fixture_wh, "FP1")["lad_name"]) == ["Birmingham", "Sandwell"]
    assert reference.data_quarters(fixture_wh, ["BBB"]) == [Q1_2024]
    assert reference.data_quarters(fixture_wh, ["AAA"]) == [Q1_2023, Q1_2024, Q2_2024]
    assert reference.has_demo_data(fixture_wh) is False


def test_buying_together_counts_only_what_the_switch_counts(fixture_wh):
    from anchor import tables
    sup = spend.supplier_summary(fixture_wh, ["AAA", "BBB"], Q1_2024, Q1_2024, FP1)
    # S3 is paid by both: AAA Catering 400 + Framework 1,000, BBB Catering 1,000 (Tax is out of scope).
    all_ = tables.shared_suppliers(sup, influenceable=False)
    assert list(zip(all_["Supplier"], all_["Combined spend (£)"], all_["Paid by"])) == [
        ("London Three plc", 2400.0, "AAA, BBB")]
    infl = tables.shared_suppliers(sup, influenceable=True)  # the framework cannot be redirected
    assert list(zip(infl["Supplier"], infl["Combined spend (£)"])) == [("London Three plc", 1400.0)]
    # A supplier both pay only through a national framework is no opportunity to buy together.
    framework_only = sup.assign(influenceable_organisations=1)
    assert tables.shared_suppliers(framework_only, influenceable=True).empty
    assert len(tables.shared_suppliers(framework_only, influenceable=False)) == 1


def test_a_known_postcode_with_no_location_is_unplaced(fixture_wh):
    """Some postcodes in the ONS lookup have neither a location nor an LSOA: spend with a
    supplier there cannot be placed, just as with an unknown postcode."""
    with fixture_wh.transaction() as cur:
        cur.execute("insert into geo_postcode (postcode, is_live, located_by) values"
                    " ('ZZ9 9ZZ', true, 'none')")  # S4's postcode, now known but unlocated
    row = spend.spend_totals(fixture_wh, ["AAA"], Q1_2024, Q1_2024, FP1).iloc[0]
    assert row["unplaced_gbp"] == pytest.approx(50.00)
    assert row["local_gbp"] == pytest.approx(580.00)


def test_categories_bought_together_follow_the_switch(fixture_wh):
    from anchor import tables
    cats = spend.shared_categories(fixture_wh, ["AAA", "BBB"], Q1_2024, Q1_2024, FP1)
    # Catering: AAA's S1 80 (net of its credit note), S2 300, S3 400, S4 50, S5 200; BBB's S3 1,000.
    all_ = tables.shared_category_savings(cats, influenceable=False, saving=0.1)
    assert all_.to_dict("records") == [{
        "Category": "Catering", "Organisations": 2, "Bought by": "AAA, BBB", "Suppliers used": 5,
        "Combined spend (£)": 2030.0, "Estimated saving (£)": 203.0}]
    # Influenceable: not S5, a public body. Framework is AAA's alone, and not influenceable.
    infl = tables.shared_category_savings(cats, influenceable=True, saving=0.1)
    assert infl.to_dict("records") == [{
        "Category": "Catering", "Organisations": 2, "Bought by": "AAA, BBB", "Suppliers used": 4,
        "Combined spend (£)": 1830.0, "Estimated saving (£)": 183.0}]


@pytest.mark.parametrize("by", [(), ("quarter",), ("org",), ("lad",), ("lsoa",), ("category",),
                                ("org", "supplier")])
@pytest.mark.parametrize("place", [FP1, Place.within_km(1)], ids=["lads", "radius"])
def test_the_spend_summary_gives_the_invoice_lines_figures(fixture_wh, by, place):
    lines = spend.spend_totals(fixture_wh, ["AAA", "BBB"], Q1_2023, Q1_2024, place, by)
    kept = spend.spend_totals(fixture_wh, ["AAA", "BBB"], Q1_2023, Q1_2024, place, by,
                              source="summary")
    pd.testing.assert_frame_equal(lines, kept)
    assert lines["invoice_lines"].sum() == 10  # S1's two lines in AAA's 2024/25 Q1 count two
    with pytest.raises(ValueError, match="choose from lines, summary"):
        spend.spend_totals(fixture_wh, ["AAA"], Q1_2024, Q1_2024, place, source="spend")
