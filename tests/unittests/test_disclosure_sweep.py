"""Disclosure control swept across selections: on the fixture warehouse plus a workforce file
with counts of 1 to 4 in some organisation × local authority × quarter cells, every choice of
organisations, place and period is put through the functions the pages, sentences and exports
use, and no count of 1 to 4 people may be shown or worked out from what is shown."""

from __future__ import annotations

import itertools
import re

import pandas as pd
import pytest

from anchor import disclosure, employment, lm3, place_story
from anchor.metrics import residents_employed
from anchor.periods import Period, add_quarters
from anchor.places import Place
from anchor.queries import lm3 as lm3_queries
from anchor.queries import workforce
from tests.fixture_warehouse import BIRMINGHAM, Q1_2024, Q2_2024, SANDWELL, add_fixture_deciles

ORGS = ["AAA", "BBB", "CCC"]
PLACES = [
    Place.of_lads("Fixture footprint", [SANDWELL, BIRMINGHAM]),
    Place.of_lads("Sandwell", [SANDWELL]),
    Place.of_lads("Birmingham", [BIRMINGHAM]),
    Place.within_km(2),
]
PERIODS = [Period(Q1_2024, Q1_2024), Period(Q2_2024, Q2_2024), Period(Q1_2024, Q2_2024)]
SELECTIONS = [list(c) for n in range(1, len(ORGS) + 1) for c in itertools.combinations(ORGS, n)]

# The workforce file with small counts, added to the fixture's AAA rows:
# org, quarter, home LSOA (LAD), group, band, headcount, fte, pay, starters, apprentices, below LW
SMALL = [
    ("BBB", Q2_2024, "E01010104", "Nursing", "Band 5", 1, 1.0, 6500, 1, 0, 0),  # Sandwell: 1
    ("BBB", Q2_2024, "E01009345", "Nursing", "Band 5", 40, 36.0, 400000, 3, 1, 2),  # Birmingham
    ("BBB", Q2_2024, "E01004736", "Medical", "Medical", 3, 3.0, 90000, 0, 0, 0),  # Westminster
    ("BBB", Q1_2024, "E01009345", "Nursing", "Band 5", 38, 34.0, 380000, 2, 0, 1),
    ("CCC", Q2_2024, "E01010104", "Admin", "Band 3", 50, 45.0, 500000, 2, 2, 3),  # Sandwell
    ("CCC", Q2_2024, "E01009345", "Admin", "Band 3", 2, 2.0, 20000, 2, 0, 0),  # Birmingham: 2
    ("CCC", Q1_2024, "E01010104", "Admin", "Band 3", 49, 44.0, 490000, 4, 1, 3),
]


@pytest.fixture(scope="module")
def wh(tmp_path_factory):
    from tests.fixture_warehouse import build_fixture_warehouse
    w = add_fixture_deciles(build_fixture_warehouse(tmp_path_factory.mktemp("sweep") / "w.duckdb"))
    with w.transaction() as cur:
        cur.execute("insert into organisation (org_code, name, org_type, footprint_code)"
                    " values ('CCC', 'Gamma Care NHS Trust', 'Acute trust', 'FP1')")
        cur.executemany(
            "insert into workforce (org_code, quarter_start, home_lsoa, staff_group, afc_band,"
            " headcount, fte, gross_pay_gbp, starters, apprentices, below_living_wage)"
            " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", SMALL)
    return w


def bad(x) -> bool:
    """A shown count that discloses: from 1 to 4, or not to the nearest 5."""
    if x is None or (not isinstance(x, str) and pd.isna(x)):
        return False
    return 0 < float(x) < 5 or float(x) % 5 != 0


def small(d) -> bool:
    return d is not None and 0 < abs(d) < 5


# Money, percentages, period labels and the rule's own numbers carry no count of people.
_NOT_COUNTS = re.compile(
    r"R\d|£[\d,.]+[mk]?|[\d.]+%|\d{4}/\d{2} Q\d|\d{4}/\d{2}|12 months|1 to 4|fewer than 5|£\d\.\d\d")


def counts_in(text: str) -> list[int]:
    return [int(t.replace(",", "")) for t in re.findall(r"\d[\d,]*", _NOT_COUNTS.sub("", text))]


