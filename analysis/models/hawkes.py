"""Self-exciting (Hawkes) point processes with an exponential kernel: does one attack
trigger more, for how long, and does one group's violence provoke another's?

Univariate model (times in days, observed on ``[start, end]``)::

    lambda(t) = mu(t) + eta * beta * sum_{t_i < t} exp(-beta * (t - t_i))

``eta`` is the branching ratio (expected number of events directly triggered by one
event; fits keep it in the stationary range ``0 < eta < 1``), ``beta`` the decay rate per day (mean delay ``1 / beta`` days). The background
``mu(t)`` is either a constant or, with ``background="trend_seasonal"``, log-linear::

    log mu(t) = b0 + b1 * (t - t_mid) / 365.25
                + sum_k [a_k sin(2 pi k y(t)) + c_k cos(2 pi k y(t))],   k = 1..harmonics

where ``y(t)`` is the fraction of the calendar year (so the seasonal terms refer to the
calendar when times are dates). A constant background read against a surge of violence
attributes the surge to contagion; the trend-seasonal background lets the data tell the
two apart.

The log-likelihood ``sum_i log lambda(t_i) - int_start^end lambda(t) dt`` is computed in
O(n) with the recursion ``A_i = exp(-beta (t_i - t_{i-1})) (1 + A_{i-1})`` and its
analytic gradient (a second recursion for ``dA_i/dbeta``; a third gives the analytic
Hessian for the constant background, which is then maximised by trust-region Newton; the
trend-seasonal and bivariate models use L-BFGS-B and a Hessian from differences of the
analytic gradient). Parameters are optimised on an unconstrained scale: log background
(coefficients), logit branching ratio, log decay. The kernels are compiled with numba
when it is installed (the ``fast`` extra); otherwise vectorised NumPy versions (chunks
of events with a carried state, still O(n)) are used. The integral of the trend-seasonal
background has no closed form; it is computed by composite 5-point Gauss-Legendre
quadrature on segments of at most 7 days, which is exact to rounding for these smooth
backgrounds (periods of at least 365.25 / harmonics days).

Ties. Incidents are usually dated to the day, so many share a timestamp. With tied
times the likelihood grows without bound as ``beta`` rises (a tied pair looks like an
instantaneous trigger), so raw ties are rejected unless ``ties="raw"`` is asked for.
The default ``ties="jitter"`` places every event uniformly at random inside its dating
window (``[date_earliest, date_latest + 1 day)`` for an incident frame, the day itself
for day-precision timestamps, ``[t, t + resolution)`` for numbers), refits on
``n_draws`` seeded draws and pools them by Rubin's rules on the optimiser's scale:
point estimates are the mean over draws and the variance is the mean within-draw
variance plus ``(1 + 1/m)`` times the between-draw variance.
"""

from __future__ import annotations

import dataclasses
import math
import warnings
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
from scipy import optimize, special, stats

from ..errors import InputError
from ..results import Result, get_axes

try:  # numba is optional (the ``fast`` extra)
    import numba as _numba

    HAVE_NUMBA = True
except ImportError:  # pragma: no cover - exercised only without numba
    _numba = None
    HAVE_NUMBA = False

__all__ = [
    "BivariateHawkesResult",
    "HawkesInputError",
    "HawkesResult",
    "fit_hawkes",
    "fit_hawkes_bivariate",
    "hawkes_loglik",
    "simulate_hawkes",
    "simulate_hawkes_bivariate",
]

DAY = pd.Timedelta(days=1)
YEAR_DAYS = 365.25
_Z95 = stats.norm.ppf(0.975)
_LOG_BETA_BOUNDS = (math.log(1e-6), math.log(1e6))
_LOGIT_ETA_BOUNDS = (-25.0, 25.0)


def _expit(x: float) -> float:
    return float(special.expit(x))


def _logit(p: float) -> float:
    return float(special.logit(p))


def _exp(x: float) -> float:
    """exp without OverflowError (inf beyond the float range)."""
    return float(np.exp(np.clip(x, -745.0, 709.0))) if np.isfinite(x) else float(np.exp(x))


class HawkesInputError(InputError):
    """Event times that a Hawkes model cannot be fitted to, and what to do about it."""


# =============================================================================================
# O(n) kernels
# =============================================================================================
def _uni_kernel_py(t, mu, vec, eta, beta, T, inv_out):
    """Reference loop (compiled by numba when available).

    Returns ``(sum log lambda_i, sum A_i/lambda_i, sum (A_i + beta B_i)/lambda_i, A_T, B_T)``
    and writes ``mu_i / lambda_i`` into ``inv_out`` when ``vec`` (background per event).
    ``A_T = sum_j exp(-beta (T - t_j))`` and ``B_T = dA_T/dbeta`` give the compensator.
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


def _decay_sums_py(t, w, beta, a_out, b_out):
    """``A_i = sum_{j<i} w_j exp(-beta (t_i - t_j))`` and ``B_i = dA_i/dbeta``."""
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


def _uni_const_hess_py(t, mu, eta, beta, T, out):
    """Constant background: log-likelihood, gradient and Hessian in ``(mu, eta, beta)``.

    Uses a third recursion for ``C_i = d^2 A_i / dbeta^2``. ``out`` (length 10) receives
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
    out[0] = ll - mu * T - eta * (n - a_t)
    out[1] = s1 - T
    out[2] = sa - (n - a_t)
    out[3] = sb + eta * b_t
    out[4] = -q11
    out[5] = -q12
    out[6] = -q13
    out[7] = -q22
    out[8] = s_eb - q23 + b_t
    out[9] = s_bb - q33 + eta * c_t
    return 0


def _const_hess_numpy(t, mu, eta, beta, T, out):
    """NumPy version of :func:`_uni_const_hess_py` (same outputs)."""
    n = t.shape[0]
    a, b, c = _decay_sums_numpy(t, np.ones(n), beta, second=True)
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
    out[0] = float(np.log(lam).sum()) - mu * T - eta * (n - a_t)
    out[1] = float(inv.sum()) - T
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
    _uni_const_hess = _numba.njit(cache=True)(_uni_const_hess_py)
    _uni_kernel = _numba.njit(cache=True, fastmath=False)(_uni_kernel_py)
    _decay_sums_nb = _numba.njit(cache=True)(_decay_sums_py)
else:  # pragma: no cover
    _uni_const_hess = None
    _uni_kernel = None
    _decay_sums_nb = None


