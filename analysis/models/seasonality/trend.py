r"""The trend of the seasonal count model: a level and a smooth trend per regime.

In regime :math:`r` the trend is :math:`f_r(u_t)` of :mod:`analysis._trend` in years
:math:`u_t` since the first month: none, a straight line, or a natural cubic spline
with :math:`k_r` degrees of freedom. ``trend="auto"`` (the default) fits the month-effects
model (NB2, days in the month as exposure) for each :math:`k` of the grid of
:func:`analysis._trend.trend_grid` (capped, per regime, at one per year of that regime)
and keeps the lowest AIC; the AIC of each is reported. The dispersion of every candidate
is the Pearson estimate of the most flexible one (so the candidates differ only in their
trend, and each needs one IRLS fit). A surge over years then sits in the trend and not in
the month effects or their tests.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..._glm import fit_nb_moment, nb_llf_fixed
from ..._trend import choose_trend, make_trend, parse_trend, trend_grid
from ...errors import AnalysisError
from ._input import SeasonalityInputError

__all__ = ["MIN_REGIME_MONTHS", "trend_design"]

#: Months a regime needs to estimate its own seasonal profile.
MIN_REGIME_MONTHS = 24


def regime_trends(regime: np.ndarray, labels: list[str],
                  dfs: list[int]) -> tuple[np.ndarray, list[str]]:
    """The columns (a level and ``dfs[r]`` trend columns per regime) and their names."""
    n, R = len(regime), len(labels)
    t = np.arange(n, dtype=float) / 12
    cols, names = [], []
    for r in range(R):
        sel = regime == r
        cols.append(sel.astype(float)[:, None])
        names.append("const" if R == 1 else f"level[{labels[r]}]")
        tr = make_trend(t[sel], dfs[r])
        if tr.df:
            P = np.zeros((n, tr.df))
            P[sel] = tr.basis(t[sel])
            cols.append(P)
            names += tr.names if R == 1 else [f"{nm}[{labels[r]}]" for nm in tr.names]
    return np.hstack(cols), names


def _caps(regime: np.ndarray, labels: list[str]) -> list[int]:
    """The largest df each regime may have; errors for a regime too short to stand alone."""
    caps = []
    for r, label in enumerate(labels):
        m = int((regime == r).sum())
        if len(labels) > 1 and m < MIN_REGIME_MONTHS:
            raise SeasonalityInputError(
                f"regime {label} has {m} months; each regime needs at least "
                f"{MIN_REGIME_MONTHS} to estimate its own seasonal profile."
            )
        caps.append(max(trend_grid(np.arange(m) / 12)))
    return caps


def trend_design(y: np.ndarray, M: np.ndarray, offset: np.ndarray, regime: np.ndarray,
                 labels: list[str], trend) -> tuple[np.ndarray, list[str], list[int],
                                                    pd.DataFrame | None]:
    """The trend columns, their names, the df of each regime and, for ``"auto"``, the
    AIC of the month-effects model ``[T, M]`` by df (None when the trend is given)."""
    try:
        choice = parse_trend(trend)
    except AnalysisError as err:
        raise SeasonalityInputError(str(err)) from err
    caps = _caps(regime, labels)
    if choice != "auto":
        try:
            return (*regime_trends(regime, labels, [choice] * len(labels)),
                    [choice] * len(labels), None)
        except AnalysisError as err:
            raise SeasonalityInputError(f"{err}; lower trend") from err

    longest = max(range(len(labels)), key=lambda r: (regime == r).sum())
    t_long = np.arange(int((regime == longest).sum())) / 12
    grid = [k for k in trend_grid(t_long, len(y), n_events=float(np.nansum(y)))
            if sum(min(k, c) + 1 for c in caps) + 12 + 6 <= len(y)] or [0]
    T_max, _ = regime_trends(regime, labels, [min(max(grid), c) for c in caps])
    alpha = fit_nb_moment(y, np.hstack([T_max, M]), offset).alpha

    def aic(tr) -> float:
        T, _ = regime_trends(regime, labels, [min(tr.df, c) for c in caps])
        return -2 * nb_llf_fixed(y, np.hstack([T, M]), offset, alpha) + 2 * (T.shape[1] + 12)

    chosen, table = choose_trend(t_long, aic, grid=grid)
    dfs = [min(chosen.df, c) for c in caps]
    return (*regime_trends(regime, labels, dfs), dfs, table)
