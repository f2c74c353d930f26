"""change_points / PELT: exactness against brute force and ruptures, recovery, bad input."""

from __future__ import annotations

import dataclasses
import math
import warnings

import numpy as np
import pandas as pd
import pytest

import analysis
from analysis.models.changepoints import (
    ChangePointError,
    ChangePointResult,
    change_points,
    pelt,
)
from analysis.models.changepoints.costs import segment_cost

from ._partition import optimal_partition


def _optimal_partition(y, pen, cost, min_size, alpha=None):
    """Brute-force O(n^2) optimal partitioning, computing each segment cost directly."""
    n = len(y)

    def seg_cost(seg):
        m, s = len(seg), seg.sum()
        if cost == "l2":
            return float(((seg - seg.mean()) ** 2).sum())
        if s == 0:
            return 0.0
        mu = s / m
        if cost == "poisson":  # -2 log-lik without the log(y!) terms
            return float(-2 * (s * math.log(mu) - m * mu))
        r = 1 / alpha
        return float(-2 * (m * r * math.log(r / (r + mu)) + s * math.log(mu / (r + mu))))

    return optimal_partition(n, lambda a, b: seg_cost(y[a:b]), pen, min_size)


def _piecewise(rates, lengths, seed, alpha=None):
    rng = np.random.default_rng(seed)
    mu = np.repeat(rates, lengths).astype(float)
    if alpha:
        mu = rng.gamma(1 / alpha, mu * alpha)
    return rng.poisson(mu).astype(float)


@pytest.mark.parametrize("cost", ["poisson", "negbin", "l2"])
def test_pelt_is_exact(cost):
    y = _piecewise([3, 9, 4, 12], [40, 35, 45, 30], seed=1, alpha=0.1)
    pen = 3 * math.log(len(y)) if cost != "l2" else 60.0
    kw = {"dispersion": 0.1} if cost == "negbin" else {}
    expected = _optimal_partition(y, pen, cost, min_size=3, alpha=kw.get("dispersion"))
    assert pelt(y, pen, cost=cost, min_size=3, engine="numpy", **kw) == expected
    assert pelt(y, pen, cost=cost, min_size=3, engine="numba", **kw) == expected
    assert len(expected) >= 2


def test_segment_cost_formulas():
    seg = np.array([0.0, 3, 5, 2, 7])
    s1, s2, m = seg.sum(), (seg**2).sum(), 5.0
    assert segment_cost(np.array([s1]), np.array([s2]), np.array([m]), 0, 0)[0] == pytest.approx(
        ((seg - seg.mean()) ** 2).sum())
    from scipy import stats

    mu = seg.mean()
    pois = -2 * stats.poisson.logpmf(seg, mu).sum() - 2 * sum(math.lgamma(v + 1) for v in seg)
    assert segment_cost(np.array([s1]), np.array([s2]), np.array([m]), 1, 0)[0] == pytest.approx(pois)


@pytest.mark.parametrize("jump", [1, 5])
def test_same_breakpoints_as_ruptures_l2(jump):
    rpt = pytest.importorskip("ruptures")
    y = _piecewise(np.random.default_rng(3).uniform(2, 25, 8), [100] * 8, seed=4)
    pen = 2 * np.var(np.diff(y)) / 2 * math.log(len(y))
    ours = pelt(y, pen, cost="l2", min_size=2, jump=jump)
    theirs = rpt.Pelt(model="l2", min_size=2, jump=jump).fit(y).predict(pen=pen)
    assert [*ours, len(y)] == theirs


def test_recovers_known_changes_and_rates():
    idx = pd.date_range("2015-01-05", periods=300, freq="W-MON")
    y = pd.Series(_piecewise([4, 10, 2], [100, 120, 80], seed=7), index=idx)
    res = change_points(y)
    assert isinstance(res, ChangePointResult)
    assert len(res.breakpoints) == 2
    assert abs(res.breakpoints[0] - 100) <= 3 and abs(res.breakpoints[1] - 220) <= 3
    assert res.dates[0] == idx[res.breakpoints[0]]
    seg = res.segments
    for (_, row), truth in zip(seg.iterrows(), [4, 10, 2], strict=True):
        assert row["rate_low"] < truth < row["rate_high"]
    assert seg["ratio_to_previous"].iloc[1] == pytest.approx(2.5, rel=0.2)


def test_negbin_cost_resists_overdispersion():
    y = _piecewise([10], [400], seed=2, alpha=0.3)  # no true change, strong overdispersion
    # Poisson over-segments with the BIC penalty
    assert len(change_points(y, cost="poisson", penalty="bic").breakpoints) > 3
    # the calibrated penalty simulates the overdispersion, whatever the cost
    assert len(change_points(y, cost="poisson").breakpoints) == 0
    nb = change_points(y, cost="negbin")
    assert len(nb.breakpoints) == 0
    assert 0.15 < nb.alpha < 0.5


