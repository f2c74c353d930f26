"""The trend of a count model of frequency.

``trend="auto"`` (the default of :func:`analysis.fit_frequency`) fits the model,
seasonal terms, regressors and exposure included, once for each degrees of
freedom of the grid of :func:`analysis._trend.trend_grid` (0 = none, 1 = a straight
line, k >= 2 = a natural cubic spline with k df) and keeps the lowest AIC
(:func:`analysis._trend.choose_trend`). A surge or a collapse over years then goes into
the trend instead of into the seasonal terms or the residuals. ``"linear"``, ``"none"``
and a whole number fix the trend instead.

Regime ``breaks`` are left out of the choice and added to the chosen trend, and with
breaks the grid starts at the straight line. Chosen with the steps, the trend could be
none (a step then stands in for a steady rise or fall) or a wiggle that fits a bump
together with a step; either way the step's Wald test rejected far above its size (31%
and 10% of null monthly series at the 5% level, ``benchmarks/calibration_counts.py``).

With ``link="identity"`` (the classical INGARCH) the regressors must be non-negative,
which a centred line or a spline is not, so ``"auto"`` means no trend there.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from ..._glm import fit_count_glm
from ..._trend import choose_trend, make_trend, parse_trend, trend_grid
from ...errors import AnalysisError
from .design import DesignSpec
from .ingarch import fit_ingarch
from .inputs import FrequencyInputError

__all__ = ["model_aic", "resolve_trend"]


def model_aic(y: np.ndarray, X: pd.DataFrame, spec: DesignSpec, offset, family: str) -> float:
    """AIC of the model with design ``X`` (``inf`` when it cannot be fitted or has too
    many parameters for the data); the dispersion counts as a parameter of an NB fit."""
    k = X.shape[1] + len(spec.ar_lags) + len(spec.mean_lags) + (family == "negbin")
    if len(y) < k + 5:
        return float("inf")
    try:
        if spec.autoregressive:
            Xr = np.ascontiguousarray(X.drop(columns=["const"], errors="ignore").to_numpy(float))
            llf = fit_ingarch(y, Xr, spec.ar_lags, spec.mean_lags, spec.link, family).llf
        else:
            llf = fit_count_glm(y, X.to_numpy(float), offset=offset, family=family).llf
    except (AnalysisError, np.linalg.LinAlgError, ValueError, FloatingPointError):
        return float("inf")
    return -2.0 * float(llf) + 2.0 * k if np.isfinite(llf) else float("inf")


def resolve_trend(y: np.ndarray, spec: DesignSpec, trend, index: pd.DatetimeIndex, offset,
                  family: str, xreg: pd.DataFrame | None) -> tuple[DesignSpec, pd.DataFrame | None]:
    """The design specification with its trend, and the AIC table of ``"auto"`` (None
    when the trend is given)."""
    try:
        choice = parse_trend(trend)
    except AnalysisError as err:
        raise FrequencyInputError(str(err)) from err
    t = spec.years(index)
    if choice != "auto":
        try:
            return dataclasses.replace(spec, trend=make_trend(t, choice)), None
        except AnalysisError as err:
            raise FrequencyInputError(f"{err}; use a smaller trend or trend='auto'") from err
    if spec.link == "identity":
        grid = [0]
    else:
        grid = trend_grid(t, len(y), n_events=float(np.nansum(y)))
        if spec.breaks:  # a step alone would stand in for a missing trend and look significant
            grid = [k for k in grid if k >= 1]

    def aic(tr) -> float:
        # chosen without the breaks: otherwise a wiggly trend is kept where, with the
        # step, it happens to fit a bump, and the step's test loses its size
        candidate = dataclasses.replace(spec, trend=tr, breaks=())
        return model_aic(y, candidate.design(index, xreg), candidate, offset, family)

    try:
        chosen, table = choose_trend(t, aic, grid=grid, n_obs=len(y))
    except AnalysisError:  # nothing fits: the checks of the fit without a trend say why
        return dataclasses.replace(spec, trend=make_trend(t, 0)), None
    return dataclasses.replace(spec, trend=chosen), table
