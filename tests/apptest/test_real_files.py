"""Every page on a warehouse of real published files: NHS Digital's organisations and
Chelsea and Westminster's April and May 2020 spend, whose suppliers have no postcode. No
figure may read as spend that stayed nowhere: the local share, the SME share and the
multiplier are not yet known, and each says why."""

import re
import shutil
import subprocess

import pytest

from anchor.reports.story import build_story
from anchor.ui import state
from tests.apptest.helpers import chart_alternatives, metric, plain, run_app
from tests.real_warehouse import CHELSEA

NOT_KNOWN = "Not yet known"
ZERO_SHARE = re.compile(r"(?<![\d.])0\.0%")


@pytest.fixture
def real_copy(real_db, tmp_path):
    dest = tmp_path / "anchor.duckdb"
    shutil.copy(real_db, dest)
    return dest


def page_text(at) -> str:
    parts = [plain(m.value) for m in at.markdown] + [plain(c.value) for c in at.caption]
    parts += [h.proto.body for h in at.get("html")] + [plain(i.value) for i in at.info]
    return " ".join(parts)


def test_the_app_opens_on_the_footprint_and_trust_that_hold_data(monkeypatch, real_copy):
    at = run_app(monkeypatch, real_copy)
    # 42 ICBs from NHS Digital's file; only North West London's Chelsea and Westminster
    # holds spend, so the app opens there, on it alone
    assert at.selectbox(key=state.FOOTPRINT).value == "QRV"
    assert at.multiselect(key=f"{state.ORGS}_QRV").value == [CHELSEA]


def test_the_overview_says_not_yet_known_never_zero(monkeypatch, real_copy):
    at = run_app(monkeypatch, real_copy)
    assert metric(at, "Local spend: influenceable") == NOT_KNOWN
    assert metric(at, "Local spend: all in-scope") == NOT_KNOWN
    assert metric(at, "Local multiplier (LM3)") == NOT_KNOWN
    assert metric(at, "Land not delivering services") == "–"  # no estate return loaded
    text = page_text(at)
    assert "Supplier location known for none of £41.7m in-scope spend" in text
    assert "load a supplier register with postcodes" in text
    assert not ZERO_SHARE.search(text), ZERO_SHARE.findall(text)
    said = " ".join(chart_alternatives(at))  # what a screen reader hears says no 0% either
    assert not ZERO_SHARE.search(said), said
    table = next(d.value for d in at.dataframe if "Code" in d.value.columns).set_index("Code")
    assert table.loc[CHELSEA, "Local share (all)"] == "Not known"
    assert table.loc[CHELSEA, "Local spend"] == "Not known"
    assert table.loc[CHELSEA, "In-scope spend"] == "£41.7m"  # 242 lines, £41,687,718.50


def test_the_local_spend_page_says_not_yet_known(monkeypatch, real_copy):
    at = run_app(monkeypatch, real_copy, "pages/local_spend.py")
    for tile in ("Local share", "Paid to SMEs", "Paid to the voluntary sector",
                 "Invoices paid within 30 days"):
        assert metric(at, tile) == NOT_KNOWN, tile
    text = page_text(at)
    assert "The maps need supplier locations" in text
    assert "Leakage needs supplier locations" in text
    assert not ZERO_SHARE.search(text), ZERO_SHARE.findall(text)
    suppliers = next(d.value for d in at.dataframe if "Supplier" in d.value.columns)
    assert set(suppliers["Local"]) == {"Not known"}


def test_the_multiplier_and_place_pages_say_not_yet_known(monkeypatch, real_copy):
    at = run_app(monkeypatch, real_copy, "pages/multiplier.py")
    assert metric(at, "LM3") == NOT_KNOWN
    assert any("The local multiplier is not yet known" in plain(w.value) for w in at.warning)
    said = " ".join(chart_alternatives(at))
    assert not ZERO_SHARE.search(said), said
    at.switch_page("pages/place.py").run()
    assert not at.exception
    text = page_text(at)
    assert "Chelsea and Westminster Hospital's influenceable spend is not yet known" in text
    assert "Which of the footprint's eight local authorities the spend went to is not yet " \
           "known" in text
    assert "None of the footprint's" not in text  # not "received none of this spend"
    assert not ZERO_SHARE.search(text), ZERO_SHARE.findall(text)
    table = next(d.value for d in at.dataframe if "Local authority" in d.value.columns)
    assert set(table["Share"]) == {"Not known"}


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils (make test)")
def test_the_board_paper_says_not_yet_known_on_its_first_page(real_db, tmp_path):
    from anchor.db import Warehouse
    from anchor.measures import WarehouseSource
    from anchor.periods import Period
    from anchor.places import Place
    from anchor.queries import reference
    from anchor.reports import exports

    wh = Warehouse(real_db, read_only=True)
    try:
        home = reference.footprint_lads(wh, "QRV")
        story = build_story(
            WarehouseSource(wh), footprint_code="QRV", footprint_name="NHS North West London ICB",
            orgs=(CHELSEA,), period=Period.parse("2020/21 Q1"),
            place=Place.of_lads("NHS North West London ICB", list(home["lad_code"]),
                                list(home["lad_name"])), influenceable=True)
    finally:
        wh.close()
    assert "map" not in story.charts and "compare" not in story.charts
    pdf = tmp_path / "paper.pdf"
    pdf.write_bytes(exports.build(story, "pdf"))
    first = subprocess.run(["pdftotext", "-l", "1", str(pdf), "-"], capture_output=True,
                           text=True, check=True).stdout
    flat = " ".join(first.split())
    assert "Not yet known" in flat  # the first figure, beside staff and land
    assert "local share of influenceable spend: supplier location known for none of it" in flat
    assert not ZERO_SHARE.search(flat)
