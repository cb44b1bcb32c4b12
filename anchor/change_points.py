"""Change points: where an analyst records that a measure's process changed for an
organisation, or for a footprint's organisations together (a new hospital opening, a change of
supplier register). An SPC chart of that measure for them works out its limits afresh from
each change point, and names the change where its new phase starts (`anchor.spc.Phase`).

Recording and removing one is audited (a change made by hand, in the `load` table); the
arithmetic is pure.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime

import pandas as pd

from anchor import spc
from anchor.auth import User, writes
from anchor.db import bump_data_version
from anchor.periods import quarter_label
from anchor.queries.loads import record_change

# The measures whose charts read change points, in the analyst's words.
MEASURES = {"local_spend_share": "Local share of spend (its trend and any commitment's chart)"}
MAX_NAME = 80
MIN_PHASE = 2  # points a phase needs for limits of its own


def phases(quarters: Sequence[date], points: pd.DataFrame,
           values: Sequence[float | None] | None = None) -> tuple[tuple[spc.Phase, ...],
                                                                  list[str]]:
    """The phases of a series of `quarters` (oldest first; `values` its figures, None or NaN
    for a gap) split at the change points `points` (quarter_start, name): each starts at the
    first quarter on or after its change point. A change point that would leave a phase with
    fewer than MIN_PHASE figures, or falls outside the series, is not used; its words come
    back in the second value to say so."""
    n = len(quarters)
    present = ([True] * n if values is None else
               [v is not None and not pd.isna(v) for v in values])
    starts: list[spc.Phase] = [spc.Phase(0)]
    unused = []
    # dates and timestamps alike (a query gives timestamps, arithmetic dates)
    points = points.assign(quarter_start=pd.to_datetime(points["quarter_start"]))
    for row in points.sort_values("quarter_start").itertuples():
        q = pd.Timestamp(row.quarter_start).date()
        words = f"{row.name} ({quarter_label(q)})"
        i = next((k for k, x in enumerate(quarters) if pd.Timestamp(x).date() >= q), n)
        if (sum(present[starts[-1].start:i]) < MIN_PHASE or sum(present[i:]) < MIN_PHASE):
            unused.append(words)
            continue
        starts.append(spc.Phase(i, words))
    if len(starts) == 1:
        return (), unused
    if values is not None:  # each phase needs two neighbouring figures for its moving range
        try:
            spc.xmr(list(values), [str(q) for q in quarters], phases=starts)
        except ValueError:
            return (), [*unused, *(p.name for p in starts[1:])]
    return tuple(starts), unused


def applying(points: pd.DataFrame, orgs, footprint_orgs, measure: str) -> pd.DataFrame:
    """The change points for the organisations chosen: one organisation's own, or with every
    organisation of the footprint chosen, the footprint's."""
    chosen = set(orgs)
    if points.empty:
        return points
    own = points["org_code"].map(lambda o: isinstance(o, str) and chosen == {o})
    together = points["org_code"].isna() & bool(footprint_orgs) & (chosen == set(footprint_orgs))
    return points[(own | together) & (points["measure"] == measure)]


def _check(wh, org_code: str | None, footprint_code: str | None, measure: str,
           quarter_start: date | None, name: str) -> None:
    if measure not in MEASURES:
        raise ValueError(f"Change points are recorded for {', '.join(MEASURES)}, not {measure!r}.")
    if (org_code is None) == (footprint_code is None):
        raise ValueError("A change point is for one organisation or for a footprint.")
    if org_code is not None and not wh.value(
            "select count(*) from organisation where org_code = ?", [org_code]):
        raise ValueError(f"{org_code} is not an organisation in Anchor.")
    if footprint_code is not None and not wh.value(
            "select count(*) from footprint where footprint_code = ?", [footprint_code]):
        raise ValueError(f"{footprint_code} is not a footprint in Anchor.")
    if quarter_start is None:
        raise ValueError("Give the first quarter of the new phase.")
    if not name.strip():
        raise ValueError("Say what changed (a new hospital, a change of supplier register): "
                         "the chart names it.")
    if len(name.strip()) > MAX_NAME:
        raise ValueError(f"Name the change in {MAX_NAME} characters or fewer.")


@writes("record a change point")
def save_change_point(wh, user: User, *, org_code: str | None, footprint_code: str | None,
                      measure: str, quarter_start: date, name: str) -> int:
    """Record a change point, audited; returns its id. Raises ValueError, changing nothing,
    when it names no organisation or footprint Anchor holds, or no change."""
    _check(wh, org_code, footprint_code, measure, quarter_start, name)
    who = org_code or f"{footprint_code} (its organisations together)"
    with wh.transaction() as cur:
        point_id = int(cur.execute("select nextval('change_point_id_seq')").fetchall()[0][0])
        cur.execute(
            "insert into change_point (change_point_id, org_code, footprint_code, measure,"
            " quarter_start, name, recorded_at, recorded_by) values (?, ?, ?, ?, ?, ?, ?, ?)",
            [point_id, org_code, footprint_code, measure, quarter_start, name.strip(),
             datetime.now(UTC).replace(tzinfo=None), user.name])
        record_change(cur, user, "change_point", "saved",
                      f"Change point for {who}, {MEASURES[measure]}: {name.strip()} from "
                      f"{quarter_label(quarter_start)}.", rows_added=1)
        bump_data_version(cur)
    return point_id


@writes("remove a change point")
def remove_change_point(wh, point_id: int, user: User) -> None:
    """Remove a change point, audited."""
    found = wh.rows("select coalesce(org_code, footprint_code), name, quarter_start"
                    " from change_point where change_point_id = ?", [point_id])
    if not found:
        raise ValueError(f"There is no change point {point_id}.")
    who, name, quarter = found[0]
    with wh.transaction() as cur:
        cur.execute("delete from change_point where change_point_id = ?", [point_id])
        record_change(cur, user, "change_point", "deleted",
                      f"Removed the change point for {who}: {name} from "
                      f"{quarter_label(quarter)}.", rows_replaced=1)
        bump_data_version(cur)
