"""The National comparison view on the hand-worked fixture warehouse with a second footprint's
organisation (tests/apptest/test_national_page.py): in 2024/25 Q1 CCC has 60.0% of its spend
in its own footprint's home place, AAA 29.3% of in-scope and 48.7% of influenceable spend, BBB
none."""

from anchor.db import Warehouse
from anchor.filters import Filters
from anchor.measures import WarehouseSource
from anchor.periods import Period
from anchor.places import Place
from anchor.views import national as view
from tests.apptest.test_national_page import _with_second_footprint
from tests.fixture_warehouse import BIRMINGHAM, Q1_2024, Q2_2024, SANDWELL

FP1 = Place.of_lads("Fixture footprint", [SANDWELL, BIRMINGHAM])


def _build(path, quarter=Q1_2024, influenceable=True):
    wh = Warehouse(path, read_only=True)
    try:
        return view.build(WarehouseSource(wh), Filters(
            "FP1", "Fixture footprint", ("AAA", "BBB"), Period(quarter, quarter), FP1,
            influenceable=influenceable))
    finally:
        wh.close()


def test_ranks_every_organisation_and_highlights_the_footprint(tmp_path):
    built = _build(_with_second_footprint(tmp_path / "n.duckdb"))
    assert built.empty is None
    tiles = {t.label: t for t in built.tiles}
    assert (tiles["Organisations with spend"].value,
            tiles["Organisations with spend"].detail) == ("3", "in 2 footprints")
    assert tiles["Local share known"].value == "3"
    assert tiles["Local share known"].detail == "for influenceable spend: at least 80% of it placed"
    best = tiles["Best placed in Fixture footprint"]
    assert (best.value, best.detail) == ("2 of 3", "AAA: 48.7% local")
    assert list(built.chart["org_code"]) == ["CCC", "AAA", "BBB"]
    assert list(built.chart["ours"]) == [False, True, True]
    assert list(built.chart["text"]) == ["60.0% (rank 1)", "48.7% (rank 2)", "0.0% (rank 3)"]
    assert built.left_out is None
    assert built.chart_title == "Local share of influenceable spend, 2024/25 Q1"
    assert list(built.table.shown["Rank"]) == ["1", "2", "3"]
    assert list(built.table.download["Local share of influenceable spend (%)"]) == [60.0, 48.7, 0.0]
    assert built.table.title == "National comparison 2024/25 Q1"


def test_in_scope_basis_ranks_on_all_spend(tmp_path):
    built = _build(_with_second_footprint(tmp_path / "n.duckdb"), influenceable=False)
    best = {t.label: t for t in built.tiles}["Best placed in Fixture footprint"]
    assert (best.value, best.detail) == ("2 of 3", "AAA: 29.3% local")
    assert built.share_col == "local_share"
    assert list(built.chart["text"])[1] == "29.3% (rank 2)"


def test_a_period_without_spend_says_so(tmp_path):
    built = _build(_with_second_footprint(tmp_path / "n.duckdb"), quarter=Q2_2024)
    assert built.empty == ("No organisation has in-scope spend for 2024/25 Q2. Choose another "
                           "period in the sidebar.")
    assert built.tiles == () and built.table is None
