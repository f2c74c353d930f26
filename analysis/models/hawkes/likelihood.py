"""The univariate log-likelihood, its gradient and (constant background) its Hessian.

For event times ``t_1 < ... < t_n`` in the observation window ``[lo, T]`` and intensity
``lambda(t) = mu(t) + eta * beta * sum_{t_i < t} exp(-beta (t - t_i))``,

    log L = sum_i log lambda(t_i) - int_lo^T mu(t) dt - eta * sum_i (1 - exp(-beta (T - t_i))),

computed in O(n) by the recursions of :mod:`._kernels`. Parameters are optimised on an
unconstrained scale ``(b, logit eta, log beta)``.
"""

from __future__ import annotations

import math

import numpy as np

from ...errors import InputError
from . import _kernels as K
from ._scale import LOGIT_ETA_BOUNDS, expit, log_beta_bounds, logit
from .background import Background


class UniModel:
    """Log-likelihood of one stream on the unconstrained scale ``(b, logit eta, log beta)``."""

    def __init__(self, t: np.ndarray, bg: Background, engine: str):
        self.t = np.ascontiguousarray(t, dtype=float)
        self.n = t.shape[0]
        self.bg = bg
        self.engine = engine
        self.X = bg.design(self.t) if bg.kind != "constant" else None
        self._inv = np.empty(self.n)
        self.p = bg.p + 2
        self.beta_bounds = log_beta_bounds(bg.length)

    def loglik_grad(self, theta: np.ndarray) -> tuple[float, np.ndarray]:
        """Log-likelihood and gradient on the optimiser's scale."""
        b = theta[: self.bg.p]
        eta = expit(theta[-2])
        beta = math.exp(theta[-1])
        loglik, g_b, g_eta, g_beta = self.loglik_grad_natural(b, eta, beta)
        g = np.empty(self.p)
        g[: self.bg.p] = g_b
        g[-2] = eta * (1 - eta) * g_eta
        g[-1] = beta * g_beta
        return loglik, g

    def loglik(self, theta: np.ndarray) -> float:
        return self.loglik_grad(theta)[0]

    def loglik_grad_natural(self, b: np.ndarray, eta: float, beta: float):
        """Log-likelihood and its gradient in ``(b, eta, beta)``."""
        const = self.bg.kind == "constant"
        mu_vec = np.array([math.exp(b[0])]) if const else np.exp(np.clip(self.X @ b, -500, 500))
        if self.engine == "numba":
            sums = self._sums_numba(mu_vec, eta, beta)
        else:
            sums = self._sums_numpy(mu_vec, eta, beta)
        ll, g_b, s_a, s_b, a_t, b_t = sums
        m_int, m_grad = self.bg.integral(b)
        loglik = ll - m_int - eta * (self.n - a_t)
        return loglik, g_b - m_grad, beta * s_a - (self.n - a_t), eta * (s_b + b_t)

    def _sums_numba(self, mu_vec, eta, beta):
        const = self.bg.kind == "constant"
        ll, s_mu, s_a, s_b, a_t, b_t = K.uni_kernel(
            self.t, mu_vec, not const, eta, beta, self.bg.T, self._inv
        )
        g_b = np.array([mu_vec[0] * s_mu]) if const else self.X.T @ self._inv
        return ll, g_b, s_a, s_b, a_t, b_t

    def _sums_numpy(self, mu_vec, eta, beta):
        const = self.bg.kind == "constant"
        a, bb = K.decay_sums_numpy(self.t, np.ones(self.n), beta)
        m = mu_vec[0] if const else mu_vec
        lam = m + eta * beta * a
        inv = 1.0 / lam
        g_b = np.array([m * float(inv.sum())]) if const else self.X.T @ (m * inv)
        d = self.bg.T - self.t
        e = np.exp(-beta * d)
        return (
            float(np.log(lam).sum()),
            g_b,
            float((a * inv).sum()),
            float(((a + beta * bb) * inv).sum()),
            float(e.sum()),
            float(-(d * e).sum()),
        )

    @property
    def has_hessian(self) -> bool:
        """Whether the analytic Hessian is available (constant background)."""
        return self.bg.kind == "constant"

    def loglik_grad_hess(self, theta: np.ndarray):
        """Analytic log-likelihood, gradient and Hessian on the optimiser's scale
        (constant background)."""
        p = np.array([math.exp(theta[0]), expit(theta[1]), math.exp(theta[2])])
        out = np.empty(10)
        hess = K.uni_const_hess if self.engine == "numba" else K.const_hess_numpy
        hess(self.t, p[0], p[1], p[2], self.bg.T, self.bg.length, out)
        g = out[1:4]
        H = out[[4, 5, 6, 5, 7, 8, 6, 8, 9]].reshape(3, 3)
        jac = np.array([p[0], p[1] * (1 - p[1]), p[2]])  # d natural / d optimiser scale
        jac2 = np.array([p[0], p[1] * (1 - p[1]) * (1 - 2 * p[1]), p[2]])
        return out[0], jac * g, H * np.outer(jac, jac) + np.diag(jac2 * g)

    def poisson_start(self) -> np.ndarray:
        """Background coefficients of the inhomogeneous Poisson fit (no excitation)."""
        return self.bg.poisson_coef(self.X, self.n)

    def start(self, b0: np.ndarray | None = None, eta0: float = 0.5) -> np.ndarray:
        """A starting point: ``eta0`` and the best decay on a log grid."""
        rate = self.n / self.bg.length
        if b0 is None:
            b0 = np.zeros(self.bg.p)
            b0[0] = math.log(0.5 * rate)
        best = None
        for mult in (0.1, 1.0, 10.0, 100.0, 1000.0):
            th = np.concatenate([b0, [logit(eta0), math.log(rate * mult)]])
            th[-1] = np.clip(th[-1], *self.beta_bounds)
            ll = self.loglik(th)
            if np.isfinite(ll) and (best is None or ll > best[0]):
                best = (ll, th)
        return best[1]

    def bounds(self):
        """Box bounds on the optimiser's scale (None: unbounded)."""
        return [*self.bg.bounds(), LOGIT_ETA_BOUNDS, self.beta_bounds]


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

    ``log L = sum_i log lambda(t_i) - mu (end - start)
    - branching * sum_i (1 - exp(-decay (end - t_i)))`` with
    ``lambda(t) = mu + branching * decay * sum_{t_i < t} exp(-decay (t - t_i))``.

    Parameters
    ----------
    times : array of float
        Sorted event times in days, inside ``[start, end]``.
    mu, branching, decay : float
        Background rate (events per day), branching ratio and decay rate (per day).
    end, start : float
        The observation window.
    engine : {"auto", "numba", "numpy"}, optional
        Which kernel computes the O(n) recursion (identical results).

    Returns
    -------
    float
    """
    if mu <= 0 or branching < 0 or decay <= 0:
        raise InputError("mu and decay must be positive and branching non-negative")
    t = np.asarray(times, dtype=float) - start
    model = UniModel(t, Background("constant", end - start), K.resolve_engine(engine))
    return float(model.loglik_grad_natural(np.array([math.log(mu)]), branching, decay)[0])
