"""Hawkes likelihood: the O(n) recursions against an independent O(n^2) computation,
the analytic gradient and Hessian against finite differences, and the two engines."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import integrate

from analysis.models.hawkes import fit_hawkes, hawkes_loglik
from analysis.models.hawkes.background import Background
from analysis.models.hawkes.likelihood import UniModel
from analysis.models.hawkes.optimise import numeric_hessian

from ._hawkes import ENGINES, naive_loglik
from ._hawkes import sim_times as _sim_times


@pytest.fixture(scope="module")
def sim_times():
    return _sim_times()


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("params", [(0.4, 0.5, 1.5), (1.3, 0.9, 0.05), (0.01, 0.2, 30.0)])
def test_loglik_matches_naive_constant(sim_times, engine, params):
    mu, eta, beta = params
    T = 800.0
    t = sim_times[:400]
    ref = naive_loglik(list(t), lambda s: mu, mu * T, eta, beta, T)
    got = hawkes_loglik(t, mu=mu, branching=eta, decay=beta, end=T, engine=engine)
    assert abs(got - ref) <= 1e-8 * abs(ref)


@pytest.mark.parametrize("engine", ENGINES)
def test_loglik_matches_naive_trend_seasonal(sim_times, engine):
    T = 800.0
    t = sim_times[:300]
    bg = Background("trend_seasonal", T, harmonics=2, phase0=0.3, trend=3)
    b = np.array([-1.0, 0.4, -0.3, 0.2, 0.5, -0.4, 0.1, 0.2])
    assert bg.p == len(b)
    mu_fn = lambda s: float(bg.rate(np.array([s]), b)[0])  # noqa: E731
    pts = [T / 3, 2 * T / 3]  # the spline's inner knots (equally spaced over the window)
    mu_int = integrate.quad(mu_fn, 0, T, limit=500, points=pts, epsabs=0, epsrel=1e-13)[0]
    eta, beta = 0.5, 1.5
    ref = naive_loglik(list(t), mu_fn, mu_int, eta, beta, T)
    model = UniModel(t, bg, engine)
    got = model.loglik_grad_natural(b, eta, beta)[0]
    assert abs(got - ref) <= 1e-8 * abs(ref)
    # the cumulative background integral at arbitrary points (used by time rescaling)
    for s in (3.3, 401.7, 799.99):
        exact = integrate.quad(mu_fn, 0, s, limit=500, points=[p for p in pts if p < s])[0]
        assert bg.cumulative(np.array([s]), b)[0] == pytest.approx(exact, rel=1e-10)


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("kind", ["constant", "trend_seasonal"])
def test_gradient_matches_finite_differences(sim_times, engine, kind):
    bg = Background(kind, 800.0)
    model = UniModel(sim_times, bg, engine)
    th = np.r_[math.log(0.4), np.full(bg.p - 1, 0.1), math.log(0.5), math.log(1.5)]
    _, g = model.loglik_grad(th)
    h = 1e-6
    num = np.array(
        [(model.loglik(th + h * e) - model.loglik(th - h * e)) / (2 * h) for e in np.eye(len(th))]
    )
    np.testing.assert_allclose(g, num, rtol=1e-5, atol=1e-4)


@pytest.mark.parametrize("engine", ENGINES)
def test_analytic_hessian(sim_times, engine):
    model = UniModel(sim_times, Background("constant", 800.0), engine)
    th = np.log([0.4, 0.5, 1.5])
    ll, g, Hm = model.loglik_grad_hess(th)
    ll2, g2 = model.loglik_grad(th)
    assert ll == pytest.approx(ll2, rel=1e-12)
    np.testing.assert_allclose(g, g2, rtol=1e-10)
    num = -numeric_hessian(lambda z: -model.loglik_grad(z)[1], th)
    np.testing.assert_allclose(Hm, num, rtol=1e-5, atol=1e-3)


@pytest.mark.parametrize("engine", ENGINES)
def test_engines_agree(sim_times, engine):
    r = fit_hawkes(sim_times, end=800.0, engine=engine, background="constant")
    ref = fit_hawkes(sim_times, end=800.0, engine="numpy", background="constant")
    assert r.loglik == pytest.approx(ref.loglik, abs=1e-6)
    assert r.branching == pytest.approx(ref.branching, rel=1e-4)
