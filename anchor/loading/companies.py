"""Where suppliers are: Companies House's register, NHS Digital's organisations, and an
analyst's own correction, each recorded on the supplier with how it was found.

Published "spend over £25k" files name suppliers but give no postcode, so their spend has no
known location. Companies House publishes every live company's registered office free as
"Basic Company Data" (one CSV, or several zipped parts, about 5 million companies): an analyst
imports it as published, as with the deprivation file, and nothing is downloaded here.

A supplier without a postcode is then placed, in this order, and only ever filled, never
overwriting a postcode a register, a file or an analyst gave:

1. **By company number**: the supplier's own (a supplier register's `company_number`), or
   the one a spend file writes after its name ("KINGS COLLEGE LONDON:03529700"). Certain.
2. **NHS and other public bodies by name**, matched to the organisations held (NHS
   Digital's files): their headquarters' postcode, and flagged a public body, so their spend
   is not influenceable. A name with "NHS" in it that matches none is flagged a public body
   with no location.
3. **By name** (normalised: case, punctuation, "&", "The" and Limited/Ltd/PLC/LLP endings
   aside): high confidence when exactly one company has that name and it is active, medium
   when it is not, or when several do but one of them alone is active; several active
   companies of one name are not matched and are listed for review.

Companies matched also give flags the supplier lacks: SME from the accounts it files (micro,
small, medium, total exemption and abridged accounts: an SME; full and group accounts: not),
and VCSE from its category (a community interest company or a charitable incorporated
organisation: VCSE; an ordinary company or partnership: not).

Placing is one load in the audit trail: undone like any load, it puts every supplier back as
it was.
"""

from __future__ import annotations

import csv
import io
import re
import tempfile
import zipfile
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from anchor.auth import User, writes
from anchor.db import Warehouse, bump_data_version
from anchor.geography.postcodes import PostcodeError, normalise_postcode
from anchor.queries.loads import record_change

# The official file's columns Anchor reads (the real file writes some with a leading space:
# " CompanyNumber"), and what each becomes.
COLUMNS = {
    "CompanyName": "name",
    "CompanyNumber": "company_number",
    "RegAddress.PostCode": "postcode",
    "CompanyCategory": "company_category",
    "CompanyStatus": "company_status",
    "Accounts.AccountCategory": "accounts_category",
}
REQUIRED = ("CompanyName", "CompanyNumber", "RegAddress.PostCode")

SME_ACCOUNTS = ("MICRO ENTITY", "SMALL", "MEDIUM", "TOTAL EXEMPTION FULL",
                "TOTAL EXEMPTION SMALL", "UNAUDITED ABRIDGED", "AUDITED ABRIDGED")
NOT_SME_ACCOUNTS = ("FULL", "GROUP")
VCSE_CATEGORIES = ("Community Interest Company", "Charitable Incorporated Organisation",
                   "Scottish Charitable Incorporated Organisation")
NOT_VCSE_CATEGORIES = ("Private Limited Company", "Public Limited Company",
                       "Limited Liability Partnership", "Private Unlimited Company",
                       "Limited Partnership")

BY_NUMBER = "Companies House: company number"
BY_NAME = "Companies House: name"
BY_ODS = "NHS Digital: organisation name"
NHS_BY_NAME = "A public body by its name (no location)"
BY_ANALYST = "analyst"

# A company number after a supplier's name, as trusts' files write it: 'NAME:03529700',
# 'NAME (SC123456)'. Eight characters: digits, or two letters and six digits.
_NUMBER_AFTER_NAME = r"[:#(]\s*([0-9]{8}|[A-Za-z]{2}[0-9]{6})\s*\)?\s*$"

# The name as matched, in SQL so that five million names take seconds: lower case, accents
# and punctuation aside, '&' as 'and', no leading 'the', no company-type ending.
NAME_KEY_SQL = r"""
create or replace temp macro anchor_name_key(n) as
    regexp_replace(regexp_replace(regexp_replace(
        trim(regexp_replace(replace(strip_accents(lower(coalesce(n, ''))), '&', ' and '),
                            '[^a-z0-9]+', ' ', 'g')),
        '^the ', ''),
        ' (public limited company|community interest company|limited liability partnership)$',
        ''),
        '( (limited|ltd|plc|llp|lp|cic|cio|company))+$', '');
"""
# A postcode as the geography keys it: 'EC1V 4PY' from 'ec1v4py' or 'EC1V  4PY'.
POSTCODE_SQL = r"""
create or replace temp macro anchor_postcode(p) as (
    with c as (select upper(regexp_replace(coalesce(p, ''), '[^A-Za-z0-9]', '', 'g')) as x)
    select case when length(x) between 5 and 7
                then substr(x, 1, length(x) - 3) || ' ' || substr(x, length(x) - 2)
           end from c);
"""


