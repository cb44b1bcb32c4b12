"""The place story on the hand-worked fixture, its sentences, and the slide pack and board
paper built from it (with stand-in chart images: these tests need no browser)."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import date

import pandas as pd
import pytest
from PIL import Image
from pptx import Presentation

from anchor import place_story
from anchor.config import GEOGRAPHY_ATTRIBUTION
from anchor.measures import WarehouseSource
from anchor.metrics import ResidentsEmployed, SpendShare
from anchor.periods import Period
from anchor.places import Place
from anchor.queries import places, reference
from anchor.reports import paper, slides
from anchor.reports.place_spec import resolve_place
from anchor.reports.story import build_story, comparison_table
from tests.fixture_warehouse import BIRMINGHAM, SANDWELL

FP1 = Place.of_lads("Fixture footprint", [SANDWELL, BIRMINGHAM], ["Sandwell", "Birmingham"])
GENERATED = date(2026, 11, 24)


def story_of(wh, period="2024/25 Q1", place=FP1, orgs=("AAA", "BBB"), influenceable=True):
    return build_story(WarehouseSource(wh), footprint_code="FP1",
                       footprint_name="Fixture footprint", orgs=orgs,
                       period=Period.parse(period), place=place, influenceable=influenceable,
                       generated=GENERATED)


def stand_in_png(colour=(0, 94, 184)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (900, 560), colour).save(buf, "PNG")
    return buf.getvalue()


# -- choosing a place by name -------------------------------------------------------------

def test_place_specs(fixture_wh):
    wh = fixture_wh
    args = dict(footprint_name="Fixture footprint", footprint_lads=reference.footprint_lads(wh, "FP1"),
                named=places.named_places(wh), lads=reference.lads(wh))
    assert resolve_place("footprint", **args).lad_codes == (BIRMINGHAM, SANDWELL)
    assert resolve_place("E08000028", **args) == Place.of_lads("Sandwell", [SANDWELL])
    assert resolve_place("sandwell", **args).lad_codes == (SANDWELL,)
    assert resolve_place("radius:10", **args) == Place.within_km(10)
    with pytest.raises(ValueError, match="radius:10"):
        resolve_place("radius:ten", **args)
    with pytest.raises(ValueError, match="not a place Anchor knows"):
        resolve_place("Atlantis", **args)


def test_named_place_spec():
    named = pd.DataFrame({"place_code": ["WMCA"], "name": ["West Midlands Combined Authority"],
                          "kind": ["Combined authority"], "lad_codes": [["E08000025", "E08000028"]],
                          "lad_names": [["Birmingham", "Sandwell"]]})
    empty = pd.DataFrame({"lad_code": [], "lad_name": []})
    p = resolve_place("wmca", footprint_name="F", footprint_lads=empty, named=named, lads=empty)
    assert p.name == "West Midlands Combined Authority"
    assert p.lad_codes == ("E08000025", "E08000028")


# -- sentences ----------------------------------------------------------------------------

def test_sentences_carry_their_numbers():
    now, then = SpendShare(380.0, 1830.0, 50.0), SpendShare(100.0, 400.0, 0.0)
    assert place_story.spend_sentence("2024/25 Q1", "the two organisations of F", "in F",
                                      "influenceable spend", now, then) == (
        "In 2024/25 Q1, the two organisations of F paid £380 of their influenceable spend "
        "(21.3% of the 97.3% whose supplier location is known) to suppliers based in F, down "
        "from 25.0% a year earlier.")  # 380 of the 1,780 placed; 1,780 of 1,830
    res = ResidentsEmployed(4, 18, 4.0, 16.0, 2)
    # Four residents would disclose: say "fewer than 5" and leave the pay out.
    text = place_story.residents_sentence("2024/25 Q2", "AAA", "in Birmingham", res, 20000, None)
    assert "fewer than 5" in text and "£20k" not in text
    assert place_story.trend_sentence("influenceable spend", "2014/15 Q1", 0.06, "2025/26 Q2",
                                      0.113, 46) == (
        "The local share of influenceable spend has risen from 6.0% in 2014/15 Q1 to 11.3% in "
        "2025/26 Q2, over 46 quarters.")
    assert place_story.comparison_sentence(
        "the footprint's five local authorities", ["Birmingham", "Sandwell", "Dudley"],
        [22.1e6, 14.4e6, 9.6e6], {"Sandwell"}) == (
        "Of the footprint's five local authorities, suppliers in Birmingham received the most "
        "(£22.1m); Sandwell came 2nd with £14.4m.")
    assert place_story.ordinal(11) == "11th" and place_story.ordinal(23) == "23rd"


# -- the story on the fixture ---------------------------------------------------------------

def test_story_matches_the_hand_worked_fixture(fixture_wh):
    s = story_of(fixture_wh)
    m = {x.key: x for x in s.messages}
    # Influenceable: AAA's 380 of 830 local, BBB's 1,000 with S3 in Westminster; S4's £50
    # is not placed, so the share is of the other 1,780 (97.3% of 1,830).
    assert m["spend"].numbers == (("£380", "of £1.8k influenceable spend whose supplier is "
                                   "placed (97.3% of it)"),
                                  ("21.3%", "local share; 25.0% a year earlier"))
    assert m["intro"].numbers[1] == ("10", "staff living in Fixture footprint")
    assert m["jobs"].numbers[1] == ("£50k", "their gross pay in 2024/25 Q1")
    assert m["land"].numbers[0] == ("2.0 ha", "not delivering services, of 15.0 ha on 2 sites")
    assert "10 of the 15 staff" in m["jobs"].sentence  # 13 to the nearest 5
    assert "(66.7%)" in m["jobs"].sentence  # 10 ÷ 15, from the rounded counts
    # LM3: R1 = 3,030 in scope + £80,000 pay; R2 = local suppliers S1 80, S2 300, S5 200 and
    # £50,000 of residents' pay; R3 at the starting assumptions = 580 × (0.45 × 0.25 + 0.35 ×
    # 0.65) + 50,000 × 0.72 × 0.40 = 197.20 + 14,400. (83,030 + 50,580 + 14,597.20) ÷ 83,030.
    assert m["lm3"].numbers == (("1.78", "the local multiplier (LM3)"),
                                ("£65k", "spent and re-spent in Fixture footprint"))
    assert "Of £83k spent and paid (R1), £51k went to suppliers" in m["lm3"].sentence
    assert "share of net pay spent in the place 40%" in m["lm3"].detail
    table = comparison_table(s).set_index("Local authority")
    assert table.loc["Birmingham (in the place)"].tolist() == [
        "£300", "16.4%", "0", "£0", "1", "0.5 ha"]  # S2's 300 (S5 is a public body)
    assert table.loc["Sandwell (in the place)"].tolist() == [
        "£80", "4.4%", "10", "£50k", "1", "1.5 ha"]  # S1's 100 less its credit note
    assert s.title == "What the NHS puts into Fixture footprint"
    assert not s.is_demo
    assert set(s.charts) >= {"trend", "residents", "land", "compare"}
    assert "map" not in s.charts  # the fixture has no boundaries


def m_intro(s):
    return next(m for m in s.messages if m.key == "intro").numbers[1]


def test_story_suppresses_small_counts(fixture_wh):
    s = story_of(fixture_wh, period="2024/25 Q2")
    table = comparison_table(s).set_index("Local authority")
    # AAA's four staff living in Birmingham, and their pay, are not shown.
    assert table.loc["Birmingham (in the place)", "Staff living there"] == "*"
    assert table.loc["Birmingham (in the place)", "Their pay"] == "*"
    # The story says 15 (16 to the nearest 5) staff live in the place: Sandwell's 12 beside
    # it would give away Birmingham's 4, so Sandwell's figure is withheld as well.
    assert m_intro(s) == ("15", "staff living in Fixture footprint")
    assert table.loc["Sandwell (in the place)", "Staff living there"] == "*"
    assert table.loc["Sandwell (in the place)", "Their pay"] == "*"


def test_story_of_one_lad_and_of_a_radius(fixture_wh):
    s = story_of(fixture_wh, place=Place.of_lads("Sandwell", [SANDWELL], ["Sandwell"]),
                 orgs=("AAA",))
    spend = next(m for m in s.messages if m.key == "spend")
    assert spend.numbers[0] == ("£80", "of £780 influenceable spend whose supplier is placed "
                                       "(94.0% of it)")  # S4's £50 of AAA's 830 unplaced
    compare = next(m for m in s.messages if m.key == "compare")
    assert compare.title == "Sandwell beside the footprint's other places"
    assert compare.sentence.endswith("Sandwell came 2nd with £80.")
    r = story_of(fixture_wh, place=Place.within_km(6), orgs=("AAA",), influenceable=False)
    assert r.title == "What the NHS puts into the area within 6 km of its sites"
    # S1, S2 and S5 lie within 6 km of AAA's site: 80 + 300 + 200 of the 1,980 in scope
    # whose supplier is placed.
    assert next(m for m in r.messages if m.key == "spend").numbers[1][0] == "29.3%"


# -- the exports' builders ------------------------------------------------------------------

def _images(s):
    return {k: stand_in_png() for k in s.charts}


def test_slide_pack_structure(fixture_wh):
    s = story_of(fixture_wh)
    prs = Presentation(io.BytesIO(slides.build(s, _images(s))))
    assert len(prs.slides) == 1 + (len(s.messages) - 1) + 1
    titles = [next((sh.text_frame.text for sh in sl.shapes if sh.name == "Title"), None)
              for sl in prs.slides]
    assert titles == ["What the NHS puts into Fixture footprint", "Spend with businesses in "
                      "Fixture footprint", "The local share over time", "Local people employed "
                      "in Fixture footprint", "Land and buildings in Fixture footprint",
                      "What the money is worth in Fixture footprint",
                      "The local authorities side by side", "About these figures"]
    pictures = [sum(1 for sh in sl.shapes if sh.shape_type == 13) for sl in prs.slides]
    assert pictures == [0, 0, 1, 1, 1, 1, 1, 0]  # no map without boundaries
    for sl in prs.slides:
        text = " ".join(sh.text_frame.text for sh in sl.shapes if sh.has_text_frame)
        assert "2024/25 Q1" in text and "Local means in Fixture footprint" in text
        assert "Generated 24 November 2026" in text
        assert "DEMO" not in text
    about = " ".join(sh.text_frame.text for sh in prs.slides[-1].shapes if sh.has_text_frame)
    assert GEOGRAPHY_ATTRIBUTION in about
    assert "Alpha Hospitals NHS Trust (AAA)" in about


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils (make test)")
def test_board_paper_text(fixture_wh, tmp_path):
    s = story_of(fixture_wh)
    pdf = tmp_path / "paper.pdf"
    pdf.write_bytes(paper.build(s, _images(s)))
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    flat = " ".join(text.split())
    assert "What the NHS puts into Fixture footprint" in flat
    assert ("paid £380 of their influenceable spend (21.3% of the 97.3% whose supplier "
            "location is known)") in flat
    assert "Contains OS data © Crown copyright" in flat
    assert "Open Government Licence v3.0" in flat
    assert "Generated 24 November 2026" in flat
    assert "Alpha Hospitals NHS Trust (AAA)" in flat
    assert "DEMO" not in flat


def test_the_trend_residents_and_land_carry_their_spc_icons(fixture_wh):
    s = story_of(fixture_wh)
    m = {x.key: x for x in s.messages}
    # a chart of a quarterly series has the Overview's icons (variation; assurance where
    # there is a target), as SVG for the slides and the paper: the trend's two quarters
    assert m["trend"].icons and all(i.lstrip().startswith("<svg") for i in m["trend"].icons)
    assert "common cause" in m["trend"].icons[0].lower()  # two quarters: nothing special yet
    # one quarter of residents to the period's end is no series: no icons
    assert m["jobs"].icons == ()
