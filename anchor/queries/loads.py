"""Questions about loads and the quality of the data: the audit trail, what a load replaced,
suppliers that cannot be placed or have no flags, quarters missing per organisation; and
recording in the audit trail the changes that are not file loads."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd

from anchor.queries import registered

# Identifiers for the quality questions, never from input.
DATA_TABLES = {"spend": "Spend", "workforce": "Workforce", "estate": "Estates"}
POSTCODE_PATTERN = "^[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}$"


def record_change(cur, user, table_name: str, outcome: str, message: str,
                  rows_added: int | None = None, rows_replaced: int | None = None) -> int:
    """Audit a change made by hand rather than by loading a file (an assumption or a scenario
    saved, a place changed, the demo removed, the geography installed), inside the change's
    own transaction: one `load` row with who, when, what (`message`) and how it ended
    (`outcome`: 'saved', 'deleted', 'removed', 'installed'), and, when rows were counted, a
    `load_slice` row with them. Returns the audit row's id."""
    load_id = int(cur.execute("select nextval('load_id_seq')").fetchall()[0][0])
    cur.execute("insert into load (load_id, loaded_at, loaded_by, table_name, outcome, message)"
                " values (?, ?, ?, ?, ?, ?)",
                [load_id, datetime.now(UTC).replace(tzinfo=None), user.name, table_name,
                 outcome, message[:2000]])
    if rows_added is not None or rows_replaced is not None:
        cur.execute("insert into load_slice (load_id, table_name, rows_added, rows_replaced)"
                    " values (?, ?, ?, ?)",
                    [load_id, table_name, rows_added or 0, rows_replaced or 0])
    return load_id


@registered
def load_history(wh, limit: int = 500) -> pd.DataFrame:
    """Every load, newest first, with the slices it wrote and the rows it added and replaced."""
    return wh.df(
        """
        with slices as (
            select s.load_id,
                   -- a spend load also adds suppliers it met for the first time
                   sum(s.rows_added) filter (where s.table_name = l.table_name) as rows_added,
                   sum(s.rows_replaced) filter (where s.table_name = l.table_name)
                       as rows_replaced,
                   sum(s.rows_added) filter (where s.table_name = 'supplier'
                                             and l.table_name <> 'supplier') as suppliers_added,
                   list(struct_pack(s.org_code, s.quarter_start, s.month_start, s.rows_added,
                                    s.rows_replaced, s.gbp_replaced, s.is_stray)
                        order by s.org_code, s.quarter_start, s.month_start)
                       filter (where s.table_name = l.table_name) as slices
            from load_slice as s
            join load as l using (load_id)
            group by s.load_id
        ),
        final as (
            select l.load_id, l.loaded_at, l.loaded_by, l.file_name, l.sha256, l.table_name,
                   l.outcome, l.message, l.is_demo, l.undone_at, l.undone_by,
                   coalesce(s.rows_added, 0)::bigint as rows_added,
                   coalesce(s.rows_replaced, 0)::bigint as rows_replaced,
                   coalesce(s.suppliers_added, 0)::bigint as suppliers_added,
                   s.slices
            from load as l
            left join slices as s using (load_id)
        )
        select * from final order by load_id desc limit ?
        """,
        [limit],
    )


def load_slices(wh, load_id: int) -> pd.DataFrame:
    return wh.df("select table_name, org_code, quarter_start, month_start, rows_added,"
                 " rows_replaced, gbp_replaced, is_stray from load_slice where load_id = ?"
                 " order by table_name, org_code, quarter_start, month_start",
                 [load_id])


@registered
def supplier_postcode_problems(wh) -> pd.DataFrame:
    """Suppliers whose spend cannot be placed, largest spend first. `problem` is 'missing'
    (no postcode), 'invalid' (not a postcode), 'unknown' (not in the geography) or
    'unlocated' (a known postcode with no local authority, as a few in the ONS lookup are,
    so spend there is unplaced); `problem_text` says which in a sentence."""
    return wh.df(
        f"""
        with spend_by_supplier as (
            select supplier_id, sum(amount_gbp)::double as spend_gbp, count(*) as invoice_lines
            from spend group by supplier_id
        ),
        known_postcode as (
            select postcode, bool_or(lad_code is not null) as is_placed
            from geo_postcode group by postcode
        ),
        checked as (
            select s.supplier_id, s.name, s.postcode,
                   case when s.postcode is null or trim(s.postcode) = '' then 'missing'
                        when not regexp_full_match(s.postcode, '{POSTCODE_PATTERN}') then 'invalid'
                        when p.postcode is null then 'unknown'
                        when not p.is_placed then 'unlocated'
                   end as problem
            from supplier as s
            left join known_postcode as p using (postcode)
        ),
        described as (
            select *,
                   case problem
                       when 'missing' then 'No postcode'
                       when 'invalid' then '''' || postcode || ''' is not a postcode'
                       when 'unknown' then postcode || ' is not in the geography'
                       when 'unlocated'
                           then postcode || ' is a known postcode with no location in the geography'
                   end as problem_text
            from checked
        ),
        final as (
            select c.supplier_id, c.name, c.postcode, c.problem, c.problem_text,
                   coalesce(b.spend_gbp, 0) as spend_gbp,
                   coalesce(b.invoice_lines, 0) as invoice_lines
            from described as c
            left join spend_by_supplier as b using (supplier_id)
            where c.problem is not null
        )
        select * from final order by spend_gbp desc, name
        """
    )


