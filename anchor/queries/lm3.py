"""Inputs to the local multiplier, its assumptions, and saved scenarios."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pandas as pd

from anchor.auth import User, writes
from anchor.db import bump_data_version
from anchor.lm3 import DEFAULT_SOURCE, LABELS, Assumptions, Lm3Result, compute, validate
from anchor.places import Place
from anchor.queries import registered
from anchor.queries.common import period_params
from anchor.queries.loads import record_change
from anchor.queries.spend import located_lines_sql, spend_totals
from anchor.queries.workforce import located_staff_sql, workforce_totals


@dataclass(frozen=True)
class Lm3Inputs:
    in_scope_gbp: float
    gross_pay_gbp: float
    local_suppliers: pd.DataFrame  # supplier_id, local_gbp, local_spend_share, local_payroll_share
    # org_code, local_pay_gbp, local_headcount, small_cells (local authorities of the place
    # where it has 1 to 4 staff living), net_pay_local_share
    local_staff: pd.DataFrame
    placed_gbp: float = 0.0  # in-scope spend whose supplier location is known

    @property
    def r1_gbp(self) -> float:
        return self.in_scope_gbp + self.gross_pay_gbp

    @property
    def spend_coverage(self) -> float | None:
        """Share of the in-scope spend whose supplier location is known (None: no spend)."""
        return self.placed_gbp / self.in_scope_gbp if self.in_scope_gbp else None

    def multiplier(self, a: Assumptions) -> Lm3Result:
        """The local multiplier of these inputs under assumptions `a`."""
        return compute(self.r1_gbp, self.local_suppliers, self.local_staff, a,
                       spend_coverage=self.spend_coverage)


@registered
def lm3_inputs(wh, orgs: Sequence[str], first: date, last: date, place: Place) -> Lm3Inputs:
    cte, params = located_lines_sql(place)
    suppliers = wh.df(
        f"""{cte},
local as (
    select supplier_id, sum(amount_gbp)::double as local_gbp
    from located where is_local group by supplier_id
)
select l.supplier_id, l.local_gbp, s.local_spend_share, s.local_payroll_share
from local as l left join supplier_survey as s using (supplier_id)
where l.local_gbp > 0
order by l.local_gbp desc""",
        period_params(orgs, first, last, **params),
    )
    in_scope, placed = wh.rows(
        f"{cte} select coalesce(sum(amount_gbp), 0)::double,"
        " coalesce(sum(amount_gbp) filter (where is_placed), 0)::double from located",
        period_params(orgs, first, last, **params),
    )[0]
    staff_cte, staff_params = located_staff_sql(place)
    staff = wh.df(
        f"""{staff_cte},
pay as (
    select org_code,
           coalesce(sum(gross_pay_gbp) filter (where is_local), 0)::double as local_pay_gbp,
           coalesce(sum(gross_pay_gbp), 0)::double as gross_pay_gbp,
           coalesce(sum(headcount) filter (where is_snapshot and is_local), 0)::bigint
               as local_headcount
    from staff group by org_code
),
cells as (
    -- local authorities of the place where the organisation has 1 to 4 staff living
    select org_code, count(*)::bigint as small_cells
    from (
        select org_code, lad_code, sum(headcount) as n
        from staff where is_snapshot and is_local group by org_code, lad_code
    )
    where n between 1 and 4
    group by org_code
)
select p.org_code, p.local_pay_gbp, p.gross_pay_gbp, p.local_headcount,
       coalesce(c.small_cells, 0)::bigint as small_cells, s.net_pay_local_share
