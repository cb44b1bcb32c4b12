"""What each kind of file holds, and how a file's columns map to ours.

Six kinds of file load. Four arrive each quarter: spend (invoice lines), the supplier
register, workforce (aggregated by home LSOA) and estates (one ERIC-style return per site
and quarter). Two set up what those refer to, and change rarely: organisations (with
the footprint each belongs to and the footprint's home local authorities) and sites.
Each has a template whose column names are ours. Spend may also come in the layout
every trust publishes as "spend over £25,000"; any other layout is mapped by the
analyst once, and the mapping is remembered in the warehouse (`load_mapping`).
Organisations and sites may also come as NHS Digital publishes them (ODS files, see
`anchor.loading.published`), and sites and estates as ERIC's site data, whose column names
are known here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from anchor.auth import User, writes
from anchor.loading.published import ERIC_KIND, eric_layout, ods_layout


@dataclass(frozen=True)
class Column:
    name: str  # ours: the template's header and, mostly, the warehouse column
    kind: str  # how cells are read: see anchor.loading.validation
    required: bool
    help: str  # what it holds, with its unit
    example: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class TableSpec:
    key: str  # 'spend', 'supplier', 'workforce', 'estate', 'organisation', 'site'
    label: str  # in the analyst's words
    table: str  # the warehouse table it loads
    columns: tuple[Column, ...]
    replaces: str  # what one load replaces, in words

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def required(self) -> list[str]:
        return [c.name for c in self.columns if c.required]


NOT_STATED_CATEGORY = "Not stated"
_ORG = Column("org_code", "org", True, "The organisation's ODS code (e.g. RXK) or its name",
              "RXK", ("organisation", "organisation code", "ods code", "org", "trust code"))
_QUARTER = Column("quarter", "quarter", True,
                  "The NHS quarter, as 2025/26 Q3 or any date within it", "2025/26 Q3",
                  ("period", "quarter start"))

SPEND = TableSpec(
    "spend", "Spend", "spend",
    (
        _ORG,
        Column("paid_date", "date", True,
               "Date paid (dd/mm/yyyy or yyyy-mm-dd); it sets the month and quarter",
               "15/10/2025", ("date paid", "payment date", "date")),
        Column("supplier_id", "supplier_id", False,
               "The supplier's id in the supplier register (give this or the name)", "SUP00123",
               ("supplier code", "supplier number", "vendor id")),
        Column("supplier_name", "text", False,
               "The supplier's name, matched to the register when there is no id",
               "Sandwell Catering Ltd", ("supplier", "supplier name", "vendor name", "vendor")),
        Column("category", "text", False,
               f"Spend category (the expense type); a file without one loads as "
               f"'{NOT_STATED_CATEGORY}'", "Catering and food",
               ("expense type", "spend category")),
        Column("amount_gbp", "money", True,
               "Amount in £, VAT as you report it; credit notes negative or in brackets",
               "1,329.75", ("amount", "amount £", "value", "net amount")),
        Column("invoice_date", "date", False, "Invoice date (for prompt payment)", "01/10/2025"),
        Column("due_date", "date", False, "Date payment was due", "31/10/2025"),
        Column("transaction_number", "text", False, "Your transaction or invoice reference",
               "INV-88123", ("transaction no", "transaction reference", "invoice number")),
        Column("quarter", "quarter", False,
               "Optional: the quarter the file is for; every date paid must fall in it",
               "2025/26 Q3", ("period",)),
        # kept on a supplier the file adds to the register: a company number places it
        # (anchor companies)
        Column("supplier_vat_number", "text", False,
               "Optional: the supplier's VAT registration number", "223219932",
               ("vat registration number", "vat number", "vat reg no", "supplier vat number",
                "vat registration no")),
        Column("supplier_company_number", "text", False,
               "Optional: the supplier's Companies House number", "03529700",
               ("company number", "companies house number", "company registration number",
                "supplier company number", "company reg no")),
    ),
    "every invoice line of each organisation-month the file is for",
)

SUPPLIER = TableSpec(
    "supplier", "Supplier register", "supplier",
    (
        Column("supplier_id", "supplier_id", True, "Your id for the supplier", "SUP00123",
               ("supplier code", "supplier number", "vendor id", "id")),
        Column("name", "text", True, "Supplier name", "Sandwell Catering Ltd",
               ("supplier name", "supplier", "vendor name")),
        Column("postcode", "postcode", False, "Postcode of the supplier's premises", "B70 9PL",
               ("post code", "supplier postcode")),
        Column("company_number", "text", False, "Companies House number", "01234567",
               ("company no", "companies house number", "crn")),
        Column("is_sme", "flag", False, "Small or medium-sized enterprise: yes or no", "yes",
               ("sme",)),
        Column("is_vcse", "flag", False, "Voluntary, community or social enterprise: yes or no",
               "no", ("vcse",)),
        Column("is_public_body", "flag", False,
               "A public body (NHS, council): yes or no; not influenceable", "no",
               ("public body", "public sector")),
    ),
    "the register's entry for each supplier in the file; others stay as they are",
)

WORKFORCE = TableSpec(
    "workforce", "Workforce", "workforce",
    (
        _ORG,
        _QUARTER,
        Column("home_lsoa", "lsoa", False, "LSOA (2011) code of where the staff live", "E01010104",
               ("lsoa", "lsoa code", "home lsoa code")),
        Column("staff_group", "text", False, "Staff group", "Nursing and midwifery"),
        Column("afc_band", "text", False, "Agenda for Change band", "Band 5", ("band",)),
        Column("headcount", "int", True, "People at the quarter's end", "12"),
        Column("fte", "number", True, "Full-time equivalent at the quarter's end", "10.4",
               ("wte", "whole time equivalent", "full time equivalent")),
        Column("gross_pay_gbp", "money", True, "Gross pay in the quarter, £", "84,250.00",
               ("gross pay", "pay", "gross pay £")),
        Column("starters", "int", False, "Joined in the quarter", "1"),
        Column("apprentices", "int", False, "Apprenticeship starts in the quarter", "0",
               ("apprenticeship starts",)),
        Column("below_living_wage", "int", False, "Paid below the Real Living Wage", "0"),
    ),
    "every workforce row of each organisation and quarter in the file",
)

_AREA = "number"
ESTATE = TableSpec(
    "estate", "Estates", "estate",
    (
        _ORG,
        Column("site_code", "site", True, "The site's code (ERIC site code)", "RXK01",
               ("site", "site id", "site code")),
        _QUARTER,
        Column("site_area_ha", _AREA, False, "Site area, hectares", "14.6",
               ("site area", "land area owned (hectares)")),
        Column("land_not_delivering_ha", _AREA, False,
               "Land not used to deliver services, hectares", "1.2",
               ("land not delivering services",
                "land area not delivering services (hectares)")),
        Column("gia_m2", _AREA, False, "Gross internal floor area, m²", "68,000",
               ("gia", "gross internal floor area (m²)")),
        Column("occupied_m2", _AREA, False, "Occupied floor area, m²", "66,000"),
        Column("empty_m2", _AREA, False, "Empty floor area, m²", "900"),
        Column("underused_m2", _AREA, False, "Under-used floor area, m²", "1,100"),
        Column("clinical_m2", _AREA, False, "Clinical floor area, m²", "44,000"),
        Column("non_clinical_m2", _AREA, False, "Non-clinical floor area, m²", "24,000"),
        Column("backlog_cost_gbp", "money", False, "Backlog maintenance cost, £", "12,500,000",
               ("backlog", "backlog cost")),
        Column("energy_kwh", _AREA, False, "Energy used in the quarter, kWh", "5,200,000"),
        Column("carbon_tco2e", _AREA, False, "Carbon in the quarter, tonnes CO2e", "1,150"),
        Column("community_use_hours", _AREA, False, "Hours of community use in the quarter",
               "120"),
    ),
    "the return of each site and quarter in the file",
)

# An organisations file also names each organisation's footprint and, once per footprint,
# the footprint's home place: one file sets up everything spend, staff and estates need,
# and the home place is typed where the analyst already thinks of the footprint.
ORGANISATION = TableSpec(
    "organisation", "Organisations and footprints", "organisation",
    (
        Column("org_code", "code", True,
               "The organisation's ODS code (e.g. RXK): letters and digits", "RXK",
               ("ods code", "organisation code", "org code", "code")),
        Column("name", "text", True, "The organisation's name",
               "Sandwell and West Birmingham Hospitals NHS Trust",
               ("organisation name", "organisation", "trust name")),
        Column("org_type", "text", True,
               "What kind of organisation: Acute trust, Mental health trust, Community trust, "
               "Council, University…", "Acute trust",
               ("organisation type", "type", "kind")),
        Column("footprint_code", "code", True,
               "The code of the footprint (ICS or STP) it belongs to: letters and digits",
               "BCWB", ("footprint", "ics code", "icb code", "stp code", "system code")),
        Column("footprint_name", "text", False,
               "The footprint's name: needed for a new footprint; a different name renames it",
               "Black Country and West Birmingham",
               ("footprint name", "ics name", "icb name", "stp name", "system name")),
        Column("postcode", "postcode", False, "The postcode of its headquarters", "B71 4HJ",
               ("post code", "headquarters postcode")),
        Column("home_local_authorities", "lads", False,
               "The footprint's home place, counted as local by default: local authorities "
               "by ONS code or name, separated by ; (once per footprint is enough; given, "
               "it replaces the footprint's list)",
               "Sandwell; Birmingham; Dudley; Walsall; Wolverhampton",
               ("home local authorities", "local authorities", "home place", "home lads",
                "lads")),
    ),
    "the entry of each organisation in the file, and the name and home local authorities of "
    "its footprint where given; other organisations stay as they are",
)

SITE = TableSpec(
    "site", "Sites", "site",
    (
        Column("site_code", "code", True, "The site's code (its ERIC site code)", "RXK02",
               ("site", "site id", "site code", "code")),
        Column("org_code", "org", True,
               "The organisation that holds the site: its ODS code (e.g. RXK) or name", "RXK",
               ("organisation", "organisation code", "ods code", "org", "trust code")),
        Column("name", "text", True, "The site's name", "Sandwell General Hospital",
               ("site name",)),
        Column("postcode", "postcode", True,
               "The site's postcode: it puts the site on the maps and measures distances "
               "from it", "B71 4HJ", ("post code", "site postcode")),
    ),
    "the entry of each site in the file; other sites stay as they are",
)

SPECS: dict[str, TableSpec] = {
    s.key: s for s in (SPEND, SUPPLIER, WORKFORCE, ESTATE, ORGANISATION, SITE)}
# Kinds loaded once and changed rarely, rather than a quarter at a time.
REFERENCE_KINDS = ("supplier", "organisation", "site")


def spec(key: str) -> TableSpec:
    if key not in SPECS:
        raise ValueError(f"{key!r} is not something Anchor loads; choose from "
                         f"{', '.join(SPECS)}.")
    return SPECS[key]


# -- the published "spend over £25,000" layout ---------------------------------------------
# Department Family, Entity, Date, Expense Type, Expense Area, Supplier, Transaction Number,
# Amount, and sometimes Description, under the names each trust gives them ("Date of
# payment", "Expenses Type", "Supplier Name"). Councils' "spending over £500" files, in the
# Local Government Transparency Code's layout (Organisation Name or Label, Payment Date,
# Expenditure Category, Beneficiary or Supplier Name, Amount), read the same way. For each
# of ours, the names it goes by, the likeliest first. Entity and the category may be absent
# (the organisation is then named by the analyst; the category is "Not stated"). Department
# family, expense area and description are not stored.
PUBLISHED: dict[str, tuple[str, ...]] = {
    "org_code": ("entity", "organisation name", "organisation label", "body name",
                 "trust name", "organisation", "trust", "body", "organisation code"),
    "paid_date": ("date", "payment date", "date paid", "date of payment", "transaction date",
                  "date of transaction", "invoice payment date", "payment run date"),
    "category": ("expense type", "expenses type", "expenditure type", "expenditure category",
                 "category internal name", "expense category", "category", "spend category"),
    "supplier_name": ("supplier", "supplier name", "beneficiary", "beneficiary name",
                      "merchant name", "payee", "payee name", "vendor name", "creditor name"),
    "transaction_number": ("transaction number", "transaction no", "transaction ref",
                           "transaction reference", "transaction id"),
    "amount_gbp": ("amount", "amount gbp", "amount £", "value", "amount paid", "net amount",
                   "payment amount", "total amount", "invoice amount", "amount excluding vat",
                   "amount exc vat", "amount ex vat"),
}
PUBLISHED_CORE = ("paid_date", "supplier_name", "amount_gbp")
TRANSPARENCY_IGNORED = (
    "department family", "dept family", "department", "expense area", "expenses area",
    "description", "narrative", "accounting year", "period",
    # councils' files (Local Government Transparency Code)
    "organisation code", "effective date", "service division label", "service division code",
    "organisational unit", "service area", "purpose", "purpose of expenditure",
    "detailed expenditure code", "cipfa detailed expenditure type", "capital or revenue",
    "procurement card", "irrecoverable vat amount", "expenditure code")

ODS_KIND = "ODS standard file"

_NON_WORD = re.compile(r"[^0-9a-z£]+")


def norm_header(name: str) -> str:
    """'Transaction_Number ' -> 'transaction number'; '£' is kept for 'Amount (£)'."""
    return _NON_WORD.sub(" ", str(name).replace("\ufeff", "").lower()).strip()


def header_name_key(name: object) -> str:
    """How a cell is compared with known column names when finding the header row:
    'Amount (£)' and 'AMOUNT' are both 'amount'."""
    return " ".join(norm_header(str(name)).replace("£", " ").split())


def _known_headers() -> frozenset[str]:
    names = [n for s in SPECS.values() for c in s.columns for n in (c.name, *c.aliases)]
    names += [n for alts in PUBLISHED.values() for n in alts]
    names += list(TRANSPARENCY_IGNORED)
    return frozenset(k for k in map(header_name_key, names) if k)


# Every column name Anchor knows, as `header_name_key` gives it: how the row of column names
# is told from title rows above it and data rows below it.
KNOWN_HEADERS = _known_headers()


def remembered_columns(wh) -> set[str]:
    """The column names of every layout mapped and saved before, for finding the header."""
    keys = [r[0] for r in wh.rows("select header_key from load_mapping")]
    return {name for key in keys for name in key.split("|") if name}


def header_key(columns: Sequence[str]) -> str:
    """The file's columns, normalised, in order: how a saved mapping is found again."""
    return "|".join(norm_header(c) for c in columns)


