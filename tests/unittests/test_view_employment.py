"""The Local employment view on the hand-worked fixture warehouse (tests/fixture_warehouse.py,
with its imported deciles): tiles, sentences, tables, SPC and definitions, worked out by hand.
Disclosure control: counts to the nearest 5; any count from 1 to 4, and whatever would give it
away, is '*' (in the page's Markdown tables, '\\*')."""

from datetime import date

import pandas as pd
import pytest

from anchor import spc
from anchor.filters import Filters
from anchor.measures import Selection, WarehouseSource
from anchor.periods import Period
from anchor.places import Place
from anchor.queries import reference, workforce
from anchor.views import employment as view
from anchor.views.parts import SpcGrid
from tests.fixture_warehouse import BIRMINGHAM, Q2_2024, SANDWELL, add_fixture_deciles

FP1 = Place.of_lads("Fixture footprint", [SANDWELL, BIRMINGHAM])


def _filters(orgs=("AAA", "BBB")) -> Filters:
    return Filters("FP1", "Fixture footprint", orgs, Period(Q2_2024, Q2_2024), FP1)


@pytest.fixture
def built(fixture_wh):
    return view.build(WarehouseSource(add_fixture_deciles(fixture_wh)), _filters())


def test_tiles_round_to_five_and_withhold_one_to_four(built):
    tiles = {t.label: t for t in built.tiles}
    # AAA, 2024/25 Q2: 16 of 18 staff live in FP1 (Sandwell 12, Birmingham 4): 15 of 20 to the
    # nearest 5, and the share from those: 75.0%. FTE 14.0 of 16.0: 15.0 of 15.0 (FTE keeps
    # its decimal). No workforce
    # a year earlier (2023/24 Q2), so no change.
    residents = tiles["Residents employed"]
    assert (residents.value, residents.delta) == ("15", None)
    assert residents.detail == "75.0% of 20 staff; 15.0 of 15.0 FTE, end of 2024/25 Q2"
    # £80k to residents, but £20k of it to AAA's 4 in Birmingham: Sandwell alone would give it
    # away, so it is withheld. All gross pay, £90k, rests on 18 staff and is shown.
    pay = tiles["Pay into the place"]
    assert (pay.value, pay.detail) == ("*", "* of £90k gross pay in 2024/25 Q2")
    # 2 apprenticeship starts (Q1 and Q2): withheld, so no gap to the target either.
    apprentices = tiles["Apprenticeship starts"]
    assert (apprentices.value, apprentices.delta) == ("*", None)
    assert apprentices.detail == ("* starts in the 12 months to 2024/25 Q2, as a share of "
                                  "headcount; target 2.3%")
    # Staff with a decile: 16, all in deciles 1-2 (15 of 15 shown); 12 in decile 1 would give
    # away the 4 in decile 2, so the 10% figure is withheld.
    deprived = tiles["Staff, most deprived 20%"]
    assert (deprived.value, deprived.detail) == (
        "100.0%", "of staff live in the most deprived 20% of neighbourhoods; 10%: *.")
    # 7 starters (5 to the nearest 5), all in deciles 1-2; the 3 in decile 1 are withheld.
    starters = tiles["Starters, most deprived 20%"]
    assert (starters.value, starters.detail) == (
        "100.0%", "of the 5 who started in 2024/25 Q2; 10%: *.")
    below = tiles["Below Real Living Wage"]  # 1 person
    assert (below.value, below.delta_color) == ("*", "off")
    assert below.detail == "Staff paid below the Real Living Wage at the end of 2024/25 Q2. Target: none."


def test_sentences_and_tables(built):
    assert built.no_returns is None
    assert built.snapshot == "2024/25 Q2"
    assert built.sentences[0] == ("At the end of 2024/25 Q2, 15 of the footprint's 20 staff (75.0%) "
                                  "lived in Fixture footprint.")
    assert not any("gross pay" in s for s in built.sentences)  # the pay is withheld
    # Only AAA has staff: its row alone, with no total repeating it.
    shown = built.residents.shown
    assert list(shown["Organisation"]) == ["AAA · Alpha Hospitals"]
    assert list(shown["Residents employed"]) == ["15"]
    assert list(shown["Pay into the place"]) == ["\\*"]
    download = built.residents.download
    assert list(download["Residents employed"]) == [15]
    assert list(download["Share living in the place (%)"]) == [75.0]
    assert list(download["Pay into the place (GBP)"]) == ["*"]
    assert built.residents.key == "employment-residents"
    # Birmingham 4 and Sandwell 12: the 4 is withheld, and Sandwell with it, as the place's
    # total (15) is shown. The map holds no figure for either LSOA.
    assert list(built.lads.shown["Residents"]) == ["\\*", "\\*"]
    assert list(built.lads.download["Residents employed"]) == ["*", "*"]
    assert built.staff_map.values["suppressed"].all()
    assert built.staff_map.none_live_here is None
    appr = built.apprenticeships.download
    assert list(appr["Apprenticeship starts, 12 months"]) == ["*"]
    assert list(appr["Paid below the Real Living Wage"]) == ["*"]
    assert built.apprenticeships.notes[-1] == ("Apprenticeship starts in the 12 months to 2024/25 "
                                               "Q2; public-sector target 2.3% of headcount.")
    assert not built.synthetic
    assert built.deprivation.notes[-1] == "Deprivation deciles: Fixture deciles."
    # Decile 1: 12 staff, decile 2: 4 (withheld, and decile 1 with it: they make up the 20%).
    profile = built.deprivation_profile.set_index("imd_decile")
    assert profile.loc[1, "headcount"] is None and profile.loc[2, "headcount"] is None


