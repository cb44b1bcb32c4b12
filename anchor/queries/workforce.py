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
from anchor.queries import registered
from anchor.queries.common import ORG_CTES, group_columns, period_params

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


def located_staff_sql(place: Place) -> tuple[str, dict]:
    """CTEs ending in `staff(...)` with is_placed, is_local and is_snapshot per row;
    binds `$orgs`, `$first`, `$last` and the place's parameters, which it returns."""
    local_sql, local_params = local_predicate(place, point="l", org="w")
    sql = f"""
with {ORG_CTES},
rows as (
    select w.*, l.lad_code, l.lsoa_code is not null as is_placed,
           coalesce({local_sql}, false) as is_local
    from workforce as w
    left join geo_lsoa as l on l.lsoa_code = w.home_lsoa
    where w.org_code in (select org_code from selected_org)
      and w.quarter_start between $first and $last
),
latest as (
    select org_code, max(quarter_start) as snapshot_quarter from rows group by org_code
),
staff as (
    select r.*, r.quarter_start = t.snapshot_quarter as is_snapshot
    from rows as r join latest as t using (org_code)
)"""
    return sql, local_params


@registered
def workforce_totals(
    wh, orgs: Sequence[str], first: date, last: date, place: Place, by: Sequence[str] = ()
) -> pd.DataFrame:
    """Headcount (snapshot), residents employed, pay and starters (period) grouped by `by`."""
    cols = group_columns(by, WORKFORCE_GROUPS)
    cte, local_params = located_staff_sql(place)
    select_cols = "".join(f"{c}, " for c in cols)
    group = f"group by {', '.join(cols)} order by {', '.join(cols)}" if cols else ""
    sql = f"{cte}\nselect {select_cols}{WORKFORCE_MEASURES}\nfrom staff\n{group}"
    return wh.df(sql, period_params(orgs, first, last, **local_params))


