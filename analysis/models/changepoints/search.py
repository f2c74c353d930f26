r"""Exact PELT segmentation (Killick, Fearnhead & Eckley 2012).

PELT finds the change points :math:`0=\tau_0<\tau_1<\dots<\tau_m<\tau_{m+1}=n` that
minimise

.. math::

    \sum_{i=0}^{m} C(y_{\tau_i : \tau_{i+1}}) + \beta\, m

exactly, pruning candidates that can never again be optimal. The recursion runs in
numba when it is installed and in vectorised NumPy otherwise; both give the same
breakpoints as ``ruptures.Pelt`` with the same ``min_size``/``jump``. Without pruning
the same recursion fills the matrix of all segment costs, from which
:func:`best_costs` gives the optimal cost with each number of changes (the penalty
calibration needs those).
"""

from __future__ import annotations

import math

import numpy as np

from ..._jit import compiled
from .costs import COST_CODES, NEWTON_STEPS, SegmentSums
from .inputs import ChangePointError

__all__ = ["best_costs", "cost_matrix", "pelt"]


def _pelt_numpy(sums: SegmentSums, pos, code, r, pen, min_size, prune, C, newton):
    """PELT over candidate positions ``pos`` (0 first, n last). Returns the array of
    last changes and the optimal costs; fills ``C[i, j]`` (segment ``pos[i]:pos[j]``)
    when ``C`` has rows."""
    k = len(pos)
    F = np.full(k, np.inf)
    F[0] = -pen
    last = np.zeros(k, dtype=np.int64)
    adm = np.empty(0, dtype=np.int64)
    nxt = 0
    for j in range(1, k):
        add = []
        while nxt < j and pos[j] - pos[nxt] >= min_size:
            add.append(nxt)
            nxt += 1
        if add:
            adm = np.concatenate([adm, np.asarray(add, dtype=np.int64)])
        if len(adm) == 0:
            continue
        c = sums.costs(pos[adm], pos[j], code, r, newton)
        if C.shape[0]:
            C[adm, j] = c
        tot = F[adm] + c
        b = int(np.argmin(tot))
        F[j] = tot[b] + pen
        last[j] = adm[b]
        if prune:
            adm = adm[tot <= F[j]]
    return last, F


def pelt_loop(cs1, cs2, cn, cy, sk, pos, code, r, pen, min_size, prune, C, newton):
    """The same recursion as plain loops, for numba to compile (see :mod:`.costs` for
    the costs; ``cn``/``cy`` are ``(K, n + 1)`` cumulative counts and sums per exposure
    value ``sk``; ``newton`` steps for the NB2 level with exposure)."""
    k = pos.shape[0]
    K = sk.shape[0]
    exposed = K > 1 or sk[0] != 1.0
    store = C.shape[0] > 0
    F = np.empty(k)
    F[:] = np.inf
    F[0] = -pen
    last = np.zeros(k, dtype=np.int64)
    adm = np.empty(k, dtype=np.int64)
    tot = np.empty(k)
    n_adm = 0
    nxt = 0
    for j in range(1, k):
        while nxt < j and pos[j] - pos[nxt] >= min_size:
            adm[n_adm] = nxt
            n_adm += 1
            nxt += 1
        if n_adm == 0:
            continue
        pe = pos[j]
        best = np.inf
        bi = 0
        for a in range(n_adm):
            i = adm[a]
            ps = pos[i]
            s1 = cs1[pe] - cs1[ps]
            m = float(pe - ps)
            if code == 0:
                c = (cs2[pe] - cs2[ps]) - s1 * s1 / m
            elif s1 <= 0.0:
                c = 0.0
            elif not exposed:
                mu = s1 / m
                if code == 1:
                    c = 2.0 * (s1 - s1 * math.log(mu))
                else:
                    c = 2.0 * (m * r * math.log1p(mu / r) - s1 * math.log(mu / (r + mu)))
            else:
                E = 0.0
                for q in range(K):
                    E += (cn[q, pe] - cn[q, ps]) * sk[q]
                lam = s1 / E
                if code == 1:
                    c = 2.0 * (s1 - s1 * math.log(lam))
                else:
                    for _ in range(newton):
                        g = s1
                        h = 0.0
                        for q in range(K):
                            w = r * (cn[q, pe] - cn[q, ps]) + (cy[q, pe] - cy[q, ps])
                            f = lam * sk[q] / (r + lam * sk[q])
                            g -= w * f
                            h += w * f * (1.0 - f)
                        if h > 0.0:
                            lam *= math.exp(g / h)
                    c = -m * r * math.log(r) - s1 * math.log(lam)
                    for q in range(K):
                        w = r * (cn[q, pe] - cn[q, ps]) + (cy[q, pe] - cy[q, ps])
                        c += w * math.log(r + lam * sk[q])
                    c *= 2.0
            if store:
                C[i, j] = c
            t = F[i] + c
            tot[a] = t
            if t < best:
                best = t
                bi = i
        F[j] = best + pen
        last[j] = bi
        if prune:
            w = 0
            for a in range(n_adm):
                if tot[a] <= F[j]:
                    adm[w] = adm[a]
                    w += 1
            n_adm = w
    return last, F


def _backtrack(last: np.ndarray, pos: np.ndarray) -> list[int]:
    out = []
    j = len(pos) - 1
    while j > 0:
        i = int(last[j])
        if i > 0:
            out.append(int(pos[i]))
        j = i
    return sorted(out)


def _positions(n: int, min_size: int, jump: int) -> np.ndarray:
    """Candidate positions: 0, the multiples of ``jump`` from ``min_size``, and n."""
    ends = [k for k in range(0, n, jump) if k >= min_size]
    return np.unique(np.asarray([0, *ends, n], dtype=np.int64))


