"""Checks that were too strict or too quiet: repeated lines told apart by columns Anchor does
not keep, a stray line that would replace a whole quarter, and a refused upload recorded
as the command line records it. Worked by hand on the fixture warehouse."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

from anchor import loading
from anchor.auth import Role, User
from anchor.loading.report import issues_table, shrinking_slices
from anchor.queries.loads import table_fingerprints

DATA = Path(__file__).resolve().parents[1] / "data"
ANALYST = User("ana@example.nhs.uk", Role.ANALYST, "signed in", "ana@example.nhs.uk")
SPEND_HEADER = "org_code,paid_date,supplier_id,category,amount_gbp\n"


def checked_csv(wh, text: str, table: str = "spend"):
    return loading.check(wh, loading.read_bytes("f.csv", text.encode()), loading.spec(table))


def warnings(checked) -> list[str]:
    return list(checked.warnings["problem"])


# -- repeated lines ----------------------------------------------------------------------------

def test_published_lines_differing_only_in_expense_area_or_description_are_not_repeats(
        fixture_wh):
    """Three lines with the same date, supplier, transaction number and amount: one for
    Estates, one for Theatres, one with another description. None repeats another."""
    raw = loading.read_path(DATA / "good" / "spend_published_two_expense_areas.csv")
    checked = loading.check(fixture_wh, raw, loading.spec("spend"))
    assert checked.ok, checked.errors
    assert len(checked.rows) == 4
    assert checked.rows["amount_gbp"].tolist() == ["30000.00"] * 3 + ["26500.00"]


def test_a_line_repeated_in_every_column_is_still_refused(fixture_wh):
    text = (DATA / "good" / "spend_published_two_expense_areas.csv").read_text()
    lines = text.splitlines()
    checked = checked_csv(fixture_wh, "\n".join([*lines, lines[2]]) + "\n")
    (problem,) = checked.errors["problem"]
    assert checked.errors["row"].tolist() == [6]
    assert problem.startswith("Repeats row 3: every column is the same")


# -- a load that would shrink an organisation-month or -quarter ---------------------------------

def test_a_file_that_would_replace_a_month_with_far_fewer_lines_is_warned_of(fixture_wh):
    # AAA's April 2024 holds 8 lines (the fixture's 2024/25 Q1 is all paid on 15 April); a
    # file with one line for April would replace all 8
    text = SPEND_HEADER + "AAA,16/04/2024,S1,Catering,100\n"
    checked = checked_csv(fixture_wh, text)
    assert checked.ok
    assert warnings(checked) == [
        "AAA April 2024: the file has 1 line for it, which would replace the 8 there now. "
        "Loading it asks you to confirm (--yes on the command line); check the file's dates "
        "if that is not meant."]
    assert issues_table(checked.warnings)["Row"].tolist() == ["whole file"]
    # the preview says so beside what the load replaces
    pv = loading.preview(fixture_wh, checked, ANALYST)
    assert pv.slices["rows_replaced"].tolist() == [8]
    assert shrinking_slices(checked, pv, {"AAA": "Alpha"}) == [
        "AAA · Alpha, April 2024: 1 line, replacing 8. Check the file's dates: is this the "
        "whole month?"]
    assert loading.load(fixture_wh, checked, ANALYST, expected=pv.slices).rows_replaced == 8


def test_half_or_more_of_a_month_or_quarter_is_not_warned_of(fixture_wh):
    text = SPEND_HEADER + "".join(f"AAA,{d:02d}/04/2024,S1,Catering,{d}\n" for d in range(1, 5))
    checked = checked_csv(fixture_wh, text)  # 4 lines replacing April's 8: no warning
    assert checked.ok and warnings(checked) == []
    wf = ("org_code,quarter,home_lsoa,headcount,fte,gross_pay_gbp\n"
          "AAA,2024/25 Q2,E01010104,20,18.5,90000\n")
    checked = checked_csv(fixture_wh, wf, "workforce")  # 1 row replacing 3
    assert warnings(checked) == [
        "AAA 2024/25 Q2: the file has 1 row for it, which would replace the 3 there now: a load "
        "replaces the whole organisation-quarter. If that is not meant, check the file's dates "
        "(a line in the wrong quarter?)."]


# -- a refused upload is audited, as the command line audits it --------------------------------

def test_the_sidebar_records_a_refused_file_and_changes_nothing_else(fixture_wh):
    before = table_fingerprints(fixture_wh)
    version = fixture_wh.data_version()
    bad = (DATA / "bad" / "spend_bad_dates.csv").read_bytes()
    offered = loading.check_offered(fixture_wh, "july.csv", bad, loading.spec("spend"), ANALYST)
    assert offered.preview is None and not offered.checked.ok
    unreadable = loading.check_offered(fixture_wh, "empty.csv", b"  \n", loading.spec("spend"),
                                       ANALYST)
    assert unreadable.error == "empty.csv is empty."
    after = table_fingerprints(fixture_wh)
    assert {t for t in before if before[t] != after[t]} == {"load"}
    assert fixture_wh.data_version() == version
    rows = fixture_wh.df("select load_id, loaded_by, file_name, sha256, table_name, outcome,"
                         " message, loaded_at from load order by load_id")
    assert rows["load_id"].tolist() == [offered.refusal_id, unreadable.refusal_id]
    assert rows[["loaded_by", "file_name", "sha256", "table_name", "outcome"]].values.tolist() == [
        ["ana@example.nhs.uk", "july.csv", hashlib.sha256(bad).hexdigest(), "spend", "rejected"],
        ["ana@example.nhs.uk", "empty.csv", hashlib.sha256(b"  \n").hexdigest(), "spend",
         "rejected"]]
    assert rows["message"].tolist() == [
        "3 problems; nothing was loaded. First: row 2, paid_date: Not a date. Use dd/mm/yyyy "
        "(UK order), yyyy-mm-dd, or a spreadsheet date.",
        "1 problem; nothing was loaded. empty.csv is empty."]
    assert rows["loaded_at"].notna().all()


def test_the_sidebar_previews_a_good_file_and_records_nothing(fixture_wh):
    before = table_fingerprints(fixture_wh)
    good = (DATA / "good" / "spend_utf8_bom.csv").read_bytes()
    offered = loading.check_offered(fixture_wh, "good.csv", good, loading.spec("spend"), ANALYST)
    assert offered.checked.ok and offered.refusal_id is None
    assert offered.preview.slices["rows_added"].tolist() == [2]
    assert table_fingerprints(fixture_wh) == before
    assert isinstance(offered.preview.figures, pd.DataFrame)


def test_a_supplier_at_a_known_postcode_without_a_location_is_warned_of(fixture_wh):
    """BD98 1GA is in the ONS lookup with no location: spend there cannot be placed."""
    fixture_wh.rows("insert into geo_postcode (postcode, is_live, lsoa_from_neighbour)"
                    " values ('BD98 1GA', true, false)")
    text = ("supplier_id,name,postcode,company_number,is_sme,is_vcse,is_public_body\n"
            "S9,Bradford Nine Ltd,bd98 1ga,,yes,no,no\n")
    checked = loading.check(fixture_wh, loading.read_bytes("suppliers.csv", text.encode()),
                            loading.spec("supplier"))
    assert checked.ok
    assert checked.warnings[["row", "column", "value"]].values.tolist() == [[2, "postcode", "bd98 1ga"]]
    assert checked.warnings["problem"].iat[0].startswith("Not a postcode the geography can place")
