"""The flexible Hawkes background (trend chosen by AIC, held flat beyond the data), the
observation window of a stream that starts late, degenerate fits named, and simulated
future counts with their runaway guard."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import analysis
from analysis.errors import EstimationError, EstimationWarning
from analysis.models.hawkes import (
    fit_hawkes,
    fit_hawkes_bivariate,
    simulate_hawkes,
    simulate_hawkes_bivariate,
)

YEAR = 365.25


def _surge(seed: int, years: float = 6.0) -> tuple[np.ndarray, float]:
    """An inhomogeneous Poisson process (no excitation) whose rate grows 20-fold."""
    T = years * YEAR

    def mu(t):
        return 0.05 * np.exp(0.5 * t / YEAR + 0.6 * np.sin(2 * np.pi * t / YEAR))

    return simulate_hawkes(mu, 0.0, 1.0, T, seed=seed), T


def test_default_background_does_not_read_a_surge_as_contagion():
    """Five Poisson surges: the constant background reads each as strong contagion, the
    default flexible background finds little or none (and says when none at all)."""
    for seed in range(5):
        t, T = _surge(seed)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", EstimationWarning)
            flex = fit_hawkes(t, end=T, harmonics=1)
        const = fit_hawkes(t, end=T, background="constant")
        assert const.branching > 0.8
        assert flex.branching < 0.1, (seed, flex.branching)
        assert flex.aic < const.aic
        assert flex.background == "trend_seasonal" and flex.trend_aic is not None
        assert flex.trend_aic["chosen"].sum() == 1
        assert flex.trend == int(flex.trend_aic.index[flex.trend_aic["chosen"]][0])


def test_default_background_recovers_a_true_hawkes_process():
    t = simulate_hawkes(0.5, 0.6, 1.0, 3 * YEAR, seed=2)
    r = fit_hawkes(t, end=3 * YEAR)
    assert r.branching_ci[0] < 0.6 < r.branching_ci[1]
    assert r.decay_ci[0] < 1.0 < r.decay_ci[1]
    assert r.trend <= 1  # a flat background needs no flexible trend
    assert r.estimable and r.notes == ()


def test_background_held_flat_beyond_the_window():
    t, T = _surge(1, years=4.0)
    r = fit_hawkes(t, end=T, harmonics=0, trend=3)
    assert r.coef_names == ("intercept", "trend_1", "trend_2", "trend_3")
    after = r.background_rate(np.array([T, T + 30.0, T + 3000.0]))
    np.testing.assert_allclose(after, after[0], rtol=1e-12)
    before = r.background_rate(np.array([-500.0, 0.0]))
    assert before[0] == pytest.approx(before[1], rel=1e-12)
    # coefficient rows give one row of rates each; the estimate is the default
    coef = np.vstack([r.coef, r.coef + np.r_[np.log(2.0), 0, 0, 0]])
    both = r.background_rate(np.array([10.0, 20.0]), coef=coef)
    assert both.shape == (2, 2)
    np.testing.assert_allclose(both[0], r.background_rate(np.array([10.0, 20.0])))
    np.testing.assert_allclose(both[1], 2 * both[0])
    assert r.trend_aic is None and "spline trend, 3 df" in r.summary()


def test_known_break_keeps_a_regime_step_out_of_the_excitation():
    """A Poisson process whose rate jumps 20-fold at a regime break: a smooth trend
    cannot follow the step and the excitation takes it; with the break given, the
    step's size is recovered and no excitation is found."""
    T = 6 * YEAR
    rng = np.random.default_rng(1001)
    rng.uniform(3, 30)
    mid = rng.uniform(0.3, 0.7) * T

    def mu(t):
        return 0.2 * np.exp(np.where(t >= mid, np.log(20.0), 0.0))

    t = simulate_hawkes(mu, 0.0, 1.0, T, seed=7)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", EstimationWarning)
        smooth = fit_hawkes(t, end=T, harmonics=0)
        known = fit_hawkes(t, end=T, harmonics=0, breaks=[mid])
    assert smooth.branching > 0.3
    assert known.branching < 0.05 and known.breaks == (mid,)
    step = known.params.loc["break_1"]
    assert step["estimate"] == pytest.approx(np.log(20.0), abs=0.15)
    # the integral of a background with a step is exact (the break is a segment edge)
    from analysis.models.hawkes.background import Background

    bg = Background("trend_seasonal", T, harmonics=0, trend=0, breaks=[mid])
    b = np.array([np.log(0.2), np.log(20.0)])
    x = np.array([mid - 3.0, mid + 3.0, T])
    exact = 0.2 * np.minimum(x, mid) + 4.0 * np.clip(x - mid, 0, None)
    np.testing.assert_allclose(bg.cumulative(x, b), exact, rtol=1e-12)
    assert bg.integral(b)[0] == pytest.approx(exact[-1], rel=1e-12)
    dates = pd.Timestamp("2015-01-01") + pd.to_timedelta(t, unit="D")
    with pytest.raises(analysis.InputError, match="breaks"):
        fit_hawkes(pd.DatetimeIndex(dates), background="constant", breaks=["2018-01-01"])
    with pytest.raises(analysis.InputError, match="breaks"):
        fit_hawkes(pd.DatetimeIndex(dates), breaks=["not a date"])


