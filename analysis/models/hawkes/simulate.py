"""Exact simulation of exponential Hawkes processes by the branching construction.

Immigrants (background events) arrive as a Poisson process of rate ``mu(t)``; every
event of stream ``i`` has Poisson(``alpha[i, j]``) children in stream ``j`` at
Exp(``decay``) delays, generation after generation, until a generation falls past the
end of the window. The univariate process is the one-stream case with
``alpha = [[branching]]``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from ...errors import InputError


def _rng(seed) -> np.random.Generator:
    return seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)


def _immigrants(mu, start, end, rng, mu_max=None) -> np.ndarray:
    """Poisson arrivals of rate ``mu`` on ``(start, end]``; a callable ``mu`` by thinning
    a rate ``mu_max`` (by default 1.05 times its maximum on a fine grid)."""
    if callable(mu):
        if mu_max is None:
            grid = np.linspace(start, end, 20001)
            mu_max = float(np.max(mu(grid))) * 1.05
        n = rng.poisson(mu_max * (end - start))
        t = start + rng.random(n) * (end - start)
        keep = rng.random(n) * mu_max < mu(t)
        return t[keep]
    if mu < 0:
        raise InputError("mu must be non-negative")
    n = rng.poisson(mu * (end - start))
    return start + rng.random(n) * (end - start)


def _cascade(first, excitation, decay, end, rng, max_events) -> list[np.ndarray]:
    """Every stream's events: ``first`` (one array per stream) and all generations of
    their offspring up to ``end``, sorted."""
    k = len(first)
    gens = list(first)
    out = [[g] for g in gens]
    total = sum(len(g) for g in gens)
    while any(len(g) for g in gens):
        new: list[list[np.ndarray]] = [[] for _ in range(k)]
        for i in range(k):
            for j in range(k):
                n_kids = rng.poisson(excitation[i, j], len(gens[i]))
                kids = np.repeat(gens[i], n_kids) + rng.exponential(1 / decay, int(n_kids.sum()))
                new[j].append(kids[kids <= end])
        gens = [np.concatenate(x) for x in new]
        for j in range(k):
            out[j].append(gens[j])
        total += sum(len(g) for g in gens)
        if total > max_events:
            raise InputError(
                f"simulation exceeded max_events={max_events}: a process whose branching ratio "
                "(or spectral radius) is 1 or more explodes"
            )
    return [np.sort(np.concatenate(o)) for o in out]


def simulate_hawkes(
    mu: float | Callable[[np.ndarray], np.ndarray],
    branching: float,
    decay: float,
    end: float,
    *,
    start: float = 0.0,
    history: np.ndarray | None = None,
    mu_max: float | None = None,
    seed: int | np.random.Generator | None = None,
    max_events: int = 20_000_000,
) -> np.ndarray:
    """Simulate an exponential Hawkes process on ``(start, end]`` by its branching
    (cluster) construction, which is exact.

    ``lambda(t) = mu(t) + branching * decay * sum_{t_i < t} exp(-decay (t - t_i))``.
    Immigrants arrive as a Poisson process of rate ``mu`` (a number, or a vectorised
    function of time bounded by ``mu_max``, by thinning); every event has
    Poisson(``branching``) children at Exp(``decay``) delays, generation after
    generation. ``history`` (event times before ``start``) adds the offspring still due
    from past events: by the memorylessness of the exponential kernel, a past event at
    ``s`` has Poisson(``branching * exp(-decay (start - s))``) children after ``start``,
    at ``start`` + Exp(``decay``).

    Returns
    -------
    ndarray
        The sorted event times (days).
    """
    if branching < 0 or decay <= 0:
        raise InputError("branching must be >= 0 and decay > 0")
    if end <= start:
        raise InputError("end must be after start")
    rng = _rng(seed)
    gen = _immigrants(mu, start, end, rng, mu_max)
    if history is not None and len(history):
        h = np.asarray(history, float)
        k = rng.poisson(branching * np.exp(-decay * (start - h)).sum())
        due = start + rng.exponential(1 / decay, k)
        gen = np.concatenate([gen, due[due <= end]])
    (out,) = _cascade([gen], np.array([[branching]]), decay, end, rng, max_events)
    return out


def simulate_hawkes_bivariate(
    mu: Sequence[float],
    excitation,
    decay: float,
    end: float,
    *,
    seed: int | np.random.Generator | None = None,
    max_events: int = 20_000_000,
) -> tuple[np.ndarray, np.ndarray]:
    """Simulate the bivariate model of :class:`BivariateHawkesResult` on ``(0, end]``.

    ``lambda_j(t) = mu[j] + decay * sum_i excitation[i][j] sum_{t^i_k < t}
    exp(-decay (t - t^i_k))``: ``excitation[i][j]`` is the expected number of stream-j
    children of one stream-i event, at Exp(``decay``) delays.

    Returns
    -------
    (ndarray, ndarray)
        The sorted event times of the two streams.
    """
    E = np.asarray(excitation, float)
    if E.shape != (2, 2) or np.any(E < 0):
        raise InputError("excitation must be a non-negative 2x2 matrix")
    if decay <= 0 or end <= 0:
        raise InputError("decay and end must be positive")
    rng = _rng(seed)
    first = [_immigrants(float(mu[0]), 0.0, end, rng), _immigrants(float(mu[1]), 0.0, end, rng)]
    ta, tb = _cascade(first, E, decay, end, rng, max_events)
    return ta, tb
