"""Statistical process control as NHS England's "Making Data Count" (MDC) sets it out.

An XmR chart: the mean of the series, the mean moving range (MR̄), and process limits at
mean ± 2.66 × MR̄ (three sigma, sigma estimated as MR̄ ÷ 1.128). Special cause when:
  1. a point falls outside the process limits (a point exactly on a limit does not);
  2. seven or more points in a row lie above, or below, the mean (a shift);
  3. seven or more points in a row rise, or fall (a trend);
  4. two of three points in a row lie beyond two sigma, all three on the same side of the
     mean; a point beyond the limits counts towards it, as MDC's guidance has had it since
     2023. The points beyond two sigma are the ones marked.
A point on the mean breaks a shift; equal neighbours break a trend; a gap (no value) breaks
both and is never marked.

Each marked point is an improvement when any rule marks it on the better side (for a trend,
the better direction), as the MDC tool shows it, else a concern; for a metric with no better
direction it is "high" or "low". The variation icon describes the latest point with a value.

Rebasing: a series may be split into phases (a commitment's start, a new hospital), each
with its own mean and limits, and each with an optional fixed baseline (its first N points)
carried forward. Limits from fewer than `MIN_POINTS` points are provisional: the result says
so, as NHSRplotthedots warns below the same number.

The assurance icon compares a target with the latest phase's limits: a target strictly
beyond the limit on the better side is met every time, strictly beyond the worse side's
limit missed every time, otherwise (a target on a limit included) hit and miss. Pure
functions; no I/O.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

LIMIT_FACTOR = 2.66  # 3 / 1.128
TWO_SIGMA_FACTOR = LIMIT_FACTOR * 2 / 3
RUN_LENGTH = 7  # points in a shift, and in a trend
MIN_POINTS = 12  # fewer points behind the limits: provisional

COMMON = "common cause"
IMPROVING = "special cause: improving"
CONCERN = "special cause: concerning"
HIGH = "special cause: high"  # a metric with no better direction
LOW = "special cause: low"

PASS = "consistently meets the target"
FAIL = "consistently misses the target"
HIT_AND_MISS = "hits and misses the target"


@dataclass(frozen=True)
class Phase:
    """A stretch of the series with its own limits, from point `start` (0-based) to the next
    phase. `baseline` fixes its mean and limits on its first `baseline` points with a value."""

    start: int
    name: str = ""
    baseline: int | None = None


@dataclass(frozen=True)
class SpcResult:
    """`points` has label, value, phase, mean, ucl, lcl, upper_2s, lower_2s (each the
    point's own phase's), moving_range, special (bool), rules (text) and signal (COMMON,
    IMPROVING, CONCERN, HIGH or LOW). `mean`, `mr_bar`, `ucl`, `lcl` and `baseline_points`
    are the latest phase's: the limits a target is judged against."""

    points: pd.DataFrame
    mean: float
    mr_bar: float
    ucl: float
    lcl: float
    baseline_points: int
    improvement: str | None  # 'up', 'down' or None
    target: float | None
    variation: str
    assurance: str | None
    phases: tuple[Phase, ...] = field(default=(Phase(0),))

    @property
    def provisional(self) -> bool:
        """The latest limits rest on fewer points than MDC asks for."""
        return self.baseline_points < MIN_POINTS


def _runs(flags: Sequence[bool], length: int) -> list[bool]:
    """Mark every member of a run of at least `length` consecutive True flags."""
    marked = [False] * len(flags)
    start = None
    for i, f in enumerate([*flags, False]):
        if f and start is None:
            start = i
        elif not f and start is not None:
            if i - start >= length:
                for j in range(start, i):
                    marked[j] = True
            start = None
    return marked


def _present(v: float | None) -> bool:
    return v is not None and not math.isnan(v)


@dataclass(frozen=True)
class _Limits:
    mean: float
    mr_bar: float
    points: int

    @property
    def ucl(self) -> float:
        return self.mean + LIMIT_FACTOR * self.mr_bar

    @property
    def lcl(self) -> float:
        return self.mean - LIMIT_FACTOR * self.mr_bar

    @property
    def upper_2s(self) -> float:
        return self.mean + TWO_SIGMA_FACTOR * self.mr_bar

    @property
    def lower_2s(self) -> float:
        return self.mean - TWO_SIGMA_FACTOR * self.mr_bar


def _limits(vals: list[float | None], baseline: int | None) -> _Limits:
    """Mean and MR̄ of a phase's first `baseline` values (all when None). Moving ranges
    are taken between neighbours that both have a value."""
    shown = [i for i, v in enumerate(vals) if _present(v)]
    if baseline is not None:
        shown = shown[: max(2, baseline)]
    if len(shown) < 2:
        raise ValueError("An XmR chart needs at least two points in each phase.")
    base = [vals[i] for i in shown]
    end = shown[-1]
    mrs = [abs(vals[i] - vals[i - 1]) for i in range(1, end + 1)
           if _present(vals[i]) and _present(vals[i - 1])]
    if not mrs:
        raise ValueError("An XmR chart needs two neighbouring points in each phase.")
    return _Limits(sum(base) / len(base), sum(mrs) / len(mrs), len(base))


