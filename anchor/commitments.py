"""Commitments: an organisation's, or a footprint's, public pledge to move a measure by a date.

An analyst enters one on the Data page's form or as a file (`anchor load commitment FILE`):
who made it (an organisation, or the organisations of a footprint together), the measure, the
baseline quarters, the rise promised (a relative % of the baseline, or percentage points), the
quarter the target is for, and where it was made ("Public Health Plan 2014-17"). Each entry is
checked cell by cell with the same report as every file, written in one transaction that the
`load` table records, and undone like any load (`anchor.loading.undo`). Who and measure are
the key: an entry replaces the commitment held for them, which undo puts back.

Tracking: the baseline is the measure over the baseline quarters together; the target is the
baseline raised by the rise; the trajectory runs in a straight line from the baseline at the
baseline's last quarter to the target at the target quarter, one point a quarter. The latest
figure is on track when it is at or beyond the trajectory's value for its quarter (for a
measure where higher is better, at or above). Pure functions, besides `save_commitments`; the
figures come through a `query(fn, *args)` callable, the pages' cached one or a warehouse's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import pandas as pd

from anchor import change_points, metrics, spc, spreadsheets
from anchor import formatting as fmt
from anchor.auth import User, writes
from anchor.db import bump_data_version
from anchor.loading import parse
from anchor.loading.layouts import norm_header
from anchor.loading.readers import RawFile, sha256_of
from anchor.loading.validation import Issues, plural
from anchor.periods import add_quarters, quarter_label, quarters_between
from anchor.place_story import who_phrase
from anchor.places import Place
from anchor.queries import commitments as held_q
from anchor.queries import reference, spend

RELATIVE = "relative_pct"
POINTS = "points"
KINDS = {RELATIVE: "relative % of the baseline", POINTS: "percentage points"}
BASES = {"influenceable": "influenceable spend", "all": "in-scope spend"}

DEFINITION = (
    "A commitment is an organisation's, or a footprint's organisations' together, public pledge "
    "to raise a measure by a date, as an analyst entered it (Data page). The baseline is the "
    "measure over the baseline quarters together; the target is the baseline raised by a "
    "relative % (10% of 20.0% is 22.0%) or by percentage points. The trajectory runs in a "
    "straight line from the baseline at its last quarter to the target at the target quarter; "
    "the latest figure is on track at or above the trajectory. The chart's limits are worked "
    "out afresh after the baseline, and the assurance icon compares the target with them. It "
    "is charted on the spend it was made on (influenceable or all in-scope), for the place "
    "chosen.")

# The statuses of the latest figure against a commitment.
NO_FIGURE = "no figure yet"
BEFORE = "not started"  # the latest figure is within the baseline
ON_TRACK = "on track"
BEHIND = "behind the trajectory"
MET = "met the target"
MISSED = "missed the target"


@dataclass(frozen=True)
class Measure:
    """What a commitment can promise to move. `value(query, orgs, place, first, last, basis)`
    is the measure over quarters first to last together; `series(...)` the same quarter by
    quarter (quarter_start, value), leaving out quarters with nothing to measure."""

    key: str
    label: str  # 'local share', as a sentence names it: "raise its local share of ..."
    improvement: str  # 'up' or 'down', as anchor.spc reads it
    value_kind: str  # how anchor.charts formats it: 'pct'
    value: Callable[..., float | None]
    series: Callable[..., pd.DataFrame]
    aliases: tuple[str, ...] = ()


def _share_col(basis: str) -> str:
    return "influenceable_local_share" if basis == "influenceable" else "local_share"


def _local_share_value(query, orgs, place: Place, first: date, last: date,
                       basis: str) -> float | None:
    row = query(spend.spend_totals, tuple(orgs), first, last, place).iloc[0]
    return metrics.spend_share(row, influenceable=basis == "influenceable").share


def _local_share_series(query, orgs, place: Place, first: date, last: date,
                        basis: str) -> pd.DataFrame:
    t = metrics.add_spend_shares(
        query(spend.spend_totals, tuple(orgs), first, last, place, ("quarter",)))
    t = t[t["spend_gbp"] != 0]
    return pd.DataFrame({"quarter_start": pd.to_datetime(t["quarter_start"]).dt.date,
                         "value": t[_share_col(basis)]}).reset_index(drop=True)


MEASURES = {
    m.key: m for m in [
        Measure("local_spend_share", "local share", "up", "pct", _local_share_value,
                _local_share_series, ("local spend share", "local share", "local spend")),
    ]
}


@dataclass(frozen=True)
class Commitment:
    """One commitment as entered. Exactly one of `org_code` and `footprint_code` is set.
    Quarters are held as their first day."""

    org_code: str | None
    footprint_code: str | None
    measure: str
    baseline_start: date
    baseline_end: date
    kind: str
    amount: float
    target_quarter: date
    basis: str = "influenceable"
    made_in: str = ""

    @property
    def is_footprint(self) -> bool:
        return self.org_code is None

    @property
    def baseline_label(self) -> str:
        first, last = quarter_label(self.baseline_start), quarter_label(self.baseline_end)
        if first == last:
            return first
        if first.endswith("Q1") and last.endswith("Q4") and first[:7] == last[:7]:
            return first[:7]  # a financial year: '2014/15'
        return f"{first} to {last}"

    @property
    def rise_text(self) -> str:
        if self.kind == RELATIVE:
            return f"by {self.amount:g}%"
        return f"by {self.amount:g} percentage point{'' if self.amount == 1 else 's'}"

    @classmethod
    def from_row(cls, row) -> Commitment:
        def text(v):
            return None if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v)

        return cls(text(row["org_code"]), text(row["footprint_code"]), row["measure"],
                   pd.Timestamp(row["baseline_start"]).date(),
                   pd.Timestamp(row["baseline_end"]).date(), row["kind"], float(row["amount"]),
                   pd.Timestamp(row["target_quarter"]).date(), row["basis"],
                   text(row["made_in"]) or "")


def target_value(baseline: float | None, kind: str, amount: float) -> float | None:
    """The figure promised: a relative rise (10% of 20.0% is 22.0%) or points (20.0% + 2 is
    22.0%). The same arithmetic as `metrics.commitment_target`."""
    return metrics.commitment_target(baseline, kind, amount)


def trajectory(baseline_end: date, baseline: float, target_quarter: date,
               target: float) -> list[tuple[date, float]]:
    """A straight line, one point a quarter, from the baseline at the baseline's last quarter
    to the target at the target quarter: 20% at 2014/15 Q4 to 22% at 2015/16 Q4 is 20%,
    20.5%, 21%, 21.5%, 22%."""
    quarters = quarters_between(baseline_end, target_quarter)
    steps = len(quarters) - 1
    if steps < 1:
        raise ValueError("The target quarter must come after the baseline's last quarter.")
    return [(q, baseline + (target - baseline) * i / steps) for i, q in enumerate(quarters)]


def expected_at(path: list[tuple[date, float]], quarter: date) -> float | None:
    """The trajectory's value for `quarter`: None before it starts, the target after it ends."""
    if not path or quarter < path[0][0]:
        return None
    for q, v in path:
        if q == quarter:
            return v
    return path[-1][1] if quarter > path[-1][0] else None


