"""Local employment: queries against the fixture warehouse and the page's pure logic, with
expected values worked by hand in tests/fixture_warehouse.py."""

from datetime import date

import pandas as pd
import pytest

from anchor import employment
from anchor.metrics import series_until
from anchor.periods import add_quarters
from anchor.places import Place
from anchor.queries import workforce
from tests.fixture_warehouse import BIRMINGHAM, Q1_2024, Q2_2024, SANDWELL, add_fixture_deciles

FP1 = Place.of_lads("Fixture footprint", [SANDWELL, BIRMINGHAM])
BOTH = ["AAA", "BBB"]


@pytest.fixture
def wh(fixture_wh):
    return add_fixture_deciles(fixture_wh)


def figures(wh, first, last, place=FP1):
    return employment.organisation_figures(
        workforce.workforce_totals(wh, BOTH, first, last, place, ("org",)),
        workforce.workforce_totals(wh, BOTH, add_quarters(last, -3), last, place, ("org",)),
        workforce.deprivation_by_org(wh, BOTH, first, last),
    )


def row(df, org=employment.ALL):
    return df.loc[df["org_code"] == org].iloc[0]


def test_workforce_by_quarter(wh):
    q = workforce.workforce_by_quarter(wh, BOTH, Q1_2024, Q2_2024, FP1)
    assert list(q["quarter_start"].dt.date) == [Q1_2024, Q2_2024]
    assert list(q["headcount"]) == [13, 18]
    assert list(q["local_headcount"]) == [10, 16]  # Sandwell 10; Sandwell 12 + Birmingham 4
    assert list(q["local_gross_pay_gbp"]) == pytest.approx([50_000, 80_000])
    assert list(q["starters"]) == [2, 7]
    assert list(q["staff_with_decile"]) == [13, 16]  # the 2 with no home LSOA have none
    assert list(q["staff_deprived_10"]) == [10, 12]
    assert list(q["staff_deprived_20"]) == [10, 16]
    assert list(q["starters_deprived_10"]) == [2, 3]
    assert list(q["starters_deprived_20"]) == [2, 7]
    assert list(q["apprentices"]) == [1, 1]
    assert list(q["below_living_wage"]) == [0, 1]
    # Within 2 km of AAA's site only Sandwell 010A (0 m away) is local.
    near = workforce.workforce_by_quarter(wh, BOTH, Q1_2024, Q2_2024, Place.within_km(2))
    assert list(near["local_headcount"]) == [10, 12]


def test_staff_by_home_lsoa_is_a_snapshot_of_placed_staff(wh):
    df = workforce.staff_by_home_lsoa(wh, BOTH, Q1_2024, Q2_2024, FP1)
    assert list(df["lsoa_code"]) == ["E01009345", "E01010104"]
    assert list(df["headcount"]) == [4, 12]  # Q2 only; the 2 with no home are left out
    assert list(df["local_headcount"]) == [4, 12]
    assert list(df["lad_name"]) == ["Birmingham", "Sandwell"]
    sandwell = workforce.staff_by_home_lsoa(wh, BOTH, Q2_2024, Q2_2024,
                                            Place.of_lads("Sandwell", [SANDWELL]))
    assert list(sandwell["local_headcount"]) == [0, 12]


def test_deprivation_by_org(wh):
    df = workforce.deprivation_by_org(wh, BOTH, Q1_2024, Q2_2024)
    got = {(r.org_code, None if pd.isna(r.imd_decile) else int(r.imd_decile)): (r.headcount, r.starters)
           for r in df.itertuples()}
    # Headcount from Q2 (the snapshot), starters from both quarters.
    assert got == {("AAA", 1): (12, 5), ("AAA", 2): (4, 4), ("AAA", 7): (0, 0), ("AAA", None): (2, 0)}


def test_deprivation_source(wh):
    assert workforce.deprivation_source(wh) == ("Fixture deciles", False)


