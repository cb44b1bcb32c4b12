"""Spend questions: how much went to suppliers in the place, for all and influenceable spend.

In scope: every invoice line in a category flagged in scope. Influenceable: in scope, in a
category flagged influenceable, and not paid to a supplier flagged as a public body. A line
whose category is not in the category table yet (the loader warns of new categories) counts
as in scope and influenceable until an analyst flags it. Credit notes are negative lines and
net off. Spend with a supplier whose postcode has no local authority in the geography is
unplaced: the totals give it apart, and a local share is of the placed spend only (see
`anchor.metrics.SpendShare`). Likewise SME and VCSE shares are of the spend whose supplier
carries the flag (`sme_known_gbp`, `vcse_known_gbp`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pandas as pd

from anchor.config import BPPC_DAYS
from anchor.places import Place, local_predicate
from anchor.queries import registered
from anchor.queries.common import ORG_CTES, group_columns, period_params

SPEND_GROUPS = {
    "quarter": "quarter_start",
    "month": "month_start",  # by month of payment: spend is loaded a month at a time
    "org": "org_code",
    "category": "category",
    "supplier": "supplier_id",
    "lad": "lad_code",
    "lsoa": "lsoa_code",
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
    coalesce(sum(amount_gbp) filter (where is_sme), 0)::double as sme_gbp,
    coalesce(sum(amount_gbp) filter (where is_vcse), 0)::double as vcse_gbp,
    coalesce(sum(amount_gbp) filter (where is_influenceable and is_sme), 0)::double
        as influenceable_sme_gbp,
    coalesce(sum(amount_gbp) filter (where is_influenceable and is_vcse), 0)::double
        as influenceable_vcse_gbp,
    coalesce(sum(amount_gbp) filter (where is_sme_known), 0)::double as sme_known_gbp,
    coalesce(sum(amount_gbp) filter (where is_vcse_known), 0)::double as vcse_known_gbp,
    coalesce(sum(amount_gbp) filter (where is_influenceable and is_sme_known), 0)::double
        as influenceable_sme_known_gbp,
    coalesce(sum(amount_gbp) filter (where is_influenceable and is_vcse_known), 0)::double
        as influenceable_vcse_known_gbp,
    coalesce(sum(amount_gbp) filter (where is_influenceable and is_local and is_sme), 0)::double
        as influenceable_local_sme_gbp,
    coalesce(sum(amount_gbp) filter (where is_influenceable and is_placed and is_sme_known),
             0)::double as influenceable_placed_sme_known_gbp,
    coalesce(sum(invoice_lines), 0)::bigint as invoice_lines
"""

# Where the located lines come from: every invoice line, or the spend summary
# (anchor/summary.py), which answers exactly any question that needs no line's own dates, in
# a fraction of the rows. Each: (relation, invoice lines per row, the dates and the month of
# payment, which the summary does not keep: a trend by month reads the lines).
SOURCES = {
    "lines": ("spend", "1", "sp.paid_date, sp.invoice_date, sp.due_date,"
              " date_trunc('month', sp.paid_date)::date as month_start"),
    "summary": ("spend_summary", "sp.invoice_lines",
                "null::date as paid_date, null::date as invoice_date, null::date as due_date,"
                " null::date as month_start"),
}


def located_lines_sql(place: Place, source: str = "lines") -> tuple[str, dict]:
    """CTEs ending in `located(org_code, quarter_start, supplier_id, category, amount_gbp,
    invoice_lines, lad_code, is_placed, is_local, is_influenceable, ...)`; binds `$orgs`,
    `$first`, `$last` and the place's parameters, which it returns. `source` a key of
    `SOURCES` (from the summary, the dates are null)."""
    if source not in SOURCES:
        raise ValueError(f"Cannot read spend from {source!r}; choose from {', '.join(SOURCES)}.")
    relation, lines, dates = SOURCES[source]
    local_sql, local_params = local_predicate(place, point="pt", org="o")
    if place.kind == "lads":
        # local or not whoever pays: each supplier once, not once for every organisation
        supplier_local = f"select pt.*, {local_sql} as is_local from supplier_point as pt"
        supplier_local_join = "sl.supplier_id = sp.supplier_id"
    else:  # near the sites of the organisation paying
        supplier_local = (f"select o.org_code, pt.*, {local_sql} as is_local"
                          " from selected_org as o cross join supplier_point as pt")
        supplier_local_join = "sl.org_code = sp.org_code and sl.supplier_id = sp.supplier_id"
    sql = f"""
with {ORG_CTES},
supplier_point as (
    select s.supplier_id, s.is_sme, s.is_vcse, coalesce(s.is_public_body, false) as is_public_body,
           p.lad_code, p.lsoa_code, p.easting, p.northing, p.lat, p.lon,
           -- placed: the postcode is known and has a local authority (a few in the ONS
           -- lookup have neither a location nor an LSOA, and count as unplaced)
           p.lad_code is not null as is_placed
    from supplier as s
    left join geo_postcode as p on p.postcode = s.postcode
),
supplier_local as (
    {supplier_local}
),
located as (
    select
        sp.org_code, sp.quarter_start, sp.supplier_id, sp.category, sp.amount_gbp,
        {lines} as invoice_lines, {dates},
        sl.lad_code,
        sl.lsoa_code,
        coalesce(sl.is_placed, false) as is_placed,
        coalesce(sl.is_local, false) as is_local,
        coalesce(c.is_influenceable, true) and not coalesce(sl.is_public_body, false)
            as is_influenceable,
        coalesce(sl.is_sme, false) as is_sme,
        coalesce(sl.is_vcse, false) as is_vcse,
        sl.is_sme is not null as is_sme_known,
        sl.is_vcse is not null as is_vcse_known
    from {relation} as sp
    left join category as c using (category)
    left join supplier_local as sl on {supplier_local_join}
    where sp.org_code in (select org_code from selected_org)
      and sp.quarter_start between $first and $last
      and coalesce(c.is_in_scope, true)
)"""
    return sql, local_params


