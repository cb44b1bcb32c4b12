"""`anchor report` on the demo: the slide pack opened with python-pptx, the board paper
read with pdftotext and drawn with pdftoppm, and the chart images from Debian's Chromium,
all with the network cut off (a network namespace of its own, where the machine allows).

The rendered pages and slide images are kept in build/reports/ to look at."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from PIL import Image
from pptx import Presentation

from anchor import formatting as fmt
from anchor import metrics
from anchor.config import GEOGRAPHY_ATTRIBUTION
from anchor.db import Warehouse
from anchor.demo import reference as ref
from anchor.measures import WarehouseSource
from anchor.periods import Period
from anchor.places import Place
from anchor.queries import spend, workforce
from anchor.reports import exports
from anchor.reports.story import build_story

ROOT = Path(__file__).resolve().parents[2]
KEEP = ROOT / "build" / "reports"
LATEST = date(2025, 7, 1)  # the demo's last quarter, 2025/26 Q2
SANDWELL = Place.of_lads("Sandwell", ["E08000028"], ["Sandwell"])

pytestmark = pytest.mark.skipif(not Path("/usr/bin/chromium").exists(),
                                reason="needs Debian's chromium (make test installs it)")


def _offline_prefix() -> list[str]:
    """`unshare -n`: run with no network at all, when this machine lets us."""
    if shutil.which("unshare") and subprocess.run(["unshare", "-n", "true"],
                                                  capture_output=True).returncode == 0:
        return ["unshare", "-n"]
    return []


def run_report(db: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*_offline_prefix(), sys.executable, "-m", "anchor.cli", "report", *args],
        env={**os.environ, "ANCHOR_DB": str(db)}, capture_output=True, text=True, timeout=300,
        cwd=ROOT)


def blue_fraction(im: Image.Image) -> float:
    """Share of pixels in the charts' and maps' blues."""
    im = im.convert("RGB").resize((max(1, im.width // 4), max(1, im.height // 4)))
    px = list(im.get_flattened_data())
    return sum(1 for r, g, b in px if b > 150 and b - r > 40) / len(px)


def ink_fraction(im: Image.Image) -> float:
    """Share of pixels that are not white: something was drawn."""
    im = im.convert("RGB").resize((max(1, im.width // 4), max(1, im.height // 4)))
    px = list(im.get_flattened_data())
    return sum(1 for r, g, b in px if min(r, g, b) < 235) / len(px)


@pytest.fixture(scope="module")
def expected(demo_db):
    """Sandwell's headline figures straight from the query functions the Overview uses."""
    wh = Warehouse(demo_db, read_only=True)
    orgs = [o.code for o in ref.ORGS]
    s = spend.spend_totals(wh, orgs, LATEST, LATEST, SANDWELL).iloc[0]
    w = workforce.workforce_totals(wh, orgs, LATEST, LATEST, SANDWELL).iloc[0]
    wh.close()
    share = metrics.spend_share(s, influenceable=True)
    return {"local": fmt.gbp(share.local_gbp), "share": fmt.pct(share.share),
            # People are shown to the nearest 5: 5,149 reads 5,150.
            "residents": fmt.count(round(w["local_headcount"] / 5) * 5)}