def test_no_count_from_one_to_four_in_any_download(built):
    for table in (built.residents, built.deprivation, built.apprenticeships, built.lads):
        for col in table.download.columns:
            if "%" in col or "FTE" in col or "GBP" in col:
                continue
            for v in table.download[col]:
                assert v == "*" or isinstance(v, str) or v == 0 or v % 5 == 0, (col, v)


def test_definitions(built):
    d = dict(built.definitions)
    # The 2 with no home LSOA: withheld.
    assert d["Residents employed"] == (
        "Headcount and FTE at the end of 2024/25 Q2 (each organisation's latest quarter in the "
        "period) whose home LSOA lies in the place. Staff with no usable home LSOA (*) count as "
        "not local.")
    assert d["Deprivation profile"].endswith("Deciles: Fixture deciles.")
    assert d["Apprenticeship starts"].startswith(
        "Apprenticeship starts in the four quarters to the end of 2024/25 Q2 divided by headcount")
    assert d["Year-earlier comparison"] == "Residents employed in 2023/24 Q2."


def test_spc_grid_on_the_fixture(built):
    cards = {c.key: c for c in built.spc.cards(20)}
    assert list(cards) == ["spc-residents_share", "spc-starters_deprived_20_share",
                           "spc-apprenticeship_rate", "spc-below_living_wage_shown"]
    # Residents: 10 of 13 (10 of 15 shown) in Q1, 15 of 20 in Q2.
    residents = cards["spc-residents_share"]
    assert residents.result.mean == pytest.approx((10 / 15 + 15 / 20) / 2)
    assert residents.note == "Staff living in the place at the end of each quarter ÷ all staff."
    # Starters from the most deprived 20%: 2 in Q1 rest on 1 to 4 people; one quarter is left.
    starters = cards["spc-starters_deprived_20_share"]
    assert starters.result is None
    assert starters.note.endswith(" 1 quarter left out: no value, or resting on 1 to 4 people.")
    # Four quarters of apprenticeship starts are needed: none yet.
    assert cards["spc-apprenticeship_rate"].note.endswith(" 2 quarters left out: no value, or "
                                                          "resting on 1 to 4 people.")
    assert cards["spc-below_living_wage_shown"].result is None  # Q1's 0, and Q2's 1 left out
    assert built.spc.caption.startswith("Statistical process control (Making Data Count XmR "
                                        "charts) up to 2024/25 Q2:")


def test_no_returns_is_said(fixture_wh):
    built = view.build(WarehouseSource(fixture_wh), _filters(orgs=("BBB",)))
    assert built.no_returns == ("No workforce returns for BBB in 2024/25 Q2. Choose another "
                                "period or organisation, or load the workforce data.")
    assert built.tiles == ()


class _Quarters:
    """A Source holding only a workforce series by quarter: the charts' arithmetic."""

    def __init__(self, by_quarter: pd.DataFrame) -> None:
        self.by_quarter = by_quarter

    def query(self, fn, *args, **kwargs):
        if fn is reference.data_quarters:
            return [q.date() for q in self.by_quarter["quarter_start"]]
        assert fn in (workforce.workforce_by_quarter, workforce.residents_by_quarter), fn
        return self.by_quarter

    def shapes(self, fn, *args, id_col, props=()):
        raise AssertionError("no shapes")


def test_quarterly_spc_leaves_out_quarters_resting_on_one_to_four_people():
    quarters = [date(2023, 4, 1), date(2023, 7, 1), date(2023, 10, 1), date(2024, 1, 1),
                date(2024, 4, 1)]
    by_q = pd.DataFrame({
        "quarter_start": pd.to_datetime(quarters),
        "headcount": [100, 100, 100, 100, 200], "local_headcount": [50, 60, 55, 70, 120],
        "starters": [10] * 5, "starters_with_decile": [10, 10, 10, 10, 0],
        "starters_deprived_20": [5, 6, 3, 8, 0], "apprentices": [1, 2, 3, 4, 5],
        "below_living_wage": [0] * 5,
    })
    sel = Selection(_Quarters(by_q), Filters("FP1", "Fixture footprint", ("AAA",),
                                             Period(quarters[-1], quarters[-1]), FP1))
    grid = SpcGrid.of(sel, view.CHARTS, page_key="employment", caption="", count_left_out=True)
    cards = grid.cards(None)
    # Residents: 50, 60, 55, 70 of 100 and 120 of 200: mean 0.59, nothing left out.
    assert cards[0].result.mean == pytest.approx(0.59)
    assert "left out" not in cards[0].note
    # Starters from deprived areas: 3 is withheld and the last quarter has no value.
    deprived = cards[1]
    assert deprived.note.endswith(" 2 quarters left out: no value, or resting on 1 to 4 people.")
    assert list(deprived.result.points["label"]) == ["2023/24 Q1", "2023/24 Q2", "2023/24 Q4"]
    assert deprived.result.improvement == "up"
    appr = view.CHARTS[2].measure
    assert appr.target == pytest.approx(0.023)
    assert isinstance(cards[2].result, spc.SpcResult)
    # The window keeps to the latest quarters: the last two, of which one has no value.
    assert grid.cards(2)[1].result is None