@registered
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
      and w.quarter_start between $first and $last
    group by w.quarter_start
)
select * from final order by quarter_start"""
    return wh.df(sql, period_params(orgs, first, last, **local_params))


# The most deprived 10% and 20% of LSOAs in England: IMD deciles 1, and 1 and 2.
MOST_DEPRIVED_10 = 1
MOST_DEPRIVED_20 = 2


@registered
def staff_by_home_lsoa(wh, orgs: Sequence[str], first: date, last: date, place: Place) -> pd.DataFrame:
    """Headcount at the end of the period by home LSOA, for the map: lsoa_code, lsoa_name,
    lad_code, lad_name, headcount (all the organisations' staff living there) and
    local_headcount (those counted as living in the place). Unplaced staff are left out."""
    cte, local_params = located_staff_sql(place)
    sql = f"""{cte},
by_lsoa as (
    select home_lsoa as lsoa_code,
           sum(headcount)::bigint as headcount,
           coalesce(sum(headcount) filter (where is_local), 0)::bigint as local_headcount
    from staff
    where is_snapshot and is_placed
    group by home_lsoa
),
final as (
    select b.lsoa_code, l.lsoa_name, l.lad_code, coalesce(d.lad_name, l.lad_code) as lad_name,
           b.headcount, b.local_headcount
    from by_lsoa as b
    join geo_lsoa as l using (lsoa_code)
    left join geo_lad as d on d.lad_code = l.lad_code
)
select * from final order by lsoa_code"""
    return wh.df(sql, period_params(orgs, first, last, **local_params))


@registered
def deprivation_by_org(wh, orgs: Sequence[str], first: date, last: date) -> pd.DataFrame:
    """Staff (headcount at the end of the period) and starters (over the period) by the IMD
    decile of their home LSOA: org_code, imd_decile (null when the home LSOA has none: no
    usable LSOA, or outside England), headcount, starters."""
    sql = f"""
with {ORG_CTES},
rows as (
    select w.org_code, w.quarter_start, w.headcount, w.starters, i.imd_decile
    from workforce as w
    left join imd_lsoa as i on i.lsoa_code = w.home_lsoa
    where w.org_code in (select org_code from selected_org)
      and w.quarter_start between $first and $last
),
latest as (
    select org_code, max(quarter_start) as snapshot_quarter from rows group by org_code
),
final as (
    select r.org_code, r.imd_decile,
           coalesce(sum(r.headcount) filter (where r.quarter_start = t.snapshot_quarter), 0)::bigint
               as headcount,
           coalesce(sum(r.starters), 0)::bigint as starters
    from rows as r
    join latest as t using (org_code)
    group by r.org_code, r.imd_decile
)
select * from final order by org_code, imd_decile nulls last"""
    return wh.df(sql, period_params(orgs, first, last))


@registered
def workforce_by_quarter(wh, orgs: Sequence[str], first: date, last: date, place: Place) -> pd.DataFrame:
    """The quarterly headline series (each quarter its own snapshot): headcount, FTE,
    residents employed, gross pay, starters, apprenticeship starts and staff below the Real
    Living Wage, with staff and starters by the deprivation of their home LSOA.
    `*_with_decile` count those whose home has an IMD decile (the denominator of the
    deprivation shares); `*_deprived_10` / `*_deprived_20` those in deciles 1 / 1-2."""
    local_sql, local_params = local_predicate(place, point="l", org="w")
    sql = f"""
with {ORG_CTES},
rows as (
    select w.quarter_start, w.org_code, w.headcount, w.fte, w.gross_pay_gbp, w.starters,
           w.apprentices, w.below_living_wage, i.imd_decile,
           coalesce({local_sql}, false) as is_local
    from workforce as w
    left join geo_lsoa as l on l.lsoa_code = w.home_lsoa
    left join imd_lsoa as i on i.lsoa_code = w.home_lsoa
    where w.org_code in (select org_code from selected_org)
      and w.quarter_start between $first and $last
),
final as (
    select
        quarter_start,
        count(distinct org_code) as organisations,
        sum(headcount)::bigint as headcount,
        sum(fte)::double as fte,
        coalesce(sum(headcount) filter (where is_local), 0)::bigint as local_headcount,
        coalesce(sum(fte) filter (where is_local), 0)::double as local_fte,
        sum(gross_pay_gbp)::double as gross_pay_gbp,
        coalesce(sum(gross_pay_gbp) filter (where is_local), 0)::double as local_gross_pay_gbp,
        sum(starters)::bigint as starters,
        sum(apprentices)::bigint as apprentices,
        sum(below_living_wage)::bigint as below_living_wage,
        coalesce(sum(headcount) filter (where imd_decile is not null), 0)::bigint
            as staff_with_decile,
        coalesce(sum(headcount) filter (where imd_decile <= {MOST_DEPRIVED_10}), 0)::bigint
            as staff_deprived_10,
        coalesce(sum(headcount) filter (where imd_decile <= {MOST_DEPRIVED_20}), 0)::bigint
            as staff_deprived_20,
        coalesce(sum(starters) filter (where imd_decile is not null), 0)::bigint
            as starters_with_decile,
        coalesce(sum(starters) filter (where imd_decile <= {MOST_DEPRIVED_10}), 0)::bigint
            as starters_deprived_10,
        coalesce(sum(starters) filter (where imd_decile <= {MOST_DEPRIVED_20}), 0)::bigint
            as starters_deprived_20
    from rows
    group by quarter_start
)
select * from final order by quarter_start"""
    return wh.df(sql, period_params(orgs, first, last, **local_params))


@registered
def deprivation_source(wh) -> tuple[str | None, bool]:
    """Where the deprivation deciles came from, and whether they are synthetic demo values."""
    rows = wh.rows("select any_value(source), coalesce(bool_or(is_synthetic), false) from imd_lsoa")
    return (rows[0][0], bool(rows[0][1])) if rows else (None, False)


def lsoa_names(wh) -> pd.DataFrame:
    """Every LSOA 2011 code and name: what the deprivation importer matches a file against."""
    return wh.df("select lsoa_code, lsoa_name from geo_lsoa order by lsoa_code")