@dataclass(frozen=True)
class Layout:
    """How a file maps to ours. `mapping` is our column -> the file's column."""

    # 'template', 'published spend', 'ODS standard file', 'ERIC site data', 'saved mapping',
    # 'your mapping', 'unrecognised'
    kind: str
    mapping: dict[str, str]
    ignored: tuple[str, ...] = ()  # the file's columns not loaded

    def missing(self, spec: TableSpec) -> list[str]:
        absent = [c for c in spec.required if c not in self.mapping]
        if spec.key == "spend" and not ({"supplier_id", "supplier_name"} & set(self.mapping)):
            absent.append("supplier_id or supplier_name")
        return absent


def auto_mapping(spec: TableSpec, columns: Sequence[str]) -> dict[str, str]:
    """Our columns found in the file by name or a common alternative name."""
    by_norm = {norm_header(c): c for c in columns}
    out = {}
    for col in spec.columns:
        for candidate in (col.name, *col.aliases):
            found = by_norm.get(norm_header(candidate))
            if found is not None and found not in out.values():
                out[col.name] = found
                break
    return out


def transparency_mapping(columns: Sequence[str]) -> dict[str, str] | None:
    """The mapping for the published spend layout (trusts' or councils'), or None when the
    file is not in it: each of ours from the first of its names the file gives."""
    by_norm: dict[str, str] = {}
    for c in columns:
        by_norm.setdefault(" ".join(norm_header(c).replace("£", " ").split()), c)
    out: dict[str, str] = {}
    for ours, names in PUBLISHED.items():
        found = next((by_norm[n] for n in names if n in by_norm), None)
        if found is not None and found not in out.values():
            out[ours] = found
    if not all(k in out for k in PUBLISHED_CORE):
        return None
    return out