@dataclass(frozen=True)
class Tracked:
    """A commitment with its figures: the baseline, the target, the trajectory and the
    series from the baseline's first quarter to the latest quarter shown."""

    commitment: Commitment
    who: str  # 'RXK', or 'the five organisations of ...'
    baseline: float | None
    target: float | None
    path: list[tuple[date, float]]
    series: pd.DataFrame = field(repr=False)  # quarter_start, value
    # change points recorded for the measure and these organisations (quarter_start, name)
    change_points: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame({"quarter_start": [], "name": []}), repr=False)

    @property
    def measure(self) -> Measure:
        return MEASURES[self.commitment.measure]

    @property
    def latest(self) -> tuple[date, float] | None:
        s = self.series.dropna(subset=["value"])
        if s.empty:
            return None
        return s["quarter_start"].iat[-1], float(s["value"].iat[-1])

    @property
    def expected(self) -> float | None:
        latest = self.latest
        return expected_at(self.path, latest[0]) if latest else None

    @property
    def status(self) -> str:
        latest = self.latest
        if latest is None or self.target is None:
            return NO_FIGURE
        quarter, value = latest
        c = self.commitment
        better = 1 if self.measure.improvement == "up" else -1
        if quarter <= c.baseline_end:
            return BEFORE
        if quarter >= c.target_quarter:
            return MET if (value - self.target) * better >= 0 else MISSED
        return ON_TRACK if (value - self.expected) * better >= 0 else BEHIND

    def _value(self, v: float | None) -> str:
        return fmt.pct(v) if self.measure.value_kind == "pct" else fmt.number(v)

    @property
    def what(self) -> str:
        """'its local share of influenceable spend', or 'their ...' for a footprint's."""
        whose = "their" if self.commitment.is_footprint else "its"
        basis = BASES.get(self.commitment.basis, self.commitment.basis)
        return f"{whose} {self.measure.label} of {basis}"

    def sentence(self) -> str:
        """One sentence: the commitment, where it was made, its baseline, target and date, and
        whether the latest figure is on track."""
        c = self.commitment
        verb = "raise" if self.measure.improvement == "up" else "lower"
        together = " together" if c.is_footprint else ""
        where = f"In {c.made_in}, " if c.made_in else ""
        who = self.who if where else self.who[0].upper() + self.who[1:]
        if self.baseline is None:
            return (f"{where}{who} committed{together} to {verb} {self.what} {c.rise_text} on "
                    f"its {c.baseline_label} baseline by {quarter_label(c.target_quarter)}; "
                    f"the baseline is not known here, so there is no target to judge by.")
        text = (f"{where}{who} committed{together} to {verb} {self.what} {c.rise_text}, from "
                f"{self._value(self.baseline)} over {c.baseline_label} to "
                f"{self._value(self.target)} by {quarter_label(c.target_quarter)}")
        return f"{text}; {self.progress()}."

    def progress(self) -> str:
        """'at 21.5% in 2016/17 Q3 it is on track (the trajectory asks for 21.0% by then)'."""
        status, latest = self.status, self.latest
        if status == NO_FIGURE:
            return ("there is no figure yet to judge it by" if self.baseline is not None
                    else "there is no figure for its baseline quarters, so no target to judge by")
        value, quarter = self._value(latest[1]), quarter_label(latest[0])
        if status == BEFORE:
            return (f"the latest figure, {value} in {quarter}, is within the baseline, "
                    "before the trajectory starts")
        if status in (MET, MISSED):
            return f"at {value} in {quarter} it has {status}"
        expected = self._value(self.expected)
        if status == ON_TRACK:
            return (f"at {value} in {quarter} it is on track (the trajectory asks for {expected} "
                    "by then)")
        return f"at {value} in {quarter} it is behind the trajectory, which asks for {expected}"

    def spc(self) -> spc.SpcResult | None:
        """The measure's XmR chart from the baseline's first quarter, the assurance judged
        against the target. The limits are worked out afresh after the baseline, so the
        assurance reads the process since the commitment, and from each change point
        recorded for the measure (`anchor.change_points`), wherever a phase keeps at least
        two figures."""
        s = self.series
        if s["value"].notna().sum() < 2:
            return None
        labels = [quarter_label(q) for q in s["quarter_start"]]
        starts = pd.concat([
            pd.DataFrame({"quarter_start": [add_quarters(self.commitment.baseline_end, 1)],
                          "name": ["After the baseline"]}),
            self.change_points[["quarter_start", "name"]]], ignore_index=True)
        phases, _ = change_points.phases(list(s["quarter_start"]), starts, list(s["value"]))
        return spc.xmr(list(s["value"]), labels, improvement=self.measure.improvement,
                       target=self.target, phases=phases)

    def chart_path(self) -> list[tuple[str, float]]:
        return [(quarter_label(q), v) for q, v in self.path]


