"""Names are shown as written on every page, never as HTML or Markdown.

The fixture warehouse with its footprint, organisations, sites, suppliers and a named place
renamed to an image tag and a Markdown link with emphasis: each page must render the names
escaped, with no image tag, no link and no emphasis made from them, in its Markdown, its
HTML and its charts.
"""

from __future__ import annotations

import json
import re

import pytest

from anchor.db import Warehouse, bump_data_version
from tests.apptest.helpers import run_app
from tests.apptest.test_pages import PAGES
from tests.fixture_warehouse import BIRMINGHAM, SANDWELL, build_fixture_warehouse

IMAGE = "<img src=x onerror=alert(1)>"
LINK = "[click](http://evil.example) **bold**"
HOSTILE = f"{IMAGE} {LINK}"
# How each reads once escaped for Markdown (`formatting.md_text`) and for HTML
IMAGE_MD = r"\<img src=x onerror=alert\(1\)\>"
LINK_MD = "\\[click\\]\\(http\\:\u200b//evil.example\\) \\*\\*bold\\*\\*"
IMAGE_HTML = "&lt;img src=x onerror=alert(1)&gt;"


@pytest.fixture
def hostile_db(tmp_path):
    path = tmp_path / "hostile.duckdb"
    wh = build_fixture_warehouse(path)
    with wh.transaction() as cur:
        cur.execute("update footprint set name = ?", [f"Footprint {HOSTILE}"])
        cur.execute("update organisation set name = ? || ' ' || org_code", [HOSTILE])
        cur.execute("update site set name = ? || ' ' || site_code", [HOSTILE])
        cur.execute("update supplier set name = ? || ' ' || supplier_id", [HOSTILE])
        cur.execute("insert into place values ('P1', ?, 'LEP', false)", [f"Place {HOSTILE}"])
        cur.executemany("insert into place_lad values ('P1', ?)", [(SANDWELL,), (BIRMINGHAM,)])
        bump_data_version(cur)
    wh.close()
    return path


MARKDOWN_KINDS = ("markdown", "caption", "info", "warning", "error", "success", "title",
                  "subheader", "header", "toast")


def markdown_texts(at) -> list[str]:
    """Every piece of Markdown the page sent: texts, labels of metrics and expanders."""
    texts = [e.value for kind in MARKDOWN_KINDS for e in at.get(kind)]
    texts += [m.label for m in at.metric] + [e.label for e in at.expander]
    return texts


def html_texts(at) -> list[str]:
    return [e.proto.body for e in at.get("html")]


def chart_texts(at) -> list[str]:
    return [json.dumps(json.loads(e.proto.spec)) for e in at.get("plotly_chart")]


# an image Anchor draws itself: an SPC icon, its SVG inline as a data URI
OWN_IMAGE = re.compile(r'<img src="data:image/svg\+xml;base64,[A-Za-z0-9+/=]+" width="\d+" '
                       r'height="\d+" alt="[^"<>]*" title="[^"<>]*">')


def planted_images(texts: list[str]) -> list[str]:
    """Texts holding an image tag Anchor did not draw: a name's, read as HTML."""
    return [t for t in texts if "<img" in OWN_IMAGE.sub("", t)]


def unescaped(texts: list[str]) -> list[str]:
    """Texts in which a name's image tag or link is read as Markdown."""
    return [t for t in texts if re.search(r"(?<!\\)<img", t) or "](http" in t
            or "http://" in t
            or re.search(r"(?<!\\)\*\*bold", t)]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_shows_hostile_names_as_text(monkeypatch, hostile_db, page):
    at = run_app(monkeypatch, hostile_db, page)
    markdown = markdown_texts(at)
    assert unescaped(markdown) == []
    assert planted_images(html_texts(at)) == []
    # Plotly reads tags, not Markdown, in its labels and hover text
    assert [t for t in chart_texts(at) if "<img" in t] == []
    # the names are there, escaped: the page header names the footprint
    if page != "pages/data.py":
        assert any(IMAGE_MD in t and LINK_MD in t for t in markdown), markdown


def test_the_overview_escapes_names_in_its_tiles_and_map(monkeypatch, hostile_db):
    at = run_app(monkeypatch, hostile_db)
    html = html_texts(at)
    assert any(IMAGE_HTML in t for t in html), html  # the tiles' sentences name the footprint
    assert planted_images(html) == []
    assert any(IMAGE_HTML in t for t in chart_texts(at))  # the sites on the map


def test_a_site_the_geography_cannot_place_is_named_as_text(monkeypatch, hostile_db):
    wh = Warehouse(hostile_db)
    with wh.transaction() as cur:
        cur.execute("update site set postcode = 'ZZ9 9ZZ' where site_code = 'BBB01'")
        bump_data_version(cur)
    wh.close()
    at = run_app(monkeypatch, hostile_db, "pages/estates.py")
    warning = next(w.body for w in at.warning if "Not counted in any place" in w.body)
    assert IMAGE_MD in warning and LINK_MD in warning
    assert unescaped([warning]) == []
