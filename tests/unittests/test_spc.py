"""SPC against examples worked by hand (Making Data Count rules)."""

import pytest

from anchor import spc


def labels(n):
    return [f"Q{i + 1}" for i in range(n)]


def test_limits_and_a_point_outside_them():
    # mean 77/10 = 7.7; moving ranges 2,1,2,2,1,2,1,1,13 -> MR-bar 25/9 = 2.7778
    # limits 7.7 ± 2.66 × 2.7778 = 0.3111 .. 15.0889
    v = [5, 7, 6, 8, 6, 7, 5, 6, 7, 20]
    r = spc.xmr(v, labels(10), improvement="up", target=10)
    assert r.mean == pytest.approx(7.7)
    assert r.mr_bar == pytest.approx(25 / 9)
    assert r.ucl == pytest.approx(15.0889, abs=1e-4)
    assert r.lcl == pytest.approx(0.3111, abs=1e-4)
    assert list(r.points["special"]) == [False] * 9 + [True]
    assert r.points["rules"].iat[-1] == "outside the limits"
    assert r.variation == spc.IMPROVING
    assert r.assurance == spc.HIT_AND_MISS  # 10 lies between the limits
    down = spc.xmr(v, labels(10), improvement="down")
    assert down.variation == spc.CONCERN
    assert spc.xmr(v, labels(10)).variation == spc.HIGH


def test_fixed_baseline():
    # first 9 points: mean 57/9 = 6.3333; MR-bar 12/8 = 1.5; limits 2.3433 .. 10.3233
    r = spc.xmr([5, 7, 6, 8, 6, 7, 5, 6, 7, 20], labels(10), improvement="up", baseline=9)
    assert (r.mean, r.mr_bar) == (pytest.approx(57 / 9), pytest.approx(1.5))
    assert r.ucl == pytest.approx(10.3233, abs=1e-4)
    assert r.lcl == pytest.approx(2.3433, abs=1e-4)
    assert r.baseline_points == 9


def test_shifts_and_two_of_three_near_a_limit():
    # mean 48/14 = 3.4286; MR-bar 16/13 = 1.2308; two sigma: 1.2461 .. 5.6111
    v = [1, 2, 1, 2, 1, 2, 1, 5, 6, 5, 6, 5, 6, 5]
    r = spc.xmr(v, labels(14), improvement="down")
    assert not any(r.points["rules"].str.contains("outside"))
    assert all(r.points["special"])  # seven below, then seven above the mean
    assert r.points["rules"].iat[0] == "7 or more below the mean; 2 of 3 beyond two sigma"
    assert r.points["rules"].iat[8] == "7 or more above the mean; 2 of 3 beyond two sigma"
    assert r.points["rules"].iat[9] == "7 or more above the mean"
    assert r.variation == spc.CONCERN  # above the mean is worse when lower is better


def test_trend_of_seven():
    r = spc.xmr([1, 2, 3, 4, 5, 6, 7, 7, 6], labels(9), improvement="up")
    assert [("rising" in x) for x in r.points["rules"]] == [True] * 7 + [False, False]
    six = spc.xmr([1, 2, 3, 4, 5, 6, 6, 5, 6], labels(9), improvement="up")
    assert not any("rising" in x for x in six.points["rules"])


def test_assurance():
    assert spc.assurance(lcl=0.40, ucl=0.60, target=0.35, improvement="up") == spc.PASS
    assert spc.assurance(lcl=0.40, ucl=0.60, target=0.65, improvement="up") == spc.FAIL
    assert spc.assurance(lcl=0.40, ucl=0.60, target=0.35, improvement="down") == spc.FAIL
    assert spc.assurance(lcl=0.40, ucl=0.60, target=0.50, improvement="down") == spc.HIT_AND_MISS
    assert spc.assurance(lcl=0.40, ucl=0.60, target=None, improvement="up") is None


def test_too_short():
    with pytest.raises(ValueError):
        spc.xmr([1.0], ["Q1"])


# The rules one at a time. A fixed baseline of four points that alternate across the mean
# (20, 0, 20, 0: mean 10, MR-bar 20, limits 10 ± 53.2, two sigma 10 ± 35.5) keeps the later
# points far inside the limits, so only the rule under test can mark them.
WIDE = [20, 0, 20, 0]


def marked(values, rule, **kwargs):
    r = spc.xmr(values, labels(len(values)), baseline=4, **kwargs)
    return [i for i, x in enumerate(r.points["rules"]) if rule in x]


@pytest.mark.parametrize("run, flagged", [(6, False), (7, True), (8, True)])
def test_a_shift_needs_seven_points(run, flagged):
    above = ([11, 12] * 4)[:run]
    v = WIDE + above + [9]
    expected = list(range(4, 4 + run)) if flagged else []
    assert marked(v, "above the mean") == expected


def test_a_point_on_the_mean_breaks_a_shift():
    assert marked(WIDE + [11, 12, 11, 10, 12, 11, 12, 11], "above the mean") == []


@pytest.mark.parametrize("tail, expected", [
    ([7, 8, 9, 11, 12, 13, 14], list(range(4, 11))),     # exactly seven rising
    ([7, 8, 9, 11, 12, 13, 12], []),                      # six rising, then a fall
    ([7, 8, 9, 9, 11, 12, 13, 14], []),                  # a flat step breaks it
])
def test_trends(tail, expected):
    # after WIDE's last 0 the series starts from below, so the baseline's end must not rise
    # into the trend: begin from 20 instead.
    v = [0, 20, 0, 20] + tail
    assert marked(v, "rising") == expected
    assert marked(v, "mean") == []  # the trend crosses the mean: no shift


