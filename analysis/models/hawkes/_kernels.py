"""O(n) recursions of the exponential kernel, compiled by numba when it is installed.

With ``A_i = sum_{j<i} w_j exp(-beta (t_i - t_j))`` the intensity at event ``i`` is
``mu_i + eta * beta * A_i``, and ``A`` obeys the recursion

    A_i = exp(-beta (t_i - t_{i-1})) (w_{i-1} + A_{i-1}),

with ``B_i = dA_i/dbeta`` and ``C_i = d^2A_i/dbeta^2`` following by differentiation.
The reference loops are plain Python, compiled by numba (the ``fast`` extra); without
numba, vectorised NumPy versions (chunks of events with a carried state, still O(n))
give the same numbers.
"""

from __future__ import annotations

import math

import numpy as np

from ...errors import InputError

try:  # numba is optional (the ``fast`` extra)
    import numba as _numba

    HAVE_NUMBA = True
except ImportError:  # pragma: no cover - exercised only without numba
    _numba = None
    HAVE_NUMBA = False

ENGINES = ("numba", "numpy")


def resolve_engine(engine: str | None) -> str:
    """``"numba"`` or ``"numpy"`` from a user's ``engine`` (None or "auto": the fastest)."""
    if engine is None or engine == "auto":
        return "numba" if HAVE_NUMBA else "numpy"
    if engine not in ENGINES:
        raise InputError(f"engine must be 'auto', 'numba' or 'numpy', not {engine!r}")
    if engine == "numba" and not HAVE_NUMBA:
        raise ImportError(
            "engine='numba' needs numba: pip install 'afghan-violence-analysis[fast]'"
        )
    return engine


def uni_kernel_py(t, mu, vec, eta, beta, T, inv_out):
    """One pass over the events for the log-likelihood and its gradient.

    Returns ``(sum log lambda_i, sum 1/lambda_i, sum A_i/lambda_i,
    sum (A_i + beta B_i)/lambda_i, A_T, B_T)`` and, when ``vec`` (a background value per
    event in ``mu``), writes ``mu_i / lambda_i`` into ``inv_out``. ``A_T`` and ``B_T``
    are the decayed sums at the end of the window, which give the compensator.
    """
    n = t.shape[0]
    a = 0.0
    b = 0.0
    ll = 0.0
    s_mu = 0.0
    s_a = 0.0
    s_b = 0.0
    prev = t[0]
    for i in range(n):
        if i > 0:
            d = t[i] - prev
            e = math.exp(-beta * d)
            b = e * (b - d * (1.0 + a))
            a = e * (1.0 + a)
            prev = t[i]
        m = mu[i] if vec else mu[0]
        lam = m + eta * beta * a
        if not lam > 0.0:  # an intensity that underflowed: outside the model
            return -math.inf, 0.0, 0.0, 0.0, 0.0, 0.0
        ll += math.log(lam)
        inv = 1.0 / lam
        s_mu += inv
        s_a += a * inv
        s_b += (a + beta * b) * inv
        if vec:
            inv_out[i] = m * inv
    d = T - prev
    e = math.exp(-beta * d)
    a_t = e * (1.0 + a)
    b_t = e * (b - d * (1.0 + a))
    return ll, s_mu, s_a, s_b, a_t, b_t


def decay_sums_py(t, w, beta, a_out, b_out):
    """Write ``A_i = sum_{j<i} w_j exp(-beta (t_i - t_j))`` and ``B_i = dA_i/dbeta``."""
    n = t.shape[0]
    a = 0.0
    b = 0.0
    prev = t[0]
    wprev = 0.0
    for i in range(n):
        d = t[i] - prev
        e = math.exp(-beta * d)
        b = e * (b - d * (wprev + a))
        a = e * (wprev + a)
        a_out[i] = a
        b_out[i] = b
        prev = t[i]
        wprev = w[i]
    return 0


