"""Spend loads by month, worked by hand: a file replaces the organisation-months it is for,
so April then May build a quarter; strays (lines paid outside the file's months) are listed
and left out or added to their own months; a load that would replace a month with far
fewer lines asks first; undo puts back exactly what a load replaced."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from anchor import loading
from anchor.cli import main
from anchor.db import Warehouse
from anchor.loading.months import file_months, named_months
from anchor.loading.report import history_table, month_changes
from anchor.queries.loads import load_history, table_fingerprints
from tests.fixture_warehouse import build_fixture_warehouse
from tests.unittests.test_loading import ANALYST, checked_csv

REAL = Path(__file__).resolve().parents[1] / "data" / "real"
APRIL_2020, MAY_2020 = (REAL / "spend_RQM_chelsea_westminster_2020-04.csv",
                        REAL / "spend_RQM_chelsea_westminster_2020-05.csv")
HEADER = "org_code,paid_date,supplier_id,category,amount_gbp\n"
Q2_2024 = date(2024, 7, 1)


def month_file(month: int, days: range, pounds: int = 100, year: int = 2024) -> str:
    """One line a day of `month`, the day's number times `pounds`."""
    return HEADER + "".join(f"AAA,{d:02d}/{month:02d}/{year},S1,Catering,{d * pounds}\n"
                            for d in days)


# July 2024: ten lines, £100 to £1,000 (£5,500); and one line paid in March 2018
JULY = month_file(7, range(1, 11))
JULY_WITH_STRAY = JULY + "AAA,03/03/2018,S2,Catering,50\n"
AUGUST = month_file(8, range(1, 6), pounds=10)  # five lines, £10 to £50 (£150)


def lines_by_month(wh, org: str = "AAA") -> list[tuple]:
    return wh.rows("select date_trunc('month', paid_date)::date, count(*), sum(amount_gbp)"
                   " from spend where org_code = ? group by all order by 1", [org])


def with_chelsea(wh):
    """RQM under the name Chelsea and Westminster's files give it."""
    wh.rows("insert into organisation (org_code, name, org_type, footprint_code)"
            " values ('RQM', 'Chelsea & Westminster NHS Foundation Trust', 'Acute trust', 'FP1')")
    return wh


def real(wh, path: Path, **kw):
    return loading.check(wh, loading.read_path(path), loading.spec("spend"), **kw)


# -- which months a file is for --------------------------------------------------------------

def test_a_file_name_names_its_month_but_not_a_financial_year():
    assert named_months("spend_RQM_chelsea_westminster_2020-05.csv") == {date(2020, 5, 1)}
    assert named_months("BART 01 - April 2020.xlsx") == {date(2020, 4, 1)}
    assert named_months("spend 2020_Sept.csv") == {date(2020, 9, 1)}
    assert named_months("spend_RAL_royal_free_2020-21_Q1.csv") == set()  # a year, not a month
    assert named_months("CHWE 02 - May.csv") == set()  # no year
    assert named_months("summary 2020.csv") == set()  # 'mar' inside a word is no month


def test_a_files_months_are_its_busiest_month_and_the_busy_months_beside_it():
    def months(counts: dict[str, int], name: str = "file.csv") -> list[date]:
        series = pd.Series([pd.Timestamp(m) for m, n in counts.items() for _ in range(n)])
        return file_months(series, name)[0]

    # a month of 100 lines with 9 late ones the month after (under 10 of 100) and strays
    assert months({"2020-04-01": 100, "2020-05-01": 9, "2014-06-01": 3}) == [date(2020, 4, 1)]
    # a quarterly file: three busy months
    assert months({"2020-04-01": 50, "2020-05-01": 60, "2020-06-01": 40}) == [
        date(2020, 4, 1), date(2020, 5, 1), date(2020, 6, 1)]
    # four lines and one stray years before: the stray is not beside the busiest month
    assert months({"2020-04-01": 4, "2018-03-01": 1}) == [date(2020, 4, 1)]
    # the name decides when it names a month the file has lines in
    assert months({"2020-04-01": 100, "2020-05-01": 30}, "spend_2020-04.csv") == [
        date(2020, 4, 1)]
    assert months({"2020-04-01": 100, "2020-05-01": 30}, "spend_2021-01.csv") == [
        date(2020, 4, 1), date(2020, 5, 1)]


# -- the real Chelsea and Westminster files ----------------------------------------------------