@registered
def suppliers_without_flags(wh) -> pd.DataFrame:
    """Suppliers with no SME or no VCSE flag (so SME and VCSE shares undercount them)."""
    return wh.df(
        """
        with spend_by_supplier as (
            select supplier_id, sum(amount_gbp)::double as spend_gbp from spend
            group by supplier_id
        ),
        final as (
            select s.supplier_id, s.name, s.is_sme, s.is_vcse,
                   coalesce(b.spend_gbp, 0) as spend_gbp
            from supplier as s
            left join spend_by_supplier as b using (supplier_id)
            where s.is_sme is null or s.is_vcse is null
        )
        select * from final order by spend_gbp desc, name
        """
    )


@registered
def sites_not_placed(wh) -> pd.DataFrame:
    """Sites whose postcode the geography cannot place (missing, unknown, or known with no
    local authority): their estate returns count in no place. org_code, site_code, name,
    postcode, returns (estate returns held)."""
    return wh.df(
        """
        with returns as (
            select site_code, count(*) as returns from estate group by site_code
        ),
        final as (
            select s.org_code, s.site_code, s.name, s.postcode, coalesce(r.returns, 0) as returns
            from site as s
            left join geo_postcode as g on g.postcode = s.postcode
            left join returns as r using (site_code)
            where g.lad_code is null
        )
        select * from final order by org_code, site_code
        """
    )


@registered
def staff_not_placed(wh) -> pd.DataFrame:
    """Staff at each organisation's latest workforce quarter whose home LSOA is missing or not
    in the geography, so they count as not local wherever the place is. org_code,
    quarter_start, home_lsoa (None when missing), headcount."""
    return wh.df(
        """
        with latest as (
            select org_code, max(quarter_start) as quarter_start from workforce group by org_code
        ),
        final as (
            select w.org_code, w.quarter_start, w.home_lsoa, sum(w.headcount)::bigint as headcount
            from workforce as w
            join latest using (org_code, quarter_start)
            left join geo_lsoa as l on l.lsoa_code = w.home_lsoa
            where l.lsoa_code is null
            group by all
        )
        select * from final order by org_code, headcount desc, home_lsoa nulls first
        """
    )


@registered
def missing_quarters(wh) -> pd.DataFrame:
    """For each organisation and table, the quarters with no rows between the first quarter
    any organisation has in that table and the latest. One row per gap quarter."""
    parts = []
    for table, label in DATA_TABLES.items():
        parts.append(f"""
            select '{label}' as data, o.org_code, q.quarter_start
            from organisation as o
            cross join (
                select unnest(generate_series(min(quarter_start), max(quarter_start),
                                              interval 3 month))::date as quarter_start
                from {table}
            ) as q
            where not exists (
                select 1 from {table} as t
                where t.org_code = o.org_code and t.quarter_start = q.quarter_start
            )""")
    sql = " union all ".join(parts)
    return wh.df(f"with final as ({sql}) select * from final order by data, org_code, quarter_start")


def table_fingerprints(wh) -> dict[str, tuple[int, int]]:
    """(rows, order-free checksum of every row) of every table: two warehouses with the same
    fingerprints hold the same rows."""
    names = [r[0] for r in wh.rows(
        "select table_name from information_schema.tables"
        " where table_schema = 'main' and table_type = 'BASE TABLE' order by table_name")]
    out = {}
    for name in names:
        ident = '"' + name.replace('"', '""') + '"'  # a name from the catalogue itself
        out[name] = tuple(wh.rows(
            f"select count(*), coalesce(sum(hash(t)::hugeint), 0) from {ident} as t")[0])
    return out


@registered
def supplier_locations(wh) -> pd.DataFrame:
    """Every supplier placed (or flagged) by a match rather than by a register, with how and
    how surely, and its spend, least certain and largest first, for an analyst to review:
    supplier_id, name, postcode, method, confidence, company_number, company_name,
    spend_gbp."""
    return wh.df(
        """
        with spend_by_supplier as (
            select supplier_id, sum(amount_gbp)::double as spend_gbp
            from spend group by supplier_id
        )
        select s.supplier_id, s.name, s.postcode, s.location_method as method,
               s.location_confidence as confidence, s.company_number,
               c.name as company_name, coalesce(b.spend_gbp, 0) as spend_gbp
        from supplier as s
        left join company as c using (company_number)
        left join spend_by_supplier as b using (supplier_id)
        where s.location_method is not null
        order by case s.location_confidence when 'medium' then 0 when 'high' then 1 else 2 end,
                 spend_gbp desc, s.supplier_id
        """)


@registered
def placed_by_org_quarter(wh) -> pd.DataFrame:
    """Per organisation and quarter: spend_gbp, and placed_gbp, the spend whose supplier
    has a postcode the geography places; newest first."""
    return wh.df(
        """
        select sp.org_code, sp.quarter_start, sum(sp.amount_gbp)::double as spend_gbp,
               coalesce(sum(sp.amount_gbp) filter (where p.lad_code is not null), 0)::double
                   as placed_gbp
        from spend as sp
        join supplier as s using (supplier_id)
        left join geo_postcode as p on p.postcode = s.postcode
        group by all
        order by sp.quarter_start desc, sp.org_code
        """)


@registered
def companies_held(wh) -> tuple[int, str | None]:
    """How many Companies House companies are held, and the import that brought them."""
    n = int(wh.value("select count(*) from company") or 0)
    last = wh.rows("select message from load where table_name = 'company'"
                   " order by load_id desc limit 1")
    return n, (last[0][0] if last else None)