def figures_for(wh, orgs, place, period):
    by_org = workforce.workforce_totals(wh, orgs, period.first, period.last, place, ("org",))
    figures = employment.organisation_figures(
        by_org,
        workforce.workforce_totals(wh, orgs, add_quarters(period.last, -3), period.last, place,
                                   ("org",)),
        workforce.deprivation_by_org(wh, orgs, period.first, period.last))
    small = employment.small_cell_orgs(
        workforce.workforce_totals(wh, orgs, period.first, period.last, place, ("org", "lad")))
    return by_org, small, employment.protected_figures(figures, small)


def shown_view(wh, orgs, place, period) -> dict:
    """Every people figure of one selection, as the pages show them."""
    by_org, small, protected = figures_for(wh, orgs, place, period)
    h = employment.headlines(protected)
    residents = employment.protected_residents(by_org, small)
    by_lsoa = workforce.staff_by_home_lsoa(wh, orgs, period.first, period.last, place)
    total = int(by_org["headcount"].sum())
    lads = employment.residents_by_lad(by_lsoa, total)
    lsoas = employment.lsoa_values(by_lsoa, total, list(
        lads.loc[lads["local_headcount"].map(employment._blank), "lad_code"]))
    profile = employment.decile_profile(
        workforce.deprivation_by_org(wh, orgs, period.first, period.last))
    totals = workforce.workforce_totals(wh, orgs, period.first, period.last, place).iloc[0]
    sentences = employment.sentences(h, period_label=period.label, snapshot_label="2024/25 Q2",
                                     who="the footprint", place_phrase="in the place",
                                     then_local_headcount=None, synthetic=False)
    sentences.append(place_story.residents_sentence(
        period.label, "the footprint", "in the place", residents_employed(totals),
        employment.headlines(residents)["local_gross_pay_gbp"], None))
    inputs = lm3_queries.lm3_inputs(wh, orgs, period.first, period.last, place)
    result = lm3.compute(inputs.r1_gbp, inputs.local_suppliers, inputs.local_staff,
                         lm3.Assumptions())
    sentences.append(place_story.lm3_sentence("in the place", result))
    scen = lm3_queries.scenario_inputs(wh, orgs, period.first, period.last, place)
    return dict(by_org=by_org, protected=protected, h=h, residents=residents, lads=lads,
                lsoas=lsoas, profile=profile, sentences=sentences, lm3=result, inputs=inputs,
                hiring=lm3.hiring_base(scen.starters, scen.local_starters),
                tables=[employment.residents_table(protected, {}),
                        employment.deprivation_table(protected, {}),
                        employment.apprenticeship_table(protected, {}),
                        employment.residents_table(protected, {}, download=True),
                        employment.lad_table(lads), employment.lad_table(lads, download=True)])


@pytest.fixture(scope="module")
def views(wh):
    return {(tuple(o), i, j): shown_view(wh, o, p, q)
            for o in SELECTIONS for i, p in enumerate(PLACES) for j, q in enumerate(PERIODS)}


def test_the_file_has_small_cells(wh):
    """The sweep means something only if there are counts of 1 to 4 to protect."""
    v = workforce.workforce_totals(wh, ["BBB"], Q2_2024, Q2_2024, PLACES[1], ("org",))
    assert int(v["local_headcount"].iat[0]) == 1  # BBB's single Sandwell resident


def test_no_shown_count_is_1_to_4_nor_unrounded(views):
    for key, v in views.items():
        for frame, cols in [(v["protected"], employment.COUNTS),
                            (v["residents"], employment.RESIDENT_COUNTS),
                            (v["lads"], ["local_headcount"]), (v["lsoas"], ["local_headcount"]),
                            (v["profile"], ["headcount", "starters"])]:
            for col in cols:
                assert not any(bad(x) for x in frame[col]), (key, col, list(frame[col]))
        for col in ("fte", "local_fte"):
            assert not any(bad(x) for x in v["protected"][col]), (key, col)
        for table in v["tables"]:
            for col in table.columns:
                if col in ("Staff", "Residents employed", "Residents", "New starters",
                           "Apprenticeship starts, 12 months", "Paid below the Real Living Wage"):
                    cells = [c for c in table[col] if c != disclosure.SUPPRESSED]
                    assert not any(bad(str(c).replace(",", "")) for c in cells), (key, col)
        for s in v["sentences"]:
            assert not any(bad(n) for n in counts_in(s)), (key, s)
        if v["hiring"] is not None:
            assert not any(bad(n) for n in v["hiring"]), key


