r"""Serial dependence of count series, shared by the count models: an AR(1) on the log
mean, fitted to the lag covariances of residuals, and the variance of a weighted sum of
counts that it implies.

Under a stationary Gaussian AR(1) :math:`a_t` on the log mean (lag-one correlation
:math:`\phi`, variance :math:`\sigma^2`), counts with means :math:`\mu_t` have
:math:`\operatorname{Cov}(Y_t, Y_{t+k}) = \mu_t\mu_{t+k}\,c_k` with
:math:`c_k = e^{\sigma^2\phi^k} - 1` (the model of :func:`analysis.simulate_counts`).
"""

from __future__ import annotations

import numpy as np

__all__ = ["fit_ar", "lag_ratios", "serial_meat"]


def lag_ratios(e: np.ndarray, mu: np.ndarray, lags: int) -> np.ndarray:
    r""":math:`\hat c_k = \sum_t e_t e_{t+k} / \sum_t \mu_t \mu_{t+k}` for
    :math:`k = 1..` ``lags`` (residuals ``e`` around means ``mu``)."""
    return np.array([float(np.sum(e[k:] * e[:-k]) / np.sum(mu[k:] * mu[:-k]))
                     for k in range(1, lags + 1)])


def fit_ar(g: np.ndarray) -> tuple[float, float]:
    r"""``(phi, sigma^2)`` of :math:`g_k = \log(1 + c_k) = \sigma^2\phi^k` (k = 1, 2, ...)
    by least squares over a grid of :math:`\phi` in [0, 0.9] (no autocorrelation, 0, when
    nothing fits better than zero)."""
    g = np.asarray(g, float)
    k = np.arange(1, len(g) + 1)
    best, out = float(np.sum(g * g)), (0.0, 0.0)
    for phi in np.arange(0.05, 0.901, 0.05):
        p = phi**k
        sd2 = max(float(g @ p / (p @ p)), 0.0)
        sse = float(np.sum((g - sd2 * p) ** 2))
        if sd2 > 0 and sse < best:
            best, out = sse, (float(phi), sd2)
    return out


def serial_meat(A: np.ndarray, mu: np.ndarray, phi: float, sd2: float) -> np.ndarray:
    r"""The cross-lag part of :math:`\operatorname{Var}(A'Y)`: :math:`\sum_{t \ne u}
    a_t a_u' \mu_t\mu_u c_{|t-u|}` for the rows :math:`a_t` of ``A``, summed over lags
    while :math:`c_k` matters (no n-by-n matrix)."""
    q = A.shape[1]
    out = np.zeros((q, q))
    if sd2 <= 0 or phi <= 0:
        return out
    B = A * mu[:, None]
    for k in range(1, len(mu)):
        c = np.expm1(sd2 * phi**k)
        if c < 1e-8:
            break
        M = B[:-k].T @ B[k:]
        out += c * (M + M.T)
    return out
