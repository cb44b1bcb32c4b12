"""The corpus of bad files (tests/data/bad): each gets a clear message naming where the
problem is, leaves every data table of the warehouse exactly as it was, and is recorded
as refused: one row in the audit table, with no new data version."""

from __future__ import annotations

import hashlib
import re
from datetime import date
from pathlib import Path

import pytest

from anchor import loading
from anchor.auth import local_user
from anchor.loading.validation import LARGEST
from anchor.periods import quarter_label, quarter_start
from anchor.queries.loads import table_fingerprints

BAD = Path(__file__).resolve().parents[1] / "data" / "bad"
# what each attempt should have left in the audit table: file, sha256, number of problems
ATTEMPTS: list[tuple[str, str, int]] = []


def attempt(wh, name: str, table: str):
    """Read, check and try to load a file as the sidebar and the command line do, and record
    the refusal as they do. Returns the message the analyst sees and the checked file (None
    when it could not be read)."""
    sha = hashlib.sha256((BAD / name).read_bytes()).hexdigest()
    user = local_user()
    try:
        raw = loading.read_path(BAD / name)
    except loading.UnreadableFile as exc:
        loading.record_rejection(wh, None, user, table, name, str(exc), sha)
        ATTEMPTS.append((name, sha, 1))
        return str(exc), None
    checked = loading.check(wh, raw, loading.spec(table))
    assert not checked.ok
    with pytest.raises(loading.InvalidFile):
        loading.load(wh, checked, user)
    loading.record_rejection(wh, checked, user, table, name, checked.summary())
    ATTEMPTS.append((name, sha, len(checked.errors)))
    return checked.summary(), checked


def problems(checked) -> list[tuple]:
    """(row, column, value, problem) of every error, rows as in the spreadsheet."""
    e = checked.errors
    return [(None if r.row is None or str(r.row) == "<NA>" else int(r.row), r.column, r.value,
             r.problem) for r in e.itertuples()]


@pytest.fixture
def wh(fixture_wh, monkeypatch):
    monkeypatch.setenv("ANCHOR_ROLE", "analyst")
    monkeypatch.setenv("ANCHOR_USER", "ana")
    before = table_fingerprints(fixture_wh)
    version = fixture_wh.data_version()
    ATTEMPTS.clear()
    yield fixture_wh
    after = table_fingerprints(fixture_wh)
    assert {t for t in before if before[t] != after[t]} <= {"load"}, \
        "a bad file changed the warehouse"
    assert fixture_wh.data_version() == version  # no one's cached figures are thrown away
    audit = fixture_wh.rows("select file_name, sha256, loaded_by, table_name, outcome, message,"
                            " loaded_at is not null from load order by load_id")
    assert [(f, s) for f, s, *_ in audit] == [(f, s) for f, s, _ in ATTEMPTS]
    for (*_, by, _table, outcome, message, when), (_, _, n) in zip(audit, ATTEMPTS):
        assert (by, outcome, when) == ("ana", "rejected", True)
        assert message.startswith(f"{n:,} problem{'' if n == 1 else 's'}; nothing was loaded.")


def test_wrong_columns(wh):
    message, checked = attempt(wh, "spend_wrong_columns.csv", "spend")
    (row, column, value, problem), = problems(checked)
    assert row is None
    # a category is not needed: a file without one loads as 'Not stated'
    assert "No column for org_code, paid_date, amount_gbp" in problem
    assert "The file's columns are: Trust, When, Who, How much" in problem
    assert "map them to ours" in problem


def test_missing_column(wh):
    _, checked = attempt(wh, "spend_missing_amount.csv", "spend")
    (row, column, _, problem), = problems(checked)
    assert column == "amount_gbp"
    assert problem.startswith("No column for amount_gbp.")


