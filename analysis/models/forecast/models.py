"""The forecasting models, by name: each is fitted to the history up to a forecast
origin and draws ``(n_sims, horizon)`` integer samples of the counts of the ``horizon``
periods after an origin (the same one, or a later one when a backtest reuses the fit).

``"negbin"`` and ``"ingarch"``
    The count regression and the count autoregression of
    :func:`analysis.fit_frequency` (:mod:`.regression`).
``"hawkes"``
    The self-exciting point process of :func:`analysis.fit_hawkes`, simulated forward
    (:mod:`.contagion`).
``"naive_last"``, ``"seasonal_naive"``, ``"historical_mean"``
    Baselines (:mod:`.baselines`).
"""

from __future__ import annotations

import numpy as np

from .baselines import BASELINES, draw_baseline
from .contagion import draw_hawkes_model, fit_hawkes_model
from .data import ForecastInputError, History
from .regression import COUNT_MODELS, draw_count_model, fit_count_model

__all__ = ["MODELS", "draw_model", "fit_model", "sample"]

MODELS = ("negbin", "ingarch", "hawkes", *BASELINES)


def fit_model(model: str, hist: History, origin: int, n: int, seed: int, model_kw: dict):
    """The state a model forecasts from, fitted to the history up to position
    ``origin`` (None for the baselines, which read the history itself)."""
    if model in COUNT_MODELS:
        return fit_count_model(model, hist, origin, n, np.random.default_rng(seed), model_kw)
    if model == "hawkes":
        return fit_hawkes_model(hist, origin, seed, model_kw)
    if model in BASELINES:
        return None
    raise ForecastInputError(f"unknown model {model!r}; choose from {MODELS}")


def draw_model(model: str, state, hist: History, origin: int, h: int, n: int,
               rng: np.random.Generator) -> np.ndarray:
    """``(n, h)`` samples of the ``h`` periods after position ``origin`` from a fitted
    ``state`` (see :func:`fit_model`)."""
    if model in BASELINES:
        y = hist.counts.to_numpy()[: origin + 1].astype(float)
        return draw_baseline(model, y, hist.key, h, n, rng)
    if model in COUNT_MODELS:
        return draw_count_model(state, hist, origin, h, rng)
    return draw_hawkes_model(state, hist, origin, h, n, rng)


def sample(model: str, hist: History, origin: int, h: int, n: int, seed: int,
           model_kw: dict) -> np.ndarray:
    """Fit at position ``origin`` and draw the ``h`` periods after it."""
    state = fit_model(model, hist, origin, n, seed, model_kw)
    return draw_model(model, state, hist, origin, h, n, np.random.default_rng([seed, 1]))