def test_chelsea_and_westminsters_april_and_may_make_one_quarter(fixture_wh):
    wh = with_chelsea(fixture_wh)
    april = loading.load(wh, real(wh, APRIL_2020), ANALYST)
    may_checked = real(wh, MAY_2020)
    assert may_checked.file_months == [date(2020, 5, 1)] and may_checked.strays.empty
    may = loading.load(wh, may_checked, ANALYST)
    assert may.rows_replaced == 0  # May replaced nothing: April stays
    # counted with the csv module from the files: 141 lines, £21,963,605.56 paid in April
    # 2020; 101 lines, £19,724,112.94 in May
    assert lines_by_month(wh, "RQM") == [
        (date(2020, 4, 1), 141, Decimal("21963605.56")),
        (date(2020, 5, 1), 101, Decimal("19724112.94"))]
    assert wh.rows("select quarter_start, count(*), sum(amount_gbp) from spend"
                   " where org_code = 'RQM' group by all") == [
        (date(2020, 4, 1), 242, Decimal("41687718.50"))]

    # loading May again replaces May only, and says so
    again = loading.load(wh, real(wh, MAY_2020), ANALYST)
    assert month_changes(again.slices) == [
        "RQM: May 2020 (101 lines, £19.7m) replaced by 101 lines"]
    assert lines_by_month(wh, "RQM")[0] == (date(2020, 4, 1), 141, Decimal("21963605.56"))
    assert wh.value("select count(*) from spend where load_id = ?", [april.load_id]) == 141
    # the audit trail names the month replaced
    history = load_history(wh).set_index("load_id")
    table = history_table(load_history(wh)).set_index("Load")
    assert table.loc[again.load_id, "Organisations and quarters"] == (
        "RQM: May 2020 (101 lines, £19.7m) replaced by 101 lines")
    assert history.loc[may.load_id, "rows_replaced"] == 0

    # undo puts back exactly the May the reload replaced
    before_reload = wh.rows("select * exclude (load_id) from spend where org_code = 'RQM'"
                            " order by all")
    with pytest.raises(loading.LoadError, match=f"Undo load {again.load_id} first"):
        loading.undo(wh, may.load_id, ANALYST)
    assert loading.undo(wh, again.load_id, ANALYST).rows_restored == 101
    assert wh.value("select count(*) from spend where load_id = ?", [may.load_id]) == 101
    assert wh.rows("select * exclude (load_id) from spend where org_code = 'RQM'"
                   " order by all") == before_reload
    loading.undo(wh, may.load_id, ANALYST)
    assert lines_by_month(wh, "RQM") == [(date(2020, 4, 1), 141, Decimal("21963605.56"))]


# -- hand-made monthly files ---------------------------------------------------------------------

def test_july_then_august_build_the_quarter_and_undo_each_alone(fixture_wh):
    before = table_fingerprints(fixture_wh)
    july = loading.load(fixture_wh, checked_csv(fixture_wh, "spend", JULY), ANALYST)
    august = loading.load(fixture_wh, checked_csv(fixture_wh, "spend", AUGUST), ANALYST)
    assert lines_by_month(fixture_wh)[-2:] == [(date(2024, 7, 1), 10, Decimal("5500.00")),
                                               (date(2024, 8, 1), 5, Decimal("150.00"))]
    # July's load is undone without touching August: neither replaced the other
    loading.undo(fixture_wh, july.load_id, ANALYST)
    assert lines_by_month(fixture_wh)[-1] == (date(2024, 8, 1), 5, Decimal("150.00"))
    loading.undo(fixture_wh, august.load_id, ANALYST)
    after = table_fingerprints(fixture_wh)
    assert {t for t in before if before[t] != after[t]} == {"load", "load_slice", "data_version"}


def test_strays_are_listed_and_left_out(fixture_wh):
    checked = checked_csv(fixture_wh, "spend", JULY_WITH_STRAY, "aaa-2024-07.csv")
    assert checked.ok and checked.file_months == [date(2024, 7, 1)]
    assert checked.strays[["row", "org_code", "amount_gbp"]].values.tolist() == [[12, "AAA", "50"]]
    stray = checked.warnings[checked.warnings["row"] == 12]
    assert stray[["column", "value", "problem"]].values.tolist() == [[
        "paid_date", "03/03/2018",
        "Paid in March 2018, outside July 2024, the month this file is for: left out."]]
    assert ("This file is for July 2024 (the month its name gives). 1 line was paid in other "
            "months: left out (--stray-rows own-months adds them to their own months)."
            in set(checked.warnings["problem"]))
    result = loading.load(fixture_wh, checked, ANALYST)
    assert result.rows_added == 10
    assert fixture_wh.value("select count(*) from spend where paid_date < '2019-01-01'") == 0


