"""The Local spend view on the hand-worked fixture warehouse (tests/fixture_warehouse.py).

The fixture's 2024/25 Q1 in-scope lines (Tax is out of scope): AAA pays S1 (Sandwell, SME)
100 and a credit note of -20, S2 (Birmingham, SME and VCSE) 300, S3 (Westminster) 400
Catering and 1,000 Framework, S4 (no known postcode, SME) 50, S5 (Birmingham, public body)
200; BBB pays S3 1,000 Catering. Framework is not influenceable and S5 is a public body, so
influenceable spend is S1 80 + S2 300 + S3 400 + S4 50 + BBB's S3 1,000 = 1,830, of which
S1 and S2 (380) are in the place (Sandwell and Birmingham) and S4's 50 is not placed. A year
earlier (2023/24 Q1) AAA paid S1 100 and S3 300, both Catering. Each line is paid 14 days
into its quarter (April) and the number of days after its invoice date the fixture gives."""

import pytest

from anchor import narrative
from anchor.db import bump_data_version
from anchor.filters import Filters
from anchor.measures import (
    INFLUENCEABLE_DEFINITION,
    LOCAL_SHARE_ALL,
    LOCAL_SHARE_INFLUENCEABLE,
    Selection,
    WarehouseSource,
)
from anchor.periods import Period
from anchor.places import Place
from anchor.views import local_spend
from tests.fixture_warehouse import BIRMINGHAM, Q1_2024, SANDWELL

FP1 = Place.of_lads("Fixture footprint", [SANDWELL, BIRMINGHAM])


def _filters(orgs=("AAA", "BBB"), influenceable=True) -> Filters:
    return Filters("FP1", "Fixture footprint", orgs, Period(Q1_2024, Q1_2024), FP1, influenceable)


def _build(wh, **kw) -> local_spend.LocalSpendView:
    return local_spend.build(WarehouseSource(wh), _filters(**kw))


def _shown(view) -> dict[str, tuple[str, str]]:
    out = {}
    for t in view.tiles:
        reading = t.shows.now if hasattr(t.shows, "now") else t.shows
        out[t.label] = (reading.shown, reading.detail)
    return out


def test_tiles_and_sentence_for_both_organisations(fixture_wh):
    view = _build(fixture_wh)
    # The local share is the measure's figure: 380 local of the 1,780 placed (1,830 less S4's
    # 50, 97.3% of it); a year earlier S1's 100 of 400, 25.0%; 21.3 - 25.0 = -3.7 points.
    assert view.local_share.measure is LOCAL_SHARE_INFLUENCEABLE
    assert view.local_share.now.value == pytest.approx(380 / 1780)
    assert view.local_share.delta == "-3.7 pts"
    assert view.local_share.delta_note == "change on 2023/24 Q1"
    assert _shown(view) == {
        "Local share": ("21.3%", "£380 of £1.8k influenceable spend (of the 97.3% whose "
                                 "supplier location is known)"),
        # SMEs anywhere: S1 80 + S2 300 + S4 50 = 430 of 1,830, every supplier flagged.
        "Paid to SMEs": ("23.5%", "£430 of £1.8k influenceable spend"),
        "Paid to the voluntary sector": ("16.4%", "£300 of £1.8k influenceable spend"),  # S2
        # Invoices (credit note and Tax left out): AAA's S1 10 days, S2 45, S3 20 and 30,
        # S4 31, S5 5 and BBB's S3 10: 5 of 7 within 30 days. Local SMEs S1 and S2: 1 of 2;
        # the other five: 4 of 5.
        "Invoices paid within 30 days": ("71.4%", "Target 95%. Local SMEs: 50.0%; others: 80.0%"),
    }
    assert view.sentence == (
        "In 2024/25 Q1, 21.3% (£380) of the footprint's influenceable spend (of the 97.3% whose "
        "supplier location is known) went to suppliers in Fixture footprint, down from 25.0% a "
        "year earlier.")