class CompaniesFileError(ValueError):
    """The file is not Companies House's Basic Company Data as published."""


@dataclass(frozen=True)
class Placed:
    """What placing suppliers did: the load in the audit trail (None when nothing changed)
    and how many suppliers each way placed or flagged."""

    load_id: int | None
    by_method: dict[str, int]
    still_unplaced: int

    @property
    def placed(self) -> int:
        return sum(n for m, n in self.by_method.items() if m != NHS_BY_NAME)


def company_number_in_name(name: str) -> str | None:
    """'KINGS COLLEGE LONDON:03529700' -> '03529700'; None when the name carries none."""
    m = re.search(_NUMBER_AFTER_NAME, name or "")
    return m.group(1).upper() if m else None


# -- the Companies House file --------------------------------------------------------------

def _csv_files(paths: Sequence[Path], stack: ExitStack) -> list[tuple[Path, str]]:
    """Each CSV of `paths` with the name to call it by: a CSV itself, or the parts of a zip
    as published (unzipped to a temporary folder, a part at a time)."""
    out: list[tuple[Path, str]] = []
    for path in map(Path, paths):
        if not path.is_file():
            raise CompaniesFileError(f"{path} is not a file.")
        if not zipfile.is_zipfile(path):
            out.append((path, path.name))
            continue
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        with zipfile.ZipFile(path) as z:
            members = [m for m in z.infolist() if m.filename.lower().endswith(".csv")]
            if not members:
                raise CompaniesFileError(f"{path.name} holds no CSV file.")
            for i, m in enumerate(members):
                target = folder / f"part{i}.csv"
                with z.open(m) as src, open(target, "wb") as dst:
                    while chunk := src.read(1 << 20):
                        dst.write(chunk)
                out.append((target, f"{path.name} ({m.filename})"))
    return out


def _positions(path: Path, shown: str) -> tuple[int, dict[str, int]]:
    """How many columns the file has, and where each column Anchor reads is, by its
    official name (the file's spelling may carry spaces around it)."""
    with open(path, encoding="utf-8-sig", errors="replace", newline="") as f:
        first = next(csv.reader(io.StringIO(f.readline())), [])
    found = {c.strip(): i for i, c in enumerate(first)}
    missing = [c for c in REQUIRED if c not in found]
    if missing:
        raise CompaniesFileError(
            f"{shown} is not Companies House's Basic Company Data: it has no "
            f"{', '.join(missing)} column (its first row should name CompanyName, "
            "CompanyNumber, … RegAddress.PostCode …, as the file is published).")
    return len(first), {c: found[c] for c in COLUMNS if c in found}


@writes("import the Companies House register")
def import_companies(wh: Warehouse, paths: Sequence[Path], user: User) -> int:
    """Replace the companies held with those of Companies House's Basic Company Data file(s)
    as published (CSV, or the zipped parts). Returns how many companies are held. Nothing
    changes if a file is not in the official layout."""
    names = ", ".join(Path(p).name for p in paths)
    with ExitStack() as stack:
        files = _csv_files(paths, stack)
        selects, params = [], []
        for f, shown in files:
            width, at = _positions(f, shown)
            # columns by position (c0, c1, ...), so nothing from the file's own header
            # reaches the SQL
            parts = [f"c{at[c]} as {ours}" if c in at else f"null as {ours}"
                     for c, ours in COLUMNS.items()]
            selects.append(
                f"select {', '.join(parts)} from read_csv(?, header = false, skip = 1,"
                f" names = [{', '.join(repr(f'c{i}') for i in range(width))}],"
                " all_varchar = true, quote = '\"', escape = '\"', strict_mode = false,"
                " null_padding = true)")
            params.append(str(f))
        with wh.transaction() as cur:
            cur.execute(NAME_KEY_SQL)
            cur.execute(POSTCODE_SQL)
            cur.execute("delete from company")
            cur.execute(f"""
                insert into company
                select company_number, any_value(name), any_value(anchor_name_key(name)),
                       any_value(anchor_postcode(postcode)), any_value(company_category),
                       any_value(company_status), any_value(accounts_category)
                from (
                    select upper(trim(company_number)) as company_number, trim(name) as name,
                           postcode, trim(company_category) as company_category,
                           trim(company_status) as company_status,
                           upper(trim(accounts_category)) as accounts_category
                    from ({' union all '.join(selects)})
                )
                where company_number <> '' and coalesce(name, '') <> ''
                group by company_number""", params)
            held = int(cur.execute("select count(*) from company").fetchall()[0][0])
            if not held:
                raise CompaniesFileError(f"{names} holds no companies.")
            record_change(cur, user, "company", "installed",
                          f"{held:,} compan{'y' if held == 1 else 'ies'} imported from "
                          f"{names}.")
            bump_data_version(cur)
    return held


