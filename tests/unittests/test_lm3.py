"""The local multiplier and scenarios, worked by hand."""

import pandas as pd
import pytest

from anchor import lm3
from anchor.auth import Role, User
from anchor.places import Place
from anchor.queries import lm3 as q
from anchor.queries import spend
from tests.fixture_warehouse import BIRMINGHAM, Q1_2024, SANDWELL

ANN = User("Ann", Role.ANALYST, "local")

FP1 = Place.of_lads("Fixture footprint", [SANDWELL, BIRMINGHAM])
A = lm3.Assumptions()


def test_the_textbook_example():
    assert lm3.lm3(100e6, 40e6, 15e6) == pytest.approx(1.55)
    assert lm3.lm3(0, 0, 0) is None


def test_surveyed_and_assumed_re_spend():
    a = lm3.Assumptions(supplier_spend_ratio=0.5, supplier_payroll_ratio=0.3,
                        supplier_local_spend_share=0.2, supplier_local_payroll_share=0.6,
                        staff_net_pay_ratio=0.7, staff_local_spend_share=0.4)
    suppliers = pd.DataFrame({
        "supplier_id": ["X", "Y"], "local_gbp": [1000.0, 3000.0],
        # X answered the survey (60% of its spend local, 90% of its payroll); Y did not.
        "local_spend_share": [0.6, None], "local_payroll_share": [0.9, None]})
    staff = pd.DataFrame({"org_code": ["A", "B"], "local_pay_gbp": [2000.0, 1000.0],
                          "net_pay_local_share": [0.5, None]})
    r = lm3.compute(10_000.0, suppliers, staff, a)
    # X: 1000 × (0.5 × 0.6 + 0.3 × 0.9) = 570; Y: 3000 × (0.5 × 0.2 + 0.3 × 0.6) = 840
    assert r.r3_suppliers_gbp == pytest.approx(1410.0)
    # A: 2000 × 0.7 × 0.5 = 700; B: 1000 × 0.7 × 0.4 = 280
    assert r.r3_staff_gbp == pytest.approx(980.0)
    assert r.r2_gbp == pytest.approx(7000.0)
    assert r.lm3 == pytest.approx((10_000 + 7000 + 2390) / 10_000)  # 1.939
    assert (r.surveyed_suppliers, r.staff_surveyed_orgs) == (1, 1)
    assert r.surveyed_share_of_r2 == pytest.approx(1000 / 7000)


def test_lm3_inputs_from_the_fixture(fixture_wh):
    fixture_wh.rows("insert into supplier_survey (supplier_id, local_spend_share,"
                    " local_payroll_share) values ('S2', 0.5, 0.8)")
    i = q.lm3_inputs(fixture_wh, ["AAA"], Q1_2024, Q1_2024, FP1)
    assert i.in_scope_gbp == pytest.approx(2030.0)
    assert i.gross_pay_gbp == pytest.approx(80_000.0)  # 50,000 + 30,000 in 2024/25 Q1
    assert i.r1_gbp == pytest.approx(82_030.0)
    sup = i.local_suppliers.set_index("supplier_id")
    assert sup["local_gbp"].to_dict() == pytest.approx({"S1": 80.0, "S2": 300.0, "S5": 200.0})
    assert sup.loc["S2", "local_spend_share"] == pytest.approx(0.5)
    assert i.local_staff["local_pay_gbp"].tolist() == pytest.approx([50_000.0])
    r = lm3.compute(i.r1_gbp, i.local_suppliers, i.local_staff, A)
    # S2 surveyed: 300 × (0.45 × 0.5 + 0.35 × 0.8) = 151.5; S1 and S5 assumed: 280 × 0.34 = 95.2
    assert r.r3_suppliers_gbp == pytest.approx(151.5 + 280 * (0.45 * 0.25 + 0.35 * 0.65))
    assert r.r3_staff_gbp == pytest.approx(50_000 * 0.72 * 0.40)
    assert r.surveyed_share_of_r2 == pytest.approx(300 / 50_580)


