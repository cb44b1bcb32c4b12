"""The spend summary: invoice lines added up by organisation, quarter, category and supplier.

`spend_summary` holds, for each of those, the £ (net of credit notes) and the number of lines,
and is kept in step with `spend` inside the transaction of every write that changes it (a
load, an undo, the demo's build and removal), so the two can never disagree. Everything a
question needs beyond that grain (where a supplier is, whether a category is in scope or
influenceable) is joined at query time, so a change to the supplier register, the categories
or the geography needs no rebuild.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

# the organisation-quarters `touched(org_code, quarter_start)`: binds `$orgs` and `$quarters`,
# two lists zipped
_TOUCHED = "select unnest($orgs::varchar[]) as org_code, unnest($quarters::date[]) as quarter_start"
_AGGREGATE = """
    select sp.org_code, sp.quarter_start, sp.category, sp.supplier_id,
           sum(sp.amount_gbp)::decimal(18, 2) as amount_gbp, count(*) as invoice_lines
    from spend as sp"""
# Written in organisation-quarters, so a footprint's questions read only the row groups that
# hold its organisations (however the invoice lines were loaded), not the whole table.
_ORDER = "order by sp.org_code, sp.quarter_start"


def refresh(cur, slices: Iterable[tuple[str, date]]) -> None:
    """Inside the caller's transaction, sum again the organisation-quarters `slices` (every one
    whose invoice lines the write changed) from `spend`."""
    keys = sorted({(str(o), q) for o, q in slices})
    if not keys:
        return
    params = {"orgs": [o for o, _ in keys], "quarters": [q for _, q in keys]}
    cur.execute(f"delete from spend_summary as s using ({_TOUCHED}) as k"
                " where s.org_code = k.org_code and s.quarter_start = k.quarter_start", params)
    cur.execute(f"insert into spend_summary {_AGGREGATE}"
                f" join ({_TOUCHED}) as k using (org_code, quarter_start) group by all"
                f" {_ORDER}", params)


def rebuild(cur) -> None:
    """Inside the caller's transaction, sum every invoice line again."""
    cur.execute("delete from spend_summary")
    cur.execute(f"insert into spend_summary {_AGGREGATE} group by all {_ORDER}")
