"""Workforce questions: staff living in the place, their pay, starters and apprentices.

Headcount and FTE are snapshots: the last quarter of the period that each
organisation has data for. Pay, starters and apprentices are flows summed over
the period. Staff whose home LSOA is missing or unknown are counted as unplaced.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pandas as pd

from anchor.places import Place, local_predicate
from anchor.queries.common import ORG_CTES, group_columns

WORKFORCE_GROUPS = {"org": "org_code", "staff_group": "staff_group", "lad": "lad_code"}

WORKFORCE_MEASURES = """
    coalesce(sum(headcount) filter (where is_snapshot), 0)::bigint as headcount,
    coalesce(sum(fte) filter (where is_snapshot), 0)::double as fte,
    coalesce(sum(headcount) filter (where is_snapshot and is_local), 0)::bigint as local_headcount,
    coalesce(sum(fte) filter (where is_snapshot and is_local), 0)::double as local_fte,
    coalesce(sum(headcount) filter (where is_snapshot and not is_placed), 0)::bigint
        as unplaced_headcount,
    coalesce(sum(gross_pay_gbp), 0)::double as gross_pay_gbp,
    coalesce(sum(gross_pay_gbp) filter (where is_local), 0)::double as local_gross_pay_gbp,
    coalesce(sum(starters), 0)::bigint as starters,
    coalesce(sum(starters) filter (where is_local), 0)::bigint as local_starters,
    coalesce(sum(apprentices), 0)::bigint as apprentices,
    coalesce(sum(below_living_wage) filter (where is_snapshot), 0)::bigint as below_living_wage,
    max(quarter_start) filter (where is_snapshot) as snapshot_quarter
"""


def located_staff_sql(place: Place) -> tuple[str, list]:
    """CTEs ending in `staff(...)` with is_placed, is_local and is_snapshot per row;
    binds orgs, place, first, last."""
    local_sql, local_params = local_predicate(place, point="l", org="w")
    sql = f"""
with {ORG_CTES},
rows as (
    select w.*, l.lad_code, l.lsoa_code is not null as is_placed,
           coalesce({local_sql}, false) as is_local
    from workforce as w
    left join geo_lsoa as l on l.lsoa_code = w.home_lsoa
    where w.org_code in (select org_code from selected_org)
      and w.quarter_start between ? and ?
),
latest as (
    select org_code, max(quarter_start) as snapshot_quarter from rows group by org_code
),
staff as (
    select r.*, r.quarter_start = t.snapshot_quarter as is_snapshot
    from rows as r join latest as t using (org_code)
)"""
    return sql, local_params


def workforce_totals(
    wh, orgs: Sequence[str], first: date, last: date, place: Place, by: Sequence[str] = ()
) -> pd.DataFrame:
    """Headcount (snapshot), residents employed, pay and starters (period) grouped by `by`."""
    cols = group_columns(by, WORKFORCE_GROUPS)
    cte, local_params = located_staff_sql(place)
    select_cols = "".join(f"{c}, " for c in cols)
    group = f"group by {', '.join(cols)} order by {', '.join(cols)}" if cols else ""
    sql = f"{cte}\nselect {select_cols}{WORKFORCE_MEASURES}\nfrom staff\n{group}"
    return wh.df(sql, [list(orgs), *local_params, first, last])


def residents_by_quarter(wh, orgs: Sequence[str], first: date, last: date, place: Place) -> pd.DataFrame:
    """Each quarter's headcount and residents employed (every quarter is its own snapshot)."""
    local_sql, local_params = local_predicate(place, point="l", org="w")
    sql = f"""
with {ORG_CTES},
final as (
    select
        w.quarter_start,
        sum(w.headcount)::bigint as headcount,
        coalesce(sum(w.headcount) filter (where coalesce({local_sql}, false)), 0)::bigint
            as local_headcount,
        coalesce(sum(w.headcount) filter (where l.lsoa_code is null), 0)::bigint
            as unplaced_headcount,
        count(distinct w.org_code) as organisations
    from workforce as w
    left join geo_lsoa as l on l.lsoa_code = w.home_lsoa
    where w.org_code in (select org_code from selected_org)
      and w.quarter_start between ? and ?
    group by w.quarter_start
)
select * from final order by quarter_start"""
    return wh.df(sql, [list(orgs), *local_params, first, last])