def uni_const_hess_py(t, mu, eta, beta, T, L, out):
    """Constant background: log-likelihood, gradient and Hessian in ``(mu, eta, beta)``,
    for a stream observed for ``L`` days up to ``T``.

    Uses the third recursion for ``C_i``. ``out`` (length 10) receives
    ``[ll, g_mu, g_eta, g_beta, H_mm, H_me, H_mb, H_ee, H_eb, H_bb]``.
    """
    n = t.shape[0]
    a = 0.0
    b = 0.0
    c = 0.0
    ll = 0.0
    s1 = 0.0  # sum 1/lam
    sa = 0.0  # sum beta A / lam
    sb = 0.0  # sum eta (A + beta B) / lam
    q11 = 0.0
    q12 = 0.0
    q13 = 0.0
    q22 = 0.0
    q23 = 0.0
    q33 = 0.0
    s_eb = 0.0  # sum (A + beta B) / lam
    s_bb = 0.0  # sum eta (2B + beta C) / lam
    prev = t[0]
    for i in range(n):
        if i > 0:
            d = t[i] - prev
            e = math.exp(-beta * d)
            c = e * (c - 2.0 * d * b + d * d * (1.0 + a))
            b = e * (b - d * (1.0 + a))
            a = e * (1.0 + a)
            prev = t[i]
        lam = mu + eta * beta * a
        ll += math.log(lam)
        inv = 1.0 / lam
        d2 = beta * a
        d3 = eta * (a + beta * b)
        s1 += inv
        sa += d2 * inv
        sb += d3 * inv
        inv2 = inv * inv
        q11 += inv2
        q12 += d2 * inv2
        q13 += d3 * inv2
        q22 += d2 * d2 * inv2
        q23 += d2 * d3 * inv2
        q33 += d3 * d3 * inv2
        s_eb += (a + beta * b) * inv
        s_bb += eta * (2.0 * b + beta * c) * inv
    d = T - prev
    e = math.exp(-beta * d)
    a_t = e * (1.0 + a)
    b_t = e * (b - d * (1.0 + a))
    c_t = e * (c - 2.0 * d * b + d * d * (1.0 + a))
    out[0] = ll - mu * L - eta * (n - a_t)
    out[1] = s1 - L
    out[2] = sa - (n - a_t)
    out[3] = sb + eta * b_t
    out[4] = -q11
    out[5] = -q12
    out[6] = -q13
    out[7] = -q22
    out[8] = s_eb - q23 + b_t
    out[9] = s_bb - q33 + eta * c_t
    return 0


def const_hess_numpy(t, mu, eta, beta, T, L, out):
    """NumPy version of :func:`uni_const_hess_py` (same outputs)."""
    n = t.shape[0]
    a, b, c = decay_sums_numpy(t, np.ones(n), beta, second=True)
    lam = mu + eta * beta * a
    inv = 1.0 / lam
    inv2 = inv * inv
    d2 = beta * a
    d3 = eta * (a + beta * b)
    d = T - t
    e = np.exp(-beta * d)
    a_t = float(e.sum())
    b_t = float(-(d * e).sum())
    c_t = float((d * d * e).sum())
    out[0] = float(np.log(lam).sum()) - mu * L - eta * (n - a_t)
    out[1] = float(inv.sum()) - L
    out[2] = float((d2 * inv).sum()) - (n - a_t)
    out[3] = float((d3 * inv).sum()) + eta * b_t
    out[4] = -float(inv2.sum())
    out[5] = -float((d2 * inv2).sum())
    out[6] = -float((d3 * inv2).sum())
    out[7] = -float((d2 * d2 * inv2).sum())
    out[8] = float(((a + beta * b) * inv).sum()) - float((d2 * d3 * inv2).sum()) + b_t
    out[9] = (
        float((eta * (2.0 * b + beta * c) * inv).sum()) - float((d3 * d3 * inv2).sum()) + eta * c_t
    )
    return 0


if HAVE_NUMBA:
    uni_const_hess = _numba.njit(cache=True)(uni_const_hess_py)
    uni_kernel = _numba.njit(cache=True, fastmath=False)(uni_kernel_py)
    decay_sums_nb = _numba.njit(cache=True)(decay_sums_py)
