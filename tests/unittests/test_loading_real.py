"""Spend files as trusts and a council published them, loaded with no hand edits into an
empty warehouse set up from NHS Digital's eccg.csv and etr.csv, with at most the options an
analyst has (--org, --skip-bad-rows). The expected lines, £ and months were worked out from
the files in tests/data/real by a separate read (pandas, outside Anchor)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from anchor import loading
from anchor.auth import Role, User, setup_user
from anchor.cli import main
from anchor.db import Warehouse
from anchor.geography.install import install_geography
from anchor.loading.validation import check_many

REAL = Path(__file__).resolve().parents[1] / "data" / "real"
ANALYST = User("ana@example.nhs.uk", Role.ANALYST, "signed in", "ana@example.nhs.uk")


@pytest.fixture(scope="module")
def ods_db(tmp_path_factory, geography_cache) -> Path:
    path = tmp_path_factory.mktemp("real") / "anchor.duckdb"
    wh = Warehouse(path)
    try:
        install_geography(wh, geography_cache, setup_user())
        for f in ("ods_eccg.csv", "ods_etr.csv"):
            c = loading.check(wh, loading.read_path(REAL / f), loading.spec("organisation"))
            assert c.ok, c.errors
            loading.load(wh, c, ANALYST)
    finally:
        wh.close()
    return path


@pytest.fixture
def wh(ods_db, tmp_path):
    copy = tmp_path / "anchor.duckdb"
    shutil.copy(ods_db, copy)
    w = Warehouse(copy)
    yield w
    w.close()


def spend_check(wh, *names: str, **kw):
    raws = [loading.read_path(REAL / n) for n in names]
    return check_many(wh, raws, loading.spec("spend"), **kw)


def by_month(wh, org: str) -> list[tuple[str, int, float]]:
    return [(str(m), int(n), float(gbp)) for m, n, gbp in wh.rows(
        "select strftime(date_trunc('month', paid_date), '%Y-%m'), count(*), sum(amount_gbp)"
        " from spend where org_code = ? group by 1 order by 1", [org])]


def problems(c) -> list[str]:
    return list(c.issues["problem"])


# Each file: the options it needs, and per month its lines and £ as a separate read gives.
REAL_FILES = [
    ("spend_R1H_barts_2020-04.xlsx", {}, "R1H", [("2020-04", 238, 48_757_844.82)]),
    ("spend_RJ6_croydon_2020-04.csv", {"org": "RJ6"}, "RJ6", [("2020-04", 185, 8_357_148.00)]),
    ("spend_RVR_epsom_sthelier_2020-04.csv", {"org": "RVR"}, "RVR",
     [("2020-04", 146, 23_427_533.98)]),
    ("spend_RJ1_guys_stthomas_2020-04.csv", {"org": "RJ1"}, "RJ1",
     [("2020-04", 13_457, 57_927_108.96)]),
    # one row of April has no amount: left out by choice, the other 840 load
    ("spend_RAL_royal_free_2020-21_Q1.csv", {"skip_bad_rows": True}, "RAL",
     [("2020-04", 266, 46_571_346.12), ("2020-05", 305, 59_654_252.29),
      ("2020-06", 202, 44_823_393.84), ("2020-07", 67, 4_794_173.39)]),
    ("spend_RQM_chelsea_westminster_2020-04.csv", {"org": "RQM"}, "RQM",
     [("2020-04", 141, 21_963_605.56)]),
    # the first 3,000 payments of the month's file: 2,117 paid in June, the rest in May
    # (strays, left out); the council becomes an organisation of its ICB's footprint
    ("council_leeds_over500_2020-06.csv", {"org": "E08000035"}, "E08000035",
     [("2020-06", 2_117, 21_640_280.12)]),
]


@pytest.mark.parametrize(("name", "options", "org", "expected"), REAL_FILES,
                         ids=[f[0] for f in REAL_FILES])
def test_each_real_file_loads_with_its_figures(wh, name, options, org, expected):
    c = spend_check(wh, name, **options)
    assert c.ok, c.errors[["row", "problem"]].head().to_dict("records")
    loading.load(wh, c, ANALYST)
    assert by_month(wh, org) == expected


def test_a_file_with_a_blank_amount_is_refused_unless_its_row_is_left_out(wh):
    c = spend_check(wh, "spend_RAL_royal_free_2020-21_Q1.csv")
    assert not c.ok
    assert c.errors[["row", "column"]].values.tolist() == [[190, "amount_gbp"]]
    c = spend_check(wh, "spend_RAL_royal_free_2020-21_Q1.csv", skip_bad_rows=True)
    assert c.ok and c.skipped_rows == [190] and len(c.rows) == 840
    assert "1 row with a fault left out, as chosen: row 190. The rest loads." in problems(c)
    assert ("Left out, as you chose (skip bad rows): Missing: every row needs an amount in £."
            in problems(c))
    result = loading.load(wh, c, ANALYST)
    message = wh.value("select message from load where load_id = ?", [result.load_id])
    assert message.endswith("; 1 row with a fault left out, as chosen: row 190")


def test_a_published_spelling_is_proposed_then_confirmed_once_and_remembered(wh):
    c = spend_check(wh, "spend_RQM_chelsea_westminster_2020-04.csv")
    assert not c.ok
    (row, column, value, problem), = c.errors[["row", "column", "value", "problem"]].values
    assert (row, column, value) == (2, "org_code", "Chelsea & Westminster NHS Foundation Trust")
    assert ("It looks like RQM, Chelsea and Westminster Hospital NHS Foundation Trust (the "
            "same name, NHS words aside). If it is, confirm it: load again with --org RQM"
            in problem)
    assert c.org_proposals["Chelsea & Westminster NHS Foundation Trust"].org_code == "RQM"
    c = spend_check(wh, "spend_RQM_chelsea_westminster_2020-04.csv", org="RQM")
    assert c.ok
    loading.load(wh, c, ANALYST)
    # the next month's file is read as RQM without asking
    may = spend_check(wh, "spend_RQM_chelsea_westminster_2020-05.csv")
    assert may.ok and set(may.rows["org_code"]) == {"RQM"} and may.choices == []


def test_a_year_of_monthly_files_is_one_load_undone_as_one(wh):
    c = spend_check(wh, "spend_RQM_chelsea_westminster_2020-04.csv",
                    "spend_RQM_chelsea_westminster_2020-05.csv", org="RQM")
    assert c.ok and len(c.rows) == 242
    result = loading.load(wh, c, ANALYST)
    assert by_month(wh, "RQM") == [("2020-04", 141, 21_963_605.56),
                                   ("2020-05", 101, 19_724_112.94)]
    assert wh.value("select count(distinct load_id) from spend") == 1
    loading.undo(wh, result.load_id, ANALYST)
    assert by_month(wh, "RQM") == []


def test_the_same_month_twice_is_refused(wh):
    c = spend_check(wh, "spend_RQM_chelsea_westminster_2020-04.csv",
                    "spend_RQM_chelsea_westminster_2020-04.csv", org="RQM")
    assert not c.ok
    assert any("are both for RQM April 2020" in p for p in c.errors["problem"])


def test_undoing_a_councils_first_load_removes_the_council(wh):
    c = spend_check(wh, "council_leeds_over500_2020-06.csv", org="E08000035")
    assert c.ok
    assert wh.rows("select * from organisation where org_code = 'E08000035'") == []
    result = loading.load(wh, c, ANALYST)
    assert wh.rows("select name, org_type, footprint_code from organisation"
                   " where org_code = 'E08000035'") == [("Leeds City Council", "Council", "QWO")]
    loading.undo(wh, result.load_id, ANALYST)
    assert wh.rows("select * from organisation where org_code = 'E08000035'") == []
    # the spelling confirmed with it names a council no longer held: asked again, not loaded
    again = spend_check(wh, "council_leeds_over500_2020-06.csv")
    assert not again.ok
    assert again.org_proposals["Leeds City Council"].lad_code == "E08000035"


def test_the_command_line_loads_a_folder_of_files_in_one_load(wh, tmp_path, monkeypatch, capsys):
    folder = tmp_path / "year"
    folder.mkdir()
    for n in ("spend_RQM_chelsea_westminster_2020-04.csv",
              "spend_RQM_chelsea_westminster_2020-05.csv"):
        shutil.copy(REAL / n, folder / n)
    path = wh.path
    wh.close()
    monkeypatch.setenv("ANCHOR_DB", str(path))
    monkeypatch.setenv("ANCHOR_ROLE", "analyst")
    assert main(["load", "spend", str(folder), "--dry-run"]) == 1
    err = capsys.readouterr().err
    assert "--org RQM" in err
    assert main(["load", "spend", str(folder), "--org", "RQM"]) == 0
    out = capsys.readouterr().out
    assert "RQM: April 2020 (none held) gets 141 lines" in out
    assert "RQM: May 2020 (none held) gets 101 lines" in out
    w = Warehouse(path)
    try:
        assert w.value("select count(distinct load_id) from spend") == 1
    finally:
        w.close()


# -- small files made for each kind of problem ------------------------------------------------

CROYDON = "Croydon Health Services NHS Trust"


def crafted(wh, text: str, name: str = "made.csv", **kw):
    raw = loading.read_bytes(name, text.encode())
    return loading.check(wh, raw, loading.spec("spend"), **kw)


def warnings(c) -> list[str]:
    return list(c.warnings["problem"])


def test_us_dates_are_read_month_first_for_the_whole_file(wh):
    c = crafted(wh, "Entity,Date,Expense Type,Supplier,Amount\n"
                    f"{CROYDON},4/30/2020,Drugs,Acme Ltd,100\n"
                    f"{CROYDON},4/2/2020,Drugs,Acme Ltd,50\n")
    assert c.ok
    assert [str(d.date()) for d in c.rows["paid_date"]] == ["2020-04-30", "2020-04-02"]
    assert c.choices == ["dates in US order (month first)"]
    assert any(w.startswith("Dates read in US order, month first") for w in warnings(c))


def test_dates_that_read_either_way_keep_uk_order_and_say_so(wh):
    c = crafted(wh, "Entity,Date,Expense Type,Supplier,Amount\n"
                    f"{CROYDON},03/04/2020,Drugs,Acme Ltd,100\n"
                    f"{CROYDON},04/03/2020,Drugs,Acme Ltd,50\n", stray_rows="own-months")
    assert c.ok
    assert sorted(str(d.date()) for d in c.rows["paid_date"]) == ["2020-03-04", "2020-04-03"]
    assert c.choices == ["dates read day first (UK order), which every date allows"]
    # a month's file whose days are all 12 or under is not in doubt: no warning
    c = crafted(wh, "Entity,Date,Expense Type,Supplier,Amount\n" + "".join(
        f"{CROYDON},{d:02d}/04/2020,Drugs,Acme Ltd,{d}\n" for d in range(1, 6)))
    assert c.ok and c.choices == []


def test_a_date_only_day_first_with_one_only_month_first_keeps_uk_order(wh):
    c = crafted(wh, "Entity,Date,Expense Type,Supplier,Amount\n"
                    f"{CROYDON},13/04/2020,Drugs,Acme Ltd,100\n"
                    f"{CROYDON},4/30/2020,Drugs,Acme Ltd,50\n")
    assert c.errors[["row", "column", "value"]].values.tolist() == [[3, "paid_date", "4/30/2020"]]


def test_a_blank_first_column_is_skipped_and_one_with_values_is_refused(wh):
    c = crafted(wh, ",Entity,Date,Expense Type,Supplier,Amount\n"
                    f",{CROYDON},15/04/2020,Drugs,Acme Ltd,100\n")
    assert c.ok and len(c.rows) == 1
    assert "Column A has no name and no values: skipped." in warnings(c)
    assert c.choices == ["column A (no name, no values) skipped"]  # and in the audit trail
    with pytest.raises(loading.UnreadableFile, match=r"column 1 \(A\) has no name and holds "
                                                     "values"):
        loading.read_bytes("x.csv", (",Entity,Date,Expense Type,Supplier,Amount\n"
                                     f"note,{CROYDON},15/04/2020,Drugs,Acme Ltd,100\n").encode())


def test_a_file_with_no_category_loads_as_not_stated(wh):
    c = crafted(wh, "Entity,Date of payment,Beneficiary,Amount\n"
                    f"{CROYDON},15/04/2020,Acme Ltd,100\n")
    assert c.ok and list(c.rows["category"]) == ["Not stated"]
    assert c.choices == ["no category column, so category 'Not stated'"]
    assert any("counted as in scope and influenceable until it is flagged" in w
               for w in warnings(c))


def test_a_duplicated_column_anchor_does_not_use_is_ignored(wh):
    c = crafted(wh, "Entity,Date Paid,Expenses Type,Expenses Area,Expenses Area,Supplier Name,"
                    "Transaction Reference,Amount\n"
                    f"{CROYDON},15/04/2020,Drugs,Pharmacy,Ward 1,Acme Ltd,T1,100\n")
    assert c.ok
    assert c.layout.kind == "published spend"
    assert c.layout.mapping["transaction_number"] == "Transaction Reference"
    assert ("The column 'Expenses Area' appears twice (columns D and E); Anchor does not use "
            "it, so each is ignored." in warnings(c))
    assert c.choices == ["repeated column 'Expenses Area' ignored"]
    assert c.summary().endswith("; repeated column 'Expenses Area' ignored")


def test_no_entity_column_loads_for_the_organisation_named(wh):
    text = "Supplier,Date,Expense Type,Amount\nAcme Ltd,15/04/2020,Drugs,100\n"
    c = crafted(wh, text)
    assert not c.ok
    assert "does not say which organisation it is for" in c.errors["problem"].iloc[0]
    c = crafted(wh, text, org="rj6")
    assert c.ok and list(c.rows["org_code"]) == ["RJ6"]
    assert c.choices == ["organisation RJ6 as named (--org)"]
    c = crafted(wh, text, org="ZZZ9")
    assert any("ZZZ9 (--org) is not an organisation in the warehouse" in p
               for p in c.errors["problem"])


def test_a_named_organisation_refuses_lines_naming_another(wh):
    c = crafted(wh, "Entity,Date,Expense Type,Supplier,Amount\n"
                    "RJ1,15/04/2020,Drugs,Acme Ltd,100\n"
                    "SGH,15/04/2020,Drugs,Acme Ltd,50\n", org="RJ7")
    assert c.errors[["row", "problem"]].values.tolist() == [
        [2, "Names RJ1, not RJ7, the organisation you said the file is for (--org)."]]


def test_a_councils_over_500_file_loads_like_a_trusts(wh):
    text = ("Organisation Name,Organisation Code,Effective Date,Service Division Label,"
            "Expenditure Category,Payment Date,Transaction Number,Amount,Supplier Name\n"
            "London Borough of Sutton,E09000029,30/04/2020,Adults,Care,14/04/2020,T1,"
            "\"1,500.00\",Acme Care Ltd\n"
            "London Borough of Sutton,E09000029,30/04/2020,Adults,Care,20/04/2020,T2,"
            "600.00,Acme Care Ltd\n")
    c = crafted(wh, text)
    assert not c.ok
    (proposal,) = c.org_proposals.values()
    assert (proposal.org_code, proposal.lad_code) == ("E09000029", "E09000029")
    c = crafted(wh, text, org="E09000029")
    assert c.ok and c.layout.kind == "published spend"
    assert c.new_organisations[["org_code", "name", "org_type", "footprint_code"]].values.tolist() \
        == [["E09000029", "London Borough of Sutton", "Council", "QWE"]]
    loading.load(wh, c, ANALYST)
    assert by_month(wh, "E09000029") == [("2020-04", 2, 2100.0)]


@pytest.mark.parametrize(("spelling", "code", "how"), [
    ("Chelsea & Westminster NHS FT", "RQM", "the same name, NHS words aside"),
    ("SGH", "RJ7", "its initials"),
    ("GSTT", "RJ1", "its initials"),
    ("Guys and St Thomas", "RJ1", "the same name, NHS words aside"),
    ("St Georges", "RJ7", "the same name, shortened"),
    ("Epsom & ST Helier University Hospital", "RVR", "the same name, NHS words aside"),
    ("RJ1 - Guys and St Thomas", "RJ1", "its ODS code, within the name"),
    # councils: by name, by the transparency code's identifier, by local authority code
    ("Sutton Council", "E09000029", "a council's name"),
    ("Sutton Council as Accountable Body", "E09000029", "a council's name"),
    ("http://opendatacommunities.org/id/london-borough-council/sutton", "E09000029",
     "a council's name"),
    ("E09000029", "E09000029", "a local authority's code"),
])
def test_published_spellings_are_proposed(wh, spelling, code, how):
    c = crafted(wh, "Entity,Date,Expense Type,Supplier,Amount\n"
                    f"{spelling},15/04/2020,Drugs,Acme Ltd,100\n")
    proposal = c.org_proposals[spelling]
    assert (proposal.org_code, proposal.how) == (code, how)
    # confirmed with the load, the spelling is read so from then on
    loading.load(wh, crafted(wh, f"Entity,Date,Expense Type,Supplier,Amount\n"
                                 f"{spelling},15/04/2020,Drugs,Acme Ltd,100\n", org=code), ANALYST)
    again = crafted(wh, "Entity,Date,Expense Type,Supplier,Amount\n"
                        f"{spelling},16/05/2020,Drugs,Acme Ltd,100\n")
    assert again.ok and list(again.rows["org_code"]) == [code]


def test_a_name_like_no_organisation_is_not_guessed(wh):
    c = crafted(wh, "Entity,Date,Expense Type,Supplier,Amount\n"
                    "Acme Widgets,15/04/2020,Drugs,Acme Ltd,100\n")
    assert c.org_proposals == {"Acme Widgets": None}


def test_a_zip_of_monthly_files_is_read_as_its_files(wh):
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for n in ("spend_RQM_chelsea_westminster_2020-05.csv",
                  "spend_RQM_chelsea_westminster_2020-04.csv"):
            z.writestr(f"2020-21/{n}", (REAL / n).read_bytes())
        z.writestr("2020-21/readme.txt.bak", b"not a table")
    raws = loading.readers.read_many([("year.zip", buf.getvalue())])
    assert [r.name for r in raws] == ["spend_RQM_chelsea_westminster_2020-04.csv",
                                      "spend_RQM_chelsea_westminster_2020-05.csv"]
    c = check_many(wh, raws, loading.spec("spend"), org="RQM")
    assert c.ok and len(c.rows) == 242
    offered = loading.check_offered(wh, "year.zip", buf.getvalue(), loading.spec("spend"),
                                    ANALYST, org="RQM")
    assert offered.checked.ok and len(offered.checked.rows) == 242


def test_an_excel_97_2003_workbook_is_read(wh):
    from tests.xls_writer import xls_bytes

    data = xls_bytes("Final Review", [
        [None, "Department Family", "Entity", "Payment Date", "Expense Type", "Supplier",
         "Amount"],
        [None, "NHS", CROYDON, "15/04/2020", "Drugs", "Acme Ltd", 1234.5],
        [None, "NHS", CROYDON, "16/04/2020", "Drugs", "Acme Ltd", -34.5]])
    raw = loading.read_bytes("april.xls", data)
    assert raw.encoding == "Excel 97-2003 workbook"
    c = loading.check(wh, raw, loading.spec("spend"))
    assert c.ok and c.layout.kind == "published spend"
    assert [float(a) for a in c.rows["amount_gbp"]] == [1234.5, -34.5]
    assert "Column A has no name and no values: skipped." in warnings(c)


def test_a_damaged_xls_is_refused_in_words(wh):
    with pytest.raises(loading.UnreadableFile, match="not an Excel 97-2003 workbook Anchor "
                                                     "can read"):
        loading.read_bytes("april.xls", b"\xd0\xcf\x11\xe0" + b"\x00" * 600)


def test_a_file_that_names_no_organisation_is_matched_by_its_file_name(wh):
    c = spend_check(wh, "spend_RJ6_croydon_2020-04.csv")
    assert not c.ok
    assert ("Its file name suggests RJ6, Croydon Health Services NHS Trust: if so, load again "
            "with --org RJ6" in c.errors["problem"].iloc[0])
    assert c.org_proposals[""].org_code == "RJ6"


def test_an_empty_entity_column_is_as_if_there_were_none(wh):
    text = "Entity,Date,Expense Type,Supplier,Amount\n,15/04/2020,Drugs,Acme Ltd,100\n"
    c = crafted(wh, text)
    assert c.errors["problem"].tolist() == [
        "The file does not say which organisation it is for: its organisation column is "
        "empty. Name the organisation: load again with --org CODE (its ODS code), or choose "
        "it in the sidebar."]
    assert crafted(wh, text, org="RJ6").ok


def test_leaving_rows_out_cannot_mend_a_problem_of_the_whole_file(wh):
    c = crafted(wh, "Entity,Date,Expense Type,Supplier,Amount\n"
                    "Acme Widgets,15/04/2020,Drugs,Acme Ltd,\n", skip_bad_rows=True)
    assert not c.ok and c.skipped_rows == []
    assert any(p.startswith("No row was left out, as you chose (skip bad rows)")
               for p in warnings(c))
    c = crafted(wh, f"Entity,Date,Expense Type,Supplier,Amount\n{CROYDON},15/04/2020,Drugs,"
                    "Acme Ltd,\n", skip_bad_rows=True)
    assert not c.ok and "No row was left out, as you chose (skip bad rows): every row has one." \
        in warnings(c)


def test_a_councils_preview_measures_local_in_its_footprints_home_place(wh):
    c = spend_check(wh, "council_leeds_over500_2020-06.csv", org="E08000035")
    pv = loading.preview(wh, c, ANALYST)
    assert "Leeds" in pv.place.describe()
    spend = pv.figures[pv.figures["figure"] == "In-scope spend"]
    assert spend["after"].round(2).tolist() == [21_640_280.12]


def test_our_own_names_beside_published_ones_are_read(wh):
    c = crafted(wh, "org_code,Date,Supplier,Expense Type,Amount,Invoice Date\n"
                    "RJ6,15/04/2020,Acme Ltd,Drugs,100,01/04/2020\n")
    assert c.ok and c.layout.kind == "published spend"
    assert c.layout.mapping["org_code"] == "org_code"
    assert str(c.rows["invoice_date"].iloc[0].date()) == "2020-04-01"


def test_a_column_of_anything_but_organisations_is_said_once(wh):
    c = crafted(wh, "Entity,Date,Expense Type,Supplier,Amount\n" + "".join(
        f"Ward {i},15/04/2020,Drugs,Acme Ltd,{i}\n" for i in range(40)))
    assert len(c.org_proposals) == 20
    assert ("The organisation column holds 40 spellings that are not organisations in the "
            "warehouse: is it the organisation column? Map the file's columns to ours, or "
            "name the organisation (--org).") in c.errors["problem"].tolist()


def test_an_empty_category_column_is_as_if_there_were_none(wh):
    c = crafted(wh, "Entity,Date,Expense Type,Supplier,Amount\n"
                    f"{CROYDON},15/04/2020,,Acme Ltd,100\n{CROYDON},16/04/2020, ,Acme Ltd,50\n")
    assert c.ok and set(c.rows["category"]) == {"Not stated"}
    assert c.choices == ["an empty category column, so category 'Not stated'"]
    # one blank among categories given is a fault of that row
    c = crafted(wh, "Entity,Date,Expense Type,Supplier,Amount\n"
                    f"{CROYDON},15/04/2020,,Acme Ltd,100\n{CROYDON},16/04/2020,Drugs,Acme Ltd,50\n")
    assert c.errors[["row", "column"]].values.tolist() == [[2, "category"]]


def test_a_choice_every_file_shares_is_said_once(wh):
    c = spend_check(wh, "spend_RQM_chelsea_westminster_2020-04.csv",
                    "spend_RQM_chelsea_westminster_2020-05.csv",
                    "spend_RVR_epsom_sthelier_2020-04.csv", org="RQM")
    # Epsom's spelling plainly means RVR: not taken as RQM
    assert [p for p in c.errors["problem"] if p.startswith("Looks like RVR")] == [
        "Looks like RVR, Epsom and St Helier University Hospitals NHS Trust (the same name, "
        "NHS words aside), not RQM, the organisation you said the file is for (--org): check "
        "the file is that organisation's."]
    c = spend_check(wh, "spend_RQM_chelsea_westminster_2020-04.csv",
                    "spend_RQM_chelsea_westminster_2020-05.csv", org="RQM")
    assert c.choices == ["'Chelsea & Westminster NHS Foundation Trust' confirmed as RQM"]


def test_the_analyst_may_overrule_a_guess_but_not_a_plain_match(wh):
    # 'SGH' is RJ7 by its initials, a guess: the analyst's word stands
    c = crafted(wh, "Entity,Date,Expense Type,Supplier,Amount\nSGH,15/04/2020,Drugs,Acme,1\n",
                org="RJ1")
    assert c.ok and c.choices == ["'SGH' confirmed as RJ1"]
    # 'Guys and St Thomas' is RJ1 by its name: not taken as another trust
    c = crafted(wh, "Entity,Date,Expense Type,Supplier,Amount\n"
                    "Guys and St Thomas,15/04/2020,Drugs,Acme,1\n", org="RJ7")
    assert not c.ok and c.errors["problem"].iloc[0].startswith("Looks like RJ1, ")
