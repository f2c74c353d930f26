r"""Count autoregressions (INGARCH and its log-linear form), estimated as tscount does
(Liboschik, Fokianos & Fried 2017).

The conditional mean :math:`\lambda_t = g^{-1}(\nu_t)` follows

.. math::

    \nu_t = \beta_0 + \sum_{k \in P} b_k\, \tilde Y_{t-k} + \sum_{l \in Q} a_l\, \nu_{t-l}
        + \eta' X_t,

with :math:`\tilde Y = Y` on the identity link and :math:`\log(1 + Y)` on the log link;
pre-sample values are the stationary mean :math:`\beta_0 / (1 - \sum b - \sum a)`. The
coefficients maximise the Poisson quasi-likelihood :math:`\sum_t y_t\log\lambda_t -
\lambda_t` inside the stationarity region, the NB2 dispersion :math:`\sigma^2` solves the
Pearson moment equation, and the covariance is the sandwich
:math:`H^{-1} G H^{-1}` with :math:`H = \sum_t \dot\lambda_t\dot\lambda_t'/\lambda_t`
and :math:`G = \sum_t (1/\lambda_t + \sigma^2)\dot\lambda_t\dot\lambda_t'`.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
from scipy import optimize

from ..._glm import count_loglik, draw_counts, pearson_dispersion
from ..._jit import compiled
from ...errors import EstimationError

__all__ = ["IngarchFit", "fit_ingarch", "simulate_paths"]

_EPS = 1e-6


def recursion(theta, y, X, p_lags, q_lags, log_link, want_grad):
    """Linear predictor nu_t and d nu_t / d theta of the tscount recursion.

    theta = (intercept, b_1..b_p, a_1..a_q, eta_1..eta_r);
    nu_t = intercept + sum_k b_k z_{t-k} + sum_l a_l nu_{t-l} + eta' X_t,
    z = y (identity link) or log(1 + y) (log link); pre-sample nu and z are the
    stationary mean intercept / (1 - sum b - sum a) ("marginal" initialisation).
    Plain loops, so that numba can compile it unchanged.
    """
    n = y.shape[0]
    p = p_lags.shape[0]
    q = q_lags.shape[0]
    r = X.shape[1]
    m = 1 + p + q + r
    pmax = 0 if p == 0 else p_lags.max()
    qmax = 0 if q == 0 else q_lags.max()
    b0 = theta[0]
    denom = 1.0 - theta[1 : 1 + p + q].sum()
    stat = b0 / denom
    z = np.empty(n + pmax)
    z[:pmax] = stat
    for t in range(n):
        z[pmax + t] = math.log1p(y[t]) if log_link else y[t]
    nu = np.empty(n + qmax)
    nu[:qmax] = stat
    d = np.zeros((n + qmax, m))
    if want_grad:
        for i in range(qmax):
            d[i, 0] = 1.0 / denom
            for j in range(1, 1 + p + q):
                d[i, j] = b0 / (denom * denom)
    for t in range(n):
        v = b0
        for k in range(p):
            v += theta[1 + k] * z[pmax + t - p_lags[k]]
        for k in range(q):
            v += theta[1 + p + k] * nu[qmax + t - q_lags[k]]
        for k in range(r):
            v += theta[1 + p + q + k] * X[t, k]
        nu[qmax + t] = v
        if want_grad:
            row = qmax + t
            d[row, 0] = 1.0
            for k in range(p):
                d[row, 1 + k] = z[pmax + t - p_lags[k]]
            for k in range(q):
                d[row, 1 + p + k] = nu[qmax + t - q_lags[k]]
            for k in range(r):
                d[row, 1 + p + q + k] = X[t, k]
            for k in range(p):
                if t - p_lags[k] < 0:  # pre-sample z is the stationary mean: it moves too
                    d[row, 0] += theta[1 + k] / denom
                    for j in range(1, 1 + p + q):
                        d[row, j] += theta[1 + k] * b0 / (denom * denom)
            for k in range(q):
                a = theta[1 + p + k]
                src = qmax + t - q_lags[k]
                for j in range(m):
                    d[row, j] += a * d[src, j]
    return nu[qmax:], d[qmax:]


def run_recursion(theta, y, X, p_lags, q_lags, log_link, want_grad=True):
    """:func:`recursion`, compiled with numba for long series (2,000 periods or more;
    below that plain Python is quicker than compiling)."""
    fast = compiled(recursion) if y.shape[0] >= 2000 else None
    if fast is not None:
        try:
            theta = np.ascontiguousarray(theta, dtype=np.float64)
            return fast(theta, y, X, p_lags, q_lags, log_link, want_grad)
        except Exception:  # pragma: no cover - numba typing problem: use Python
            pass
    return recursion(theta, y, X, p_lags, q_lags, log_link, want_grad)


class _QuasiLikelihood:
    """The Poisson quasi-likelihood of the recursion, its region and starting points."""

    def __init__(self, y, X, ar_lags, mean_lags, link):
        self.y, self.X = y, X
        self.pl = np.asarray(ar_lags, dtype=np.int64)
        self.ql = np.asarray(mean_lags, dtype=np.int64)
        self.log_link = link == "log"
        self.p, self.q, self.r = len(ar_lags), len(mean_lags), X.shape[1]
        self.m = 1 + self.p + self.q + self.r

    def mean(self, theta, grad=True):
        """lambda_t and d lambda_t / d theta."""
        nu, dnu = run_recursion(theta, self.y, self.X, self.pl, self.ql, self.log_link, grad)
        if self.log_link:
            lam = np.exp(np.clip(nu, -30, 30))
            return lam, dnu * lam[:, None]
        return nu, dnu

    def negll(self, theta):
        """Minus the quasi-log-likelihood and its gradient (1e10 outside the region)."""
        dep = theta[1 : 1 + self.p + self.q].sum()
        if not self.log_link and dep >= 1 - _EPS:
            return 1e10, np.zeros(self.m)  # outside the stationarity region
        with np.errstate(all="ignore"):
            lam, dlam = self.mean(theta)
        if np.any(lam <= 0) or not np.all(np.isfinite(lam)):
            return 1e10, np.zeros(self.m)
        y = self.y
        return -np.sum(y * np.log(lam) - lam), -((y / lam - 1.0)[:, None] * dlam).sum(axis=0)

    def quasi_loglik(self, theta) -> float:
        with np.errstate(all="ignore"):
            lam, _ = self.mean(theta, grad=False)
        return float(np.sum(self.y * np.log(lam) - lam)) if np.all(lam > 0) else -np.inf

    def region(self):
        """Bounds and the stationarity constraints (for SLSQP)."""
        k = self.p + self.q
        if self.log_link:
            bounds = [(None, None)] + [(-1 + _EPS, 1 - _EPS)] * k + [(None, None)] * self.r
            cons = [{"type": "ineq", "fun": lambda th: 1 - _EPS - th[1 : 1 + k].sum()},
                    {"type": "ineq", "fun": lambda th: 1 - _EPS + th[1 : 1 + k].sum()}]
        else:
            bounds = [(_EPS, None)] + [(0.0, 1.0)] * k + [(0.0, None)] * self.r
            cons = [{"type": "ineq", "fun": lambda th: 1 - _EPS - th[1 : 1 + k].sum(),
                     "jac": lambda th: np.r_[0.0, -np.ones(k), np.zeros(self.r)]}]
        return bounds, cons

    def starts(self) -> list[np.ndarray]:
        """Three starting points with total dependence 0.3, 0.6 and 0.1."""
        p, q = self.p, self.q
        ybar = max(self.y.mean(), 0.5)
        out = []
        for dep in (0.3, 0.6, 0.1):
            th = np.zeros(self.m)
            if p:
                th[1 : 1 + p] = dep * 0.7 / p
            if q:
                th[1 + p : 1 + p + q] = dep * 0.3 / q if p else dep / q
            th[0] = (np.log(ybar) if self.log_link else ybar) * (1 - th[1 : 1 + p + q].sum())
            th[1 + p + q :] = 0.0 if self.log_link else 0.1
            out.append(th)
        return out


def _optimise(ql: _QuasiLikelihood):
    """The best feasible optimum over the starting points: bounds-only L-BFGS-B first
    (fast, precise; the stationarity constraint is rarely active), SLSQP with the
    constraint when L-BFGS-B leaves the region."""
    bounds, cons = ql.region()

    def feasible(th):
        return all(c["fun"](th) >= 0 for c in cons)

    best = None
    for th0 in ql.starts():
        res = optimize.minimize(ql.negll, th0, jac=True, method="L-BFGS-B", bounds=bounds,
                                options={"maxiter": 1000, "ftol": 1e-14, "gtol": 1e-9})
        if not feasible(res.x):
            res = optimize.minimize(ql.negll, th0, jac=True, method="SLSQP", bounds=bounds,
                                    constraints=cons, options={"maxiter": 300, "ftol": 1e-12})
        if feasible(res.x) and (best is None or res.fun < best.fun):
            best = res
    if best is None:
        raise EstimationError("the count autoregression could not be fitted within the "
                              "stationarity region; try fewer lags or link='log'")
    return best, bounds, feasible


def _fisher_polish(theta, ql: _QuasiLikelihood, bounds, feasible, max_iter=100):
    """Fisher-scoring steps from the optimiser's answer: the quasi-likelihood is flat
    along some directions, where quasi-Newton methods stop early."""
    y = ql.y
    lo = np.array([-np.inf if b[0] is None else b[0] for b in bounds])
    hi = np.array([np.inf if b[1] is None else b[1] for b in bounds])
    cur = ql.quasi_loglik(theta)
    for _ in range(max_iter):
        lam, dlam = ql.mean(theta)
        score = ((y / lam - 1.0)[:, None] * dlam).sum(axis=0)
        info = (dlam / lam[:, None]).T @ dlam
        try:
            step = np.linalg.solve(info, score)
        except np.linalg.LinAlgError:
            break
        t = 1.0
        while t > 1e-6:
            cand = np.clip(theta + t * step, lo, hi)
            val = ql.quasi_loglik(cand)
            if feasible(cand) and val >= cur - 1e-12:
                break
            t /= 2
        else:
            break
        moved = np.max(np.abs(cand - theta))
        theta, cur = cand, max(val, cur)
        if moved < 1e-10:
            break
    return theta


@dataclasses.dataclass(frozen=True, eq=False)
class IngarchFit:
    """The estimate ``theta`` (intercept, ar, mean lags, regressors), the fitted means
    ``lam`` with their derivatives ``dlam``, the NB2 dispersion ``sigmasq`` (0 for
    Poisson), the NB2 log-likelihood at the estimate, the sandwich covariance and the
    optimiser's answer."""

    theta: np.ndarray
    lam: np.ndarray
    dlam: np.ndarray
    sigmasq: float
    llf: float
    cov: np.ndarray
    optimiser: optimize.OptimizeResult


