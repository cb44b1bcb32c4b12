"""Commitments: the target from a baseline, the trajectory, the on-track wording, the file's
check, entering and undoing, the chart and the place story, worked by hand on the fixture.

Fixture (tests/fixture_warehouse.py): AAA's influenceable local share is 25.0% in 2023/24
Q1 (S1's 100 of 400) and 48.7% in 2024/25 Q1 (380 of the 780 whose suppliers are placed);
nothing in the quarters between.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from anchor import charts, commitments, loading, schema
from anchor.auth import Role, User
from anchor.cli import main
from anchor.commitments import Commitment, Tracked
from anchor.db import Warehouse
from anchor.measures import WarehouseSource
from anchor.periods import Period
from anchor.places import Place
from anchor.queries.commitments import all_commitments
from anchor.queries.loads import table_fingerprints
from anchor.reports.story import build_story
from tests.fixture_warehouse import BIRMINGHAM, SANDWELL, build_fixture_warehouse

ANALYST = User("ana@example.nhs.uk", Role.ANALYST, "signed in", "ana@example.nhs.uk")
HEADER = "org_code,footprint_code,baseline_first,baseline_last,rise,rise_kind,target_quarter,made_in"
FP1 = Place.of_lads("FP1", [SANDWELL, BIRMINGHAM], ["Sandwell", "Birmingham"])


def read(text: str, name: str = "commitments.csv") -> loading.RawFile:
    return loading.read_bytes(name, text.encode(), known_columns=commitments.known_columns())


def one(org="AAA", first=date(2023, 4, 1), last=date(2023, 4, 1), kind="points",
        amount=10.0, target=date(2025, 4, 1), made_in="Plan A", footprint=None):
    return Commitment(org, footprint, "local_spend_share", first, last, kind, amount, target,
                      "influenceable", made_in)


# -- the arithmetic -------------------------------------------------------------------------

def test_the_target_rises_from_the_baseline_by_a_relative_share_or_by_points():
    assert commitments.target_value(0.20, "relative_pct", 10) == pytest.approx(0.22)
    assert commitments.target_value(0.20, "points", 2) == pytest.approx(0.22)
    assert commitments.target_value(0.019, "relative_pct", 10) == pytest.approx(0.0209)
    assert commitments.target_value(None, "points", 2) is None
    with pytest.raises(ValueError, match="Unknown kind"):
        commitments.target_value(0.2, "double", 2)


def test_the_trajectory_runs_straight_from_the_baselines_last_quarter_to_the_target():
    path = commitments.trajectory(date(2015, 1, 1), 0.20, date(2016, 1, 1), 0.22)
    assert [q for q, _ in path] == [date(2015, 1, 1), date(2015, 4, 1), date(2015, 7, 1),
                                    date(2015, 10, 1), date(2016, 1, 1)]
    assert [round(v, 4) for _, v in path] == [0.20, 0.205, 0.21, 0.215, 0.22]
    assert commitments.expected_at(path, date(2014, 10, 1)) is None  # before it starts
    assert commitments.expected_at(path, date(2015, 7, 1)) == pytest.approx(0.21)
    assert commitments.expected_at(path, date(2017, 1, 1)) == pytest.approx(0.22)  # after
    with pytest.raises(ValueError, match="must come after"):
        commitments.trajectory(date(2015, 1, 1), 0.2, date(2015, 1, 1), 0.22)


def tracked(latest_quarter: date | None, latest: float | None, **kw) -> Tracked:
    c = one(**kw)
    path = commitments.trajectory(c.baseline_end, 0.25, c.target_quarter, 0.35)
    rows = [(c.baseline_start, 0.25)] + ([(latest_quarter, latest)] if latest_quarter else [])
    series = pd.DataFrame(rows, columns=["quarter_start", "value"])
    return Tracked(c, "Alpha Hospitals", 0.25, 0.35, path, series)


# 25% at 2023/24 Q1 to 35% at 2025/26 Q1: 1.25 points a quarter, 30.0% by 2024/25 Q1.
@pytest.mark.parametrize(("quarter", "value", "status", "progress"), [
    (date(2024, 4, 1), 0.458, commitments.ON_TRACK,
     "at 45.8% in 2024/25 Q1 it is on track (the trajectory asks for 30.0% by then)"),
    (date(2024, 4, 1), 0.30, commitments.ON_TRACK,  # exactly on the trajectory
     "at 30.0% in 2024/25 Q1 it is on track (the trajectory asks for 30.0% by then)"),
    (date(2024, 4, 1), 0.29, commitments.BEHIND,
     "at 29.0% in 2024/25 Q1 it is behind the trajectory, which asks for 30.0%"),
    (date(2025, 4, 1), 0.35, commitments.MET, "at 35.0% in 2025/26 Q1 it has met the target"),
    (date(2025, 7, 1), 0.34, commitments.MISSED,
     "at 34.0% in 2025/26 Q2 it has missed the target"),
    (None, None, commitments.BEFORE,
     "the latest figure, 25.0% in 2023/24 Q1, is within the baseline, before the trajectory "
     "starts"),
])
def test_the_latest_figure_against_the_trajectory(quarter, value, status, progress):
    t = tracked(quarter, value)
    assert t.status == status
    assert t.progress() == progress


def test_one_sentence_states_the_commitment_where_it_was_made_and_whether_it_is_on_track():
    t = tracked(date(2024, 4, 1), 0.458, made_in="Public Health Plan 2014-17")
    assert t.sentence() == (
        "In Public Health Plan 2014-17, Alpha Hospitals committed to raise its local share of "
        "influenceable spend by 10 percentage points, from 25.0% over 2023/24 Q1 to 35.0% by "
        "2025/26 Q1; at 45.8% in 2024/25 Q1 it is on track (the trajectory asks for 30.0% by "
        "then).")
    year = one(first=date(2014, 4, 1), last=date(2015, 1, 1), kind="relative_pct")
    assert (year.baseline_label, year.rise_text) == ("2014/15", "by 10%")
    footprint = Tracked(one(org=None, footprint="FP1"), "the two organisations of FP1", 0.25,
                        0.35, [], pd.DataFrame({"quarter_start": [], "value": []}))
    assert footprint.sentence() == (
        "In Plan A, the two organisations of FP1 committed together to raise their local share "
        "of influenceable spend by 10 percentage points, from 25.0% over 2023/24 Q1 to 35.0% "
        "by 2025/26 Q1; there is no figure yet to judge it by.")


def test_a_baseline_with_no_figure_has_no_target_and_says_so():
    t = Tracked(one(), "Alpha Hospitals", None, None, [],
                pd.DataFrame({"quarter_start": [date(2024, 4, 1)], "value": [0.4]}))
    assert t.status == commitments.NO_FIGURE
    assert t.sentence() == (
        "In Plan A, Alpha Hospitals committed to raise its local share of influenceable spend "
        "by 10 percentage points on its 2023/24 Q1 baseline by 2025/26 Q1; the baseline is not "
        "known here, so there is no target to judge by.")


def test_a_commitment_speaks_for_its_organisation_alone_or_for_the_whole_footprint():
    held = pd.DataFrame([
        {"org_code": "AAA", "footprint_code": None, "measure": "local_spend_share",
         "baseline_start": date(2023, 4, 1), "baseline_end": date(2023, 4, 1),
         "kind": "points", "amount": 2.0, "target_quarter": date(2025, 4, 1),
         "basis": "influenceable", "made_in": "A"},
        {"org_code": None, "footprint_code": "FP1", "measure": "local_spend_share",
         "baseline_start": date(2023, 4, 1), "baseline_end": date(2023, 4, 1),
         "kind": "points", "amount": 2.0, "target_quarter": date(2025, 4, 1),
         "basis": "all", "made_in": "B"}])
    assert [c.made_in for c in commitments.applying(held, ["AAA"], ["AAA", "BBB"])] == ["A"]
    assert [c.made_in for c in commitments.applying(held, ["AAA", "BBB"], ["AAA", "BBB"])] == ["B"]
    assert commitments.applying(held, ["BBB"], ["AAA", "BBB"]) == []


# -- the file's check -----------------------------------------------------------------------

def test_bad_rows_are_named_by_row_and_column(fixture_wh):
    checked = commitments.check_commitments(fixture_wh, read(
        HEADER + "\n"
        "ZZZ,,2023/24 Q5,2023/24 Q1,x,relatif,2022/23 Q1,\n"
        ",,2023/24 Q1,2023/24 Q1,10,points,2025/26 Q1,Plan\n"
        "AAA,FP1,2023/24 Q2,2023/24 Q1,-3,points,2023/24 Q1,Plan\n"
        ",NOPE,2023/24 Q1,2023/24 Q1,150,points,2025/26 Q1,Plan\n"))
    got = {(r.row, r.column, r.problem) for r in checked.issues.itertuples()}
    assert got == {
        (2, "org_code", "Not an organisation in Anchor: load it first (organisations file)."),
        (2, "baseline_first", "Not a quarter: use 2014/15 Q1, or a date within the quarter "
                              "(dd/mm/yyyy)."),
        (2, "target_quarter", "The target quarter must come after the baseline's last quarter."),
        (2, "rise_kind", "Use relative (a % of the baseline) or points (percentage points)."),
        (2, "rise", "Not a number."),
        (2, "made_in", "Missing: where was the commitment made (a plan, a strategy, a board "
                       "paper)?"),
        (3, "org_code", "Missing: give the organisation's ODS code, or the footprint's code in "
                        "footprint_code for a commitment made together."),
        (4, "footprint_code", "Give an organisation or a footprint, not both: leave "
                              "footprint_code empty for one organisation's commitment."),
        (4, "baseline_last", "The baseline's last quarter comes before its first."),
        (4, "target_quarter", "The target quarter must come after the baseline's last quarter."),
        (4, "rise", "The rise must be more than 0."),
        (5, "footprint_code", "Not a footprint in Anchor."),
        (5, "rise", "More than 100 points: check the figure."),
    }
    assert not checked.ok and checked.rows.empty
    assert checked.summary() == (
        "commitments.csv: 13 problems; nothing was entered. First: row 2, column org_code: Not "
        "an organisation in Anchor: load it first (organisations file).")


def test_a_file_without_the_columns_it_needs_says_which(fixture_wh):
    checked = commitments.check_commitments(fixture_wh, read("baseline_first,rise\n2023/24 Q1,2\n"))
    problems = list(checked.issues["problem"])
    assert "commitments.csv has no 'made_in' column (Where the commitment was made: a plan, " \
           "a strategy, a board paper)." in problems
    assert ("commitments.csv has neither an 'org_code' nor a 'footprint_code' column: say who "
            "made each commitment.") in problems


def test_the_same_organisation_and_measure_twice_is_refused(fixture_wh):
    checked = commitments.check_commitments(fixture_wh, read(
        HEADER + "\nAAA,,2023/24 Q1,2023/24 Q1,2,points,2025/26 Q1,A\n"
                 "aaa,,2023/24 Q1,2023/24 Q1,3,points,2025/26 Q1,B\n"))
    assert list(checked.errors["row"]) == [2, 3]
    assert set(checked.errors["problem"]) == {
        "The same organisation (or footprint) and measure appear twice: enter one commitment "
        "for each."}


def test_the_forms_entry_is_checked_as_a_one_row_file(fixture_wh):
    raw = commitments.form_file(org_code="AAA", footprint_code=None,
                                measure="local_spend_share", baseline_first=date(2023, 4, 1),
                                baseline_last=date(2023, 4, 1), rise=None, kind="points",
                                target_quarter=date(2025, 4, 1), made_in=" ", basis="all")
    checked = commitments.check_commitments(fixture_wh, raw)
    assert [(r.row, r.column) for r in checked.errors.itertuples()] == [
        (2, "rise"), (2, "made_in")]


# -- entering and undoing -------------------------------------------------------------------

def test_an_entry_replaces_the_commitment_held_and_undo_puts_it_back(fixture_wh):
    first = commitments.check_commitments(fixture_wh, read(
        HEADER + "\nAAA,,2023/24 Q1,2023/24 Q1,10,points,2025/26 Q1,Plan A\n"
                 ",fp1,2023/24 Q1,2023/24 Q1,5,relative,2025/26 Q1,Plan B\n"))
    a = commitments.save_commitments(fixture_wh, first, ANALYST)
    second = commitments.check_commitments(fixture_wh, read(
        HEADER + "\nAAA,,2023/24 Q1,2023/24 Q1,2,points,2026/27 Q1,Plan C\n"))
    before_b = table_fingerprints(fixture_wh)
    b = commitments.save_commitments(fixture_wh, second, ANALYST)
    held = all_commitments(fixture_wh)
    assert list(zip(held["footprint_code"].fillna("-"), held["org_code"].fillna("-"),
                    held["made_in"], held["load_id"])) == [
        ("FP1", "-", "Plan B", a), ("-", "AAA", "Plan C", b)]
    assert fixture_wh.rows("select table_name, outcome, loaded_by from load where load_id = ?",
                           [b]) == [("commitment", "loaded", ANALYST.name)]
    assert fixture_wh.rows("select org_code, rows_added, rows_replaced from load_slice"
                           " where load_id = ? order by org_code", [a]) == [
        ("AAA", 1, 0), ("FP1 (footprint)", 1, 0)]
    with pytest.raises(loading.LoadError, match=f"Undo load {b} first"):
        loading.undo(fixture_wh, a, ANALYST)
    result = loading.undo(fixture_wh, b, ANALYST)
    assert (result.rows_removed, result.rows_restored) == (1, 1)
    assert table_fingerprints(fixture_wh)["commitment"] == before_b["commitment"]
    assert sorted(all_commitments(fixture_wh)["made_in"]) == ["Plan A", "Plan B"]
    loading.undo(fixture_wh, a, ANALYST)
    assert all_commitments(fixture_wh).empty


def test_the_command_line_enters_commitments_and_refuses_a_bad_file(tmp_path, monkeypatch,
                                                                    capsys):
    path = tmp_path / "anchor.duckdb"
    build_fixture_warehouse(path).close()
    monkeypatch.setenv("ANCHOR_DB", str(path))
    monkeypatch.setenv("ANCHOR_USER", "scheduled-job")
    monkeypatch.delenv("ANCHOR_ROLE", raising=False)
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_text(HEADER + "\nAAA,,2023/24 Q1,2023/24 Q4,10,relative,2025/26 Q1,Plan A\n")
    bad.write_text(HEADER + "\nAAA,,2023/24 Q1,2023/24 Q4,ten,relative,2025/26 Q1,Plan A\n")
    assert main(["load", "commitment", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "ERROR    bad.csv, row 2, rise 'ten': Not a number." in err
    assert main(["load", "commitment", str(good), "--dry-run"]) == 0
    assert capsys.readouterr().out == (
        "Valid: Commitments: 1 commitment from good.csv. Nothing was written (--dry-run).\n")
    assert main(["load", "commitment", str(good)]) == 0
    out = capsys.readouterr().out
    assert ("  AAA: local share of influenceable spend by 10% on its 2023/24 baseline, by "
            "2025/26 Q1 (Plan A)") in out
    load_id = int(out.split("anchor undo ")[1])
    assert main(["undo", str(load_id)]) == 0
    wh = Warehouse(path)
    try:
        assert all_commitments(wh).empty
        assert wh.rows("select table_name, outcome from load order by load_id") == [
            ("commitment", "rejected"), ("commitment", "undone")]
    finally:
        wh.close()


def test_an_older_warehouses_commitment_is_carried_into_the_new_table(tmp_path, monkeypatch):
    path = tmp_path / "old.duckdb"
    # a warehouse from before the migration that rebuilt the commitment table
    rebuilt = next(m.version for m in schema.MIGRATIONS if m.name.startswith("commitments"))
    before = [m for m in schema.MIGRATIONS if m.version < rebuilt]
    monkeypatch.setattr("anchor.db.MIGRATIONS", before)
    monkeypatch.setattr("anchor.db.LATEST_VERSION", before[-1].version)
    wh = Warehouse(path)
    wh.rows("insert into commitment values ('RXK', '2014-04-01', '2015-01-01', 'relative_pct',"
            " 10, '2018-03-31', 'influenceable', true)")
    wh.close()
    monkeypatch.setattr("anchor.db.MIGRATIONS", schema.MIGRATIONS)
    monkeypatch.setattr("anchor.db.LATEST_VERSION", schema.LATEST_VERSION)
    wh = Warehouse(path)
    try:
        assert wh.rows("select org_code, footprint_code, measure, target_quarter, made_in,"
                       " is_demo from commitment") == [
            ("RXK", None, "local_spend_share", date(2018, 1, 1), None, True)]
    finally:
        wh.close()


# -- on the chart and in the story ----------------------------------------------------------

def test_the_spc_chart_draws_the_trajectory_past_the_last_point():
    from anchor import spc

    result = spc.xmr([0.25, 0.27, 0.26], ["2023/24 Q1", "2023/24 Q2", "2023/24 Q3"],
                     improvement="up", target=0.30)
    fig = charts.spc_chart(result, trajectory=[("2023/24 Q1", 0.25), ("2023/24 Q2", 0.275),
                                               ("2023/24 Q3", 0.30)] + [("2023/24 Q4", 0.30)])
    path = next(t for t in fig.data if t.name == "Trajectory to the target")
    assert list(path.x) == ["2023/24 Q1", "2023/24 Q2", "2023/24 Q3", "2023/24 Q4"]
    assert list(fig.layout.xaxis.categoryarray) == list(path.x)
    target = next(t for t in fig.data if (t.name or "").startswith("Target"))
    assert list(target.x) == ["2023/24 Q1", "2023/24 Q4"]


def test_the_place_story_carries_the_commitment_with_its_chart_and_assurance(fixture_wh):
    commitments.save_commitments(fixture_wh, commitments.check_commitments(fixture_wh, read(
        HEADER + "\nAAA,,2023/24 Q1,2023/24 Q1,10,points,2025/26 Q1,Plan A\n")), ANALYST)
    story = build_story(WarehouseSource(fixture_wh), footprint_code="FP1",
                        footprint_name="Footprint One", orgs=("AAA",),
                        period=Period.quarter(date(2024, 4, 1)), place=FP1)
    m = next(m for m in story.messages if m.key == "commitment")
    # 25.0% in 2023/24 Q1; 35.0% by 2025/26 Q1; 48.7% (380 of 780 placed) in 2024/25 Q1.
    assert m.numbers == (("25.0% to 35.0%", "baseline over 2023/24 Q1, target by 2025/26 Q1"),
                         ("48.7%", "in 2024/25 Q1: on track"))
    assert m.sentence.startswith("In Plan A, Alpha Hospitals committed to raise its local share")
    assert m.sentence.endswith("at 48.7% in 2024/25 Q1 it is on track (the trajectory asks for "
                               "30.0% by then).")
    assert m.chart == "commitment" and "commitment" in story.charts
    # Two points, 25.0% and 48.7%: limits at the mean 36.9% ± 2.66 × 23.7: the target 35.0%
    # lies inside them.
    assert m.detail == ("Assurance (Making Data Count): the process hits and misses the "
                        "target, judged against the target of 35.0%.")
    assert len(m.icons) == 2 and "hits and misses" in m.icons[1]
    # The other organisation alone has no commitment, nor do both together.
    both = build_story(WarehouseSource(fixture_wh), footprint_code="FP1",
                       footprint_name="Footprint One", orgs=("AAA", "BBB"),
                       period=Period.quarter(date(2024, 4, 1)), place=FP1)
    assert not any(m.key.startswith("commitment") for m in both.messages)


def test_both_exports_carry_the_commitment_its_chart_and_its_icons(fixture_wh, tmp_path):
    import io
    import subprocess

    from pptx import Presentation

    from anchor.reports import exports

    commitments.save_commitments(fixture_wh, commitments.check_commitments(fixture_wh, read(
        HEADER + "\nAAA,,2023/24 Q1,2023/24 Q1,10,points,2025/26 Q1,Plan A\n")), ANALYST)
    story = build_story(WarehouseSource(fixture_wh), footprint_code="FP1",
                        footprint_name="Footprint One", orgs=("AAA",),
                        period=Period.quarter(date(2024, 4, 1)), place=FP1)
    sentence = next(m.sentence for m in story.messages if m.key == "commitment")
    pptx = Presentation(io.BytesIO(exports.build(story, "pptx")))
    slide = next(s for s in pptx.slides
                 if any(sh.has_text_frame and sh.text_frame.text == "The commitment to raise "
                        "the local share" for sh in s.shapes))
    shapes = {sh.name: sh for sh in slide.shapes}
    assert shapes["Sentence"].text_frame.text == sentence
    assert {"Chart", "SPC icons"} <= set(shapes)
    assert shapes["Detail"].text_frame.text.startswith("Assurance (Making Data Count)")
    pdf = tmp_path / "paper.pdf"
    pdf.write_bytes(exports.build(story, "pdf"))
    text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True,
                                   text=True, check=True).stdout.split())
    assert " ".join(sentence.split()) in text
    assert "Assurance: hits and misses the target" in text  # beside the icon
    assert "Trajectory to the target" in text  # the chart's legend, drawn as text


def test_a_commitments_chart_starts_new_limits_after_the_baseline_and_at_change_points():
    quarters = [date(2014, 4, 1), date(2014, 7, 1), date(2014, 10, 1), date(2015, 1, 1),
                date(2015, 4, 1), date(2015, 7, 1), date(2015, 10, 1), date(2016, 1, 1),
                date(2016, 4, 1), date(2016, 7, 1)]
    c = one(first=date(2014, 4, 1), last=date(2014, 7, 1), target=date(2017, 1, 1))
    series = pd.DataFrame({"quarter_start": quarters,
                           "value": [0.20, 0.21, 0.22, 0.22, 0.23, 0.24, 0.30, 0.31, 0.30, 0.32]})
    # as the query gives it: a timestamp, beside the baseline's date
    recorded = pd.DataFrame({"quarter_start": [pd.Timestamp(2015, 10, 1)],
                             "name": ["New hospital"]})
    t = Tracked(c, "Alpha Hospitals", 0.205, 0.305, [], series, recorded)
    result = t.spc()
    assert [(p.start, p.name) for p in result.phases] == [
        (0, ""), (2, "After the baseline (2014/15 Q3)"), (6, "New hospital (2015/16 Q3)")]
    # The assurance reads the last phase: 30%, 31%, 30%, 32%, mean 30.75%, MR̄ 1.33 points,
    # limits 27.2% to 34.3%: the target 30.5% lies within them.
    assert result.assurance == "hits and misses the target"
