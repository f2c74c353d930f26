"""Errors, warnings and input checks of the severity models."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from ...errors import EstimationWarning, InputError

#: Fewer tail points than this and the fit is flagged as unreliable (CSN recommend ~50+).
MIN_RELIABLE_TAIL = 50
#: Fewer tail points than this and no interval or p-value is given (NaN), only estimates.
MIN_TESTABLE_TAIL = 21


class SeverityInputError(InputError):
    """The sizes cannot be fitted as given (empty, NA, negative, fractional, constant ...)."""


class UnreliableFitWarning(EstimationWarning):
    """The tail has too few points (or too few distinct values) for a trustworthy fit."""


def _numeric(data: Any, what: str) -> np.ndarray:
    """``data`` as a flat float array; a DataFrame or a Series with NA is refused."""
    if isinstance(data, pd.DataFrame):
        raise SeverityInputError(
            f"{what} must be one column of sizes, not a DataFrame; pass e.g. df['killed_best']."
        )
    if isinstance(data, pd.Series) and data.isna().any():
        raise SeverityInputError(
            f"{what} has {int(data.isna().sum())} missing values (NA). Missing casualty counts "
            f"are unknown, not zero: drop them explicitly ({what}.dropna()) or analyse the "
            "killed_low / killed_high columns to see how much they matter."
        )
    try:
        arr = data.to_numpy(dtype=float) if isinstance(data, pd.Series) else np.asarray(data, float)
    except (TypeError, ValueError) as exc:
        raise SeverityInputError(f"{what} must be numeric ({exc}).") from None
    return np.ravel(arr)


def as_sizes(data: Any, discrete: bool, what: str = "data") -> np.ndarray:
    """Validated float array of event sizes (non-negative; integers when discrete)."""
    arr = _numeric(data, what)
    if arr.size == 0:
        raise SeverityInputError(f"{what} is empty: there are no event sizes to fit.")
    if np.isnan(arr).any():
        raise SeverityInputError(
            f"{what} has {int(np.isnan(arr).sum())} missing values (NaN). Drop them explicitly "
            "or use the low/high casualty columns."
        )
    if not np.isfinite(arr).all():
        raise SeverityInputError(f"{what} contains infinite values.")
    if (arr < 0).any():
        raise SeverityInputError(
            f"{what} has {int((arr < 0).sum())} negative values (smallest {arr.min():g}); "
            "event sizes are counts of people and must be >= 0."
        )
    if discrete and not np.all(arr == np.round(arr)):
        raise SeverityInputError(
            f"{what} has non-integer values but discrete=True; counts must be whole numbers. "
            "Pass discrete=False for continuous sizes."
        )
    if not (arr > 0).any():
        raise SeverityInputError(
            f"{what} is all zeros: a power law needs positive sizes (e.g. attacks with at "
            "least one death)."
        )
    pos = arr[arr > 0]
    lo, hi = pos.min(), pos.max()
    if lo == hi or not ((pos > lo) & (pos < hi)).any():  # fewer than 3 distinct values
        raise SeverityInputError(
            f"{what} has fewer than three distinct positive values "
            f"({np.unique(pos).tolist()}); no tail can be fitted to (nearly) equal values."
        )
    return arr


def check_xmin(xmin: Any) -> None:
    """``xmin`` is ``"ks"`` or a positive number."""
    if isinstance(xmin, str):
        if xmin != "ks":
            raise SeverityInputError(f"xmin must be 'ks' or a number (got {xmin!r}).")
    elif not xmin > 0:
        raise SeverityInputError(f"xmin must be positive (got {xmin}).")


def check_conf_level(conf_level: float) -> None:
    """``conf_level`` is strictly between 0 and 1."""
    if not 0 < conf_level < 1:
        raise SeverityInputError(f"conf_level must be in (0, 1); got {conf_level}")


def check_models(names: Sequence[str], known: Sequence[str], what: str) -> None:
    """Every name in ``names`` is one of ``known`` (and there is at least one when required)."""
    unknown = [m for m in names if m not in known]
    if unknown:
        raise SeverityInputError(f"unknown {what} {sorted(unknown)}; choose from {list(known)}.")
