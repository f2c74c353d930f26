r"""Segment costs of PELT and the BIC penalty on their scale.

A segment of length :math:`m` with sum :math:`S` (and sum of squares :math:`S_2`)
costs twice its negative maximised log-likelihood, terms that do not depend on the
segmentation dropped, from cumulative sums:

* ``"poisson"``: :math:`2\,(S - S\log(S/E))` with the exposure :math:`E = \sum_t s_t`
  (:math:`E = m` without one);
* ``"negbin"``: NB2 with a common dispersion :math:`\alpha` (size :math:`r = 1/\alpha`)
  and mean :math:`\lambda s_t`,
  :math:`-2\sum_t\,[\,r\log\frac{r}{r+\lambda s_t} + y_t\log\frac{\lambda}{r+\lambda s_t}\,]`
  at the maximum-likelihood :math:`\lambda` (closed form :math:`S/m` without exposure;
  otherwise Newton steps from the ratio :math:`S/E`);
* ``"l2"``: :math:`S_2 - S^2/m = \sum (y-\bar y)^2` (ruptures' ``"l2"`` model; no exposure).

The exposure :math:`s_t` (a seasonal multiplier, for example) takes a few values
:math:`s_1..s_K`; a segment's NB cost needs only the number of its periods
:math:`n_k` and their sum :math:`Y_k` at each value, so every cost is O(K) from
cumulative sums. A segment of zeros costs 0 under the count costs.
"""

from __future__ import annotations

import dataclasses
import itertools
import math

import numpy as np
from scipy import stats

__all__ = ["COSTS", "COST_CODES", "SegmentSums", "bic_penalty", "segment_cost", "total_cost"]

COSTS = ("poisson", "negbin", "l2")
#: The integer codes of the costs in the compiled loop.
COST_CODES = {"l2": 0, "poisson": 1, "negbin": 2}
#: Newton steps for the NB2 segment rate with exposure (from the ratio S/E, a few give
#: the maximum to machine precision).
NEWTON_STEPS = 4


@dataclasses.dataclass(frozen=True, eq=False)
class SegmentSums:
    """Cumulative sums of a series: ``cs1`` (y), ``cs2`` (y^2), and per exposure value
    ``k`` the count of periods ``cn[k]`` and the sum ``cy[k]``; ``sk`` the K values."""

    cs1: np.ndarray
    cs2: np.ndarray
    cn: np.ndarray
    cy: np.ndarray
    sk: np.ndarray

    @classmethod
    def of(cls, y, exposure=None) -> SegmentSums:
        """The sums of ``y``; ``exposure`` (one positive multiplier per period, a few
        distinct values) or None for none."""
        y = np.asarray(y, dtype=np.float64)
        s = np.ones(len(y)) if exposure is None else np.asarray(exposure, dtype=np.float64)
        sk, code = np.unique(s, return_inverse=True)
        onehot = (code[None, :] == np.arange(len(sk))[:, None]).astype(np.float64)
        zero = np.zeros((len(sk), 1))
        return cls(
            cs1=np.concatenate([[0.0], np.cumsum(y)]),
            cs2=np.concatenate([[0.0], np.cumsum(y * y)]),
            cn=np.ascontiguousarray(np.hstack([zero, np.cumsum(onehot, axis=1)])),
            cy=np.ascontiguousarray(np.hstack([zero, np.cumsum(onehot * y, axis=1)])),
            sk=sk,
        )

    def costs(self, starts, ends, code: int, r: float, newton: int = NEWTON_STEPS) -> np.ndarray:
        """Costs of the segments ``[starts, ends)`` (arrays, or one of them a number);
        ``newton`` steps for the NB2 level with exposure (0: the ratio S/E)."""
        ps, pe = np.broadcast_arrays(np.atleast_1d(starts), np.atleast_1d(ends))
        s1 = self.cs1[pe] - self.cs1[ps]
        m = (pe - ps).astype(np.float64)
        if code == 0 or (self.sk.size == 1 and self.sk[0] == 1.0):
            return segment_cost(s1, self.cs2[pe] - self.cs2[ps], m, code, r)
        nk = (self.cn[:, pe] - self.cn[:, ps]).T
        yk = (self.cy[:, pe] - self.cy[:, ps]).T
        return exposed_cost(s1, nk, yk, self.sk, code, r, newton)


def segment_cost(s1, s2, m, code: int, r: float) -> np.ndarray:
    """Vectorised segment cost without exposure from sums ``s1`` (y), ``s2`` (y^2) and
    lengths ``m``; ``r = 1 / alpha`` for the NB2 cost."""
    if code == 0:
        return s2 - s1 * s1 / m
    mu = s1 / m
    with np.errstate(divide="ignore", invalid="ignore"):
        if code == 1:
            out = 2.0 * (s1 - s1 * np.log(mu))
        else:
            out = 2.0 * (m * r * np.log1p(mu / r) - s1 * np.log(mu / (r + mu)))
    return np.where(s1 > 0, out, 0.0)


def exposed_cost(s1, nk, yk, sk, code: int, r: float, newton: int = NEWTON_STEPS) -> np.ndarray:
    """Vectorised Poisson or NB2 segment cost with exposure: ``nk``, ``yk`` are
    ``(segments, K)`` counts and sums per exposure value ``sk``."""
    E = nk @ sk
    with np.errstate(divide="ignore", invalid="ignore"):
        lam = s1 / E
        if code == 1:
            out = 2.0 * (s1 - s1 * np.log(lam))
        else:
            w = r * nk + yk
            for _ in range(newton):
                q = lam[:, None] * sk / (r + lam[:, None] * sk)
                g = s1 - (w * q).sum(axis=1)
                h = (w * q * (1 - q)).sum(axis=1)
                lam = lam * np.exp(np.where(h > 0, g / h, 0.0))
            m = nk.sum(axis=1)
            out = 2.0 * ((w * np.log(r + lam[:, None] * sk)).sum(axis=1)
                         - m * r * np.log(r) - s1 * np.log(lam))
    return np.where(s1 > 0, out, 0.0)


def total_cost(y: np.ndarray, bkps, cost: str, dispersion: float | None, exposure=None) -> float:
    """The summed cost of the segmentation of ``y`` at ``bkps``."""
    sums = SegmentSums.of(y, exposure)
    edges = [0, *bkps, len(y)]
    r = 1.0 / dispersion if dispersion else 0.0
    return float(sum(sums.costs(a, b, COST_CODES[cost], r)[0]
                     for a, b in itertools.pairwise(edges)))


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
