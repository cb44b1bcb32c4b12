"""Spend questions: how much went to suppliers in the place, for all and influenceable spend.

In scope: every invoice line in a category flagged in scope (uncategorised lines count).
Influenceable: in scope, in a category flagged influenceable, and not paid to a
supplier flagged as a public body. Credit notes are negative lines and net off.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pandas as pd

from anchor.places import Place, local_predicate
from anchor.queries.common import ORG_CTES, group_columns

SPEND_GROUPS = {
    "quarter": "quarter_start",
    "org": "org_code",
    "category": "category",
    "supplier": "supplier_id",
    "lad": "lad_code",
}

SPEND_MEASURES = """
    sum(amount_gbp)::double as spend_gbp,
    coalesce(sum(amount_gbp) filter (where is_local), 0)::double as local_gbp,
    coalesce(sum(amount_gbp) filter (where not is_placed), 0)::double as unplaced_gbp,
    coalesce(sum(amount_gbp) filter (where is_influenceable), 0)::double as influenceable_gbp,
    coalesce(sum(amount_gbp) filter (where is_influenceable and is_local), 0)::double
        as influenceable_local_gbp,
    coalesce(sum(amount_gbp) filter (where is_influenceable and not is_placed), 0)::double
        as influenceable_unplaced_gbp,
    count(*) as invoice_lines
"""


def located_lines_sql(place: Place) -> tuple[str, list]:
    """CTEs ending in `located(org_code, quarter_start, supplier_id, category, amount_gbp,
    lad_code, is_placed, is_local, is_influenceable, ...)`; binds orgs, first, last, place."""
    local_sql, local_params = local_predicate(place, point="pt", org="o")
    sql = f"""
with {ORG_CTES},
supplier_point as (
    select s.supplier_id, s.is_sme, s.is_vcse, coalesce(s.is_public_body, false) as is_public_body,
           p.lad_code, p.easting, p.northing, p.postcode is not null as is_placed
    from supplier as s
    left join geo_postcode as p on p.postcode = s.postcode
),
supplier_local as (
    select o.org_code, pt.*, {local_sql} as is_local
    from selected_org as o
    cross join supplier_point as pt
),
located as (
    select
        sp.org_code, sp.quarter_start, sp.supplier_id, sp.category, sp.amount_gbp,
        sp.paid_date, sp.invoice_date, sp.due_date,
        coalesce(sl.lad_code, null) as lad_code,
        coalesce(sl.is_placed, false) as is_placed,
        coalesce(sl.is_local, false) as is_local,
        coalesce(c.is_influenceable, true) and not coalesce(sl.is_public_body, false)
            as is_influenceable,
        coalesce(sl.is_sme, false) as is_sme,
        coalesce(sl.is_vcse, false) as is_vcse
    from spend as sp
    left join category as c using (category)
    left join supplier_local as sl on sl.org_code = sp.org_code and sl.supplier_id = sp.supplier_id
    where sp.org_code in (select org_code from selected_org)
      and sp.quarter_start between ? and ?
      and coalesce(c.is_in_scope, true)
)"""
    return sql, local_params


def spend_totals(
    wh, orgs: Sequence[str], first: date, last: date, place: Place, by: Sequence[str] = ()
) -> pd.DataFrame:
    """Spend, local spend and unplaced spend (all and influenceable) grouped by `by`."""
    cols = group_columns(by, SPEND_GROUPS)
    cte, local_params = located_lines_sql(place)
    select_cols = "".join(f"{c}, " for c in cols)
    group = f"group by {', '.join(cols)} order by {', '.join(cols)}" if cols else ""
    sql = f"""{cte}
select {select_cols}{SPEND_MEASURES}
from located
{group}"""
    params = [list(orgs), *local_params, first, last]
    return wh.df(sql, params)
