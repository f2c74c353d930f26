"""Maximum-likelihood optimisers and covariances for the Hawkes models.

With an analytic Hessian (constant background) the log-likelihood is maximised by
trust-region Newton and the covariance is the inverse observed information. Otherwise
L-BFGS-B on the analytic gradient is polished by a few Newton steps with a Hessian from
central differences of the gradient, which also gives the covariance. An observed
information that is not positive definite gives a NaN covariance.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from scipy import optimize

from ._scale import LOGIT_ETA_BOUNDS

#: (theta, log-likelihood, covariance on the optimiser's scale, converged)
Optimum = tuple[np.ndarray, float, np.ndarray, bool]


def numeric_hessian(grad: Callable[[np.ndarray], np.ndarray], x: np.ndarray) -> np.ndarray:
    """Central differences of an analytic gradient, symmetrised."""
    p = x.shape[0]
    h = 1e-5 * np.maximum(1.0, np.abs(x))
    H = np.empty((p, p))
    for j in range(p):
        e = np.zeros(p)
        e[j] = h[j]
        H[:, j] = (grad(x + e) - grad(x - e)) / (2 * h[j])
    return (H + H.T) / 2


def _inverse(H: np.ndarray) -> np.ndarray:
    """``H^-1`` when the observed information ``H`` is positive definite; NaN otherwise
    (a flat or saddle direction: no Wald covariance; the fit's checks warn)."""
    nan = np.full_like(H, np.nan)
    if not np.all(np.isfinite(H)):
        return nan
    try:
        np.linalg.cholesky(H)
        cov = np.linalg.inv(H)
    except np.linalg.LinAlgError:
        return nan
    return cov if np.all(np.diag(cov) > 0) else nan


def _newton_polish(loglik_grad, x, bounds, n):
    """Up to four Newton steps from ``x``; returns ``(x, loglik, gradient, -Hessian)``."""
    ll, g = loglik_grad(x)
    lo = np.array([b[0] if b[0] is not None else -np.inf for b in bounds])
    hi = np.array([b[1] if b[1] is not None else np.inf for b in bounds])

    def neg_grad(z):
        return -loglik_grad(z)[1]

    H = numeric_hessian(neg_grad, x)
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
            H = numeric_hessian(neg_grad, x)
        if np.max(np.abs(g)) < 1e-8 * max(1.0, n):
            break
    return x, ll, g, H


def maximise(loglik_grad, x0, bounds, n) -> Optimum:
    """L-BFGS-B on ``-loglik / n``, then Newton polishing with the numerical Hessian.

    ``loglik_grad(x)`` returns the log-likelihood and its gradient; ``n`` (the number
    of events) scales the objective and the convergence tolerance.
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
    x, ll, g, H = _newton_polish(loglik_grad, res.x.copy(), bounds, n)
    converged = bool(res.success or np.max(np.abs(g)) < 1e-4 * max(1.0, n))
    return x, float(ll), _inverse(H), converged


def maximise_newton(model, x0: np.ndarray) -> Optimum:
    """Trust-region Newton with the analytic Hessian of ``model.loglik_grad_hess``
    (constant background: ``(log mu, logit eta, log beta)``)."""
    n = model.n
    lo = [-np.inf, LOGIT_ETA_BOUNDS[0], model.beta_bounds[0]]
    hi = [np.inf, LOGIT_ETA_BOUNDS[1], model.beta_bounds[1]]
    cache: dict = {}

    def evaluate(x):
        key = x.tobytes()
        if key not in cache:
            cache.clear()
            cache[key] = model.loglik_grad_hess(np.clip(x, lo, hi))
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
    x = np.clip(res.x, lo, hi)  # the objective is flat outside the bounds
    ll, g, H = model.loglik_grad_hess(x)
    cov = _inverse(-H)
    converged = bool(res.success or np.max(np.abs(g)) < 1e-6 * max(1.0, n))
    return x, float(ll), cov, converged