def test_figures_for_a_quarter(wh):
    f = figures(wh, Q2_2024, Q2_2024)
    assert list(f["org_code"]) == ["AAA", employment.ALL]  # BBB has no workforce returns
    r = row(f)
    assert (r["headcount"], r["local_headcount"], r["local_fte"]) == (18, 16, 14.0)
    assert r["residents_share"] == pytest.approx(16 / 18)
    assert r["local_pay_share"] == pytest.approx(80_000 / 90_000)
    assert r["staff_deprived_10_share"] == pytest.approx(12 / 16)
    assert r["staff_deprived_20_share"] == pytest.approx(16 / 16)
    assert r["starters_deprived_20_share"] == pytest.approx(7 / 7)
    assert r["apprentices"] == 2  # 2023/24 Q3 to 2024/25 Q2: only Q1 and Q2 are held
    assert r["apprenticeship_rate"] == pytest.approx(2 / 18)
    assert r["below_living_wage"] == 1


def test_disclosure_control_of_the_figures(wh):
    p = employment.protected_figures(figures(wh, Q2_2024, Q2_2024))
    h = employment.headlines(p)
    assert h.count("local_headcount") == "15"  # 16 to the nearest 5
    assert h["local_gross_pay_gbp"] == pytest.approx(80_000)
    # 3 starters from the most deprived 10%, 2 apprentices, 1 below the living wage.
    for col in ["starters_deprived_10", "starters_deprived_10_share", "apprentices",
                "apprenticeship_rate", "below_living_wage", "unplaced_headcount"]:
        assert h[col] is None, col
    assert h.count("below_living_wage") == "*"
    # 12 staff in decile 1 and 16 in deciles 1-2 would give away the 4 in decile 2.
    assert h["staff_deprived_10_share"] is None
    assert h["staff_deprived_20_share"] == pytest.approx(1.0)


def test_figures_for_the_year(wh):
    r = row(figures(wh, Q1_2024, Q2_2024))
    assert r["gross_pay_gbp"] == pytest.approx(170_000)
    assert r["local_gross_pay_gbp"] == pytest.approx(130_000)
    assert r["starters"] == 9
    assert r["starters_deprived_10_share"] == pytest.approx(5 / 9)
    assert r["starters_deprived_20_share"] == pytest.approx(1.0)


def test_secondary_suppression_stops_working_back_from_the_total():
    df = pd.DataFrame({"org_code": ["A", "B", "C", "All"], "n": [3, 10, 7, 20],
                       "share": [0.1, 0.2, 0.3, 0.6]})
    out = employment.protect(df, ["n"], {"share": "n"}, total_rows=df["org_code"] == "All")
    # 3 is withheld; so is 7, the smallest other, or 20 - 10 - 7 would give it away.
    # Shown counts are to the nearest 5.
    assert list(out["n"]) == [None, 10, None, 20]
    assert list(out["share"]) == [None, 0.2, None, 0.6]
    # Two withheld already: nothing more to do. Zeros are never withheld.
    df2 = pd.DataFrame({"n": [3, 2, 0, 9]})
    assert list(employment.protect(df2, ["n"])["n"]) == [None, None, 0, 10]  # 9 → 10


def test_lsoa_values_never_show_a_small_count():
    by_lsoa = pd.DataFrame({
        "lsoa_code": ["a1", "a2", "a3", "b1", "b2"], "lsoa_name": list("ABCDE"),
        "lad_code": ["A", "A", "A", "B", "B"], "lad_name": ["La", "La", "La", "Lb", "Lb"],
        "headcount": [20, 6, 2, 9, 30], "local_headcount": [20, 6, 2, 9, 30],
    })
    v = employment.lsoa_values(by_lsoa, 100)
    # a3 (2) is withheld, and a2 (6) with it: A's total is published.
    assert list(v["suppressed"]) == [False, True, True, False, False]
    assert v.loc[0, "share"] == pytest.approx(0.20)
    lads = employment.residents_by_lad(by_lsoa, 100)
    assert list(lads["lad_name"]) == ["Lb", "La"]
    assert list(lads["local_headcount"]) == [40, 30]  # 39 and 28 to the nearest 5


