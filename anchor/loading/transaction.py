"""Writing a checked file, and undoing it: each in one transaction, audited, reversible.

A load replaces exactly the slices its file holds: for spend every line of each
organisation-month the file is for (anchor/loading/months.py; stray lines it keeps are added
to their own months and replace nothing); for workforce and estates every row of each
organisation and quarter in the file; for the supplier register, organisations
and sites, each entry whose code is in the file (and, for organisations, the footprints whose
name or home local authorities the file changes). The rows it replaces move to
`<table>_replaced`, marked with the load that replaced them, so `undo` can put them back
exactly. Nothing is visible to anyone until the
transaction commits; a crash before then leaves the warehouse as it was (DuckDB discards
an uncommitted transaction when it next opens the file).
"""

from __future__ import annotations

import errno
import importlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

import duckdb
import pandas as pd

from anchor import summary
from anchor.auth import User, writes
from anchor.db import Warehouse, bump_data_version
from anchor.loading import months
from anchor.loading.layouts import TableSpec, remembered_columns
from anchor.loading.readers import UnreadableFile, read_many, sha256_of
from anchor.loading.validation import (
    MONTH_OF_PAYMENT,
    SHRINK_WARNING,
    CheckedFile,
    Progress,
    check_many,
    first_problem,
    no_progress,
    plural,
)
from anchor.places import Place
from anchor.queries.loads import record_change

if TYPE_CHECKING:
    from anchor.loading.preview import Preview

# The preview of a load lives in anchor/loading/preview.py; its names are still read from here.
_MOVED_TO_PREVIEW = ("Preview", "preview", "default_place", "default_place_of_footprint",
                     "entry_changes")