def track(query, commitment: Commitment, orgs, place: Place, last: date, who: str,
          points: pd.DataFrame | None = None) -> Tracked:
    """The figures of `commitment` for `orgs` in `place`, up to the quarter `last`; `points`
    the change points recorded for its measure (quarter_start, name)."""
    m = MEASURES[commitment.measure]
    baseline = m.value(query, orgs, place, commitment.baseline_start, commitment.baseline_end,
                       commitment.basis)
    target = target_value(baseline, commitment.kind, commitment.amount)
    path = (trajectory(commitment.baseline_end, baseline, commitment.target_quarter, target)
            if baseline is not None else [])
    series = (m.series(query, orgs, place, commitment.baseline_start, last, commitment.basis)
              if last >= commitment.baseline_start
              else pd.DataFrame({"quarter_start": [], "value": []}))
    if points is None:
        points = pd.DataFrame({"quarter_start": [], "name": []})
    return Tracked(commitment, who, baseline, target, path, series, points)


def applying(held: pd.DataFrame, orgs, footprint_orgs) -> list[Commitment]:
    """The commitments that speak for the organisations chosen: one organisation's own, or,
    with every organisation of the footprint chosen, the footprint's made together."""
    chosen = set(orgs)
    out = []
    for row in held.itertuples(index=False):
        c = Commitment.from_row(row._asdict())
        if c.org_code is not None and chosen == {c.org_code}:
            out.append(c)
        elif c.org_code is None and footprint_orgs and chosen == set(footprint_orgs):
            out.append(c)
    return out


