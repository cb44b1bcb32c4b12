"""Reference questions: footprints, organisations, local authorities, quarters, freshness."""

from __future__ import annotations

from datetime import date

import pandas as pd

from anchor.queries import registered


@registered
def footprints(wh) -> pd.DataFrame:
    """Footprints, those whose organisations hold data first (the one opened by default),
    then by name: a warehouse filled from NHS Digital's files holds 42 ICBs, most with no
    data loaded. has_data says which hold some."""
    return wh.df(
        """
        with held as (
            select distinct org_code from spend
            union select distinct org_code from workforce
            union select distinct org_code from estate
        )
        select f.footprint_code, f.name,
               exists (select 1 from organisation as o join held using (org_code)
                       where o.footprint_code = f.footprint_code) as has_data
        from footprint as f
        order by has_data desc, f.name
        """)


@registered
def organisations_with_data(wh, footprint_code: str) -> list[str]:
    """The footprint's organisations that hold any spend, workforce or estate data."""
    return [r[0] for r in wh.rows(
        """
        select o.org_code from organisation as o
        where o.footprint_code = ?
          and (exists (select 1 from spend as s where s.org_code = o.org_code)
               or exists (select 1 from workforce as w where w.org_code = o.org_code)
               or exists (select 1 from estate as e where e.org_code = o.org_code))
        order by o.org_code
        """, [footprint_code])]


@registered
def organisations(wh, footprint_code: str | None = None) -> pd.DataFrame:
    if footprint_code is None:
        return wh.df("select org_code, name, org_type, footprint_code from organisation"
                     " order by org_code")
    return wh.df("select org_code, name, org_type, footprint_code from organisation"
                 " where footprint_code = ? order by org_code", [footprint_code])


@registered
def footprint_lads(wh, footprint_code: str) -> pd.DataFrame:
    return wh.df(
        "select f.lad_code, coalesce(l.lad_name, f.lad_code) as lad_name"
        " from footprint_lad as f left join geo_lad as l using (lad_code)"
        " where f.footprint_code = ? order by lad_name",
        [footprint_code],
    )


@registered
def lads(wh) -> pd.DataFrame:
    """Every local authority in the geography, by name. ONS pseudo codes (L99999999 for the
    Channel Islands, M99999999 for the Isle of Man and the like, named "Pseudo (...)") are
    not local authorities and are left out, should an older geography still hold them."""
    return wh.df(
        "select lad_code, lad_name from geo_lad"
        " where not regexp_matches(lad_code, '^[A-Z]99')"
        " and not starts_with(lower(coalesce(lad_name, '')), 'pseudo')"
        " order by lad_name")


@registered
def lad_names(wh, codes: list[str]) -> dict[str, str]:
    rows = wh.rows("select lad_code, lad_name from geo_lad where lad_code = any(?)", [codes])
    return dict(rows)


@registered
def data_quarters(wh, orgs: list[str]) -> list[date]:
    """Quarters with any spend, workforce or estate data for these organisations, oldest first."""
    rows = wh.rows(
        "select distinct quarter_start from ("
        " select quarter_start, org_code from spend"
        " union all select quarter_start, org_code from workforce"
        " union all select quarter_start, org_code from estate)"
        " where org_code = any(?) order by quarter_start",
        [list(orgs)],
    )
    return [r[0] for r in rows]


@registered
def spend_months(wh, orgs: list[str] | None = None) -> pd.DataFrame:
    """Each organisation-month of spend held (all organisations when `orgs` is None):
    org_code, quarter_start, month_start (by month of payment), lines, spend_gbp (all
    spend, £)."""
    return wh.df(
        """
        with lines as (
            select org_code, quarter_start,
                   date_trunc('month', coalesce(paid_date, quarter_start))::date as month_start,
                   amount_gbp
            from spend
            where $orgs::varchar[] is null or org_code = any($orgs::varchar[])
        ),
        final as (
            select org_code, quarter_start, month_start, count(*) as lines,
                   sum(amount_gbp)::double as spend_gbp
            from lines
            group by all
        )
        select * from final order by org_code, month_start
        """,
        {"orgs": None if orgs is None else list(orgs)},
    )


@registered
def freshness(wh) -> pd.DataFrame:
    """Latest quarter held in each table and when data last changed."""
    return wh.df(
        """
        with latest as (
            select 'Spend' as data, max(quarter_start) as latest_quarter from spend
            union all select 'Workforce', max(quarter_start) from workforce
            union all select 'Estates', max(quarter_start) from estate
        )
        select l.*, (select max(coalesce(undone_at, loaded_at)) from load
                     where outcome not in ('rejected', 'failed')) as last_change
        from latest as l
        """
    )


@registered
def has_demo_data(wh, orgs: list[str] | None = None) -> bool:
    if orgs is None:
        return bool(wh.value("select exists(select 1 from organisation where is_demo)"))
    return bool(wh.value(
        "select exists(select 1 from organisation where is_demo and org_code = any(?))",
        [list(orgs)],
    ))


@registered
def deprivation_is_synthetic(wh) -> bool:
    return bool(wh.value("select coalesce(bool_or(is_synthetic), false) from imd_lsoa"))
