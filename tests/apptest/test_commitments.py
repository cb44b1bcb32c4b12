"""Entering a commitment on the Data page's form, and seeing it on the pages, through AppTest.

Fixture: AAA's influenceable local share is 25.0% in 2023/24 Q1 and 48.7% in 2024/25 Q1 (380 of
the 780 whose suppliers are placed)."""

from __future__ import annotations

from datetime import date

from anchor.db import Warehouse
from anchor.queries.commitments import all_commitments
from anchor.ui import state
from tests.apptest.helpers import plain, run_app

DATA = "pages/data.py"
SPEND = "pages/local_spend.py"


def fill(at, *, made_in: str, rise: float | None = 10.0) -> None:
    at.selectbox(key="commitment_who").set_value("AAA")
    at.selectbox(key="commitment_first").set_value(date(2023, 4, 1))
    at.selectbox(key="commitment_last").set_value(date(2023, 4, 1))
    at.selectbox(key="commitment_target_q").set_value(date(2025, 4, 1))
    at.radio(key="commitment_kind").set_value("points")
    at.number_input(key="commitment_rise").set_value(rise)
    at.text_input(key="commitment_made_in").input(made_in)
    next(b for b in at.button if b.label == "Enter the commitment").click().run()


def held(db) -> list[tuple]:
    wh = Warehouse(db)
    try:
        return [tuple(r) for r in all_commitments(wh)[["org_code", "kind", "amount",
                                                        "made_in"]].itertuples(index=False)]
    finally:
        wh.close()


def test_an_analyst_enters_a_commitment_and_it_is_charted_with_its_trajectory(monkeypatch,
                                                                              fixture_db):
    at = run_app(monkeypatch, fixture_db, DATA, role="analyst")
    assert any("No commitment is held yet." in c.value for c in at.caption)
    fill(at, made_in="Public Health Plan 2014-17")
    assert not at.exception, [e.message for e in at.exception]
    assert held(fixture_db) == [("AAA", "points", 10.0, "Public Health Plan 2014-17")]
    done = plain(at.success[0].value)
    assert done.startswith("Entered as load ") and "undo it under Loads" in done
    listed = next(df.value for df in at.dataframe if "Made in" in df.value.columns)
    assert listed.iloc[0].to_dict() == {
        "Made by": "AAA · Alpha Hospitals", "Measure": "Local share",
        "Spend": "influenceable spend", "Baseline": "2023/24 Q1", "Rise": "10 percentage points",
        "Target quarter": "2025/26 Q1", "Made in": "Public Health Plan 2014-17",
        "Load": done.split()[3].rstrip(":")}
    # ... and the load can be undone like any other
    assert at.selectbox(key=state.UNDO_CHOICE).value == int(done.split()[3].rstrip(":"))

    at.switch_page(SPEND).run()
    at.multiselect(key=f"{state.ORGS}_FP1").set_value(["AAA"]).run()
    at.selectbox(key=f"{state.PERIOD}_{state.PERIOD_QUARTER}").select_index(1).run()  # 2024/25 Q1
    assert not at.exception
    sentence = next(plain(c.value) for c in at.caption if "committed to raise" in c.value)
    assert sentence == (
        "In Public Health Plan 2014-17, Alpha Hospitals committed to raise its local share of "
        "influenceable spend by 10 percentage points, from 25.0% over 2023/24 Q1 to 35.0% by "
        "2025/26 Q1; at 48.7% in 2024/25 Q1 it is on track (the trajectory asks for 30.0% by "
        "then).")
    assert any("Commitment: raise its local share of influenceable spend" in plain(m.value)
               for m in at.markdown)
    # Both organisations together have no commitment: none is shown.
    at.multiselect(key=f"{state.ORGS}_FP1").set_value(["AAA", "BBB"]).run()
    assert not any("committed to raise" in c.value for c in at.caption)


def test_a_bad_entry_names_what_to_fix_and_enters_nothing(monkeypatch, fixture_db):
    at = run_app(monkeypatch, fixture_db, DATA, role="analyst")
    fill(at, made_in="", rise=None)
    assert not at.exception
    assert held(fixture_db) == []
    assert plain(at.error[0].value) == (
        "Nothing was entered. rise: Missing: how much of a rise is promised?; made in: "
        "Missing: where was the commitment made (a plan, a strategy, a board paper)?")


def test_an_analyst_records_a_change_point_and_the_trend_says_what_it_did(monkeypatch,
                                                                          fixture_db):
    at = run_app(monkeypatch, fixture_db, DATA, role="analyst")
    assert any("No change point is recorded yet." in c.value for c in at.caption)
    fill(at, made_in="Plan A")  # a commitment's chart reads the change point too
    at.selectbox(key="change_point_who").set_value("AAA")
    at.selectbox(key="change_point_quarter").set_value(date(2024, 4, 1))
    at.text_input(key="change_point_name").input("New supplier register")
    next(b for b in at.button if b.label == "Record the change point").click().run()
    assert not at.exception
    assert plain(at.success[0].value) == (
        "Recorded: New supplier register from 2024/25 Q1. The chart's limits are worked out "
        "afresh from there.")
    at.switch_page(SPEND).run()
    at.multiselect(key=f"{state.ORGS}_FP1").set_value(["AAA"]).run()
    at.selectbox(key=f"{state.PERIOD}_{state.PERIOD_QUARTER}").select_index(1).run()  # 2024/25 Q1
    # AAA holds 2023/24 Q1 and 2024/25 Q1 only: one quarter each side is too few for a phase.
    assert any(plain(c.value) == "Not used, as a phase needs at least two quarters on each "
               "side within the chart: New supplier register (2024/25 Q1)." for c in at.caption)
    assert not at.exception
    assert any("In Plan A, Alpha Hospitals committed" in plain(c.value) for c in at.caption)
    at.switch_page(DATA).run()
    at.button(key="change_point_remove").click().run()
    assert plain(at.success[0].value) == "Removed New supplier register (2024/25 Q1, AAA)."


def test_a_viewer_reads_a_commitment_but_has_no_form(monkeypatch, fixture_db):
    from anchor import commitments, loading
    from anchor.auth import Role, User

    wh = Warehouse(fixture_db)
    try:
        commitments.save_commitments(wh, commitments.check_commitments(wh, loading.read_bytes(
            "c.csv", b"org_code,baseline_first,baseline_last,rise,rise_kind,target_quarter,"
                     b"made_in\nAAA,2023/24 Q1,2023/24 Q1,10,points,2025/26 Q1,Plan A\n",
            known_columns=commitments.known_columns())), User("ana", Role.ANALYST, "local"))
    finally:
        wh.close()
    at = run_app(monkeypatch, fixture_db, SPEND, role="viewer")
    at.multiselect(key=f"{state.ORGS}_FP1").set_value(["AAA"]).run()
    assert any("In Plan A, Alpha Hospitals committed" in plain(c.value) for c in at.caption)
    assert not [b for b in at.button if b.label == "Enter the commitment"]
    assert not [k for k in ("commitment_who", "commitment_made_in")
                if any(getattr(w, "key", None) == k for w in at.selectbox)]
