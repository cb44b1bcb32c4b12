"""The Place page's view on the hand-worked fixture warehouse (tests/fixture_warehouse.py): its
headline figures are the measures' (the Overview's, value for value), its definitions the
measures' own, and the places it offers."""

import pandas as pd
import pytest

from anchor import spc_icons
from anchor.filters import Filters
from anchor.measures import INFLUENCEABLE_DEFINITION, LAND_NOT_DELIVERING, WarehouseSource
from anchor.measures import multiplier as lm3_measure
from anchor.periods import Period
from anchor.places import Place
from anchor.views import overview
from anchor.views import place as place_view
from tests.fixture_warehouse import BIRMINGHAM, Q1_2024, SANDWELL

FP1 = Place.of_lads("Fixture footprint", [SANDWELL, BIRMINGHAM], ["Sandwell", "Birmingham"])


def _filters(orgs=("AAA", "BBB"), place=FP1, influenceable=True) -> Filters:
    return Filters("FP1", "Fixture footprint", orgs, Period(Q1_2024, Q1_2024), place,
                   influenceable)


def test_the_headline_figures_and_tiles_on_the_fixture(fixture_wh):
    view = place_view.build(WarehouseSource(fixture_wh), _filters())
    share = view.figure("influenceable_local_share")
    # AAA's 380 local of 830 influenceable, BBB's 1,000 with S3 in Westminster; S4's £50 has no
    # location: 380 of the other 1,780. A year earlier, 100 of 400.
    assert share.now.value == pytest.approx(380 / 1780)
    assert share.then.value == pytest.approx(0.25)
    assert view.figure("residents_employed").now.value == 10  # to the nearest 5
    assert view.figure("land_not_delivering").now.value == pytest.approx(2.0)
    # (83,030 + 50,580 + 14,597.20) ÷ 83,030: see test_reports.
    assert view.figure("lm3").now.value == pytest.approx((83_030 + 50_580 + 14_597.20) / 83_030)
    assert view.intro == (("Influenceable spend with suppliers based in Fixture footprint", "£380"),
                          ("Staff living in Fixture footprint", "10"),
                          ("Of land in Fixture footprint not delivering services", "2.0 ha"))
    assert place_view.tiles(view.multiplier) == (
        ("The local multiplier (LM3)", "1.78"), ("Spent and re-spent in Fixture footprint", "£65k"))
    assert view.sentences[0].startswith(
        "In 2024/25 Q1, the two organisations of Fixture footprint paid £380 of their "
        "influenceable spend (21.3% of the 97.3% whose supplier location is known)")
    assert view.caption == ("The two organisations of Fixture footprint, 2024/25 Q1. "
                            + FP1.describe())
    assert list(view.comparison["Local authority"]) == ["Birmingham (in the place)",
                                                        "Sandwell (in the place)"]


def test_the_land_sentence_and_definitions_are_the_measures(fixture_wh):
    story = place_view.build(WarehouseSource(fixture_wh), _filters()).story
    land = next(m for m in story.messages if m.key == "land")
    # 0.5 ha of Birmingham's site and 1.5 ha of Sandwell's, of 15.0 ha: 13.3%.
    assert land.sentence.startswith(
        "At the end of 2024/25 Q1, 2.0 ha of the 15.0 ha on 2 sites in the place (13.3%) was "
        "not delivering services")
    assert land.sentence.startswith(story.figures["land_not_delivering"].sentence)
    definitions = dict(story.definitions)
    assert definitions["Influenceable spend"] == INFLUENCEABLE_DEFINITION
    assert definitions["Local multiplier (LM3)"] == lm3_measure.DEFINITION
    assert definitions["Land not delivering services"] == LAND_NOT_DELIVERING.definition(
        None, story.figures["land_not_delivering"].now)
    assert definitions["Residents employed"].startswith(
        "Headcount at the end of 2024/25 Q1 whose home LSOA lies in the place.")
    assert definitions["Local spend"].startswith(
        "Influenceable spend paid to suppliers whose registered postcode lies in the place")


@pytest.mark.parametrize("orgs,influenceable", [(("AAA", "BBB"), True), (("AAA",), False)])
def test_the_place_figures_are_the_overviews_value_for_value(fixture_wh, orgs, influenceable):
    src = WarehouseSource(fixture_wh)
    filters = _filters(orgs, influenceable=influenceable)
    place, board = place_view.build(src, filters), overview.build(src, filters)
    assert [f.measure.key for f in place.figures] == [
        "influenceable_local_share" if influenceable else "local_share", "residents_employed",
        "land_not_delivering", "lm3"]
    for mine in place.figures:
        theirs = board.figure(mine.measure.key)
        assert mine.measure is theirs.measure
        # LM3 is shown with no year-earlier value, so neither reads one
        assert (mine.then is None) == (theirs.then is None) == (mine.measure.key == "lm3")
        for reading in ("now", "then") if mine.then is not None else ("now",):
            a, b = getattr(mine, reading), getattr(theirs, reading)
            assert (a.value, a.shown, a.detail) == (b.value, b.shown, b.detail)
        assert (mine.delta, mine.sentence) == (theirs.delta, theirs.sentence)
        pd.testing.assert_frame_equal(mine.series, theirs.series)
        assert (mine.spc is None) == (theirs.spc is None)
        if mine.spc is not None:
            pd.testing.assert_frame_equal(mine.spc.points, theirs.spc.points)
            assert ((mine.spc.mean, mine.spc.ucl, mine.spc.lcl, mine.spc.variation,
                     mine.spc.assurance) == (theirs.spc.mean, theirs.spc.ucl, theirs.spc.lcl,
                                             theirs.spc.variation, theirs.spc.assurance))
    # The chart steps carry those figures' SPC icons, as the Overview's tiles draw them.
    steps = {m.key: m for m in place.story.messages}
    share_key = "influenceable_local_share" if influenceable else "local_share"
    for step, key in (("trend", share_key), ("jobs", "residents_employed"),
                      ("land", "land_not_delivering")):
        result = board.figure(key).spc
        expected = tuple(spc_icons.icons_svg(result)) if result is not None else ()
        if steps[step].chart:
            assert steps[step].icons == expected
    assert steps["trend"].icons  # the share's two quarters


def test_the_places_offered_and_chosen(fixture_wh):
    src = WarehouseSource(fixture_wh)
    filters = _filters()
    options = place_view.place_options(src, filters)
    assert list(options)[:2] == [place_view.SIDEBAR, "footprint"]
    assert options[place_view.SIDEBAR] == "As in the sidebar: Fixture footprint"
    assert {SANDWELL, BIRMINGHAM} <= set(options) and list(options)[-1] == place_view.RADIUS
    assert place_view.with_place(src, filters, place_view.SIDEBAR, 10) is filters
    assert place_view.with_place(src, filters, SANDWELL, 10).place.lad_codes == (SANDWELL,)
    assert place_view.with_place(src, filters, place_view.RADIUS, 6).place == Place.within_km(6)
    with pytest.raises(ValueError):
        place_view.with_place(src, filters, "Atlantis", 10)
