"""The National comparison page on the hand-worked fixture (FP1: AAA 29.3% of in-scope spend
local, 48.7% of influenceable; BBB 0%) with a second footprint's organisation added."""

from __future__ import annotations

from anchor import summary
from anchor.db import bump_data_version
from anchor.ui import state
from tests.apptest.helpers import metric, plain, run_app
from tests.apptest.test_hostile_names import (  # noqa: F401 - hostile_db is a fixture
    IMAGE_MD,
    chart_texts,
    hostile_db,
    markdown_texts,
    unescaped,
)
from tests.fixture_warehouse import Q1_2024, WESTMINSTER, build_fixture_warehouse

PAGE = "pages/national.py"


def _with_second_footprint(path):
    wh = build_fixture_warehouse(path)
    with wh.transaction() as cur:
        cur.execute("insert into footprint (footprint_code, name) values ('FP2', 'Second')")
        cur.execute("insert into footprint_lad values ('FP2', ?, null)", [WESTMINSTER])
        cur.execute("insert into organisation (org_code, name, org_type, footprint_code)"
                    " values ('CCC', 'Gamma NHS Trust', 'Acute trust', 'FP2')")
        # CCC: 600 in Westminster (its home) of 1,000
        cur.executemany("insert into spend (org_code, quarter_start, supplier_id, category,"
                        " amount_gbp) values ('CCC', ?, ?, 'Catering', ?)",
                        [(Q1_2024, "S3", 600.0), (Q1_2024, "S1", 400.0)])
        summary.rebuild(cur)
        bump_data_version(cur)
    wh.close()
    return path


def test_ranks_every_organisation_of_every_footprint(monkeypatch, tmp_path):
    db = _with_second_footprint(tmp_path / "national.duckdb")
    at = run_app(monkeypatch, db, PAGE)
    assert at.title[0].value == "National comparison"
    # The latest quarter held (2024/25 Q2) has staff but no spend.
    assert any("No organisation has in-scope spend for 2024/25 Q2" in i.body for i in at.info)
    at.selectbox(key=f"{state.PERIOD}_{state.PERIOD_QUARTER}").select_index(1).run()
    assert not at.exception
    assert metric(at, "Organisations with spend") == "3"
    assert metric(at, "Best placed in Fixture footprint") == "2 of 3"  # AAA after CCC's 60%
    table = at.dataframe[0].value
    assert list(table["Organisation"].str[:3]) == ["CCC", "AAA", "BBB"]
    assert list(table["Local: influenceable"]) == ["60.0%", "48.7%", "0.0%"]
    assert list(table["Local: in-scope"]) == ["60.0%", "29.3%", "0.0%"]
    chart = at.get("plotly_chart")[0].proto.spec
    assert "Fixture footprint" in chart and "Other organisations" in chart
    assert {b.proto.label for b in at.get("download_button")} >= {"CSV", "Excel"}
    # The basis follows the sidebar: in-scope spend ranks the same here
    assert any("Every organisation in the warehouse" in plain(c.value) for c in at.caption)


def test_renders_on_the_demo(monkeypatch, demo_copy):
    at = run_app(monkeypatch, demo_copy, PAGE)
    table = at.dataframe[0].value
    assert len(table) == 5
    assert not (table["Rank"] == "–").all()


def test_names_are_shown_as_text(monkeypatch, hostile_db):  # noqa: F811 - the fixture
    at = run_app(monkeypatch, hostile_db, PAGE)
    at.selectbox(key=f"{state.PERIOD}_{state.PERIOD_QUARTER}").select_index(1).run()
    assert not at.exception
    assert at.get("plotly_chart")  # the names are in the chart, as tags Plotly cannot run
    assert [t for t in chart_texts(at) if "<img" in t] == []
    assert unescaped(markdown_texts(at)) == []
    assert any(IMAGE_MD in t for t in markdown_texts(at))  # "Best placed in Footprint <img…"