def tracked_for(query, *, footprint_code: str, footprint_name: str, orgs, place: Place,
                last: date) -> list[Tracked]:
    """The commitments that speak for the organisations chosen (`applying`), each with its
    figures up to the quarter `last`: what the pages, the story and the exports show."""
    orgs = tuple(sorted(orgs))
    held = query(held_q.commitments_for, orgs, footprint_code)
    if held.empty:
        return []
    members = query(reference.organisations, footprint_code)
    names = dict(zip(members["org_code"], members["name"]))
    recorded = query(held_q.change_points_for, orgs, footprint_code)
    out = []
    for c in applying(held, orgs, list(members["org_code"])):
        who = (who_phrase(len(orgs), footprint_name) if c.is_footprint
               else fmt.short_org_name(names.get(c.org_code, c.org_code)))
        points = change_points.applying(recorded, orgs, list(members["org_code"]), c.measure)
        out.append(track(query, c, orgs, place, last, who, points))
    return out


# -- entering: the form and the file ---------------------------------------------------------

@dataclass(frozen=True)
class CommitmentColumn:
    name: str
    required: bool
    help: str
    example: str
    aliases: tuple[str, ...] = ()


COLUMNS = (
    CommitmentColumn("org_code", False, "The organisation's ODS code; leave empty for a "
                     "commitment the footprint's organisations made together", "RXK",
                     ("organisation", "org", "ods code")),
    CommitmentColumn("footprint_code", False, "The footprint's code, for a commitment made "
                     "together (leave empty for one organisation's)", "",
                     ("footprint",)),
    CommitmentColumn("measure", False, "What it promises to move: local spend share (the "
                     "default)", "local spend share"),
    CommitmentColumn("baseline_first", True, "The baseline's first quarter, as 2014/15 Q1 or "
                     "any date within it", "2014/15 Q1", ("baseline start", "baseline from")),
    CommitmentColumn("baseline_last", True, "The baseline's last quarter", "2014/15 Q4",
                     ("baseline end", "baseline to")),
    CommitmentColumn("rise", True, "The rise promised: a number, e.g. 10", "10",
                     ("target", "amount", "increase")),
    CommitmentColumn("rise_kind", True, "relative (a % of the baseline: 10 raises 20% to "
                     "22%) or points (percentage points: 2 raises 20% to 22%)", "relative",
                     ("kind", "target kind")),
    CommitmentColumn("target_quarter", True, "The quarter the target is for", "2017/18 Q4",
                     ("target date", "by")),
    CommitmentColumn("made_in", True, "Where the commitment was made: a plan, a strategy, "
                     "a board paper", "Public Health Plan 2014-17",
                     ("where made", "source", "made in")),
    CommitmentColumn("basis", False, "The spend it is measured on: influenceable (the "
                     "default) or all (all in-scope spend)", "influenceable"),
)
MAX_MADE_IN = 200
MAX_RISE = {RELATIVE: 1000.0, POINTS: 100.0}

_KIND_WORDS = {"relative": RELATIVE, "relative %": RELATIVE, "%": RELATIVE, "percent": RELATIVE,
               "relative pct": RELATIVE, "relative_pct": RELATIVE,
               "points": POINTS, "point": POINTS, "percentage points": POINTS, "pts": POINTS,
               "pp": POINTS}
_BASIS_WORDS = {"influenceable": "influenceable", "influenceable spend": "influenceable",
                "": "influenceable", "all": "all", "in-scope": "all", "all in-scope": "all",
                "in scope": "all", "all in-scope spend": "all", "in-scope spend": "all"}
_MEASURE_WORDS = {norm_header(w): m.key for m in MEASURES.values()
                  for w in (m.key, m.key.replace("_", " "), *m.aliases)}


