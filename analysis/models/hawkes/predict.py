r"""Simulated future counts of a fitted Hawkes process, all sample paths at once.

Path :math:`i` draws its parameters :math:`(b_i, \eta_i, \beta_i)` from the fit's
asymptotic normal law on the optimiser's scale (or keeps the estimates), then simulates
the window :math:`(s_0, s_1]` exactly by the branching construction: background events
of rate :math:`\mu_i(t) = \exp(X(t) b_i)` by thinning, the offspring still due from the
history (by the memorylessness of the exponential kernel, a past event at :math:`s` has
Poisson(:math:`\eta_i e^{-\beta_i (s_0 - s)}`) children after :math:`s_0`, at
:math:`s_0 + \mathrm{Exp}(\beta_i)`), and every generation of their offspring. Beyond
the fitted window the background's trend is held at its last value, so no path
extrapolates a trend.

A guard stops a simulation that would run away: before simulating, a bound on the
expected number of events of each path, :math:`(\int_{s_0}^{s_1} \mu_i + \eta_i S_i)
(1 - \eta_i e^{-\beta_i (1 - \eta_i) L}) / (1 - \eta_i)` with :math:`S_i` the decayed
history and :math:`L = s_1 - s_0` (the expected descendants by :math:`s_1` of an event at
:math:`s_0`), is computed. When one path expects more than
:data:`MAX_RATIO` times the most events the data held in a window as long (plus one), or
all paths together more than :data:`MAX_EVENTS`, an :class:`analysis.EstimationError`
names the cause (usually background coefficients too poorly determined by the data,
whose draws reach absurd rates).
"""

from __future__ import annotations

import math
import warnings

import numpy as np

from ..._glm import coef_draws
from ...errors import EstimationError, EstimationWarning, InputError

__all__ = ["MAX_EVENTS", "MAX_RATIO", "most_in_window", "simulate_counts"]

#: the most events (over all paths) a forecast simulation may expect to generate
MAX_EVENTS = 5_000_000
#: no path may expect more than this many times the most events the data held in a
#: window as long as the forecast's
MAX_RATIO = 100


def _draws(res, n: int, uncertain: bool, rng) -> np.ndarray:
    """Parameter vectors on the optimiser's scale, one row per path."""
    if not uncertain:
        return np.tile(res.theta, (n, 1))
    if not np.all(np.isfinite(res.cov)):
        warnings.warn("the Hawkes fit has no covariance (see its notes): the forecast leaves "
                      "parameter uncertainty out", EstimationWarning, stacklevel=4)
        return np.tile(res.theta, (n, 1))
    return coef_draws(rng, res.theta, res.cov, n)


def _decayed(history: np.ndarray, s0: float, beta: np.ndarray) -> np.ndarray:
    """``S_i = sum_j exp(-beta_i (s0 - h_j))`` for each path's decay, in blocks."""
    out = np.zeros(beta.shape[0])
    for k in range(0, history.shape[0], 2048):
        lag = s0 - history[k:k + 2048]
        out += np.exp(-np.outer(beta, lag)).sum(axis=1)
    return out


def most_in_window(history: np.ndarray, length: float) -> int:
    """The most events the history holds in any window of ``length`` days."""
    if history.shape[0] == 0:
        return 0
    ends = np.searchsorted(history, history + length, side="left")
    return int((ends - np.arange(history.shape[0])).max())


def _guard(expected: np.ndarray, rate_max: np.ndarray, eta: np.ndarray, res,
           most: int) -> None:
    """Raise when the paths expect more than :data:`MAX_EVENTS` events in all, or one
    path more than :data:`MAX_RATIO` times the most the data held in a window as long."""
    total = float(expected.sum())
    worst = int(np.nanargmax(np.where(np.isfinite(expected), expected, np.inf)))
    ceiling = MAX_RATIO * (most + 1)
    if np.isfinite(total) and total <= MAX_EVENTS and expected[worst] <= ceiling:
        return
    cause = ("the branching ratio's draws come close to 1" if eta[worst] > 0.95 else
             "the background's coefficients are")
    raise EstimationError(
        f"the Hawkes forecast is not estimable: some parameter draws expect "
        f"{expected[worst]:.3g} events in the forecast window (the data never held more "
        f"than {most} in a window as long; {total:.3g} over all {expected.shape[0]} paths), "
        f"with a background of {rate_max[worst]:.3g} events/day (fitted mean "
        f"{res.mu_mean:.3g}) and branching ratio {eta[worst]:.3f}: {cause} too poorly "
        f"determined by {res.n_events} events. Use a simpler background (trend='none', "
        "harmonics=0, or background='constant') or more data"
    )


