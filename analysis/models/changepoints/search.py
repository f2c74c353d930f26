r"""Exact PELT segmentation (Killick, Fearnhead & Eckley 2012).

PELT finds the change points :math:`0=\tau_0<\tau_1<\dots<\tau_m<\tau_{m+1}=n` that
minimise

.. math::

    \sum_{i=0}^{m} C(y_{\tau_i : \tau_{i+1}}) + \beta\, m

exactly, pruning candidates that can never again be optimal. The recursion runs in
numba when it is installed and in vectorised NumPy otherwise; both give the same
breakpoints as ``ruptures.Pelt`` with the same ``min_size``/``jump``.
"""

from __future__ import annotations

import math

import numpy as np

from ..._jit import compiled
from .costs import COST_CODES, segment_cost
from .inputs import ChangePointError

__all__ = ["pelt"]


def _pelt_numpy(cs1, cs2, pos, code, r, pen, min_size):
    """PELT over candidate positions ``pos`` (0 first, n last). Returns last-change array."""
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
        ps = pos[adm]
        pe = pos[j]
        c = segment_cost(cs1[pe] - cs1[ps], cs2[pe] - cs2[ps], (pe - ps).astype(np.float64), code, r)
        tot = F[adm] + c
        b = int(np.argmin(tot))
        F[j] = tot[b] + pen
        last[j] = adm[b]
        adm = adm[tot <= F[j]]
    return last, F


def pelt_loop(cs1, cs2, pos, code, r, pen, min_size):
    """The same recursion as plain loops, for numba to compile."""
    k = pos.shape[0]
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
            elif code == 1:
                c = 2.0 * (s1 - s1 * math.log(s1 / m))
            else:
                mu = s1 / m
                c = -2.0 * (m * r * math.log(r / (r + mu)) + s1 * math.log(mu / (r + mu)))
            t = F[i] + c
            tot[a] = t
            if t < best:
                best = t
                bi = i
        F[j] = best + pen
        last[j] = bi
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


def pelt(
    y: np.ndarray,
    penalty: float,
    *,
    cost: str = "poisson",
    min_size: int = 2,
    jump: int = 1,
    dispersion: float | None = None,
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
    engine : {"auto", "numba", "numpy"}
        "auto" uses numba (when installed) for series longer than 5,000 points.

    Returns
    -------
    list of int
        Positions ``t`` where a new segment starts (``0 < t < n``), increasing.
        ``ruptures`` reports the same points followed by ``n``.
    """
    y = np.asarray(y, dtype=np.float64)
    n = len(y)
    code = COST_CODES[cost]
    r = 1.0 / dispersion if (cost == "negbin" and dispersion) else 0.0
    if cost == "negbin" and not r > 0:
        raise ChangePointError("cost='negbin' needs a positive dispersion")
    if engine not in ("auto", "numba", "numpy"):
        raise ChangePointError("engine must be 'auto', 'numba' or 'numpy'")
    cs1 = np.concatenate([[0.0], np.cumsum(y)])
    cs2 = np.concatenate([[0.0], np.cumsum(y * y)])
    ends = [k for k in range(0, n, jump) if k >= min_size]
    pos = np.unique(np.asarray([0, *ends, n], dtype=np.int64))
    # numba pays off beyond a few thousand points (compiling costs about a second once)
    want_fast = engine == "numba" or (engine == "auto" and n > 5000)
    fast = compiled(pelt_loop) if want_fast else None
    run = fast if fast is not None else _pelt_numpy
    last, _ = run(cs1, cs2, pos, code, r, float(penalty), int(min_size))
    return _backtrack(last, pos)
