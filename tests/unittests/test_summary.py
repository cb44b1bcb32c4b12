"""The spend summary is kept by every write that changes spend: after each, it equals the
invoice lines added up afresh."""

from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal

from anchor import loading, schema
from anchor.auth import setup_user
from anchor.db import Warehouse
from anchor.demo import build_demo
from anchor.queries import national
from tests.fixture_warehouse import Q1_2024, build_fixture_warehouse
from tests.unittests.test_loading import ANALYST, NEW_QUARTER, REPLACE_Q1, checked_csv

FRESH = """
    select org_code, quarter_start, category, supplier_id,
           sum(amount_gbp)::decimal(18, 2) as amount_gbp, count(*) as invoice_lines
    from spend group by all order by all"""
KEPT = "select * from spend_summary order by all"


def assert_summary_agrees(wh) -> None:
    assert wh.rows(KEPT) == wh.rows(FRESH)


def test_after_loads_replacements_and_undos(fixture_wh):
    assert_summary_agrees(fixture_wh)
    first = loading.load(fixture_wh, checked_csv(fixture_wh, "spend", NEW_QUARTER), ANALYST)
    assert_summary_agrees(fixture_wh)
    assert fixture_wh.rows("select supplier_id, amount_gbp, invoice_lines from spend_summary"
                           " where org_code = 'AAA' and quarter_start = ? order by 1",
                           [date(2024, 7, 1)]) == [("S1", Decimal("100.00"), 1),
                                                   ("S3", Decimal("300.00"), 1)]
    replace = loading.load(fixture_wh, checked_csv(fixture_wh, "spend", REPLACE_Q1), ANALYST)
    assert_summary_agrees(fixture_wh)
    assert fixture_wh.rows("select supplier_id, amount_gbp from spend_summary"
                           " where org_code = 'AAA' and quarter_start = ?", [Q1_2024]) == [
        ("S2", Decimal("1000.00"))]
    again = loading.load(fixture_wh, checked_csv(
        fixture_wh, "spend", REPLACE_Q1.replace("1,000.00", "2,000.00")), ANALYST)
    assert_summary_agrees(fixture_wh)
    for load in (again, replace, first):
        loading.undo(fixture_wh, load.load_id, ANALYST)
        assert_summary_agrees(fixture_wh)
    # S1's £100 and credit note of -£20 in AAA's 2024/25 Q1 are one row of the summary again
    assert fixture_wh.rows("select amount_gbp, invoice_lines from spend_summary where"
                           " org_code = 'AAA' and quarter_start = ? and supplier_id = 'S1'",
                           [Q1_2024]) == [(Decimal("80.00"), 2)]


def test_a_preview_leaves_it_as_it_was(fixture_wh):
    before = fixture_wh.rows(KEPT)
    loading.preview(fixture_wh, checked_csv(fixture_wh, "spend", REPLACE_Q1), ANALYST)
    assert fixture_wh.rows(KEPT) == before


def test_the_national_comparison_follows_a_load(fixture_wh):
    loading.load(fixture_wh, checked_csv(fixture_wh, "spend", REPLACE_Q1), ANALYST)
    t = national.national_spend(fixture_wh, Q1_2024, Q1_2024).set_index("org_code")
    assert (t.loc["AAA", "spend_gbp"], t.loc["AAA", "local_gbp"]) == (1000.0, 1000.0)  # S2


def test_the_demo_build_and_removal(demo_db, tmp_path):
    path = tmp_path / "demo.duckdb"
    shutil.copy(demo_db, path)
    wh = Warehouse(path)
    try:
        assert wh.value("select count(*) from spend_summary") > 0
        assert_summary_agrees(wh)
        loading.load(wh, checked_csv(
            wh, "spend", "org_code,paid_date,supplier_id,category,amount_gbp\n"
            f"RXK,15/04/2024,{wh.value('select min(supplier_id) from supplier')},"
            f"{wh.value('select min(category) from category')},5\n"), ANALYST)
        build_demo(wh, setup_user())  # again: yields the quarter just loaded
        assert_summary_agrees(wh)
        loading.remove_demo_data(wh, ANALYST)
        assert_summary_agrees(wh)
        assert wh.value("select count(*) from spend_summary") == 1  # the line loaded
    finally:
        wh.close()


def test_the_migration_builds_it_for_an_existing_warehouse(tmp_path, monkeypatch):
    path = tmp_path / "old.duckdb"
    summary_version = next(m.version for m in schema.MIGRATIONS if "spend_summary" in m.sql)
    before = [m for m in schema.MIGRATIONS if m.version < summary_version]
    monkeypatch.setattr("anchor.db.MIGRATIONS", before)
    monkeypatch.setattr("anchor.db.LATEST_VERSION", before[-1].version)
    monkeypatch.setattr("anchor.summary.rebuild", lambda cur: None)  # no table to keep yet
    build_fixture_warehouse(path).close()
    monkeypatch.undo()
    wh = Warehouse(path)
    try:
        assert wh.value("select count(*) from spend_summary") == 10  # AAA's S1 lines are one
        assert_summary_agrees(wh)
    finally:
        wh.close()