@dataclass
class CheckedCommitments:
    file_name: str
    sha256: str
    rows: pd.DataFrame  # the commitment table's columns, ready to insert; empty on errors
    issues: pd.DataFrame

    @property
    def errors(self) -> pd.DataFrame:
        return self.issues[self.issues["severity"] == "error"]

    @property
    def warnings(self) -> pd.DataFrame:
        return self.issues[self.issues["severity"] == "warning"]

    @property
    def ok(self) -> bool:
        return self.errors.empty and not self.rows.empty

    def lines(self) -> list[str]:
        """Each commitment in a line, for the command line: 'RXK: local share ...'."""
        out = []
        for r in self.rows.to_dict("records"):
            c = Commitment.from_row(r)
            who = c.org_code or f"{c.footprint_code} (its organisations together)"
            out.append(f"  {who}: {MEASURES[c.measure].label} of "
                       f"{BASES.get(c.basis, c.basis)} {c.rise_text} on its {c.baseline_label} "
                       f"baseline, by {quarter_label(c.target_quarter)} ({c.made_in})")
        return out

    def summary(self) -> str:
        if not self.ok:
            first = self.errors.iloc[0] if not self.errors.empty else None
            where = (f"row {first['row']}, column {first['column']}: " if first is not None
                     and not pd.isna(first["row"]) else "")
            problem = first["problem"] if first is not None else "it holds no commitments."
            return (f"{self.file_name}: {plural(max(1, len(self.errors)), 'problem')}; nothing "
                    f"was entered. First: {where}{problem}")
        return f"Commitments: {plural(len(self.rows), 'commitment')} from {self.file_name}"


def template_csv() -> bytes:
    return spreadsheets.to_csv_bytes(pd.DataFrame([{c.name: c.example for c in COLUMNS}]))


def columns_guide() -> pd.DataFrame:
    return pd.DataFrame([{"Column": c.name, "Required": "Yes" if c.required else "No",
                          "What it holds": c.help} for c in COLUMNS])


def known_columns() -> list[str]:
    """Every name the file's columns may have: how its header row is found."""
    return [n for c in COLUMNS for n in (c.name, c.name.replace("_", " "), *c.aliases)]


def _columns(raw: RawFile, issues: Issues) -> dict[str, str]:
    """Ours -> the file's, by name or alias, ignoring case, spaces and punctuation."""
    theirs = {norm_header(c): c for c in raw.columns}
    found = {}
    for col in COLUMNS:
        for name in (col.name, col.name.replace("_", " "), *col.aliases):
            if norm_header(name) in theirs:
                found[col.name] = theirs[norm_header(name)]
                break
        else:
            if col.required:
                issues.whole(f"{raw.name} has no {col.name!r} column ({col.help}).",
                             column=col.name)
    if "org_code" not in found and "footprint_code" not in found:
        issues.whole(f"{raw.name} has neither an 'org_code' nor a 'footprint_code' column: "
                     "say who made each commitment.", column="org_code")
    return found


def check_commitments(wh, raw: RawFile) -> CheckedCommitments:
    """Check a file of commitments, one a row, against the organisations and footprints held.
    Problems name the row (as a spreadsheet numbers it) and the column."""
    issues = Issues(raw.name)
    mapping = _columns(raw, issues)
    empty = pd.DataFrame()
    if issues.parts:
        return CheckedCommitments(raw.name, raw.sha256, empty, issues.frame())
    cells = pd.DataFrame({ours: raw.frame[theirs].astype("str").fillna("").str.strip()
                          for ours, theirs in mapping.items()}, index=raw.frame.index)
    for col in COLUMNS:
        if col.name not in cells:
            cells[col.name] = ""
    for col in cells.columns:
        issues.rows(parse.formula_cells(cells[col]), col, cells[col],
                    "Starts with =, +, - or @, so a spreadsheet would run it as a formula; "
                    "remove that character.")
    rows = _check_cells(wh, cells, issues)
    if issues.has_errors:
        rows = empty
    return CheckedCommitments(raw.name, raw.sha256, rows, issues.frame())


