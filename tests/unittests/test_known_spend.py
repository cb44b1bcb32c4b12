"""Honest headlines: a local share is of the spend whose supplier location is known, and is
not yet known below the share of spend a figure needs; SME and VCSE shares likewise."""

import pandas as pd
import pytest

from anchor import lm3, metrics, narrative, place_story, tables
from anchor.config import KNOWN_SPEND_MIN_SHARE
from anchor.metrics import FlaggedShare, SpendShare


def test_a_share_is_of_the_placed_spend_and_says_how_much_that_is():
    s = SpendShare(local_gbp=300.0, spend_gbp=1000.0, unplaced_gbp=100.0)
    assert s.placed_gbp == 900.0
    assert s.coverage == pytest.approx(0.9)
    assert s.share == pytest.approx(300 / 900)  # 33.3%, not 30.0%
    assert narrative.spend_sentence("2020/21 Q1", "the footprint", "in Sandwell",
                                    "in-scope spend", s, None) == (
        "In 2020/21 Q1, 33.3% (£300) of the footprint's in-scope spend (of the 90.0% whose "
        "supplier location is known) went to suppliers in Sandwell.")
    assert narrative.local_share_tile(s, "in-scope spend") == (
        "33.3%", "£300 of £900 in-scope spend (of the 90.0% whose supplier location is known)")


def test_all_of_it_placed_says_nothing_of_coverage():
    s = SpendShare(250.0, 1000.0, 0.0)
    assert s.share == 0.25 and s.coverage == 1.0
    assert narrative.local_share_tile(s, "in-scope spend") == ("25.0%",
                                                               "£250 of £1.0k in-scope spend")


def test_the_threshold_itself_is_enough_and_just_below_it_is_not():
    assert KNOWN_SPEND_MIN_SHARE == 0.8
    assert SpendShare(10.0, 100.0, 20.0).share == pytest.approx(10 / 80)
    below = SpendShare(10.0, 100.0, 20.01)
    assert below.share is None and not below.is_known


def test_published_files_with_no_supplier_postcodes_are_not_yet_known_never_zero():
    # a month of a trust's "over £25k" file: £38.0m, suppliers with no postcode but £1.2m
    s = SpendShare(local_gbp=0.0, spend_gbp=38_000_000.0, unplaced_gbp=36_800_000.0)
    assert s.share is None
    value, detail = narrative.local_share_tile(s, "in-scope spend")
    assert value == "Not yet known"
    assert detail == ("Supplier location known for only 3.2% of £38.0m in-scope spend; a "
                      "share needs 80%")
    sentence = narrative.spend_sentence("2020/21 Q1", "RQM", "in the place", "in-scope spend",
                                        s, None)
    assert sentence.startswith(
        "In 2020/21 Q1, the local share of RQM's in-scope spend is not yet known: only 3.2% of "
        "it (£1.2m of £38.0m) is paid to suppliers whose location is known, and a share needs "
        "80%.")
    assert "0.0%" not in sentence and "supplier register" in sentence
    story = place_story.spend_sentence("2020/21 Q1", "RQM", "in the place", "in-scope spend",
                                       s, None)
    assert "not yet known" in story and "£0" not in story
    # nothing spent is not the same as not known
    assert narrative.spend_sentence("2020/21 Q1", "RQM", "in the place", "in-scope spend",
                                    SpendShare(0.0, 0.0, 0.0), None) == (
        "In 2020/21 Q1, RQM recorded no in-scope spend.")


def test_a_year_earlier_not_known_is_not_compared():
    now, then = SpendShare(300.0, 1000.0, 0.0), SpendShare(0.0, 1000.0, 900.0)
    text = narrative.spend_sentence("Q", "the footprint", "in X", "in-scope spend", now, then)
    assert text == "In Q, 30.0% (£300) of the footprint's in-scope spend went to suppliers in X."


