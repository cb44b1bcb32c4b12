"""Quarterly headline series for SPC charts that the other query modules do not give."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pandas as pd

from anchor.places import Place, local_predicate
from anchor.queries import registered
from anchor.queries.common import ORG_CTES, period_params


@registered
def land_by_quarter(wh, orgs: Sequence[str], first: date, last: date, place: Place) -> pd.DataFrame:
    """Each quarter's land not delivering services and site area, over the sites in the place
    that made a return that quarter."""
    local_sql, local_params = local_predicate(place, point="p", org="e")
    sql = f"""
with {ORG_CTES},
final as (
    select e.quarter_start,
           sum(e.land_not_delivering_ha)::double as land_not_delivering_ha,
           sum(e.site_area_ha)::double as site_area_ha,
           count(*) as sites
    from estate as e
    left join site as s using (site_code)
    left join geo_postcode as p on p.postcode = s.postcode
    where e.org_code in (select org_code from selected_org)
      and e.quarter_start between $first and $last
      and {local_sql}
    group by e.quarter_start
)
select * from final order by quarter_start"""
    return wh.df(sql, period_params(orgs, first, last, **local_params))
