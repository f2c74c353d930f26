"""Checks of the incident frame and the options of the lethality models, and the map
from ``value`` to the low / best / high count columns."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from ...errors import InputError

__all__ = [
    "BAND_LEVELS",
    "MEASURES",
    "CasualtyInputError",
    "band_columns",
    "check_counts",
    "check_frame",
    "check_options",
]

BAND_LEVELS = ("low", "best", "high")
MEASURES = ("killed", "wounded")


class CasualtyInputError(InputError):
    """The incident frame cannot be used for casualty statistics as given."""


def band_columns(data: pd.DataFrame, value: str) -> dict[str, str]:
    """Map band level -> column for ``value`` ('killed', 'wounded' or one column name)."""
    if value in MEASURES:
        cols = {lvl: f"{value}_{lvl}" for lvl in BAND_LEVELS}
    elif isinstance(value, str) and value.rsplit("_", 1)[-1] in BAND_LEVELS:
        cols = {value.rsplit("_", 1)[-1]: value}
    elif isinstance(value, str) and value in data.columns:
        cols = {value: value}
    else:
        raise CasualtyInputError(
            f"value={value!r} is not understood: use 'killed' or 'wounded' (all three count "
            "bands), or one column such as 'killed_best'."
        )
    missing = [c for c in cols.values() if c not in data.columns]
    if missing:
        raise CasualtyInputError(
            f"the frame lacks the column(s) {missing}; pass the canonical incident frame "
            "(analysis.load_incidents()) or choose value='killed_best'."
        )
    return cols


def check_counts(data: pd.DataFrame, col: str) -> pd.Series:
    """Column ``col`` as nullable floats: numbers, whole, non-negative (NA = unknown)."""
    s = data[col]
    if not (pd.api.types.is_numeric_dtype(s) or s.isna().all()):
        raise CasualtyInputError(f"column {col!r} must hold numbers (got dtype {s.dtype}).")
    v = pd.to_numeric(s, errors="coerce").astype("Float64")
    if (v.dropna() < 0).any():
        raise CasualtyInputError(
            f"column {col!r} has negative counts (e.g. {v[v < 0].iloc[0]}); casualties are >= 0."
        )
    if (v.dropna() % 1 != 0).any():
        raise CasualtyInputError(f"column {col!r} has fractional counts; casualties are whole numbers.")
    return v


def check_frame(data: Any, by: str | None) -> pd.DataFrame:
    """The incident frame, refused when empty, without datetime ``date``, or ``by`` unusable."""
    if not isinstance(data, pd.DataFrame):
        raise CasualtyInputError(
            f"expected the incident DataFrame (analysis.load_incidents()), got {type(data).__name__}."
        )
    if len(data) == 0:
        raise CasualtyInputError("the incident frame is empty: there is nothing to analyse.")
    if "date" not in data.columns:
        raise CasualtyInputError("the incident frame needs a 'date' column.")
    if not pd.api.types.is_datetime64_any_dtype(data["date"]):
        raise CasualtyInputError("'date' must be datetime64; load data with analysis.load_incidents().")
    if data["date"].isna().any():
        raise CasualtyInputError(f"'date' has {int(data['date'].isna().sum())} missing values.")
    if by is not None and by not in data.columns:
        raise CasualtyInputError(f"by={by!r} is not a column of the frame.")
    if by is not None and data[by].isna().any():
        raise CasualtyInputError(f"column {by!r} has missing values; fill them (e.g. 'unknown').")
    return data


def check_options(conf_level: float, n_sims: int, mass_threshold: int) -> None:
    """``conf_level`` in (0, 1); enough permutations for its critical value; a threshold >= 1."""
    if not 0 < conf_level < 1:
        raise CasualtyInputError(f"conf_level must be between 0 and 1 (got {conf_level}).")
    if isinstance(n_sims, bool) or not isinstance(n_sims, int | np.integer):
        raise CasualtyInputError(f"n_sims must be a whole number (got {n_sims!r}).")
    need = math.ceil(conf_level / (1 - conf_level) - 1e-9)
    if n_sims < need:
        raise CasualtyInputError(
            f"n_sims={n_sims} permutations cannot give a {conf_level:.0%} interval; use at least "
            f"{need} (the default 999 gives p-values with a Monte Carlo error of 0.007 near 0.05)."
        )
    if not mass_threshold >= 1:
        raise CasualtyInputError(f"mass_threshold must be at least 1 (got {mass_threshold}).")