def test_strays_added_to_their_own_months_replace_nothing(fixture_wh):
    # March 2018 already holds a line; the stray joins it, and a stray held already is skipped
    fixture_wh.rows("insert into spend (org_code, quarter_start, paid_date, supplier_id,"
                    " category, amount_gbp) values ('AAA', '2018-01-01', '2018-03-20', 'S1',"
                    " 'Catering', 70)")
    text = JULY_WITH_STRAY + "AAA,20/03/2018,S1,Catering,70\n"
    checked = checked_csv(fixture_wh, "spend", text, stray_rows="own-months")
    assert checked.ok
    assert "A stray the warehouse already holds, line for line: not added again." in set(
        checked.warnings["problem"])
    pv = loading.preview(fixture_wh, checked, ANALYST)
    assert month_changes(pv.slices) == [
        "AAA: 1 line added to March 2018 alongside what it holds (strays)",
        "AAA: July 2024 (none held) gets 10 lines"]
    result = loading.load(fixture_wh, checked, ANALYST, expected=pv.slices)
    assert result.rows_added == 11 and result.rows_replaced == 0
    assert lines_by_month(fixture_wh)[0] == (date(2018, 3, 1), 2, Decimal("120.00"))
    assert fixture_wh.rows("select month_start, is_stray from load_slice where load_id = ?"
                           " order by 1", [result.load_id]) == [
        (date(2018, 3, 1), True), (date(2024, 7, 1), False)]
    loading.undo(fixture_wh, result.load_id, ANALYST)
    assert lines_by_month(fixture_wh)[0] == (date(2018, 3, 1), 1, Decimal("70.00"))


def test_a_stray_choice_not_offered_is_refused(fixture_wh):
    with pytest.raises(ValueError, match="'keep' is not one of leave-out, own-months"):
        checked_csv(fixture_wh, "spend", JULY, stray_rows="keep")


# -- the command line ----------------------------------------------------------------------------

@pytest.fixture
def db(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "anchor.duckdb"
    build_fixture_warehouse(path).close()
    monkeypatch.setenv("ANCHOR_DB", str(path))
    monkeypatch.setenv("ANCHOR_USER", "scheduled-job")
    monkeypatch.delenv("ANCHOR_ROLE", raising=False)
    return path


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def test_the_command_line_names_the_months_and_asks_before_shrinking_one(db, tmp_path, capsys):
    assert main(["load", "spend", write(tmp_path, "july.csv", JULY)]) == 0
    capsys.readouterr()
    two_days = write(tmp_path, "july-again.csv", month_file(7, range(1, 3)))
    assert main(["load", "spend", two_days, "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "  AAA: July 2024 (10 lines, £5.5k) replaced by 2 lines" in out
    assert "Loading it needs --yes" in out

    wh = Warehouse(db)
    before = table_fingerprints(wh)
    wh.close()
    assert main(["load", "spend", two_days]) == 1
    err = capsys.readouterr().err
    assert ("Refused: nothing was loaded. This file would replace months with fewer than half "
            "the lines they hold (AAA: July 2024 (10 lines, £5.5k) replaced by 2 lines).") in err
    wh = Warehouse(db)
    assert table_fingerprints(wh) == before
    wh.close()

    assert main(["load", "spend", two_days, "--yes"]) == 0
    wh = Warehouse(db)
    assert lines_by_month(wh)[-1] == (date(2024, 7, 1), 2, Decimal("300.00"))
    wh.close()


def test_the_command_line_adds_strays_to_their_own_months_when_asked(db, tmp_path, capsys):
    path = write(tmp_path, "july.csv", JULY_WITH_STRAY)
    assert main(["load", "spend", path, "--stray-rows", "own-months"]) == 0
    out = capsys.readouterr().out
    assert "AAA: 1 line added to March 2018 alongside what it holds (strays)" in out
    wh = Warehouse(db)
    assert lines_by_month(wh)[0] == (date(2018, 3, 1), 1, Decimal("50.00"))
    wh.close()
