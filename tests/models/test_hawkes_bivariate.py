"""Bivariate Hawkes model: likelihood against a naive double sum, gradient against
finite differences, recovery of cross-excitation, and the likelihood-ratio test."""

from __future__ import annotations

import math

import numpy as np
import pytest

from analysis.models.hawkes import (
    BivariateHawkesResult,
    fit_hawkes_bivariate,
    simulate_hawkes_bivariate,
)
from analysis.models.hawkes.background import Background
from analysis.models.hawkes.bivariate import BiModel

from ._hawkes import ENGINES


def test_bivariate_recovers_cross_excitation():
    E = np.array([[0.3, 0.4], [0.0, 0.4]])
    ta, tb = simulate_hawkes_bivariate((0.3, 0.3), E, 1.0, 6000.0, seed=8)
    r = fit_hawkes_bivariate(ta, tb, names=("ISKP", "Taliban"), end=6000.0)
    assert r.excitation_ci_low[0, 1] < 0.4 < r.excitation_ci_high[0, 1]
    assert r.excitation_ci_low[0, 0] < 0.3 < r.excitation_ci_high[0, 0]
    assert r.excitation[1, 0] < 0.08
    assert r.decay_ci[0] < 1.0 < r.decay_ci[1]
    assert r.lr_pvalue < 1e-6
    assert "ISKP -> Taliban" in r.to_frame().index
    assert "LR test" in r.summary()


@pytest.mark.parametrize("engine", ENGINES)
def test_bivariate_loglik_and_gradient(engine):
    E = np.array([[0.3, 0.2], [0.1, 0.4]])
    ta, tb = simulate_hawkes_bivariate((0.2, 0.3), E, 1.2, 600.0, seed=4)
    T = 600.0
    # constant backgrounds: naive O(n^2) double sum
    bg = Background("constant", T)
    model = BiModel(ta, tb, [bg, bg], engine)
    mu, beta = np.array([0.25, 0.35]), 0.9
    x = np.r_[np.log(mu), E.ravel(), math.log(beta)]
    ref = 0.0
    streams = [ta, tb]
    for j in range(2):
        for t in streams[j]:
            lam = mu[j] + sum(
                E[i, j] * beta * np.exp(-beta * (t - streams[i][streams[i] < t])).sum()
                for i in range(2)
            )
            ref += math.log(lam)
        ref -= mu[j] * T + sum(
            E[i, j] * (1 - np.exp(-beta * (T - streams[i]))).sum() for i in range(2)
        )
    assert model.loglik_grad(x)[0] == pytest.approx(ref, rel=1e-10)
    # trend-seasonal backgrounds: analytic gradient against finite differences
    bg = Background("trend_seasonal", T, harmonics=1)
    model = BiModel(ta, tb, [bg, bg], engine)
    x = np.r_[-1.5, 0.1, 0.2, -0.1, -1.2, -0.1, 0.1, 0.2, E.ravel(), math.log(beta)]
    _, g = model.loglik_grad(x)
    h = 1e-6
    num = np.array(
        [
            (model.loglik_grad(x + h * e)[0] - model.loglik_grad(x - h * e)[0]) / (2 * h)
            for e in np.eye(len(x))
        ]
    )
    np.testing.assert_allclose(g, num, rtol=1e-5, atol=1e-4)


def test_bivariate_no_cross_excitation_not_rejected():
    E = np.diag([0.5, 0.3])
    ta, tb = simulate_hawkes_bivariate((0.4, 0.5), E, 2.0, 3000.0, seed=21)
    r = fit_hawkes_bivariate(ta, tb, end=3000.0)
    assert r.lr_pvalue > 0.01
    assert r.loglik >= r.loglik_null - 1e-9
    # univariate fits are the null model's parts: likelihoods add up (shared decay aside)
    assert r.excitation[0, 0] == pytest.approx(0.5, abs=0.12)


def test_bivariate_result_is_a_frozen_record():
    E = np.array([[0.4, 0.1], [0.1, 0.4]])
    ta, tb = simulate_hawkes_bivariate((0.3, 0.3), E, 1.0, 1500.0, seed=3)
    r = fit_hawkes_bivariate(ta, tb, names=("ISKP", "Taliban"), end=1500.0)
    assert isinstance(r, BivariateHawkesResult)
    table = r.to_frame()
    table.loc["ISKP -> Taliban", "estimate"] = 99.0
    assert r.to_frame().loc["ISKP -> Taliban", "estimate"] == pytest.approx(r.excitation[0, 1])
    assert r == r and r != fit_hawkes_bivariate(ta, tb, names=("ISKP", "Taliban"), end=1500.0)
    assert "<table>" in r._repr_html_()
