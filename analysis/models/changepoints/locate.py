r"""Intervals for the dates of the change points, by parametric bootstrap.

The fitted segmented model (each segment's level :math:`\hat\lambda_i = S_i / E_i`
times the seasonal baseline, with the NB2 dispersion and AR(1) noise of :mod:`.baseline`)
draws ``n_sims`` series. In each, every change :math:`\hat\tau_i` is located again by the
best single split between its neighbours :math:`\hat\tau_{i-1}` and
:math:`\hat\tau_{i+1}` (with the same cost and minimum segment length), giving
deviations :math:`d = \tau^*_i - \hat\tau_i`. The basic bootstrap interval is
:math:`[\hat\tau_i - d_{(1+c)/2},\ \hat\tau_i - d_{(1-c)/2}]` (quantiles of :math:`d`),
kept between the neighbours; a date interval names the first period of the new regime
at each end.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from .baseline import NoiseModel
from .calibrate import simulate_paths
from .costs import COST_CODES, SegmentSums

__all__ = ["location_table"]


def _relocate(sums: SegmentSums, a: int, b: int, code: int, r: float, min_size: int) -> int:
    """The best single split of the segment ``a:b``."""
    cand = np.arange(a + min_size, b - min_size + 1)
    left = sums.costs(a, cand, code, r)
    right = sums.costs(cand, b, code, r)
    return int(cand[np.argmin(left + right)])


def location_table(series: pd.Series, bkps, exposure, noise: NoiseModel, cost: str,
                   dispersion, min_size: int, conf_level: float, n_sims: int,
                   rng: np.random.Generator) -> pd.DataFrame:
    """One row per change: ``position``, ``date``, ``date_low``, ``date_high`` (the
    ``conf_level`` interval) and ``ratio`` (the level after over the level before)."""
    y = series.to_numpy(float)
    n = len(y)
    s = np.ones(n) if exposure is None else np.asarray(exposure, float)
    edges = [0, *bkps, n]
    levels = [y[a:b].sum() / s[a:b].sum() for a, b in itertools.pairwise(edges)]
    mean = np.repeat(levels, np.diff(edges)) * s
    sims = simulate_paths(rng, mean, noise, n_sims) if bkps else np.empty((0, n))
    code = COST_CODES[cost]
    r = 1.0 / dispersion if cost == "negbin" else 0.0
    dev = np.zeros((len(sims), len(bkps)), dtype=np.int64)
    for j, ys in enumerate(sims):
        sums = SegmentSums.of(ys, exposure)
        for i, t in enumerate(bkps):
            dev[j, i] = _relocate(sums, edges[i], edges[i + 2], code, r, min_size) - t
    q_lo, q_hi = np.quantile(dev, [(1 - conf_level) / 2, (1 + conf_level) / 2], axis=0,
                             method="inverted_cdf") if len(bkps) else (np.zeros(0), np.zeros(0))
    rows = []
    for i, t in enumerate(bkps):
        lo = int(np.clip(t - q_hi[i], edges[i] + min_size, t))
        hi = int(np.clip(t - q_lo[i], t, edges[i + 2] - min_size))
        ratio = levels[i + 1] / levels[i] if levels[i] > 0 else np.nan
        rows.append({"position": t, "date": series.index[t], "date_low": series.index[lo],
                     "date_high": series.index[hi], "ratio": ratio})
    cols = ["position", "date", "date_low", "date_high", "ratio"]
    out = pd.DataFrame(rows, columns=cols)
    out.index = pd.RangeIndex(1, len(out) + 1, name="change")
    return out