def fit_ingarch(y, X, ar_lags, mean_lags, link: str, family: str) -> IngarchFit:
    """Quasi-maximum-likelihood fit of the count autoregression (see the module)."""
    ql = _QuasiLikelihood(y, X, ar_lags, mean_lags, link)
    best, bounds, feasible = _optimise(ql)
    theta = _fisher_polish(best.x, ql, bounds, feasible)
    lam, dlam = ql.mean(theta)
    sigmasq = pearson_dispersion(y, lam, len(y) - ql.m) if family == "negbin" else 0.0
    H = (dlam / lam[:, None]).T @ dlam
    G = (dlam * (1.0 / lam + sigmasq)[:, None]).T @ dlam
    try:
        Hi = np.linalg.inv(H)
        cov = Hi @ G @ Hi
    except np.linalg.LinAlgError:
        cov = np.full((ql.m, ql.m), np.nan)
    return IngarchFit(theta, lam, dlam, sigmasq, count_loglik(y, lam, sigmasq), cov, best)


def _stationary(theta, k: int, log_link: bool) -> np.ndarray:
    """A drawn coefficient vector moved into the identity link's region (non-negative,
    total dependence below 1)."""
    if log_link:
        return theta
    th = np.clip(theta, 0, None)
    s = th[1 : 1 + k].sum()
    if s >= 1:
        th[1 : 1 + k] *= 0.999 / s
    return th


