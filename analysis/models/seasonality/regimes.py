r"""Regimes of the seasonal model: the regime of each month and the comparison of
seasonal patterns between regimes (regime-specific month effects :math:`\gamma_{r,m}` against common ones, an F test
on 11 (R - 1) degrees of freedom)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..._glm import f_test, fit_nb_moment
from ._input import SeasonalityInputError, empty_months
from .profile import month_profile

__all__ = ["compare_regimes", "parse_breaks", "regime_labels"]


def parse_breaks(by_regime: Sequence | str | pd.Timestamp | None) -> list:
    """The break dates as a list (one date may be given alone)."""
    if by_regime is None:
        return []
    if isinstance(by_regime, str | pd.Timestamp):
        return [by_regime]
    return list(by_regime)


def regime_labels(idx: pd.DatetimeIndex, breaks: Sequence) -> tuple[np.ndarray, list[str]]:
    """The regime of each month (a month belongs to the regime in force on its first day)
    and a label per regime ("2016-01 to 2021-07")."""
    bts = sorted(pd.Timestamp(b) for b in breaks)
    code = np.searchsorted(np.asarray(bts, dtype="datetime64[ns]"), idx.to_numpy(), side="right")
    labels = []
    for r in range(len(bts) + 1):
        sel = idx[code == r]
        if len(sel) == 0:
            raise SeasonalityInputError(
                f"regime {r + 1} of by_regime={list(map(str, breaks))} has no months in the series "
                f"({idx[0]:%Y-%m} to {idx[-1]:%Y-%m}); drop break dates outside the series."
            )
        labels.append(f"{sel[0]:%Y-%m} to {sel[-1]:%Y-%m}")
    return code, labels


def compare_regimes(y: np.ndarray, T: np.ndarray, M: np.ndarray, offset: np.ndarray,
                    regime: np.ndarray, labels: list[str], months: np.ndarray,
                    z: float) -> tuple[pd.DataFrame, tuple[float, int, float]]:
    """Per-regime month profiles and the F test of regime-specific month effects.

    ``T`` is the trend design, ``M`` the pooled month dummies. Returns the profiles (one
    block of 12 rows per regime) and (deviance difference, df, p-value).
    """
    blocks = []
    for r, label in enumerate(labels):
        sel = regime == r
        empty = empty_months(y[sel], months[sel])
        if empty:
            raise SeasonalityInputError(
                f"regime {label} has no events in {', '.join(empty)}; its seasonal "
                "profile is not estimable. Use fewer regimes or a longer series."
            )
        blocks.append(M * sel[:, None])
    inter = fit_nb_moment(y, np.hstack([T, *blocks]), offset)
    pooled = fit_nb_moment(y, np.hstack([T, M]), offset, inter.alpha)
    test = f_test(inter, pooled, 11 * (len(labels) - 1))
    k = T.shape[1]
    profiles = [
        month_profile(inter.params, inter.cov, slice(k + 11 * r, k + 11 * (r + 1)), z)
        .assign(regime=label)
        for r, label in enumerate(labels)
    ]
    out = pd.concat(profiles, ignore_index=True)
    return out[["regime", *out.columns[:-1]]], test