def test_the_map_never_adds_up_to_a_local_authority_the_table_withholds():
    """The table withholds C (3 staff) and, so that C cannot be worked out from the place's
    total, D (5), the smallest other. On the map, c1 (3) goes and with it a2 (5, the first of
    the smallest others), which takes a1 with it, or A's published 60 would give a2 away. D's
    one LSOA of 5 is no small count, but shown it would give D's total, and with it C's:
    100 - 60 - 32 - 5 = 3. So every LSOA of a withheld authority is withheld."""
    by_lsoa = pd.DataFrame({
        "lsoa_code": ["a1", "a2", "b1", "c1", "d1"], "lsoa_name": list("ABCDE"),
        "lad_code": ["A", "A", "B", "C", "D"], "lad_name": ["La", "La", "Lb", "Lc", "Ld"],
        "headcount": [55, 5, 32, 3, 5], "local_headcount": [55, 5, 32, 3, 5],
    })
    lads = employment.residents_by_lad(by_lsoa, 100)
    assert list(zip(lads["lad_code"], lads["local_headcount"])) == [
        ("A", 60), ("B", 30), ("D", None), ("C", None)]  # B's 32 to the nearest 5
    withheld = lads.loc[lads["local_headcount"].isna(), "lad_code"]
    v = employment.lsoa_values(by_lsoa, 100, withheld_lads=withheld).set_index("lsoa_code")
    assert dict(v["suppressed"]) == {"a1": True, "a2": True, "b1": False, "c1": True, "d1": True}
    assert v.loc["d1", "local_headcount"] is None and v.loc["d1", "share"] is None
    # Without the table's withheld authorities, the map alone would have shown d1's 5.
    alone = employment.lsoa_values(by_lsoa, 100).set_index("lsoa_code")
    assert alone.loc["d1", "local_headcount"] == 5


def test_secondary_suppression_holds_in_every_group_at_once():
    """Withholding a cell for one group's total can leave another group with one withheld
    cell: x2 goes for the whole's sake (y1 is withheld), and then group X, whose total is
    published, needs x1 to go too."""
    df = pd.DataFrame({"g": ["X", "X", "Y", "Y"], "n": [40, 6, 2, 0]})
    out = employment.protect(df, ["n"], groups=("g", None))
    assert list(out["n"]) == [None, None, None, 0]


def test_decile_profile_keeps_deciles_one_and_two_together(wh):
    dep = workforce.deprivation_by_org(wh, BOTH, Q2_2024, Q2_2024)
    p = employment.decile_profile(dep)
    assert list(p["imd_decile"]) == list(range(1, 11))
    # Decile 2 holds 4 staff: withheld, and decile 1 (12) with it.
    assert p.loc[p["imd_decile"] <= 2, "headcount"].isna().all()
    assert p.loc[p["imd_decile"] == 7, "headcount"].iat[0] == 0


def test_tables_and_downloads_show_no_count_from_one_to_four(wh):
    p = employment.protected_figures(figures(wh, Q1_2024, Q2_2024))
    for table in (employment.residents_table, employment.deprivation_table,
                  employment.apprenticeship_table):
        shown = table(p, {"AAA": "Alpha Hospitals NHS Trust"})
        download = table(p, {"AAA": "Alpha Hospitals NHS Trust"}, download=True)
        assert shown["Organisation"].iat[0] == "AAA · Alpha Hospitals"
        for col in download.columns[1:]:
            for v in download[col]:
                assert v == "*" or not (0 < float(v) < 5) or "%" in col or "FTE" in col, (col, v)
    appr = employment.apprenticeship_table(p, {}, download=True)
    # Only AAA has staff: its row alone, with no total repeating it.
    assert list(appr["Apprenticeship starts, 12 months"]) == ["*"]
    assert list(appr["Paid below the Real Living Wage"]) == ["*"]
    res = employment.residents_table(p, {}, download=True)
    assert list(res["Residents employed"]) == [15]  # 16 to the nearest 5
    assert list(res["Pay into the place (GBP)"]) == [130_000.0]
    assert list(res["Share of gross pay (%)"]) == [76.5]
    shown = employment.residents_table(p, {})
    assert list(shown["Pay into the place"]) == ["£130k"]
    two = pd.concat([p.iloc[[0]].assign(org_code="ZZZ"), p], ignore_index=True)
    assert list(employment.residents_table(two, {})["Organisation"]) == [
        "ZZZ · ZZZ", "AAA · AAA", "All organisations chosen"]


