"""The Local multiplier page: what the footprint's spend is worth to the place once re-spent
(the LM3 measure, anchor/measures/multiplier.py), its assumptions, and what a change would be
worth (scenarios, worked out by anchor/lm3.py).

A scenario starts neutral: no spend moved and the starters' slider at today's share, so its
result is the LM3 as it is until a lever is moved. The page needs the levers' choices (the
categories, today's share of local starters) before it can draw them, so it builds the view,
draws the levers, then asks `MultiplierView.what_if` for their result."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

import pandas as pd

from anchor import disclosure, lm3, narrative, tables
from anchor import formatting as fmt
from anchor.filters import Filters
from anchor.measures import LM3, Reading, Selection, Source
from anchor.periods import Period
from anchor.places import Place
from anchor.queries import lm3 as lm3_queries
from anchor.queries.lm3 import ScenarioInputs
from anchor.views.parts import Table, Tile

SURVEYS_DEFINITION = (
    "Supplier surveys give each supplier's share of its own spending with local suppliers and of "
    "its payroll paid to local residents; staff surveys give the share of net pay spent locally. "
    "Load them above; they replace the assumptions where they exist.")
SCENARIOS_DEFINITION = (
    "Moved spend goes to new local suppliers, who re-spend at the assumed rate; extra local "
    "starters are paid the period's average pay per head for half the period (starters join all "
    "through it). Jobs supported divide the moved spend by the spend that supports one job for "
    "the length of the period (the assumption is a year's spend, so a quarter needs a quarter "
    "of it).")
STAFF_WITHHELD_NOTE = (
    "Local staff's pay is left out of R2, R3 and LM3: a chosen organisation has 1 to 4 staff "
    "living in the place, and their pay would give that count away. LM3 is therefore a floor.")
SAVED_NOTE = ("Each scenario is worked out on its own organisations, period and place, with the "
              "assumptions in force today.")


@dataclass(frozen=True)
class HiringLever:
    """The starters' slider: it starts at today's share of local starters (rounded to a whole
    per cent) and is a lever only once moved from it. It works from the shown (rounded) counts,
    and is not offered when either count is from 1 to 4 (`lm3.hiring_base`)."""

    base: tuple[int, int] | None  # (starters, local starters) as shown; None: not offered
    now_pct: int  # today's share, the slider's starting value
    help: str

    @property
    def offered(self) -> bool:
        return self.base is not None

    def share(self, pct: int | None) -> float | None:
        """The scenario's share of local starters for the slider at `pct`: None (no lever)
        when it is not offered or still at today's share."""
        if self.base is None or pct is None or pct == self.now_pct:
            return None
        return pct / 100


@dataclass(frozen=True)
class Levers:
    """The choices a scenario offers."""

    categories: list[str]  # influenceable categories with spend outside the place, largest first
    hiring: HiringLever


@dataclass(frozen=True)
class ScenarioOutcome:
    """A scenario's result as the page shows it."""

    result: lm3.ScenarioResult
    extra_local: str  # 'More spent in the place'
    lm3_after: str
    lm3_delta: str | None
    jobs: str
    jobs_help: str
    sentence_md: str  # Markdown, its place name escaped
    definition: dict  # what saving it stores


