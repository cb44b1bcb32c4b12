"""The Local multiplier page's view on the hand-worked fixture warehouse
(tests/fixture_warehouse.py): AAA in Fixture footprint (Sandwell and Birmingham).

2024/25 Q1, worked by hand:
    R1 = in-scope spend 2,030 + gross pay 80,000 = 82,030
    R2 = local suppliers S1 80 + S2 300 + S5 200 = 580, plus the pay of the 10 staff living in
         Sandwell 50,000: 50,580 (61.7% of R1)
    R3 = 580 × (0.45 × 0.25 + 0.35 × 0.65) = 580 × 0.34 = 197.20, plus 50,000 × 0.72 × 0.40
         = 14,400: 14,597.20 (28.9% of R2)
    LM3 = (82,030 + 50,580 + 14,597.20) / 82,030 = 147,207.20 / 82,030 = 1.7946
Scenario inputs: Catering's influenceable spend 830 (S1 80, S2 300, S3 400, S4 50; S5 is a
public body), of which 380 local: 450 outside the place, the only category with any.
"""

from __future__ import annotations

import pytest

from anchor import summary
from anchor.auth import Role, User
from anchor.db import bump_data_version
from anchor.filters import Filters
from anchor.measures import LM3, Selection, WarehouseSource
from anchor.measures import multiplier as multiplier_measure
from anchor.periods import Period
from anchor.places import Place
from anchor.queries import lm3 as lm3_queries
from anchor.views import multiplier
from tests.fixture_warehouse import BIRMINGHAM, Q1_2024, Q2_2024, SANDWELL, WORKFORCE

FP1 = Place.of_lads("Fixture footprint", [SANDWELL, BIRMINGHAM])
ANALYST = User("ana@example.nhs.uk", Role.ANALYST, "signed in", "ana@example.nhs.uk")


def _filters(quarter=Q1_2024, orgs=("AAA",)) -> Filters:
    return Filters("FP1", "Fixture footprint", orgs, Period(quarter, quarter), FP1)


def test_headline_and_rounds(fixture_wh):
    view = multiplier.build(WarehouseSource(fixture_wh), _filters())
    r = view.result
    assert (r.r1_gbp, r.r2_gbp) == (82_030, 50_580)
    assert r.r3_gbp == pytest.approx(14_597.2)
    assert r.lm3 == pytest.approx(147_207.2 / 82_030)
    # The headline is the LM3 measure's own reading, not worked out again here.
    assert view.headline == LM3.read(Selection(WarehouseSource(fixture_wh), _filters()),
                                     _filters().period)
    assert [(t.label, t.value) for t in view.tiles] == [
        ("LM3", "1.79"), ("R1: money studied", "£82k"), ("R2: spent in the place", "£51k"),
        ("R3: re-spent in the place", "£15k")]
    assert view.tiles[0].detail == ("Each £1 spent is worth this much to the place, counting "
                                    "two rounds of local re-spending.")
    assert view.tiles[2].detail == "61.7% of R1: local suppliers £580, local staff's pay £50k."
    assert view.tiles[3].detail == "28.9% of R2: by suppliers £197, by staff £14k."
    assert view.not_known_md is None and view.staff_withheld_note is None
    assert view.coverage == (
        "0 of the 3 local suppliers paid in 2024/25 Q1 answered a supplier survey, covering "
        "0.0% of R2 (0.0% of the spend with local suppliers); 0 of 1 organisations surveyed "
        "their staff. Everything else uses the assumptions below.")
    assert list(view.assumptions["Value"])[:2] == ["45%", "35%"]
    assert dict(view.definitions)["LM3"] == multiplier_measure.DEFINITION


def test_a_scenario_starts_neutral(fixture_wh):
    view = multiplier.build(WarehouseSource(fixture_wh), _filters())
    # Q1 has 2 starters, both local: 1 to 4, so the hiring lever is not offered.
    assert not view.levers.hiring.offered
    assert view.levers.categories == ["Catering"]
    neutral = view.scenario
    assert neutral == view.what_if()
    assert neutral.result.moved_gbp == 0 and neutral.result.extra_local_starters == 0
    assert neutral.result.after.lm3 == view.result.lm3
    assert (neutral.extra_local, neutral.lm3_after, neutral.lm3_delta) == ("£0", "1.79", "+0.00")
    assert neutral.sentence_md == "Move the sliders to see what a change would be worth."
    assert neutral.definition["shift_share"] == 0
    assert neutral.definition["local_starter_share"] is None