# A baseline of 9, 11, 9, 11: mean 10, MR-bar 2, limits 4.68 .. 15.32, two sigma
# 6.4533 .. 13.5467.
NARROW = [9, 11, 9, 11]


@pytest.mark.parametrize("tail, expected", [
    ([14, 12, 14], [4, 6]),   # all three above the mean, two beyond two sigma
    ([6, 8, 6], [4, 6]),      # the same below
    ([14, 9, 14], []),        # the middle point lies across the mean
    ([16, 12, 14], [4, 6]),   # a point beyond the limits counts towards it
    ([14, 12, 12], []),       # only one beyond two sigma
])
def test_two_of_three_beyond_two_sigma(tail, expected):
    assert marked(NARROW + tail, "2 of 3") == expected


def test_improvement_wins_when_a_point_signals_both():
    # mean 91/13 = 7. Points 0-6 (5, 4, 5, 4, 5, 5, 6) lie below it: a shift, a concern
    # when higher is better. Points 5-12 (5, 6, ..., 12) rise: a trend, an improvement.
    # Point 5 is in both; MDC shows it as an improvement.
    r = spc.xmr([5, 4, 5, 4, 5, 5, 6, 7, 8, 9, 10, 11, 12], labels(13), improvement="up")
    assert r.mean == pytest.approx(7)
    assert r.points["rules"].iat[5].startswith("7 or more below the mean; 7 or more rising")
    assert r.points["signal"].iat[5] == spc.IMPROVING
    assert r.points["signal"].iat[4] == spc.CONCERN  # in the shift only


def test_a_metric_with_no_direction_is_high_or_low():
    v = [1, 2, 1, 2, 1, 2, 1, 5, 6, 5, 6, 5, 6, 5]  # seven below the mean, then seven above
    r = spc.xmr(v, labels(14))
    assert set(r.points["signal"].iloc[:7]) == {spc.LOW}
    assert set(r.points["signal"].iloc[7:]) == {spc.HIGH}
    assert r.variation == spc.HIGH and r.assurance is None


@pytest.mark.parametrize("target, up, down", [
    (0.35, spc.PASS, spc.FAIL),              # below the lower limit
    (0.40, spc.HIT_AND_MISS, spc.HIT_AND_MISS),  # exactly on it
    (0.50, spc.HIT_AND_MISS, spc.HIT_AND_MISS),  # inside
    (0.60, spc.HIT_AND_MISS, spc.HIT_AND_MISS),  # exactly on the upper limit
    (0.65, spc.FAIL, spc.PASS),              # above it
])
def test_assurance_needs_the_target_strictly_beyond_a_limit(target, up, down):
    assert spc.assurance(lcl=0.40, ucl=0.60, target=target, improvement="up") == up
    assert spc.assurance(lcl=0.40, ucl=0.60, target=target, improvement="down") == down
    assert spc.assurance(lcl=0.40, ucl=0.60, target=target, improvement=None) is None


def test_short_series_have_provisional_limits():
    eleven = spc.xmr([5, 6] * 5 + [5], labels(11), improvement="up")
    assert eleven.provisional
    assert "provisional: they rest on 11 points" in spc.describe(eleven)
    assert "at least 12" in spc.describe(eleven)
    twelve = spc.xmr([5, 6] * 6, labels(12), improvement="up")
    assert not twelve.provisional and "provisional" not in spc.describe(twelve)
    # a fixed baseline shorter than twelve is provisional however long the series
    assert spc.xmr([5, 6] * 10, labels(20), baseline=8).provisional


def test_a_gap_is_left_out_and_breaks_runs():
    # mean (1 + 2 + 4 + 5) / 4 = 3; moving ranges only between neighbours: 1 and 1
    r = spc.xmr([1, 2, None, 4, 5], labels(5))
    assert (r.mean, r.mr_bar) == (pytest.approx(3), pytest.approx(1))
    assert r.points["signal"].iat[2] == spc.COMMON and r.points["rules"].iat[2] == ""
    # four above, a gap, four above: no run of seven
    assert marked(WIDE + [11, 12, 11, 12, None, 11, 12, 11, 12], "above") == []
    assert r.variation == spc.xmr([1, 2, 4, 5], labels(4)).variation


def test_phases_have_their_own_limits_and_rules():
    # phase 1: 5, 6, 5, 6, 5, 6 (mean 5.5, MR-bar 1); phase 2: 9, 10, 9, 10, 9, 10, 9
    # (mean 9.4286, MR-bar 1). As one series the second phase would be a shift above the
    # mean; rebased, it is common cause.
    v = [5, 6, 5, 6, 5, 6, 9, 10, 9, 10, 9, 10, 9]
    one = spc.xmr(v, labels(13), improvement="up")
    assert one.variation == spc.IMPROVING
    two = spc.xmr(v, labels(13), improvement="up",
                  phases=[spc.Phase(0), spc.Phase(6, "New hospital opens")])
    assert list(two.points["phase"]) == [0] * 6 + [1] * 7
    assert two.points["mean"].iat[0] == pytest.approx(5.5)
    assert two.mean == pytest.approx(66 / 7) and two.mr_bar == pytest.approx(1)
    assert two.variation == spc.COMMON
    assert two.phases[1].name == "New hospital opens"
    # a phase's baseline fixes its limits on its first points
    fixed = spc.xmr(v, labels(13), phases=[spc.Phase(0), spc.Phase(6, baseline=2)])
    assert fixed.mean == pytest.approx(9.5) and fixed.mr_bar == pytest.approx(1)
    with pytest.raises(ValueError):
        spc.xmr(v, labels(13), phases=[spc.Phase(2)])
