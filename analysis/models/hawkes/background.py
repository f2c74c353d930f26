r"""Background rates ``mu(t)`` of a Hawkes process: constant or trend-seasonal.

Both are log-linear, ``log mu(t) = X(t) @ b``. The constant background has one
coefficient, ``log mu``. The trend-seasonal background is

    log mu(t) = b0 + f(t) + sum_j d_j 1[t >= s_j] + sum_k [a_k sin(2 pi k y(t)) + c_k cos(2 pi k y(t))]

with ``y(t)`` the fraction of the calendar year (so that the seasonal terms refer to the
calendar when times are dates) and ``f`` the trend of :mod:`analysis._trend` in years:
nothing (``trend=0``), a straight line (``trend=1``, coefficient ``trend_per_year``) or
a natural cubic regression spline with ``trend`` degrees of freedom (coefficients
``trend_1``, ...), its knots equally spaced over the stream's observation window
``[lo, T]``. Beyond the window the trend is held at its value at the nearest end, so a
forecast never extrapolates it. ``s_j`` are known regime breaks (``breaks``; coefficients
``break_1``, ...), steps that a smooth trend cannot follow.

The integral of ``mu`` has no closed form: it is computed by composite 5-point
Gauss-Legendre quadrature on segments of at most 7 days, exact to rounding for these
smooth rates (the breaks are segment boundaries). Trend, break and seasonal coefficients are kept within ``+-COEF_BOUND`` (a rate
ratio of ``exp(2 COEF_BOUND)``): with few events the likelihood can grow without bound as
the background collapses into spikes on single events, and a coefficient on that bound
marks such a fit (see :mod:`.checks`).
"""

from __future__ import annotations

import itertools
import math

import numpy as np
from scipy import optimize

from ..._trend import Trend, make_trend
from ...errors import InputError
from ._scale import YEAR_DAYS, safe_exp

KINDS = ("constant", "trend_seasonal")
#: bound on the absolute value of trend and seasonal coefficients (log-rate units)
COEF_BOUND = 20.0
#: points of the regular grid the trend basis is built on (knots at its quantiles)
_GRID = 257
_GL_X, _GL_W = np.polynomial.legendre.leggauss(5)
_LOG_CLIP = 500.0  # exp(+-500) stays finite, and so do its reciprocals


def check_kind(kind: str, harmonics) -> None:
    """Reject an unknown background kind or a bad number of harmonics."""
    if kind not in KINDS:
        raise InputError(f"background must be 'constant' or 'trend_seasonal', not {kind!r}")
    if kind == "trend_seasonal" and (
        not isinstance(harmonics, int | np.integer) or isinstance(harmonics, bool) or harmonics < 0
    ):
        raise InputError("harmonics must be a non-negative integer")


def trend_years(lo: float, T: float) -> np.ndarray:
    """The regular grid (in years) on which the trend basis of ``[lo, T]`` is built."""
    return np.linspace(lo, T, _GRID) / YEAR_DAYS


