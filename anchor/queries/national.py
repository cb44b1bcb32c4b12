"""The national comparison: every organisation in the warehouse, across every footprint, with
its local share of spend in its own footprint's home place.

"Local" for each organisation is its own footprint's home local authorities (`footprint_lad`),
as the sidebar's default place is for a footprint; an organisation whose footprint has none
has no local share. Scope, influenceable spend and unplaced spend are as in
`anchor.queries.spend`, and shares follow `anchor.metrics.SpendShare` (of the placed spend;
not known below `KNOWN_SPEND_MIN_SHARE` placed). One query answers for every organisation,
from the spend summary (anchor/summary.py): its grain holds every figure here exactly.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from anchor.metrics import add_spend_shares
from anchor.queries import registered

COLUMNS = ["org_code", "name", "org_type", "footprint_code", "footprint_name", "has_home_place",
           "spend_gbp", "local_gbp", "unplaced_gbp", "influenceable_gbp",
           "influenceable_local_gbp", "influenceable_unplaced_gbp", "invoice_lines"]


# Where the spend is read from: the summary, or the invoice lines themselves (the same answer,
# kept so the benchmark and the tests can set one against the other).
SOURCES = {
    "summary": "spend_summary",
    "lines": "(select org_code, quarter_start, category, supplier_id, amount_gbp,"
             " 1 as invoice_lines from spend)",
}


@registered
def national_spend(wh, first: date, last: date) -> pd.DataFrame:
    """One row per organisation with in-scope spend in the quarters `first` to `last`:
    org_code, name, org_type, footprint_code, footprint_name, has_home_place, spend_gbp,
    local_gbp, unplaced_gbp, influenceable_gbp, influenceable_local_gbp,
    influenceable_unplaced_gbp (all £), invoice_lines. Ordered by org_code."""
    return national_spend_from(wh, first, last, "summary")


def national_spend_from(wh, first: date, last: date, source: str) -> pd.DataFrame:
    """`national_spend` read from `source`, a key of `SOURCES`."""
    if source not in SOURCES:
        raise ValueError(f"Cannot read spend from {source!r}; choose from {', '.join(SOURCES)}.")
    sql = f"""
with supplier_point as (
    select s.supplier_id, coalesce(s.is_public_body, false) as is_public_body, p.lad_code
    from supplier as s
    left join geo_postcode as p on p.postcode = s.postcode
),
home as (
    select distinct footprint_code from footprint_lad
),
lines as (
    select sp.org_code, sp.supplier_id, sp.amount_gbp, sp.invoice_lines,
           coalesce(c.is_influenceable, true) as category_influenceable
    from {SOURCES[source]} as sp
    left join category as c using (category)
    where sp.quarter_start between $first and $last
      and coalesce(c.is_in_scope, true)
),
located as (
    select l.org_code, l.amount_gbp, l.invoice_lines,
           pt.lad_code is not null as is_placed,
           -- local: in the home local authorities of the organisation's own footprint
           h.lad_code is not null as is_local,
           l.category_influenceable and not coalesce(pt.is_public_body, false)
               as is_influenceable
    from lines as l
    left join supplier_point as pt using (supplier_id)
    left join organisation as o using (org_code)
    left join footprint_lad as h on h.footprint_code = o.footprint_code
                                 and h.lad_code = pt.lad_code
),
by_org as (
    select org_code,
           sum(amount_gbp)::double as spend_gbp,
           coalesce(sum(amount_gbp) filter (where is_local), 0)::double as local_gbp,
           coalesce(sum(amount_gbp) filter (where not is_placed), 0)::double as unplaced_gbp,
           coalesce(sum(amount_gbp) filter (where is_influenceable), 0)::double
               as influenceable_gbp,
           coalesce(sum(amount_gbp) filter (where is_influenceable and is_local), 0)::double
               as influenceable_local_gbp,
           coalesce(sum(amount_gbp) filter (where is_influenceable and not is_placed), 0)::double
               as influenceable_unplaced_gbp,
           sum(invoice_lines)::bigint as invoice_lines
    from located
    group by org_code
),
final as (
    select b.org_code, coalesce(o.name, b.org_code) as name, o.org_type, o.footprint_code,
           f.name as footprint_name, h.footprint_code is not null as has_home_place,
           b.spend_gbp, b.local_gbp, b.unplaced_gbp, b.influenceable_gbp,
           b.influenceable_local_gbp, b.influenceable_unplaced_gbp, b.invoice_lines
    from by_org as b
    left join organisation as o using (org_code)
    left join footprint as f on f.footprint_code = o.footprint_code
    left join home as h on h.footprint_code = o.footprint_code
)
select * from final order by org_code"""
    return wh.df(sql, {"first": first, "last": last})[COLUMNS]


def national_comparison(totals: pd.DataFrame) -> pd.DataFrame:
    """`national_spend` plus each basis's local share and coverage (`add_spend_shares`: the
    share is NaN where too little of the spend is placed, or the organisation's footprint has
    no home place) and its rank among the organisations whose share is known (1 the highest;
    ties share the better rank): rank and influenceable_rank, nullable integers."""
    out = add_spend_shares(totals)
    for p in ("", "influenceable_"):
        out[f"{p}local_share"] = out[f"{p}local_share"].where(out["has_home_place"])
        out[f"{p}rank"] = (out[f"{p}local_share"].rank(ascending=False, method="min")
                           .astype("Int64"))
    return out
