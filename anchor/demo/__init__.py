"""The demo footprint: Black Country and West Birmingham, 2014/15 Q1 to 2025/26 Q2.

`build_demo` replaces any earlier demo rows in one transaction. Every demo row is
marked `is_demo`, so the app shows a banner and `anchor.loading.remove_demo_data` can
take it out.
The build is seeded: the same geography gives the same warehouse every time.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
import pandas as pd

from anchor import summary
from anchor.auth import User, writes
from anchor.db import Warehouse, bump_data_version
from anchor.demo import reference as ref
from anchor.demo.directory import build_directory, build_surveys
from anchor.demo.estate import build_estate, quarters, synthetic_imd
from anchor.demo.spend import LOCAL_CLASSES, build_suppliers, invoice_lines, supplier_years
from anchor.demo.workforce import build_workforce
from anchor.geography.build import Progress, no_progress

SEED = 20141001
DEMO_TABLES = ("spend", "workforce", "estate", "supplier", "site", "organisation", "footprint",
               "category", "commitment", "supplier_survey", "staff_survey", "local_business")
_DELETE_DEMO = {t: f"delete from {t} where is_demo" for t in DEMO_TABLES}
# the organisation-quarters holding demo spend, whose summary a build or removal changes
_DEMO_QUARTERS = "select distinct org_code, quarter_start from spend where is_demo"


class DemoError(RuntimeError):
    pass


@dataclass(frozen=True)
class DemoReport:
    spend_lines: int
    suppliers: int
    workforce_rows: int
    estate_rows: int
    seconds: float


def _class_postcodes(wh: Warehouse) -> dict[str, pd.DataFrame]:
    """Live, precisely located postcodes for each supplier location class."""
    lads = {cls: [cls] for cls in LOCAL_CLASSES}
    lads["wm"] = list(ref.WEST_MIDLANDS_LADS)
    lads["national"] = list(ref.NATIONAL_LADS)
    out = {}
    for cls, codes in lads.items():
        df = wh.df(
            "select postcode, lad_code from geo_postcode where lad_code = any(?) and is_live"
            " and located_by = 'postcode' order by postcode",
            [codes],
        )
        if df.empty:
            raise DemoError(f"The geography has no postcodes in {', '.join(codes)}.")
        out[cls] = df
    return out


@writes("build the demo footprint")
def build_demo(wh: Warehouse, user: User, *, seed: int = SEED,
               progress: Progress = no_progress) -> DemoReport:
    started = time.perf_counter()
    if not wh.value("select count(*) from geo_postcode"):
        raise DemoError("The warehouse has no geography yet: run `anchor geo build` first.")
    rng = np.random.default_rng(seed)
    qs = quarters()

    progress(0.05, "Creating suppliers")
    class_postcodes = _class_postcodes(wh)
    pool = build_suppliers(rng, class_postcodes)
    progress(0.15, "Generating annual spend")
    years = supplier_years(rng, pool)
    progress(0.30, "Generating invoice lines")
    lines = invoice_lines(rng, years, pool)

    progress(0.50, "Generating staff")
    lsoa = wh.df("select lsoa_code, lad_code, easting, northing from geo_lsoa"
                 " where easting is not null order by lsoa_code")
    imd = synthetic_imd(rng, lsoa)
    site_en = dict(
        (pc, (e, n)) for pc, e, n in wh.rows(
            "select postcode, easting, northing from geo_postcode where postcode = any(?)",
            [[s.postcode for s in ref.SITES]])
    )
    missing = [s.postcode for s in ref.SITES if s.postcode not in site_en]
    if missing:
        raise DemoError(f"The geography does not contain the site postcodes {missing}.")
    workforce = build_workforce(rng, lsoa, imd, site_en)
    workforce["quarter_start"] = np.array(qs, dtype="datetime64[D]")[workforce["q"].to_numpy()]
    progress(0.70, "Generating estate returns")
    estate = build_estate(rng, qs)

    directory = build_directory(rng, pool, class_postcodes)
    supplier_survey, staff_survey = build_surveys(rng, pool)

    progress(0.80, "Writing the demo warehouse")
    suppliers = pool.frame.drop(columns=["category", "cls"])
    categories = pd.DataFrame(
        [(c.name, True, c.is_influenceable, c.description) for c in ref.CATEGORIES],
        columns=["category", "is_in_scope", "is_influenceable", "description"],
    )
    orgs = pd.DataFrame([(o.code, o.name, o.org_type, ref.FOOTPRINT_CODE) for o in ref.ORGS],
                        columns=["org_code", "name", "org_type", "footprint_code"])
    sites = pd.DataFrame([(s.code, s.org, s.name, s.postcode) for s in ref.SITES],
                         columns=["site_code", "org_code", "name", "postcode"])
    commitments = pd.DataFrame(ref.COMMITMENTS, columns=["org_code", "baseline_start",
                                                         "baseline_end", "kind", "amount",
                                                         "target_quarter", "made_in"])
    commitments["measure"] = "local_spend_share"
    with wh.transaction() as cur:
        touched = cur.execute(_DEMO_QUARTERS).fetchall()  # the earlier demo's, summed again
        for table in DEMO_TABLES:
            cur.execute(_DELETE_DEMO[table])
        # a footprint of this code loaded by the user is theirs, with its home place
        footprint_is_theirs = cur.execute("select count(*) from footprint where footprint_code = ?",
                                          [ref.FOOTPRINT_CODE]).fetchall()[0][0]
        if not footprint_is_theirs:
            cur.execute("delete from footprint_lad where footprint_code = ?", [ref.FOOTPRINT_CODE])
        load_id = cur.execute("select nextval('load_id_seq')").fetchall()[0][0]
        cur.execute(
            "insert into load (load_id, loaded_at, loaded_by, file_name, table_name, outcome,"
            " message, is_demo) values (?, ?, ?, null, 'demo', 'loaded', ?, true)",
            [load_id, datetime.now(UTC).replace(tzinfo=None), user.name,
             f"Synthetic demo footprint, seed {seed}"],
        )
        if not footprint_is_theirs:
            cur.execute("insert into footprint (footprint_code, name, is_demo) values (?, ?, true)",
                        [ref.FOOTPRINT_CODE, ref.FOOTPRINT_NAME])
            cur.executemany("insert into footprint_lad (footprint_code, lad_code) values (?, ?)",
                            [(ref.FOOTPRINT_CODE, lad) for lad in ref.HOME_LADS])
        for name, frame in [("organisation", orgs), ("site", sites), ("category", categories),
                            ("supplier", suppliers), ("commitment", commitments),
                            ("supplier_survey", supplier_survey), ("staff_survey", staff_survey),
                            ("local_business", directory)]:
            _insert_demo(cur, name, frame)
        cur.register("demo_lines", lines)
        cur.execute(
            """
            insert into spend by name
            select org_code, quarter_start::date as quarter_start, paid_date::date as paid_date,
                   supplier_id, category,
                   (amount_p::decimal(18, 0) / 100)::decimal(18, 2) as amount_gbp,
                   invoice_date::date as invoice_date, due_date::date as due_date,
                   ? as load_id, true as is_demo
            from demo_lines
            """,
            [load_id],
        )
        cur.unregister("demo_lines")
        wf = workforce.drop(columns=["q"]).astype({"starters": "int64", "apprentices": "int64",
                                                   "below_living_wage": "int64"})
        wf["load_id"] = load_id
        _insert_demo(cur, "workforce", wf)
        estate["load_id"] = load_id
        _insert_demo(cur, "estate", estate)
        # Synthetic deprivation only where no real deciles have been imported.
        if not cur.execute("select count(*) from imd_lsoa where not is_synthetic").fetchall()[0][0]:
            cur.execute("delete from imd_lsoa where is_synthetic")
            imd["source"] = "Synthetic deciles for the demo (not the English Indices of Deprivation)"
            imd["is_synthetic"] = True
            cur.register("demo_imd", imd)
            cur.execute("insert into imd_lsoa by name select * from demo_imd")
            cur.unregister("demo_imd")
        touched += cur.execute(_DEMO_QUARTERS).fetchall()
        for sql in _YIELD_TO_LOADED.values():
            cur.execute(sql)
        summary.refresh(cur, touched)
        bump_data_version(cur)
    progress(1.0, "Demo ready")
    return DemoReport(len(lines), len(suppliers), len(workforce), len(estate),
                      time.perf_counter() - started)


# Reference rows keyed by a code: the demo never overwrites a row the user has loaded.
_KEYS = {"organisation": "org_code", "site": "site_code", "supplier": "supplier_id",
         "category": "category", "footprint": "footprint_code",
         "supplier_survey": "supplier_id", "staff_survey": "org_code",
         "local_business": "business_id"}
_INSERT_DEMO = {
    t: f"insert into {t} by name select *, true as is_demo from demo_frame"
    + (f" where {_KEYS[t]} not in (select {_KEYS[t]} from {t})" if t in _KEYS else "")
    for t in DEMO_TABLES
}
# A commitment is keyed by who made it and its measure; one the user entered stays.
_INSERT_DEMO["commitment"] = """
    insert into commitment by name select *, true as is_demo from demo_frame as d
    where not exists (select 1 from commitment as c
                      where c.org_code = d.org_code and c.measure = d.measure)"""
# Quarterly rows: where the user has loaded an organisation's quarter, the demo stays out of it.
_YIELD_TO_LOADED = {
    t: f"delete from {t} where is_demo and (org_code, quarter_start) in"
       f" (select distinct org_code, quarter_start from {t} where not is_demo)"
    for t in ("spend", "workforce", "estate")
}


def _insert_demo(cur, table: str, frame: pd.DataFrame) -> None:
    cur.register("demo_frame", frame)
    cur.execute(_INSERT_DEMO[table])
    cur.unregister("demo_frame")


# The demo entries your own rows refer to, by table, in the order they are worked out: a
# site your estates returns name, then the organisations your rows (and those sites) belong
# to, the suppliers and categories your spend names, and the footprints of organisations
# that stay. Removing the demo keeps them, no longer marked demo, so no row of yours is
# left pointing at nothing.
_NEEDED = {
    "site": ("site_code", """
        select site_code from site
        where is_demo and site_code in (select site_code from estate where not is_demo)
        order by 1"""),
    "organisation": ("org_code", """
        select org_code from organisation
        where is_demo and org_code in (
            select org_code from spend where not is_demo
            union select org_code from workforce where not is_demo
            union select org_code from estate where not is_demo
            union select org_code from site
            where not is_demo or list_contains(?::varchar[], site_code))
        order by 1"""),
    "supplier": ("supplier_id", """
        select supplier_id from supplier
        where is_demo and supplier_id in (
            select supplier_id from spend where not is_demo
            union select supplier_id from supplier_survey where not is_demo
            union select supplier_id from local_business where not is_demo)
        order by 1"""),
    "category": ("category", """
        select category from category
        where is_demo and category in (select category from spend where not is_demo)
        order by 1"""),
    "footprint": ("footprint_code", """
        select footprint_code from footprint
        where is_demo and footprint_code in (
            select footprint_code from organisation
            where not is_demo or list_contains(?::varchar[], org_code))
        order by 1"""),
}
_KEEP = {t: f"update {t} set is_demo = false where list_contains(?::varchar[], {k})"
         for t, (k, _) in _NEEDED.items()}


def _needed(rows) -> dict[str, list[str]]:
    """`rows(sql, params)` -> tuples, through a warehouse or a cursor."""
    out: dict[str, list[str]] = {}
    params = {"organisation": lambda: [out["site"]], "footprint": lambda: [out["organisation"]]}
    for table, (_, sql) in _NEEDED.items():
        out[table] = [r[0] for r in rows(sql, params.get(table, list)())]
    return out


def kept_for_your_data(wh: Warehouse) -> dict[str, list[str]]:
    """The demo entries that removing the demo would keep because rows you loaded refer to
    them (an invoice line of yours for RXK, paid to a demo supplier): table -> codes."""
    return _needed(wh.rows)


def delete_demo_rows(cur) -> int:
    """Inside a caller's transaction (`anchor.loading.remove_demo_data`), delete every demo
    row, except the entries rows you loaded refer to (see `kept_for_your_data`), which stay
    and stop being the demo's; returns the number of spend lines removed."""
    n = cur.execute("select count(*) from spend where is_demo").fetchall()[0][0]
    touched = cur.execute(_DEMO_QUARTERS).fetchall()
    keep = _needed(lambda sql, params: cur.execute(sql, params).fetchall())
    for table, codes in keep.items():
        if codes:
            cur.execute(_KEEP[table], [codes])
    for table in DEMO_TABLES:
        cur.execute(_DELETE_DEMO[table])
    cur.execute("delete from footprint_lad where footprint_code not in"
                " (select footprint_code from footprint)")
    cur.execute("delete from imd_lsoa where is_synthetic")
    summary.refresh(cur, touched)
    return int(n)