def _run(sums: SegmentSums, pos, code, r, pen, min_size, engine, prune, C,
         newton=NEWTON_STEPS):
    """The recursion with the engine asked for (``"auto"``: numba from 5,000 points, and
    for the cost matrix)."""
    if engine not in ("auto", "numba", "numpy"):
        raise ChangePointError("engine must be 'auto', 'numba' or 'numpy'")
    # numba pays off beyond a few thousand points (compiling costs a few seconds once)
    want_fast = engine == "numba" or (engine == "auto" and (len(pos) > 5000 or not prune))
    fast = compiled(pelt_loop) if want_fast else None
    if fast is None:
        return _pelt_numpy(sums, pos, code, r, float(pen), int(min_size), prune, C, newton)
    return fast(sums.cs1, sums.cs2, sums.cn, sums.cy, sums.sk, pos, code, r, float(pen),
                int(min_size), prune, C, newton)


def _rate_param(cost: str, dispersion) -> float:
    r = 1.0 / dispersion if (cost == "negbin" and dispersion) else 0.0
    if cost == "negbin" and not r > 0:
        raise ChangePointError("cost='negbin' needs a positive dispersion")
    return r


def pelt(
    y: np.ndarray,
    penalty: float,
    *,
    cost: str = "poisson",
    min_size: int = 2,
    jump: int = 1,
    dispersion: float | None = None,
    exposure=None,
    engine: str = "auto",
) -> list[int]:
    """Exact PELT segmentation of a 1-d array; returns the change positions.

    Parameters
    ----------
    y : array
        The series (counts for "poisson"/"negbin").
    penalty : float
        Cost of one more change point (on the -2 log-likelihood scale for the count
        costs, on the sum-of-squares scale for "l2").
    cost : {"poisson", "negbin", "l2"}
        The segment cost (see :mod:`analysis.models.changepoints.costs`).
    min_size : int
        Minimum segment length.
    jump : int
        Only positions that are multiples of ``jump`` may be change points (as in
        ruptures).
    dispersion : float
        NB2 dispersion ``alpha`` for ``cost="negbin"``.
    exposure : array, optional
        A positive multiplier of each period's mean (a seasonal baseline), taking a few
        distinct values; count costs only.
    engine : {"auto", "numba", "numpy"}
        "auto" uses numba (when installed) for series longer than 5,000 points.

    Returns
    -------
    list of int
        Positions ``t`` where a new segment starts (``0 < t < n``), increasing.
        ``ruptures`` reports the same points followed by ``n``.
    """
    y = np.asarray(y, dtype=np.float64)
    code = COST_CODES[cost]
    r = _rate_param(cost, dispersion)
    sums = SegmentSums.of(y, exposure)
    pos = _positions(len(y), min_size, jump)
    last, _ = _run(sums, pos, code, r, penalty, min_size, engine, True, np.empty((0, 0)))
    return _backtrack(last, pos)


def cost_matrix(sums: SegmentSums, n: int, cost: str, dispersion, min_size: int, jump: int,
                engine: str = "auto") -> tuple[np.ndarray, np.ndarray]:
    """The candidate positions and the matrix ``C[i, j]`` of the cost of the segment
    ``pos[i]:pos[j]`` (``inf`` where it is shorter than ``min_size`` or ``i >= j``). With
    exposure the NB2 level is the ratio :math:`S/E` rather than its maximum-likelihood
    value (no Newton steps): the costs differ in the third decimal, which does not
    matter for a penalty calibrated on them, and take a fifth of the time."""
    pos = _positions(n, min_size, jump)
    code, r = COST_CODES[cost], _rate_param(cost, dispersion)
    C = np.full((len(pos), len(pos)), np.inf)
    if engine != "numpy" and compiled(pelt_loop) is not None:
        _run(sums, pos, code, r, 0.0, min_size, "numba", False, C, newton=0)
        return pos, C
    i, j = np.triu_indices(len(pos), 1)
    ok = (pos[j] - pos[i] >= min_size) & ((i == 0) | (pos[i] >= min_size))
    i, j = i[ok], j[ok]
    C[i, j] = sums.costs(pos[i], pos[j], code, r, 0)
    return pos, C


def neighbourhood_loop(C, max_changes, out):
    """Segment neighbourhood as plain loops (for numba): ``out[m]`` is the smallest
    total cost with exactly ``m`` changes."""
    k = C.shape[0]
    F = np.full(k, np.inf)
    G = np.empty(k)
    for j in range(k):
        F[j] = C[0, j]
    out[0] = F[k - 1]
    for m in range(1, max_changes + 1):
        for j in range(k):
            best = np.inf
            for i in range(1, j):
                v = F[i] + C[i, j]
                if v < best:
                    best = v
            G[j] = best
        for j in range(k):
            F[j] = G[j]
        out[m] = F[k - 1]
    return out


def best_costs(C: np.ndarray, max_changes: int) -> np.ndarray:
    """The smallest total cost of a segmentation of the whole series with exactly
    ``m = 0 .. max_changes`` changes (segment neighbourhood on the cost matrix ``C``;
    ``inf`` when no segmentation has ``m`` changes)."""
    out = np.full(max_changes + 1, np.inf)
    fast = compiled(neighbourhood_loop)
    if fast is not None:
        return fast(C, max_changes, out)
    k = C.shape[0]
    F = C[0].copy()
    out[0] = F[k - 1]
    for m in range(1, max_changes + 1):
        F[0] = np.inf
        F = np.min(F[:, None] + C, axis=0)  # m + 1 segments ending at each position
        out[m] = F[k - 1]
    return out
