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
    assert spc.xmr(v, labels(10)).variation == spc.NEITHER


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
