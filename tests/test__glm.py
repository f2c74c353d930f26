"""analysis._glm: count regressions against independent fits and closed forms."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import optimize, stats

from analysis._glm import (
    CountFit,
    cameron_trivedi,
    coef_draws,
    count_loglik,
    draw_counts,
    fit_count_glm,
    log_interval,
    lr_test,
    pearson_dispersion,
    predictor_se,
    wald_table,
    z_crit,
)
from analysis.errors import InputError


def _design(n=400, seed=0):
    rng = np.random.default_rng(seed)
    t = np.linspace(-1, 1, n)
    X = np.column_stack([np.ones(n), t, np.sin(2 * np.pi * t)])
    return X, np.array([1.5, 0.4, -0.3]), rng


def test_poisson_fit_matches_statsmodels_glm():
    import statsmodels.api as sm

    X, beta, rng = _design()
    off = np.log(rng.uniform(0.5, 2.0, len(X)))
    y = rng.poisson(np.exp(X @ beta + off))
    fit = fit_count_glm(y, X, offset=off, family="poisson")
    glm = sm.GLM(y, X, family=sm.families.Poisson(), offset=off).fit()  # IRLS, another route
    np.testing.assert_allclose(fit.params, glm.params, atol=1e-8)
    np.testing.assert_allclose(fit.se, glm.bse, rtol=1e-5)
    assert fit.llf == pytest.approx(glm.llf, abs=1e-8)
    assert fit.family == "poisson" and fit.alpha == 0.0 and not fit.boundary


def test_negbin_fit_is_the_likelihood_maximum_and_recovers_alpha():
    X, beta, rng = _design(n=3000, seed=1)
    alpha = 0.3
    y = draw_counts(rng, np.exp(X @ beta), alpha)
    fit = fit_count_glm(y, X)
    assert isinstance(fit, CountFit) and fit.family == "negbin"

    # an independent maximisation of count_loglik over (beta, log alpha)
    def neg(theta):
        return -count_loglik(y, np.exp(X @ theta[:3]), np.exp(theta[3]))

    ref = optimize.minimize(neg, np.r_[np.zeros(3), np.log(0.1)], method="BFGS")
    np.testing.assert_allclose(fit.params, ref.x[:3], atol=2e-4)
    assert fit.alpha == pytest.approx(np.exp(ref.x[3]), rel=1e-3)
    assert fit.llf == pytest.approx(-ref.fun, abs=1e-5)
    lo, hi = log_interval(fit.alpha, fit.alpha_se, 0.95)
    assert lo < alpha < hi
    for b, s, truth in zip(fit.params, fit.se, beta, strict=True):
        assert abs(b - truth) < 3.5 * s
    assert fit.llf > fit.llf_poisson


def test_underdispersed_counts_give_the_poisson_boundary_fit():
    X, _, rng = _design(n=300, seed=2)
    y = rng.binomial(12, 0.5, len(X))  # variance 3 < mean 6
    fit = fit_count_glm(y, X)
    pois = fit_count_glm(y, X, family="poisson")
    assert fit.boundary and fit.family == "poisson" and fit.alpha == 0.0
    np.testing.assert_allclose(fit.params, pois.params)
    assert fit.llf == pytest.approx(pois.llf)


def test_unknown_family():
    X, _, rng = _design(n=30)
    with pytest.raises(InputError, match="family"):
        fit_count_glm(rng.poisson(3, 30), X, family="gaussian")


def test_lr_test_and_its_boundary_form():
    stat, df, p = lr_test(-100.0, -103.0, 2)
    assert stat == pytest.approx(6.0) and df == 2 and p == pytest.approx(np.exp(-3.0))
    assert lr_test(-100.0, -100.5, 1, boundary=True)[2] == pytest.approx(0.5 * stats.chi2.sf(1.0, 1))
    assert lr_test(-100.0, -99.0, 1)[0] == 0.0  # a reduced model fitted better: floored
    assert lr_test(-100.0, -100.0, 1, boundary=True)[2] == 1.0


def test_wald_table_by_hand():
    cov = np.array([[0.04, 0.01], [0.01, 0.09]])
    t = wald_table([0.5, -0.6], cov, ["a", "b"], 0.9)
    z = stats.norm.ppf(0.95)
    assert list(t.index) == ["a", "b"] and t.index.name == "term"
    assert t.loc["a", "std_err"] == pytest.approx(0.2)
    assert t.loc["b", "z"] == pytest.approx(-2.0)
    assert t.loc["b", "p_value"] == pytest.approx(2 * stats.norm.sf(2.0))
    assert t.loc["a", "ci_high"] == pytest.approx(0.5 + z * 0.2)
    assert t.loc["b", "irr_low"] == pytest.approx(np.exp(-0.6 - z * 0.3))
    assert "irr" not in wald_table([1.0], [[1.0]], ["x"], 0.95, log_link=False).columns
    assert z_crit(0.95) == pytest.approx(1.959964, abs=1e-6)


def test_pearson_dispersion_solves_its_equation():
    rng = np.random.default_rng(3)
    mu = rng.uniform(2, 20, 5000)
    y = draw_counts(rng, mu, 0.25)
    a = pearson_dispersion(y, mu, len(y) - 3)
    assert np.sum((y - mu) ** 2 / (mu * (1 + a * mu))) == pytest.approx(len(y) - 3, abs=1e-6)
    assert a == pytest.approx(0.25, rel=0.1)
    assert pearson_dispersion(rng.binomial(20, 0.5, 200), np.full(200, 10.0), 199) == 0.0


def test_count_loglik_matches_scipy():
    rng = np.random.default_rng(4)
    mu = rng.uniform(0.5, 9, 50)
    y = rng.poisson(mu)
    r = 1 / 0.4
    assert count_loglik(y, mu, 0.4) == pytest.approx(stats.nbinom.logpmf(y, r, r / (r + mu)).sum())
    assert count_loglik(y, mu, 0.0) == pytest.approx(stats.poisson.logpmf(y, mu).sum())
    assert count_loglik(y, mu, None) == count_loglik(y, mu, 0.0)


def test_draw_counts_have_the_nb2_moments():
    rng = np.random.default_rng(5)
    s = draw_counts(rng, np.full(200_000, 6.0), 0.5)
    assert s.mean() == pytest.approx(6.0, rel=0.01)
    assert s.var() == pytest.approx(6.0 + 0.5 * 36, rel=0.03)
    assert draw_counts(rng, np.full(100_000, 6.0), 0.0).var() == pytest.approx(6.0, rel=0.03)


def test_coef_draws_and_predictor_se():
    rng = np.random.default_rng(6)
    cov = np.array([[1.0, 0.5], [0.5, 2.0]])
    d = coef_draws(rng, [1.0, 2.0], cov, 50_000)
    np.testing.assert_allclose(np.cov(d.T), cov, atol=0.05)
    same = coef_draws(rng, [1.0, 2.0], np.full((2, 2), np.nan), 3)
    np.testing.assert_array_equal(same, [[1.0, 2.0]] * 3)
    X = np.array([[1.0, 0.0], [1.0, 1.0]])
    np.testing.assert_allclose(predictor_se(X, cov), [1.0, np.sqrt(1 + 2 * 0.5 + 2)])


def test_cameron_trivedi_separates_poisson_from_overdispersed_counts():
    rng = np.random.default_rng(7)
    mu = rng.uniform(3, 15, 2000)
    assert cameron_trivedi(rng.poisson(mu), mu)[1] > 0.01
    assert cameron_trivedi(draw_counts(rng, mu, 0.3), mu)[1] < 1e-6


def test_log_interval():
    lo, hi = log_interval(0.2, 0.05, 0.95)
    z = stats.norm.ppf(0.975)
    assert (lo, hi) == pytest.approx((0.2 * np.exp(-z * 0.25), 0.2 * np.exp(z * 0.25)))
    assert all(np.isnan(log_interval(0.0, 0.1, 0.95)))
    assert all(np.isnan(log_interval(0.2, float("nan"), 0.95)))
