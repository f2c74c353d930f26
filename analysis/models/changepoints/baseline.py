r"""What the counts look like without a break: the seasonal baseline and the noise.

**Seasonal baseline.** A negative-binomial model with a flexible trend (a natural spline
with one degree of freedom per year, the most ``trend="auto"`` allows, so that breaks and
surges go into the trend) and ``harmonics`` Fourier pairs (:func:`analysis.fit_frequency`)
gives the seasonal
multiplier of each period; it is averaged within calendar months (quarters for a
quarterly series), so that it takes at most twelve values, and scaled to mean 1. PELT
then compares segment levels :math:`\lambda` with the mean :math:`\lambda s_t` of each
period (:mod:`.costs`): a fighting season is not a change point.

**Noise.** The local level :math:`\ell_t` is the median of :math:`z_u = y_u / s_u` over
the ``window`` periods around :math:`t` (leaving :math:`t` out), scaled so that it sums
to :math:`\sum_t z_t` (the median of skewed counts is below their mean). A running
median follows a level shift at once, so a break does not inflate the noise as it
inflates moments around the mean of the whole series. For counts of total NB2
dispersion :math:`\tau` and lag-:math:`k` covariance :math:`c_k\mu_t\mu_{t+k}`, the
semivariogram of :math:`z` gives

.. math::

    V_k = \frac{\sum_t (z_{t+k} - z_t)^2 - \sum_t (\ell_t/s_t + \ell_{t+k}/s_{t+k})}
               {2\sum_t \ell_t\ell_{t+k}} \approx \tau - c_k,

:math:`\hat\tau` is the mean of :math:`V_k` over lags from half the window to the window
(where :math:`c_k` has died out) and :math:`\hat c_k = \hat\tau - V_k`. The level enters
only as a scale, so its own noise does not inflate :math:`\hat\tau`.
Under the model of
:func:`analysis.simulate_counts` (a Gaussian AR(1) :math:`a_t` on the log mean with
lag-one correlation :math:`\phi` and variance :math:`\sigma^2`, and NB2 dispersion
:math:`\alpha` given :math:`a_t`), :math:`\log(1 + c_k) = \sigma^2\phi^k` and
:math:`1 + \tau = (1 + \alpha)e^{\sigma^2}`; :math:`(\hat\phi, \hat\sigma^2)` fit
:math:`\log(1 + \hat c_k)` over the first half-window of lags by least squares
(:math:`\phi` on a grid from 0, no autocorrelation, to 0.9), with :math:`\hat\sigma^2
\le \log(1 + \hat\tau)`.
"""

from __future__ import annotations

import dataclasses
import math
import warnings

import numpy as np
import pandas as pd

from ..._periods import PERIODS_PER_YEAR
from ..._trend import trend_grid
from ...errors import AnalysisError
from .._serial import fit_ar

__all__ = ["NoiseModel", "default_window", "estimate_noise", "seasonal_exposure"]

#: The smallest dispersion the NB2 cost uses (the Poisson limit, numerically).
MIN_DISPERSION = 1e-4


@dataclasses.dataclass(frozen=True)
class NoiseModel:
    """The noise of a count series around its local level (see the module)."""

    level: float
    dispersion: float
    ar: float
    ar_sd: float
    window: int

    @property
    def nb_dispersion(self) -> float:
        """The NB2 dispersion given the latent AR path: :math:`(1+\\tau)e^{-\\sigma^2} - 1`."""
        return max((1 + self.dispersion) * math.exp(-self.ar_sd**2) - 1, 0.0)

    def lag_covariance(self, k: np.ndarray) -> np.ndarray:
        """:math:`e^{\\sigma^2\\phi^k} - 1`, the covariance of two counts ``k`` periods
        apart over the product of their means (``k >= 1``)."""
        return np.expm1(self.ar_sd**2 * self.ar ** np.asarray(k, float))

    def as_dict(self) -> dict[str, float]:
        return {"dispersion": self.dispersion, "ar": self.ar, "ar_sd": self.ar_sd,
                "nb_dispersion": self.nb_dispersion, "level": self.level,
                "window": float(self.window)}


