import pytest

from anchor.metrics import SpendShare, share
from anchor.narrative import spend_sentence
from anchor.places import Place


def test_place_descriptions():
    fp = Place.of_lads("the Black Country", ["E08000028", "E08000027"], ["Sandwell", "Dudley"])
    assert fp.lad_codes == ("E08000027", "E08000028")
    assert "Sandwell, Dudley" in fp.describe()
    assert Place.within_km(10).describe().startswith("Local means within 10 km")
    assert Place.of_lads("Sandwell", ["E08000028"], ["Sandwell"]).describe() == (
        "Local means in Sandwell local authority.")


@pytest.mark.parametrize("kwargs", [dict(kind="lads", name="x"),
                                    dict(kind="radius", name="x", radius_km=0),
                                    dict(kind="county", name="x", lad_codes=("E1",))])
def test_invalid_places(kwargs):
    with pytest.raises(ValueError):
        Place(**kwargs)


def test_share_guards_division_by_zero():
    assert share(1, 0) is None
    assert share(None, 5) is None
    assert share(1, 4) == 0.25


def test_spend_sentence_reads_like_the_board_paper():
    now = SpendShare(18_200_000, 77_777_778, 0)
    before = SpendShare(12_000_000, 74_534_161, 0)
    text = spend_sentence("2024/25 Q2", "the footprint", "in the Black Country",
                          "influenceable spend", now, before)
    assert text == ("In 2024/25 Q2, 23.4% (£18.2m) of the footprint's influenceable spend went "
                    "to suppliers in the Black Country, up from 16.1% a year earlier.")




def test_sentences_compare_the_figures_they_show():
    from anchor import narrative, place_story
    from anchor.metrics import SpendShare
    now, then = SpendShare(1434.0, 10_000.0, 0.0), SpendShare(1426.0, 10_000.0, 0.0)
    text = narrative.spend_sentence("2025/26 Q2", "the footprint", "in Sandwell",
                                    "influenceable spend", now, then)
    assert text.endswith("14.3% (£1.4k) of the footprint's influenceable spend went to suppliers "
                         "in Sandwell, about the same as 14.3% a year earlier.")
    assert place_story.trend_sentence("influenceable spend", "2014/15 Q1", 0.1426, "2025/26 Q2",
                                      0.1434, 46) == (
        "The local share of influenceable spend was about the same in 2025/26 Q2 as in "
        "2014/15 Q1, 14.3%, over 46 quarters.")
    assert narrative.hectares_change(10.54, 10.46) == ", about the same as 10.5 ha a year earlier"
    assert narrative.hectares_change(10.56, 10.44) == ", up from 10.4 ha a year earlier"


def test_a_years_trend_says_its_last_point_is_a_quarter_of_that_year():
    from anchor import place_story
    text = place_story.trend_sentence("influenceable spend", "2014/15 Q1", 0.06, "2024/25 Q4",
                                      0.501, 44, within="2024/25")
    assert text == ("The local share of influenceable spend has risen from 6.0% in 2014/15 Q1 "
                    "to 50.1% in 2024/25 Q4, the last quarter of 2024/25, over 44 quarters.")
