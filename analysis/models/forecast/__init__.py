"""Forecasts of incident counts with full predictive distributions, and rolling-origin
backtests scored by proper scoring rules.

Every predictive distribution is represented by ``n_sims`` integer samples per future
period, drawn by one of the models of :mod:`.models` (``"negbin"``, ``"ingarch"``,
``"hawkes"`` and three naive baselines) and scored by :mod:`.scores` (CRPS, log score,
randomised PIT, interval coverage).

The modules: :mod:`.data` (what a forecast conditions on, and the error),
:mod:`.models` (the registry), :mod:`.regression` (negbin, ingarch),
:mod:`.contagion` (hawkes), :mod:`.baselines`, :mod:`.scores`, :mod:`.predictive`
(:func:`forecast`), :mod:`.rolling` (:func:`backtest`) and :mod:`.result`
(:class:`ForecastResult`, :class:`BacktestResult`).
"""

from __future__ import annotations

from .data import ForecastInputError
from .models import MODELS
from .predictive import DEFAULT_QUANTILES, forecast
from .result import BacktestResult, ForecastResult
from .rolling import backtest
from .scores import score_samples

__all__ = [
    "DEFAULT_QUANTILES",
    "MODELS",
    "BacktestResult",
    "ForecastInputError",
    "ForecastResult",
    "backtest",
    "forecast",
    "score_samples",
]
