"""Estate questions: land and floor space of the sites in the place.

Figures are snapshots: each site's return for the last quarter of the period it
has one for. A site is in the place when its postcode is.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pandas as pd

from anchor.places import Place, local_predicate
from anchor.queries import registered
from anchor.queries.common import ORG_CTES, group_columns, period_params

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


@registered
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
      and e.quarter_start between $first and $last
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
    return wh.df(sql, period_params(orgs, first, last, **local_params))


def _returns_in_place_sql(place: Place) -> tuple[str, dict]:
    """CTEs ending in `placed`: the returns of the period from sites in the place, with each
    site's name and location. Binds `$orgs`, `$first`, `$last` and the place's parameters,
    which it returns."""
    local_sql, local_params = local_predicate(place, point="p", org="e")
    sql = f"""
with {ORG_CTES},
site_location as (
    -- the few sites first, so the postcode table is probed once per site, not per return
    select s.site_code, s.name as site_name, s.postcode, g.lat, g.lon, g.lad_code, g.easting,
           g.northing
    from site as s
    left join geo_postcode as g on g.postcode = s.postcode
    where s.org_code in (select org_code from selected_org)
),
returns as (
    select e.*, coalesce(e.occupied_m2, e.gia_m2 - e.empty_m2) as occupied_or_not_empty_m2,
           p.site_name, p.postcode, p.lat, p.lon, p.lad_code,
           coalesce({local_sql}, false) as in_place
    from estate as e
    left join site_location as p using (site_code)
    where e.org_code in (select org_code from selected_org)
      and e.quarter_start between $first and $last
),
placed as (
    select * from returns where in_place
)"""
    return sql, local_params


@registered
def estate_sites(wh, orgs: Sequence[str], first: date, last: date, place: Place) -> pd.DataFrame:
    """One row per site in the place. Land, floor space and backlog come from the site's
    latest return in the period (snapshot_quarter); energy (kWh), carbon (tCO2e) and community
    use hours are summed over its returns in the period (`returns` of them). `first_return`
    is the site's first return ever held, so a site that opened recently can be told apart."""
    cte, local_params = _returns_in_place_sql(place)
    sql = f"""{cte},
flows as (
    select site_code, count(*) as returns,
           sum(energy_kwh)::double as energy_kwh,
           sum(carbon_tco2e)::double as carbon_tco2e,
           sum(community_use_hours)::double as community_use_hours
    from placed
    group by site_code
),
latest as (
    select *, row_number() over (partition by site_code order by quarter_start desc) as recency
    from placed
),
first_return as (
    select site_code, min(quarter_start) as first_return
    from estate
    where org_code in (select org_code from selected_org)
    group by site_code
),
final as (
    select l.org_code, l.site_code, coalesce(l.site_name, l.site_code) as site_name,
           l.postcode, l.lat, l.lon, l.lad_code,
           l.quarter_start as snapshot_quarter, r.first_return, f.returns,
           l.site_area_ha::double as site_area_ha,
           l.land_not_delivering_ha::double as land_not_delivering_ha,
           l.gia_m2::double as gia_m2,
           l.occupied_or_not_empty_m2::double as occupied_m2,
           l.empty_m2::double as empty_m2,
           l.underused_m2::double as underused_m2,
           l.clinical_m2::double as clinical_m2,
           l.non_clinical_m2::double as non_clinical_m2,
           l.backlog_cost_gbp::double as backlog_cost_gbp,
           f.energy_kwh, f.carbon_tco2e, f.community_use_hours
    from latest as l
    join flows as f using (site_code)
    join first_return as r using (site_code)
    where l.recency = 1
)
select * from final order by org_code, site_code"""
    return wh.df(sql, period_params(orgs, first, last, **local_params))


@registered
def unplaced_sites(wh, orgs: Sequence[str]) -> pd.DataFrame:
    """The organisations' sites whose postcode the geography cannot place (missing, unknown,
    or known with no local authority): their returns count in no place, so pages name them.
    org_code, site_code, site_name, postcode, returns."""
    return wh.df(
        """
with unplaced as (
    select s.org_code, s.site_code, s.name as site_name, s.postcode
    from site as s
    left join geo_postcode as g on g.postcode = s.postcode
    where s.org_code = any(?) and g.lad_code is null
),
final as (
    select u.*, count(e.site_code) as returns
    from unplaced as u
    left join estate as e on e.site_code = u.site_code and e.org_code = u.org_code
    group by all
)
select * from final order by org_code, site_code""",
        [list(orgs)],
    )


@registered
def estate_by_quarter(wh, orgs: Sequence[str], first: date, last: date, place: Place) -> pd.DataFrame:
    """The quarterly headline series: each quarter's returns from the sites in the place,
    added up (sites, hectares, m², £, kWh, tCO2e, hours)."""
    cte, local_params = _returns_in_place_sql(place)
    sql = f"""{cte},
final as (
    select quarter_start,
           count(*) as sites,
           coalesce(sum(site_area_ha), 0)::double as site_area_ha,
           coalesce(sum(land_not_delivering_ha), 0)::double as land_not_delivering_ha,
           coalesce(sum(gia_m2), 0)::double as gia_m2,
           coalesce(sum(occupied_or_not_empty_m2), 0)::double as occupied_m2,
           coalesce(sum(empty_m2), 0)::double as empty_m2,
           coalesce(sum(underused_m2), 0)::double as underused_m2,
           coalesce(sum(clinical_m2), 0)::double as clinical_m2,
           coalesce(sum(non_clinical_m2), 0)::double as non_clinical_m2,
           coalesce(sum(backlog_cost_gbp), 0)::double as backlog_cost_gbp,
           coalesce(sum(energy_kwh), 0)::double as energy_kwh,
           coalesce(sum(carbon_tco2e), 0)::double as carbon_tco2e,
           coalesce(sum(community_use_hours), 0)::double as community_use_hours
    from placed
    group by quarter_start
)
select * from final order by quarter_start"""
    return wh.df(sql, period_params(orgs, first, last, **local_params))
