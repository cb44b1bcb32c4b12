"""Loading, worked by hand on the fixture warehouse: what is written, what is replaced,
what the audit trail says, what undo puts back, and who may do it."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from anchor import loading
from anchor.auth import PermissionDenied, Role, User, local_user
from anchor.loading import layouts, templates
from anchor.loading.report import figures_table, report_csv, slices_table
from anchor.queries.loads import (
    load_history,
    missing_quarters,
    supplier_postcode_problems,
    suppliers_without_flags,
    table_fingerprints,
)
from tests.fixture_warehouse import Q1_2024

GOOD = Path(__file__).resolve().parents[1] / "data" / "good"
ANALYST = User("ana@example.nhs.uk", Role.ANALYST, "signed in", "ana@example.nhs.uk")
VIEWER = User("vic@example.nhs.uk", Role.VIEWER, "signed in", "vic@example.nhs.uk")
Q2_2024 = date(2024, 7, 1)


def checked_csv(wh, table: str, text: str, name: str = "file.csv", **kw):
    return loading.check(wh, loading.read_bytes(name, text.encode()), loading.spec(table), **kw)


def spend_rows(wh, org: str, quarter: date) -> list[tuple]:
    return wh.rows("select supplier_id, category, amount_gbp, load_id from spend"
                   " where org_code = ? and quarter_start = ? order by all", [org, quarter])


# -- reading ---------------------------------------------------------------------------------

def test_published_layout_in_windows_1252_matches_suppliers_by_name(fixture_wh):
    raw = loading.read_path(GOOD / "spend_windows_1252.csv")
    assert raw.encoding == "Windows-1252"
    checked = loading.check(fixture_wh, raw, loading.spec("spend"))
    assert checked.ok, checked.issues
    assert checked.layout.kind == "published spend"
    assert set(checked.layout.ignored) == {"Department Family", "Expense Area", "Description"}
    rows = checked.rows
    # 'LOCAL ONE LIMITED' is the register's 'Local One Ltd'; 'London Three Plc' is S3
    assert list(rows["supplier_id"][:2]) == ["S1", "S3"]
    assert rows["supplier_id"].iat[2].startswith("NEW-")
    assert list(rows["amount_gbp"]) == ["1329075.00", "-500.00", "1200"]
    # 45520 is an Excel serial number: 16 August 2024
    assert list(rows["paid_date"].dt.date) == [date(2024, 7, 15), date(2024, 7, 16),
                                              date(2024, 8, 16)]
    assert list(checked.new_suppliers["name"]) == ["Brand New Caterers Ltd"]
    warnings = set(checked.warnings["problem"])
    assert any(w.startswith("Not in the supplier register") for w in warnings)


def test_utf8_with_bom(fixture_wh):
    raw = loading.read_path(GOOD / "spend_utf8_bom.csv")
    assert raw.encoding == "UTF-8 with BOM"
    assert raw.columns[0] == "org_code"
    checked = loading.check(fixture_wh, raw, loading.spec("spend"))
    assert checked.ok and checked.layout.kind == "template"


def test_title_rows_above_the_header_keep_spreadsheet_row_numbers(fixture_wh):
    text = ("Spend over £25,000, July 2024\n\n"
            "org_code,paid_date,supplier_id,category,amount_gbp\n"
            "AAA,15/07/2024,S1,Catering,100\nAAA,16/07/2024,S1,Catering,oops\n")
    checked = checked_csv(fixture_wh, "spend", text)
    assert checked.errors[["row", "value"]].values.tolist() == [[5, "oops"]]


def test_xlsx_and_a_workbook_named_csv(fixture_wh):
    frame = pd.DataFrame({"org_code": ["AAA"], "paid_date": [pd.Timestamp("2024-07-15")],
                          "supplier_id": ["S1"], "category": ["Catering"],
                          "amount_gbp": [1234.5]})
    from anchor.spreadsheets import to_xlsx_bytes

    data = to_xlsx_bytes(frame)
    for name in ("july.xlsx", "july.csv"):
        raw = loading.read_bytes(name, data)
        assert raw.encoding == "Excel workbook"
        checked = loading.check(fixture_wh, raw, loading.spec("spend"))
        assert checked.ok, checked.issues
        assert checked.rows["paid_date"].iat[0] == pd.Timestamp("2024-07-15")
        assert checked.rows["amount_gbp"].iat[0] == "1234.5"


def test_templates_are_read_as_our_layout(fixture_wh):
    for spec in loading.SPECS.values():
        example = ",".join(f'"{c.example}"' for c in spec.columns).encode()
        raw = loading.read_bytes("t.csv", templates.template_csv(spec) + example + b"\r\n")
        assert raw.encoding == "UTF-8 with BOM" and raw.columns == spec.names
        assert loading.check(fixture_wh, raw, spec).layout.kind == "template"
        book = pd.read_excel(io.BytesIO(templates.template_xlsx(spec)), sheet_name=None,
                             engine="openpyxl")
        assert list(book) == [spec.label, "Columns"]
        assert list(book[spec.label].columns) == spec.names


def test_saved_mapping_is_used_again(fixture_wh):
    text = "Trust,Paid on,Vendor ref,Cost centre type,Net\nAAA,15/07/2024,S1,Catering,100\n"
    spec = loading.spec("spend")
    first = checked_csv(fixture_wh, "spend", text)
    assert first.layout.kind == "unrecognised" and not first.ok
    mapping = {"org_code": "Trust", "paid_date": "Paid on", "supplier_id": "Vendor ref",
               "category": "Cost centre type", "amount_gbp": "Net"}
    mapped = checked_csv(fixture_wh, "spend", text, mapping=mapping)
    assert mapped.ok and mapped.layout.kind == "your mapping"
    layouts.save_mapping(fixture_wh, "spend", mapped.columns, mapping, ANALYST)
    again = checked_csv(fixture_wh, "spend", text)
    assert again.ok and again.layout.kind == "saved mapping"
    assert again.layout.mapping == mapping
    with pytest.raises(ValueError, match="mapped to two of ours"):
        layouts.custom_layout(spec, mapped.columns, {**mapping, "category": "Net"})


# -- loading and undoing -----------------------------------------------------------------

NEW_QUARTER = ("org_code,paid_date,supplier_id,category,amount_gbp\n"
               "AAA,15/07/2024,S1,Catering,100.00\nAAA,20/08/2024,S3,Catering,300.00\n")
REPLACE_Q1 = ("org_code,paid_date,supplier_id,category,amount_gbp\n"
              "AAA,15/04/2024,S2,Catering,\"1,000.00\"\n")  # the fixture's lines are all April


def test_a_new_quarter_is_added_and_audited(fixture_wh):
    checked = checked_csv(fixture_wh, "spend", NEW_QUARTER, "aaa-q2.csv")
    version = fixture_wh.data_version()
    result = loading.load(fixture_wh, checked, ANALYST)
    assert (result.rows_added, result.rows_replaced) == (2, 0)
    assert spend_rows(fixture_wh, "AAA", Q2_2024) == [
        ("S1", "Catering", Decimal("100.00"), result.load_id),
        ("S3", "Catering", Decimal("300.00"), result.load_id)]
    assert fixture_wh.data_version() == version + 1
    audit = fixture_wh.rows("select loaded_by, file_name, sha256, table_name, outcome from load"
                            " where load_id = ?", [result.load_id])
    assert audit == [("ana@example.nhs.uk", "aaa-q2.csv", checked.sha256, "spend", "loaded")]
    assert fixture_wh.rows("select table_name, org_code, quarter_start, month_start,"
                           " rows_added, rows_replaced, gbp_added, is_stray from load_slice"
                           " where load_id = ? order by month_start", [result.load_id]) == [
        ("spend", "AAA", Q2_2024, date(2024, 7, 1), 1, 0, Decimal("100.00"), False),
        ("spend", "AAA", Q2_2024, date(2024, 8, 1), 1, 0, Decimal("300.00"), False)]


def test_a_load_replaces_exactly_its_slices_and_undo_restores_them(fixture_wh):
    before = table_fingerprints(fixture_wh)
    aaa_q1 = spend_rows(fixture_wh, "AAA", Q1_2024)
    bbb_q1 = spend_rows(fixture_wh, "BBB", Q1_2024)
    checked = checked_csv(fixture_wh, "spend", REPLACE_Q1)
    result = loading.load(fixture_wh, checked, ANALYST)
    assert (result.rows_added, result.rows_replaced) == (1, 8)
    assert spend_rows(fixture_wh, "AAA", Q1_2024) == [
        ("S2", "Catering", Decimal("1000.00"), result.load_id)]
    assert spend_rows(fixture_wh, "BBB", Q1_2024) == bbb_q1  # another organisation: untouched
    assert len(spend_rows(fixture_wh, "AAA", date(2023, 4, 1))) == 2  # another quarter

    undone = loading.undo(fixture_wh, result.load_id, ANALYST)
    assert (undone.rows_removed, undone.rows_restored) == (1, 8)
    assert spend_rows(fixture_wh, "AAA", Q1_2024) == aaa_q1
    after = table_fingerprints(fixture_wh)
    changed = {t for t in before if before[t] != after[t]}
    assert changed == {"load", "load_slice", "data_version"}
    assert fixture_wh.rows("select outcome, undone_by from load where load_id = ?",
                           [result.load_id]) == [("undone", "ana@example.nhs.uk")]
    with pytest.raises(loading.LoadError, match="already undone"):
        loading.undo(fixture_wh, result.load_id, ANALYST)


def test_undo_waits_for_later_loads_of_the_same_slice(fixture_wh):
    original = spend_rows(fixture_wh, "AAA", Q1_2024)
    first = loading.load(fixture_wh, checked_csv(fixture_wh, "spend", REPLACE_Q1), ANALYST)
    second = loading.load(fixture_wh, checked_csv(
        fixture_wh, "spend", REPLACE_Q1.replace("1,000.00", "2,000.00")), ANALYST)
    with pytest.raises(loading.LoadError, match=f"Undo load {second.load_id} first"):
        loading.undo(fixture_wh, first.load_id, ANALYST)
    loading.undo(fixture_wh, second.load_id, ANALYST)
    assert spend_rows(fixture_wh, "AAA", Q1_2024) == [
        ("S2", "Catering", Decimal("1000.00"), first.load_id)]
    loading.undo(fixture_wh, first.load_id, ANALYST)
    assert spend_rows(fixture_wh, "AAA", Q1_2024) == original


def test_new_suppliers_from_a_spend_file_are_added_and_undone(fixture_wh):
    text = ("org_code,paid_date,supplier_name,category,amount_gbp\n"
            "AAA,15/07/2024,Brand New Ltd,Catering,10\nAAA,16/07/2024,BRAND NEW LIMITED,"
            "Catering,20\nAAA,17/07/2024,local one ltd.,Catering,30\n")
    checked = checked_csv(fixture_wh, "spend", text)
    assert len(checked.new_suppliers) == 1  # the same name twice: one supplier
    result = loading.load(fixture_wh, checked, ANALYST)
    new_id = checked.new_suppliers["supplier_id"].iat[0]
    assert fixture_wh.rows("select name, postcode, load_id from supplier where supplier_id = ?",
                           [new_id]) == [("Brand New Ltd", None, result.load_id)]
    assert [r[0] for r in spend_rows(fixture_wh, "AAA", Q2_2024)] == [new_id, new_id, "S1"]
    history = load_history(fixture_wh)
    assert (history["rows_added"].iat[0], history["suppliers_added"].iat[0]) == (3, 1)
    loading.undo(fixture_wh, result.load_id, ANALYST)
    assert fixture_wh.value("select count(*) from supplier where supplier_id = ?", [new_id]) == 0


def test_supplier_register_load_and_undo(fixture_wh):
    before = fixture_wh.rows("select * from supplier order by supplier_id")
    text = ("supplier_id,name,postcode,is_sme,is_vcse,is_public_body\n"
            "S4,Unknown Four Ltd,b18 7qh,yes,no,no\nS9,Nine CIC,B70 9PL,yes,yes,no\n")
    checked = checked_csv(fixture_wh, "supplier", text)
    assert checked.ok, checked.issues
    pv = loading.preview(fixture_wh, checked, ANALYST, context=(["AAA"], Q1_2024, Q1_2024))
    # S4's £50 moves from unplaced to Birmingham: AAA's local share goes from 580 of the
    # 1,980 placed to 630 of 2,030, all of it placed
    share, known = pv.figures.itertuples()
    assert (round(share.before, 4), round(share.after, 4)) == (round(580 / 1980, 4),
                                                                round(630 / 2030, 4))
    assert known.figure == "Spend whose supplier location is known"
    assert (round(known.before, 4), known.after) == (round(1980 / 2030, 4), 1.0)
    assert slices_table(checked, pv, {}).iloc[0].tolist() == [
        "Supplier register", "1 supplier already in the register", "1 new supplier",
        "2 suppliers from the file"]
    result = loading.load(fixture_wh, checked, ANALYST)
    assert fixture_wh.rows("select postcode, is_sme from supplier where supplier_id = 'S4'") == [
        ("B18 7QH", True)]
    loading.undo(fixture_wh, result.load_id, ANALYST)
    assert fixture_wh.rows("select * from supplier order by supplier_id") == before


def test_a_preview_gives_no_count_of_one_to_four_people_away(fixture_wh):
    # AAA's 2024/25 Q2 is 18 staff now, 16 of them in the place; after the load 13, of whom 3
    # live in the place (Sandwell 010A) and 10 have no home recorded.
    wf = ("org_code,quarter,home_lsoa,staff_group,afc_band,headcount,fte,gross_pay_gbp\n"
          "AAA,2024/25 Q2,E01010104,Nursing,Band 5,3,3,15000\n"
          "AAA,2024/25 Q2,,Admin,Band 3,10,10,50000\n")
    checked = checked_csv(fixture_wh, "workforce", wf)
    assert checked.ok, checked.issues
    pv = loading.preview(fixture_wh, checked, ANALYST)
    table = figures_table(pv, {"AAA": "Alpha"}).set_index("Figure")
    assert table.loc["Staff", ["Now", "After", "Change"]].tolist() == ["20", "15", "-5"]
    assert table.loc["Residents employed", ["Now", "After", "Change"]].tolist() == [
        "15", "*", "*"]


def test_workforce_and_estate_loads(fixture_wh):
    wf = ("org_code,quarter,home_lsoa,staff_group,afc_band,headcount,fte,gross_pay_gbp,starters\n"
          "AAA,2024/25 Q2,E01010104,Nursing,Band 5,20,18.5,\"90,000\",2\n"
          "AAA,2024/25 Q2,e01099999,Nursing,Band 6,1,1,5000,\n")
    checked = checked_csv(fixture_wh, "workforce", wf)
    assert checked.ok, checked.issues
    assert list(checked.warnings["problem"]) == [
        "Not an LSOA in the geography: these staff count as not placed."]
    pv = loading.preview(fixture_wh, checked, ANALYST)
    staff = pv.figures[pv.figures["figure"] == "Staff"].iloc[0]
    # 18 staff now and 21 after, shown as the pages show them: 20 both times.
    assert (staff["before"], staff["after"]) == (20, 20)
    residents = pv.figures[pv.figures["figure"] == "Residents employed"].iloc[0]
    assert (residents["before"], residents["after"]) == (15, 20)  # 12 + 4 now, 20 after
    result = loading.load(fixture_wh, checked, ANALYST)
    assert result.rows_replaced == 3
    assert fixture_wh.rows("select home_lsoa, headcount, fte, gross_pay_gbp, starters"
                           " from workforce where org_code = 'AAA' and quarter_start = ?"
                           " order by 1", [Q2_2024]) == [
        ("E01010104", 20, 18.5, Decimal("90000.00"), 2), ("E01099999", 1, 1.0,
                                                          Decimal("5000.00"), 0)]
    es = ("org_code,site_code,quarter,site_area_ha,land_not_delivering_ha,gia_m2,backlog_cost_gbp\n"
          "aaa,aaa01,2024-07-01,10,2.5,\"20,000\",£1.1m\n")
    bad = checked_csv(fixture_wh, "estate", es)
    assert list(bad.errors["value"]) == ["£1.1m"]
    checked = checked_csv(fixture_wh, "estate", es.replace("£1.1m", "\"£1,100,000\""))
    assert checked.ok, checked.issues
    result = loading.load(fixture_wh, checked, ANALYST)
    assert fixture_wh.rows("select org_code, site_code, land_not_delivering_ha, backlog_cost_gbp"
                           " from estate where load_id = ?", [result.load_id]) == [
        ("AAA", "AAA01", 2.5, Decimal("1100000.00"))]


def test_preview_says_what_is_replaced_and_how_figures_change(fixture_wh):
    before = table_fingerprints(fixture_wh)
    checked = checked_csv(fixture_wh, "spend", REPLACE_Q1)
    pv = loading.preview(fixture_wh, checked, ANALYST)
    assert table_fingerprints(fixture_wh) == before  # rolled back
    assert pv.slices[["org_code", "rows_replaced", "rows_added"]].values.tolist() == [
        ["AAA", 8, 1]]
    table = figures_table(pv, {"AAA": "Alpha"})
    assert table.values.tolist() == [
        ["AAA · Alpha", "2024/25 Q1", "In-scope spend", "£2.0k", "£1.0k", "-£1.0k"],
        ["AAA · Alpha", "2024/25 Q1", "Local spend", "£580", "£1.0k", "+£420"],
        ["AAA · Alpha", "2024/25 Q1", "Local share", "29.3%", "100.0%", "+70.7 pts"],
        ["AAA · Alpha", "2024/25 Q1", "Spend whose supplier location is known", "97.5%",
         "100.0%", "+2.5 pts"],
    ]
    # AAA's April 2024: 100 - 20 + 300 + 400 + 1,000 + 50 + 200 + 5,000 = £7,030
    assert slices_table(checked, pv, {"AAA": "Alpha"}).values.tolist() == [
        ["AAA · Alpha", "April 2024", "8", "£7.0k", "1", "£1.0k", "replaces the month"]]


def test_the_load_refuses_when_the_preview_is_out_of_date(fixture_wh):
    checked = checked_csv(fixture_wh, "spend", REPLACE_Q1)
    pv = loading.preview(fixture_wh, checked, ANALYST)
    other = checked_csv(fixture_wh, "spend", REPLACE_Q1.replace("S2", "S3"))
    loading.load(fixture_wh, other, ANALYST)
    before = table_fingerprints(fixture_wh)
    with pytest.raises(loading.WarehouseChanged, match="changed since the preview"):
        loading.load(fixture_wh, checked, ANALYST, expected=pv.slices)
    assert table_fingerprints(fixture_wh) == before


def test_undo_after_the_demo_is_removed_does_not_bring_it_back(fixture_wh):
    fixture_wh.rows("update organisation set is_demo = true where org_code = 'BBB'")
    fixture_wh.rows("update spend set is_demo = true where org_code = 'BBB'")
    text = "org_code,paid_date,supplier_id,category,amount_gbp\nBBB,15/04/2024,S1,Catering,5\n"
    result = loading.load(fixture_wh, checked_csv(fixture_wh, "spend", text), ANALYST)
    assert result.rows_replaced == 1
    loading.remove_demo_data(fixture_wh, ANALYST)  # the command line's `anchor demo --remove`
    loading.undo(fixture_wh, result.load_id, ANALYST)
    assert spend_rows(fixture_wh, "BBB", Q1_2024) == []
    assert fixture_wh.value("select count(*) from spend_replaced") == 0


# -- who may load ------------------------------------------------------------------------

def test_a_viewer_cannot_load_or_undo(fixture_wh, monkeypatch):
    checked = checked_csv(fixture_wh, "spend", NEW_QUARTER)
    before = table_fingerprints(fixture_wh)
    with pytest.raises(PermissionDenied, match="cannot load data: it needs the analyst role"):
        loading.load(fixture_wh, checked, VIEWER)
    monkeypatch.setenv("ANCHOR_ROLE", "viewer")
    with pytest.raises(PermissionError):
        loading.load(fixture_wh, checked, local_user())
    assert table_fingerprints(fixture_wh) == before
    result = loading.load(fixture_wh, checked, ANALYST)
    with pytest.raises(PermissionDenied, match="cannot undo a load"):
        loading.undo(fixture_wh, result.load_id, VIEWER)
    admin = User("it@example.nhs.uk", Role.ADMIN, "signed in")
    assert loading.undo(fixture_wh, result.load_id, admin).rows_removed == 2


# -- the report and data quality ---------------------------------------------------------------

def test_report_csv_cannot_run_formulas(fixture_wh):
    checked = loading.check(fixture_wh, loading.read_path(
        GOOD.parent / "bad" / "spend_formula_cells.csv"), loading.spec("spend"))
    text = report_csv(checked.issues).decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0] == "File,Row,Column,Value,Problem,Severity"
    assert "'=HYPERLINK" in text and "'@Local One Ltd" in text and "'+SUM(1;2)" in text
    assert not any(cell.startswith(("=", "+", "@")) for line in lines for cell in line.split(","))


def test_data_quality_questions(fixture_wh):
    problems = supplier_postcode_problems(fixture_wh)
    assert problems[["supplier_id", "problem", "spend_gbp"]].values.tolist() == [
        ["S4", "unknown", 50.0]]
    fixture_wh.rows("update supplier set is_vcse = null where supplier_id = 'S3'")
    flags = suppliers_without_flags(fixture_wh)
    assert flags[["supplier_id", "spend_gbp"]].values.tolist() == [["S3", 7700.0]]
    gaps = missing_quarters(fixture_wh)
    spend_gaps = gaps[(gaps["data"] == "Spend") & (gaps["org_code"] == "AAA")]
    assert [d.date() for d in pd.to_datetime(spend_gaps["quarter_start"])] == [
        date(2023, 7, 1), date(2023, 10, 1), date(2024, 1, 1)]
    estate_gaps = gaps[gaps["data"] == "Estates"]
    assert estate_gaps[["org_code"]].values.tolist() == [["BBB"]]
