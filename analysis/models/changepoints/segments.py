r"""The segments between change points: their levels with confidence intervals.

Segment :math:`i` has :math:`m` periods, total :math:`S` and exposure :math:`E = \sum_t
s_t` (the seasonal baseline, mean 1; :math:`E = m` without one). Its level
:math:`\hat\lambda_i = S/E` is the count per period at the average season (the mean per
period without a baseline), with the interval

* Poisson: exact, from the chi-square quantiles
  :math:`\chi^2_{q}(2S)/2E` and :math:`\chi^2_{1-q}(2S+2)/2E`, :math:`q = (1-c)/2`;
* NB2: Wald on the log scale, :math:`\operatorname{se}(\log\hat\lambda) =
  \sqrt{\operatorname{Var} S}/E\hat\lambda` with :math:`\mu_t = \hat\lambda s_t` and
  :math:`\operatorname{Var} S = \sum_t \mu_t + \tau\sum_t\mu_t^2 + 2\sum_{t<u}\mu_t\mu_u
  (e^{\sigma^2\phi^{u-t}} - 1)` (:math:`\tau` the dispersion of the cost; the last term is
  the AR(1) noise of :mod:`.baseline`, zero without autocorrelation); a segment of zeros
  gets the Poisson upper bound :math:`\chi^2_{c}(2)/2E`;
* l2: Student t with the segment's standard deviation.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
from scipy import stats

from ..._glm import z_crit
from .baseline import NoiseModel

__all__ = ["segment_table"]


def _var_total(mu: np.ndarray, dispersion: float, noise: NoiseModel | None) -> float:
    """Variance of the sum of counts with means ``mu`` (see the module)."""
    var = float(mu.sum() + dispersion * (mu * mu).sum())
    if noise is not None and noise.ar_sd > 0 and len(mu) > 1:
        lags = np.arange(1, len(mu))
        g = noise.lag_covariance(lags)
        keep = g > 1e-6 * max(g[0], 1e-300)
        for k, gk in zip(lags[keep], g[keep], strict=True):
            var += 2 * gk * float(mu[:-k] @ mu[k:])
    return var


def rate_interval(seg: np.ndarray, s: np.ndarray, cost: str, dispersion, conf_level: float,
                  noise: NoiseModel | None) -> tuple[float, float]:
    """Confidence interval of a segment's level (see the module)."""
    m, tot, E = len(seg), float(seg.sum()), float(s.sum())
    rate = tot / E
    q = (1 - conf_level) / 2
    if cost == "poisson":
        lo = stats.chi2.ppf(q, 2 * tot) / (2 * E) if tot > 0 else 0.0
        return lo, stats.chi2.ppf(1 - q, 2 * tot + 2) / (2 * E)
    if cost == "negbin":
        if rate <= 0:
            return 0.0, stats.chi2.ppf(conf_level, 2) / (2 * E)
        se = math.sqrt(_var_total(rate * s, dispersion, noise)) / tot
        half = z_crit(conf_level) * se
        return rate * math.exp(-half), rate * math.exp(half)
    sd = seg.std(ddof=1) if m > 1 else np.nan
    half = stats.t.ppf(0.5 + conf_level / 2, max(m - 1, 1)) * sd / math.sqrt(m)
    return rate - half, rate + half


def segment_table(series: pd.Series, bkps, cost: str, dispersion, conf_level: float,
                  exposure=None, noise: NoiseModel | None = None) -> pd.DataFrame:
    """One row per segment: start, end (labels), start_pos, end_pos, periods, total, rate,
    rate_low, rate_high and the ratio of the rate to the previous segment's."""
    y = series.to_numpy()
    s_all = np.ones(len(y)) if exposure is None or cost == "l2" else np.asarray(exposure)
    rows = []
    prev = None
    for a, b in itertools.pairwise([0, *bkps, len(y)]):
        seg, s = y[a:b], s_all[a:b]
        rate = float(seg.sum()) / float(s.sum())
        lo, hi = rate_interval(seg, s, cost, dispersion, conf_level, noise)
        rows.append({
            "start": series.index[a], "end": series.index[b - 1], "start_pos": a, "end_pos": b,
            "periods": len(seg), "total": float(seg.sum()), "rate": rate, "rate_low": lo,
            "rate_high": hi, "ratio_to_previous": rate / prev if prev else np.nan,
        })
        prev = rate
    out = pd.DataFrame(rows)
    out.index = pd.RangeIndex(1, len(out) + 1, name="segment")
    return out