def _check_cells(wh, cells: pd.DataFrame, issues: Issues) -> pd.DataFrame:
    orgs = {r[0]: r[1] for r in wh.rows("select org_code, footprint_code from organisation")}
    footprints = {r[0] for r in wh.rows("select footprint_code from footprint")}
    org = cells["org_code"].str.upper()
    foot = cells["footprint_code"].str.upper()
    neither = (org == "") & (foot == "")
    issues.rows(neither, "org_code", cells["org_code"],
                "Missing: give the organisation's ODS code, or the footprint's code in "
                "footprint_code for a commitment made together.")
    issues.rows((org != "") & (foot != ""), "footprint_code", cells["footprint_code"],
                "Give an organisation or a footprint, not both: leave footprint_code empty "
                "for one organisation's commitment.")
    issues.rows((org != "") & ~org.isin(list(orgs)), "org_code", cells["org_code"],
                "Not an organisation in Anchor: load it first (organisations file).")
    issues.rows((org == "") & (foot != "") & ~foot.isin(list(footprints)), "footprint_code",
                cells["footprint_code"], "Not a footprint in Anchor.")

    measure = cells["measure"].map(lambda v: _MEASURE_WORDS.get(norm_header(v)) if v
                                   else "local_spend_share")
    issues.rows(measure.isna(), "measure", cells["measure"],
                "Not a measure Anchor tracks: use " + ", ".join(
                    repr(m.key.replace("_", " ")) for m in MEASURES.values()) + ".")

    quarters = {}
    for col in ("baseline_first", "baseline_last", "target_quarter"):
        p = parse.quarters(cells[col])
        issues.rows(p.missing, col, cells[col], "Missing: give a quarter, as 2014/15 Q1.")
        issues.rows(p.bad, col, cells[col], "Not a quarter: use 2014/15 Q1, or a date "
                    "within the quarter (dd/mm/yyyy).")
        quarters[col] = pd.to_datetime(p.values)
    first, last, target = (quarters[c] for c in ("baseline_first", "baseline_last",
                                                 "target_quarter"))
    issues.rows(last < first, "baseline_last", cells["baseline_last"],
                "The baseline's last quarter comes before its first.")
    issues.rows(target <= last, "target_quarter", cells["target_quarter"],
                "The target quarter must come after the baseline's last quarter.")

    kind = cells["rise_kind"].str.lower().map(_KIND_WORDS)
    issues.rows((cells["rise_kind"] != "") & kind.isna(), "rise_kind", cells["rise_kind"],
                "Use relative (a % of the baseline) or points (percentage points).")
    issues.rows(cells["rise_kind"] == "", "rise_kind", cells["rise_kind"],
                "Missing: is the rise relative (a % of the baseline) or in points?")
    p = parse.number(cells["rise"].str.rstrip("%").str.strip())
    issues.rows(p.missing, "rise", cells["rise"], "Missing: how much of a rise is promised?")
    issues.rows(p.bad, "rise", cells["rise"], "Not a number.")
    amount = p.values
    issues.rows(~p.bad & ~p.missing & (amount <= 0), "rise", cells["rise"],
                "The rise must be more than 0.")
    largest = kind.map(MAX_RISE)
    issues.rows(~p.bad & (amount > largest), "rise", cells["rise"],
                kind.map(lambda k: f"More than {MAX_RISE.get(k, 0):g} "
                                   f"{'%' if k == RELATIVE else 'points'}: check the figure."))

    made_in = cells["made_in"]
    issues.rows(made_in == "", "made_in", made_in,
                "Missing: where was the commitment made (a plan, a strategy, a board paper)?")
    issues.rows(made_in.str.len() > MAX_MADE_IN, "made_in", made_in,
                f"Longer than {MAX_MADE_IN} characters: name the plan or paper, briefly.")
    basis = cells["basis"].str.lower().map(_BASIS_WORDS)
    issues.rows(basis.isna(), "basis", cells["basis"],
                "Use influenceable (influenceable spend) or all (all in-scope spend).")

    who = org.where(org != "", "footprint " + foot)
    dup = (~neither & measure.notna()) & pd.DataFrame({"w": who, "m": measure}).duplicated(
        keep=False)
    issues.rows(dup, "org_code" if (org != "").any() else "footprint_code", who,
                "The same organisation (or footprint) and measure appear twice: enter one "
                "commitment for each.")
    return pd.DataFrame({
        "org_code": org.where(org != "", None),
        "footprint_code": foot.where((org == "") & (foot != ""), None),
        "measure": measure,
        "baseline_start": first.dt.date, "baseline_end": last.dt.date,
        "kind": kind, "amount": amount, "target_quarter": target.dt.date,
        "basis": basis, "made_in": made_in,
    }, index=cells.index)