@dataclass(frozen=True)
class MultiplierView:
    filters: Filters
    headline: Reading  # the LM3 measure's reading: its basis is the Lm3Result
    tiles: tuple[Tile, ...]  # LM3, R1, R2, R3
    not_known_md: str | None  # the warning when too few suppliers are placed
    staff_withheld_note: str | None
    coverage: str  # how much of it rests on surveys
    assumed: lm3.Assumptions
    sources: dict[str, str]
    assumptions: pd.DataFrame  # as displayed
    levers: Levers
    scenario: ScenarioOutcome  # for the levers `build` was given (neutral by default)
    saved: Table | None  # saved scenarios side by side; None when none are saved
    saved_names: dict[int, str]  # scenario_id: name
    definitions: list[tuple[str, str]]
    scenario_inputs: ScenarioInputs

    @property
    def result(self) -> lm3.Lm3Result:
        return self.headline.basis

    def what_if(self, shift_pct: int = 0, categories: tuple[str, ...] = (),
                hire_pct: int | None = None) -> ScenarioOutcome:
        """The scenario of the levers: `shift_pct` per cent of the non-local influenceable spend
        of `categories` (every one when empty) moved to local suppliers; the starters' slider
        at `hire_pct` (None, or today's share: no change)."""
        f, period, si = self.filters, self.filters.period, self.scenario_inputs
        hire = self.levers.hiring.share(hire_pct)
        scenario = lm3.Scenario("Unsaved", shift_pct / 100, tuple(categories), hire)
        res = lm3.run_scenario(scenario, self.result, si.non_local_by_category, si.starters,
                               si.local_starters, si.pay_per_head_gbp, self.assumed,
                               period_years=period.n_quarters / 4)
        base = self.result.lm3
        gbp_per_job = self.assumed.gbp_per_job
        return ScenarioOutcome(
            result=res, extra_local=fmt.gbp(res.extra_local_gbp),
            lm3_after=fmt.number(res.after.lm3, digits=2),
            lm3_delta=f"{res.after.lm3 - base:+.2f}" if base else None,
            jobs=fmt.number(res.jobs_supported, digits=0),
            jobs_help=(f"Jobs the moved spend sustains through {period.label}: the moved spend ÷ "
                       f"the {fmt.gbp(gbp_per_job * period.n_quarters / 4)} that keeps one job "
                       f"going for the period ({fmt.gbp(gbp_per_job)} a year, an assumption)."),
            sentence_md=fmt.md_text(tables.scenario_sentence(res, period.label, f.place.phrase)),
            definition={
                "orgs": list(f.orgs), "first": period.first.isoformat(),
                "last": period.last.isoformat(), "place": f.place.to_dict(),
                "shift_share": scenario.shift_share, "categories": list(scenario.categories),
                "local_starter_share": hire,
            })


def _staff_pay(gbp: float | None) -> str:
    # A tile's text is plain (the tile escapes it): '*' marks a withheld figure.
    return fmt.gbp(gbp) if gbp is not None else "* (withheld: 1 to 4 staff live in the place)"


def _tiles(headline: Reading) -> tuple[Tile, ...]:
    r = headline.basis
    lm3_detail = ("Each £1 spent is worth this much to the place, counting two rounds of local "
                  "re-spending." if r.is_known else
                  f"{headline.detail}; the multiplier needs {narrative.share_needed()}.")
    return (
        Tile("LM3", headline.shown, lm3_detail),
        Tile("R1: money studied", fmt.gbp(r.r1_gbp),
             "In-scope spend with suppliers plus the gross pay of all staff."),
        Tile("R2: spent in the place", fmt.gbp(r.r2_gbp),
             f"{fmt.pct(r.r2_gbp / r.r1_gbp if r.r1_gbp else None)} of R1: local suppliers "
             f"{fmt.gbp(r.r2_suppliers_gbp)}, local staff's pay {_staff_pay(r.r2_staff_shown)}."),
        Tile("R3: re-spent in the place", fmt.gbp(r.r3_gbp),
             f"{fmt.pct(r.r3_gbp / r.r2_gbp if r.r2_gbp else None)} of R2: by suppliers "
             f"{fmt.gbp(r.r3_suppliers_gbp)}, by staff {_staff_pay(r.r3_staff_shown)}."),
    )


def _hiring(si: ScenarioInputs, period: Period) -> HiringLever:
    base = lm3.hiring_base(si.starters, si.local_starters)
    now = base[1] / base[0] if base and base[0] else 0.0
    help_ = (f"Now {fmt.pct(now)} of {fmt.count(base[0])} starters in {period.label} (counts to "
             "the nearest 5)." if base else
             f"Not offered: {period.label}'s starters or local starters number 1 to 4, which the "
             "result would give away.")
    return HiringLever(base, round(100 * now), help_)