def test_trend_options_parse_like_fit_frequency():
    t = simulate_hawkes(0.5, 0.4, 1.0, 2 * YEAR, seed=4)
    none = fit_hawkes(t, end=2 * YEAR, trend="none", harmonics=0)
    line = fit_hawkes(t, end=2 * YEAR, trend="linear", harmonics=0)
    assert none.coef_names == ("intercept",) and none.trend == 0
    assert line.coef_names == ("intercept", "trend_per_year") and line.trend == 1
    assert fit_hawkes(t, end=2 * YEAR, trend=None, harmonics=0).coef_names == ("intercept",)


def test_stream_starting_late_is_fitted_on_its_own_window():
    """Stream b appears two years after the window opens: it is fitted from its first
    event, with an EstimationWarning, and the excitation is still recovered."""
    E = np.array([[0.3, 0.3], [0.0, 0.3]])
    T = 5 * YEAR
    ta, tb = simulate_hawkes_bivariate((0.4, 0.4), E, 1.0, T, seed=6)
    late = 2 * YEAR
    # b's own events start late; a's offspring in b before then are not observed either
    tb = tb[tb > late]
    with pytest.warns(EstimationWarning, match="first event"):
        r = fit_hawkes_bivariate(ta, tb, names=("a", "b"), end=T, background="constant")
    assert r.observed_from[0] == 0.0 and r.observed_from[1] == pytest.approx(tb[0])
    assert any("first event" in n for n in r.notes)
    assert r.excitation_ci_low[0, 1] < 0.3 < r.excitation_ci_high[0, 1]
    assert r.mu[1] == pytest.approx(0.4, rel=0.25)  # the rate while observed, not diluted
    # a stream observed from the start is left alone
    full = fit_hawkes_bivariate(ta, np.sort(np.r_[tb, late * np.random.default_rng(1).random(
        300)]), end=T, background="constant")
    assert full.observed_from == (0.0, 0.0)
    assert not any("first event" in n for n in full.notes)


def test_univariate_late_start_window():
    t = simulate_hawkes(0.5, 0.3, 1.0, 2 * YEAR, seed=3) + YEAR
    with pytest.warns(EstimationWarning, match="first event"):
        r = fit_hawkes(t, start=0.0, end=3 * YEAR, background="constant")
    assert r.start == pytest.approx(t[0]) and r.mu_mean == pytest.approx(0.5, rel=0.2)


def test_excitation_on_its_bound_has_no_interval():
    E = np.array([[0.4, 0.0], [0.0, 0.4]])
    ta, tb = simulate_hawkes_bivariate((0.3, 0.3), E, 1.0, 1500.0, seed=12)
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        r = fit_hawkes_bivariate(ta, tb, end=1500.0, background="constant")
    zero = r.excitation < 1e-6
    assert zero.any()  # this seed puts a cross-excitation on its bound
    assert np.isnan(r.excitation_ci_low[zero]).all() and np.isnan(r.excitation_ci_high[zero]).all()
    assert np.isfinite(r.excitation_ci_high[~zero]).all()
    assert any(issubclass(w.category, EstimationWarning) and "bound 0" in str(w.message)
               for w in rec)
    assert any("bound 0" in n for n in r.notes)