def default_window(key: str | None) -> int:
    """Periods in the running median: a quarter of a year, odd, at least five."""
    if key is None:
        return 9
    w = max(5, round(PERIODS_PER_YEAR[key] / 4))
    return w + 1 - w % 2


def _local_level(z: np.ndarray, window: int) -> np.ndarray:
    """The running median of ``z`` over ``window`` periods, leaving each period out
    (mirrored at the ends); the running mean where the median is 0 (sparse counts),
    never below a small floor."""
    from scipy import ndimage

    half = window // 2
    if len(z) <= half:
        return np.full(len(z), max(float(np.mean(z)), 1e-9))
    footprint = np.ones(2 * half + 1, dtype=bool)
    footprint[half] = False
    level = ndimage.median_filter(z, footprint=footprint, mode="mirror")
    mean = (ndimage.uniform_filter1d(z, 2 * half + 1, mode="mirror") * (2 * half + 1) - z) / (2 * half)
    level = np.where(level > 0, level, mean)
    floor = 1e-3 * max(float(np.mean(z)), 1e-9)
    return np.where(np.isfinite(level) & (level > floor), level, floor)


def estimate_noise(y, exposure=None, window: int = 9) -> NoiseModel:
    """The :class:`NoiseModel` of counts ``y`` with seasonal multipliers ``exposure``."""
    y = np.asarray(y, float)
    s = np.ones(len(y)) if exposure is None else np.asarray(exposure, float)
    z = y / s
    level = _local_level(z, window)
    level *= z.sum() / level.sum()  # the median of skewed counts is below their mean
    v = []
    for k in range(1, min(window, len(y) - 2) + 1):
        poisson = np.sum(level[k:] / s[k:] + level[:-k] / s[:-k])
        v.append((np.sum((z[k:] - z[:-k]) ** 2) - poisson) / (2 * np.sum(level[k:] * level[:-k])))
    v = np.asarray(v)
    far = v[len(v) // 2:] if len(v) >= 4 else v
    tau = max(float(np.mean(far)), 0.0) if far.size else 0.0
    phi, sd2 = fit_ar(np.log1p(np.maximum(tau - v[: max(len(v) // 2, 1)], -0.99)))
    sd2 = min(sd2, math.log1p(tau))
    return NoiseModel(level=float(y.sum() / s.sum()), dispersion=tau, ar=phi,
                      ar_sd=math.sqrt(sd2), window=window)


def _bins(index: pd.DatetimeIndex, key: str) -> np.ndarray:
    """The calendar month (quarter for "QS") of the middle of each period, from 0."""
    if key == "QS":
        return index.quarter.to_numpy() - 1
    mid = index + pd.Timedelta(days=3) if key == "W" else index
    return mid.month.to_numpy() - 1


def seasonal_exposure(series: pd.Series, key: str | None,
                      harmonics: int) -> tuple[np.ndarray | None, str]:
    """The seasonal multiplier of each period (None for none) and a note on it."""
    if not harmonics or key not in ("D", "W", "MS", "QS"):
        return None, "" if not harmonics else "no seasonal baseline (not a D/W/MS/QS series)"
    if len(series) < 2 * PERIODS_PER_YEAR[key]:
        return None, "no seasonal baseline (under two years of data)"
    from ..frequency import fit_frequency

    h = min(int(harmonics), int(PERIODS_PER_YEAR[key] // 2))
    df = max(trend_grid(np.arange(len(series)) / PERIODS_PER_YEAR[key], len(series)))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fit = fit_frequency(series, trend=df, harmonics=h)
    except AnalysisError as err:
        return None, f"no seasonal baseline (the seasonal model failed: {err})"
    cols = [c for c in fit.design.columns if c.startswith(("cos", "sin"))]
    log_s = fit.design[cols].to_numpy() @ fit.params[cols].to_numpy()
    bins = _bins(series.index, key)
    means = pd.Series(log_s).groupby(bins).mean()
    s = np.exp(means.reindex(bins).to_numpy())
    return s / s.mean(), f"seasonal baseline: {h} harmonic(s), by calendar month"
