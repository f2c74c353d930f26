"""The forecasting models: each draws ``(n_sims, horizon)`` integer samples of the
counts of the ``horizon`` periods after a forecast origin, from the history up to it.

``"negbin"``
    The count model of :func:`analysis.fit_frequency` (NB2 with trend and annual
    Fourier seasonality by default; options via ``model_kw``); samples from its
    ``forecast`` (parameter uncertainty included).
``"hawkes"``
    :func:`analysis.fit_hawkes` on the event times up to the forecast origin (background
    ``"trend_seasonal"`` by default), then exact simulation of the future by the branching
    construction: a new background process plus the offspring still due from past events.
    Each sample path uses parameters drawn from the fit's asymptotic normal distribution.
``"naive_last"``
    Random walk: the last count plus resampled historical one-period changes (summed
    over the horizon), floored at 0.
``"seasonal_naive"``
    The count one year earlier plus resampled historical year-on-year changes, floored
    at 0 (``m`` = 12 for MS, 4 for QS, 52 for W, 7 for D, 1 for YS).
``"historical_mean"``
    Climatology: the empirical distribution of all past counts (its mean is the
    historical mean).
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd

from ..._periods import periods_per_year
from .data import ForecastInputError, History

__all__ = ["MODELS", "sample"]

MODELS = ("negbin", "hawkes", "naive_last", "seasonal_naive", "historical_mean")


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


def _negbin(hist: History, h: int, n: int, seed: int, model_kw: dict) -> np.ndarray:
    from ..frequency import fit_frequency

    kw = {"trend": True, "seasonal": "fourier" if hist.key != "YS" else None}
    kw.update(model_kw)
    if hist.key == "YS" and kw.get("seasonal") is not None:
        kw["seasonal"] = None
    res = fit_frequency(hist.counts, **kw)
    return np.asarray(res.forecast(h, n_sims=n, seed=seed).samples, float)


def _hawkes(hist: History, origin_end: pd.Timestamp, h: int, n: int, seed: int,
            model_kw: dict) -> np.ndarray:
    from ..hawkes import fit_hawkes

    if hist.frame is None:
        raise ForecastInputError(
            "model='hawkes' needs event dates (an incident frame or timestamps), not a count series"
        )
    idx = hist.counts.index
    frame = hist.frame[pd.to_datetime(hist.frame["date"]) < origin_end]
    kw: dict[str, Any] = {"n_sims": 5}
    kw.update(model_kw)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        res = fit_hawkes(frame, start=idx[0], end=origin_end - pd.Timedelta(days=1), seed=seed, **kw)
    future = pd.date_range(origin_end, periods=h + 1, freq=idx.freq)
    edges = np.asarray((future - res.origin) / pd.Timedelta(days=1), float)
    return res.simulate_counts(edges, n_sims=n, seed=seed)


def sample(model: str, hist: History, origin: int, h: int, n: int, seed: int,
           model_kw: dict) -> np.ndarray:
    """Samples of the ``h`` periods after position ``origin`` of the history, from the
    history up to and including it."""
    y = hist.counts.to_numpy()[: origin + 1].astype(float)
    rng = np.random.default_rng(seed)
    if model == "naive_last":
        return _naive_last(y, h, n, rng)
    if model == "seasonal_naive":
        return _seasonal_naive(y, h, n, rng, hist.key)
    if model == "historical_mean":
        return rng.choice(y, size=(n, h), replace=True)
    if model == "negbin":
        return _negbin(hist.until(origin), h, n, seed, model_kw)
    if model == "hawkes":
        origin_end = hist.counts.index[origin] + hist.counts.index.freq
        return _hawkes(hist.until(origin), origin_end, h, n, seed, model_kw)
    raise ForecastInputError(f"unknown model {model!r}; choose from {MODELS}")