def test_bad_dates(wh):
    _, checked = attempt(wh, "spend_bad_dates.csv", "spend")
    assert [(r, c, v) for r, c, v, _ in problems(checked)] == [
        (2, "paid_date", "31/02/2024"), (3, "paid_date", "2024-13-01"),
        (4, "paid_date", "next Tuesday")]
    assert all("Not a date. Use dd/mm/yyyy" in p for *_, p in problems(checked))


def test_text_in_amounts(wh):
    _, checked = attempt(wh, "spend_text_in_amount.csv", "spend")
    # '1.200,50' is refused rather than read as £1.20; '1,200.50' on row 4 is fine
    assert [(r, c, v) for r, c, v, _ in problems(checked)] == [
        (2, "amount_gbp", "twelve hundred"), (3, "amount_gbp", "1.200,50")]
    assert "Not an amount in £" in problems(checked)[0][3]


def test_negative_fte(wh):
    _, checked = attempt(wh, "workforce_negative_fte.csv", "workforce")
    assert problems(checked) == [
        (3, "fte", "-4.0", "Cannot be negative: full-time equivalent (FTE) is never below zero.")]


def test_unknown_organisation(wh):
    _, checked = attempt(wh, "spend_unknown_organisation.csv", "spend")
    assert problems(checked) == [
        (3, "org_code", "ZZZ", "Not the code or name of an organisation in the warehouse, "
                               "and none looks like it. Use its ODS code, or say which "
                               "organisation the file is for (--org CODE, or in the sidebar): "
                               "the spelling is then remembered.")]


def test_quarter_outside_the_files_dates(wh):
    _, checked = attempt(wh, "spend_quarter_outside_dates.csv", "spend")
    assert problems(checked) == [
        (3, "paid_date", "03/10/2024", "Paid in 2024/25 Q3, outside the quarter given in the "
                                       "file's quarter column (2024/25 Q2).")]


def test_quarter_chosen_for_the_file(wh):
    raw = loading.read_path(BAD.parent / "good" / "spend_utf8_bom.csv")
    checked = loading.check(wh, raw, loading.spec("spend"), quarter=date(2024, 10, 1))
    assert not checked.ok
    assert {p for *_, p in problems(checked)} == {
        "Paid in 2024/25 Q2, outside 2024/25 Q3, the quarter this file is being loaded for."}


def test_duplicate_rows(wh):
    _, checked = attempt(wh, "spend_duplicate_rows.csv", "spend")
    (row, column, value, problem), = problems(checked)
    assert (row, column, value) == (4, "amount_gbp", "100.00")
    assert problem.startswith("Repeats row 2: every column is the same")


def test_a_value_split_by_an_unquoted_separator(wh):
    """'26,500.00' without quotes is two cells: refused, naming the row and why, rather than
    'not a well-formed CSV file', and never loaded as £26."""
    _, checked = attempt(wh, "spend_unquoted_separator.csv", "spend")
    assert problems(checked) == [
        (3, "(no name: I)", "500.00",
         "Row 3 has 9 cells; the header has 8: cell I3 beside the named columns holds a number. "
         "Check the row for a separator inside a value that is not in quotes (such as "
         "1,329.75, or a name with a comma in it).")]


def test_windows_1252_file_with_a_bad_amount(wh):
    """The £ sign (one byte in Windows-1252) reads as £, in the data and in the message."""
    _, checked = attempt(wh, "spend_windows_1252.csv", "spend")
    assert checked.encoding == "Windows-1252"
    assert [(r, c, v) for r, c, v, _ in problems(checked)] == [(3, "amount_gbp", "£1,2OO.00")]


def test_empty_file(wh):
    message, _ = attempt(wh, "spend_empty.csv", "spend")
    assert message == "spend_empty.csv is empty."


def test_header_only(wh):
    message, _ = attempt(wh, "spend_header_only.csv", "spend")
    assert message == "spend_header_only.csv has column names but no rows of data."