def test_penalty_grid_path():
    y = _piecewise([3, 8, 3, 9], [60, 60, 60, 60], seed=5)
    grid = [0.5, 2, 5, 11, 20, 50, 200]
    res = change_points(y, cost="poisson", penalty=grid)
    path = res.penalty_path
    assert list(path["penalty"]) == grid
    assert path["n_changes"].is_monotonic_decreasing
    assert res.penalty == grid[int(path["bic"].idxmin())]
    assert res.penalty_rule.startswith("grid")
    fixed = change_points(y, cost="poisson", penalty=11.0)
    assert fixed.penalty_rule == "given"
    assert fixed.breakpoints == tuple(
        y_pos for y_pos in pelt(y, 11.0, cost="poisson", min_size=2)
    )


def test_given_dispersion_is_used_as_is():
    y = _piecewise([4, 12], [80, 80], seed=3, alpha=0.2)
    res = change_points(y, cost="negbin", dispersion=0.2, penalty="bic")
    assert res.alpha == 0.2
    assert res.breakpoints == tuple(pelt(y, 2 * math.log(len(y)), cost="negbin", dispersion=0.2))
    seg = res.segments.iloc[0]
    z = 1.959963984540054
    # Var S = m lam + alpha m lam^2 + 2 lam^2 sum_k (m - k)(exp(s^2 phi^k) - 1)
    lam, m = seg["rate"], int(seg["periods"])
    phi, sd = res.noise["ar"], res.noise["ar_sd"]
    cov = sum((m - k) * math.expm1(sd**2 * phi**k) for k in range(1, m))
    se_log = math.sqrt(m * lam + 0.2 * m * lam**2 + 2 * lam**2 * cov) / (m * lam)
    assert seg["rate_low"] == pytest.approx(seg["rate"] * math.exp(-z * se_log))
    if sd == 0:  # without autocorrelation this is the NB2 delta method
        assert se_log == pytest.approx(math.sqrt((1 / lam + 0.2) / m))
    with pytest.raises(ChangePointError, match="dispersion"):
        pelt(y, 5.0, cost="negbin")


def test_results_are_records_not_values():
    y = _piecewise([4, 10], [50, 50], seed=1)
    res = change_points(y)
    t = res.to_frame()
    t.loc[1, "rate"] = -5.0
    assert res.to_frame().loc[1, "rate"] > 0 and res.segments.loc[1, "rate"] > 0
    assert res != change_points(y) and res == res


def test_simulated_takeover_break_is_found():
    df = analysis.simulate_incidents(n_years=8, start="2014-01-01", base_rate=40, trend=0,
                                     seasonal_amplitude=0, breaks={"2021-08-15": -1.0}, seed=9)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", analysis.WideDateWindowWarning)
        y = analysis.incident_counts(df, "MS")
    res = change_points(y, cost="negbin")
    assert any(pd.Timestamp("2021-07-01") <= d <= pd.Timestamp("2021-10-01") for d in res.dates)


def test_result_presentation():
    y = pd.Series(_piecewise([4, 10], [50, 50], seed=1),
                  index=pd.date_range("2020-01-01", periods=100, freq="D"))
    res = change_points(y)
    with pytest.raises(dataclasses.FrozenInstanceError):
        res.penalty = 3.0
    assert "Change points" in res.summary() and "rate_low" in res.summary()
    assert "<table" in res._repr_html_()
    ax = res.plot()
    assert len(ax.lines) >= 1 + len(res.breakpoints)


@pytest.mark.parametrize(
    ("series", "kwargs", "match"),
    [
        (pd.Series([1.0, np.nan, 3, 4, 5, 6]), {}, "missing values"),
        (pd.Series(np.zeros(20)), {}, "all zeros"),
        (pd.Series([1.0, 2, 3]), {"min_size": 2}, "too short"),
        (pd.Series([1.0, -2, 3, 4, 5]), {}, "non-negative"),
        (pd.Series([1.0, 2.5, 3, 4, 5]), {}, "whole counts"),
        (pd.Series(np.ones(10)), {"cost": "l2"}, "constant"),
        (pd.Series(np.arange(10.0)), {"cost": "gauss"}, "cost must be"),
        (pd.Series(np.arange(10.0)), {"penalty": "aic"}, "penalty must be"),
        (pd.Series(np.arange(10.0)), {"penalty": [-1.0]}, "non-negative"),
        (pd.Series(np.arange(10.0)), {"cost": "negbin", "dispersion": 0.0}, "dispersion"),
        (pd.Series(np.arange(10.0)), {"min_size": 0}, "positive integers"),
        (pd.Series(np.arange(6.0), index=pd.DatetimeIndex(["2020-01-01", "2020-02-01", "2020-03-01",
                                                          "2020-05-01", "2020-09-01", "2020-10-01"])),
         {}, "irregular"),
    ],
)
def test_bad_input(series, kwargs, match):
    with pytest.raises(ChangePointError, match=match):
        change_points(series, **kwargs)
