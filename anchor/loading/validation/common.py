"""What every table's check shares: the report as it is built (`Issues`), the file checked
(`CheckedFile`), the bounds of every count, area and amount (`LARGEST`), and the reference
data read from the warehouse (`Reference`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from anchor.loading import aliases, months
from anchor.loading.layouts import REFERENCE_KINDS, Layout, TableSpec

Progress = Callable[[float, str], None]
ISSUE_COLUMNS = ["file", "row", "column", "value", "problem", "severity"]
MAX_ROWS_PER_PROBLEM = 1000  # the rest of a repeated problem is summarised in one line
EARLIEST_DATE = pd.Timestamp("2000-01-01")
EARLIEST_QUARTER = date(2000, 4, 1)  # 2000/01 Q1: no workforce or estates return is older
# The largest value each count, area and amount may hold on one row, with why: each is far
# beyond what any real trust reports, so only a slip goes past one (a misplaced decimal
# point, m² typed where hectares belong, a number run into its neighbour, or a 400-digit
# cell that reads as infinity), and one such row would swamp every total and chart it is
# counted in. Every one is also never below zero. Spend's amounts are bounded by what the
# warehouse stores (parse.MAX_AMOUNT_GBP); survey shares lie between 0% and 100%.
_PEOPLE = (1_000_000, "1,000,000 people", "the largest NHS trusts employ about 30,000")
_AREA_HA = (10_000, "10,000 ha (100 km²)", "the largest hospital sites cover a few hundred "
                                           "hectares")
_FLOOR_M2 = (5_000_000, "5,000,000 m²", "that is more than twice the floor area of the largest "
                                        "building in the world")
LARGEST: dict[str, tuple[float, str, str]] = {
    "headcount": _PEOPLE, "fte": (1_000_000, "1,000,000 FTE", _PEOPLE[2]),
    "starters": _PEOPLE, "apprentices": _PEOPLE, "below_living_wage": _PEOPLE,
    "respondents": _PEOPLE,
    "gross_pay_gbp": (1e10, "£10bn", "a quarter's pay at the largest NHS trusts is under £1bn"),
    "site_area_ha": _AREA_HA, "land_not_delivering_ha": _AREA_HA,
    "gia_m2": _FLOOR_M2, "occupied_m2": _FLOOR_M2, "empty_m2": _FLOOR_M2,
    "underused_m2": _FLOOR_M2, "clinical_m2": _FLOOR_M2, "non_clinical_m2": _FLOOR_M2,
    "backlog_cost_gbp": (1e11, "£100bn", "the backlog of the whole NHS in England is about "
                                         "£14bn"),
    "energy_kwh": (1e10, "10,000,000,000 kWh (10 TWh)", "a large acute hospital uses about "
                                                        "50 GWh a year"),
    "carbon_tco2e": (1e7, "10,000,000 tCO2e", "a large hospital emits about 20,000 tonnes a "
                                             "year"),
    "community_use_hours": (1e6, "1,000,000 hours", "a quarter has about 2,200 hours: that "
                                                    "would be 450 rooms in use day and night"),
}
# Postcodes the geography can place: known, with a local authority (spend there is placed).
PLACEABLE_POSTCODES_SQL = ("select postcode from geo_postcode where postcode = any(?)"
                           " and lad_code is not null")


def no_progress(_fraction: float, _message: str) -> None:
    pass


class Issues:
    """The validation report as it is built: one frame per check, joined at the end."""

    def __init__(self, file_name: str) -> None:
        self.file = file_name
        self.parts: list[pd.DataFrame] = []

    def rows(self, mask: pd.Series, column: str, values: pd.Series, problem: str | pd.Series,
             severity: str = "error") -> None:
        mask = mask.fillna(False).astype(bool)
        n = int(mask.sum())
        if not n:
            return
        hit = mask[mask].index[:MAX_ROWS_PER_PROBLEM]
        frame = pd.DataFrame({
            "file": self.file, "row": hit.astype("Int64"), "column": column,
            "value": values.loc[hit].astype("str").to_numpy(),
            "problem": problem.loc[hit].to_numpy() if isinstance(problem, pd.Series) else problem,
            "severity": severity,
        })
        if n > MAX_ROWS_PER_PROBLEM:
            more = pd.DataFrame([{
                "file": self.file, "row": pd.NA, "column": column, "value": "",
                "problem": f"… and {n - MAX_ROWS_PER_PROBLEM:,} more rows with this problem "
                           f"({n:,} in all).",
                "severity": severity,
            }])
            frame = pd.concat([frame, more], ignore_index=True)
        self.parts.append(frame)

    def at(self, row: int, column: str, value: str, problem: str,
           severity: str = "error") -> None:
        """One problem shown at one row, for what repeats on many (a spelling of the
        organisation, said once at its first row with how many rows have it)."""
        self.parts.append(pd.DataFrame([{
            "file": self.file, "row": row, "column": column, "value": value,
            "problem": problem, "severity": severity}]))

    def whole(self, problem: str, column: str = "", severity: str = "error") -> None:
        self.parts.append(pd.DataFrame([{
            "file": self.file, "row": pd.NA, "column": column, "value": "", "problem": problem,
            "severity": severity,
        }]))

    def frame(self) -> pd.DataFrame:
        if not self.parts:
            return pd.DataFrame({c: pd.Series(dtype="Int64" if c == "row" else "str")
                                 for c in ISSUE_COLUMNS})
        return ordered(pd.concat(self.parts, ignore_index=True))

    @property
    def has_errors(self) -> bool:
        return any((p["severity"] == "error").any() for p in self.parts)


def ordered(issues: pd.DataFrame) -> pd.DataFrame:
    """Errors first, then warnings; within each, the whole file's first, then by row."""
    out = issues.copy()
    out["row"] = out["row"].astype("Int64")
    order = out["severity"].map({"error": 0, "warning": 1})
    return (out.assign(_o=order).sort_values(["_o", "row"], na_position="first", kind="stable")
            .drop(columns="_o").reset_index(drop=True))