def _saved(sel: Selection, assumed: lm3.Assumptions, sources: dict[str, str]) -> Table | None:
    saved = sel.query(lm3_queries.saved_scenarios)
    if saved.empty:
        return None
    rows = []
    for row in saved.itertuples():
        d = row.definition
        period = Period(date.fromisoformat(d["first"]), date.fromisoformat(d["last"]))
        place, orgs = Place.from_dict(d["place"]), tuple(d["orgs"])
        base = sel.query(lm3_queries.lm3_inputs, orgs, period.first, period.last,
                         place).multiplier(assumed)
        si = sel.query(lm3_queries.scenario_inputs, orgs, period.first, period.last, place)
        s = lm3.Scenario(row.name, d["shift_share"], tuple(d["categories"]),
                         d.get("local_starter_share"))
        rows.append((row, period, place, lm3.run_scenario(
            s, base, si.non_local_by_category, si.starters, si.local_starters,
            si.pay_per_head_gbp, assumed, period_years=period.n_quarters / 4)))
    comparison = tables.scenario_comparison(rows)
    notes = [SAVED_NOTE] + [f"{lm3.LABELS[k]}: {getattr(assumed, k):g} ({sources[k]})"
                            for k in lm3.LABELS]
    return Table(tables.for_display(comparison), comparison, "Scenarios", notes)


def build(source: Source, filters: Filters, *, shift_pct: int = 0,
          categories: tuple[str, ...] = (), hire_pct: int | None = None) -> MultiplierView:
    """The page for `filters`, its scenario worked out for the levers given (`what_if`)."""
    sel = Selection(source, filters)
    orgs, period, place = filters.orgs, filters.period, filters.place
    headline = LM3.read(sel, period)
    r = headline.basis
    inputs = sel.query(lm3_queries.lm3_inputs, orgs, period.first, period.last, place)
    assumed, sources = sel.query(lm3_queries.assumptions)
    si = sel.query(lm3_queries.scenario_inputs, orgs, period.first, period.last, place)
    coverage = (
        f"{fmt.count(r.surveyed_suppliers)} of the {fmt.count(len(inputs.local_suppliers))} "
        f"local suppliers paid in {period.label} answered a supplier survey, covering "
        f"{fmt.pct(r.surveyed_share_of_r2)} of R2 "
        f"({fmt.pct(r.surveyed_share_of_supplier_spend)} of the spend with local suppliers); "
        f"{r.staff_surveyed_orgs} of {len(inputs.local_staff)} organisations surveyed their "
        "staff. Everything else uses the assumptions below.")
    not_known = (None if r.is_known else fmt.md_text(LM3.sentence(sel, headline, None))
                 + " R2 and R3 below count only the suppliers that are placed.")
    saved = sel.query(lm3_queries.saved_scenarios)
    view = MultiplierView(
        filters=filters, headline=headline, tiles=_tiles(headline),
        not_known_md=not_known,
        staff_withheld_note=STAFF_WITHHELD_NOTE if r.staff_withheld else None,
        coverage=coverage, assumed=assumed, sources=sources,
        assumptions=tables.lm3_assumptions(assumed, sources),
        levers=Levers(list(si.non_local_by_category["category"]), _hiring(si, period)),
        scenario=None, saved=_saved(sel, assumed, sources),
        saved_names=dict(zip(saved["scenario_id"], saved["name"])),
        definitions=[
            ("Place", place.describe()),
            ("LM3", LM3.definition(sel, headline)),
            ("Disclosure control", disclosure.RULE),
            ("Surveys", SURVEYS_DEFINITION),
            ("Scenarios", SCENARIOS_DEFINITION),
        ],
        scenario_inputs=si)
    return replace(view, scenario=view.what_if(shift_pct, categories, hire_pct))
