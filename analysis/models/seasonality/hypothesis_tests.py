r"""Tests of seasonality in the NB2 count model with a trend design :math:`T`.

The count-model tests compare the deviances of the alternative and the null (trend-only)
model at the alternative's :math:`\alpha`: :math:`\Delta D / q` against :math:`F(q, n - p)`.

* omnibus: the 11 month effects, :math:`\gamma_2 = \dots = \gamma_{12} = 0` (q = 11);
* harmonic (focused): :math:`a_j = b_j = 0` in
  :math:`\sum_{j=1}^{K} a_j \sin(2\pi j (m-1)/12) + b_j \cos(2\pi j (m-1)/12)` (q = 2K);
* Kruskal–Wallis across calendar months of the Pearson residuals of the trend-only model.
"""

from __future__ import annotations

import dataclasses

import numpy as np
from scipy import stats

from ..._glm import MomentFit, f_test, fit_nb_moment
from .._terms import harmonics as harmonic_terms

__all__ = ["SeasonalTests", "seasonal_tests"]


@dataclasses.dataclass(frozen=True)
class SeasonalTests:
    """The month-effects model and the three tests (statistic, df, p-value)."""

    full: MomentFit
    omnibus: tuple[float, int, float]
    harmonic: tuple[float, int, float]
    kruskal: tuple[float, float]


def _kruskal_by_month(resid: np.ndarray, months: np.ndarray) -> tuple[float, float]:
    if np.ptp(resid) == 0:
        return 0.0, 1.0
    kw = stats.kruskal(*[resid[months == m] for m in range(1, 13)])
    return float(kw.statistic), float(kw.pvalue)


def seasonal_tests(y: np.ndarray, T: np.ndarray, M: np.ndarray, offset: np.ndarray,
                   months: np.ndarray, harmonics: int) -> SeasonalTests:
    """Fit the month-effects model ``[T, M]`` and run the omnibus, harmonic and
    Kruskal–Wallis tests against the trend-only model ``T``."""
    full = fit_nb_moment(y, np.hstack([T, M]), offset)
    omnibus = f_test(full, fit_nb_moment(y, T, offset, full.alpha), 11)
    H = harmonic_terms(months, harmonics)
    harm = fit_nb_moment(y, np.hstack([T, H]), offset)
    harmonic = f_test(harm, fit_nb_moment(y, T, offset, harm.alpha), H.shape[1])
    null = fit_nb_moment(y, T, offset)
    return SeasonalTests(full, omnibus, harmonic, _kruskal_by_month(null.resid_pearson, months))
