r"""Proper scores of a count forecast given as samples from its predictive distribution.

* **CRPS** from the samples by the probability-weighted-moment ("pwm") estimator, as
  ``scoringrules.crps_ensemble(..., estimator="pwm")`` computes it (O(N log N)):
  :math:`\mathrm{E}|X - y| - \tfrac12\mathrm{E}|X - X'|` with the second term
  :math:`2\beta_1 - \beta_0`, :math:`\beta_0 = \bar x`,
  :math:`\beta_1 = \sum_i (i - 1)\,x_{(i)} / (N(N - 1))` over the sorted samples. It is
  written out here because importing scoringrules compiles its numba kernels, 3 to 6 s in
  every fresh process (a report kernel, a scheduled job); ``tests/models/test_forecast.py``
  checks it against scoringrules;
* **log score** :math:`-\log p(y)` with :math:`p` the empirical pmf of the samples
  smoothed by one pseudo-sample from a negative binomial with the samples' mean and
  variance (Poisson when under-dispersed): :math:`p(y) = (\#\{s = y\} + g(y)) / (N + 1)`,
  never zero, normalised;
* **randomised PIT** for counts: :math:`u = F(y - 1) + V\,(F(y) - F(y - 1))`,
  :math:`V \sim U(0, 1)`, with :math:`F` the empirical CDF of the samples; uniform when
  the forecasts are calibrated.

Lower CRPS and log scores are better.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import stats

__all__ = ["crps_pwm", "score_samples"]


def crps_pwm(samples: np.ndarray, observed: float) -> float:
    """CRPS of one observation by the probability-weighted-moment estimator (see the
    module docstring); at least two samples."""
    x = np.sort(np.asarray(samples, float))
    m = x.size
    if m < 2:
        raise ValueError("the CRPS estimator needs at least two samples")
    beta0 = x.mean()
    beta1 = float(np.arange(m) @ x) / (m * (m - 1))
    return float(np.abs(x - observed).mean() + beta0 - 2.0 * beta1)


def _smoothing_pmf(samples: np.ndarray, y: np.ndarray) -> np.ndarray:
    m = samples.mean()
    v = samples.var()
    if v > m > 0:
        n = m * m / (v - m)
        return stats.nbinom.pmf(y, n, n / (n + m))
    return stats.poisson.pmf(y, max(m, 1e-3))


def score_samples(
    samples: np.ndarray, observed: float, seed: int | np.random.Generator | None = 0
) -> dict[str, float]:
    """CRPS, log score and randomised PIT of one observed count given predictive samples
    (the rules are in the module docstring).

    Parameters
    ----------
    samples : array
        Draws from the predictive distribution.
    observed : float
        The observed count.
    seed : int, Generator or None
        Seed of the PIT's uniform draw (the default 0 makes a score reproducible; pass a
        Generator to draw a new uniform for each of many scores, None for fresh
        entropy).
    """
    s = np.asarray(samples, float)
    y = float(observed)
    crps = crps_pwm(s, y)
    n = s.shape[0]
    p = (np.count_nonzero(s == y) + float(_smoothing_pmf(s, np.array([y]))[0])) / (n + 1)
    rng = np.random.default_rng(seed)
    f_hi = np.count_nonzero(s <= y) / n
    f_lo = np.count_nonzero(s <= y - 1) / n
    pit = f_lo + rng.random() * (f_hi - f_lo)
    return {"crps": crps, "log_score": -math.log(p), "pit": float(pit)}