def detect_layout(spec: TableSpec, columns: Sequence[str],
                  saved: dict[str, str] | None = None) -> Layout:
    """Our template, the published spend layout, an ODS or ERIC file, a saved mapping, or
    unrecognised."""
    if saved and all(v in columns for v in saved.values()):
        return Layout("saved mapping", dict(saved), _ignored(columns, saved))
    for kind, published in ((ODS_KIND, ods_layout), (ERIC_KIND, eric_layout)):
        mapping = published(spec.key, columns)
        if mapping is not None:
            return Layout(kind, mapping, _ignored(columns, mapping))
    if spec.key == "spend":
        mapping = transparency_mapping(columns)
        if mapping is not None:
            # ours by our own names, or theirs, where the published names give none
            # ('org_code' beside 'Date, Supplier, Amount'; an 'Invoice Date')
            # (a trust's 'Period', its month number, is not our quarter: published files'
            # own columns that Anchor does not use stay unused)
            for ours, theirs in auto_mapping(spec, columns).items():
                if (ours not in mapping and theirs not in mapping.values()
                        and norm_header(theirs) not in TRANSPARENCY_IGNORED):
                    mapping[ours] = theirs
            return Layout("published spend", mapping, _ignored(columns, mapping))
    mapping = auto_mapping(spec, columns)
    layout = Layout("template", mapping, _ignored(columns, mapping))
    if layout.missing(spec):
        return Layout("unrecognised", mapping, _ignored(columns, mapping))
    return layout


