"""Statistical process control as NHS England's "Making Data Count" sets it out.

An XmR chart: the mean of the series, the mean moving range (MR̄), and process limits at
mean ± 2.66 × MR̄ (three sigma, sigma estimated as MR̄ ÷ 1.128). Special cause when:
  1. a point falls outside the process limits;
  2. seven or more points in a row lie above, or below, the mean (a shift);
  3. seven or more points in a row rise, or fall (a trend);
  4. two of three points in a row lie beyond two sigma on the same side (close to a limit).
A point on the mean breaks a shift. Equal neighbours break a trend.

The variation icon describes the latest point; the assurance icon compares a target with
the limits: met every time (the limit on the worse side is beyond the target), missed
every time, or hit and miss. Pure functions; no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

LIMIT_FACTOR = 2.66  # 3 / 1.128
TWO_SIGMA_FACTOR = LIMIT_FACTOR * 2 / 3
RUN_LENGTH = 7

COMMON = "common cause"
IMPROVING = "special cause: improving"
CONCERN = "special cause: concerning"
NEITHER = "special cause"  # a metric with no better direction

PASS = "consistently meets the target"
FAIL = "consistently misses the target"
HIT_AND_MISS = "hits and misses the target"


@dataclass(frozen=True)
class SpcResult:
    """`points` has label, value, mean, ucl, lcl, upper_2s, lower_2s, moving_range,
    special (bool), rules (text), signal (COMMON / IMPROVING / CONCERN / NEITHER)."""

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


def xmr(values: Sequence[float], labels: Sequence[str], *, improvement: str | None = None,
        target: float | None = None, baseline: int | None = None) -> SpcResult:
    """An XmR chart of `values` (in time order). `baseline` fixes the mean and limits on the
    first `baseline` points; otherwise every point is used."""
    if improvement not in (None, "up", "down"):
        raise ValueError("improvement must be 'up', 'down' or None.")
    vals = [float(v) for v in values]
    n = len(vals)
    if n < 2:
        raise ValueError("An XmR chart needs at least two points.")
    b = n if baseline is None else max(2, min(baseline, n))
    base = vals[:b]
    mean = sum(base) / b
    mrs = [abs(base[i] - base[i - 1]) for i in range(1, b)]
    mr_bar = sum(mrs) / len(mrs)
    ucl, lcl = mean + LIMIT_FACTOR * mr_bar, mean - LIMIT_FACTOR * mr_bar
    up2, lo2 = mean + TWO_SIGMA_FACTOR * mr_bar, mean - TWO_SIGMA_FACTOR * mr_bar

    outside = [v > ucl or v < lcl for v in vals]
    above = _runs([v > mean for v in vals], RUN_LENGTH)
    below = _runs([v < mean for v in vals], RUN_LENGTH)
    # A trend of seven points needs six steps in the same direction.
    rising_steps = [vals[i] > vals[i - 1] for i in range(1, n)]
    falling_steps = [vals[i] < vals[i - 1] for i in range(1, n)]
    rising = [False] * n
    falling = [False] * n
    for steps, mark in ((rising_steps, rising), (falling_steps, falling)):
        for i, m in enumerate(_runs(steps, RUN_LENGTH - 1)):
            if m:
                mark[i] = mark[i + 1] = True
    near_high = [False] * n
    near_low = [False] * n
    for i in range(n - 2):
        window = range(i, i + 3)
        hi = [j for j in window if vals[j] > up2]
        lo = [j for j in window if vals[j] < lo2]
        for group, mark in ((hi, near_high), (lo, near_low)):
            if len(group) >= 2:
                for j in group:
                    mark[j] = True

    rules, signals = [], []
    for i, v in enumerate(vals):
        r = []
        if outside[i]:
            r.append("outside the limits")
        if above[i] or below[i]:
            r.append(f"{RUN_LENGTH} or more {'above' if above[i] else 'below'} the mean")
        if rising[i] or falling[i]:
            r.append(f"{RUN_LENGTH} or more {'rising' if rising[i] else 'falling'}")
        if near_high[i] or near_low[i]:
            r.append("2 of 3 beyond two sigma")
        rules.append("; ".join(r))
        if not r:
            signals.append(COMMON)
            continue
        high = (v > mean) if not (rising[i] or falling[i]) else rising[i]
        if improvement is None:
            signals.append(NEITHER)
        elif (improvement == "up") == high:
            signals.append(IMPROVING)
        else:
            signals.append(CONCERN)

    moving = [None] + [abs(vals[i] - vals[i - 1]) for i in range(1, n)]
    points = pd.DataFrame({
        "label": list(labels), "value": vals, "mean": mean, "ucl": ucl, "lcl": lcl,
        "upper_2s": up2, "lower_2s": lo2, "moving_range": moving,
        "special": [s != COMMON for s in signals], "rules": rules, "signal": signals,
    })
    return SpcResult(points, mean, mr_bar, ucl, lcl, b, improvement, target, signals[-1],
                     assurance(lcl, ucl, target, improvement))


def assurance(lcl: float, ucl: float, target: float | None, improvement: str | None) -> str | None:
    """Can the process be relied on to meet the target?"""
    if target is None or improvement is None:
        return None
    if improvement == "up":
        if lcl >= target:
            return PASS
        if ucl < target:
            return FAIL
    else:
        if ucl <= target:
            return PASS
        if lcl > target:
            return FAIL
    return HIT_AND_MISS


def describe(result: SpcResult) -> str:
    """One sentence for a board: the latest point's variation, and the assurance."""
    text = f"Latest point: {result.variation}"
    if result.variation != COMMON:
        text += f" ({result.points['rules'].iat[-1]})"
    if result.assurance:
        text += f"; the process {result.assurance}"
    return text + "."
