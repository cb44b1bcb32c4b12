"""Named places (LEPs, combined authorities, user-defined sets of LADs): read and save."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from anchor.auth import User, writes
from anchor.db import bump_data_version
from anchor.queries import registered
from anchor.queries.loads import record_change


@registered
def named_places(wh) -> pd.DataFrame:
    """place_code, name, kind, lad_codes (list), lad_names (list)."""
    return wh.df(
        """
        select p.place_code, p.name, p.kind,
               list(m.lad_code order by m.lad_code) as lad_codes,
               list(coalesce(l.lad_name, m.lad_code) order by m.lad_code) as lad_names
        from place as p
        join place_lad as m using (place_code)
        left join geo_lad as l using (lad_code)
        group by p.place_code, p.name, p.kind
        order by p.kind, p.name
        """
    )


@writes("change a place")
def save_place(wh, place_code: str, name: str, kind: str, lad_codes: Sequence[str],
               user: User) -> None:
    """Create or replace a named place's members, all at once, recording who in the audit
    trail. Analysts only."""
    if not lad_codes:
        raise ValueError(f"{name} needs at least one local authority.")
    unknown = set(lad_codes) - {r[0] for r in wh.rows(
        "select lad_code from geo_lad where lad_code = any(?)", [list(lad_codes)])}
    if unknown:
        raise ValueError(f"Unknown local authority codes: {', '.join(sorted(unknown))}.")
    with wh.transaction() as cur:
        cur.execute("delete from place_lad where place_code = ?", [place_code])
        cur.execute("delete from place where place_code = ?", [place_code])
        cur.execute("insert into place values (?, ?, ?, false)", [place_code, name, kind])
        cur.executemany("insert into place_lad values (?, ?)",
                        [(place_code, c) for c in sorted(set(lad_codes))])
        record_change(cur, user, "place", "saved",
                      f"{name} ({place_code}): {len(set(lad_codes))} local authorities.")
        bump_data_version(cur)