@registered
def spend_totals(
    wh, orgs: Sequence[str], first: date, last: date, place: Place, by: Sequence[str] = (),
    *, source: str = "lines",
) -> pd.DataFrame:
    """Spend, local spend and unplaced spend (all and influenceable) grouped by `by`, read
    from `source` (see `SOURCES`: the summary gives the same figures from fewer rows)."""
    cols = group_columns(by, SPEND_GROUPS)
    cte, local_params = located_lines_sql(place, source)
    select_cols = "".join(f"{c}, " for c in cols)
    group = f"group by {', '.join(cols)} order by {', '.join(cols)}" if cols else ""
    sql = f"""{cte}
select {select_cols}{SPEND_MEASURES}
from located
{group}"""
    return wh.df(sql, period_params(orgs, first, last, **local_params))


@registered
def supplier_summary(
    wh, orgs: Sequence[str], first: date, last: date, place: Place, limit: int | None = None
) -> pd.DataFrame:
    """One row per supplier paid in the period, largest first: where it is, its flags, what it
    was paid (all and influenceable) and by how many of the organisations (for all spend and
    for influenceable spend)."""
    cte, local_params = located_lines_sql(place)
    sql = f"""{cte},
by_supplier as (
    select supplier_id,
           bool_or(is_local) as is_local,
           sum(amount_gbp)::double as spend_gbp,
           coalesce(sum(amount_gbp) filter (where is_influenceable), 0)::double
               as influenceable_gbp,
           count(*) as invoice_lines,
           count(distinct org_code) as organisations,
           string_agg(distinct org_code, ', ' order by org_code) as org_codes,
           count(distinct org_code) filter (where is_influenceable) as influenceable_organisations,
           string_agg(distinct org_code, ', ' order by org_code) filter (where is_influenceable)
               as influenceable_org_codes,
           mode(category) as main_category
    from located
    group by supplier_id
),
final as (
    select b.*, s.name, s.postcode, s.is_sme, s.is_vcse, s.is_public_body,
           p.lad_code, l.lad_name, p.lat, p.lon
    from by_supplier as b
    join supplier as s using (supplier_id)
    left join geo_postcode as p on p.postcode = s.postcode
    left join geo_lad as l on l.lad_code = p.lad_code
)
select * from final order by spend_gbp desc, supplier_id
{"limit $limit" if limit else ""}"""
    params = period_params(orgs, first, last, **local_params)
    return wh.df(sql, {**params, "limit": limit} if limit else params)


@registered
def prompt_payment(
    wh, orgs: Sequence[str], first: date, last: date, place: Place, by: Sequence[str] = ()
) -> pd.DataFrame:
    """Better Payment Practice Code: invoices (credit notes excluded) paid within 30 days of
    their invoice date, by number and value, for local SMEs and for every other supplier.
    Lines without an invoice or payment date cannot be judged and are counted apart."""
    cols = group_columns(by, SPEND_GROUPS)
    cte, local_params = located_lines_sql(place)
    select_cols = "".join(f"{c}, " for c in cols)
    group_cols = ", ".join([*cols, "segment"])
    sql = f"""{cte},
invoices as (
    select *,
           case when is_local and is_sme then 'Local SMEs' else 'Other suppliers' end as segment,
           paid_date - invoice_date as days_to_pay
    from located
    where amount_gbp > 0
)
select {select_cols}segment,
       count(*) filter (where days_to_pay is not null) as invoices,
       count(*) filter (where days_to_pay <= $bppc_days) as paid_on_time,
       coalesce(sum(amount_gbp) filter (where days_to_pay is not null), 0)::double as value_gbp,
       coalesce(sum(amount_gbp) filter (where days_to_pay <= $bppc_days), 0)::double as paid_on_time_gbp,
       count(*) filter (where days_to_pay is null) as undated
from invoices
group by {group_cols}
order by {group_cols}"""
    return wh.df(sql, period_params(orgs, first, last, **local_params, bppc_days=BPPC_DAYS))


@registered
def shared_categories(
    wh, orgs: Sequence[str], first: date, last: date, place: Place
) -> pd.DataFrame:
    """Categories bought by two or more of the organisations in the period, with their
    combined value and how many suppliers they used between them (for all spend and for
    influenceable spend)."""
    cte, local_params = located_lines_sql(place)
    sql = f"""{cte},
final as (
    select category,
           count(distinct org_code) as organisations,
           string_agg(distinct org_code, ', ' order by org_code) as org_codes,
           count(distinct supplier_id) as suppliers,
           sum(amount_gbp)::double as spend_gbp,
           count(distinct org_code) filter (where is_influenceable) as influenceable_organisations,
           string_agg(distinct org_code, ', ' order by org_code) filter (where is_influenceable)
               as influenceable_org_codes,
           count(distinct supplier_id) filter (where is_influenceable) as influenceable_suppliers,
           coalesce(sum(amount_gbp) filter (where is_influenceable), 0)::double
               as influenceable_gbp
    from located
    group by category
    having count(distinct org_code) >= 2
)
select * from final order by spend_gbp desc"""
    return wh.df(sql, period_params(orgs, first, last, **local_params))