def test_one_organisation_on_all_in_scope_spend(fixture_wh):
    view = _build(fixture_wh, orgs=("AAA",), influenceable=False)
    # AAA's in-scope spend 2,030: local S1 80 + S2 300 + S5 200 = 580 of the 1,980 placed;
    # SMEs 430 and VCSE 300 of 2,030; invoices 4 of 6 (S1 10, S3 20 and 30, S5 5 days).
    assert view.local_share.measure is LOCAL_SHARE_ALL
    assert {k: v[0] for k, v in _shown(view).items()} == {
        "Local share": "29.3%", "Paid to SMEs": "21.2%", "Paid to the voluntary sector": "14.8%",
        "Invoices paid within 30 days": "66.7%"}
    assert view.shared_suppliers is None and view.shared_sentence is None  # one organisation
    definitions = dict(view.definitions)
    sel = Selection(WarehouseSource(fixture_wh), _filters(orgs=("AAA",), influenceable=False))
    assert definitions["Local share"] == LOCAL_SHARE_ALL.definition(sel, view.local_share.now)
    assert definitions["Local share"].startswith("In-scope spend paid to suppliers")
    assert "(all in-scope spend)" in definitions["Buying together"]


def test_definitions_come_from_the_measures(fixture_wh):
    view = _build(fixture_wh)
    definitions = dict(view.definitions)
    sel = Selection(WarehouseSource(fixture_wh), _filters())
    assert definitions["Local share"] == LOCAL_SHARE_INFLUENCEABLE.definition(
        sel, view.local_share.now)
    assert "could not be placed in the period: £50 (2.7%)" in definitions["Local share"]  # S4
    assert definitions["Influenceable spend"] == INFLUENCEABLE_DEFINITION
    assert definitions["Prompt payment"].endswith("cannot be judged (0 in this period).")
    assert definitions["Year-earlier comparison"] == "The same quarters a year before: 2023/24 Q1."
    assert list(definitions) == ["Place", "Local share", "Influenceable spend", "Trend and SPC",
                                 "Commitments", "Leakage", "SME and VCSE", "Prompt payment",
                                 "Buying together", "Year-earlier comparison"]


def test_the_trend_by_month_and_by_quarter(fixture_wh):
    view = _build(fixture_wh)
    # April 2023: S1's 100 local of 400; April 2024: 380 of 1,780.
    by_month = view.trend(monthly=True, window=20)
    assert list(by_month.spc.points["label"]) == ["April 2023", "April 2024"]
    assert list(by_month.spc.points["value"]) == pytest.approx([0.25, 380 / 1780])
    assert by_month.caption == "One point a month (of payment): 2 months."
    assert by_month.y_title == "Local share of influenceable spend"
    assert by_month.needs is None and by_month.unused == []
    by_quarter = view.trend(monthly=False, window=20)
    assert list(by_quarter.spc.points["label"]) == ["2023/24 Q1", "2024/25 Q1"]
    assert list(by_quarter.spc.points["value"]) == pytest.approx([0.25, 380 / 1780])
    assert by_quarter.caption == "One point a quarter: 2 quarters."
    # A window of one quarter leaves one point: too few for a chart.
    one = view.trend(monthly=False, window=1)
    assert one.spc is None and one.needs == local_spend.TREND_NEEDS
    assert one.caption == "One point a quarter: 1 quarter."