def __getattr__(name: str):
    if name in _MOVED_TO_PREVIEW:  # the package's `preview` is the function, not the module
        return getattr(importlib.import_module("anchor.loading.preview"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class LoadError(RuntimeError):
    """A load or undo that cannot go ahead; the message says why, for the analyst."""


class InvalidFile(LoadError):
    """The file has errors: nothing is written."""


class WarehouseChanged(LoadError):
    """What the load would replace is no longer what the preview showed."""


# The warehouse tables a load writes, each with its archive and how its new rows are cast.
_INSERT = {
    "spend": """
        insert into spend by name
        select org_code, quarter_start::date as quarter_start, paid_date::date as paid_date,
               supplier_id, category, amount_gbp::decimal(18, 2) as amount_gbp,
               invoice_date::date as invoice_date, due_date::date as due_date,
               transaction_number, ? as load_id, false as is_demo
        from load_rows""",
    "workforce": """
        insert into workforce by name
        select org_code, quarter_start::date as quarter_start, home_lsoa, staff_group, afc_band,
               headcount::integer as headcount, fte::double as fte,
               gross_pay_gbp::decimal(18, 2) as gross_pay_gbp, starters::integer as starters,
               apprentices::integer as apprentices,
               below_living_wage::integer as below_living_wage, ? as load_id, false as is_demo
        from load_rows""",
    "estate": """
        insert into estate by name
        select org_code, site_code, quarter_start::date as quarter_start,
               site_area_ha::double as site_area_ha,
               land_not_delivering_ha::double as land_not_delivering_ha, gia_m2::double as gia_m2,
               occupied_m2::double as occupied_m2, empty_m2::double as empty_m2,
               underused_m2::double as underused_m2, clinical_m2::double as clinical_m2,
               non_clinical_m2::double as non_clinical_m2,
               backlog_cost_gbp::decimal(18, 2) as backlog_cost_gbp,
               energy_kwh::double as energy_kwh, carbon_tco2e::double as carbon_tco2e,
               community_use_hours::double as community_use_hours, ? as load_id,
               false as is_demo
        from load_rows""",
    "supplier": """
        insert into supplier by name
        select supplier_id, name, postcode, company_number, is_sme::boolean as is_sme,
               is_vcse::boolean as is_vcse, is_public_body::boolean as is_public_body,
               ? as load_id, false as is_demo
        from load_rows""",
    "organisation": """
        insert into organisation by name
        select org_code, name, org_type, footprint_code, postcode, ? as load_id,
               false as is_demo
        from load_rows""",
    "site": """
        insert into site by name
        select site_code, org_code, name, postcode, ? as load_id, false as is_demo
        from load_rows""",
    "footprint": """
        insert into footprint by name
        select footprint_code, name, ? as load_id, false as is_demo
        from load_footprint""",
    "footprint_lad": """
        insert into footprint_lad by name
        select footprint_code, lad_code, ? as load_id
        from load_footprint_lad""",
}
# Keyed tables: a load replaces the entries whose codes its file holds (codes compare in
# upper case, as the file's are). Each: (key column, the registered frame of new rows).
_KEYS = {
    "organisation": ("org_code", "load_rows"),
    "site": ("site_code", "load_rows"),
    "footprint": ("footprint_code", "load_footprint"),
    "footprint_lad": ("footprint_code", "load_footprint_lad"),
}
_KEYED = {
    t: {
        "count": f"select count(*) from {t} where upper({k}) in (select {k} from {src})",
        # what each organisation in the file replaces (organisations and sites)
        "by_org": f"""
            select l.org_code, count(t.{k}) as rows_replaced
            from load_rows as l
            left join {t} as t on upper(t.{k}) = l.{k}
            group by l.org_code""" if src == "load_rows" else "",
        "archive": f"""
            insert into {t}_replaced by name
            select t.*, ? as replaced_by from {t} as t
            where upper(t.{k}) in (select {k} from {src})""",
        "delete": f"delete from {t} where upper({k}) in (select {k} from {src})",
    }
    for t, (k, src) in _KEYS.items()
}
# The tables a load of each kind writes, in the order undo puts them back: footprints
# before their home local authorities and the organisations that belong to them.
_WRITES = {
    "spend": ("spend",), "workforce": ("workforce",), "estate": ("estate",),
    "supplier": ("supplier",), "organisation": ("footprint", "footprint_lad", "organisation"),
    "site": ("site",), "commitment": ("commitment",),
    # suppliers placed from Companies House and NHS Digital, or corrected by hand
    # (anchor/loading/companies.py): each a load of its own, undone as one
    "supplier_location": ("supplier",),
}
# Sliced tables: a load replaces whole organisation-quarters.
_SLICED = {
    t: {
        "count": f"""
            select k.org_code, k.quarter_start::date as quarter_start,
                   count(t.org_code) as rows_replaced
            from load_slices as k
            left join {t} as t
              on t.org_code = k.org_code and t.quarter_start = k.quarter_start::date
            group by all""",
        "archive": f"""
            insert into {t}_replaced by name
            select t.*, ? as replaced_by
            from {t} as t
            join load_slices as k
              on t.org_code = k.org_code and t.quarter_start = k.quarter_start::date""",
        "delete": f"""
            delete from {t} using load_slices as k
            where {t}.org_code = k.org_code and {t}.quarter_start = k.quarter_start::date""",
    }
    for t in ("workforce", "estate")
}
# Spend is sliced by month of payment: a load replaces the organisation-months its file is
# for (load_months: org_code, quarter_start, month_start). The quarter narrows the search.
_SPEND_MONTH = ("t.org_code = k.org_code and t.quarter_start = k.quarter_start::date"
                " and " + MONTH_OF_PAYMENT.format(t="t") + " = k.month_start::date")
_SPEND_MONTHS = {
    "count": f"""
        select k.org_code, k.month_start::date as month_start,
               count(t.org_code) as rows_replaced,
               coalesce(sum(t.amount_gbp), 0)::double as gbp_replaced
        from load_months as k
        left join spend as t on {_SPEND_MONTH}
        group by all""",
    "archive": f"""
        insert into spend_replaced by name
        select t.*, ? as replaced_by
        from spend as t
        join load_months as k on {_SPEND_MONTH}""",
    "delete": f"""
        delete from spend as t using load_months as k
        where {_SPEND_MONTH}""",
}
# The demo is still there while any of its rows is. Organisations alone will not do: a load
# may have replaced every demo organisation while the demo's spend and categories remain.
_DEMO_PRESENT = ("(exists (select 1 from organisation where is_demo)"
                 " or exists (select 1 from category where is_demo)"
                 " or exists (select 1 from spend where is_demo))")
_UNDO = {
    t: {
        "later": f"select distinct replaced_by from {t}_replaced where load_id = ?",
        "delete": f"delete from {t} where load_id = ?",
        # demo rows come back only while the demo is there: once it has been removed (by
        # `anchor demo --remove` or the Data page), undoing a load must not bring it back
        "restore": f"insert into {t} by name select * exclude (replaced_by) from {t}_replaced"
                   f" where replaced_by = ? and (not is_demo or {_DEMO_PRESENT})",
        "forget": f"delete from {t}_replaced where replaced_by = ?",
    }
    for t in ("spend", "workforce", "estate", "supplier", "organisation", "site", "footprint",
              "footprint_lad", "commitment")
}
# Home local authorities have no demo flag of their own: they come back with their footprint,
# and never over a list the demo has written since.
_UNDO["footprint_lad"]["restore"] = """
    insert into footprint_lad by name
    select * exclude (replaced_by) from footprint_lad_replaced as r
    where replaced_by = ?
      and footprint_code in (select footprint_code from footprint)
      and not exists (select 1 from footprint_lad as f
                      where f.footprint_code = r.footprint_code and f.lad_code = r.lad_code)"""
# What a load added that other data may refer to: undo waits for that data to go first.
_ADDED = {
    "organisation": ("org_code", "select org_code from organisation where load_id = ? except"
                                 " select org_code from organisation_replaced where replaced_by = ?"),
    "site": ("site_code", "select site_code from site where load_id = ? except"
                          " select site_code from site_replaced where replaced_by = ?"),
    # a register load's new entries, and the suppliers a spend file named that the register
    # did not have
    "supplier": ("supplier_id", "select supplier_id from supplier where load_id = ? except"
                                " select supplier_id from supplier_replaced where replaced_by = ?"),
}
_REFERRING = {
    "organisation": """
        select distinct load_id from (
            select org_code, load_id from spend
            union all select org_code, load_id from workforce
            union all select org_code, load_id from estate
            union all select org_code, load_id from site)
        where org_code = any(?) and load_id is distinct from ?
        order by 1 nulls last""",
    "site": """
        select distinct load_id from estate
        where upper(site_code) = any(?) and load_id is distinct from ?
        order by 1 nulls last""",
    "footprint": """
        select distinct load_id from organisation
        where footprint_code = any(?) and load_id is distinct from ?
        order by 1 nulls last""",
    "supplier": """
        select distinct load_id from (
            select supplier_id, load_id from spend
            union all select supplier_id, load_id from supplier_survey
            union all select supplier_id, load_id from local_business)
        where supplier_id = any(?) and load_id is distinct from ?
        order by 1 nulls last""",
}
# Besides the tables it writes, the other tables whose rows a load of each kind may have
# written and a later load replaced: a spend file's new suppliers, which a register load
# can replace with a full entry.
_ALSO_WRITES = {"spend": ("supplier", "organisation")}
_NEW_FOOTPRINTS = ("select footprint_code from footprint where load_id = ? except"
                   " select footprint_code from footprint_replaced where replaced_by = ?")


# The organisation-quarters whose spend an undo changes: what the load added and replaced.
_SPEND_UNDONE = ("select distinct org_code, quarter_start from spend where load_id = ? union"
                 " select distinct org_code, quarter_start from spend_replaced where replaced_by = ?")


def _spend_quarters(slices: pd.DataFrame) -> list[tuple[str, date]]:
    keys = slices[["org_code", "quarter_start"]].drop_duplicates()
    return [(o, pd.Timestamp(q).date()) for o, q in keys.itertuples(index=False)]


UNDOABLE_TABLES = tuple(_WRITES)
# footprint_lad has no demo flag: it comes back only with its footprint.
_DELETE_REPLACED_DEMO = {t: f"delete from {t}_replaced where is_demo"
                         for t in _UNDO if t != "footprint_lad"}


@dataclass(frozen=True)
class LoadResult:
    load_id: int
    table: str
    slices: pd.DataFrame  # org_code, quarter_start, rows_added, rows_replaced
    new_suppliers: int
    # other tables written: table_name, rows_added, rows_replaced (footprints and their
    # home local authorities, for an organisations file)
    related: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def rows_added(self) -> int:
        return int(self.slices["rows_added"].sum())

    @property
    def rows_replaced(self) -> int:
        return int(self.slices["rows_replaced"].sum())


@dataclass(frozen=True)
class UndoResult:
    load_id: int
    table: str
    rows_removed: int
    rows_restored: int


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _apply(cur, checked: CheckedFile, load_id: int | None,
           progress: Progress) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Replace the file's slices inside the caller's transaction. Returns each slice with the
    rows it adds and replaces, and the same for the other tables it writes (table_name,
    rows_added, rows_replaced). `load_id` None is a preview: nothing is archived."""
    table = checked.spec.table
    rows = checked.rows
    related: list[dict] = []
    cur.register("load_rows", rows)
    try:
        if table in ("organisation", "site"):
            sql = _KEYED[table]
            counts = cur.execute(sql["by_org"]).df()
            slices = (checked.slices.rename(columns={"rows": "rows_added"})
                      .merge(counts, on="org_code", how="left"))
            if load_id is not None:
                progress(0.3, "Keeping the entries being replaced, for undo")
                cur.execute(sql["archive"], [load_id])
            cur.execute(sql["delete"])
        elif table == "supplier":
            replaced = cur.execute(
                "select count(*) from supplier where supplier_id in"
                " (select supplier_id from load_rows)").fetchall()[0][0]
            slices = pd.DataFrame({"org_code": [None], "quarter_start": [None],
                                   "rows_added": [len(rows)], "rows_replaced": [replaced]})
            if load_id is not None:
                cur.execute("insert into supplier_replaced by name select s.*, ? as replaced_by"
                            " from supplier as s join load_rows using (supplier_id)", [load_id])
            progress(0.5, "Replacing suppliers")
            cur.execute("delete from supplier where supplier_id in"
                        " (select supplier_id from load_rows)")
        elif table == "spend":
            if not checked.new_organisations.empty:  # a council the file is the first of
                cur.register("load_new_organisations", checked.new_organisations)
                cur.execute(
                    "insert into organisation by name select org_code, name, org_type,"
                    " footprint_code, postcode::varchar as postcode, ? as load_id,"
                    " false as is_demo from load_new_organisations"
                    " where upper(org_code) not in (select upper(org_code) from organisation)",
                    [load_id])
                cur.unregister("load_new_organisations")
                related.append({"table_name": "organisation",
                                "rows_added": len(checked.new_organisations),
                                "rows_replaced": 0})
            slices = _replace_months(cur, checked, load_id, progress)
        else:
            keys = checked.slices[["org_code", "quarter_start"]]
            cur.register("load_slices", keys)
            sql = _SLICED[table]
            counts = cur.execute(sql["count"]).df()
            counts["quarter_start"] = pd.to_datetime(counts["quarter_start"])
            slices = (checked.slices.rename(columns={"rows": "rows_added"})
                      .astype({"quarter_start": counts["quarter_start"].dtype})
                      .merge(counts, on=["org_code", "quarter_start"], how="left"))
            if load_id is not None:
                progress(0.3, "Keeping the rows being replaced, for undo")
                cur.execute(sql["archive"], [load_id])
            progress(0.4, "Removing the rows being replaced")
            cur.execute(sql["delete"])
            cur.unregister("load_slices")
        progress(0.5, f"Writing {len(rows):,} rows")
        cur.execute(_INSERT[table], [load_id])
        if table == "spend":  # the summary of every organisation-quarter the file writes
            summary.refresh(cur, _spend_quarters(checked.slices))
        if not checked.new_suppliers.empty:
            cur.register("load_new_suppliers", checked.new_suppliers)
            cur.execute(
                "insert into supplier (supplier_id, name, vat_number, company_number, load_id,"
                " is_demo) select supplier_id, name, vat_number, company_number, ?, false"
                " from load_new_suppliers"
                " where supplier_id not in (select supplier_id from supplier)", [load_id])
            cur.unregister("load_new_suppliers")
        for other, frame in checked.related.items():
            if not frame.empty:
                related.append(_replace_keyed(cur, other, frame, load_id))
    finally:
        cur.unregister("load_rows")
    slices["rows_replaced"] = slices["rows_replaced"].fillna(0).astype("int64")
    return slices, pd.DataFrame(related, columns=["table_name", "rows_added", "rows_replaced"])


def _replace_months(cur, checked: CheckedFile, load_id: int | None,
                    progress: Progress) -> pd.DataFrame:
    """Remove (and, for a load, archive) the spend of the organisation-months the file is
    for. Returns every organisation-month it writes with the lines and £ it adds and
    replaces (org_code, quarter_start, month_start, rows_added, gbp_added, rows_replaced,
    gbp_replaced, replaces)."""
    slices = checked.slices.rename(columns={"rows": "rows_added", "gbp": "gbp_added"})
    keys = slices.loc[slices["replaces"], ["org_code", "quarter_start", "month_start"]]
    cur.register("load_months", keys)
    try:
        counts = cur.execute(_SPEND_MONTHS["count"]).df()
        if load_id is not None:
            progress(0.3, "Keeping the lines being replaced, for undo")
            cur.execute(_SPEND_MONTHS["archive"], [load_id])
        progress(0.4, "Removing the lines being replaced")
        cur.execute(_SPEND_MONTHS["delete"])
    finally:
        cur.unregister("load_months")
    counts["month_start"] = pd.to_datetime(counts["month_start"]).astype(
        slices["month_start"].dtype)
    out = slices.merge(counts, on=["org_code", "month_start"], how="left")
    out["gbp_replaced"] = out["gbp_replaced"].fillna(0.0)
    return out


def shrinking(slices: pd.DataFrame) -> pd.DataFrame:
    """The slices a load would leave with fewer than half the rows they hold now (of spend,
    only the months it replaces): a few stray lines replacing a whole month or quarter."""
    if slices.empty or "rows_replaced" not in slices:
        return slices.iloc[0:0]
    replacing = slices["replaces"] if "replaces" in slices else True
    return slices[replacing & (slices["rows_added"] < slices["rows_replaced"] * SHRINK_WARNING)]


def _replace_keyed(cur, table: str, frame: pd.DataFrame, load_id: int | None) -> dict:
    """Replace the entries of `table` whose codes `frame` holds (for home local authorities,
    each footprint's whole list) with `frame`'s rows."""
    source = _KEYS[table][1]
    sql = _KEYED[table]
    cur.register(source, frame)
    try:
        replaced = int(cur.execute(sql["count"]).fetchall()[0][0])
        if load_id is not None:
            cur.execute(sql["archive"], [load_id])
        cur.execute(sql["delete"])
        cur.execute(_INSERT[table], [load_id])
    finally:
        cur.unregister(source)
    return {"table_name": table, "rows_added": len(frame), "rows_replaced": replaced}


def _same_replacements(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    cols = [c for c in ("org_code", "quarter_start", "month_start", "rows_replaced") if c in a]
    return a[cols].astype("str").values.tolist() == b[cols].astype("str").values.tolist()


# What the audit trail keeps of a spend load's months (none for other loads).
_MONTH_AUDIT = ("month_start", "gbp_added", "gbp_replaced", "is_stray")


@writes("load data")
def load(wh: Warehouse, checked: CheckedFile, user: User, *,
         expected: pd.DataFrame | None = None, progress: Progress = no_progress) -> LoadResult:
    """Write a checked file in one transaction and record it in the audit trail.

    Refuses anyone below analyst, and any file with errors, before writing. `expected` is
    the preview's slices: if what would be replaced has changed since, nothing is written.
    """
    if not checked.ok:
        raise InvalidFile(checked.summary())
    try:
        return _write(wh, checked, user, expected, progress)
    except (OSError, duckdb.IOException) as exc:
        raise _write_failed(wh, checked, user, exc) from exc


def _write(wh: Warehouse, checked: CheckedFile, user: User, expected: pd.DataFrame | None,
           progress: Progress) -> LoadResult:
    with wh.transaction() as cur:
        load_id = int(cur.execute("select nextval('load_id_seq')").fetchall()[0][0])
        slices, related = _apply(cur, checked, load_id, progress)
        if expected is not None and not _same_replacements(slices, expected):
            raise WarehouseChanged(
                "The data this file replaces has changed since the preview (another load?). "
                "Nothing was written; check the file again.")
        if load_id is not None and not checked.aliases.empty:
            _remember_aliases(cur, checked.aliases, user, load_id)
        progress(0.9, "Recording the load")
        cur.execute(
            "insert into load (load_id, loaded_at, loaded_by, file_name, sha256, table_name,"
            " outcome, message) values (?, ?, ?, ?, ?, ?, 'loaded', ?)",
            [load_id, _now(), user.name, checked.file_name, checked.sha256, checked.spec.table,
             checked.summary()],
        )
        audit = slices.assign(load_id=load_id, table_name=checked.spec.table)
        if not checked.new_suppliers.empty:
            audit = pd.concat([audit, pd.DataFrame([{
                "load_id": load_id, "table_name": "supplier", "org_code": None,
                "quarter_start": None, "rows_added": len(checked.new_suppliers),
                "rows_replaced": 0}])], ignore_index=True)
        if not related.empty:
            audit = pd.concat([audit, related.assign(load_id=load_id, org_code=None,
                                                     quarter_start=None)], ignore_index=True)
        if "replaces" in audit:
            audit["is_stray"] = ~audit.pop("replaces").astype("boolean")
        audit = audit.reindex(columns=[*audit.columns,
                                       *(c for c in _MONTH_AUDIT if c not in audit)])
        cur.register("load_audit", audit)
        cur.execute("insert into load_slice by name select load_id, table_name, org_code,"
                    " quarter_start::date as quarter_start, rows_added::integer as rows_added,"
                    " rows_replaced::integer as rows_replaced,"
                    " month_start::date as month_start,"
                    " gbp_added::decimal(18, 2) as gbp_added,"
                    " gbp_replaced::decimal(18, 2) as gbp_replaced,"
                    " is_stray::boolean as is_stray from load_audit")
        cur.unregister("load_audit")
        bump_data_version(cur)
        progress(0.95, "Committing")
    progress(1.0, "Loaded")
    return LoadResult(load_id, checked.spec.table, slices, len(checked.new_suppliers), related)


def _remember_aliases(cur, confirmed: pd.DataFrame, user: User, load_id: int) -> None:
    """The spellings the analyst confirmed with this load, read as their organisation from
    now on: like a remembered column mapping, they outlive an undo of the load."""
    cur.register("load_aliases", confirmed)
    try:
        cur.execute("insert or replace into org_alias by name select alias_key, alias, org_code,"
                    " ? as saved_at, ? as saved_by, ? as load_id from load_aliases",
                    [_now(), user.name, load_id])
    finally:
        cur.unregister("load_aliases")


def _write_failed(wh: Warehouse, checked: CheckedFile, user: User, exc: Exception, *,
                  audit: bool = True) -> LoadError:
    """What the analyst is told when the warehouse could not be written (the disk is full,
    or the file cannot be written): the transaction has rolled back, so nothing was loaded.
    With `audit`, the failure is recorded in the audit trail, or the message says it could
    not be; a preview, which keeps nothing by design, records nothing."""
    full = getattr(exc, "errno", None) == errno.ENOSPC or "No space left on device" in str(exc)
    if full:
        message = (f"The disk holding the warehouse is full: {checked.file_name} could not be "
                   f"written to {wh.path}, so nothing was loaded. Free some space on that "
                   f"disk and load the file again. ({exc})")
    else:
        message = (f"The warehouse {wh.path} could not be written: nothing was loaded from "
                   f"{checked.file_name}. ({exc})")
    if not audit:
        return LoadError(message)
    try:
        _audit(wh, user, checked.spec.table, checked.file_name, checked.sha256, "failed",
               message[:2000])
    except (OSError, duckdb.Error) as audit_exc:
        message += (" The audit trail could not record this failure either, so it is not in "
                    f"the load history ({audit_exc}).")
    return LoadError(message)


def rejection_message(checked: CheckedFile | None, message: str) -> str:
    """What the audit trail says of a refused file: how many problems, and the first.
    `message` is the reason when the file could not be read at all (one problem)."""
    if checked is not None and not checked.errors.empty:
        n, first = len(checked.errors), "First: " + first_problem(checked.errors)
    else:
        n, first = 1, message
    return f"{plural(n, 'problem')}; nothing was loaded. {first}"[:2000]


@writes("record a refused file")
def record_rejection(wh: Warehouse, checked: CheckedFile | None, user: User, table: str,
                     file_name: str, message: str, sha256: str | None = None) -> int:
    """Audit a file that was offered and refused, from the sidebar or the command line: one
    `load` row (outcome 'rejected': who, when, the file's name and sha256, the number of
    problems and the first). No data changes, so the data version stays as it is and no
    one's cached figures are thrown away."""
    return _audit(wh, user, table, file_name, checked.sha256 if checked else sha256,
                  "rejected", rejection_message(checked, message))


def _audit(wh: Warehouse, user: User, table: str, file_name: str, sha256: str | None,
           outcome: str, message: str) -> int:
    """One `load` row for a file that changed nothing: refused ('rejected'), or whose write
    failed ('failed')."""
    with wh.transaction() as cur:
        load_id = int(cur.execute("select nextval('load_id_seq')").fetchall()[0][0])
        cur.execute(
            "insert into load (load_id, loaded_at, loaded_by, file_name, sha256, table_name,"
            " outcome, message) values (?, ?, ?, ?, ?, ?, ?, ?)",
            [load_id, _now(), user.name, file_name, sha256, table, outcome, message],
        )
    return load_id


@dataclass(frozen=True)
class Offered:
    """A file offered in the sidebar, read, checked and (when it has no errors) previewed.
    `error` is why it could not be read at all; `refusal_id` the audit row of a refusal."""

    checked: CheckedFile | None
    preview: Preview | None
    error: str | None = None
    refusal_id: int | None = None


@writes("check a file for loading")
def check_offered(wh: Warehouse, name: str, data: bytes, spec: TableSpec, user: User, *,
                  quarter: date | None = None, stray_rows: str = months.LEAVE_OUT,
                  org: str | None = None, skip_bad_rows: bool = False,
                  more: Sequence[tuple[str, bytes]] = (),
                  place: Place | None = None,
                  context: tuple[list[str], date, date] | None = None,
                  progress: Progress = no_progress) -> Offered:
    """What the sidebar does with an uploaded file before anyone presses Load: read it
    (finding its header among the layouts mapped before too), check it and preview it. A
    file that cannot be read or has errors is refused and audited as `anchor load` audits
    it (`record_rejection`): nothing else is written. `more` are further files uploaded
    with it (a zip's files count as files), checked and loaded with it as one."""
    files = [(name, data), *more]
    shown = ", ".join(n for n, _ in files)
    try:
        raws = read_many(files, known_columns=remembered_columns(wh),
                         split_sheets=spec.key == "spend")
        if len(raws) > 1 and spec.key != "spend":
            raise UnreadableFile(f"{spec.label} loads one file at a time; several files at "
                                 "once are for spend (a year of monthly files).")
    except UnreadableFile as exc:
        sha = sha256_of(b"".join(d for _, d in files))
        refusal = record_rejection(wh, None, user, spec.table, shown, str(exc), sha)
        return Offered(None, None, str(exc), refusal)
    checked = check_many(wh, raws, spec, quarter=quarter, stray_rows=stray_rows, org=org,
                         skip_bad_rows=skip_bad_rows,
                         progress=lambda f, m: progress(0.8 * f, m))
    if not checked.ok:
        refusal = record_rejection(wh, checked, user, spec.table, checked.file_name,
                                   checked.summary())
        return Offered(checked, None, None, refusal)
    from anchor.loading.preview import preview

    progress(0.85, "Working out what would change")
    return Offered(checked, preview(wh, checked, user, place, context))


@writes("undo a load")
def undo(wh: Warehouse, load_id: int, user: User, *,
         progress: Progress = no_progress) -> UndoResult:
    """Put back exactly what load `load_id` replaced, and remove what it added."""
    with wh.transaction() as cur:
        found = cur.execute("select table_name, outcome, is_demo, undone_at, undone_by from load"
                            " where load_id = ?", [load_id]).fetchall()
        if not found:
            raise LoadError(f"There is no load {load_id}.")
        table, outcome, is_demo, undone_at, undone_by = found[0]
        if is_demo:
            raise LoadError(f"Load {load_id} built the demo footprint; remove the demo on the "
                            "Data page instead.")
        if outcome not in ("loaded", "rejected", "failed", "undone"):
            raise LoadError(f"Entry {load_id} of the audit trail is a change made by hand "
                            f"({outcome}), not a load: make the change again instead.")
        if table not in _WRITES:
            raise LoadError(f"Load {load_id} wrote {table}, which keeps no earlier rows to put "
                            "back: load the earlier file again instead.")
        if outcome == "undone":
            raise LoadError(f"Load {load_id} was already undone, on {undone_at:%d %b %Y %H:%M} "
                            f"by {undone_by}.")
        if outcome != "loaded":
            what = "failed" if outcome == "failed" else f"was {outcome}"
            raise LoadError(f"Load {load_id} {what}: it changed nothing, so there is "
                            "nothing to undo.")
        tables = _WRITES[table]
        later = sorted({r[0] for t in (*tables, *_ALSO_WRITES.get(table, ()))
                        for r in cur.execute(_UNDO[t]["later"], [load_id]).fetchall()})
        if later:
            names = ", ".join(str(n) for n in later)
            raise LoadError(f"Later loads ({names}) replaced rows that load {load_id} wrote. "
                            f"Undo load {later[-1]} first.")
        _refuse_if_referred_to(cur, table, load_id)
        touched = cur.execute(_SPEND_UNDONE, [load_id, load_id]).fetchall() \
            if table == "spend" else []
        progress(0.3, "Removing the rows the load added")
        removed = {t: cur.execute(_UNDO[t]["delete"], [load_id]).fetchall()[0][0]
                   for t in tables}
        progress(0.6, "Putting back the rows it replaced")
        restored = {}
        for t in tables:
            restored[t] = cur.execute(_UNDO[t]["restore"], [load_id]).fetchall()[0][0]
            cur.execute(_UNDO[t]["forget"], [load_id])
        if table == "spend":
            # the suppliers this load added from names in the file, and a council it added
            # as an organisation: nothing else refers to them (checked above), so the
            # register and the organisations are again as they were before the load
            cur.execute(_UNDO["supplier"]["delete"], [load_id])
            cur.execute(_UNDO["organisation"]["delete"], [load_id])
            summary.refresh(cur, touched)
        cur.execute("update load set outcome = 'undone', undone_at = ?, undone_by = ?"
                    " where load_id = ?", [_now(), user.name, load_id])
        bump_data_version(cur)
    progress(1.0, "Undone")
    main = tables[-1]  # the table the load is named for, or the one it writes
    return UndoResult(load_id, table, int(removed[main]), int(restored[main]))


def _refuse_if_referred_to(cur, table: str, load_id: int) -> None:
    """Refuse to undo a load whose new organisations, footprints or sites other data now
    refers to: undoing it would leave that data pointing at nothing."""
    checks = []
    if table in _ADDED:
        checks.append((f"{table}s", table, _ADDED[table][1]))
    if table == "organisation":
        checks.append(("footprints", "footprint", _NEW_FOOTPRINTS))
    if table == "spend":  # the suppliers it added from names in the file, and a council
        checks.append(("suppliers", "supplier", _ADDED["supplier"][1]))
        checks.append(("organisations", "organisation", _ADDED["organisation"][1]))
    for what, kind, added_sql in checks:
        added = sorted(r[0] for r in cur.execute(added_sql, [load_id, load_id]).fetchall())
        if not added:
            continue
        loads = [r[0] for r in cur.execute(_REFERRING[kind], [added, load_id]).fetchall()]
        if not loads:
            continue
        named = [str(n) for n in loads if n is not None]
        by = f"loads {', '.join(named)}" if named else ""
        if None in loads:
            by += (" and " if by else "") + "rows not from any load"
        if kind == "supplier":  # name the ones referred to, a few at most
            added = sorted(r[0] for r in cur.execute(
                "select distinct supplier_id from spend where supplier_id = any(?)"
                " and load_id is distinct from ? order by 1", [added, load_id]).fetchall()
                ) or added
        shown = ", ".join(added[:5]) + (f" and {len(added) - 5:,} more" if len(added) > 5 else "")
        raise LoadError(f"Load {load_id} added {what} ({shown}) that other data now refers "
                        f"to ({by}). Undo those loads first.")


@writes("remove the demo data")
def remove_demo_data(wh: Warehouse, user: User) -> int:
    """Delete every demo row (`anchor.demo.delete_demo_rows`; the demo entries rows you
    loaded refer to stay, as yours), and the demo rows that loads had replaced, so that
    undoing one of those loads cannot bring demo data back; all in one transaction that
    records who removed it. Returns the number of demo invoice lines removed."""
    from anchor.demo import delete_demo_rows

    with wh.transaction() as cur:
        n = delete_demo_rows(cur)
        for sql in _DELETE_REPLACED_DEMO.values():
            cur.execute(sql)
        record_change(cur, user, "demo", "removed",
                      f"Removed the demo footprint ({plural(n, 'invoice line')}).",
                      rows_replaced=n)
        bump_data_version(cur)
    return n