def test_moving_spend_in_a_category(fixture_wh):
    view = multiplier.build(WarehouseSource(fixture_wh), _filters(), shift_pct=10,
                            categories=("Catering",))
    s = view.scenario
    # 10% of Catering's 450 outside the place: 45 more spent locally, re-spent at 0.34 (15.30).
    # LM3 = (82,030 + 50,625 + 14,612.50) / 82,030 = 1.7953; jobs = 45 ÷ (75,000 × 0.25).
    assert s.result.moved_gbp == pytest.approx(45)
    assert s.result.after.lm3 == pytest.approx(147_267.5 / 82_030)
    assert s.result.jobs_supported == pytest.approx(0.0024)
    assert (s.extra_local, s.lm3_after, s.lm3_delta, s.jobs) == ("£45", "1.80", "+0.00", "0")
    assert s.sentence_md == (
        "In 2024/25 Q1, moving 10% of non-local spend in Catering to suppliers in Fixture "
        "footprint would keep £45 more there. LM3 would go from 1.79 to 1.80, and the moved "
        "spend would support about 0 jobs.")
    assert s.jobs_help.startswith("Jobs the moved spend sustains through 2024/25 Q1: the moved "
                                  "spend ÷ the £19k that keeps one job going")  # 75,000 × 0.25
    assert s.definition == {
        "orgs": ["AAA"], "first": "2024-04-01", "last": "2024-04-01", "place": FP1.to_dict(),
        "shift_share": 0.1, "categories": ["Catering"], "local_starter_share": None}
    # Every category: Catering is the only one with spend outside the place.
    assert view.what_if(10).result.moved_gbp == pytest.approx(45)


@pytest.fixture
def forty_starters(fixture_wh):
    """2024/25 Q2 with 33 more starters living in Westminster, outside the place: 40 starters,
    7 of them local, shown as 40 and 5 (to the nearest 5): today 5 / 40 = 12.5%."""
    with fixture_wh.transaction() as cur:
        cur.execute("insert into workforce (org_code, quarter_start, home_lsoa, staff_group,"
                    " afc_band, headcount, fte, gross_pay_gbp, starters, apprentices,"
                    " below_living_wage) values ('AAA', ?, 'E01004736', 'Admin', 'Band 3', 40,"
                    " 40.0, 200000, 33, 0, 0)", [Q2_2024])
        summary.rebuild(cur)
        bump_data_version(cur)
    assert sum(row[8] for row in WORKFORCE if row[1] == Q2_2024) + 33 == 40
    return fixture_wh


def test_the_starters_slider_starts_at_todays_share_and_changes_nothing(forty_starters):
    view = multiplier.build(WarehouseSource(forty_starters), _filters(Q2_2024))
    hiring = view.levers.hiring
    assert hiring.base == (40, 5)
    # 12.5% rounds (half to even) to the slider's 12%: still no change, not 0.12 × 40 − 5 =
    # −0.2 starters.
    assert hiring.now_pct == 12
    assert hiring.help == "Now 12.5% of 40 starters in 2024/25 Q2 (counts to the nearest 5)."
    assert hiring.share(12) is None and hiring.share(None) is None
    at_start = view.what_if(0, (), hiring.now_pct)
    assert at_start.result.extra_local_starters == 0
    assert at_start.result.after == view.result
    assert at_start.sentence_md == "Move the sliders to see what a change would be worth."
    # Moved to 25%: 0.25 × 40 − 5 = 5 more local starters, each paid the period's pay per head
    # (290,000 ÷ 58 = 5,000) for half of it: 12,500.
    moved = view.what_if(0, (), 25)
    assert hiring.share(25) == 0.25
    assert moved.result.extra_local_starters == pytest.approx(5)
    assert moved.result.extra_local_pay_gbp == pytest.approx(12_500)


def test_saved_scenarios_side_by_side(fixture_wh):
    definition = multiplier.build(WarehouseSource(fixture_wh), _filters(),
                                  shift_pct=20).scenario.definition
    lm3_queries.save_scenario(fixture_wh, "Twenty per cent", definition, ANALYST)
    view = multiplier.build(WarehouseSource(fixture_wh), _filters())
    assert list(view.saved_names.values()) == ["Twenty per cent"]
    row = view.saved.download.iloc[0]
    # 20% of 450 = 90 moved: LM3 = (82,030 + 50,670 + 14,627.80) / 82,030 = 1.7960.
    assert (row["Scenario"], row["Share moved (%)"], row["Spend moved (£)"]) == (
        "Twenty per cent", 20.0, 90.0)
    assert (row["LM3 now"], row["LM3 after"]) == (1.795, 1.796)
    assert view.saved.shown.iloc[0]["Spend moved"] == "£90"
    assert view.saved.title == "Scenarios"
    assert view.saved.notes[0].startswith("Each scenario is worked out on its own organisations")


def test_not_known_when_too_few_suppliers_are_placed(fixture_wh):
    with fixture_wh.transaction() as cur:  # S3 (1,400 of AAA's in-scope 2,030) loses its place
        cur.execute("update supplier set postcode = 'ZZ9 9ZZ' where supplier_id = 'S3'")
        summary.rebuild(cur)
        bump_data_version(cur)
    view = multiplier.build(WarehouseSource(fixture_wh), _filters())
    # Placed: S1 80 + S2 300 + S5 200 = 580 of 2,030 = 28.6%, below the 80% needed.
    assert view.headline.value is None
    assert view.tiles[0].value == "Not yet known"
    assert view.tiles[0].detail.endswith(" of in-scope spend; the multiplier needs 80%.")
    assert view.not_known_md.endswith(" R2 and R3 below count only the suppliers that are placed.")
    assert "28.6%" in view.not_known_md
