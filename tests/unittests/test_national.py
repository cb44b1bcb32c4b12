"""The national comparison on the fixture warehouse, with a second and a third footprint added:
expected values worked by hand (see tests/fixture_warehouse.py for FP1's).

FP2 (home: Westminster), 2024/25 Q1:
    CCC  S3 Westminster Catering 600, S1 Sandwell Catering 400, S5 public body Catering 200
         in scope 1,200, local 600 (50.0%); influenceable 1,000 (no public body), local 600
         (60.0%)
    DDD  S4 unknown postcode Catering 900, S3 Catering 100: 10% placed, not yet known
FP3 (no home local authorities): EEE  S1 Catering 100: no local share.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from anchor import metrics, summary
from anchor.loading.preview import default_place_of_footprint
from anchor.national import comparison_table
from anchor.periods import Period
from anchor.queries import national, spend
from tests.fixture_warehouse import Q1_2023, Q1_2024, WESTMINSTER

MORE_SPEND = [
    ("CCC", "S3", 600.0), ("CCC", "S1", 400.0), ("CCC", "S5", 200.0),
    ("DDD", "S4", 900.0), ("DDD", "S3", 100.0),
    ("EEE", "S1", 100.0),
]


@pytest.fixture
def national_wh(fixture_wh):
    with fixture_wh.transaction() as cur:
        cur.execute("insert into footprint (footprint_code, name) values ('FP2', 'Second'),"
                    " ('FP3', 'Third')")
        cur.execute("insert into footprint_lad (footprint_code, lad_code) values ('FP2', ?)",
                    [WESTMINSTER])
        cur.executemany("insert into organisation (org_code, name, org_type, footprint_code)"
                        " values (?, ?, 'Acute trust', ?)",
                        [("CCC", "Gamma NHS Trust", "FP2"), ("DDD", "Delta NHS Trust", "FP2"),
                         ("EEE", "Epsilon NHS Trust", "FP3")])
        cur.executemany("insert into spend (org_code, quarter_start, supplier_id, category,"
                        " amount_gbp) values (?, ?, ?, 'Catering', ?)",
                        [(o, Q1_2024, s, a) for o, s, a in MORE_SPEND])
        summary.rebuild(cur)
    return fixture_wh


def test_every_organisation_in_its_own_home_place(national_wh):
    t = national.national_spend(national_wh, Q1_2024, Q1_2024).set_index("org_code")
    assert list(t.index) == ["AAA", "BBB", "CCC", "DDD", "EEE"]
    aaa, bbb, ccc, ddd = t.loc["AAA"], t.loc["BBB"], t.loc["CCC"], t.loc["DDD"]
    assert (aaa["spend_gbp"], aaa["local_gbp"], aaa["unplaced_gbp"]) == (2030.0, 580.0, 50.0)
    assert (aaa["influenceable_gbp"], aaa["influenceable_local_gbp"],
            aaa["influenceable_unplaced_gbp"]) == (830.0, 380.0, 50.0)
    assert aaa["invoice_lines"] == 7  # Tax is out of scope
    assert (bbb["spend_gbp"], bbb["local_gbp"]) == (1000.0, 0.0)
    # CCC's local is Westminster, its own footprint's home, not FP1's Sandwell
    assert (ccc["spend_gbp"], ccc["local_gbp"], ccc["influenceable_gbp"],
            ccc["influenceable_local_gbp"]) == (1200.0, 600.0, 1000.0, 600.0)
    assert (ddd["spend_gbp"], ddd["unplaced_gbp"]) == (1000.0, 900.0)
    assert t.loc["EEE", "footprint_name"] == "Third"
    assert not t.loc["EEE", "has_home_place"] and t.loc["CCC", "has_home_place"]


def test_shares_coverage_and_ranks(national_wh):
    c = national.national_comparison(
        national.national_spend(national_wh, Q1_2024, Q1_2024)).set_index("org_code")
    assert c.loc["CCC", "local_share"] == pytest.approx(0.5)
    assert c.loc["AAA", "local_share"] == pytest.approx(580 / 1980)
    assert c.loc["BBB", "local_share"] == 0.0
    assert c.loc["CCC", "influenceable_local_share"] == pytest.approx(0.6)
    assert c.loc["AAA", "influenceable_local_share"] == pytest.approx(380 / 780)
    assert c.loc["DDD", "placed_share"] == pytest.approx(0.1)
    assert pd.isna(c.loc["DDD", "local_share"])  # 10% placed: not yet known
    assert pd.isna(c.loc["EEE", "local_share"])  # no home place
    assert c.loc["EEE", "placed_share"] == 1.0
    assert list(c["rank"]) == [2, 3, 1, pd.NA, pd.NA]
    assert list(c["influenceable_rank"]) == [2, 3, 1, pd.NA, pd.NA]


def test_ties_share_the_better_rank(national_wh):
    with national_wh.transaction() as cur:  # BBB's in-scope spend 0% local, as is a new FFF's
        cur.execute("insert into organisation (org_code, name, org_type, footprint_code)"
                    " values ('FFF', 'Phi NHS Trust', 'Acute trust', 'FP1')")
        cur.execute("insert into spend (org_code, quarter_start, supplier_id, category,"
                    " amount_gbp) values ('FFF', ?, 'S3', 'Catering', 10)", [Q1_2024])
        summary.rebuild(cur)
    c = national.national_comparison(
        national.national_spend(national_wh, Q1_2024, Q1_2024)).set_index("org_code")
    assert (c.loc["BBB", "rank"], c.loc["FFF", "rank"]) == (3, 3)


def test_only_the_period_counts(national_wh):
    t = national.national_spend(national_wh, Q1_2023, Q1_2023)
    assert list(t["org_code"]) == ["AAA"]
    assert (t["spend_gbp"].iat[0], t["local_gbp"].iat[0]) == (400.0, 100.0)  # 25%
    assert national.national_spend(national_wh, date(2023, 1, 1), date(2023, 1, 1)).empty


def test_the_table_says_what_is_not_known(national_wh):
    c = national.national_comparison(national.national_spend(national_wh, Q1_2024, Q1_2024))
    shown = comparison_table(c, influenceable=False)
    assert list(shown["Rank"]) == ["1", "2", "3", "–", "–"]
    assert shown["Organisation"].iat[0].startswith("CCC")
    assert list(shown["Local: in-scope"]) == ["50.0%", "29.3%", "0.0%", "Not yet known",
                                              "No home place"]
    download = comparison_table(c, influenceable=True, download=True)
    assert list(download["Organisation"][:3]) == ["CCC", "AAA", "BBB"]
    assert download["Local share of influenceable spend (%)"].iat[0] == 60.0
    assert pd.isna(download["Local share of influenceable spend (%)"].iat[3])


def _overview_row(wh, org: str, first, last):
    place = default_place_of_footprint(
        wh, wh.value("select footprint_code from organisation where org_code = ?", [org]))
    return spend.spend_totals(wh, [org], first, last, place).iloc[0]


MEASURES = ["spend_gbp", "local_gbp", "unplaced_gbp", "influenceable_gbp",
            "influenceable_local_gbp", "influenceable_unplaced_gbp", "invoice_lines"]


@pytest.mark.parametrize("org", ["AAA", "BBB", "CCC", "DDD"])
def test_figures_agree_with_the_overview(national_wh, org):
    """The Overview for one organisation, the period and its footprint's home place."""
    row = national.national_spend(national_wh, Q1_2023, Q1_2024).set_index("org_code").loc[org]
    overview = _overview_row(national_wh, org, Q1_2023, Q1_2024)
    assert [row[m] for m in MEASURES] == pytest.approx([overview[m] for m in MEASURES])
    for infl in (False, True):
        assert metrics.spend_share(row, influenceable=infl) == metrics.spend_share(
            overview, influenceable=infl)


def test_figures_agree_with_the_overview_on_the_demo(demo_db):
    from anchor.db import Warehouse
    from anchor.queries import reference

    wh = Warehouse(demo_db, read_only=True)
    latest = reference.data_quarters(wh, ["RXK"])[-1]
    period = Period.quarter(latest).year_earlier()
    t = national.national_spend(wh, period.first, period.last).set_index("org_code")
    assert len(t) == 5
    for org in t.index:
        overview = _overview_row(wh, org, period.first, period.last)
        assert [t.loc[org, m] for m in MEASURES] == pytest.approx([overview[m] for m in MEASURES])


def test_the_summary_and_the_invoice_lines_give_the_same_answer(national_wh):
    kept = national.national_spend(national_wh, Q1_2023, Q1_2024)
    lines = national.national_spend_from(national_wh, Q1_2023, Q1_2024, "lines")
    pd.testing.assert_frame_equal(kept, lines)
    with pytest.raises(ValueError, match="choose from summary, lines"):
        national.national_spend_from(national_wh, Q1_2023, Q1_2024, "spend; drop table x")
