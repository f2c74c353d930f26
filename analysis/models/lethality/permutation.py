r"""Trend regressions of one value per incident on time, fitted to the observed data and
to many permutations of it at once, with sandwich covariances and permutation tests.

For incident :math:`i` at time :math:`t_i` (years) with value :math:`y_i` the regression is
:math:`g(E[y_i]) = \beta_0 + \beta_1 t_i` with

* ``"negbin"``: :math:`y_i \sim \mathrm{NB2}(\mu_i, \alpha)`, log link,
  :math:`\mathrm{Var}\,y_i = \mu_i + \alpha\mu_i^2`, :math:`\alpha` held fixed;
* ``"binomial"``: :math:`y_i \in \{0, 1\}`, logit link.

:math:`\beta` is found by Fisher scoring, vectorised over the rows of a matrix of
permuted values. The covariance of :math:`\hat\beta` is the sandwich
:math:`\frac{n}{n-2} H^{-1} \big(\sum_i s_i^2 x_i x_i^\top\big) H^{-1}` (HC1), with
:math:`H` the observed information and :math:`s_i` the score of :math:`\eta_i`, so it stays
valid when the variance model is wrong.

The test of :math:`\beta_1 = 0` compares :math:`z = \hat\beta_1 / \mathrm{se}(\hat\beta_1)`
with its values :math:`z^*_1, \dots, z^*_B` on :math:`B` random permutations of the values
across the incidents: :math:`p = (1 + \#\{|z^*_b| \ge |z|\}) / (1 + B)`. When the values
are exchangeable (no trend), :math:`\Pr(p \le a) \le a` exactly, however heavy the tail.
The interval :math:`\hat\beta_1 \pm c^*\,\mathrm{se}` uses the permutation quantile
:math:`c^*` of :math:`|z^*|` in place of the normal one, so it excludes 0 exactly when the
test rejects.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
from scipy import optimize, special

from ..._glm import count_loglik

__all__ = [
    "TrendFit",
    "critical_value",
    "fit_trend",
    "null_dispersion",
    "permutation_p",
    "permuted_z",
]

FAMILIES = ("negbin", "binomial")
_CELLS = 1_000_000  # permuted values held in memory at once


@dataclasses.dataclass(frozen=True)
class TrendFit:
    """Fits of :math:`(\\beta_0, \\beta_1)`, one per row of the value matrix."""

    params: np.ndarray  # (k, 2)
    cov: np.ndarray  # (k, 2, 2) sandwich covariance
    converged: np.ndarray  # (k,)

    @property
    def z(self) -> np.ndarray:
        """The studentised slope :math:`\\hat\\beta_1/\\mathrm{se}` of each row."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return self.params[:, 1] / np.sqrt(self.cov[:, 1, 1])


def null_dispersion(y: np.ndarray) -> float:
    """ML dispersion :math:`\\alpha` of the no-trend NB2 model (``mu = mean(y)``); 0 when the
    values are not overdispersed. It depends only on the values, not on their order, so every
    permutation shares it."""
    y = np.asarray(y, float)
    m = float(y.mean())
    if m <= 0 or y.var() <= m:
        return 0.0
    mu = np.full(y.shape, m)
    res = optimize.minimize_scalar(lambda la: -count_loglik(y, mu, math.exp(la)),
                                   bounds=(-15.0, 10.0), method="bounded",
                                   options={"xatol": 1e-8})
    return float(math.exp(res.x))


def _weights(family: str, eta: np.ndarray, Y: np.ndarray, alpha: float):
    """(information weight, score) of the linear predictor, per value."""
    if family == "negbin":
        mu = np.exp(eta)
        d = 1.0 + alpha * mu
        return mu / d, (Y - mu) / d
    mu = special.expit(eta)
    return mu * (1.0 - mu), Y - mu


def _sandwich(family, b, Y, t, alpha) -> np.ndarray:
    eta = np.clip(b[:, :1] + b[:, 1:] * t, -60, 60)
    w, s = _weights(family, eta, Y, alpha)
    if family == "negbin":  # observed information: the log link is not NB2's canonical one
        mu = np.exp(eta)
        w = mu * (1.0 + alpha * Y) / (1.0 + alpha * mu) ** 2
    s2 = s * s
    info = np.stack([np.stack([w.sum(1), w @ t], -1), np.stack([w @ t, w @ (t * t)], -1)], 1)
    meat = np.stack([np.stack([s2.sum(1), s2 @ t], -1), np.stack([s2 @ t, s2 @ (t * t)], -1)], 1)
    with np.errstate(all="ignore"):
        inv = np.linalg.pinv(info)
    n = t.size
    return inv @ meat @ inv * (n / max(n - 2, 1))