def test_file_over_the_size_limit(wh, monkeypatch):
    monkeypatch.setenv("ANCHOR_MAX_UPLOAD_MB", "0.002")  # 2 KB; the file is 2.7 KB
    message, _ = attempt(wh, "spend_over_size_limit.csv", "spend")
    assert message.startswith("The file is 2.7 KB; the largest file Anchor accepts is 2 KB")
    assert "ANCHOR_MAX_UPLOAD_MB" in message
    # the same file is fine under the usual limit
    monkeypatch.delenv("ANCHOR_MAX_UPLOAD_MB")
    assert loading.read_path(BAD / "spend_over_size_limit.csv").frame.shape == (60, 5)


def test_size_limit_is_checked_on_uploaded_bytes(monkeypatch):
    monkeypatch.setenv("ANCHOR_MAX_UPLOAD_MB", "1")
    with pytest.raises(loading.UnreadableFile, match="The file is 1.5 MB; the largest file "
                                                     "Anchor accepts is 1 MB"):
        loading.read_bytes("big.csv", b"a,b\n" + b"1,2\n" * 400_000)


def test_formula_cells(wh):
    _, checked = attempt(wh, "spend_formula_cells.csv", "spend")
    found = [(r, c, v[:10]) for r, c, v, _ in problems(checked)]
    assert found == [(2, "supplier_name", "=HYPERLINK"), (3, "category", "+SUM(1;2)"),
                     (4, "transaction_number", "-2+3"), (5, "supplier_name", "@Local One")]
    assert all("a spreadsheet would run it as a formula" in p for *_, p in problems(checked))
    # the credit note of -500.00 on row 4 is a number, not a formula
    assert (4, "amount_gbp") not in [(r, c) for r, c, _ in found]


def test_binary_file_named_csv(wh):
    message, _ = attempt(wh, "spend_binary.csv", "spend")
    assert message == ("spend_binary.csv is not a CSV file: it holds binary data. Upload the "
                       "spreadsheet as .xlsx, or save it as CSV first.")


def test_invalid_postcodes_and_flags(wh):
    _, checked = attempt(wh, "supplier_bad_postcode.csv", "supplier")
    assert problems(checked) == [
        (2, "postcode", "B70 9PLX", "'B70 9PLX' is not a UK postcode (expected a form like "
                                    "B71 4HJ)."),
        (3, "is_sme", "maybe", "Not yes or no."),
    ]
    # ZZ9 9ZZ is a well-formed postcode the geography does not know: a warning, not an error
    warned = checked.warnings
    assert list(warned.loc[warned["column"] == "postcode", "value"]) == ["ZZ9 9ZZ"]


def test_unknown_site_and_someone_elses_site(wh):
    _, checked = attempt(wh, "estate_unknown_site.csv", "estate")
    assert problems(checked) == [
        (2, "site_code", "AAA99", "Not a site in the warehouse."),
        (3, "site_code", "BBB01", "This site belongs to another organisation."),
    ]


# -- bounds: every count, area and amount, and every period ---------------------------------

CHECK = "Check the number (a misplaced decimal point, or another unit?)."
NINES = "9" * 400  # reads as infinity


def current_quarter() -> str:
    return quarter_label(quarter_start(date.today()))


def test_workforce_values_no_trust_reports(wh):
    _, checked = attempt(wh, "workforce_out_of_bounds.csv", "workforce")
    assert set(checked.errors["file"]) == {"workforce_out_of_bounds.csv"}
    people = "the largest NHS trusts employ about 30,000"
    assert problems(checked) == [
        (2, "headcount", "2,000,000", f"More than 1,000,000 people: {people}. {CHECK}"),
        (3, "fte", NINES, f"More than 1,000,000 FTE: {people}. {CHECK}"),
        (4, "gross_pay_gbp", "£20,000,000,000",
         "More than £10bn: a quarter's pay at the largest NHS trusts is under £1bn. " + CHECK),
        (5, "starters", "inf", "Not a whole number."),
        (6, "apprentices", "nan", "Not a whole number."),
        (7, "below_living_wage", "123456789012", f"More than 1,000,000 people: {people}. {CHECK}"),
        (8, "fte", "Infinity", "Not a number."),
        (9, "quarter", "2040/41 Q1",
         f"After {current_quarter()}, the current quarter: check the year."),
        (10, "quarter", "1999/00 Q4", "Before 2000/01 Q1: check the year."),
    ]