from pay as p left join cells as c using (org_code)
left join staff_survey as s using (org_code)
order by p.org_code""",
        period_params(orgs, first, last, **staff_params),
    )
    return Lm3Inputs(float(in_scope or 0), float(staff["gross_pay_gbp"].sum()),
                     suppliers, staff[["org_code", "local_pay_gbp", "local_headcount",
                                       "small_cells", "net_pay_local_share"]],
                     float(placed or 0))


@registered
def assumptions(wh) -> tuple[Assumptions, dict[str, str]]:
    """The assumptions in force, and where each came from."""
    rows = wh.rows("select key, value, source, updated_at, updated_by from lm3_assumption")
    values, sources = {}, {k: DEFAULT_SOURCE for k in LABELS}
    for key, value, source, updated_at, updated_by in rows:
        if key in LABELS:
            values[key] = value
            who = f", {updated_by} on {updated_at:%d %b %Y}" if updated_by and updated_at else ""
            sources[key] = f"{source}{who}"
    return Assumptions().with_values(values), sources


@writes("change a local multiplier assumption")
def save_assumption(wh, key: str, value: float, source: str, user: User) -> None:
    """Set one assumption, recording who set it to what in the audit trail."""
    value = validate(key, value)
    source = source.strip() or "Set by the user"
    with wh.transaction() as cur:
        cur.execute("delete from lm3_assumption where key = ?", [key])
        cur.execute("insert into lm3_assumption values (?, ?, ?, ?, ?)",
                    [key, value, source, datetime.now(UTC).replace(tzinfo=None), user.name])
        record_change(cur, user, "lm3_assumption", "saved",
                      f"{LABELS[key]} set to {value:g} ({source}).")
        bump_data_version(cur)


@registered
def survey_coverage(wh) -> dict[str, int]:
    return {
        "suppliers": int(wh.value("select count(*) from supplier_survey")),
        "organisations": int(wh.value("select count(*) from staff_survey")),
    }


@registered
def saved_scenarios(wh) -> pd.DataFrame:
    """scenario_id, name, definition (dict), created_at, created_by; newest first."""
    df = wh.df("select scenario_id, name, definition, created_at, created_by from scenario"
               " order by created_at desc, scenario_id desc")
    df["definition"] = df["definition"].map(json.loads)
    return df


@writes("save a scenario")
def save_scenario(wh, name: str, definition: dict, user: User) -> int:
    """Save (or overwrite) a named scenario, recording who in the audit trail; returns its
    id."""
    name = name.strip()
    if not name:
        raise ValueError("Give the scenario a name.")
    if len(name) > 80:
        raise ValueError("Keep the scenario's name under 80 characters.")
    with wh.transaction() as cur:
        old = cur.execute("select scenario_id from scenario where name = ?", [name]).fetchall()
        cur.execute("delete from scenario where name = ?", [name])
        sid = old[0][0] if old else cur.execute("select nextval('scenario_id_seq')").fetchall()[0][0]
        cur.execute("insert into scenario values (?, ?, ?, ?, ?)",
                    [sid, name, json.dumps(definition, sort_keys=True),
                     datetime.now(UTC).replace(tzinfo=None), user.name])
        record_change(cur, user, "scenario", "saved",
                      f"Scenario {name!r} {'replaced' if old else 'saved'}.")
        bump_data_version(cur)
    return int(sid)


@writes("delete a scenario")
def delete_scenario(wh, scenario_id: int, user: User) -> None:
    """Delete a saved scenario, recording who in the audit trail."""
    with wh.transaction() as cur:
        found = cur.execute("select name from scenario where scenario_id = ?",
                            [scenario_id]).fetchall()
        if not found:
            raise ValueError(f"There is no saved scenario {scenario_id}.")
        cur.execute("delete from scenario where scenario_id = ?", [scenario_id])
        record_change(cur, user, "scenario", "deleted", f"Scenario {found[0][0]!r} deleted.")
        bump_data_version(cur)


@dataclass(frozen=True)
class ScenarioInputs:
    non_local_by_category: pd.DataFrame  # category, non_local_gbp (influenceable)
    starters: int
    local_starters: int
    pay_per_head_gbp: float  # gross pay in the period per member of staff


@registered
def scenario_inputs(wh, orgs: Sequence[str], first: date, last: date,
                    place: Place) -> ScenarioInputs:
    by_cat = spend_totals(wh, orgs, first, last, place, ("category",))
    non_local = pd.DataFrame({
        "category": by_cat["category"],
        "non_local_gbp": by_cat["influenceable_gbp"] - by_cat["influenceable_local_gbp"],
    })
    non_local = non_local[non_local["non_local_gbp"] > 0].sort_values("non_local_gbp",
                                                                      ascending=False)
    staff = workforce_totals(wh, orgs, first, last, place).iloc[0]
    per_head = float(staff["gross_pay_gbp"]) / float(staff["headcount"]) if staff["headcount"] else 0.0
    return ScenarioInputs(non_local.reset_index(drop=True), int(staff["starters"]),
                          int(staff["local_starters"]), per_head)
