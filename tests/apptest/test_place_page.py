"""The Place page against the fixture's hand-worked figures: choosing a place, and stepping
through presentation mode and back."""


from streamlit.testing.v1 import AppTest

from anchor.ui import presentation, state
from tests.apptest.helpers import metric, plain, run_app
from tests.fixture_warehouse import SANDWELL

PAGE = "pages/place.py"
SPEND_TILE = "Influenceable spend with suppliers based in {}"


def open_page(monkeypatch, db) -> AppTest:
    at = run_app(monkeypatch, db, PAGE)
    at.selectbox(key=f"{state.PERIOD}_{state.PERIOD_QUARTER}").select_index(1).run()  # 2024/25 Q1
    assert not at.exception, [e.message for e in at.exception]
    return at


def html(at) -> str:
    return " ".join(h.proto.body for h in at.get("html"))


def test_place_figures_follow_the_chosen_place(monkeypatch, fixture_db):
    at = open_page(monkeypatch, fixture_db)
    # The sidebar's place by default: the footprint's Sandwell and Birmingham.
    assert metric(at, SPEND_TILE.format("Fixture footprint")) == "£380"
    assert metric(at, "Staff living in Fixture footprint") == "10"
    assert metric(at, "Of land in Fixture footprint not delivering services") == "2.0 ha"
    assert metric(at, "The local multiplier (LM3)") == "1.78"
    assert any("paid £380 of their influenceable spend (21.3% of the 97.3% whose supplier "
               "location is known)" in plain(m.value)
               for m in at.markdown)
    at.selectbox(key=presentation.CHOICE).set_value(SANDWELL).run()
    assert not at.exception
    assert metric(at, SPEND_TILE.format("Sandwell")) == "£80"  # S1's 100 less a credit note
    assert metric(at, "Of land in Sandwell not delivering services") == "1.5 ha"
    # The page's words describe the place it shows, never the sidebar's footprint as well.
    captions = [c.value for c in at.caption]
    assert any("Local means in Sandwell local authority" in c for c in captions), captions
    assert not any("Local means in Fixture footprint" in c for c in captions), captions
    table = next(d.value for d in at.dataframe if "Local authority" in d.value.columns)
    assert list(table["Local authority"]) == ["Birmingham", "Sandwell (in the place)"]
    at.selectbox(key=presentation.CHOICE).set_value("radius").run()
    at.slider(key=presentation.RADIUS_KM).set_value(6).run()
    assert not at.exception
    # Within 6 km of AAA's site: S1, S2 (S5 is a public body, not influenceable).
    assert metric(at, "Influenceable spend with suppliers based within 6 km of their sites") == "£380"


def test_presentation_steps_and_returns(monkeypatch, fixture_db):
    at = open_page(monkeypatch, fixture_db)
    at.selectbox(key=presentation.CHOICE).set_value(SANDWELL).run()
    at.button(key="present-start").click().run()
    assert not at.exception
    page = html(at)
    assert "What the NHS puts into Sandwell" in page
    assert "1 of 7" in page
    # Period, place definition and data source on every step.
    assert "2024/25 Q1 · Local means in Sandwell local authority." in page
    assert "Organisations&#x27; own returns" in page or "Organisations' own returns" in page
    at.button(key="present-next").click().run()
    assert "2 of 7" in html(at)
    assert "Spend with businesses in Sandwell" in html(at)
    for _ in range(5):
        at.button(key="present-next").click().run()
    assert "7 of 7" in html(at)
    assert at.button(key="present-next").disabled  # the last step
    assert "Sandwell beside the footprint" in html(at)
    at.button(key="present-prev").click().run()
    assert "6 of 7" in html(at)
    at.button(key="present-exit").click().run()
    assert not at.exception
    # Back on the page, with the place still chosen.
    assert at.selectbox(key=presentation.CHOICE).value == SANDWELL
    assert metric(at, SPEND_TILE.format("Sandwell")) == "£80"