def test_estates_values_no_site_reports(wh):
    _, checked = attempt(wh, "estate_out_of_bounds.csv", "estate")
    assert set(checked.errors["file"]) == {"estate_out_of_bounds.csv"}
    assert problems(checked) == [
        (2, "site_area_ha", NINES, "More than 10,000 ha (100 km²): the largest hospital sites "
                                   f"cover a few hundred hectares. {CHECK}"),
        (3, "gia_m2", "12,000,000", "More than 5,000,000 m²: that is more than twice the floor "
                                    f"area of the largest building in the world. {CHECK}"),
        (4, "energy_kwh", "nan", "Not a number."),
        (5, "backlog_cost_gbp", "£200,000,000,000",
         f"More than £100bn: the backlog of the whole NHS in England is about £14bn. {CHECK}"),
        (6, "carbon_tco2e", "20,000,000",
         f"More than 10,000,000 tCO2e: a large hospital emits about 20,000 tonnes a year. {CHECK}"),
        (7, "community_use_hours", "-5",
         "Cannot be negative: a number of hours is never below zero."),
        (8, "quarter", "2040/41 Q1",
         f"After {current_quarter()}, the current quarter: check the year."),
        (9, "quarter", "1998/99 Q2", "Before 2000/01 Q1: check the year."),
    ]


def test_every_numeric_column_has_a_bound():
    numeric = {c.name for s in loading.SPECS.values() for c in s.columns
               if c.kind in ("int", "number", "money")}
    assert numeric - {"amount_gbp"} <= set(LARGEST)  # spend's amounts: parse.MAX_AMOUNT_GBP


def test_values_at_the_bounds_and_the_periods_ends_load(fixture_wh):
    """The largest values allowed, zeros, 2000/01 Q1 and the current quarter all load."""
    head = "org_code,quarter,home_lsoa,headcount,fte,gross_pay_gbp,starters\n"
    text = (head + "AAA,2000/01 Q1,E01010104,1000000,1000000,10000000000,0\n"
            f"AAA,{current_quarter()},E01010104,0,0,0,1000000\n")
    checked = loading.check(fixture_wh, loading.read_bytes("edge.csv", text.encode()),
                            loading.spec("workforce"))
    assert checked.errors.empty, checked.errors
    assert list(checked.rows["headcount"]) == [1_000_000, 0]


# -- every problem of a file, at once ---------------------------------------------------------

def test_a_file_with_seven_problems_reports_all_seven(wh):
    """A formula cell no longer hides the rest; and it is reported once, not again as a date
    that cannot be read."""
    _, checked = attempt(wh, "seven_problems.csv", "spend")
    assert set(checked.errors["file"]) == {"seven_problems.csv"}
    assert [(r, c, v) for r, c, v, _ in problems(checked)] == [
        (2, "paid_date", "=TODAY()"), (3, "paid_date", "31/02/2024"),
        (4, "paid_date", "15/07/2090"), (5, "org_code", "ZZZ"), (6, "amount_gbp", "twelve pounds"),
        (7, "category", ""), (9, "amount_gbp", "50.00")]
    assert [p.split(":")[0].split(".")[0] for *_, p in problems(checked)] == [
        "Starts with =, +, - or @, so a spreadsheet would run it as a formula",
        "Not a date", "In the future",
        "Not the code or name of an organisation in the warehouse, and none looks like it",
        "Not an amount in £",
        "Missing", "Repeats row 8"]
    assert checked.summary().startswith("seven_problems.csv: 7 problems; nothing was loaded.")


# -- organisations and sites ------------------------------------------------------------------

