"""Measures and views on the hand-worked fixture warehouse (tests/fixture_warehouse.py): each
figure's value, year-earlier value, series, sentence and definition from one specification."""


import pytest

from anchor import summary
from anchor.db import bump_data_version
from anchor.filters import Filters
from anchor.measures import (
    LOCAL_SHARE_INFLUENCEABLE,
    LOCAL_SME_SHARE,
    MEASURES,
    Selection,
    WarehouseSource,
)
from anchor.periods import Period
from anchor.places import Place
from anchor.views import overview
from tests.fixture_warehouse import BIRMINGHAM, Q1_2024, SANDWELL

FP1 = Place.of_lads("Fixture footprint", [SANDWELL, BIRMINGHAM])


def _selection(wh, orgs=("AAA",)) -> Selection:
    filters = Filters("FP1", "Fixture footprint", orgs, Period(Q1_2024, Q1_2024), FP1)
    return Selection(WarehouseSource(wh), filters)


def test_local_sme_share_of_influenceable_spend_with_its_year_earlier_and_series(fixture_wh):
    figure = LOCAL_SME_SHARE.figure(_selection(fixture_wh))
    # Influenceable (no Framework, no public body S5) 830: S1 80 and S2 300 are SMEs in FP1;
    # S3's 400 is placed and flagged not SME; S4's 50 has no location. 380 / 780.
    assert figure.now.value == pytest.approx(380 / 780)
    assert figure.now.shown == "48.7%"
    assert figure.now.basis.coverage == pytest.approx(780 / 830)
    # 2023/24 Q1: S1 100 local SME of S1 100 + S3 300.
    assert figure.then.value == pytest.approx(0.25)
    assert figure.delta == "+23.7 pts"
    assert list(figure.series["value"]) == pytest.approx([0.25, 380 / 780])
    assert figure.sentence == (
        "In 2024/25 Q1, 48.7% (£380) of AAA's influenceable spend whose suppliers' location and "
        "size are known went to SMEs in Fixture footprint, up from 25.0% a year earlier.")


def test_local_sme_share_is_not_known_when_too_few_suppliers_carry_the_flag(fixture_wh):
    with fixture_wh.transaction() as cur:  # S3 (£400 influenceable) no longer says if it is an SME
        cur.execute("update supplier set is_sme = null where supplier_id = 'S3'")
        summary.rebuild(cur)
        bump_data_version(cur)
    figure = LOCAL_SME_SHARE.figure(_selection(fixture_wh))
    assert figure.now.value is None  # 380 of 830 known: 45.8%, below the 80% a share needs
    assert figure.now.shown == "Not yet known"
    assert figure.now.detail.startswith("Location and SME flag known for only 45.8% of")
    assert figure.delta is None
    assert "is not yet known" in figure.sentence


def test_every_measure_reads_the_same_totals_as_the_local_share(fixture_wh):
    sel = _selection(fixture_wh, ("AAA", "BBB"))
    share = LOCAL_SHARE_INFLUENCEABLE.figure(sel)
    # BBB's £1,000 with S3 in Westminster joins the influenceable spend: 380 of 1,780 placed.
    assert share.now.value == pytest.approx(380 / 1780)
    assert LOCAL_SME_SHARE.figure(sel).now.value == pytest.approx(380 / 1780)
    assert set(MEASURES) >= {m.key for m in overview.TILES}
    assert len({m.key for m in MEASURES.values()}) == len(MEASURES)


def test_the_overview_charts_only_what_it_has_a_share_for(fixture_wh):
    built = overview.build(WarehouseSource(fixture_wh), _selection(fixture_wh).filters)
    assert built.has_trend and built.has_org_shares  # AAA's 48.7% and its quarters
    with fixture_wh.transaction() as cur:  # no supplier can be placed any more
        cur.execute("update supplier set postcode = null")
        summary.rebuild(cur)
        bump_data_version(cur)
    built = overview.build(WarehouseSource(fixture_wh), _selection(fixture_wh).filters)
    assert not built.has_trend and not built.has_org_shares
