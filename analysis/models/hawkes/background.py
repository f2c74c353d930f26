"""Background rates ``mu(t)`` of a Hawkes process: constant or trend-seasonal.

Both are log-linear, ``log mu(t) = X(t) @ b``. The constant background has one
coefficient, ``log mu``. The trend-seasonal background is

    log mu(t) = b0 + b1 (t - T/2) / 365.25 + sum_j d_j max(t - k_j, 0) / 365.25
                + sum_k [a_k sin(2 pi k y(t)) + c_k cos(2 pi k y(t))],   k = 1..harmonics

with ``trend - 1`` knots ``k_j`` equally spaced over ``[0, T]`` (``trend=1``: a
log-linear trend) and ``y(t)`` the fraction of the calendar year, so that the seasonal
terms refer to the calendar when times are dates. Its integral has no closed form: it
is computed by composite 5-point Gauss-Legendre quadrature on segments of at most 7
days (the knots sit on segment boundaries), exact to rounding for these smooth rates.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import optimize

from ...errors import InputError
from ._scale import YEAR_DAYS, safe_exp

KINDS = ("constant", "trend_seasonal")
_GL_X, _GL_W = np.polynomial.legendre.leggauss(5)


def _check(kind: str, harmonics, trend) -> None:
    if kind not in KINDS:
        raise InputError(f"background must be 'constant' or 'trend_seasonal', not {kind!r}")
    if kind == "trend_seasonal" and (not isinstance(harmonics, int) or harmonics < 0):
        raise InputError("harmonics must be a non-negative integer")
    if kind == "trend_seasonal" and (not isinstance(trend, int) or trend < 1):
        raise InputError("trend must be a positive integer (degrees of freedom of the trend)")


class Background:
    """Log-linear background ``log mu(t) = X(t) @ b`` on ``[0, T]``.

    Parameters
    ----------
    kind : {"constant", "trend_seasonal"}
    T : float
        Length of the observation window in days.
    harmonics : int
        Annual Fourier pairs (trend-seasonal only).
    phase0 : float
        Fraction of the calendar year elapsed at time 0.
    trend : int
        Degrees of freedom of the log-trend (trend-seasonal only).
    """

    def __init__(
        self, kind: str, T: float, *, harmonics: int = 2, phase0: float = 0.0, trend: int = 1
    ):
        _check(kind, harmonics, trend)
        seasonal = kind == "trend_seasonal"
        self.kind = kind
        self.T = float(T)
        self.harmonics = harmonics if seasonal else 0
        self.trend = trend if seasonal else 0
        self.phase0 = float(phase0)
        self.knots: list[float] = []
        if seasonal:
            nseg = max(1, math.ceil(self.T / 7.0))
            self.h = self.T / nseg
            self.knots = sorted(
                {round(self.T * j / trend / self.h) * self.h for j in range(1, trend)}
            )
            lo = np.arange(nseg) * self.h
            self.q_nodes = (lo[:, None] + (self.h / 2) * (_GL_X[None, :] + 1.0)).ravel()
            self.q_w = np.tile(_GL_W * self.h / 2, nseg)
        self.names = self._names()
        self.p = len(self.names)
        if seasonal:
            self.q_X = self.design(self.q_nodes)

    def _names(self) -> list[str]:
        if self.kind == "constant":
            return ["log_mu"]
        names = ["intercept", "trend_per_year"]
        names += [f"trend_change_{j + 1}" for j in range(len(self.knots))]
        for k in range(1, self.harmonics + 1):
            names += [f"sin{k}", f"cos{k}"]
        return names

    def design(self, t: np.ndarray) -> np.ndarray:
        """The design matrix ``X(t)``, one row per time."""
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

    def mean_rate(self, b: np.ndarray) -> float:
        """Mean background rate over the window, ``int_0^T mu / T`` (events per day)."""
        if self.kind == "constant":
            return safe_exp(b[0])
        return self.integral(b)[0] / self.T

    def rate(self, t, b) -> np.ndarray:
        """``mu(t)`` at each ``t``."""
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

    def poisson_coef(self, X: np.ndarray, n: int) -> np.ndarray:
        """Coefficients of the inhomogeneous Poisson fit of the background alone, from
        the design ``X`` at the ``n`` event times (a starting point for the fits)."""
        b0 = np.zeros(self.p)
        b0[0] = math.log(n / self.T)
        xsum = X.sum(axis=0)

        def f(b):
            m, g = self.integral(b)
            return (m - xsum @ b) / n, (g - xsum) / n

        res = optimize.minimize(f, b0, jac=True, method="BFGS")
        return res.x if np.all(np.isfinite(res.x)) else b0
