"""Hawkes simulation by the branching construction: expected counts, offspring due
from history, and the guard against explosive processes."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.errors import InputError
from analysis.models.hawkes import simulate_hawkes, simulate_hawkes_bivariate


def test_simulation_mean_count():
    mu, eta, T = 2.0, 0.5, 2000.0
    ns = [len(simulate_hawkes(mu, eta, 1.0, T, seed=s)) for s in range(30)]
    # E[N] ~ mu T / (1 - eta) (edge effects of order mu/(beta (1-eta)^2) are small here)
    assert np.mean(ns) == pytest.approx(mu * T / (1 - eta), rel=0.02)


def test_simulation_history_offspring():
    """Offspring still due from history: expected count eta * sum exp(-beta (S - s))."""
    hist = np.array([9.0, 9.5, 9.9])
    exp_n = 0.8 * np.exp(-1.0 * (10.0 - hist)).sum()  # first generation only
    n = [
        len(simulate_hawkes(0.0, 0.8, 1.0, 1e4, start=10.0, history=hist, seed=s))
        for s in range(3000)
    ]
    # with cascades the total is exp_n / (1 - eta)
    assert np.mean(n) == pytest.approx(exp_n / 0.2, rel=0.06)


def test_bivariate_simulation_mean_counts():
    """Stationary means solve m = mu + E^T m: m = (I - E^T)^-1 mu per unit time."""
    E = np.array([[0.3, 0.4], [0.1, 0.2]])
    mu = np.array([0.5, 0.2])
    T = 4000.0
    expected = np.linalg.solve(np.eye(2) - E.T, mu) * T
    counts = np.array(
        [[len(x) for x in simulate_hawkes_bivariate(mu, E, 2.0, T, seed=s)] for s in range(20)]
    )
    np.testing.assert_allclose(counts.mean(axis=0), expected, rtol=0.03)


def test_explosive_simulation_is_stopped():
    with pytest.raises(InputError, match="max_events"):
        simulate_hawkes(1.0, 1.5, 1.0, 1000.0, seed=0, max_events=10_000)
    with pytest.raises(InputError, match="max_events"):
        simulate_hawkes_bivariate(
            (1.0, 1.0), [[0.9, 0.6], [0.6, 0.9]], 1.0, 1000.0, seed=0, max_events=10_000
        )
    with pytest.raises(InputError, match="2x2"):
        simulate_hawkes_bivariate((1.0, 1.0), [[0.5, -0.1], [0.0, 0.5]], 1.0, 10.0)