@dataclass
class CheckedFile:
    """A file checked against the warehouse: what would be written, and the report."""

    file_name: str
    sha256: str
    size_bytes: int
    encoding: str
    spec: TableSpec
    layout: Layout
    columns: list[str]  # the file's own columns
    issues: pd.DataFrame
    rows: pd.DataFrame | None = None  # warehouse columns, ready to insert; None on errors
    slices: pd.DataFrame = field(default_factory=pd.DataFrame)  # org_code, quarter_start, rows
    new_suppliers: pd.DataFrame = field(default_factory=pd.DataFrame)  # supplier_id, name
    quarter: date | None = None  # the quarter the analyst said the file is for
    # other tables the load writes: for organisations, 'footprint' (footprint_code, name) and
    # 'footprint_lad' (footprint_code, lad_code), only where the file changes them
    related: dict[str, pd.DataFrame] = field(default_factory=dict)
    # spend: the months the file is for (anchor/loading/months.py), its lines paid in other
    # months (row, org_code, paid_date, month_start, amount_gbp) and what is done with them
    file_months: list[date] = field(default_factory=list)
    strays: pd.DataFrame = field(default_factory=pd.DataFrame)
    stray_rows: str = months.LEAVE_OUT
    # how the file was read where it could be read more than one way, or where the analyst
    # chose: each in the report (as a warning) and in the audit trail (`summary`)
    choices: list[str] = field(default_factory=list)
    # spend: the rows left out at the analyst's choice (skip bad rows), by spreadsheet row
    skipped_rows: list[int] = field(default_factory=list)
    # spend: the organisation each spelling of the file's not yet known looks like, for the
    # analyst to confirm (spelling -> aliases.Proposal or None)
    org_proposals: dict[str, aliases.Proposal | None] = field(default_factory=dict)
    # spend: the spellings confirmed with this load (alias_key, alias, org_code), remembered
    # when it loads; and a council the load adds as an organisation (organisation columns)
    aliases: pd.DataFrame = field(default_factory=pd.DataFrame)
    new_organisations: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def errors(self) -> pd.DataFrame:
        return self.issues[self.issues["severity"] == "error"]

    @property
    def warnings(self) -> pd.DataFrame:
        return self.issues[self.issues["severity"] == "warning"]

    @property
    def ok(self) -> bool:
        return self.rows is not None and self.errors.empty

    def summary(self) -> str:
        """One line for the audit trail and the command line."""
        if not self.ok:
            return (f"{self.file_name}: {plural(len(self.errors), 'problem')}; nothing was "
                    f"loaded. First: {first_problem(self.errors)}")
        slice_name = "organisation-month" if self.spec.key == "spend" else "organisation-quarter"
        where = (f" in {plural(len(self.slices), slice_name)}"
                 if self.spec.key not in REFERENCE_KINDS else "")
        chosen = "".join(f"; {c}" for c in self.choices)
        return (f"{self.spec.label}: {plural(len(self.rows), 'row')}{where} from "
                f"{self.file_name} ({self.layout.kind}, {self.encoding}){chosen}")


def plural(n: int, word: str) -> str:
    return f"{n:,} {word}" + ("" if n == 1 else "s")


def first_problem(errors: pd.DataFrame) -> str:
    if errors.empty:
        return ""
    e = errors.iloc[0]
    where = f"row {int(e['row'])}, " if pd.notna(e["row"]) else ""
    col = f"{e['column']}: " if e["column"] else ""
    return f"{where}{col}{e['problem']}"



@dataclass(frozen=True)
class Reference:
    orgs: pd.DataFrame  # org_code, name
    sites: pd.DataFrame  # site_code, org_code
    suppliers: pd.DataFrame  # supplier_id, name
    categories: frozenset[str]


def reference(wh) -> Reference:
    return Reference(
        orgs=wh.df("select org_code, name from organisation order by org_code"),
        sites=wh.df("select site_code, org_code from site order by site_code"),
        suppliers=wh.df("select supplier_id, name from supplier order by supplier_id"),
        categories=frozenset(r[0] for r in wh.rows("select category from category")),
    )


def _known(wh, sql: str, values: pd.Series) -> set[str]:
    wanted = [v for v in values.unique().tolist() if v]
    if not wanted:
        return set()
    return {r[0] for r in wh.rows(sql, [wanted])}


def _choose(result: CheckedFile, issues: Issues, choice: str, sentence: str,
            column: str = "") -> None:
    """A way the file was read that the analyst should know of: `sentence` in the report,
    as a warning, and `choice` (a phrase) in the audit trail."""
    result.choices.append(choice)
    issues.whole(sentence, column=column, severity="warning")


def _some(codes: pd.Series, shown: int = 10) -> str:
    """'R1C, RA3 and 22 more': the first codes, and how many others."""
    more = f" and {len(codes) - shown:,} more" if len(codes) > shown else ""
    return ", ".join(codes.head(shown)) + more
