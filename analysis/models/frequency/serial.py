r"""Residual autocorrelation in a count regression of frequency, allowed for.

Counts that stay autocorrelated beyond the trend and season (an AR(1) :math:`a_t` on the
log mean with lag-one correlation :math:`\phi` and variance :math:`\sigma^2`, the model
of :func:`analysis.simulate_counts`) have :math:`\operatorname{Cov}(Y_t, Y_u) =
\mu_t\mu_u c_{|t-u|}`, :math:`c_k = e^{\sigma^2\phi^k} - 1`. The NB2 likelihood treats
them as independent, so its standard errors and its likelihood-ratio tests are too
optimistic. Here :math:`(\phi, \sigma^2)` are fitted to the lag covariances of the
residuals at lags 1 to 6 (:mod:`analysis.models._serial`) and

* the covariance of the coefficients becomes the sandwich :math:`V J V`, with
  :math:`V` the model covariance and :math:`J = V^{-1} + \sum_{t \ne u} x_t x_u' d_t d_u
  \mu_t\mu_u c_{|t-u|}` the variance of the score, :math:`d_t = 1/(1 + \alpha\mu_t)`;
* the LR of :math:`q` terms (the seasonal test) is referred to the Satterthwaite
  approximation :math:`c\,\chi^2_\nu` of :math:`\sum_j\lambda_j\chi^2_1`, the
  :math:`\lambda_j` the eigenvalues of :math:`I^{-1}J` for the efficient score of those
  terms (:math:`I = \tilde H'W\tilde H`, :math:`\tilde H` the terms made orthogonal to the
  others in the weights :math:`W = \operatorname{diag}(\mu/(1+\alpha\mu))`),
  :math:`c = \sum\lambda^2/\sum\lambda`, :math:`\nu = (\sum\lambda)^2/\sum\lambda^2`.

Without autocorrelation both reduce to the model's own. Series shorter than
``MIN_SERIAL_PERIODS`` (150) periods, most monthly series, are left as they are: their lag
covariances are too noisy to estimate the AR(1), and in the simulations of
``benchmarks/calibration_counts.py`` the correction then cost power without restoring
the size.
"""

from __future__ import annotations

import numpy as np

from .._serial import fit_ar, lag_ratios, serial_meat

__all__ = ["MIN_SERIAL_PERIODS", "lr_reference", "residual_ar", "serial_cov"]

#: Periods below which the residual autocorrelation is not estimated.
MIN_SERIAL_PERIODS = 150


def residual_ar(y, mu) -> tuple[float, float]:
    """``(phi, sigma^2)`` of the residual AR(1) (zeros below ``MIN_SERIAL_PERIODS``)."""
    y, mu = np.asarray(y, float), np.asarray(mu, float)
    if len(y) < MIN_SERIAL_PERIODS:
        return 0.0, 0.0
    return fit_ar(np.log1p(np.maximum(lag_ratios(y - mu, mu, 6), -0.99)))


def serial_cov(X: np.ndarray, mu, alpha: float, cov: np.ndarray, phi: float,
               sd2: float) -> np.ndarray:
    """The sandwich covariance :math:`VJV` of the coefficients (``cov`` when there is no
    autocorrelation or ``cov`` is not finite)."""
    if sd2 <= 0 or not np.all(np.isfinite(cov)):
        return cov
    d = 1 / (1 + alpha * np.asarray(mu, float))
    J = np.linalg.inv(cov) + serial_meat(d[:, None] * X, mu, phi, sd2)
    out = cov @ J @ cov
    return (out + out.T) / 2


def lr_reference(X: np.ndarray, mu, alpha: float, cols: list[int], phi: float,
                 sd2: float) -> tuple[float, float]:
    r"""``(c, nu)``: the reference :math:`c\chi^2_\nu` of the LR of the columns ``cols``."""
    q = len(cols)
    if sd2 <= 0:
        return 1.0, float(q)
    mu = np.asarray(mu, float)
    w, d = mu / (1 + alpha * mu), 1 / (1 + alpha * mu)
    rest = [i for i in range(X.shape[1]) if i not in cols]
    Xr, H = X[:, rest], X[:, cols]
    Ht = H - Xr @ np.linalg.solve(Xr.T @ (w[:, None] * Xr), Xr.T @ (w[:, None] * H))
    info = Ht.T @ (w[:, None] * Ht)
    J = info + serial_meat(d[:, None] * Ht, mu, phi, sd2)
    lam = np.linalg.eigvals(np.linalg.solve(info, J)).real
    return float((lam**2).sum() / lam.sum()), float(lam.sum() ** 2 / (lam**2).sum())
