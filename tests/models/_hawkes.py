"""Shared helpers of the Hawkes tests: engines, an independent O(n^2) log-likelihood
and simulated event times."""

from __future__ import annotations

import functools
import math

import numpy as np
import pandas as pd

from analysis.models.hawkes import HAVE_NUMBA, simulate_hawkes

ENGINES = ["numpy"] + (["numba"] if HAVE_NUMBA else [])


def naive_loglik(t, mu_fn, mu_int, eta, beta, T):
    """Independent O(n^2) log-likelihood: direct double sum, compensator term by term."""
    ll = 0.0
    for i, ti in enumerate(t):
        ll += math.log(mu_fn(ti) + eta * beta * sum(math.exp(-beta * (ti - tj)) for tj in t[:i]))
    comp = mu_int + eta * sum(1.0 - math.exp(-beta * (T - tj)) for tj in t)
    return ll - comp


@functools.cache
def _sim_times() -> np.ndarray:
    return simulate_hawkes(0.4, 0.5, 1.5, 800.0, seed=11)


def sim_times() -> np.ndarray:
    """A Hawkes process on [0, 800] days (mu 0.4, branching 0.5, decay 1.5), a copy."""
    return _sim_times().copy()


def day_dates(seed=0, n=300) -> pd.DatetimeIndex:
    """Day-precision dates of a simulated Hawkes process (many same-day ties)."""
    t = simulate_hawkes(0.3, 0.5, 0.5, 2000.0, seed=seed)[:n]
    return pd.DatetimeIndex(pd.Timestamp("2015-01-01") + pd.to_timedelta(np.floor(t), unit="D"))