def test_sme_share_is_of_flagged_spend():
    row = {"sme_gbp": 200.0, "sme_known_gbp": 500.0, "spend_gbp": 600.0,
           "influenceable_sme_gbp": 0.0, "influenceable_sme_known_gbp": 100.0,
           "influenceable_gbp": 400.0}
    sme = metrics.flagged_share(row, "sme", influenceable=False)
    assert sme.share == pytest.approx(200 / 500) and sme.coverage == pytest.approx(500 / 600)
    assert narrative.flagged_share_tile(sme, "SME", "in-scope spend") == (
        "40.0%", "£200 of £500 in-scope spend (of the 83.3% whose supplier is flagged SME or "
                 "not)")
    infl = metrics.flagged_share(row, "sme", influenceable=True)
    assert infl.share is None  # 100 of 400 flagged: 25%
    assert narrative.flagged_share_tile(infl, "SME", "influenceable spend") == (
        "Not yet known", "Only 25.0% of £400 influenceable spend is paid to suppliers flagged "
                         "SME or not; a share needs 80%")
    assert FlaggedShare(0.0, 0.0, 0.0).share is None


def test_quarterly_shares_leave_a_gap_where_too_little_is_placed():
    df = pd.DataFrame({
        "quarter_start": pd.to_datetime(["2020-01-01", "2020-04-01"]),
        "spend_gbp": [1000.0, 1000.0], "local_gbp": [300.0, 10.0], "unplaced_gbp": [100.0, 950.0],
        "influenceable_gbp": [500.0, 0.0], "influenceable_local_gbp": [100.0, 0.0],
        "influenceable_unplaced_gbp": [0.0, 0.0]})
    out = metrics.add_spend_shares(df)
    assert out["local_share"].iloc[0] == pytest.approx(300 / 900)
    assert pd.isna(out["local_share"].iloc[1])
    assert list(out["placed_share"]) == pytest.approx([0.9, 0.05])
    assert out["influenceable_local_share"].iloc[0] == pytest.approx(0.2)
    assert pd.isna(out["influenceable_local_share"].iloc[1])  # nothing spent


def test_the_organisation_table_says_not_known_rather_than_a_dash():
    by_org = pd.DataFrame({"org_code": ["AAA", "BBB"], "spend_gbp": [100.0, 0.0],
                           "influenceable_gbp": [50.0, 0.0], "local_gbp": [0.0, 0.0],
                           "local_share": [float("nan")] * 2,
                           "influenceable_local_share": [float("nan")] * 2})
    staff = pd.DataFrame({"org_code": [], "headcount": [], "local_headcount": []})
    land = pd.DataFrame({"org_code": [], "land_not_delivering_ha": []})
    t = tables.organisation_summary(by_org, staff, land, {})
    assert list(t["Local share (all)"]) == ["Not known", "–"]


def test_no_multiplier_when_too_little_spend_is_placed():
    suppliers = pd.DataFrame({"supplier_id": ["S1"], "local_gbp": [100.0],
                              "local_spend_share": [None], "local_payroll_share": [None]})
    staff = pd.DataFrame({"org_code": ["AAA"], "local_pay_gbp": [0.0], "local_headcount": [0],
                          "net_pay_local_share": [None]})
    known = lm3.compute(1000.0, suppliers, staff, lm3.Assumptions(), spend_coverage=0.9)
    assert known.lm3 == pytest.approx((1000 + 100 + known.r3_gbp) / 1000)
    unknown = lm3.compute(1000.0, suppliers, staff, lm3.Assumptions(), spend_coverage=0.5)
    assert unknown.lm3 is None and not unknown.is_known
    assert place_story.lm3_sentence("in X", unknown) == (
        "The local multiplier is not yet known: the suppliers of only 50.0% of the in-scope "
        "spend have a known location, and it needs 80%. A supplier is placed by its postcode: "
        "load a supplier register with postcodes on the Data page.")
