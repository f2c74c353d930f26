"""Any statistic on the low, best and high casualty counts: :func:`casualty_band`."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from ...errors import EstimationWarning
from .inputs import BAND_LEVELS, MEASURES, CasualtyInputError, band_columns, check_counts
from .result import CasualtyBandResult

__all__ = ["casualty_band"]


def _as_series(out: Any, statistic: Callable) -> pd.Series:
    if isinstance(out, dict):
        out = pd.Series(out, dtype=float)
    elif not isinstance(out, pd.Series):
        out = pd.Series({getattr(statistic, "__name__", "statistic"): out}, dtype=float)
    return out.astype(float)


def _band_values(data, cols, statistic, dropna) -> tuple[dict[str, pd.Series | None], list[str]]:
    """The statistic per band (None for a band without any known count) and the notes."""
    values: dict[str, pd.Series | None] = {}
    notes = []
    for lvl, col in cols.items():
        v = check_counts(data, col).astype(float)
        if dropna:
            v = v.dropna()
        if v.notna().sum() == 0:
            values[lvl] = None
            notes.append(f"{col}: no incident has a known count")
            continue
        values[lvl] = _as_series(statistic(v), statistic)
    return values, notes


def casualty_band(
    data: pd.DataFrame,
    statistic: Callable[[pd.Series], Any],
    *,
    value: str = "killed",
    decide: Callable[[Any], Any] | None = None,
    dropna: bool = True,
) -> CasualtyBandResult:
    r"""Run ``statistic`` on the low, best and high casualty counts and show the band.

    For counts :math:`x^{(b)}` of band :math:`b`, the table holds :math:`T(x^{(b)})` for each
    band and the range :math:`[\min_b T, \max_b T]`. The range is a sensitivity range, not a
    confidence interval: for a statistic that rises with every count (a mean, a median, a
    share above a threshold) it contains the statistic of the true counts whenever each true
    count lies between its low and high figures.

    Parameters
    ----------
    data : incident frame with ``{value}_low``, ``{value}_best``, ``{value}_high``.
    statistic : function of one count column (a float Series) returning a number, or a dict
        / Series of named numbers (one table row each). Example:
        ``lambda k: analysis.fit_severity(k[k > 0]).alpha``.
    value : "killed" or "wounded".
    decide : optional rule mapping a value to a conclusion (e.g. ``lambda a: a < 2`` or a
        label); the table then flags ``conclusion_stable``.
    dropna : drop attacks with an unknown count before calling ``statistic`` (default);
        unknown counts are never treated as zero.

    Returns
    -------
    CasualtyBandResult

    Warns
    -----
    EstimationWarning
        When a band has no known count: its column is NaN and ``notes`` says so (the
        statistic is not called on an empty column). When no band has a known count,
        :class:`CasualtyInputError` is raised.
    """
    if not isinstance(data, pd.DataFrame):
        raise CasualtyInputError(
            f"expected a DataFrame with {value}_low/best/high columns, got {type(data).__name__}."
        )
    if len(data) == 0:
        raise CasualtyInputError("the frame is empty: there is nothing to compute.")
    if value not in MEASURES:
        raise CasualtyInputError(f"value must be one of {MEASURES} (got {value!r}).")
    cols = band_columns(data, value)
    values, notes = _band_values(data, cols, statistic, dropna)
    known = [v for v in values.values() if v is not None]
    if not known:
        raise CasualtyInputError(f"no incident has a known {value} count in any band.")
    if notes:
        warnings.warn("casualty_band: " + "; ".join(notes) + "; that band is NaN.",
                      EstimationWarning, stacklevel=2)
    index = known[0].index
    table = pd.DataFrame({lvl: (pd.Series(np.nan, index=index) if v is None else v)
                          for lvl, v in values.items()})[list(BAND_LEVELS)]
    table["band_min"] = table[list(BAND_LEVELS)].min(axis=1, skipna=False)
    table["band_max"] = table[list(BAND_LEVELS)].max(axis=1, skipna=False)
    if decide is not None:
        for lvl in BAND_LEVELS:
            table[f"conclusion_{lvl}"] = [decide(v) if np.isfinite(v) else None for v in table[lvl]]
        conc = table[[f"conclusion_{lvl}" for lvl in BAND_LEVELS]]
        table["conclusion_stable"] = conc.nunique(axis=1, dropna=False) == 1
    return CasualtyBandResult(table=table, value=value, notes=tuple(notes))