def fit_trend(Y: np.ndarray, t: np.ndarray, family: str, alpha: float = 0.0, *,
              maxiter: int = 50, tol: float = 1e-9) -> TrendFit:
    """Fisher scoring of :math:`g(E[y]) = \\beta_0 + \\beta_1 t` on each row of ``Y``."""
    Y = np.atleast_2d(np.asarray(Y, float))
    t = np.asarray(t, float)
    m = np.clip(Y.mean(1), 1e-12, 1 - 1e-12 if family == "binomial" else None)
    b0 = np.log(m) if family == "negbin" else special.logit(m)
    b = np.column_stack([b0, np.zeros_like(b0)])
    active = np.arange(Y.shape[0])
    for _ in range(maxiter):
        Ya, ba = Y[active], b[active]
        eta = np.clip(ba[:, :1] + ba[:, 1:] * t, -60, 60)
        w, s = _weights(family, eta, Ya, alpha)
        s0, s1, s2 = w.sum(1), w @ t, w @ (t * t)
        u0, u1 = s.sum(1), s @ t
        with np.errstate(all="ignore"):
            det = s0 * s2 - s1 * s1
            step = np.column_stack([(s2 * u0 - s1 * u1) / det, (s0 * u1 - s1 * u0) / det])
        step = np.where(np.isfinite(step), step, 0.0)
        b[active] = ba + step
        moving = np.any(np.abs(step) > tol * (1.0 + np.abs(b[active])), axis=1)
        active = active[moving]
        if active.size == 0:
            break
    converged = np.ones(Y.shape[0], bool)
    converged[active] = False
    converged &= np.all(np.isfinite(b), axis=1)
    return TrendFit(params=b, cov=_sandwich(family, b, Y, t, alpha), converged=converged)


def permuted_z(columns: dict[str, tuple[np.ndarray, str, float]], t: np.ndarray, n_sims: int,
               rng: np.random.Generator) -> dict[str, np.ndarray]:
    """The studentised slopes of ``n_sims`` random permutations of each column.

    ``columns`` maps a name to ``(values, family, alpha)``; all columns are permuted by the
    same permutations of the incidents, drawn in order from ``rng``.
    """
    n = t.size
    out: dict[str, list[np.ndarray]] = {k: [] for k in columns}
    chunk = max(1, _CELLS // max(n, 1))
    done = 0
    while done < n_sims:
        k = min(chunk, n_sims - done)
        idx = rng.permuted(np.tile(np.arange(n), (k, 1)), axis=1)
        for name, (values, family, alpha) in columns.items():
            out[name].append(fit_trend(np.asarray(values, float)[idx], t, family, alpha).z)
        done += k
    return {k: np.concatenate(v) if v else np.array([]) for k, v in out.items()}


def permutation_p(z: float, z_perm: np.ndarray) -> float:
    """Two-sided permutation p-value :math:`(1 + \\#\\{|z^*| \\ge |z|\\})/(1 + B)`; a
    permutation whose statistic is not finite counts as at least as extreme."""
    a = np.abs(np.asarray(z_perm, float))
    extreme = ~np.isfinite(a) | (a >= abs(z) * (1 - 1e-10))
    return float((1 + extreme.sum()) / (1 + a.size))


def critical_value(z_perm: np.ndarray, conf_level: float) -> float:
    """The ``ceil(conf_level (B + 1))``-th smallest :math:`|z^*|`: an interval
    :math:`\\hat\\beta \\pm c^*\\,\\mathrm{se}` excludes 0 exactly when
    :math:`p \\le 1 - ` ``conf_level``."""
    a = np.sort(np.where(np.isfinite(z_perm), np.abs(z_perm), np.inf))
    k = math.ceil(conf_level * (a.size + 1) - 1e-9)
    return float(a[k - 1]) if 1 <= k <= a.size else float("inf")
