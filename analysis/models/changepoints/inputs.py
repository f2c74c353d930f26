"""Checks of what :func:`analysis.change_points` is given: one series of counts (or of
numbers, for the "l2" cost) on a regular index, without gaps, and usable options."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..._periods import regular_index
from ...errors import InputError
from .costs import COSTS

__all__ = ["ChangePointError", "as_series", "check_options"]


class ChangePointError(InputError):
    """The series or the options of :func:`change_points` cannot be used."""


def as_series(series) -> pd.Series:
    """The values as a float Series; an irregular date index or NA is an error."""
    if isinstance(series, pd.DataFrame):
        if series.shape[1] != 1:
            raise ChangePointError("change_points takes one series; select a column")
        series = series.iloc[:, 0]
    if isinstance(series, (np.ndarray, list, tuple)):
        series = pd.Series(np.asarray(series))
    if not isinstance(series, pd.Series):
        raise ChangePointError(f"series must be a pandas Series or a 1-d array, not {type(series).__name__}")
    if isinstance(series.index, pd.DatetimeIndex) and len(series) >= 3:
        if regular_index(series.index) is None:
            raise ChangePointError(
                "series index is irregular (uneven spacing or missing periods); build it with "
                "analysis.incident_counts so that every period is present"
            )
    values = pd.to_numeric(series, errors="coerce").astype("Float64")
    n_na = int(values.isna().sum())
    if n_na:
        raise ChangePointError(
            f"series has {n_na} missing values (periods outside the coverage?); segment a "
            "covered span (series.loc[start:end]) - gaps are never dropped silently"
        )
    return pd.Series(values.to_numpy(dtype="float64"), index=series.index, name=series.name)


def check_options(y: np.ndarray, cost: str, min_size, jump, dispersion) -> tuple[int, int]:
    """Checks the options against the values; returns ``(min_size, jump)`` as ints."""
    if int(min_size) < 1 or int(jump) < 1:
        raise ChangePointError("min_size and jump must be positive integers")
    min_size, jump = int(min_size), int(jump)
    if len(y) < 2 * min_size:
        raise ChangePointError(
            f"series too short: {len(y)} periods cannot hold two segments of min_size={min_size}"
        )
    if cost in ("poisson", "negbin"):
        if np.any(y < 0) or np.any(np.abs(y - np.round(y)) > 1e-9):
            raise ChangePointError(f"cost={cost!r} needs non-negative whole counts; use cost='l2' otherwise")
        if np.all(y == 0):
            raise ChangePointError("series is all zeros: there is no rate to segment")
    if cost == "l2" and np.ptp(y) == 0:
        raise ChangePointError("series is constant: there is nothing to segment")
    if dispersion is not None and not dispersion > 0:
        raise ChangePointError("dispersion must be positive")
    return min_size, jump


def check_cost(cost: str) -> None:
    if cost not in COSTS:
        raise ChangePointError(f"cost must be one of {COSTS}, not {cost!r}")
