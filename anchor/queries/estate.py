"""Estate questions: land and floor space of the sites in the place.

Figures are snapshots: each site's return for the last quarter of the period it
has one for. A site is in the place when its postcode is.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pandas as pd

from anchor.places import Place, local_predicate
from anchor.queries.common import ORG_CTES, group_columns

ESTATE_GROUPS = {"org": "org_code", "site": "site_code"}

ESTATE_MEASURES = """
    count(*) as sites,
    coalesce(sum(site_area_ha), 0)::double as site_area_ha,
    coalesce(sum(land_not_delivering_ha), 0)::double as land_not_delivering_ha,
    coalesce(sum(gia_m2), 0)::double as gia_m2,
    coalesce(sum(empty_m2), 0)::double as empty_m2,
    coalesce(sum(underused_m2), 0)::double as underused_m2,
    coalesce(sum(clinical_m2), 0)::double as clinical_m2,
    coalesce(sum(non_clinical_m2), 0)::double as non_clinical_m2,
    coalesce(sum(backlog_cost_gbp), 0)::double as backlog_cost_gbp,
    coalesce(sum(community_use_hours), 0)::double as community_use_hours,
    max(quarter_start) as snapshot_quarter
"""


def estate_totals(
    wh, orgs: Sequence[str], first: date, last: date, place: Place, by: Sequence[str] = ()
) -> pd.DataFrame:
    cols = group_columns(by, ESTATE_GROUPS)
    local_sql, local_params = local_predicate(place, point="p", org="e")
    select_cols = "".join(f"{c}, " for c in cols)
    group = f"group by {', '.join(cols)} order by {', '.join(cols)}" if cols else ""
    sql = f"""
with {ORG_CTES},
returns as (
    select e.*, {local_sql} as in_place
    from estate as e
    left join site as s using (site_code)
    left join geo_postcode as p on p.postcode = s.postcode
    where e.org_code in (select org_code from selected_org)
      and e.quarter_start between ? and ?
),
latest as (
    select *, row_number() over (partition by site_code order by quarter_start desc) as recency
    from returns
    where in_place
),
final as (
    select * from latest where recency = 1
)
select {select_cols}{ESTATE_MEASURES}
from final
{group}"""
    return wh.df(sql, [list(orgs), *local_params, first, last])
