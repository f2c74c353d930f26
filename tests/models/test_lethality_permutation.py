"""Tests of the per-incident trend regressions and permutation tests
(analysis.models.lethality.permutation), and of the size of casualty_trend's tests."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from statsmodels.discrete.discrete_model import NegativeBinomial

import analysis
from analysis.models.lethality import permutation as pm


def _heavy(n: int, seed: int, slope: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """Times over 8 years and Poisson-lognormal tolls (sigma 1.5) with a log-linear trend."""
    rng = np.random.default_rng(seed)
    t = np.sort(rng.uniform(-4, 4, n))
    return t, rng.poisson(rng.lognormal(-1.1, 1.5, n) * np.exp(1.0 + slope * t)).astype(float)


def test_fit_matches_statsmodels_glm_with_sandwich_covariance():
    t, y = _heavy(300, 1, slope=-0.1)
    X = sm.add_constant(t)
    n = t.size
    alpha = pm.null_dispersion(y)
    fit = pm.fit_trend(y, t, "negbin", alpha)
    ref = sm.GLM(y, X, family=sm.families.NegativeBinomial(alpha=alpha)).fit(
        cov_type="HC0", tol=1e-13)
    assert fit.converged[0]
    np.testing.assert_allclose(fit.params[0], ref.params, rtol=1e-7)
    # HC1 = HC0 * n / (n - 2); statsmodels' HC0 bread is the observed information
    np.testing.assert_allclose(fit.cov[0], ref.cov_params() * n / (n - 2), rtol=1e-6)
    m = (y >= 5).astype(float)
    fit = pm.fit_trend(m, t, "binomial")
    ref = sm.GLM(m, X, family=sm.families.Binomial()).fit(cov_type="HC0", tol=1e-13)
    np.testing.assert_allclose(fit.params[0], ref.params, rtol=1e-7)
    np.testing.assert_allclose(fit.cov[0], ref.cov_params() * n / (n - 2), rtol=1e-6)


def test_null_dispersion_is_the_intercept_only_nb2_mle():
    _, y = _heavy(400, 2)
    ref = NegativeBinomial(y, np.ones((y.size, 1)), loglike_method="nb2").fit(disp=0, maxiter=200)
    assert pm.null_dispersion(y) == pytest.approx(float(ref.params[-1]), rel=1e-4)
    assert pm.null_dispersion(np.r_[np.ones(30), 2 * np.ones(30)]) == 0.0  # underdispersed


def test_rows_are_fitted_independently():
    t, y = _heavy(150, 3)
    rng = np.random.default_rng(0)
    Y = np.stack([y, rng.permutation(y), rng.permutation(y)])
    alpha = pm.null_dispersion(y)
    together = pm.fit_trend(Y, t, "negbin", alpha)
    for k in range(3):
        alone = pm.fit_trend(Y[k], t, "negbin", alpha)
        np.testing.assert_allclose(together.params[k], alone.params[0], rtol=1e-9)
        np.testing.assert_allclose(together.z[k], alone.z[0], rtol=1e-9)


def test_permutation_p_and_critical_value_by_hand():
    z_perm = np.array([0.5, -1.0, 2.0, -3.0, np.nan, 0.1, 1.5, -0.2, 0.7])
    # |z*| >= 1.5: 2.0, 3.0, 1.5 and the NaN (counted as extreme) -> (1 + 4) / 10
    assert pm.permutation_p(1.5, z_perm) == pytest.approx(0.5)
    assert pm.permutation_p(-10.0, z_perm) == pytest.approx(0.2)  # only the NaN
    # ceil(0.8 * 10) = 8th smallest |z*| of (0.1 0.2 0.5 0.7 1 1.5 2 3 inf); p <= 0.2
    # exactly when |z| is above it
    assert pm.critical_value(z_perm, 0.8) == 3.0
    assert pm.permutation_p(3.5, z_perm) == pytest.approx(0.2)
    assert pm.permutation_p(2.5, z_perm) == pytest.approx(0.3)
    assert pm.critical_value(z_perm, 0.95) == np.inf  # 9 permutations cannot give 95%


def test_interval_excludes_one_exactly_when_the_test_rejects():
    rng = np.random.default_rng(11)
    z_perm = rng.standard_normal(999)
    c = pm.critical_value(z_perm, 0.95)
    for z in np.linspace(1.5, 2.5, 41):
        assert (pm.permutation_p(z, z_perm) <= 0.05) == (abs(z) > c)


def test_permuted_statistics_are_reproducible_and_near_standard_normal():
    t, y = _heavy(800, 4)
    cols = {"rate": (y, "negbin", pm.null_dispersion(y)),
            "mass": ((y >= 10).astype(float), "binomial", 0.0)}
    a = pm.permuted_z(cols, t, 300, np.random.default_rng(5))
    b = pm.permuted_z(cols, t, 300, np.random.default_rng(5))
    np.testing.assert_array_equal(a["rate"], b["rate"])
    for z in a.values():
        assert abs(z.mean()) < 0.2 and 0.8 < z.std() < 1.25


def _frame(t: np.ndarray, y: np.ndarray) -> pd.DataFrame:
    dates = pd.Timestamp("2019-01-01") + pd.to_timedelta(np.round((t + 4) * 365.25), "D")
    k = pd.array(y.astype(int), dtype="Int64")
    return pd.DataFrame({"date": dates, "killed_low": k, "killed_best": k, "killed_high": k})


def test_size_on_permuted_heavy_tailed_tolls():
    """A small calibration: 40 data sets with no trend and a heavy tail (Poisson-lognormal,
    sigma 1.5, 120 incidents bunched in time). Each test may reject at the 5% level in at
    most 5 of them (the benchmark runs 100+ per scenario)."""
    rejections = np.zeros(3)
    for seed in range(40):
        t, y = _heavy(120, 100 + seed)
        t = np.sort(4 * np.sign(t) * np.abs(t / 4) ** 2)  # more incidents near the middle
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", analysis.EstimationWarning)
            res = analysis.casualty_trend(_frame(t, y), value="killed_best", n_sims=99,
                                          seed=seed)
        rejections += (res.tests["p"].to_numpy(float) <= 0.05)
    assert (rejections <= 5).all(), rejections


def test_power_on_a_real_trend():
    t, y = _heavy(600, 1, slope=-0.25)
    res = analysis.casualty_trend(_frame(t, y), value="killed_best", n_sims=199, seed=1)
    rate = res.tests.iloc[0]
    assert rate["p"] == pytest.approx(1 / 200)  # no permutation as extreme
    assert rate["conclusion"] == "decreasing"
    assert rate["ci_low"] < np.exp(-0.25) < rate["ci_high"]
