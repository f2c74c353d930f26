"""change_points with its defaults: the seasonal baseline, the NB2 cost with exposure
(exact against brute force and a direct likelihood maximum), the noise model around the
running median, the penalty calibrated by simulation and the date intervals."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import optimize

import analysis
from analysis.models.changepoints import change_points, pelt
from analysis.models.changepoints.baseline import estimate_noise
from analysis.models.changepoints.calibrate import break_statistic
from analysis.models.changepoints.costs import SegmentSums
from analysis.models.changepoints.search import best_costs, cost_matrix

from ._partition import optimal_partition


def _nb_profile_cost(y, s, alpha):
    """-2 x the NB2 log-likelihood of one segment at its maximum over the level, less
    the terms that do not depend on the segmentation (sum y log s and log-gammas)."""
    r = 1 / alpha

    def negll(log_lam):
        lam = math.exp(log_lam)
        ll = (r * np.log(r / (r + lam * s)) + y * np.log(lam * s / (r + lam * s)))
        return -2 * float(ll.sum())

    best = optimize.minimize_scalar(negll, bounds=(-10, 10), method="bounded",
                                    options={"xatol": 1e-10})
    return best.fun + 2 * float((y * np.log(s)).sum())


def test_exposed_nb_cost_is_the_profile_likelihood():
    rng = np.random.default_rng(1)
    s = rng.choice([0.6, 1.0, 1.5], size=40)
    y = rng.poisson(5 * s).astype(float)
    sums = SegmentSums.of(y, s)
    for a, b in [(0, 40), (3, 17), (10, 11)]:
        ours = sums.costs(a, b, 2, 1 / 0.3)[0]
        assert ours == pytest.approx(_nb_profile_cost(y[a:b], s[a:b], 0.3), abs=1e-6)
    # the Poisson cost with exposure: 2 (S - S log(S / E)), E the summed exposure
    S, E = y[3:17].sum(), s[3:17].sum()
    assert sums.costs(3, 17, 1, 0.0)[0] == pytest.approx(2 * (S - S * np.log(S / E)))


def _brute_force(y, s, pen, alpha, min_size):
    sums = SegmentSums.of(y, s)
    n = len(y)
    return optimal_partition(n, lambda a, b: sums.costs(a, b, 2, 1 / alpha)[0], pen, min_size)


@pytest.mark.parametrize("engine", ["numpy", "numba"])
def test_pelt_with_exposure_is_exact(engine):
    rng = np.random.default_rng(3)
    s = np.tile([0.7, 0.8, 1.2, 1.4, 1.1, 0.8], 25)[:140]
    y = rng.poisson(np.repeat([4, 11, 5], [50, 40, 50]) * s).astype(float)
    expected = _brute_force(y, s, 12.0, 0.15, 3)
    assert pelt(y, 12.0, cost="negbin", dispersion=0.15, exposure=s, min_size=3,
                engine=engine) == expected
    assert len(expected) >= 2


def test_segment_neighbourhood_matches_exhaustive_search():
    rng = np.random.default_rng(4)
    y = rng.poisson(np.repeat([3, 8, 3], [12, 10, 14])).astype(float)
    pos, C = cost_matrix(SegmentSums.of(y), len(y), "negbin", 0.2, 2, 1)
    best = best_costs(C, 3)
    n = len(y)
    at = {int(p): k for k, p in enumerate(pos)}  # position -> row of C

    def seg(a, b):
        return C[at[a], at[b]]

    one = min(seg(0, t) + seg(t, n) for t in range(2, n - 1))
    two = min(seg(0, a) + seg(a, b) + seg(b, n) for a in range(2, n) for b in range(a + 2, n - 1))
    assert best[0] == pytest.approx(seg(0, n))
    assert best[1] == pytest.approx(one) and best[2] == pytest.approx(two)
    # the largest penalty at which PELT still reports a change
    beta = break_statistic(y, None, "negbin", 0.2, 2, 1)
    assert len(pelt(y, beta * 0.999, cost="negbin", dispersion=0.2)) >= 1
    assert pelt(y, beta * 1.001, cost="negbin", dispersion=0.2) == []


def test_noise_model_recovers_dispersion_and_autocorrelation_despite_a_break():
    """A threefold break inflates the moments around the whole-series mean, not those
    around the running median."""
    est = []
    for seed in range(8):
        y = analysis.simulate_counts(periods=416, base_rate=12, seasonal_amplitude=0,
                                     dispersion=0.1, ar=0.6, ar_sd=0.3,
                                     breaks={"2020-06-01": np.log(3)}, seed=seed)
        n = estimate_noise(y.to_numpy(float), None, 13)
        est.append((n.dispersion, n.ar, n.ar_sd))
    dispersion, ar, ar_sd = np.mean(est, axis=0)
    assert dispersion == pytest.approx(1.1 * np.exp(0.09) - 1, rel=0.2)
    assert 0.4 < ar < 0.8 and 0.2 < ar_sd < 0.4


def test_defaults_find_a_threefold_drop_with_an_interval_for_its_date():
    when = pd.Timestamp("2021-08-15")
    y = analysis.simulate_counts(base_rate=12, breaks={when: np.log(1 / 3)}, seed=11)
    res = change_points(y, n_sims=100)
    assert len(res.breakpoints) == 1
    loc = res.locations.iloc[0]
    assert abs((loc["date"] - when).days) <= 28
    assert loc["date_low"] <= when < loc["date_high"] + pd.Timedelta(days=7)
    assert loc["ratio"] == pytest.approx(1 / 3, rel=0.25)
    assert res.penalty_rule.startswith("calibrated") and len(res.null_penalties) == 100
    # the penalty is the simulated 95% quantile (rank ceil(0.95 * 101) = 96 of 100)
    assert res.penalty == pytest.approx(np.sort(res.null_penalties)[95])
    assert res.seasonal is not None and res.seasonal.mean() == pytest.approx(1.0)
    assert set(res.noise) >= {"dispersion", "ar", "ar_sd", "nb_dispersion"}
    text = res.summary()
    assert "[" in text and "Seasonal baseline" in text and "Noise" in text
    ax = res.plot()
    assert len(ax.patches) >= 1  # the date interval is shaded
    assert res.fitted().index.equals(y.index)


def test_season_and_overdispersion_are_not_breaks():
    """A strongly seasonal NB2 series without a break: no break by default; BIC with the
    Poisson cost and no baseline finds many."""
    y = analysis.simulate_counts(base_rate=10, seasonal_amplitude=0.7, dispersion=0.2,
                                 ar_sd=0.0, seed=21)
    assert change_points(y, n_sims=100).breakpoints == ()
    assert len(change_points(y, cost="poisson", penalty="bic", harmonics=0).breakpoints) > 5


def test_monthly_series_and_options():
    y = analysis.simulate_counts("2002-01-01", "2009-12-31", freq="MS", base_rate=20,
                                 breaks={"2006-01-01": np.log(2.5)}, ar_sd=0.0, seed=5)
    res = change_points(y, n_sims=50, conf_level=0.9)
    assert res.min_size == 2 and any(abs((d - pd.Timestamp("2006-01-01")).days) < 100
                                     for d in res.dates)
    short = analysis.simulate_counts("2020-01-01", periods=20, freq="MS", seed=1)
    assert change_points(short, n_sims=50).seasonal is None  # under two years: no baseline
    with pytest.raises(analysis.InputError, match="n_sims"):
        change_points(y, n_sims=5)
    with pytest.raises(analysis.InputError, match="counts"):
        change_points(pd.Series(np.linspace(0.5, 3, 30)), cost="l2")
    assert change_points(pd.Series(np.linspace(0.5, 3, 30)), cost="l2", penalty="bic").locations.empty


@pytest.mark.slow
def test_issue_targets_on_40_series():
    """Issue 17: 40 seasonal NB2 series of 416 weeks without a break show a break in at
    most 10%; a threefold shift is found within 4 weeks in at least 90%."""
    false = found = 0
    for i in range(40):
        rng = np.random.default_rng(i)
        kw = {"periods": 416, "base_rate": rng.uniform(4, 15),
              "seasonal_amplitude": rng.uniform(0.3, 0.6), "dispersion": rng.uniform(0.05, 0.25),
              "ar_sd": 0.0}
        false += bool(change_points(analysis.simulate_counts(seed=i, **kw), seed=i).breakpoints)
        when = pd.Timestamp("2017-01-02") + pd.Timedelta(weeks=int(rng.integers(80, 336)))
        y = analysis.simulate_counts(seed=100 + i, breaks={when: np.log(3) * rng.choice([-1, 1])},
                                     **kw)
        d = pd.DatetimeIndex(change_points(y, seed=i).dates)
        found += bool(len(d) and (abs((d - when).days) <= 28).any())
    assert false <= 4 and found >= 36, (false, found)