def _immigrants(res, B, grid_rate, s0, s1, rng):
    """Background events of every path by thinning: ``(times, path)``."""
    bound = grid_rate.max(axis=1) * 1.1
    n_cand = rng.poisson(bound * (s1 - s0))
    path = np.repeat(np.arange(B.shape[0]), n_cand)
    t = s0 + rng.random(path.shape[0]) * (s1 - s0)
    X = res._background.design(t)
    rate = np.exp(np.clip(np.einsum("ij,ij->i", X, B[path]), -500, 500))
    keep = rng.random(path.shape[0]) * bound[path] < rate
    return t[keep], path[keep]


def _cascade(t, path, eta, beta, s1, rng, budget):
    """All generations of offspring of the events ``(t, path)`` up to ``s1``."""
    times, paths = [t], [path]
    total = t.shape[0]
    while t.shape[0]:
        kids = rng.poisson(eta[path])
        path = np.repeat(path, kids)
        t = np.repeat(t, kids) + rng.exponential(1.0, path.shape[0]) / beta[path]
        inside = t <= s1
        t, path = t[inside], path[inside]
        times.append(t)
        paths.append(path)
        total += t.shape[0]
        if total > budget:
            raise EstimationError(
                f"the Hawkes forecast simulation passed {budget} events: the drawn "
                "branching ratios are too close to 1 for a forecast"
            )
    return np.concatenate(times), np.concatenate(paths)


def simulate_counts(res, edges, *, history=None, n_sims: int = 1000,
                    parameter_uncertainty: bool = True, seed=0) -> np.ndarray:
    """Simulated counts of a fitted :class:`HawkesResult` in the bins ``edges``.

    Parameters
    ----------
    res : HawkesResult
    edges : array of float
        Increasing bin edges in days since ``res.origin``; the window is
        ``(edges[0], edges[-1]]``.
    history : array of float, optional
        Event times before ``edges[0]`` the future depends on (default: the fitted times).
    n_sims : int
        Sample paths.
    parameter_uncertainty : bool
        Draw each path's parameters from the fit's asymptotic normal law.
    seed : int, Generator or None

    Returns
    -------
    ndarray
        ``(n_sims, len(edges) - 1)`` counts.

    Raises
    ------
    EstimationError
        The simulation would generate more than :data:`MAX_EVENTS` events.
    """
    edges = np.asarray(edges, float)
    if edges.ndim != 1 or edges.shape[0] < 2 or np.any(np.diff(edges) <= 0):
        raise InputError("edges must be at least two increasing bin edges")
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    hist = np.asarray(res.times if history is None else history, float)
    s0, s1 = float(edges[0]), float(edges[-1])
    hist = hist[hist <= s0]
    theta = _draws(res, int(n_sims), parameter_uncertainty, rng)
    p = len(res.coef_names)
    B = theta[:, :p]
    eta = 1.0 / (1.0 + np.exp(-theta[:, -2]))
    beta = np.exp(theta[:, -1])
    grid = np.linspace(s0, s1, max(64, math.ceil(2 * (s1 - s0)) + 1))
    grid_rate = res.background_rate(grid, coef=B)
    decayed = _decayed(hist, s0, beta)
    integral = ((grid_rate[:, 1:] + grid_rate[:, :-1]) / 2 * np.diff(grid)).sum(axis=1)
    # an event at s0 has (1 - eta exp(-beta (1 - eta) L)) / (1 - eta) descendants by s1
    progeny = (1.0 - eta * np.exp(-beta * (1.0 - eta) * (s1 - s0))) / (1.0 - eta)
    _guard((integral + eta * decayed) * progeny, grid_rate.max(axis=1), eta, res,
           most_in_window(np.sort(np.asarray(res.times, float)), s1 - s0))
    t, path = _immigrants(res, B, grid_rate, s0, s1, rng)
    due = rng.poisson(eta * decayed)
    due_path = np.repeat(np.arange(B.shape[0]), due)
    due_t = s0 + rng.exponential(1.0, due_path.shape[0]) / beta[due_path]
    keep = due_t <= s1
    t = np.concatenate([t, due_t[keep]])
    path = np.concatenate([path, due_path[keep]])
    t, path = _cascade(t, path, eta, beta, s1, rng, 4 * MAX_EVENTS)
    nb = edges.shape[0] - 1
    k = np.clip(np.searchsorted(edges, t, side="right") - 1, 0, nb - 1)
    return np.bincount(path * nb + k, minlength=B.shape[0] * nb).reshape(-1, nb).astype(float)