def test_background_collapsing_onto_single_events_is_named():
    """With few events the likelihood grows as the background turns into spikes on
    single events; a coefficient on its bound says so."""
    from analysis.models.hawkes.background import COEF_BOUND, Background
    from analysis.models.hawkes.checks import univariate_notes

    bg = Background("trend_seasonal", 1000.0, harmonics=2, trend=0)
    theta = np.r_[-3.0, COEF_BOUND, -1.0, 0.5, 0.2, 0.0, 0.0]
    notes = univariate_notes([theta], [np.eye(7)], True, bg)
    assert len(notes) == 1 and "collapses onto single events (sin1" in notes[0]
    theta[1] = 3.0
    assert univariate_notes([theta], [np.eye(7)], True, bg) == []
    assert "not positive definite" in univariate_notes([theta], [np.full((7, 7), np.nan)],
                                                       True, bg)[0]
    assert "did not converge" in univariate_notes([theta], [np.eye(7)], False, bg)[0]


def test_small_file_fit_says_what_is_not_estimable():
    """30 bundled incidents over four years: some draw puts the excitation on a bound;
    the fit warns, blanks its intervals and keeps the reasons for the report."""
    df = analysis.load_incidents().sort_values("date").iloc[:30]
    with pytest.warns(EstimationWarning):
        r = fit_hawkes(df, seed=1, trend="none")
    assert not r.estimable and r.params["ci_low"].isna().all()
    assert r.notes and "Note" in r.summary()


# ------------------------------------------------------------------ future counts
def test_simulated_counts_match_the_conditional_expectation():
    """Constant background: E[N(s0, s0 + d) | history] relaxes from lambda(s0+) to
    mu / (1 - eta) at rate beta (1 - eta)."""
    mu, eta, beta, T = 0.6, 0.5, 0.2, 1500.0
    t = simulate_hawkes(mu, eta, beta, T, seed=9)
    r = fit_hawkes(t, end=T, background="constant")
    edges = T + np.array([0.0, 7.0, 30.0])
    s = r.simulate_counts(edges, n_sims=20000, parameter_uncertainty=False, seed=3)
    m, e, b = r.mu_mean, r.branching, r.decay
    lam0 = m + e * b * np.exp(-b * (T - r.times)).sum()
    stat, k = m / (1 - e), b * (1 - e)

    def cum(x):
        return stat * x + (lam0 - stat) * (1 - np.exp(-k * x)) / k

    expected = np.diff(cum(edges - T))
    se = s.std(axis=0) / np.sqrt(s.shape[0])
    np.testing.assert_array_less(np.abs(s.mean(axis=0) - expected), 4 * se)
    # parameter uncertainty widens the predictive distribution
    wide = r.simulate_counts(edges, n_sims=20000, seed=3)
    assert wide.std(axis=0)[1] > s.std(axis=0)[1]


def test_runaway_forecast_raises_naming_the_cause():
    """The first 30 rows of the bundled file (2016-2024): the default fit's seasonal
    coefficients are so poorly determined that some parameter draws put the background
    at millions of events a day; the simulation stops before it starts."""
    df = analysis.load_incidents().head(30)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = fit_hawkes(df, seed=20211015)
    end = r.end
    for seed in range(3):
        with pytest.raises(EstimationError, match="too poorly determined"):
            r.simulate_counts(end + np.array([0.0, 30.0, 61.0, 92.0]), n_sims=1000, seed=seed)
    # with the estimates alone the forecast is bounded (the trend is held flat)
    s = r.simulate_counts(end + np.array([0.0, 30.0]), parameter_uncertainty=False, seed=1)
    assert s.mean() < 5


def test_simulated_counts_reject_bad_edges():
    t = simulate_hawkes(0.5, 0.3, 1.0, 300.0, seed=1)
    r = fit_hawkes(t, end=300.0, background="constant")
    with pytest.raises(analysis.InputError, match="edges"):
        r.simulate_counts([310.0, 305.0])
    assert pd.api.types.is_float_dtype(r.simulate_counts([300.0, 301.0], n_sims=10).dtype)