else:  # pragma: no cover
    uni_const_hess = None
    uni_kernel = None
    decay_sums_nb = None


def _within_chunks(tp, wp, beta, second):
    """Decayed sums over earlier events of the same chunk (strict lower triangle)."""
    nch, chunk = tp.shape
    tri = np.tri(chunk, chunk, -1, dtype=bool)
    out = [np.empty((nch, chunk)) for _ in range(3 if second else 2)]
    step = max(1, 65536 // chunk)
    for s in range(0, nch, step):
        tt = tp[s : s + step]
        d = np.where(tri, tt[:, :, None] - tt[:, None, :], 0.0)
        e = np.where(tri, np.exp(-beta * d), 0.0) * wp[s : s + step, None, :]
        out[0][s : s + step] = e.sum(axis=2)
        de = e * d
        out[1][s : s + step] = -de.sum(axis=2)
        if second:
            out[2][s : s + step] = (de * d).sum(axis=2)
    return out


def _carried(tp, wp, beta):
    """Decayed sum of all earlier chunks at each chunk's first event, and its first and
    second beta derivatives (a scalar recursion over chunks)."""
    nch = tp.shape[0]
    tau = tp[:, 0]
    tau_next = np.append(tau[1:], tau[-1])
    dd = np.clip(tau_next[:, None] - tp, 0.0, None)
    ee = np.exp(-beta * dd) * wp
    cl = ee.sum(axis=1).tolist()
    rl = (-(ee * dd).sum(axis=1)).tolist()
    ql = (ee * dd * dd).sum(axis=1).tolist()
    delta = tau_next - tau
    gl, dl = np.exp(-beta * delta).tolist(), delta.tolist()
    s_car, r_car, q_car = [0.0] * nch, [0.0] * nch, [0.0] * nch
    s_k = r_k = q_k = 0.0
    for k in range(nch):
        s_car[k], r_car[k], q_car[k] = s_k, r_k, q_k
        gk, dk = gl[k], dl[k]
        q_k = gk * (q_k - 2.0 * dk * r_k + dk * dk * s_k) + ql[k]
        r_k = gk * (r_k - dk * s_k) + rl[k]
        s_k = gk * s_k + cl[k]
    return np.array(s_car), np.array(r_car), np.array(q_car)


def decay_sums_numpy(
    t: np.ndarray, w: np.ndarray, beta: float, chunk: int = 32, second: bool = False
):
    """Vectorised O(n) version of :func:`decay_sums_py` (no numba).

    Events are cut into chunks of ``chunk``: sums inside a chunk are taken over the
    strictly lower triangle of its pairwise differences, and all earlier chunks enter
    through three carried scalars. Returns ``(A, B)``, or ``(A, B, C)`` when ``second``.
    """
    n = t.shape[0]
    nch = -(-n // chunk)
    pad = nch * chunk - n
    tp = np.concatenate([t, np.full(pad, t[-1])]).reshape(nch, chunk)
    wp = np.concatenate([w, np.zeros(pad)]).reshape(nch, chunk)
    inside = _within_chunks(tp, wp, beta, second)
    s_car, r_car, q_car = _carried(tp, wp, beta)
    off = tp - tp[:, :1]
    eo = np.exp(-beta * off)
    a = inside[0] + eo * s_car[:, None]
    b = inside[1] + eo * (r_car[:, None] - off * s_car[:, None])
    if not second:
        return a.ravel()[:n], b.ravel()[:n]
    c = inside[2] + eo * (q_car[:, None] - 2 * off * r_car[:, None] + off * off * s_car[:, None])
    return a.ravel()[:n], b.ravel()[:n], c.ravel()[:n]


def decay_sums(t: np.ndarray, w: np.ndarray, beta: float, engine: str):
    """``(A, B)`` of :func:`decay_sums_py` with the given engine."""
    if engine == "numba":
        a = np.empty_like(t)
        b = np.empty_like(t)
        decay_sums_nb(t, w, beta, a, b)
        return a, b
    return decay_sums_numpy(t, w, beta)