def simulate_paths(draws, y, X_hist, X_future, ar_lags, mean_lags, link, alpha, rng):
    """Future counts and conditional means ``(samples, means)``, each ``(n_sims,
    horizon)``: one path per row of ``draws`` (coefficient vectors), each continuing the
    recursion from the observed history with its own simulated counts."""
    log_link = link == "log"
    pl = np.asarray(ar_lags, np.int64)
    ql = np.asarray(mean_lags, np.int64)
    p, q = len(pl), len(ql)
    n_sims, h = draws.shape[0], X_future.shape[0]
    samples = np.empty((n_sims, h))
    means = np.empty((n_sims, h))
    for i in range(n_sims):
        th = _stationary(draws[i], p + q, log_link)
        nu, _ = run_recursion(th, y, X_hist, pl, ql, log_link, False)
        ys, nus = list(y), list(nu)
        for t in range(h):
            v = th[0]
            for k in range(p):
                yy = ys[len(ys) - pl[k]]
                v += th[1 + k] * (math.log1p(yy) if log_link else yy)
            for k in range(q):
                v += th[1 + p + k] * nus[len(nus) - ql[k]]
            v += float(th[1 + p + q :] @ X_future[t]) if X_future.shape[1] else 0.0
            lam = math.exp(min(v, 30)) if log_link else max(v, 1e-10)
            draw = draw_counts(rng, np.array([lam]), alpha)[0]
            ys.append(draw)
            nus.append(v)
            samples[i, t] = draw
            means[i, t] = lam
    return samples, means