def _decay_sums_numpy(
    t: np.ndarray, w: np.ndarray, beta: float, chunk: int = 32, second: bool = False
):
    """Vectorised O(n) version of :func:`_decay_sums_py` (no numba).

    Events are cut into chunks of ``chunk``; sums inside a chunk are taken over the
    strictly lower triangle of the chunk's pairwise differences, and the contribution of
    all earlier chunks is carried forward as three scalars (the decayed sum at the
    chunk's first event and its first and second beta derivatives). Returns ``(A, B)``,
    or ``(A, B, C)`` with ``C = d^2 A / dbeta^2`` when ``second``.
    """
    n = t.shape[0]
    nch = -(-n // chunk)
    pad = nch * chunk - n
    tp = np.concatenate([t, np.full(pad, t[-1])]).reshape(nch, chunk)
    wp = np.concatenate([w, np.zeros(pad)]).reshape(nch, chunk)
    tri = np.tri(chunk, chunk, -1, dtype=bool)
    a_in = np.empty((nch, chunk))
    b_in = np.empty((nch, chunk))
    c_in = np.empty((nch, chunk)) if second else None
    step = max(1, 65536 // chunk)
    for s in range(0, nch, step):
        tt = tp[s : s + step]
        d = np.where(tri, tt[:, :, None] - tt[:, None, :], 0.0)
        e = np.where(tri, np.exp(-beta * d), 0.0) * wp[s : s + step, None, :]
        a_in[s : s + step] = e.sum(axis=2)
        de = e * d
        b_in[s : s + step] = -de.sum(axis=2)
        if second:
            c_in[s : s + step] = (de * d).sum(axis=2)
    tau = tp[:, 0]
    tau_next = np.append(tau[1:], tau[-1])
    dd = np.clip(tau_next[:, None] - tp, 0.0, None)
    ee = np.exp(-beta * dd) * wp
    c = ee.sum(axis=1)
    r = -(ee * dd).sum(axis=1)
    q = (ee * dd * dd).sum(axis=1)
    delta = tau_next - tau
    g = np.exp(-beta * delta)
    s_car = np.empty(nch)
    r_car = np.empty(nch)
    q_car = np.empty(nch)
    s_k = r_k = q_k = 0.0
    gl, dl, cl, rl, ql = g.tolist(), delta.tolist(), c.tolist(), r.tolist(), q.tolist()
    sl, rcl, qcl = [0.0] * nch, [0.0] * nch, [0.0] * nch
    for k in range(nch):
        sl[k] = s_k
        rcl[k] = r_k
        qcl[k] = q_k
        gk, dk = gl[k], dl[k]
        q_k = gk * (q_k - 2.0 * dk * r_k + dk * dk * s_k) + ql[k]
        r_k = gk * (r_k - dk * s_k) + rl[k]
        s_k = gk * s_k + cl[k]
    s_car[:] = sl
    r_car[:] = rcl
    q_car[:] = qcl
    off = tp - tau[:, None]
    eo = np.exp(-beta * off)
    a = a_in + eo * s_car[:, None]
    b = b_in + eo * (r_car[:, None] - off * s_car[:, None])
    if not second:
        return a.ravel()[:n], b.ravel()[:n]
    cc = c_in + eo * (q_car[:, None] - 2 * off * r_car[:, None] + off * off * s_car[:, None])
    return a.ravel()[:n], b.ravel()[:n], cc.ravel()[:n]


def _decay_sums(t: np.ndarray, w: np.ndarray, beta: float, engine: str):
    if engine == "numba":
        a = np.empty_like(t)
        b = np.empty_like(t)
        _decay_sums_nb(t, w, beta, a, b)
        return a, b
    return _decay_sums_numpy(t, w, beta)


def _resolve_engine(engine: str | None) -> str:
    if engine is None or engine == "auto":
        return "numba" if HAVE_NUMBA else "numpy"
    if engine not in ("numba", "numpy"):
        raise ValueError(f"engine must be 'auto', 'numba' or 'numpy', not {engine!r}")
    if engine == "numba" and not HAVE_NUMBA:
        raise ImportError(
            "engine='numba' needs numba: pip install 'afghan-violence-analysis[fast]'"
        )
    return engine


# =============================================================================================
# Backgrounds
# =============================================================================================
_GL_X, _GL_W = np.polynomial.legendre.leggauss(5)


class _Background:
    """Log-linear background ``log mu(t) = X(t) @ b`` with exact or quadrature integrals."""

    def __init__(
        self, kind: str, T: float, *, harmonics: int = 2, phase0: float = 0.0, trend_df: int = 1
    ):
        if kind not in ("constant", "trend_seasonal"):
            raise ValueError(f"background must be 'constant' or 'trend_seasonal', not {kind!r}")
        if kind == "trend_seasonal" and (not isinstance(harmonics, int) or harmonics < 0):
            raise ValueError("harmonics must be a non-negative integer")
        self.kind = kind
        self.T = float(T)
        if kind == "trend_seasonal" and (not isinstance(trend_df, int) or trend_df < 1):
            raise ValueError("trend_df must be a positive integer")
        self.harmonics = harmonics if kind == "trend_seasonal" else 0
        self.trend_df = trend_df if kind == "trend_seasonal" else 0
        self.phase0 = float(phase0)
        self.knots: list[float] = []
        if kind == "trend_seasonal":
            nseg = max(1, math.ceil(self.T / 7.0))
            self.h = self.T / nseg
            # knots of the piecewise-linear trend sit on quadrature segment boundaries
            self.knots = sorted(
                {round(self.T * j / trend_df / self.h) * self.h for j in range(1, trend_df)}
            )
        self.names = ["log_mu"] if kind == "constant" else self._ts_names()
        self.p = len(self.names)
        if kind == "trend_seasonal":
            lo = np.arange(nseg) * self.h
            nodes = (lo[:, None] + (self.h / 2) * (_GL_X[None, :] + 1.0)).ravel()
            self.q_nodes = nodes
            self.q_w = np.tile(_GL_W * self.h / 2, nseg)
            self.q_X = self.design(nodes)

    def _ts_names(self) -> list[str]:
        names = ["intercept", "trend_per_year"]
        names += [f"trend_change_{j + 1}" for j in range(len(self.knots))]
        for k in range(1, self.harmonics + 1):
            names += [f"sin{k}", f"cos{k}"]
        return names

    def design(self, t: np.ndarray) -> np.ndarray:
        t = np.asarray(t, dtype=float)
        if self.kind == "constant":
            return np.ones((t.shape[0], 1))
        cols = [np.ones_like(t), (t - self.T / 2) / YEAR_DAYS]
        cols += [np.maximum(t - k, 0.0) / YEAR_DAYS for k in self.knots]
        y = self.phase0 + t / YEAR_DAYS
        for k in range(1, self.harmonics + 1):
            cols += [np.sin(2 * np.pi * k * y), np.cos(2 * np.pi * k * y)]
        return np.column_stack(cols)

    def integral(self, b: np.ndarray) -> tuple[float, np.ndarray]:
        """``int_0^T mu`` and its gradient in ``b``."""
        if self.kind == "constant":
            m = math.exp(b[0]) * self.T
            return m, np.array([m])
        f = self.q_w * np.exp(self.q_X @ b)
        return float(f.sum()), self.q_X.T @ f

    def rate(self, t, b) -> np.ndarray:
        return np.exp(self.design(np.atleast_1d(t)) @ b)

    def cumulative(self, t: np.ndarray, b: np.ndarray) -> np.ndarray:
        """``int_0^t mu`` at each ``t`` (exact for constant, quadrature otherwise)."""
        t = np.asarray(t, dtype=float)
        if self.kind == "constant":
            return math.exp(b[0]) * t
        f = (self.q_w * np.exp(self.q_X @ b)).reshape(-1, 5).sum(axis=1)
        cum = np.concatenate([[0.0], np.cumsum(f)])
        k = np.clip(np.floor(t / self.h).astype(int), 0, len(f) - 1)
        lo = k * self.h
        half = (t - lo) / 2
        nodes = lo[:, None] + half[:, None] * (_GL_X[None, :] + 1.0)
        vals = np.exp(self.design(nodes.ravel()) @ b).reshape(-1, 5)
        return cum[k] + (vals * _GL_W[None, :]).sum(axis=1) * half


# =============================================================================================
# Univariate log-likelihood
# =============================================================================================
class _UniModel:
    """Negative log-likelihood on the unconstrained scale ``(b, log eta, log beta)``."""

    def __init__(self, t: np.ndarray, bg: _Background, engine: str):
        self.t = np.ascontiguousarray(t, dtype=float)
        self.n = t.shape[0]
        self.bg = bg
        self.engine = engine
        self.X = bg.design(self.t) if bg.kind != "constant" else None
        self._inv = np.empty(self.n)
        self.p = bg.p + 2

    def loglik_grad(self, theta: np.ndarray) -> tuple[float, np.ndarray]:
        b = theta[: self.bg.p]
        eta = _expit(theta[-2])
        beta = math.exp(theta[-1])
        loglik, g_b, g_eta, g_beta = self.loglik_grad_natural(b, eta, beta)
        g = np.empty(self.p)
        g[: self.bg.p] = g_b
        g[-2] = eta * (1 - eta) * g_eta
        g[-1] = beta * g_beta
        return loglik, g

    def loglik_grad_natural(self, b: np.ndarray, eta: float, beta: float):
        """Log-likelihood and its gradient in ``(b, eta, beta)``."""
        T = self.bg.T
        const = self.bg.kind == "constant"
        mu_vec = np.array([math.exp(b[0])]) if const else np.exp(self.X @ b)
        if self.engine == "numba":
            ll, s_mu, s_a, s_b, a_t, b_t = _uni_kernel(
                self.t, mu_vec, not const, eta, beta, T, self._inv
            )
            if const:
                g_b = np.array([mu_vec[0] * s_mu])
            else:
                g_b = self.X.T @ self._inv
        else:
            a, bb = _decay_sums_numpy(self.t, np.ones(self.n), beta)
            m = mu_vec[0] if const else mu_vec
            lam = m + eta * beta * a
            ll = float(np.log(lam).sum())
            inv = 1.0 / lam
            s_a = float((a * inv).sum())
            s_b = float(((a + beta * bb) * inv).sum())
            if const:
                g_b = np.array([m * float(inv.sum())])
            else:
                g_b = self.X.T @ (m * inv)
            d = T - self.t
            e = np.exp(-beta * d)
            a_t = float(e.sum())
            b_t = float(-(d * e).sum())
        m_int, m_grad = self.bg.integral(b)
        loglik = ll - m_int - eta * (self.n - a_t)
        return loglik, g_b - m_grad, beta * s_a - (self.n - a_t), eta * (s_b + b_t)

    def loglik(self, theta: np.ndarray) -> float:
        return self.loglik_grad(theta)[0]

    @property
    def has_hessian(self) -> bool:
        return self.bg.kind == "constant"

    def loglik_grad_hess(self, theta: np.ndarray):
        """Analytic log-likelihood, gradient and Hessian on the log scale (constant
        background, numba engine)."""
        p = np.array([math.exp(theta[0]), _expit(theta[1]), math.exp(theta[2])])
        out = np.empty(10)
        if self.engine == "numba":
            _uni_const_hess(self.t, p[0], p[1], p[2], self.bg.T, out)
        else:
            _const_hess_numpy(self.t, p[0], p[1], p[2], self.bg.T, out)
        g = out[1:4]
        H = np.array(
            [
                [out[4], out[5], out[6]],
                [out[5], out[7], out[8]],
                [out[6], out[8], out[9]],
            ]
        )
        jac = np.array([p[0], p[1] * (1 - p[1]), p[2]])  # d natural / d optimiser scale
        jac2 = np.array([p[0], p[1] * (1 - p[1]) * (1 - 2 * p[1]), p[2]])
        return out[0], jac * g, H * np.outer(jac, jac) + np.diag(jac2 * g)

    def poisson_start(self) -> np.ndarray:
        """Background coefficients of the inhomogeneous Poisson fit (no excitation)."""
        n, T = self.n, self.bg.T
        b0 = np.zeros(self.bg.p)
        b0[0] = math.log(n / T)
        xsum = self.X.sum(axis=0)

        def f(b):
            m, g = self.bg.integral(b)
            return (m - xsum @ b) / n, (g - xsum) / n

        res = optimize.minimize(f, b0, jac=True, method="BFGS")
        return res.x if np.all(np.isfinite(res.x)) else b0

    def start(self, b0: np.ndarray | None = None, eta0: float = 0.5) -> np.ndarray:
        """A starting point: ``eta0`` and the best decay on a log grid."""
        n, T = self.n, self.bg.T
        rate = n / T
        if b0 is None:
            b0 = np.zeros(self.bg.p)
            b0[0] = math.log(0.5 * rate)
        best = None
        for mult in (0.1, 1.0, 10.0, 100.0, 1000.0):
            th = np.concatenate([b0, [_logit(eta0), math.log(rate * mult)]])
            th[-1] = np.clip(th[-1], *_LOG_BETA_BOUNDS)
            ll = self.loglik(th)
            if np.isfinite(ll) and (best is None or ll > best[0]):
                best = (ll, th)
        return best[1]

    def bounds(self):
        return [(None, None)] * self.bg.p + [_LOGIT_ETA_BOUNDS, _LOG_BETA_BOUNDS]


def _numeric_hessian(grad: Callable[[np.ndarray], np.ndarray], x: np.ndarray) -> np.ndarray:
    """Central differences of an analytic gradient, symmetrised."""
    p = x.shape[0]
    h = 1e-5 * np.maximum(1.0, np.abs(x))
    H = np.empty((p, p))
    for j in range(p):
        e = np.zeros(p)
        e[j] = h[j]
        H[:, j] = (grad(x + e) - grad(x - e)) / (2 * h[j])
    return (H + H.T) / 2


def _maximise(loglik_grad, x0, bounds, n) -> tuple[np.ndarray, float, np.ndarray, bool]:
    """L-BFGS-B on ``-loglik / n``, then Newton polishing with the numerical Hessian.

    Returns ``(theta, loglik, covariance, converged)``.
    """

    def f(x):
        ll, g = loglik_grad(x)
        if not np.isfinite(ll):
            return 1e300, np.zeros_like(x)
        return -ll / n, -g / n

    res = optimize.minimize(
        f,
        x0,
        jac=True,
        method="L-BFGS-B",
        bounds=bounds,
        options={"maxiter": 2000, "ftol": 1e-15, "gtol": 1e-9, "maxcor": 20},
    )
    x = res.x.copy()
    ll, g = loglik_grad(x)
    lo = np.array([b[0] if b[0] is not None else -np.inf for b in bounds])
    hi = np.array([b[1] if b[1] is not None else np.inf for b in bounds])

    def neg_grad(z):
        return -loglik_grad(z)[1]

    H = _numeric_hessian(neg_grad, x)
    for _ in range(4):
        try:
            step = np.linalg.solve(H, g)
        except np.linalg.LinAlgError:
            break
        xn = np.clip(x + step, lo, hi)
        lln, gn = loglik_grad(xn)
        if not (np.isfinite(lln) and lln >= ll - 1e-12 * abs(ll)):
            break
        moved = np.max(np.abs(xn - x))
        x, ll, g = xn, lln, gn
        if moved > 1e-3:  # far from where the Hessian was taken: take it again
            H = _numeric_hessian(neg_grad, x)
        if np.max(np.abs(g)) < 1e-8 * max(1.0, n):
            break
    try:
        cov = np.linalg.inv(H)
        if np.any(np.diag(cov) < 0):
            cov = np.linalg.pinv(H)
    except np.linalg.LinAlgError:
        cov = np.full_like(H, np.nan)
    converged = bool(res.success or np.max(np.abs(g)) < 1e-4 * max(1.0, n))
    return x, float(ll), cov, converged


def hawkes_loglik(
    times: np.ndarray,
    *,
    mu: float,
    branching: float,
    decay: float,
    end: float,
    start: float = 0.0,
    engine: str | None = None,
) -> float:
    """Exact log-likelihood of a constant-background exponential Hawkes process.

    ``times`` are floats (days) in ``[start, end]``, sorted. Computed in O(n) by the
    recursion described in the module docstring.
    """
    t = np.asarray(times, dtype=float) - start
    bg = _Background("constant", end - start)
    model = _UniModel(t, bg, _resolve_engine(engine))
    if mu <= 0 or branching < 0 or decay <= 0:
        raise ValueError("mu and decay must be positive and branching non-negative")
    return float(model.loglik_grad_natural(np.array([math.log(mu)]), branching, decay)[0])


# =============================================================================================
# Input handling
# =============================================================================================
@dataclasses.dataclass
class _Events:
    lo: np.ndarray  # window start (days since origin)
    width: np.ndarray  # window width (days); 0 = exact
    start: float
    end: float
    origin: pd.Timestamp | None


def _as_timestamp(x) -> pd.Timestamp:
    ts = pd.Timestamp(x)
    if ts is pd.NaT:
        raise HawkesInputError("start/end is NaT; give a date or leave it as None")
    return ts.tz_localize(None) if ts.tzinfo is not None else ts


def _raw_windows(times, name: str, resolution: float | None):
    """-> (lo, hi, is_datetime); lo/hi are datetime64 or float arrays."""
    if isinstance(times, pd.DataFrame):
        if "date" not in times.columns:
            raise HawkesInputError(
                f"{name}: a frame must be a canonical incident frame with a 'date' column"
            )
        d = pd.to_datetime(times["date"])
        if d.isna().any():
            raise HawkesInputError(
                f"{name}: {int(d.isna().sum())} incidents have no date (NaT); drop or date them first"
            )
        lo = pd.to_datetime(times["date_earliest"]) if "date_earliest" in times else d
        hi = pd.to_datetime(times["date_latest"]) if "date_latest" in times else d
        lo = lo.fillna(d).dt.normalize()
        hi = hi.fillna(d).dt.normalize() + DAY
        order = np.argsort(d.to_numpy(), kind="stable")  # frames are records: sort them
        return lo.to_numpy()[order], hi.to_numpy()[order], True, d.to_numpy()[order]
    if isinstance(times, pd.Series | pd.Index) and pd.api.types.is_datetime64_any_dtype(times):
        arr = pd.DatetimeIndex(times)
    elif isinstance(times, np.ndarray) and np.issubdtype(times.dtype, np.datetime64):
        arr = pd.DatetimeIndex(times)
    elif (
        isinstance(times, Sequence | np.ndarray | pd.Series | pd.Index)
        and len(times) > 0
        and isinstance(next(iter(times)), pd.Timestamp | np.datetime64)
    ):
        arr = pd.DatetimeIndex(times)
    else:
        arr = None
    if arr is not None:
        if arr.tz is not None:
            arr = arr.tz_localize(None)
        if arr.isna().any():
            raise HawkesInputError(
                f"{name}: {int(arr.isna().sum())} times are NaT; drop or date them first"
            )
        vals = arr.to_numpy()
        if len(vals) > 1 and np.any(np.diff(vals) < np.timedelta64(0)):
            raise HawkesInputError(f"{name}: times are not sorted; sort them (e.g. .sort_values())")
        if (arr == arr.normalize()).all():  # day precision
            return vals, vals + np.timedelta64(1, "D"), True, vals
        return vals, vals, True, vals
    try:
        x = np.asarray(times, dtype=float)
    except (TypeError, ValueError) as exc:
        raise HawkesInputError(
            f"{name}: expected timestamps, days as numbers or an incident frame ({exc})"
        ) from None
    if x.ndim != 1:
        raise HawkesInputError(f"{name}: times must be one-dimensional")
    if np.isnan(x).any():
        raise HawkesInputError(f"{name}: {int(np.isnan(x).sum())} times are NaN; drop them first")
    if not np.isfinite(x).all():
        raise HawkesInputError(f"{name}: times must be finite")
    if len(x) > 1 and np.any(np.diff(x) < 0):
        raise HawkesInputError(f"{name}: times are not sorted; sort them (np.sort)")
    r = 0.0 if resolution is None else float(resolution)
    return x, x + r, False, x


def _prepare(streams: list, names: list[str], start, end, resolution) -> list[_Events]:
    raws = [_raw_windows(s, nm, resolution) for s, nm in zip(streams, names, strict=True)]
    kinds = {r[2] for r in raws}
    if len(kinds) > 1:
        raise HawkesInputError("mix of timestamps and numbers; give all streams the same kind")
    is_dt = kinds.pop()
    for (_, _, _, pt), nm in zip(raws, names, strict=True):
        if len(pt) < 10:
            raise HawkesInputError(
                f"{nm}: {len(pt)} events; a Hawkes model needs at least 10 (more like 100 "
                "for useful confidence intervals)"
            )
    out = []
    if is_dt:
        first = min(r[0].min() for r in raws)
        origin = _as_timestamp(start) if start is not None else pd.Timestamp(first).normalize()
        last_lo = max(r[3].max() for r in raws)
        if end is None:
            end_ts = pd.Timestamp(max(r[1].max() for r in raws))
        else:
            end_ts = _as_timestamp(end)
            day_data = all(
                (pd.DatetimeIndex(r[0]) == pd.DatetimeIndex(r[0]).normalize()).all() for r in raws
            )
            if day_data and end_ts == end_ts.normalize():
                end_ts = end_ts + DAY  # a date means "to the end of that day"
        if end_ts <= pd.Timestamp(last_lo) and end is not None:
            raise HawkesInputError(
                f"end={end} is before the last event ({pd.Timestamp(last_lo)}); "
                "give a later end or leave end=None"
            )
        first_date = pd.Timestamp(min(r[3].min() for r in raws))
        if first_date < origin:
            raise HawkesInputError(
                f"start={start} is after the first event ({first_date}); "
                "give an earlier start or leave start=None"
            )
        s, e = 0.0, (end_ts - origin) / DAY
        for lo, hi, _, _ in raws:
            # dating windows are cut to the observation window
            lo_d = np.maximum((pd.DatetimeIndex(lo) - origin) / DAY, 0.0)
            hi_d = np.minimum((pd.DatetimeIndex(hi) - origin) / DAY, e)
            out.append(
                _Events(np.asarray(lo_d, float), np.asarray(hi_d - lo_d, float), s, e, origin)
            )
    else:
        s = 0.0 if start is None else float(start)
        last = max(r[3].max() for r in raws)
        e = max(r[1].max() for r in raws) if end is None else float(end)
        if end is not None and e < last:
            raise HawkesInputError(
                f"end={end} is before the last event ({last}); give a later end or leave end=None"
            )
        if min(r[0].min() for r in raws) < s:
            raise HawkesInputError(
                f"times start before start={s}; times are days since the start of observation "
                "(pass start=... or shift them)"
            )
        for lo, hi, _, _ in raws:
            out.append(_Events(lo - s, np.minimum(hi, e) - lo, 0.0, e - s, None))
    span = max(float((ev.lo + ev.width).max()) for ev in out) - min(
        float(ev.lo.min()) for ev in out
    )
    if (is_dt and span <= 1.0 + 1e-9) or (not is_dt and span <= 0):
        raise HawkesInputError(
            "all events fall on one day (or at one time); excitation and background cannot be "
            "told apart without a longer record"
        )
    return out


def _has_ties(x: np.ndarray) -> bool:
    return bool(len(x) > 1 and np.any(np.diff(np.sort(x)) <= 0))


def _draw_times(ev: _Events, rng: np.random.Generator | None) -> np.ndarray:
    if rng is None or not np.any(ev.width > 0):
        lo = ev.lo
        return lo.copy() if lo.size < 2 or np.all(np.diff(lo) >= 0) else np.sort(lo)
    t = ev.lo + rng.random(ev.lo.shape[0]) * ev.width
    return np.sort(t)


def _check_ties(events: list[_Events], ties: str, resolution) -> bool:
    """Validate ``ties`` and return whether jitter draws are needed."""
    if ties not in ("jitter", "raw"):
        raise ValueError(f"ties must be 'jitter' or 'raw', not {ties!r}")
    windows = any(np.any(ev.width > 0) for ev in events)
    if ties == "raw":
        return False
    if windows:
        return True
    merged = events[0].lo if len(events) == 1 else np.sort(np.concatenate([ev.lo for ev in events]))
    if len(merged) > 1 and np.any(np.diff(merged) <= 0):  # sorted: ties are zero steps
        raise HawkesInputError(
            "event times have ties (identical times). With raw ties the likelihood grows without "
            "bound as the decay rises. Give the recording resolution to jitter within it (e.g. "
            "resolution=1.0 for whole days), pass day-precision dates, or ask for ties='raw'."
        )
    return False


def _rubin(thetas: np.ndarray, covs: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pool draws: mean, total covariance and per-parameter degrees of freedom."""
    m = thetas.shape[0]
    qbar = thetas.mean(axis=0)
    W = covs.mean(axis=0)
    if m == 1:
        return qbar, W, np.full(qbar.shape, np.inf)
    B = np.cov(thetas, rowvar=False, ddof=1).reshape(W.shape)
    Tm = W + (1 + 1 / m) * B
    with np.errstate(divide="ignore", invalid="ignore"):
        r = (1 + 1 / m) * np.diag(B) / np.diag(W)
        df = (m - 1) * (1 + 1 / r) ** 2
    df = np.where(np.isfinite(df), df, np.inf)
    return qbar, Tm, df


def _crit(df: float) -> float:
    return float(_Z95 if not np.isfinite(df) else stats.t.ppf(0.975, df))


# =============================================================================================
# Univariate fit and result
# =============================================================================================
@dataclasses.dataclass(frozen=True, repr=False, eq=False)
class HawkesResult(Result):
    r"""A fitted exponential Hawkes process.

    Conditional intensity (events per day)

    .. math::

        \lambda(t) = \mu(t) + \eta \beta \sum_{t_i < t} e^{-\beta (t - t_i)},

    with branching ratio :math:`\eta`, decay :math:`\beta` per day (mean delay
    :math:`1/\beta`) and background :math:`\mu(t)` either constant or
    :math:`\log \mu(t) = b_0 + b_1 (t - t_{mid})/365.25 + \sum_k a_k \sin(2\pi k y) + c_k
    \cos(2\pi k y)` (calendar-year fraction :math:`y`).

    Attributes
    ----------
    params : DataFrame
        Estimates on the natural scale with standard errors and 95% intervals. Intervals
        are Wald intervals on the optimiser's scale (logit for the branching ratio, which
        is kept in the stationary range (0, 1); log for the decay and a constant ``mu``),
        transformed back; standard errors by the delta method.
    branching, branching_ci, decay, decay_ci, mean_delay, mean_delay_ci
        Headline quantities; delay in days.
    triggered_share : float
        Expected share of events that were triggered, ``mean_i (lambda_i - mu_i)/lambda_i``.
    loglik, aic : float
        Log-likelihood at the optimum (mean over jitter draws) and ``2k - 2 loglik``.
    ks_stat, ks_pvalue : float
        Time-rescaling goodness of fit: Kolmogorov-Smirnov test of the rescaled
        inter-event times against Exp(1) (median over jitter draws).
    rescaled : ndarray
        Rescaled inter-event times of the first draw (for the QQ plot).
    times : ndarray
        Event times (days since ``origin``) of the first draw, used by forecasts.
    """

    title = "Hawkes process (exponential kernel)"

    background: str
    harmonics: int
    coef: np.ndarray  # natural-scale background coefficients (log scale for mu)
    coef_names: tuple[str, ...]
    branching: float
    branching_ci: tuple[float, float]
    decay: float
    decay_ci: tuple[float, float]
    mu_mean: float
    params: pd.DataFrame
    loglik: float
    aic: float
    n_events: int
    start: float
    end: float
    origin: pd.Timestamp | None
    triggered_share: float
    ks_stat: float
    ks_pvalue: float
    rescaled: np.ndarray
    times: np.ndarray
    ties: str
    n_draws: int
    converged: bool
    theta: np.ndarray  # pooled optimiser-scale estimate
    cov: np.ndarray  # pooled covariance on the optimiser scale
    phase0: float = 0.0
    trend_df: int = 1

    @property
    def mean_delay(self) -> float:
        """Mean delay between a trigger and its offspring, in days (``1/decay``)."""
        return 1.0 / self.decay

    @property
    def mean_delay_ci(self) -> tuple[float, float]:
        return (1.0 / self.decay_ci[1], 1.0 / self.decay_ci[0])

    @property
    def n_params(self) -> int:
        return len(self.theta)

    def _bg(self) -> _Background:
        return _Background(
            self.background,
            self.end,
            harmonics=self.harmonics,
            phase0=self.phase0,
            trend_df=self.trend_df,
        )

    def background_rate(self, t) -> np.ndarray:
        """Background rate ``mu(t)`` (events/day) at days ``t`` since ``origin``."""
        return self._bg().rate(np.asarray(t, float), self.theta[: len(self.coef_names)])

    def intensity(self, t) -> np.ndarray:
        """Conditional intensity at days ``t`` given the fitted (first-draw) event times."""
        t = np.atleast_1d(np.asarray(t, float))
        out = self.background_rate(t)
        # merge query points (weight 0) after events (weight 1) and run the O(n) recursion
        allt = np.concatenate([self.times, t])
        w = np.concatenate([np.ones(self.times.size), np.zeros(t.size)])
        order = np.lexsort((w, allt))  # queries first at equal times: only t_i < t counts
        a, _ = _decay_sums(allt[order], w[order], self.decay, _resolve_engine(None))
        a_q = np.empty(t.size)
        is_q = w[order] == 0
        a_q[order[is_q] - self.times.size] = a[is_q]
        return out + self.branching * self.decay * a_q

    def _table(self) -> pd.DataFrame:
        return self.params.copy()

    def summary_lines(self) -> list[tuple[str, str]]:
        lo, hi = self.branching_ci
        dlo, dhi = self.mean_delay_ci
        lines = [
            ("Background", self.background),
            ("Events", f"{self.n_events}"),
            ("Branching ratio", f"{self.branching:.3f} (95% CI {lo:.3f}–{hi:.3f})"),
            ("Mean delay (days)", f"{self.mean_delay:.3g} (95% CI {dlo:.3g}–{dhi:.3g})"),
            ("Triggered share", f"{self.triggered_share:.3f}"),
            ("Mean background rate/day", f"{self.mu_mean:.4g}"),
            ("Log-likelihood", f"{self.loglik:.3f}"),
            ("AIC", f"{self.aic:.2f}"),
            ("KS (time rescaling)", f"D={self.ks_stat:.4f}, p={self.ks_pvalue:.3g}"),
            ("Ties", f"{self.ties} ({self.n_draws} draw{'s' if self.n_draws > 1 else ''})"),
        ]
        if not self.converged:
            lines.append(("Warning", "optimiser did not report convergence"))
        return lines

    def plot(self, ax=None, kind: str = "qq"):
        """``kind="qq"``: rescaled inter-event times against Exp(1) quantiles;
        ``kind="intensity"``: background and conditional intensity over time."""
        ax = get_axes(ax)
        if kind == "qq":
            r = np.sort(self.rescaled)
            n = r.shape[0]
            q = -np.log1p(-(np.arange(1, n + 1) - 0.5) / n)
            ax.plot(q, r, ".", ms=3, alpha=0.6, label="rescaled inter-event times")
            m = max(q.max(), r.max())
            ax.plot([0, m], [0, m], "k--", lw=1, label="Exp(1)")
            # 95% pointwise band from order statistics of Exp(1) (beta quantiles)
            i = np.arange(1, n + 1)
            lo = -np.log1p(-stats.beta.ppf(0.025, i, n - i + 1))
            hi = -np.log1p(-stats.beta.ppf(0.975, i, n - i + 1))
            ax.fill_between(q, lo, hi, color="grey", alpha=0.2, lw=0, label="95% band")
            ax.set_xlabel("Exp(1) quantile")
            ax.set_ylabel("rescaled inter-event time")
            ax.set_title(f"Time-rescaling QQ plot (KS p={self.ks_pvalue:.3g})")
            ax.legend(loc="upper left")
            return ax
        if kind == "intensity":
            grid = np.linspace(self.start, self.end, 2000)
            lam = self.intensity(grid)
            mu = self.background_rate(grid)
            x = grid if self.origin is None else self.origin + pd.to_timedelta(grid, unit="D")
            ax.plot(x, lam, lw=0.8, label="conditional intensity")
            ax.plot(x, mu, lw=1.5, label="background")
            ax.set_ylabel("events per day")
            ax.legend(loc="upper left")
            return ax
        raise ValueError("kind must be 'qq' or 'intensity'")


def _maximise_newton(model: _UniModel, x0: np.ndarray):
    """Trust-region Newton with the analytic Hessian (constant background)."""
    n = model.n
    cache: dict = {}

    def evaluate(x):
        key = x.tobytes()
        if key not in cache:
            cache.clear()
            xc = np.clip(
                x,
                [-np.inf, _LOGIT_ETA_BOUNDS[0], _LOG_BETA_BOUNDS[0]],
                [np.inf, _LOGIT_ETA_BOUNDS[1], _LOG_BETA_BOUNDS[1]],
            )
            cache[key] = model.loglik_grad_hess(xc)
        return cache[key]

    def f(x):
        ll = evaluate(x)[0]
        return -ll / n if np.isfinite(ll) else np.inf

    res = optimize.minimize(
        f,
        x0,
        jac=lambda x: -evaluate(x)[1] / n,
        hess=lambda x: -evaluate(x)[2] / n,
        method="trust-exact",
        options={"gtol": 1e-10, "maxiter": 200},
    )
    ll, g, H = model.loglik_grad_hess(res.x)
    try:
        cov = np.linalg.inv(-H)
    except np.linalg.LinAlgError:
        cov = np.full_like(H, np.nan)
    converged = bool(res.success or np.max(np.abs(g)) < 1e-6 * max(1.0, n))
    return res.x, float(ll), cov, converged


def _fit_one(t: np.ndarray, bg: _Background, engine: str, x0=None):
    model = _UniModel(t, bg, engine)
    fitter = (
        (lambda s: _maximise_newton(model, s))
        if model.has_hessian
        else (lambda s: _maximise(model.loglik_grad, s, model.bounds(), model.n))
    )
    starts = [model.start() if x0 is None else x0]
    if x0 is not None:  # also try the grid start; keep the better optimum
        starts.append(model.start())
    if bg.kind != "constant":  # and a start from the Poisson background, little excitation
        bp = model.poisson_start()
        starts.append(model.start(bp + math.log(0.9), eta0=0.1))
    theta, ll, cov, conv = fitter(starts[0])
    for s in starts[1:]:
        th2, ll2, cov2, conv2 = fitter(s)
        if ll2 > ll + 1e-9:
            theta, ll, cov, conv = th2, ll2, cov2, conv2
    return model, theta, ll, cov, conv


def _rescaled(model: _UniModel, theta: np.ndarray) -> tuple[np.ndarray, float]:
    """Time-rescaled inter-event times and the expected triggered share."""
    b = theta[: model.bg.p]
    eta, beta = _expit(theta[-2]), math.exp(theta[-1])
    a, _ = _decay_sums(model.t, np.ones(model.n), beta, model.engine)
    big = model.bg.cumulative(model.t, b) + eta * (np.arange(model.n) - a)
    resc = np.diff(np.concatenate([[0.0], big]))
    mu = model.bg.rate(model.t, b)
    lam = mu + eta * beta * a
    return resc, float(np.mean(1 - mu / lam))


def fit_hawkes(
    times,
    *,
    background: str = "constant",
    kernel: str = "exponential",
    start=None,
    end=None,
    ties: str = "jitter",
    n_draws: int = 10,
    resolution: float | None = None,
    harmonics: int = 2,
    trend_df: int = 1,
    seed: int | None = None,
    engine: str | None = None,
    progress: bool | None = None,
) -> HawkesResult:
    """Fit a self-exciting point process with an exponential kernel by maximum likelihood.

    Parameters
    ----------
    times
        Event times: a DatetimeIndex / Series / array of timestamps, numbers (days since
        ``start``), or a canonical incident frame (its ``date_earliest``/``date_latest``
        windows are used for jitter; rows are sorted by ``date``). Sequences must be sorted.
    background : {"constant", "trend_seasonal"}
        Constant ``mu`` or log-linear ``mu(t)`` with a linear trend and ``harmonics`` annual
        Fourier pairs (see the module docstring).
    kernel : {"exponential"}
        Only the exponential kernel is implemented.
    start, end
        Observation window. ``start=None``: midnight of the first event's day for dates, 0
        for numbers. ``end=None``: the end of the last event's dating window (the end of its
        day for day-precision dates; the last time itself for exact numbers). A date given
        as ``end`` for day-precision data means the end of that day. An ``end`` before the
        last event is an error.
    ties : {"jitter", "raw"}
        ``"jitter"`` (default) spreads each event uniformly inside its dating window in
        ``n_draws`` seeded draws and pools the fits by Rubin's rules; exact numeric times
        with ties are rejected unless ``resolution`` gives the window width. ``"raw"`` uses
        the times as they are (with ties the decay estimate runs to its bound).
    n_draws : int
        Number of jitter draws (ignored when no event has a window).
    resolution : float, optional
        Recording resolution in days of numeric times (window ``[t, t + resolution)``).
    harmonics : int
        Annual Fourier pairs of the trend-seasonal background.
    trend_df : int
        Degrees of freedom of the log-trend: 1 is log-linear; ``k > 1`` makes it piecewise
        linear with ``k - 1`` equally spaced knots (for surges that are not exponential).
    seed : int, optional
        Seed of the jitter draws.
    engine : {"auto", "numba", "numpy"}
        Likelihood kernel; "auto" uses numba when installed.
    progress : bool, optional
        Show a progress bar over jitter draws (None: only on a terminal).

    Returns
    -------
    HawkesResult

    Raises
    ------
    HawkesInputError
        Fewer than 10 events, unsorted times, NaT/NaN, all events on one day, ``end``
        before the last event, or raw ties without ``ties="raw"``.

    Examples
    --------
    >>> df = analysis.simulate_incidents(seed=1)                    # doctest: +SKIP
    >>> res = analysis.fit_hawkes(df, background="trend_seasonal", seed=1)  # doctest: +SKIP
    >>> res.branching, res.branching_ci, res.mean_delay            # doctest: +SKIP
    >>> res.plot()          # time-rescaling QQ plot                # doctest: +SKIP
    """
    if kernel != "exponential":
        raise ValueError(f"kernel={kernel!r} is not implemented; use kernel='exponential'")
    engine = _resolve_engine(engine)
    (ev,) = _prepare([times], ["times"], start, end, resolution)
    jitter = _check_ties([ev], ties, resolution)
    if ties == "raw" and _has_ties(ev.lo):
        warnings.warn(
            "ties='raw' with tied times: the likelihood grows without bound as the decay rises; "
            "the decay will run to its upper bound and the branching ratio is not meaningful.",
            stacklevel=2,
        )
    phase0 = 0.0
    if ev.origin is not None:
        o = ev.origin
        phase0 = (o - pd.Timestamp(year=o.year, month=1, day=1)) / DAY / YEAR_DAYS
    bg = _Background(background, ev.end, harmonics=harmonics, phase0=phase0, trend_df=trend_df)
    m = n_draws if jitter else 1
    if m < 1:
        raise ValueError("n_draws must be at least 1")
    rng = np.random.default_rng(seed) if jitter else None
    from tqdm.auto import tqdm

    from .._threads import single_threaded_blas

    thetas, covs, lls, kss, kps, shares, convs = [], [], [], [], [], [], []
    first = None
    x0 = None
    with single_threaded_blas():
        for _ in tqdm(
            range(m),
            disable=(not progress) if progress is not None else None,
            desc="Hawkes jitter draws",
            leave=False,
        ):
            t = _draw_times(ev, rng)
            model, theta, ll, cov, conv = _fit_one(t, bg, engine, x0)
            x0 = theta
            resc, share = _rescaled(model, theta)
            ks = stats.kstest(resc, "expon")
            thetas.append(theta)
            covs.append(cov)
            lls.append(ll)
            kss.append(ks.statistic)
            kps.append(ks.pvalue)
            shares.append(share)
            convs.append(conv)
            if first is None:
                first = (t, resc)
    thetas_a = np.array(thetas)
    qbar, Tcov, df = _rubin(thetas_a, np.array(covs))
    se = np.sqrt(np.clip(np.diag(Tcov), 0, None))
    crit = np.array([_crit(d) for d in df])
    lo_u, hi_u = qbar - crit * se, qbar + crit * se
    p = bg.p
    rows = []
    for j, nm in enumerate(bg.names):
        if nm == "log_mu":
            mu_ = _exp(qbar[j])
            rows.append(("mu", mu_, mu_ * se[j], _exp(lo_u[j]), _exp(hi_u[j]), "events/day"))
        else:
            rows.append((nm, qbar[j], se[j], lo_u[j], hi_u[j], "log-rate"))
    eta, beta = _expit(qbar[-2]), _exp(qbar[-1])
    eta_ci = (_expit(lo_u[-2]), _expit(hi_u[-2]))
    beta_ci = (_exp(lo_u[-1]), _exp(hi_u[-1]))
    rows.append(("branching", eta, eta * (1 - eta) * se[-2], *eta_ci, "offspring/event"))
    rows.append(("decay", beta, beta * se[-1], *beta_ci, "per day"))
    rows.append(("mean_delay", 1 / beta, se[-1] / beta, 1 / beta_ci[1], 1 / beta_ci[0], "days"))
    params = pd.DataFrame(
        rows, columns=["parameter", "estimate", "std_err", "ci_low", "ci_high", "unit"]
    ).set_index("parameter")
    mu_mean = math.exp(qbar[0]) if bg.kind == "constant" else bg.integral(qbar[:p])[0] / bg.T
    ll_mean = float(np.mean(lls))
    if not all(convs):
        warnings.warn("the Hawkes optimiser did not converge on every draw", stacklevel=2)
    if qbar[-1] >= _LOG_BETA_BOUNDS[1] - 1e-3:
        warnings.warn("the decay estimate is at its upper bound (1e6 per day)", stacklevel=2)
    if 1.0 / beta > ev.end / 10:
        warnings.warn(
            f"the mean delay ({1 / beta:.3g} days) is more than a tenth of the observation window "
            f"({ev.end:.4g} days): excitation this slow cannot be told from a trend; "
            "try background='trend_seasonal'",
            stacklevel=2,
        )
    if eta > 0.995:
        warnings.warn(
            f"branching ratio {eta:.4f} is at the stationarity limit 1: the background is probably "
            "misspecified (a surge read as contagion); try background='trend_seasonal'",
            stacklevel=2,
        )
    return HawkesResult(
        background=bg.kind,
        harmonics=bg.harmonics,
        coef=qbar[:p].copy(),
        coef_names=tuple(bg.names),
        branching=eta,
        branching_ci=eta_ci,
        decay=beta,
        decay_ci=beta_ci,
        mu_mean=float(mu_mean),
        params=params,
        loglik=ll_mean,
        aic=2 * len(qbar) - 2 * ll_mean,
        n_events=int(ev.lo.shape[0]),
        start=0.0,
        end=float(ev.end),
        origin=ev.origin,
        triggered_share=float(np.mean(shares)),
        ks_stat=float(np.median(kss)),
        ks_pvalue=float(np.median(kps)),
        rescaled=first[1],
        times=first[0],
        ties=ties if jitter or ties == "raw" else "none",
        n_draws=m,
        converged=all(convs),
        theta=qbar,
        cov=Tcov,
        phase0=phase0,
        trend_df=bg.trend_df,
    )


# =============================================================================================
# Bivariate model
# =============================================================================================
class _BiModel:
    """Two streams, shared decay. ``alpha[i, j]``: expected j-events triggered by one
    i-event. Parameters ``(b_a, b_b, a_aa, a_ab, a_ba, a_bb, log beta)``, where ``b_k`` are
    the log-linear background coefficients of stream k (``log mu_k`` when constant)."""

    def __init__(
        self, ta: np.ndarray, tb: np.ndarray, bg: _Background, engine: str, cross: bool = True
    ):
        t = np.concatenate([ta, tb])
        k = np.concatenate([np.zeros(len(ta), int), np.ones(len(tb), int)])
        o = np.argsort(t, kind="stable")
        self.t, self.k = t[o], k[o]
        self.w = [(self.k == 0).astype(float), (self.k == 1).astype(float)]
        self.sel = [self.k == 0, self.k == 1]
        self.n = len(t)
        self.nk = (len(ta), len(tb))
        self.bg = bg
        self.p = bg.p
        self.X = [bg.design(self.t[self.sel[j]]) for j in range(2)]
        self.T = bg.T
        self.engine = engine
        self.cross = cross
        self.ia = 2 * self.p  # index of alpha_aa
        self.size = 2 * self.p + 5

    def unpack(self, x):
        p = self.p
        alpha = x[self.ia : self.ia + 4].reshape(2, 2)
        return [x[:p], x[p : 2 * p]], alpha, math.exp(x[-1])

    def loglik_grad(self, x):
        b, alpha, beta = self.unpack(x)
        p, ia = self.p, self.ia
        A = [None, None]
        B = [None, None]
        for i in range(2):
            A[i], B[i] = _decay_sums(self.t, self.w[i], beta, self.engine)
        g = np.zeros(self.size)
        ll = 0.0
        for j in range(2):  # target stream
            sel = self.sel[j]
            mu = np.exp(self.X[j] @ b[j])
            lam = mu + beta * (alpha[0, j] * A[0][sel] + alpha[1, j] * A[1][sel])
            if np.any(lam <= 0):
                return -np.inf, g
            inv = 1.0 / lam
            ll += float(np.log(lam).sum())
            m_int, m_grad = self.bg.integral(b[j])
            ll -= m_int
            g[j * p : (j + 1) * p] = self.X[j].T @ (mu * inv) - m_grad
            for i in range(2):
                g[ia + 2 * i + j] += beta * float((A[i][sel] * inv).sum())
                g[-1] += alpha[i, j] * beta * float(((A[i][sel] + beta * B[i][sel]) * inv).sum())
        for i in range(2):  # excitation part of the compensator
            d = self.T - self.t[self.sel[i]]
            e = np.exp(-beta * d)
            comp = float((1 - e).sum())
            dcomp = float((d * e).sum())  # d/dbeta of sum(1 - e)
            for j in range(2):
                ll -= alpha[i, j] * comp
                g[ia + 2 * i + j] -= comp
                g[-1] -= alpha[i, j] * dcomp * beta
        return ll, g

    def bounds(self):
        cb = (0.0, None) if self.cross else (0.0, 0.0)
        return [(None, None)] * (2 * self.p) + [(0.0, None), cb, cb, (0.0, None), _LOG_BETA_BOUNDS]

    def free(self) -> list[int]:
        ia = self.ia
        drop = set() if self.cross else {ia + 1, ia + 2}
        return [i for i in range(self.size) if i not in drop]

    def start(self):
        rate = self.n / self.T
        b = []
        for j in range(2):
            if self.bg.kind == "constant":
                bj = np.zeros(self.p)
                bj[0] = math.log(0.5 * self.nk[j] / self.T)
            else:
                bj = _poisson_coef(self.bg, self.X[j], self.nk[j]) + math.log(0.5)
            b.append(bj)
        best = None
        c = 0.05 if self.cross else 0.0
        for mult in (0.1, 0.3, 1.0, 3.0, 10.0, 30.0):
            x = np.concatenate([b[0], b[1], [0.4, c, c, 0.4, math.log(rate * mult)]])
            ll = self.loglik_grad(x)[0]
            if np.isfinite(ll) and (best is None or ll > best[0]):
                best = (ll, x)
        return best[1]


def _poisson_coef(bg: _Background, X: np.ndarray, n: int) -> np.ndarray:
    """Coefficients of the inhomogeneous Poisson fit of the background alone."""
    b0 = np.zeros(bg.p)
    b0[0] = math.log(n / bg.T)
    xsum = X.sum(axis=0)

    def f(b):
        m, g = bg.integral(b)
        return (m - xsum @ b) / n, (g - xsum) / n

    res = optimize.minimize(f, b0, jac=True, method="BFGS")
    return res.x if np.all(np.isfinite(res.x)) else b0


def _fit_bi(ta, tb, bg, engine, cross):
    model = _BiModel(ta, tb, bg, engine, cross)
    x0 = model.start()
    bounds = model.bounds()
    idx = model.free()

    def lg(z):
        x = x0.copy()
        if not cross:
            x[[model.ia + 1, model.ia + 2]] = 0.0
        x[idx] = z
        ll, g = model.loglik_grad(x)
        return ll, g[idx]

    z, ll, cov_z, conv = _maximise(lg, x0[idx], [bounds[i] for i in idx], model.n)
    x = np.zeros(model.size)
    x[idx] = z
    cov = np.zeros((model.size, model.size))
    cov[np.ix_(idx, idx)] = cov_z
    return x, ll, cov, conv


@dataclasses.dataclass(frozen=True, repr=False, eq=False)
class BivariateHawkesResult(Result):
    r"""A fitted bivariate exponential Hawkes process with a shared decay.

    .. math::

        \lambda_j(t) = \mu_j(t) + \beta \sum_{i \in \{a, b\}} \alpha_{ij}
        \sum_{t^i_k < t} e^{-\beta (t - t^i_k)}, \qquad j \in \{a, b\},

    where :math:`\alpha_{ij}` is the expected number of stream-*j* events directly
    triggered by one stream-*i* event ("i to j") and :math:`\mu_j(t)` is a constant or
    the log-linear trend-seasonal background of :func:`fit_hawkes`, one per stream. The likelihood-ratio test of no
    cross-excitation compares the fit with :math:`\alpha_{ab} = \alpha_{ba} = 0`; as the
    null lies on the boundary of the parameter space its p-value uses the
    :math:`\tfrac14\chi^2_0 + \tfrac12\chi^2_1 + \tfrac14\chi^2_2` mixture (Self & Liang
    1987). Intervals for :math:`\alpha` are Wald intervals truncated at zero.
    """

    title = "Bivariate Hawkes process (exponential kernel, shared decay)"

    names: tuple[str, str]
    background: str
    mu: np.ndarray  # mean background rate of each stream (events/day)
    excitation: np.ndarray
    excitation_ci_low: np.ndarray
    excitation_ci_high: np.ndarray
    decay: float
    decay_ci: tuple[float, float]
    params: pd.DataFrame
    loglik: float
    loglik_null: float
    lr_stat: float
    lr_pvalue: float
    aic: float
    n_events: tuple[int, int]
    end: float
    origin: pd.Timestamp | None
    n_draws: int
    converged: bool

    @property
    def mean_delay(self) -> float:
        """Mean delay between a trigger and its offspring, in days."""
        return 1.0 / self.decay

    @property
    def spectral_radius(self) -> float:
        """Largest absolute eigenvalue of the excitation matrix (the process is
        stationary when it is below 1)."""
        return float(np.max(np.abs(np.linalg.eigvals(self.excitation))))

    def _table(self) -> pd.DataFrame:
        return self.params.copy()

    def summary_lines(self) -> list[tuple[str, str]]:
        a, b = self.names
        E = self.excitation
        return [
            ("Streams", f"{a} ({self.n_events[0]} events), {b} ({self.n_events[1]} events)"),
            (f"{a} -> {a}", f"{E[0, 0]:.3f}"),
            (f"{a} -> {b}", f"{E[0, 1]:.3f}"),
            (f"{b} -> {a}", f"{E[1, 0]:.3f}"),
            (f"{b} -> {b}", f"{E[1, 1]:.3f}"),
            ("Mean delay (days)", f"{self.mean_delay:.3g}"),
            ("Spectral radius", f"{self.spectral_radius:.3f} (< 1: stationary)"),
            ("LR test, no cross-excitation", f"LR={self.lr_stat:.3f}, p={self.lr_pvalue:.3g}"),
            ("Log-likelihood", f"{self.loglik:.3f}"),
            ("AIC", f"{self.aic:.2f}"),
        ]

    def plot(self, ax=None):
        """Heat map of the excitation matrix with its intervals."""
        ax = get_axes(ax)
        E = self.excitation
        im = ax.imshow(E, cmap="viridis", vmin=0)
        for i in range(2):
            for j in range(2):
                ax.text(
                    j,
                    i,
                    f"{E[i, j]:.2f}\n[{self.excitation_ci_low[i, j]:.2f}, {self.excitation_ci_high[i, j]:.2f}]",
                    ha="center",
                    va="center",
                    color="w" if E[i, j] < E.max() / 2 else "k",
                )
        ax.set_xticks([0, 1], [f"to {n}" for n in self.names])
        ax.set_yticks([0, 1], [f"from {n}" for n in self.names])
        ax.set_title(f"Excitation (LR no-cross p={self.lr_pvalue:.3g})")
        ax.figure.colorbar(im, ax=ax, label="expected offspring")
        return ax


def fit_hawkes_bivariate(
    times_a,
    times_b,
    *,
    names: tuple[str, str] = ("a", "b"),
    background: str = "constant",
    start=None,
    end=None,
    ties: str = "jitter",
    n_draws: int = 10,
    resolution: float | None = None,
    harmonics: int = 2,
    trend_df: int = 1,
    seed: int | None = None,
    engine: str | None = None,
) -> BivariateHawkesResult:
    """Fit a bivariate exponential Hawkes process with a shared decay.

    Inputs, windows, ties and the background options (``background``, ``harmonics``,
    ``trend_df``; each stream gets its own background coefficients) follow
    :func:`fit_hawkes`; both streams share ``start`` and ``end`` and jitter draws are
    pooled by Rubin's rules. Returns the 2x2 excitation matrix ``alpha[i, j]`` (stream i
    triggers stream j) with 95% intervals and a likelihood-ratio test of
    ``alpha_ab = alpha_ba = 0``. With surging violence use
    ``background="trend_seasonal"``, or the surge is read as (cross-)excitation.
    """
    engine = _resolve_engine(engine)
    ev_a, ev_b = _prepare([times_a, times_b], list(names), start, end, resolution)
    jitter = _check_ties([ev_a, ev_b], ties, resolution)
    m = n_draws if jitter else 1
    if m < 1:
        raise ValueError("n_draws must be at least 1")
    rng = np.random.default_rng(seed) if jitter else None
    phase0 = 0.0
    if ev_a.origin is not None:
        o = ev_a.origin
        phase0 = (o - pd.Timestamp(year=o.year, month=1, day=1)) / DAY / YEAR_DAYS
    bg = _Background(background, ev_a.end, harmonics=harmonics, phase0=phase0, trend_df=trend_df)
    from .._threads import single_threaded_blas

    xs, covs, lls, ll0s, convs = [], [], [], [], []
    with single_threaded_blas():
        for _ in range(m):
            ta = _draw_times(ev_a, rng)
            tb = _draw_times(ev_b, rng)
            x, ll, cov, conv = _fit_bi(ta, tb, bg, engine, True)
            _, ll0, _, conv0 = _fit_bi(ta, tb, bg, engine, False)
            xs.append(x)
            covs.append(cov)
            lls.append(ll)
            ll0s.append(min(ll0, ll))
            convs.append(conv and conv0)
    qbar, Tcov, df = _rubin(np.array(xs), np.array(covs))
    se = np.sqrt(np.clip(np.diag(Tcov), 0, None))
    crit = np.array([_crit(d) for d in df])
    lo_u, hi_u = qbar - crit * se, qbar + crit * se
    p = bg.p
    ia = 2 * p
    E = qbar[ia : ia + 4].reshape(2, 2)
    Elo = np.clip(lo_u[ia : ia + 4], 0, None).reshape(2, 2)
    Ehi = hi_u[ia : ia + 4].reshape(2, 2)
    beta = _exp(qbar[-1])
    beta_ci = (_exp(lo_u[-1]), _exp(hi_u[-1]))
    rows = []
    mu = np.empty(2)
    for j, nm in enumerate(names):
        bj = qbar[j * p : (j + 1) * p]
        mu[j] = _exp(bj[0]) if bg.kind == "constant" else bg.integral(bj)[0] / bg.T
        for k, cname in enumerate(bg.names):
            q = j * p + k
            if cname == "log_mu":
                rows.append((f"mu[{nm}]", mu[j], mu[j] * se[q], _exp(lo_u[q]), _exp(hi_u[q])))
            else:
                rows.append((f"{cname}[{nm}]", qbar[q], se[q], lo_u[q], hi_u[q]))
    for i, src in enumerate(names):
        for j, dst in enumerate(names):
            q = ia + 2 * i + j
            rows.append((f"{src} -> {dst}", E[i, j], se[q], Elo[i, j], Ehi[i, j]))
    rows.append(("decay", beta, beta * se[-1], *beta_ci))
    rows.append(("mean_delay", 1 / beta, se[-1] / beta, 1 / beta_ci[1], 1 / beta_ci[0]))
    params = pd.DataFrame(
        rows, columns=["parameter", "estimate", "std_err", "ci_low", "ci_high"]
    ).set_index("parameter")
    ll, ll0 = float(np.mean(lls)), float(np.mean(ll0s))
    lr = max(0.0, 2 * (ll - ll0))
    pval = 0.5 * stats.chi2.sf(lr, 1) + 0.25 * stats.chi2.sf(lr, 2) if lr > 0 else 1.0
    if not all(convs):
        warnings.warn("the bivariate Hawkes optimiser did not converge on every draw", stacklevel=2)
    return BivariateHawkesResult(
        names=tuple(names),
        background=bg.kind,
        mu=mu,
        excitation=E,
        excitation_ci_low=Elo,
        excitation_ci_high=Ehi,
        decay=beta,
        decay_ci=beta_ci,
        params=params,
        loglik=ll,
        loglik_null=ll0,
        lr_stat=lr,
        lr_pvalue=float(pval),
        aic=2 * len(qbar) - 2 * ll,
        n_events=(len(ev_a.lo), len(ev_b.lo)),
        end=float(ev_a.end),
        origin=ev_a.origin,
        n_draws=m,
        converged=all(convs),
    )


# =============================================================================================
# Simulation (branching construction)
# =============================================================================================
def _immigrants(mu, start, end, rng, mu_max=None) -> np.ndarray:
    if callable(mu):
        if mu_max is None:
            grid = np.linspace(start, end, 20001)
            mu_max = float(np.max(mu(grid))) * 1.05
        n = rng.poisson(mu_max * (end - start))
        t = start + rng.random(n) * (end - start)
        keep = rng.random(n) * mu_max < mu(t)
        return t[keep]
    if mu < 0:
        raise ValueError("mu must be non-negative")
    n = rng.poisson(mu * (end - start))
    return start + rng.random(n) * (end - start)


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

    Immigrants arrive as a Poisson process of rate ``mu`` (a number, or a vectorised
    function of time with bound ``mu_max``, by thinning); every event has
    Poisson(``branching``) children at Exp(``decay``) delays, generation after generation.
    ``history`` (event times before ``start``) adds the offspring still due from past
    events: by the memorylessness of the exponential kernel, a past event at ``s`` has
    Poisson(``branching * exp(-decay (start - s))``) children after ``start``, at
    ``start`` + Exp(``decay``).

    Returns the sorted event times (days).
    """
    if branching < 0 or decay <= 0:
        raise ValueError("branching must be >= 0 and decay > 0")
    if end <= start:
        raise ValueError("end must be after start")
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    gen = _immigrants(mu, start, end, rng, mu_max)
    out = [gen]
    if history is not None and len(history):
        h = np.asarray(history, float)
        k = rng.poisson(branching * np.exp(-decay * (start - h)).sum())
        first = start + rng.exponential(1 / decay, k)
        first = first[first <= end]
        out.append(first)
        gen = np.concatenate([gen, first])
    total = sum(len(g) for g in out)
    while len(gen):
        k = rng.poisson(branching, len(gen))
        parents = np.repeat(gen, k)
        kids = parents + rng.exponential(1 / decay, parents.shape[0])
        gen = kids[kids <= end]
        out.append(gen)
        total += len(gen)
        if total > max_events:
            raise RuntimeError(
                f"simulation exceeded max_events={max_events} (branching={branching} >= 1 explodes)"
            )
    return np.sort(np.concatenate(out))


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

    ``excitation[i][j]`` is the expected number of stream-j children of one stream-i
    event; delays are Exp(``decay``). Returns ``(times_a, times_b)``.
    """
    E = np.asarray(excitation, float)
    if E.shape != (2, 2) or np.any(E < 0):
        raise ValueError("excitation must be a non-negative 2x2 matrix")
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    gens = [_immigrants(float(mu[0]), 0.0, end, rng), _immigrants(float(mu[1]), 0.0, end, rng)]
    out = [[gens[0]], [gens[1]]]
    total = len(gens[0]) + len(gens[1])
    while any(len(g) for g in gens):
        new = [[], []]
        for i in range(2):
            for j in range(2):
                k = rng.poisson(E[i, j], len(gens[i]))
                kids = np.repeat(gens[i], k) + rng.exponential(1 / decay, int(k.sum()))
                new[j].append(kids[kids <= end])
        gens = [np.concatenate(new[0]), np.concatenate(new[1])]
        for j in range(2):
            out[j].append(gens[j])
        total += len(gens[0]) + len(gens[1])
        if total > max_events:
            raise RuntimeError(f"simulation exceeded max_events={max_events}")
    return np.sort(np.concatenate(out[0])), np.sort(np.concatenate(out[1]))