def test_slide_pack_from_the_command_line(demo_db, tmp_path, expected):
    out = tmp_path / "sandwell.pptx"
    done = run_report(demo_db, "--place", "Sandwell", "--period", "2025/26 Q2",
                      "--format", "pptx", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "What the NHS puts into Sandwell" in done.stdout
    prs = Presentation(str(out))
    titles = [next((sh.text_frame.text for sh in sl.shapes if sh.name == "Title"), "")
              for sl in prs.slides]
    assert titles == ["What the NHS puts into Sandwell", "Spend with businesses in Sandwell",
                      "The local share over time", "Local people employed in Sandwell",
                      "Land and buildings in Sandwell", "What the money is worth in Sandwell",
                      "Sandwell beside the footprint's other places", "About these figures"]
    first = {sh.name: sh.text_frame.text for sh in prs.slides[0].shapes if sh.has_text_frame}
    assert first["Number 1"] == expected["local"]
    assert first["Number 2"] == expected["residents"]
    spend_slide = {sh.name: sh for sh in prs.slides[1].shapes}
    assert spend_slide["Number 2"].text_frame.text == expected["share"]
    assert spend_slide["Map attribution"].text_frame.text == GEOGRAPHY_ATTRIBUTION
    KEEP.mkdir(parents=True, exist_ok=True)
    for i, sl in enumerate(prs.slides, start=1):
        text = " ".join(sh.text_frame.text for sh in sl.shapes if sh.has_text_frame)
        assert "2025/26 Q2" in text and "Local means in Sandwell local authority." in text
        assert "Synthetic demo data" in text and "DEMO DATA" in text  # footer and label
        charts = [sh for sh in sl.shapes if sh.name == "Chart"]
        if 2 <= i <= 7:
            assert len(charts) == 1, titles[i - 1]
            im = Image.open(io.BytesIO(charts[0].image.blob))
            assert im.width >= 1800  # drawn at twice the layout size, sharp on a projector
            assert ink_fraction(im) > 0.03, titles[i - 1]
            im.save(KEEP / f"slide-{i}-chart.png")
    shutil.copy(out, KEEP / "sandwell-slides.pptx")


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="needs poppler-utils (make test)")
def test_board_paper_from_the_command_line(demo_db, tmp_path, expected):
    out = tmp_path / "sandwell.pdf"
    done = run_report(demo_db, "--place", "E08000028", "--period", "2025/26 Q2",
                      "--format", "pdf", "--out", str(out))
    assert done.returncode == 0, done.stderr
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True,
                          check=True).stdout
    flat = " ".join(text.split())
    assert flat.count("What the NHS puts into Sandwell") >= 2  # title, and every page's header
    assert f"paid {expected['local']} of their influenceable spend ({expected['share']})" in flat
    assert f"{expected['residents']} of the" in flat
    assert "DEMO DATA: synthetic figures for a demonstration footprint, not real." in flat
    assert "Contains OS data © Crown copyright and database right 2025" in flat
    assert "Sandwell and West Birmingham Hospitals NHS Trust (RXK)" in flat
    assert "Generated" in flat
    pages = tmp_path / "page"
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(out), str(pages)], check=True)
    rendered = sorted(tmp_path.glob("page-*.png"))
    assert len(rendered) >= 4
    blues = [blue_fraction(Image.open(p)) for p in rendered]
    assert sum(b > 0.02 for b in blues) >= 2  # pages with charts and the map on them
    KEEP.mkdir(parents=True, exist_ok=True)
    shutil.copy(out, KEEP / "sandwell-board-paper.pdf")
    for p in rendered:
        shutil.copy(p, KEEP / f"board-paper-{p.name}")


def test_a_chart_png_carries_its_labels(demo_db):
    wh = Warehouse(demo_db, read_only=True)
    try:
        story = build_story(WarehouseSource(wh), footprint_code=ref.FOOTPRINT_CODE,
                            footprint_name=ref.FOOTPRINT_NAME,
                            orgs=tuple(o.code for o in ref.ORGS),
                            period=Period.quarter(LATEST), place=SANDWELL)
    finally:
        wh.close()
    footer = story.footer()
    for part in ("2025/26 Q2", "Local means in Sandwell local authority.", "RXK",
                 GEOGRAPHY_ATTRIBUTION, "DEMO DATA", "Generated"):
        assert part in footer
    png = exports.chart_png(story, "map")
    im = Image.open(io.BytesIO(png))
    KEEP.mkdir(parents=True, exist_ok=True)
    im.save(KEEP / "sandwell-map.png")
    assert im.size == (2100, 1140)
    # The MapLibre map draws its shaded areas in the static export (the colour bar alone
    # is about 2% of the image).
    assert blue_fraction(im) > 0.05


def test_report_refuses_what_it_cannot_do(demo_db, demo_copy, tmp_path):
    bad = run_report(demo_db, "--place", "Atlantis", "--period", "2025/26 Q2")
    assert bad.returncode == 1 and "not a place Anchor knows" in bad.stderr
    bad = run_report(demo_db, "--place", "footprint", "--period", "2030/31")
    assert bad.returncode == 1 and "no data for 2030/31" in bad.stderr
    busy = Warehouse(demo_copy)  # another process holds the warehouse for writing
    try:
        done = run_report(demo_copy, "--place", "footprint", "--period", "2025/26 Q2",
                          "--out", str(tmp_path / "x.pptx"))
    finally:
        busy.close()
    assert done.returncode == 2 and "another Anchor process (the app, usually)" in done.stderr


def test_a_long_slide_title_shrinks_to_one_line_clear_of_the_demo_label():
    from anchor.reports.slides import TITLE_MIN_PT, TITLE_PT, title_size
    assert title_size("Spend with businesses in Sandwell", 12.33) == TITLE_PT
    # 57 characters at 0.6 em each fit 12.33 inches at 25 pt, not at 32 pt (where they wrapped
    # to a second line that rose under the label).
    assert title_size("Spend with businesses in West Midlands Combined Authority", 12.33) == 25
    assert title_size("x" * 200, 12.33) == TITLE_MIN_PT
