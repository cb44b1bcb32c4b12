"""Which months of spend the warehouse holds, and which quarters are complete.

Trusts publish spend monthly, so a quarter is built from three monthly loads. A quarter is
complete for a choice of organisations when each of them that holds any spend at all holds
all three of its months; otherwise it is partial, and says which organisations and months
it holds. Pages open on the latest complete quarter. Pure functions over the frame of
`anchor.queries.reference.spend_months`.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from anchor.periods import Period, months_text, quarter_label, quarter_months, quarters_between


def _held(months: pd.DataFrame, orgs) -> dict[str, set[date]]:
    """Each chosen organisation holding spend, with the months it holds."""
    rows = months[months["org_code"].isin(list(orgs))]
    starts = pd.to_datetime(rows["month_start"]).dt.date
    return {org: set(g) for org, g in starts.groupby(rows["org_code"].to_numpy())}


def missing_months(months: pd.DataFrame, orgs, quarter: date) -> dict[str, list[date]]:
    """For each chosen organisation holding spend, the months of `quarter` it lacks (only
    those lacking some)."""
    wanted = quarter_months(quarter)
    out = {}
    for org, held in sorted(_held(months, orgs).items()):
        lacking = [m for m in wanted if m not in held]
        if lacking:
            out[org] = lacking
    return out


def latest_complete(months: pd.DataFrame, orgs, quarters: list[date]) -> date | None:
    """The latest of `quarters` that every chosen organisation holding spend holds in full;
    None when none is."""
    held = _held(months, orgs)
    for q in sorted(quarters, reverse=True):
        if all(set(quarter_months(q)) <= m for m in held.values()):
            return q
    return None


def partial_note(months: pd.DataFrame, orgs, period: Period) -> str | None:
    """What a period's partial quarters hold, in a sentence: '2020/21 Q1 is partial: RQM
    holds April and May 2020; RAL holds none of it.' None when every quarter is complete."""
    held = _held(months, orgs)
    parts = []
    for q in quarters_between(period.first, period.last):
        lacking = missing_months(months, orgs, q)
        if not lacking:
            continue
        holds = []
        for org in sorted(lacking):
            have = [m for m in quarter_months(q) if m in held[org]]
            holds.append(f"{org} holds {months_text(have)} only" if have
                         else f"{org} holds none of it")
        parts.append(f"{quarter_label(q)} is partial: " + "; ".join(holds))
    if not parts:
        return None
    return ("Spend for " + (period.label if not period.is_quarter else "this quarter")
            + " is not complete. " + ". ".join(parts)
            + ". Its spend figures cover only the months held.")