# -- placing suppliers ---------------------------------------------------------------------

_CANDIDATES = """
with unplaced as (
    select s.supplier_id, s.name, anchor_name_key(s.name) as name_key,
           -- a register's number may have lost its leading zeros: '3529700' is '03529700'
           case when regexp_full_match(g.given, '[0-9]{1,7}') then lpad(g.given, 8, '0')
                else g.given end as number_given
    from supplier as s
    join supplier_number as n using (supplier_id)
    cross join lateral (select coalesce(nullif(upper(trim(s.company_number)), ''),
                                        n.number_in_name) as given) as g
    left join geo_postcode as p on p.postcode = s.postcode
    where p.lad_code is null and coalesce(s.location_method, '') <> 'analyst'
),
by_number as (
    select u.supplier_id, c.postcode, c.company_number, c.accounts_category,
           c.company_category, 'certain' as confidence, 1 as step
    from unplaced as u
    join company as c on c.company_number = u.number_given
),
org_keys as (
    select anchor_name_key(name) as name_key, any_value(postcode) as postcode, count(*) as n
    from organisation group by 1
),
by_ods as (
    select u.supplier_id, o.postcode, null as company_number, null as accounts_category,
           null as company_category, 'high' as confidence, 2 as step
    from unplaced as u join org_keys as o using (name_key)
    where o.n = 1 and u.name_key <> ''
),
named as (
    select name_key, count(*) as n,
           count(*) filter (where company_status like 'Active%') as active
    from company
    where name_key in (select name_key from unplaced)
    group by name_key
),
by_name as (
    select u.supplier_id, c.postcode, c.company_number, c.accounts_category,
           c.company_category,
           -- one company of the name, and a live one: high; else the one live one: medium
           case when n.n = 1 and c.company_status like 'Active%' then 'high' else 'medium' end
               as confidence,
           3 as step
    from unplaced as u
    join named as n using (name_key)
    join company as c using (name_key)
    where u.name_key <> ''
      and (n.n = 1 or (n.active = 1 and c.company_status like 'Active%'))
)
select * from (
    select *, row_number() over (partition by supplier_id order by step) as choice
    from (select * from by_number union all select * from by_ods
          union all select * from by_name)
)
where choice = 1
"""