def test_leakage_suppliers_and_prompt_payment(fixture_wh):
    view = _build(fixture_wh)
    leak = view.leakage
    # Influenceable Catering 1,830: 380 local, 50 unplaced, 1,400 with S3 in Westminster, 78.7%
    # of the 1,780 placed. Framework has no influenceable spend, so no row.
    assert list(leak.categories["category"]) == ["Catering"]
    assert list(leak.categories["label"]) == ["£1.4k · 79%"]
    assert leak.destinations.to_dict("records") == [
        {"Based in": "Westminster", "Spend": "£1.4k", "Share of leakage": "100.0%"}]
    assert leak.note == ("Leaving out £50 paid to suppliers whose location is not known: it is "
                         "not known to leave the place.")
    assert leak.needs is None and leak.axis_title == "Non-local influenceable spend"
    assert leak.download.frame.iloc[0].tolist() == ["Catering", 1830.0, 50.0, 1400.0, 78.7]
    assert leak.download.title == "Leakage by category 2024/25 Q1"
    # Suppliers by influenceable spend: S3 1,400 (of 2,400 in scope), S2 300, S1 80, S4 50,
    # S5 0 (its 200 is a public body's).
    shown = view.suppliers.shown
    assert list(shown["Supplier"]) == ["London Three plc", "Brum Two CIC", "Local One Ltd",
                                       "Unknown Four Ltd", "Brum NHS Body"]
    assert list(shown["Local"]) == ["No", "Yes", "Yes", "Not known", "Yes"]
    assert list(view.suppliers.download.frame["Spend (£)"]) == [2400.0, 300.0, 80.0, 50.0, 200.0]
    # Prompt payment by value: local SMEs S1 100 (on time) of 400; others S3 400 + 1,000 +
    # 1,000 and S5 200 on time of 2,650 (S4's 50 late); all 2,700 of 3,050.
    pay = view.payments.set_index("Suppliers")
    assert list(pay["Paid within 30 days (value)"]) == ["25.0%", "98.1%", "88.5%"]
    assert list(pay["Invoices"]) == ["2", "5", "7"]
    # 2023/24 Q1: AAA's two invoices both paid in 10 days; 2024/25 Q1: 5 of 7.
    result = view.payment_spc(20)
    assert list(result.points["label"]) == ["2023/24 Q1", "2024/25 Q1"]
    assert list(result.points["value"]) == pytest.approx([1.0, 5 / 7])
    assert result.target == pytest.approx(0.95)


def test_buying_together(fixture_wh):
    view = _build(fixture_wh)
    # S3 is paid by both AAA (400 Catering; the Framework 1,000 is not influenceable) and BBB
    # (1,000): 1,400 between them.
    assert view.shared_sentence == (
        "1 supplier was paid by two or more of the organisations in 2024/25 Q1, for £1.4k of "
        "influenceable spend between them: the starting point for buying together.")
    assert view.shared_suppliers.shown.to_dict("records") == [
        {"Supplier": "London Three plc", "Main category": "Catering", "Organisations": 2,
         "Paid by": "AAA, BBB", "Combined spend": "£1.4k", "Based in": "Westminster"}]
    # Catering is the one category both bought: influenceable 1,830 with S1 to S4; 3% is £54.90.
    savings = view.savings(3.0)
    assert savings.sentence_md == (
        "Categories bought by two or more of the organisations: £1.8k of influenceable spend "
        "between them; a 3% saving would be worth **£55**.")
    assert savings.categories.download.frame.iloc[0].tolist() == [
        "Catering", 2, "AAA, BBB", 4, 1830.0, 54.9]
    assert savings.categories.download.notes == ["Saving assumed: 3% of combined spend."]


def test_the_maps_show_the_largest_local_suppliers(fixture_wh):
    view = _build(fixture_wh)
    assert view.map_needs is None
    for neighbourhoods in (False, True):
        m = view.maps(neighbourhoods=neighbourhoods)
        # The local suppliers with influenceable spend: S2 300 and S1 80 (S5's is none).
        assert list(m.suppliers["name"]) == ["Brum Two CIC", "Local One Ltd"]
        assert m.supplier_hover == ["£300 · Catering", "£80 · Catering"]
        assert m.id_col == ("lsoa_code" if neighbourhoods else "lad_code")
        assert m.unplaced_note == ("£50 (2.7%) of the influenceable spend went to suppliers "
                                   "whose location is not known, on no map.")


def test_too_little_placed_spend_has_no_maps_and_no_leakage(fixture_wh):
    with fixture_wh.transaction() as cur:  # S3's postcode is no longer known
        cur.execute("update supplier set postcode = 'ZZ9 9ZZ' where supplier_id = 'S3'")
        bump_data_version(cur)
    view = _build(fixture_wh)
    # Placed: S1 80 + S2 300 of 1,830 influenceable (S3's 1,400 and S4's 50 are not): 20.8%.
    assert _shown(view)["Local share"][0] == narrative.NOT_YET_KNOWN
    assert view.map_needs == (
        "The maps need supplier locations: supplier location known for only 20.8% of £1.8k "
        "influenceable spend, and they need 80%. " + narrative.PLACING_SUPPLIERS)
    assert view.leakage.categories is None and view.leakage.destinations is None
    assert view.leakage.needs == local_spend.LEAKAGE_NEEDS
    assert list(view.leakage.download.frame["Category"]) == ["Catering"]  # still downloads
