"""The load preview reads its figures through the measures: what it says a file would make the
local share is what the Overview's measure reads once the file is loaded."""

from __future__ import annotations

from datetime import date

import pytest

from anchor import loading
from anchor.filters import Filters
from anchor.loading.preview import default_place
from anchor.measures import LOCAL_SHARE_ALL, LOCAL_SHARE_INFLUENCEABLE, Selection, WarehouseSource
from anchor.periods import Period
from tests.fixture_warehouse import Q1_2024
from tests.unittests.test_loading import ANALYST, checked_csv

Q2_2024 = date(2024, 7, 1)

# AAA's April 2024 replaced by four Catering lines: S1 (Sandwell) £100 and S5 (Birmingham, a
# public body) £200 are local; S3 (Westminster) £300 is not; S4's postcode is unknown (£50).
# In-scope: 650, placed 600, local 300, so the local share is 300 / 600 = 50.0%.
# Influenceable leaves out S5, a public body: 450, placed 400, local 100: 25.0%.
REPLACE_APRIL = ("org_code,paid_date,supplier_id,category,amount_gbp\n"
                 "AAA,15/04/2024,S1,Catering,100\nAAA,16/04/2024,S5,Catering,200\n"
                 "AAA,17/04/2024,S3,Catering,300\nAAA,18/04/2024,S4,Catering,50\n")
# A new quarter for AAA: S1 £100 local, S3 £300 not: 100 / 400 = 25.0% on either basis.
NEW_QUARTER = ("org_code,paid_date,supplier_id,category,amount_gbp\n"
               "AAA,15/07/2024,S1,Catering,100.00\nAAA,20/08/2024,S3,Catering,300.00\n")


def _after(pv, figure: str):
    return pv.figures.loc[pv.figures["figure"] == figure, "after"].iloc[0]


def _measured(wh, measure, quarter: date):
    """The measure's value for AAA's quarter in AAA's home place, read on the warehouse."""
    place = default_place(wh, ["AAA"])
    sel = Selection(WarehouseSource(wh),
                    Filters("FP1", "Fixture footprint", ("AAA",), Period(quarter, quarter), place))
    return measure.read(sel, sel.period)


@pytest.mark.parametrize(("text", "quarter", "share", "influenceable"), [
    (REPLACE_APRIL, Q1_2024, 300 / 600, 100 / 400),
    (NEW_QUARTER, Q2_2024, 100 / 400, 100 / 400),
])
def test_the_previews_local_share_is_the_measures_after_the_load(fixture_wh, text, quarter,
                                                                 share, influenceable):
    checked = checked_csv(fixture_wh, "spend", text)
    assert checked.ok, checked.issues
    pv = loading.preview(fixture_wh, checked, ANALYST)
    assert _after(pv, "Local share") == pytest.approx(share)
    loading.load(fixture_wh, checked, ANALYST, expected=pv.slices)
    loaded = _measured(fixture_wh, LOCAL_SHARE_ALL, quarter)
    assert loaded.value == pytest.approx(share)
    assert _after(pv, "Local share") == loaded.value
    assert _after(pv, "In-scope spend") == loaded.basis.spend_gbp
    assert _after(pv, "Local spend") == loaded.basis.local_gbp
    assert _after(pv, "Spend whose supplier location is known") == loaded.basis.coverage
    # the influenceable basis the Overview leads with reads the same staged rows
    assert _measured(fixture_wh, LOCAL_SHARE_INFLUENCEABLE, quarter).value == pytest.approx(
        influenceable)


def test_the_previews_before_is_the_measure_on_the_warehouse_as_it_is(fixture_wh):
    # AAA's 2024/25 Q1 in the fixture: local 580 (S1 80, S2 300, S5 200) of the 1,980 placed
    now = _measured(fixture_wh, LOCAL_SHARE_ALL, Q1_2024)
    assert now.value == pytest.approx(580 / 1980)
    pv = loading.preview(fixture_wh, checked_csv(fixture_wh, "spend", REPLACE_APRIL), ANALYST)
    before = pv.figures.loc[pv.figures["figure"] == "Local share", "before"].iloc[0]
    assert before == now.value