def _ignored(columns: Sequence[str], mapping: dict[str, str]) -> tuple[str, ...]:
    used = set(mapping.values())
    return tuple(c for c in columns if c not in used)


def custom_layout(spec: TableSpec, columns: Sequence[str], mapping: dict[str, str]) -> Layout:
    """The analyst's own mapping, checked against the file and our columns."""
    clean = {k: v for k, v in mapping.items() if v}
    unknown = [k for k in clean if k not in spec.names]
    if unknown:
        raise ValueError(f"{', '.join(unknown)} are not columns of {spec.label}.")
    absent = [v for v in clean.values() if v not in columns]
    if absent:
        raise ValueError(f"The file has no column {', '.join(map(repr, absent))}.")
    used = list(clean.values())
    twice = sorted({v for v in used if used.count(v) > 1})
    if twice:
        raise ValueError(f"The column {twice[0]!r} is mapped to two of ours.")
    return Layout("your mapping", clean, _ignored(columns, clean))


# -- saved mappings -------------------------------------------------------------------------

def saved_mapping(wh, table_key: str, columns: Sequence[str]) -> dict[str, str] | None:
    value = wh.value("select mapping from load_mapping where table_name = ? and header_key = ?",
                     [table_key, header_key(columns)])
    return json.loads(value) if value else None


@writes("remember a column mapping", audited=False)
def save_mapping(wh, table_key: str, columns: Sequence[str], mapping: dict[str, str],
                 user: User) -> None:
    """Remember a mapping for files with these columns. Not data, and nothing a viewer sees:
    the version is unchanged and the audit trail keeps loads, not layouts (the mapping
    keeps who saved it)."""
    with wh.transaction() as cur:
        cur.execute(
            "insert or replace into load_mapping values (?, ?, ?, ?, ?)",
            [table_key, header_key(columns), json.dumps(mapping, sort_keys=True),
             datetime.now(UTC).replace(tzinfo=None), user.name],
        )