def test_a_scenario_moves_exactly_the_share_asked(fixture_wh):
    by_cat = spend.spend_totals(fixture_wh, ["AAA"], Q1_2024, Q1_2024, FP1, ("category",))
    non_local = pd.DataFrame({
        "category": by_cat["category"],
        "non_local_gbp": by_cat["influenceable_gbp"] - by_cat["influenceable_local_gbp"]})
    # Catering's non-local influenceable spend: S3 400 + S4 50 = 450 (Framework is not influenceable)
    assert non_local.set_index("category").loc["Catering", "non_local_gbp"] == pytest.approx(450.0)
    i = q.lm3_inputs(fixture_wh, ["AAA"], Q1_2024, Q1_2024, FP1)
    base = lm3.compute(i.r1_gbp, i.local_suppliers, i.local_staff, A)
    s = lm3.Scenario("Catering local", shift_share=0.10, categories=("Catering",))
    res = lm3.run_scenario(s, base, non_local, starters=0, local_starters=0,
                           pay_per_starter_gbp=0, a=A, period_years=0.25)
    assert res.moved_gbp == pytest.approx(45.0)
    assert res.after.r2_gbp - base.r2_gbp == pytest.approx(45.0)
    rate = 0.45 * 0.25 + 0.35 * 0.65  # a new local supplier re-spends at the assumed rate
    expected = (i.r1_gbp + base.r2_gbp + 45 + base.r3_gbp + 45 * rate) / i.r1_gbp
    assert res.after.lm3 == pytest.approx(expected)
    # £45 in one quarter, at £75,000 of spend a year for each job: 45 / (75,000 / 4).
    assert res.jobs_supported == pytest.approx(45 / 18_750)
    year = lm3.run_scenario(s, base, non_local, starters=0, local_starters=0,
                            pay_per_starter_gbp=0, a=A, period_years=1.0)
    assert year.jobs_supported == pytest.approx(45 / 75_000)


def test_hiring_more_local_starters():
    base = lm3.Lm3Result(1000.0, 100.0, 200.0, 30.0, 50.0, 0, None, 0)
    s = lm3.Scenario("Hire locally", local_starter_share=0.8)
    res = lm3.run_scenario(s, base, pd.DataFrame({"category": [], "non_local_gbp": []}),
                           starters=10, local_starters=5, pay_per_starter_gbp=20.0, a=A,
                           period_years=1.0)
    assert res.extra_local_starters == pytest.approx(3.0)  # 8 of 10 instead of 5
    # Paid £20 a head over the period, for half of it on average: 3 × 20 × 0.5.
    assert res.extra_local_pay_gbp == pytest.approx(30.0)
    assert res.after.r3_staff_gbp == pytest.approx(50 + 30 * 0.72 * 0.40)


@pytest.mark.parametrize("kwargs", [{"shift_share": 1.5}, {"local_starter_share": -0.1}])
def test_bad_scenarios(kwargs):
    with pytest.raises(ValueError):
        lm3.Scenario("x", **kwargs)


def test_assumptions_are_stated_and_editable(fixture_wh):
    a, sources = q.assumptions(fixture_wh)
    assert a == lm3.Assumptions()
    assert sources["staff_local_spend_share"] == lm3.DEFAULT_SOURCE
    q.save_assumption(fixture_wh, "staff_local_spend_share", 0.35, "Staff survey 2025", ANN)
    a, sources = q.assumptions(fixture_wh)
    assert a.staff_local_spend_share == 0.35
    assert sources["staff_local_spend_share"].startswith("Staff survey 2025, Ann on ")
    with pytest.raises(ValueError, match="between 0 and 1"):
        q.save_assumption(fixture_wh, "staff_local_spend_share", 1.2, "", ANN)


def test_scenarios_are_saved_and_replaced_by_name(fixture_wh):
    sid = q.save_scenario(fixture_wh, "Catering", {"shift_share": 0.1}, ANN)
    assert q.save_scenario(fixture_wh, "Catering", {"shift_share": 0.2}, ANN) == sid
    saved = q.saved_scenarios(fixture_wh)
    assert list(saved["name"]) == ["Catering"]
    assert saved["definition"].iat[0] == {"shift_share": 0.2}
    with pytest.raises(ValueError, match="name"):
        q.save_scenario(fixture_wh, "  ", {}, ANN)
    q.delete_scenario(fixture_wh, sid, ANN)
    assert q.saved_scenarios(fixture_wh).empty
