r"""The segments between change points: their rates with confidence intervals, and the
common NB2 dispersion around the segment means.

Within segment :math:`i` of length :math:`m` and total :math:`S`, the rate
:math:`\hat\lambda_i = S/m` has the interval

* Poisson: exact, from the chi-square quantiles
  :math:`\chi^2_{q}(2S)/2m` and :math:`\chi^2_{1-q}(2S+2)/2m`, :math:`q = (1-c)/2`;
* NB2: Wald on the log scale, :math:`\operatorname{se}(\log\hat\lambda) =
  \sqrt{(1/\hat\lambda + \alpha)/m}`;
* l2: Student t with the segment's standard deviation.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from ..._glm import z_crit

__all__ = ["moment_dispersion", "segment_table"]


def moment_dispersion(y: np.ndarray, bkps: Sequence[int]) -> float:
    r"""Moment estimate of a common NB2 dispersion around the segment means:
    :math:`\sum_i\sum_t [(y_t - \bar y_i)^2 - y_t] / \sum_i m_i \bar y_i^2`, at least
    1e-4."""
    edges = [0, *bkps, len(y)]
    num = den = 0.0
    for a, b in itertools.pairwise(edges):
        seg = y[a:b]
        mu = seg.mean()
        if mu > 0:
            num += np.sum((seg - mu) ** 2 - seg)
            den += len(seg) * mu**2
    return max(num / den, 1e-4) if den > 0 else 1e-4


def rate_interval(seg: np.ndarray, cost: str, dispersion, conf_level: float) -> tuple[float, float]:
    """Confidence interval of a segment's rate (see the module)."""
    m, tot = len(seg), float(seg.sum())
    rate = tot / m
    if cost == "poisson":
        q = (1 - conf_level) / 2
        lo = stats.chi2.ppf(q, 2 * tot) / (2 * m) if tot > 0 else 0.0
        return lo, stats.chi2.ppf(1 - q, 2 * tot + 2) / (2 * m)
    if cost == "negbin":
        if rate <= 0:
            return 0.0, stats.chi2.ppf(conf_level, 2) / (2 * m)
        half = z_crit(conf_level) * math.sqrt((1 / rate + dispersion) / m)
        return rate * math.exp(-half), rate * math.exp(half)
    sd = seg.std(ddof=1) if m > 1 else np.nan
    half = stats.t.ppf(0.5 + conf_level / 2, max(m - 1, 1)) * sd / math.sqrt(m)
    return rate - half, rate + half


def segment_table(series: pd.Series, bkps, cost: str, dispersion, conf_level: float) -> pd.DataFrame:
    """One row per segment: start, end (labels), start_pos, end_pos, periods, total, rate,
    rate_low, rate_high and the ratio of the rate to the previous segment's."""
    y = series.to_numpy()
    rows = []
    prev = None
    for a, b in itertools.pairwise([0, *bkps, len(y)]):
        seg = y[a:b]
        rate = float(seg.sum()) / len(seg)
        lo, hi = rate_interval(seg, cost, dispersion, conf_level)
        rows.append({
            "start": series.index[a], "end": series.index[b - 1], "start_pos": a, "end_pos": b,
            "periods": len(seg), "total": float(seg.sum()), "rate": rate, "rate_low": lo,
            "rate_high": hi, "ratio_to_previous": rate / prev if prev else np.nan,
        })
        prev = rate
    out = pd.DataFrame(rows)
    out.index = pd.RangeIndex(1, len(out) + 1, name="segment")
    return out