@writes("place suppliers from Companies House and NHS Digital's organisations")
def place_suppliers(wh: Warehouse, user: User) -> Placed:
    """Give every supplier with no usable postcode one, where the companies and
    organisations held can say, with how it was found; flag NHS bodies public. One load in
    the audit trail, undone like any other."""
    with wh.transaction() as cur:
        cur.execute(NAME_KEY_SQL)
        # the numbers trusts' files write after suppliers' names, read once in Python
        names = cur.execute("select supplier_id, name from supplier").fetchall()
        numbers = pd.DataFrame(
            [(sid, company_number_in_name(n)) for sid, n in names],
            columns=["supplier_id", "number_in_name"])
        cur.register("supplier_number", numbers)
        found = cur.execute(_CANDIDATES).df()
        unplaced = cur.execute(
            "select s.supplier_id, s.name, s.postcode, s.is_public_body from supplier as s"
            " left join geo_postcode as p on p.postcode = s.postcode"
            " where p.lad_code is null").df()
        # only what changes a supplier: placing again after nothing new is no load at all
        now = unplaced.set_index("supplier_id")["postcode"]
        found = found[found["postcode"].notna()
                      & (found["postcode"] != found["supplier_id"].map(now))]
        nhs = unplaced[~unplaced["supplier_id"].isin(found["supplier_id"])
                       & ~unplaced["is_public_body"].fillna(False).astype(bool)
                       & unplaced["name"].str.contains(r"\bNHS\b", case=False, regex=True)]
        cur.unregister("supplier_number")
        if found.empty and nhs.empty:
            return Placed(None, {}, len(unplaced))
        found["method"] = found["step"].map({1: BY_NUMBER, 2: BY_ODS, 3: BY_NAME})
        # an organisation NHS Digital lists is a public body; a company is not known either way
        found["is_public_body"] = (found["step"] == 2).map({True: True, False: None})
        found["is_sme"] = found["accounts_category"].map(_sme_flag)
        found["is_vcse"] = found["company_category"].map(_vcse_flag)
        changes = pd.concat([
            found[["supplier_id", "postcode", "company_number", "method", "confidence",
                   "is_public_body", "is_sme", "is_vcse"]],
            pd.DataFrame({"supplier_id": nhs["supplier_id"], "postcode": None,
                          "company_number": None, "method": NHS_BY_NAME,
                          "confidence": "medium", "is_public_body": True, "is_sme": None,
                          "is_vcse": None}),
        ], ignore_index=True).astype({"is_sme": "object", "is_vcse": "object",
                                      "is_public_body": "object"})
        load_id = int(cur.execute("select nextval('load_id_seq')").fetchall()[0][0])
        cur.register("placed", changes)
        cur.execute("insert into supplier_replaced by name select s.*, ? as replaced_by"
                    " from supplier as s where supplier_id in (select supplier_id from placed)",
                    [load_id])
        cur.execute("""
            update supplier as s set
                postcode = coalesce(p.postcode, s.postcode),
                company_number = coalesce(s.company_number, p.company_number),
                is_public_body = coalesce(s.is_public_body, p.is_public_body::boolean),
                is_sme = coalesce(s.is_sme, p.is_sme::boolean),
                is_vcse = coalesce(s.is_vcse, p.is_vcse::boolean),
                location_method = p.method, location_confidence = p.confidence,
                load_id = ?
            from placed as p where p.supplier_id = s.supplier_id""", [load_id])
        cur.unregister("placed")
        by_method = changes["method"].value_counts().to_dict()
        still = int(cur.execute(
            "select count(*) from supplier as s left join geo_postcode as p"
            " on p.postcode = s.postcode where p.lad_code is null").fetchall()[0][0])
        summary = "; ".join(f"{n:,} {m}" for m, n in sorted(by_method.items()))
        cur.execute(
            "insert into load (load_id, loaded_at, loaded_by, file_name, table_name, outcome,"
            " message) values (?, ?, ?, ?, 'supplier_location', 'loaded', ?)",
            [load_id, _now(), user.name, "Suppliers placed",
             f"Suppliers placed or flagged: {summary}. {still:,} still have no location."])
        cur.execute("insert into load_slice (load_id, table_name, rows_added, rows_replaced)"
                    " values (?, 'supplier_location', 0, ?)", [load_id, len(changes)])
        bump_data_version(cur)
    return Placed(load_id, {str(k): int(v) for k, v in by_method.items()}, still)


@writes("correct a supplier's location")
def correct_supplier_location(wh: Warehouse, supplier_id: str, postcode: str,
                              user: User) -> int:
    """An analyst's own postcode for a supplier, which no later placing overwrites. A load
    in the audit trail, undone like any other. Returns its id; raises ValueError, changing
    nothing, for a supplier or postcode the warehouse does not know."""
    try:
        pc = normalise_postcode(postcode)
    except PostcodeError as exc:
        raise ValueError(f"{postcode!r} is not a postcode: {exc}") from exc
    with wh.transaction() as cur:
        name = cur.execute("select name from supplier where supplier_id = ?",
                           [supplier_id]).fetchall()
        if not name:
            raise ValueError(f"There is no supplier {supplier_id!r}.")
        if not cur.execute("select 1 from geo_postcode where postcode = ? and lad_code is not"
                           " null", [pc]).fetchall():
            raise ValueError(f"{pc} is not a postcode the geography can place.")
        load_id = int(cur.execute("select nextval('load_id_seq')").fetchall()[0][0])
        cur.execute("insert into supplier_replaced by name select *, ? as replaced_by"
                    " from supplier where supplier_id = ?", [load_id, supplier_id])
        cur.execute("update supplier set postcode = ?, location_method = ?,"
                    " location_confidence = 'certain', load_id = ? where supplier_id = ?",
                    [pc, BY_ANALYST, load_id, supplier_id])
        cur.execute(
            "insert into load (load_id, loaded_at, loaded_by, file_name, table_name, outcome,"
            " message) values (?, ?, ?, ?, 'supplier_location', 'loaded', ?)",
            [load_id, _now(), user.name, "Supplier location corrected",
             f"{name[0][0]} ({supplier_id}) placed at {pc} by hand."])
        cur.execute("insert into load_slice (load_id, table_name, rows_added, rows_replaced)"
                    " values (?, 'supplier_location', 0, 1)", [load_id])
        bump_data_version(cur)
    return load_id


def _sme_flag(category) -> bool | None:
    if category in SME_ACCOUNTS:
        return True
    return False if category in NOT_SME_ACCOUNTS else None


def _vcse_flag(category) -> bool | None:
    if category in VCSE_CATEGORIES:
        return True
    return False if category in NOT_VCSE_CATEGORIES else None


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)