FORMULA = ("Starts with =, +, - or @, so a spreadsheet would run it as a formula. Remove the "
           "leading character, or give the value as plain text or a number.")


def test_organisations_missing_a_column(wh):
    _, checked = attempt(wh, "organisation_missing_columns.csv", "organisation")
    assert problems(checked) == [
        (None, "footprint_code", "", "No column for footprint_code. The file's columns are: "
                                     "Code, Name, Type. Rename them as in the organisations "
                                     "and footprints template, or map them to ours.")]


def test_organisations_with_an_unknown_local_authority(wh):
    _, checked = attempt(wh, "organisation_unknown_local_authority.csv", "organisation")
    assert problems(checked) == [
        (2, "home_local_authorities", "Sandwel; Birmingham",
         "'Sandwel' is not a local authority in the geography. Did you mean Sandwell? Give each "
         "by its ONS code (e.g. E08000028) or its name, separated by ;."),
        (3, "home_local_authorities", "E08999999",
         "'E08999999' is not a local authority in the geography. Give each by its ONS code "
         "(e.g. E08000028) or its name, separated by ;."),
    ]


def test_organisations_with_repeated_codes_and_names(wh):
    _, checked = attempt(wh, "organisation_duplicate_codes.csv", "organisation")
    assert problems(checked) == [
        (3, "footprint_name", "Footprint Two",
         "Footprint FP2 is named 'Second footprint' on row 2: give a footprint one name."),
        (4, "org_code", "ccc",
         "Repeats row 2: the same organisation code; each organisation appears once."),
        (5, "footprint_name", "",
         "FP3 is a new footprint: give its name (on at least one of its rows)."),
        (6, "org_code", "R X K",
         "Not a code: letters and digits, no spaces, at most 20 (e.g. RXK)."),
    ]


def test_organisations_with_formula_cells(wh):
    _, checked = attempt(wh, "organisation_formula_cells.csv", "organisation")
    assert [(r, c, v[:10], p) for r, c, v, p in problems(checked)] == [
        (2, "name", "=HYPERLINK", FORMULA), (3, "footprint_name", "@Footprint", FORMULA),
        (3, "home_local_authorities", "+Birmingha", FORMULA)]


def test_sites_of_an_unknown_organisation(wh):
    _, checked = attempt(wh, "site_unknown_organisation.csv", "site")
    assert problems(checked) == [
        (3, "org_code", "ZZZ", "Not an organisation in the warehouse (known: AAA, BBB). Load it "
                               "in an organisations file first, or use its ODS code.")]


def test_sites_with_invalid_and_missing_postcodes(wh):
    _, checked = attempt(wh, "site_bad_postcode.csv", "site")
    assert problems(checked) == [
        (2, "postcode", "B70 9PLX", "'B70 9PLX' is not a UK postcode (expected a form like "
                                    "B71 4HJ)."),
        (4, "postcode", "", "Missing: every row needs a postcode, to place the site."),
    ]
    # a well-formed postcode the geography does not know is a warning that names it
    assert checked.warnings[["row", "value"]].values.tolist() == [[3, "ZZ9 9ZZ"]]
    assert checked.warnings["problem"].iat[0].startswith(
        "ZZ9 9ZZ is not a postcode the geography can place")


def test_sites_with_repeated_codes(wh):
    _, checked = attempt(wh, "site_duplicate_codes.csv", "site")
    assert problems(checked) == [
        (3, "site_code", "aaa02", "Repeats row 2: the same site code; each site appears once.")]


def test_every_bad_file_has_a_test():
    tested = set(re.findall(r'attempt\(wh, "([^"]+)"', Path(__file__).read_text()))
    # the crafted workbooks are tried in test_loading_hostile.py
    hostile = Path(__file__).with_name("test_loading_hostile.py").read_text()
    tested |= set(re.findall(r'DATA / "bad" / "([^"]+)"', hostile))
    assert tested == {p.name for p in BAD.iterdir()}
