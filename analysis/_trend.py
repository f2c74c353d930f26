"""Smooth time trends whose flexibility the data choose.

A trend ``f(t)`` on the log scale of a rate, with ``t`` in years, is one of

* ``df = 0``: no trend (a constant level);
* ``df = 1``: a straight line, ``f(t) = b (t - t_mid)``, so ``exp(b)`` is the rate ratio
  per year;
* ``df = k >= 2``: a natural cubic regression spline with ``k`` centred basis columns
  (patsy's ``cr(t, df=k, constraints="center")``, knots at quantiles of ``t``).

``trend="auto"`` fits every ``df`` of a small grid and keeps the one with the lowest AIC
(:func:`choose_trend`). The grid stops at one degree of freedom per year of data, so a
trend can follow a surge or a collapse over years but cannot absorb the within-year
season, which the harmonics describe.

Outside the observed range the trend is held at its value at the nearest end
(:meth:`Trend.basis` clips ``t``). A forecast or a simulation therefore never
extrapolates a spline, whose log-linear tails would grow without bound.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .errors import InputError

__all__ = ["TREND_GRID", "Trend", "choose_trend", "make_trend", "parse_trend", "trend_grid"]

#: Degrees of freedom ``trend="auto"`` chooses among (cut to the span of the data).
TREND_GRID: tuple[int, ...] = (0, 1, 2, 3, 4, 5, 6, 8, 10, 12)


def parse_trend(trend: Any) -> str | int:
    """Normalise a ``trend`` argument: ``"auto"`` or a whole number of degrees of freedom.

    ``None``/``False``/``"none"``/``"constant"`` -> 0, ``True``/``"linear"`` -> 1.
    """
    if isinstance(trend, str):
        key = trend.strip().lower()
        if key == "auto":
            return "auto"
        if key in ("none", "constant"):
            return 0
        if key == "linear":
            return 1
        raise InputError(f"trend must be 'auto', 'linear', 'none' or a whole number of degrees of freedom (got {trend!r})")
    if trend is None or trend is False:
        return 0
    if trend is True:
        return 1
    if isinstance(trend, int | np.integer) and trend >= 0:
        return int(trend)
    raise InputError(f"trend must be 'auto', 'linear', 'none' or a whole number >= 0 (got {trend!r})")


def trend_grid(t_years: np.ndarray, n_obs: int | None = None, grid: Sequence[int] = TREND_GRID,
               n_events: float | None = None) -> list[int]:
    """The degrees of freedom ``"auto"`` may use for data observed at ``t_years``.

    At most one per full year of data, at most a tenth of the observations, at most one
    per ten events counted (``n_events``; a spline through a few events per year runs
    to zero between them and its intervals blow up), and never fewer than the constant
    and the straight line. The data cover the span of the times plus one step (96
    monthly periods are eight years of data, not 7.92).
    """
    t = np.sort(np.asarray(t_years, dtype=float))
    step = float(np.median(np.diff(t))) if t.size > 1 else 0.0
    span = float(t[-1] - t[0]) + step if t.size else 0.0
    n = int(n_obs if n_obs is not None else t.size)
    cap = max(1, min(int(np.floor(span)), n // 10))
    if n_events is not None and np.isfinite(n_events):
        cap = max(1, min(cap, int(n_events // 10)))
    return [k for k in grid if k <= cap] or [0, 1]


@dataclass(frozen=True, eq=False)
class Trend:
    """A fitted trend basis: ``basis(t)`` gives its design columns at times ``t`` (years)."""

    df: int
    lower: float
    upper: float
    centre: float
    _design_info: Any = field(default=None, repr=False)

    @property
    def names(self) -> list[str]:
        """Column names: ``["trend"]`` for a line, ``["trend_1", ...]`` for a spline."""
        if self.df == 0:
            return []
        if self.df == 1:
            return ["trend"]
        return [f"trend_{i + 1}" for i in range(self.df)]

    @property
    def label(self) -> str:
        """Plain words, for summaries: "none", "linear" or "spline, 4 df"."""
        return {0: "none", 1: "linear"}.get(self.df, f"natural cubic spline, {self.df} df")

    def basis(self, t_years) -> np.ndarray:
        """The ``(n, df)`` design columns at ``t_years``, held constant beyond the data."""
        t = np.clip(np.asarray(t_years, dtype=float), self.lower, self.upper)
        if self.df == 0:
            return np.zeros((t.size, 0))
        if self.df == 1:
            return (t - self.centre).reshape(-1, 1)
        import patsy

        (mat,) = patsy.build_design_matrices([self._design_info], {"t": t})
        return np.asarray(mat, dtype=float)

    def frame(self, t_years, index=None) -> pd.DataFrame:
        """:meth:`basis` as a DataFrame with :attr:`names` as columns."""
        return pd.DataFrame(self.basis(t_years), columns=self.names, index=index)


def make_trend(t_years, df: int) -> Trend:
    """The trend basis with ``df`` degrees of freedom for data observed at ``t_years``."""
    t = np.asarray(t_years, dtype=float)
    if t.size == 0 or not np.isfinite(t).all():
        raise InputError("a trend needs finite times")
    lo, hi = float(t.min()), float(t.max())
    centre = (lo + hi) / 2
    if df <= 1:
        return Trend(int(df), lo, hi, centre)
    if np.unique(t).size < df + 2:
        raise InputError(f"a spline trend with {df} df needs at least {df + 2} distinct times")
    import patsy

    mat = patsy.dmatrix(f'cr(t, df={int(df)}, constraints="center") - 1', {"t": t})
    return Trend(int(df), lo, hi, centre, mat.design_info)


def choose_trend(
    t_years,
    fit: Callable[[Trend], float],
    *,
    grid: Sequence[int] | None = None,
    n_obs: int | None = None,
) -> tuple[Trend, pd.DataFrame]:
    """Fit a model once per trend in the grid and keep the lowest AIC.

    ``fit(trend)`` fits the model with that trend and returns its AIC (``inf`` when the
    fit fails). Returns the chosen :class:`Trend` and the table of AIC by ``df``
    (column ``chosen`` marks the winner). Ties go to the simpler trend.
    """
    dfs = list(grid) if grid is not None else trend_grid(t_years, n_obs)
    rows = []
    for k in dfs:
        try:
            trend = make_trend(t_years, k)
        except InputError:
            continue
        try:
            aic = float(fit(trend))
        except (np.linalg.LinAlgError, ValueError, FloatingPointError):
            aic = float("inf")
        rows.append((k, aic, trend))
    finite = [r for r in rows if np.isfinite(r[1])]
    if not finite:
        raise InputError("no trend in the grid could be fitted to these data")
    best = min(finite, key=lambda r: (r[1], r[0]))
    table = pd.DataFrame(
        {"df": [r[0] for r in rows], "aic": [r[1] for r in rows]}
    ).set_index("df")
    table["chosen"] = table.index == best[0]
    return best[2], table