class Background:
    """Log-linear background ``log mu(t) = X(t) @ b`` of a stream observed on ``[lo, T]``.

    Parameters
    ----------
    kind : {"constant", "trend_seasonal"}
    T : float
        End of the observation window, in days since the origin.
    harmonics : int
        Annual Fourier pairs (trend-seasonal only).
    phase0 : float
        Fraction of the calendar year elapsed at time 0.
    trend : int or Trend
        Degrees of freedom of the log-trend (trend-seasonal only), or a trend basis made
        by :func:`analysis._trend.make_trend` on :func:`trend_years`.
    lo : float
        Start of the stream's observation window (days since the origin).
    breaks : sequence of float
        Regime breaks (days since the origin; those outside ``(lo, T)`` are left out).
    """

    def __init__(
        self,
        kind: str,
        T: float,
        *,
        harmonics: int = 2,
        phase0: float = 0.0,
        trend: int | Trend = 1,
        lo: float = 0.0,
        breaks=(),
    ):
        check_kind(kind, harmonics)
        seasonal = kind == "trend_seasonal"
        if breaks and not seasonal:
            raise InputError("breaks need background='trend_seasonal' (with trend='none' and "
                             "harmonics=0 for a rate that is constant between breaks)")
        self.kind = kind
        self.T = float(T)
        self.lo = float(lo)
        self.breaks = tuple(sorted(float(b) for b in breaks if self.lo < float(b) < self.T))
        self.harmonics = int(harmonics) if seasonal else 0
        self.phase0 = float(phase0)
        if not seasonal:
            self.basis = None
        elif isinstance(trend, Trend):
            self.basis = trend
        else:
            self.basis = make_trend(trend_years(self.lo, self.T), int(trend))
        self.trend = self.basis.df if seasonal else 0
        self.names = self._names()
        self.p = len(self.names)
        if seasonal:
            self._segments()
            half = self.seg_width[:, None] / 2
            self.q_nodes = (self.seg_left[:, None] + half * (_GL_X[None, :] + 1.0)).ravel()
            self.q_w = (_GL_W[None, :] * half).ravel()
            self.q_X = self.design(self.q_nodes)

    def _segments(self) -> None:
        """Quadrature segments of at most 7 days, with the breaks on their boundaries."""
        edges = [self.lo, *self.breaks, self.T]
        left, width = [], []
        for a, b in itertools.pairwise(edges):
            nseg = max(1, math.ceil((b - a) / 7.0))
            left.append(a + np.arange(nseg) * (b - a) / nseg)
            width.append(np.full(nseg, (b - a) / nseg))
        self.seg_left, self.seg_width = np.concatenate(left), np.concatenate(width)

    @property
    def length(self) -> float:
        """Length of the observation window in days."""
        return self.T - self.lo

    def _names(self) -> list[str]:
        if self.kind == "constant":
            return ["log_mu"]
        names = ["intercept"]
        names += ["trend_per_year"] if self.trend == 1 else self.basis.names
        names += [f"break_{j + 1}" for j in range(len(self.breaks))]
        for k in range(1, self.harmonics + 1):
            names += [f"sin{k}", f"cos{k}"]
        return names

    def design(self, t: np.ndarray) -> np.ndarray:
        """The design matrix ``X(t)``, one row per time (the trend held flat outside
        ``[lo, T]``)."""
        t = np.asarray(t, dtype=float)
        if self.kind == "constant":
            return np.ones((t.shape[0], 1))
        cols = [np.ones((t.shape[0], 1)), self.basis.basis(t / YEAR_DAYS)]
        cols += [(t >= b).astype(float)[:, None] for b in self.breaks]
        y = self.phase0 + t / YEAR_DAYS
        for k in range(1, self.harmonics + 1):
            cols.append(np.column_stack([np.sin(2 * np.pi * k * y), np.cos(2 * np.pi * k * y)]))
        return np.hstack(cols)

    def bounds(self) -> list[tuple[float | None, float | None]]:
        """Box bounds of the coefficients: the level is free, the others within
        ``+-COEF_BOUND``."""
        return [(None, None)] + [(-COEF_BOUND, COEF_BOUND)] * (self.p - 1)

    def at_bound(self, b: np.ndarray) -> list[str]:
        """Names of the coefficients on their bound (a background collapsing into spikes)."""
        return [nm for nm, x in zip(self.names[1:], b[1:], strict=True)
                if abs(x) >= COEF_BOUND - 1e-3]

    def integral(self, b: np.ndarray) -> tuple[float, np.ndarray]:
        """``int_lo^T mu`` and its gradient in ``b``."""
        if self.kind == "constant":
            m = safe_exp(b[0]) * self.length
            return m, np.array([m])
        f = self.q_w * np.exp(np.clip(self.q_X @ b, -_LOG_CLIP, _LOG_CLIP))
        return float(f.sum()), self.q_X.T @ f

    def mean_rate(self, b: np.ndarray) -> float:
        """Mean background rate over the window, ``int_lo^T mu / (T - lo)`` (events/day)."""
        if self.kind == "constant":
            return safe_exp(b[0])
        return self.integral(b)[0] / self.length

    def log_rate(self, t, b) -> np.ndarray:
        """``log mu(t)``: one row per coefficient vector when ``b`` is 2-D."""
        X = self.design(np.atleast_1d(np.asarray(t, float)))
        return np.clip(np.asarray(b, float) @ X.T, -_LOG_CLIP, _LOG_CLIP)

    def rate(self, t, b) -> np.ndarray:
        """``mu(t)`` at each ``t`` (a row per coefficient vector when ``b`` is 2-D)."""
        return np.exp(self.log_rate(t, b))

    def cumulative(self, t: np.ndarray, b: np.ndarray) -> np.ndarray:
        """``int_lo^t mu`` at each ``t`` in ``[lo, T]`` (exact for constant, quadrature
        otherwise)."""
        t = np.asarray(t, dtype=float)
        if self.kind == "constant":
            return math.exp(b[0]) * (t - self.lo)
        f = (self.q_w * np.exp(np.clip(self.q_X @ b, -_LOG_CLIP, _LOG_CLIP))).reshape(-1, 5)
        f = f.sum(axis=1)
        cum = np.concatenate([[0.0], np.cumsum(f)])
        k = np.clip(np.searchsorted(self.seg_left, t, side="right") - 1, 0, len(f) - 1)
        left = self.seg_left[k]
        half = (t - left) / 2
        nodes = left[:, None] + half[:, None] * (_GL_X[None, :] + 1.0)
        vals = self.rate(nodes.ravel(), b).reshape(-1, 5)
        return cum[k] + (vals * _GL_W[None, :]).sum(axis=1) * half

    def poisson_coef(self, X: np.ndarray, n: int) -> np.ndarray:
        """Coefficients of the inhomogeneous Poisson fit of the background alone, from
        the design ``X`` at the ``n`` event times (a starting point for the fits)."""
        b0 = np.zeros(self.p)
        b0[0] = math.log(n / self.length)
        xsum = X.sum(axis=0)

        def f(b):
            m, g = self.integral(b)
            return (m - xsum @ b) / n, (g - xsum) / n

        res = optimize.minimize(f, b0, jac=True, method="L-BFGS-B", bounds=self.bounds())
        return res.x if np.all(np.isfinite(res.x)) else b0
