r"""The penalty of a change, chosen by simulation so that a series without a break shows
one with a given probability.

For a series :math:`y` let :math:`C_m` be the smallest total segment cost with exactly
:math:`m` changes. PELT with penalty :math:`\beta` reports at least one change exactly
when :math:`C_m + m\beta < C_0` for some :math:`m \ge 1`, that is when
:math:`\beta < \beta^*(y) = \max_{m \ge 1} (C_0 - C_m)/m`. The null model is the fitted
no-break model: the counts' overall level, seasonal baseline, NB2 dispersion and AR(1)
on the log mean (:mod:`.baseline`). ``n_sims`` series drawn from it, each with its own
dispersion estimated as for the data, give :math:`\beta^*_1 .. \beta^*_B`; the penalty is
their order statistic of rank :math:`\lceil (1 - p)(B + 1)\rceil`, so that a series from
the null model shows a false break with probability at most :math:`p` (``1 -
conf_level``). :math:`C_m` comes from the matrix of all segment costs (segment
neighbourhood, :math:`m \le 5`).
"""

from __future__ import annotations

import math

import numpy as np

from .baseline import MIN_DISPERSION, NoiseModel, estimate_noise
from .costs import SegmentSums
from .search import best_costs, cost_matrix

__all__ = ["MAX_CHANGES", "break_statistic", "calibrated_penalty", "simulate_null"]

#: The numbers of changes searched for the largest gain per change.
MAX_CHANGES = 5


def simulate_paths(rng: np.random.Generator, mean: np.ndarray, noise: NoiseModel,
                   n_sims: int) -> np.ndarray:
    """``(n_sims, n)`` counts with expected values ``mean``: NB2 with the noise model's
    dispersion given a Gaussian AR(1) on the log mean (the model of
    :func:`analysis.simulate_counts`)."""
    n = len(mean)
    a = np.zeros((n_sims, n))
    sd = noise.ar_sd
    if sd > 0:
        phi = noise.ar
        e = rng.normal(0.0, sd * math.sqrt(1 - phi**2), (n_sims, n))
        a[:, 0] = rng.normal(0.0, sd, n_sims)
        for t in range(1, n):
            a[:, t] = phi * a[:, t - 1] + e[:, t]
    mu = mean * np.exp(a - sd**2 / 2)
    alpha = noise.nb_dispersion
    lam = rng.gamma(1 / alpha, alpha * mu) if alpha > 0 else mu
    return rng.poisson(lam).astype(float)


def simulate_null(rng, noise: NoiseModel, exposure, n: int, n_sims: int) -> np.ndarray:
    """Series from the fitted no-break model: constant level times the seasonal baseline."""
    s = np.ones(n) if exposure is None else np.asarray(exposure, float)
    return simulate_paths(rng, noise.level * s, noise, n_sims)


def break_statistic(y, exposure, cost: str, dispersion, min_size: int, jump: int) -> float:
    r""":math:`\beta^*(y) = \max_{1 \le m \le 5}(C_0 - C_m)/m`, the largest penalty at which
    PELT still reports a change."""
    _, C = cost_matrix(SegmentSums.of(y, exposure), len(y), cost, dispersion, min_size, jump)
    best = best_costs(C, MAX_CHANGES)
    with np.errstate(invalid="ignore"):
        gains = (best[0] - best[1:]) / np.arange(1, len(best))
    gains = gains[np.isfinite(gains)]
    return float(max(gains.max(), 0.0)) if gains.size else 0.0


def calibrated_penalty(y, exposure, noise: NoiseModel, cost: str, dispersion, *,
                       min_size: int, jump: int, false_alarm: float, n_sims: int,
                       rng: np.random.Generator) -> tuple[float, np.ndarray]:
    """The penalty and the simulated :math:`\\beta^*` it is the quantile of. With
    ``dispersion`` None each simulated series' NB2 cost uses its own estimate."""
    sims = simulate_null(rng, noise, exposure, len(y), n_sims)
    stats = np.empty(n_sims)
    for b, ys in enumerate(sims):
        disp = dispersion
        if cost == "negbin" and disp is None:
            disp = max(estimate_noise(ys, exposure, noise.window).dispersion, MIN_DISPERSION)
        stats[b] = break_statistic(ys, exposure, cost, disp, min_size, jump)
    rank = math.ceil((1 - false_alarm) * (n_sims + 1))
    ordered = np.sort(stats)
    penalty = float(ordered[min(rank, n_sims) - 1])
    return penalty, stats
