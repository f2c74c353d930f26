"""The naive baselines every forecast is judged against. Each draws ``(n, h)`` integer
samples of the ``h`` counts after the last of the observed counts ``y``.

``"naive_last"``
    Random walk: the last count plus resampled historical one-period changes (summed
    over the horizon), floored at 0.
``"seasonal_naive"``
    The count one year earlier plus resampled historical year-on-year changes, floored
    at 0 (a lag of 12 periods for MS, 4 for QS, 52 for W, 7 for D, 1 for YS).
``"historical_mean"``
    Climatology: the empirical distribution of all past counts (its mean is the
    historical mean).
"""

from __future__ import annotations

import numpy as np

from ..._periods import periods_per_year
from .data import ForecastInputError

__all__ = ["BASELINES", "draw_baseline", "seasonal_lag"]

BASELINES = ("naive_last", "seasonal_naive", "historical_mean")


def seasonal_lag(key: str) -> int:
    """The seasonal naive model's lag: one year, or one week for daily counts."""
    return 7 if key == "D" else round(periods_per_year(key))


def _naive_last(y: np.ndarray, h: int, n: int, rng) -> np.ndarray:
    d = np.diff(y)
    if d.size == 0:
        raise ForecastInputError("naive_last needs at least 2 periods")
    steps = rng.choice(d, size=(n, h), replace=True).cumsum(axis=1)
    return np.clip(y[-1] + steps, 0, None)


def _seasonal_naive(y: np.ndarray, h: int, n: int, rng, key: str) -> np.ndarray:
    m = seasonal_lag(key)
    if y.size < m + 2:
        raise ForecastInputError(
            f"seasonal_naive needs more than one season ({m} periods) of history"
        )
    d = y[m:] - y[:-m]
    out = np.empty((n, h))
    for j in range(h):
        # y[T + j + 1 - m]; beyond one season, repeat the last season's value
        base_idx = y.size + j - m
        while base_idx >= y.size:
            base_idx -= m
        out[:, j] = y[base_idx] + rng.choice(d, size=n, replace=True)
    return np.clip(out, 0, None)


def draw_baseline(model: str, y: np.ndarray, key: str, h: int, n: int, rng) -> np.ndarray:
    """``(n, h)`` samples of the baseline ``model`` after the counts ``y``."""
    if model == "naive_last":
        return _naive_last(y, h, n, rng)
    if model == "seasonal_naive":
        return _seasonal_naive(y, h, n, rng, key)
    return rng.choice(y, size=(n, h), replace=True)
