"""Change points: the phases they split a series into, and recording and removing them."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from anchor import change_points, spc
from anchor.auth import Role, User
from anchor.queries.commitments import all_change_points, change_points_for

ANALYST = User("ana@example.nhs.uk", Role.ANALYST, "signed in", "ana@example.nhs.uk")
QUARTERS = [date(2023, 4, 1), date(2023, 7, 1), date(2023, 10, 1), date(2024, 1, 1),
            date(2024, 4, 1), date(2024, 7, 1)]


def points(*rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["quarter_start", "name"])


def test_a_change_point_starts_a_phase_at_its_quarter():
    got, unused = change_points.phases(QUARTERS, points((date(2024, 1, 1), "New hospital")))
    assert got == (spc.Phase(0), spc.Phase(3, "New hospital (2023/24 Q4)"))
    assert unused == []
    # A date within a quarter's gap starts the phase at the next quarter held.
    got, _ = change_points.phases(QUARTERS, points((date(2023, 12, 1), "Register")))
    assert got[1].start == 3


def test_a_change_point_leaving_a_phase_too_short_is_not_used_and_said():
    got, unused = change_points.phases(QUARTERS, points(
        (date(2023, 7, 1), "Too early"),       # one point before it
        (date(2024, 1, 1), "Kept"),
        (date(2024, 7, 1), "Too late"),        # one point after it
        (date(2026, 4, 1), "Outside")))
    assert got == (spc.Phase(0), spc.Phase(3, "Kept (2023/24 Q4)"))
    assert unused == ["Too early (2023/24 Q2)", "Too late (2024/25 Q2)", "Outside (2026/27 Q1)"]
    # Gaps count as no figure: two quarters but one figure before the change is too few.
    got, unused = change_points.phases(QUARTERS, points((date(2023, 10, 1), "Gap")),
                                       [0.2, None, 0.3, 0.3, 0.4, 0.4])
    assert got == () and unused == ["Gap (2023/24 Q3)"]
    assert change_points.phases(QUARTERS, points()) == ((), [])


def test_change_points_speak_for_an_organisation_alone_or_the_whole_footprint():
    held = pd.DataFrame([
        {"org_code": "AAA", "footprint_code": None, "measure": "local_spend_share"},
        {"org_code": None, "footprint_code": "FP1", "measure": "local_spend_share"}])
    assert list(change_points.applying(held, ["AAA"], ["AAA", "BBB"],
                                       "local_spend_share").index) == [0]
    assert list(change_points.applying(held, ["AAA", "BBB"], ["AAA", "BBB"],
                                       "local_spend_share").index) == [1]
    assert change_points.applying(held, ["BBB"], ["AAA", "BBB"], "local_spend_share").empty


def test_recording_and_removing_a_change_point_is_audited(fixture_wh):
    point_id = change_points.save_change_point(
        fixture_wh, ANALYST, org_code="AAA", footprint_code=None, measure="local_spend_share",
        quarter_start=date(2024, 4, 1), name=" New supplier register ")
    held = change_points_for(fixture_wh, ["AAA"], "FP1")
    assert list(zip(held["change_point_id"], held["name"], held["quarter_start"])) == [
        (point_id, "New supplier register", pd.Timestamp(2024, 4, 1))]
    change_points.remove_change_point(fixture_wh, point_id, ANALYST)
    assert all_change_points(fixture_wh).empty
    assert fixture_wh.rows("select table_name, outcome, loaded_by, message from load"
                           " order by load_id") == [
        ("change_point", "saved", ANALYST.name, "Change point for AAA, Local share of spend "
         "(its trend and any commitment's chart): New supplier register from 2024/25 Q1."),
        ("change_point", "deleted", ANALYST.name, "Removed the change point for AAA: New "
         "supplier register from 2024/25 Q1.")]


@pytest.mark.parametrize(("kw", "message"), [
    ({"org_code": "ZZZ"}, "ZZZ is not an organisation in Anchor."),
    ({"org_code": None, "footprint_code": "NOPE"}, "NOPE is not a footprint in Anchor."),
    ({"org_code": "AAA", "footprint_code": "FP1"},
     "A change point is for one organisation or for a footprint."),
    ({"name": "  "}, "Say what changed"),
    ({"name": "x" * 81}, "Name the change in 80 characters or fewer."),
    ({"measure": "land"}, "Change points are recorded for local_spend_share, not 'land'."),
])
def test_a_bad_change_point_is_refused_and_nothing_is_written(fixture_wh, kw, message):
    args = {"org_code": "AAA", "footprint_code": None, "measure": "local_spend_share",
            "quarter_start": date(2024, 4, 1), "name": "New hospital", **kw}
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        change_points.save_change_point(fixture_wh, ANALYST, **args)
    assert all_change_points(fixture_wh).empty
    assert fixture_wh.rows("select count(*) from load") == [(0,)]