def test_quarterly_series_and_spc():
    quarters = [date(2023, 4, 1), date(2023, 7, 1), date(2023, 10, 1), date(2024, 1, 1),
                date(2024, 4, 1)]
    by_q = pd.DataFrame({
        "quarter_start": pd.to_datetime(quarters),
        "headcount": [100, 100, 100, 100, 200], "local_headcount": [50, 60, 55, 70, 120],
        "starters": [10] * 5, "starters_with_decile": [10, 10, 10, 10, 0],
        "starters_deprived_20": [5, 6, 3, 8, 0], "apprentices": [1, 2, 3, 4, 5],
        "below_living_wage": [0] * 5,
    })
    s = employment.quarterly_series(by_q)
    assert list(s["label"]) == ["2023/24 Q1", "2023/24 Q2", "2023/24 Q3", "2023/24 Q4",
                                "2024/25 Q1"]
    assert list(s["residents_share"]) == pytest.approx([0.5, 0.6, 0.55, 0.7, 0.6])
    # Four quarters of apprenticeship starts are needed: 1+2+3+4, then 2+3+4+5.
    assert s["apprentices_12m"].isna().tolist() == [True, True, True, False, False]
    # From the rounded counts: 10 of 100, then 14 → 15 of 200.
    assert list(s["apprenticeship_rate"].iloc[3:]) == pytest.approx([10 / 100, 15 / 200])
    # The SPC of these series: tests/unittests/test_view_employment.py.
    # The charts end at the period shown, and can keep to the latest quarters.
    assert list(series_until(s, date(2023, 10, 1), 2)["label"]) == [
        "2023/24 Q2", "2023/24 Q3"]


def test_sentences_carry_the_numbers_and_suppress_small_counts(wh):
    h = employment.headlines(employment.protected_figures(figures(wh, Q2_2024, Q2_2024)))
    text = employment.sentences(h, period_label="2024/25 Q2", snapshot_label="2024/25 Q2",
                                who="the footprint", place_phrase="in Fixture footprint",
                                then_local_headcount=10, synthetic=True)
    # 16 of 18 to the nearest 5: 15 of 20 (75.0% from the rounded counts); 15 − 10 = 5 more.
    assert text[0] == ("At the end of 2024/25 Q2, 15 of the footprint's 20 staff (75.0%) lived "
                       "in Fixture footprint, 5 more than a year earlier.")
    assert "£80k" in text[1] and "88.9%" in text[1]
    assert "(synthetic demo deciles)" in text[2]
    assert "*" in text[3] and "*" in text[4]
    assert employment.change_text(16, 10) == "+5 on a year earlier"  # 15 − 10, rounded
    assert employment.change_text(16, 3) is None


def test_no_staff_is_said_in_words_not_as_a_share_of_zero():
    h = employment.Headlines(pd.Series({"headcount": 0, "local_headcount": 0,
                                        "residents_share": None}))
    assert employment.sentences(h, period_label="2024/25 Q2", snapshot_label="2024/25 Q2",
                                who="the footprint", place_phrase="in Fixture footprint",
                                then_local_headcount=None, synthetic=False) == [
        "No workforce return covers 2024/25 Q2 for the footprint."]
