"""The local supplier directory: who in the place can supply what, and where that meets
the footprint's spend outside the place (the opportunities)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pandas as pd

from anchor.places import Place, local_predicate
from anchor.queries import registered
from anchor.queries.common import ORG_CTES, period_params
from anchor.queries.spend import located_lines_sql


def _in_place_sql(place: Place) -> tuple[str, dict]:
    """CTE `in_place(business_id)`: businesses local to any of the selected organisations;
    binds `$orgs` and the place's parameters, which it returns."""
    pred, params = local_predicate(place, point="p", org="o")
    return f"""
with {ORG_CTES},
in_place as (
    select distinct b.business_id
    from local_business as b
    join geo_postcode as p on p.postcode = b.postcode
    cross join selected_org as o
    where {pred}
)""", params


@registered
def directory(wh, orgs: Sequence[str], place: Place) -> pd.DataFrame:
    """Every business in the directory based in the place, with where it is."""
    cte, params = _in_place_sql(place)
    return wh.df(
        f"""{cte}
select b.business_id, b.name, b.postcode, b.categories, b.is_sme, b.is_vcse,
       b.health_approved, b.frameworks, b.description, b.supplier_id is not null as is_supplier,
       p.lat, p.lon, l.lad_name
from local_business as b
join in_place using (business_id)
left join geo_postcode as p on p.postcode = b.postcode
left join geo_lad as l on l.lad_code = p.lad_code
order by b.name""",
        {"orgs": list(orgs), **params},
    )


@registered
def opportunities(wh, orgs: Sequence[str], first: date, last: date, place: Place) -> pd.DataFrame:
    """Influenceable categories where spend leaves the place and businesses in the place can
    supply: non-local spend, how many businesses, how many health-approved; largest first."""
    spend_cte, spend_params = located_lines_sql(place)
    cte, params = _in_place_sql(place)
    leak = wh.df(
        f"""{spend_cte}
select category,
       coalesce(sum(amount_gbp) filter (where is_influenceable), 0)::double as influenceable_gbp,
       coalesce(sum(amount_gbp) filter (where is_influenceable and not is_local), 0)::double
           as non_local_gbp,
       count(distinct supplier_id) filter (where is_influenceable and not is_local)
           as non_local_suppliers
from located group by category""",
        period_params(orgs, first, last, **spend_params),
    )
    able = wh.df(
        f"""{cte},
final as (
    select unnest(b.categories) as category, b.business_id, b.health_approved
    from local_business as b join in_place using (business_id)
)
select category, count(distinct business_id) as businesses,
       count(distinct business_id) filter (where health_approved) as health_approved
from final group by category""",
        {"orgs": list(orgs), **params},
    )
    out = leak.merge(able, on="category", how="inner")
    out = out[(out["non_local_gbp"] > 0) & (out["businesses"] > 0)]
    return out.sort_values("non_local_gbp", ascending=False).reset_index(drop=True)