def test_no_total_less_its_shown_parts_is_1_to_4(views):
    for key, v in views.items():
        for frame, cols in [(v["protected"], employment.COUNTS),
                            (v["residents"], employment.RESIDENT_COUNTS)]:
            parts = frame[frame["org_code"] != employment.ALL]
            total = frame.loc[frame["org_code"] == employment.ALL].iloc[0]
            for col in cols:
                if employment._blank(total[col]):
                    continue
                shown = sum(int(x) for x in parts[col] if not employment._blank(x))
                assert not small(int(total[col]) - shown), (key, col)
        # The local authority table against the place's residents tile.
        h = v["h"]["local_headcount"]
        if h is not None:
            shown = sum(int(x) for x in v["lads"]["local_headcount"] if not employment._blank(x))
            assert not small(int(h) - shown), key
        # "N of the M staff": the complement.
        if h is not None and v["h"]["headcount"] is not None:
            assert not small(int(v["h"]["headcount"]) - int(h)), key


def test_no_two_selections_differ_by_1_to_4(views):
    keys = ["headcount", "local_headcount", "starters", "local_starters", "apprentices",
            "below_living_wage", "staff_deprived_20", "staff_deprived_10"]
    heads = {k: v["h"] for k, v in views.items()}
    for (ka, a), (kb, b) in itertools.combinations(heads.items(), 2):
        for col in keys:
            if a[col] is not None and b[col] is not None:
                assert not small(int(a[col]) - int(b[col])), (ka, kb, col)


def test_pay_and_the_lm3_staff_part_follow_their_count(views):
    for key, v in views.items():
        p = v["protected"]
        for count, linked in [("local_headcount", ["local_gross_pay_gbp", "local_fte",
                                                   "residents_share", "local_pay_share"]),
                              ("headcount", ["gross_pay_gbp", "fte"])]:
            hidden = p[count].map(employment._blank)
            for col in linked:
                assert p.loc[hidden, col].map(employment._blank).all(), (key, col)
        # The organisations' pay together holds each organisation's: withheld when any of
        # them rests on 1 to 4 people, or a choice without it would give its pay away.
        all_row = p[p["org_code"] == employment.ALL].iloc[0]
        parts = v["by_org"]
        if parts["local_headcount"].map(disclosure.is_disclosive).any():
            assert employment._blank(all_row["local_gross_pay_gbp"]), key
            assert v["h"]["local_gross_pay_gbp"] is None, key
        if parts["headcount"].map(disclosure.is_disclosive).any():
            assert employment._blank(all_row["gross_pay_gbp"]), key
        r = v["lm3"]
        staff = v["inputs"].local_staff
        small_org = (staff["local_headcount"].map(disclosure.is_disclosive).any()
                     or (staff["small_cells"] > 0).any())
        assert r.staff_withheld == bool(small_org), key
        # An organisation with 1 to 4 residents in one local authority of the place: its pay
        # into the place, and the pay together, are withheld (a place without that local
        # authority would give the difference away).
        if (staff["small_cells"] > 0).any():
            assert v["h"]["local_gross_pay_gbp"] is None, key
            small = set(staff.loc[staff["small_cells"] > 0, "org_code"])
            assert p.loc[p["org_code"].isin(small), "local_gross_pay_gbp"].map(
                employment._blank).all(), key
        if r.staff_withheld:
            assert r.r2_staff_shown is None and r.r3_staff_shown is None
            assert r.r2_gbp == pytest.approx(r.r2_suppliers_gbp)  # R2 less suppliers gives 0


def test_lm3_staff_part_withheld_for_bbb_in_sandwell(views):
    """BBB's single Sandwell resident (paid £6,500) cannot be had from R2 less the suppliers'
    part, nor from RXK-style differencing of AAA then AAA with BBB."""
    # AAA in the footprint holds its 4 in Birmingham: withheld there, shown for Sandwell alone.
    assert views[(("AAA",), 0, 1)]["lm3"].staff_withheld
    assert views[(("AAA",), 0, 1)]["h"]["local_gross_pay_gbp"] is None
    alone = views[(("AAA",), 1, 1)]["lm3"]
    both = views[(("AAA", "BBB"), 1, 1)]["lm3"]
    assert not alone.staff_withheld and alone.r2_staff_gbp == pytest.approx(60_000)
    assert both.staff_withheld and both.r2_staff_shown is None
    text = " ".join(views[(("AAA", "BBB"), 1, 1)]["sentences"])
    assert "£60k" in " ".join(views[(("AAA",), 1, 1)]["sentences"])  # AAA's 12 residents
    assert "6,500" not in text and "£66.5k" not in text  # £60k + BBB's £6.5k: withheld
    assert views[(("AAA", "BBB"), 1, 1)]["h"]["local_gross_pay_gbp"] is None