def _sides(vals: list[float | None], lim: _Limits) -> list[dict[str, int]]:
    """For each point of one phase, the rules that mark it and the side each marks it on
    (+1 high or rising, -1 low or falling)."""
    n = len(vals)
    marks: list[dict[str, int]] = [{} for _ in range(n)]
    side = [0 if not _present(v) or v == lim.mean else (1 if v > lim.mean else -1)
            for v in vals]
    for i, v in enumerate(vals):
        if _present(v) and (v > lim.ucl or v < lim.lcl):
            marks[i]["outside the limits"] = side[i]
    for s, word in ((1, "above"), (-1, "below")):
        for i, m in enumerate(_runs([x == s for x in side], RUN_LENGTH)):
            if m:
                marks[i][f"{RUN_LENGTH} or more {word} the mean"] = s
    # A trend of seven points needs six steps in the same direction.
    for s, word in ((1, "rising"), (-1, "falling")):
        steps = [_present(vals[i]) and _present(vals[i - 1]) and (vals[i] - vals[i - 1]) * s > 0
                 for i in range(1, n)]
        for i, m in enumerate(_runs(steps, RUN_LENGTH - 1)):
            if m:
                marks[i][f"{RUN_LENGTH} or more {word}"] = s
                marks[i + 1][f"{RUN_LENGTH} or more {word}"] = s
    beyond = [0 if not _present(v) else 1 if v > lim.upper_2s else -1 if v < lim.lower_2s else 0
              for v in vals]
    for i in range(n - 2):
        window = range(i, i + 3)
        for s in (1, -1):
            if all(side[j] == s for j in window) and sum(beyond[j] == s for j in window) >= 2:
                for j in window:
                    if beyond[j] == s:
                        marks[j]["2 of 3 beyond two sigma"] = s
    return marks


def _signal(marks: dict[str, int], value: float | None, mean: float,
            improvement: str | None) -> str:
    if not marks:
        return COMMON
    sides = set(marks.values())
    if improvement is None:
        if sides == {1}:
            return HIGH
        if sides == {-1}:
            return LOW
        return HIGH if value > mean else LOW  # a trend back across the mean
    better = 1 if improvement == "up" else -1
    return IMPROVING if better in sides else CONCERN


def xmr(values: Sequence[float | None], labels: Sequence[str], *, improvement: str | None = None,
        target: float | None = None, baseline: int | None = None,
        phases: Sequence[Phase] = ()) -> SpcResult:
    """An XmR chart of `values` (in time order; None or NaN for a gap). `phases` split the
    series for rebasing (the first must start at 0); `baseline` fixes the limits of a series
    with one phase on its first `baseline` points."""
    if improvement not in (None, "up", "down"):
        raise ValueError("improvement must be 'up', 'down' or None.")
    vals = [None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v)
            for v in values]
    n = len(vals)
    if len(labels) != n:
        raise ValueError("An XmR chart needs one label per value.")
    if sum(_present(v) for v in vals) < 2:
        raise ValueError("An XmR chart needs at least two points.")
    phases = tuple(phases) or (Phase(0, baseline=baseline),)
    starts = [p.start for p in phases]
    if starts[0] != 0 or starts != sorted(set(starts)) or starts[-1] >= n:
        raise ValueError("Phases must start at the first point, in order, within the series.")

    rows, last = [], None
    for k, phase in enumerate(phases):
        end = starts[k + 1] if k + 1 < len(phases) else n
        part = vals[phase.start:end]
        lim = _limits(part, phase.baseline)
        for i, marks in enumerate(_sides(part, lim)):
            j = phase.start + i
            rows.append({
                "label": labels[j], "value": vals[j], "phase": k, "mean": lim.mean,
                "ucl": lim.ucl, "lcl": lim.lcl, "upper_2s": lim.upper_2s,
                "lower_2s": lim.lower_2s,
                "moving_range": (abs(vals[j] - vals[j - 1]) if i and _present(vals[j])
                                 and _present(vals[j - 1]) else None),
                "special": bool(marks), "rules": "; ".join(marks),
                "signal": _signal(marks, vals[j], lim.mean, improvement),
            })
        last = lim
    points = pd.DataFrame(rows)
    latest = points[points["value"].notna()].iloc[-1]
    return SpcResult(points, last.mean, last.mr_bar, last.ucl, last.lcl, last.points,
                     improvement, target, latest["signal"],
                     assurance(last.lcl, last.ucl, target, improvement), phases)


def assurance(lcl: float, ucl: float, target: float | None, improvement: str | None) -> str | None:
    """Can the process be relied on to meet the target? A target on a limit cannot."""
    if target is None or improvement is None:
        return None
    if target > ucl:
        return FAIL if improvement == "up" else PASS
    if target < lcl:
        return PASS if improvement == "up" else FAIL
    return HIT_AND_MISS


def describe(result: SpcResult) -> str:
    """One sentence for a board: the latest point's variation, and the assurance."""
    points = result.points[result.points["value"].notna()]
    text = f"Latest point ({points['label'].iat[-1]}): {result.variation}"
    if result.variation != COMMON:
        text += f" ({points['rules'].iat[-1]})"
    if result.assurance:
        text += f"; the process {result.assurance}"
    text += "."
    if result.provisional:
        text += (f" The limits are provisional: they rest on {result.baseline_points} points, "
                 f"and Making Data Count asks for at least {MIN_POINTS}.")
    return text
