"""A change point rebases the local share's SPC wherever it is read: the Overview's tile and
the Local spend page's quarterly chart say the same of the latest quarter."""

from datetime import date

from anchor.change_points import save_change_point
from anchor.db import Warehouse
from anchor.demo import reference as ref
from anchor.ui import state
from tests.apptest.helpers import run_app
from tests.unittests.test_loading import ANALYST


def spc_words(at) -> list[str]:
    return [c.value for c in at.caption if "against its SPC limits" in c.value]


def test_the_tile_and_the_chart_read_the_same_phases(monkeypatch, demo_copy):
    wh = Warehouse(demo_copy)
    try:
        save_change_point(wh, ANALYST, org_code=None, footprint_code=ref.FOOTPRINT_CODE,
                          measure="local_spend_share", quarter_start=date(2024, 4, 1),
                          name="New supplier register")
    finally:
        wh.close()
    at = run_app(monkeypatch, demo_copy)
    tile = spc_words(at)[0]  # the influenceable local share's tile, the first
    at.switch_page("pages/local_spend.py").run()
    at.segmented_control(key=state.SPEND_POINTS).set_value("By quarter").run()
    assert not at.exception
    chart = spc_words(at)[0]  # the trend's badges, before the prompt payment chart's
    assert tile == chart
    assert "in 2025/26 Q2" in tile
