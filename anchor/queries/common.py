"""SQL shared by the query modules: the selected organisations and where their sites are."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

# `selected_org(org_code)` and `site_point(org_code, easting, northing)`: binds `$orgs`.
ORG_CTES = """
selected_org as (
    select unnest($orgs::varchar[]) as org_code
),
site_point as (
    select s.org_code, p.easting, p.northing
    from site as s
    join geo_postcode as p on p.postcode = s.postcode
    where s.org_code in (select org_code from selected_org)
)"""


def group_columns(by: Sequence[str], allowed: dict[str, str]) -> list[str]:
    """Column names for a `by` list, each checked against the allow-list."""
    cols = []
    for b in by:
        if b not in allowed:
            raise ValueError(f"Cannot group by {b!r}; choose from {', '.join(allowed)}.")
        cols.append(allowed[b])
    return cols


def period_params(orgs: Sequence[str], first: date, last: date, **more: Any) -> dict[str, Any]:
    """The named parameters `$orgs`, `$first` and `$last` (the quarters of the period), and
    any `more`: the parameters of most questions of a place."""
    return {"orgs": list(orgs), "first": first, "last": last, **more}