def test_place_comparison_withholds_pay_holding_a_small_cell(wh):
    """Sandwell holds AAA's 12 and BBB's 1 (£6,500): its pay is withheld for AAA with BBB,
    or AAA's own £60k beside it would give BBB's one person away."""
    from datetime import datetime

    from anchor.measures import WarehouseSource
    from anchor.reports.story import build_story, comparison_table

    def table(orgs):
        story = build_story(WarehouseSource(wh), footprint_code="FP1",
                            footprint_name="Fixture footprint", orgs=orgs, period=PERIODS[1],
                            place=PLACES[0], influenceable=True,
                            generated=datetime(2025, 1, 1, 12, 0))
        return comparison_table(story).set_index("Local authority")

    both = table(("AAA", "BBB"))
    assert both.loc["Sandwell (in the place)", "Staff living there"] == "15"  # 12 + 1 = 13
    assert both.loc["Sandwell (in the place)", "Their pay"] == "*"
    alone = table(("AAA",))
    assert alone.loc["Birmingham (in the place)", "Their pay"] == "*"  # AAA's 4


def test_rounded_values_worked_by_hand(views):
    # AAA, the footprint, 2024/25 Q2: 18 staff → 20; 16 residents → 15; the share from the
    # rounded counts, 15 ÷ 20 = 75.0%; FTE 14.0 of 16.0 → 15 of 15.
    h = views[(("AAA",), 0, 1)]["h"]
    assert (h["headcount"], h["local_headcount"]) == (20, 15)
    assert h["residents_share"] == pytest.approx(0.75)
    assert (h["fte"], h["local_fte"]) == (15.0, 15.0)
    # With BBB and CCC: 18 + 44 + 52 = 114 staff → 115; residents 16 + 41 + 52 = 109 → 110;
    # "110 of the 115 staff": 5 outside, where 114 − 109 is also 5.
    h = views[(("AAA", "BBB", "CCC"), 0, 1)]["h"]
    assert (h["headcount"], h["local_headcount"]) == (115, 110)
    # AAA then AAA with BBB in Sandwell: 12 then 13 residents, shown 10 and 15 (halves up:
    # 12.5 would be 15) – never a difference of 1.
    assert views[(("AAA",), 1, 1)]["h"]["local_headcount"] == 10
    assert views[(("AAA", "BBB"), 1, 1)]["h"]["local_headcount"] == 15
    assert disclosure.round_to_base(92) == 90 and disclosure.round_to_base(93) == 95
    assert disclosure.show_count(3) == "*" and disclosure.show_count(0) == "0"


def test_the_hiring_lever_works_from_rounded_counts():
    """'66.7% of 3 starters' gave 2 of 3 away: 1 to 4 starters (or local starters) and the
    lever is not offered; otherwise it works from the counts to the nearest 5."""
    assert lm3.hiring_base(3, 2) is None
    assert lm3.hiring_base(40, 3) is None
    assert lm3.hiring_base(16, 12) == (15, 10)
    base = lm3.Lm3Result(100.0, 0.0, 0.0, 0.0, 0.0, 0, None, 0)
    a = lm3.Assumptions()
    cats = pd.DataFrame({"category": [], "non_local_gbp": []})
    # Half of 15 rounded starters is 7.5, less the 10 local: 2.5 fewer, at £1,000 for half
    # the period: −£1,250. From the unrounded 16 and 12 it would have been 8 − 12 = −4.
    r = lm3.run_scenario(lm3.Scenario("x", local_starter_share=0.5), base, cats, 16, 12,
                         1000.0, a, period_years=0.25)
    assert r.extra_local_starters == pytest.approx(-2.5)
    assert r.extra_local_pay_gbp == pytest.approx(-1250.0)
    none = lm3.run_scenario(lm3.Scenario("x", local_starter_share=0.5), base, cats, 3, 2,
                            1000.0, a, period_years=0.25)
    assert none.extra_local_starters == 0
