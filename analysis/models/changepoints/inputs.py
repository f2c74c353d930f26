"""Checks of what :func:`analysis.change_points` is given: one series of counts (or of
numbers, for the "l2" cost) on a regular index, without gaps, and usable options."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..._periods import freq_key, regular_index
from ...errors import InputError
from .costs import COSTS

__all__ = ["ChangePointError", "as_series", "check_options", "default_sizes", "series_key"]

#: Default minimum segment length and candidate spacing by frequency: about a month
#: for weekly counts; daily counts may change weekly and last a month at least.
_SIZES = {"D": (28, 7), "W": (4, 1), "MS": (2, 1), "QS": (2, 1), "YS": (2, 1)}


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
    out = pd.Series(values.to_numpy(dtype="float64"), index=series.index, name=series.name)
    if isinstance(out.index, pd.DatetimeIndex) and len(out) >= 3:
        out.index = regular_index(out.index)
    return out


def series_key(series: pd.Series) -> str | None:
    """The frequency key of a regular date index (None for any other index)."""
    idx = series.index
    if not isinstance(idx, pd.DatetimeIndex) or idx.freq is None:
        return None
    try:
        return freq_key(idx, period_starts=True)
    except InputError:
        return None


def default_sizes(key: str | None, min_size, jump) -> tuple[int, int]:
    """``min_size`` and ``jump``, or their defaults for the frequency."""
    d_min, d_jump = _SIZES.get(key, (2, 1))
    return (d_min if min_size is None else min_size), (d_jump if jump is None else jump)


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


def check_calibration(y: np.ndarray, n_sims, conf_level, harmonics) -> None:
    """The options of the calibrated penalty and the seasonal baseline."""
    if not 0 < conf_level < 1:
        raise ChangePointError(f"conf_level must be in (0, 1), not {conf_level}")
    if int(n_sims) < 19:
        raise ChangePointError("n_sims must be at least 19 (the penalty is a simulated quantile)")
    if int(harmonics) < 0:
        raise ChangePointError("harmonics must be 0 (no seasonal baseline) or more")
    if np.any(y < 0) or np.any(np.abs(y - np.round(y)) > 1e-9):
        raise ChangePointError(
            "penalty='calibrated' simulates counts: it needs non-negative whole numbers "
            "(use penalty='bic' or a number for other data)"
        )


def check_cost(cost: str) -> None:
    if cost not in COSTS:
        raise ChangePointError(f"cost must be one of {COSTS}, not {cost!r}")