def form_file(*, org_code: str | None, footprint_code: str | None, measure: str,
              baseline_first: date, baseline_last: date, rise: float | None, kind: str,
              target_quarter: date, made_in: str, basis: str) -> RawFile:
    """The form's entry as a one-row file, so it is checked exactly as a file is: its
    problems name row 2 and the column, as a file's would."""
    frame = pd.DataFrame([{
        "org_code": org_code or "", "footprint_code": footprint_code or "",
        "measure": measure.replace("_", " "),
        "baseline_first": quarter_label(baseline_first),
        "baseline_last": quarter_label(baseline_last),
        "rise": "" if rise is None else f"{rise:g}",
        "rise_kind": {RELATIVE: "relative", POINTS: "points"}.get(kind, kind),
        "target_quarter": quarter_label(target_quarter), "made_in": made_in.strip(),
        "basis": basis,
    }], index=[2])
    text = frame.to_csv(index=False).encode()
    return RawFile(name="the commitment form", sha256=sha256_of(text), size_bytes=len(text),
                   encoding="UTF-8", header_row=1, frame=frame, header=tuple(frame.columns))


def quarter_choices(first: date, last: date) -> list[date]:
    """The quarters the form offers: every quarter held, and ten years on for a target."""
    return quarters_between(first, add_quarters(last, 40))


# The entries being written, typed (a column of nothing but empty cells has no type of its own).
_NEW = """(select org_code::varchar as org_code, footprint_code::varchar as footprint_code,
                 measure::varchar as measure, baseline_start::date as baseline_start,
                 baseline_end::date as baseline_end, kind::varchar as kind,
                 amount::double as amount, target_quarter::date as target_quarter,
                 basis::varchar as basis, made_in::varchar as made_in
          from commitment_rows)"""
# A commitment held for the same organisation (or footprint) and measure as an entry.
_SAME = """c.measure = n.measure and (c.org_code = n.org_code or (c.org_code is null
           and n.org_code is null and c.footprint_code = n.footprint_code))"""


@writes("enter a commitment")
def save_commitments(wh, checked: CheckedCommitments, user: User) -> int:
    """Write checked commitments in one transaction, replacing those held for the same
    organisation (or footprint) and measure, which are kept for undo; returns the load id."""
    if not checked.ok:
        raise ValueError(checked.summary())
    rows = checked.rows.reset_index(drop=True)
    rows = rows.astype(object).where(rows.notna(), None)  # empty cells bound as null
    with wh.transaction() as cur:
        load_id = int(cur.execute("select nextval('load_id_seq')").fetchall()[0][0])
        cur.register("commitment_rows", rows)
        replaced = [int(cur.execute(
            f"select count(*) from commitment as c, {_NEW} as n where {_SAME}"
            " and n.measure = ? and n.org_code is not distinct from ?"
            " and n.footprint_code is not distinct from ?",
            [r.measure, r.org_code, r.footprint_code]).fetchall()[0][0])
            for r in rows.itertuples()]
        cur.execute(f"insert into commitment_replaced by name select c.*, ? as replaced_by"
                    f" from commitment as c where exists (select 1 from {_NEW} as n"
                    f" where {_SAME})", [load_id])
        cur.execute(f"delete from commitment as c where exists (select 1 from {_NEW} as n"
                    f" where {_SAME})")
        cur.execute(f"insert into commitment by name select n.*, ? as load_id,"
                    f" false as is_demo from {_NEW} as n", [load_id])
        cur.unregister("commitment_rows")
        cur.execute(
            "insert into load (load_id, loaded_at, loaded_by, file_name, sha256, table_name,"
            " outcome, message) values (?, ?, ?, ?, ?, 'commitment', 'loaded', ?)",
            [load_id, datetime.now(UTC).replace(tzinfo=None), user.name, checked.file_name,
             checked.sha256, checked.summary()])
        cur.executemany(
            "insert into load_slice (load_id, table_name, org_code, rows_added, rows_replaced)"
            " values (?, 'commitment', ?, 1, ?)",
            [[load_id, r.org_code or f"{r.footprint_code} (footprint)", n]
             for r, n in zip(rows.itertuples(), replaced)])
        bump_data_version(cur)
    return load_id
