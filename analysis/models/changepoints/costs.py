r"""Segment costs of PELT and the BIC penalty on their scale.

A segment of length :math:`n` with sum :math:`S` (and sum of squares :math:`S_2`)
costs twice its negative maximised log-likelihood, constants dropped, in O(1) from
cumulative sums:

* ``"poisson"``: :math:`2\,(S - S\log(S/n))` (rate :math:`S/n`);
* ``"negbin"``: NB2 with a common dispersion :math:`\alpha` (``size`` :math:`r=1/\alpha`)
  and the segment mean :math:`\mu=S/n`:
  :math:`-2\,[\,n r\log\frac{r}{r+\mu} + S\log\frac{\mu}{r+\mu}\,]`;
* ``"l2"``: :math:`S_2 - S^2/n = \sum (y-\bar y)^2` (ruptures' ``"l2"`` model).

A segment of zeros costs 0 under the count costs.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
from scipy import stats

__all__ = ["COSTS", "COST_CODES", "bic_penalty", "segment_cost", "total_cost"]

COSTS = ("poisson", "negbin", "l2")
#: The integer codes of the costs in the compiled loop.
COST_CODES = {"l2": 0, "poisson": 1, "negbin": 2}


def segment_cost(s1, s2, m, code: int, r: float) -> np.ndarray:
    """Vectorised segment cost from sums ``s1`` (y), ``s2`` (y^2) and lengths ``m``;
    ``r = 1 / alpha`` for the NB2 cost."""
    if code == 0:
        return s2 - s1 * s1 / m
    mu = s1 / m
    with np.errstate(divide="ignore", invalid="ignore"):
        if code == 1:
            out = 2.0 * (s1 - s1 * np.log(mu))
        else:
            out = -2.0 * (m * r * np.log(r / (r + mu)) + s1 * np.log(mu / (r + mu)))
    return np.where(s1 > 0, out, 0.0)


def total_cost(y: np.ndarray, bkps, cost: str, dispersion: float | None) -> float:
    """The summed cost of the segmentation of ``y`` at ``bkps``."""
    edges = [0, *bkps, len(y)]
    r = 1.0 / dispersion if dispersion else 0.0
    s1 = np.asarray([y[a:b].sum() for a, b in itertools.pairwise(edges)])
    s2 = np.asarray([(y[a:b] ** 2).sum() for a, b in itertools.pairwise(edges)])
    m = np.diff(edges).astype(float)
    return float(segment_cost(s1, s2, m, COST_CODES[cost], r).sum())


def bic_penalty(y: np.ndarray, cost: str) -> float:
    r"""The BIC penalty of one change: :math:`2\log n` on the -2 log-likelihood scale
    (a rate and a location per change), :math:`2\hat\sigma^2\log n` for ``"l2"`` with
    :math:`\hat\sigma` from the MAD of first differences."""
    n = len(y)
    if cost == "l2":
        d = np.diff(y)
        sigma = stats.median_abs_deviation(d, scale="normal") / math.sqrt(2) if len(d) else 0.0
        if sigma <= 0:
            sigma = np.std(d) / math.sqrt(2) if len(d) else 1.0
        return 2.0 * sigma**2 * math.log(n)
    return 2.0 * math.log(n)
