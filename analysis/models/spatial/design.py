"""The endemic–epidemic model's design: checked inputs turned into aligned arrays.

Rows are the periods ``t = 1, ..., T-1`` of the panel (the first period only supplies
the lagged counts, as R surveillance's ``hhh4`` conditions on it); columns are the
units. The endemic covariates are shared by all units: an intercept, optionally the
time ``t`` (0 in the first period, as R's ``t``), and ``harmonics`` sine-cosine pairs
``sin(2 pi k t / period)``, ``cos(2 pi k t / period)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ...errors import InputError
from .weights import PowerLawWeights, fixed_weights

__all__ = ["FAMILIES", "Design", "build_design", "endemic_names"]

FAMILIES = ("negbin1", "poisson")


def endemic_names(trend: bool, harmonics: int, units=None) -> list[str]:
    """Names of the endemic coefficients: the intercept (one per unit when ``units`` is
    given), then the covariates in the order of the design's columns."""
    names = ["end_intercept"] if units is None else [f"end_intercept_{u}" for u in units]
    names += ["end_trend"] if trend else []
    for k in range(1, harmonics + 1):
        names += [f"end_sin_{k}", f"end_cos_{k}"]
    return names


def endemic_covariates(
    t: np.ndarray, trend: bool, harmonics: int, period: float, intercept: bool = True
) -> np.ndarray:
    """The endemic design matrix at times ``t`` (one row per time)."""
    cols = ([np.ones_like(t, dtype=float)] if intercept else []) + ([t.astype(float)] if trend else [])
    for k in range(1, harmonics + 1):
        w = 2.0 * np.pi * k * t / period
        cols += [np.sin(w), np.cos(w)]
    return np.column_stack(cols) if cols else np.empty((len(t), 0))


@dataclass
class Design:
    """Aligned arrays of one fit (rows: periods 2..T of the panel; columns: units)."""

    y: np.ndarray  # counts (0 where missing)
    ylag: np.ndarray  # counts one period earlier (0 where missing)
    expo: np.ndarray  # endemic offset e_it (population fractions)
    x: np.ndarray  # endemic covariates shared by the units, rows × p
    observed: np.ndarray | None  # cells in the likelihood (None: all)
    orders: np.ndarray  # units × units adjacency orders
    family: str
    names: list[str]
    fixed_w: np.ndarray | None = None  # fixed weights (None under power-law)
    powerlaw: PowerLawWeights | None = None
    n_alpha: int = 0  # unit-specific endemic intercepts (0: one shared, in x)
    values: np.ndarray = field(init=False)  # distinct counts in the likelihood
    freqs: np.ndarray = field(init=False)  # how often each occurs
    const: float = field(init=False)  # sum of log(y!) over the likelihood's cells

    def __post_init__(self):
        from scipy.special import gammaln

        cells = self.y if self.observed is None else self.y[self.observed]
        self.values, self.freqs = np.unique(cells, return_counts=True)
        self.freqs = self.freqs.astype(float)
        self.const = float(self.freqs @ gammaln(self.values + 1.0))
        if self.fixed_w is not None:
            self.ne_lag = self.ylag @ self.fixed_w

    @property
    def n_end(self) -> int:
        """Number of endemic coefficients (unit intercepts, then x's columns)."""
        return self.n_alpha + self.x.shape[1]

    @property
    def n_obs(self) -> int:
        return int(self.y.size if self.observed is None else self.observed.sum())

    def neighbour_sums(self, d: float | None, derivatives: int = 0):
        """``sum_j w_ji y_j,t-1`` for every cell (and its derivatives in ``d``)."""
        if self.powerlaw is None:
            return (self.ne_lag,) + (np.zeros_like(self.ne_lag),) * derivatives
        ws = self.powerlaw(d, derivatives) if derivatives else (self.powerlaw(d),)
        return tuple(self.ylag @ w for w in ws)


def _counts_array(counts: pd.DataFrame) -> np.ndarray:
    if not isinstance(counts, pd.DataFrame) or not isinstance(counts.index, pd.DatetimeIndex):
        raise InputError("counts must be a DataFrame of periods × units with a DatetimeIndex")
    if counts.shape[1] < 1 or counts.shape[0] < 3:
        raise InputError(f"counts has shape {counts.shape}; it needs at least 3 periods and 1 unit")
    if not counts.columns.is_unique:
        raise InputError("counts has repeated unit columns")
    try:
        y = counts.astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    except (TypeError, ValueError) as exc:
        raise InputError(f"counts must be numeric: {exc}") from None
    ok = np.isnan(y) | ((y >= 0) & (y == np.round(y)) & np.isfinite(y))
    if not ok.all():
        raise InputError("counts must be non-negative whole numbers (NA for missing)")
    return y


def _orders_array(neighbours: pd.DataFrame, units: pd.Index) -> np.ndarray:
    if not isinstance(neighbours, pd.DataFrame):
        raise InputError("neighbours must be a units × units DataFrame of adjacency orders")
    missing = [u for u in units if u not in neighbours.index or u not in neighbours.columns]
    if missing:
        raise InputError(f"neighbours lacks the units {missing[:5]} of counts")
    o = neighbours.loc[units, units].to_numpy(dtype=float)
    if np.isnan(o).any() or (o < 0).any() or (o != np.round(o)).any():
        raise InputError("neighbours must hold non-negative whole adjacency orders")
    if (np.diag(o) != 0).any():
        raise InputError("neighbours must have order 0 on its diagonal (a unit and itself)")
    return o.astype(np.int64)


def _exposure(population, counts: pd.DataFrame) -> np.ndarray:
    shape = counts.shape
    if population is None:
        return np.ones(shape)
    if isinstance(population, pd.DataFrame):
        e = population.reindex(index=counts.index, columns=counts.columns).to_numpy(dtype=float)
    else:
        s = pd.Series(population)
        missing = [u for u in counts.columns if u not in s.index]
        if missing:
            raise InputError(f"population lacks the units {missing[:5]}")
        e = np.broadcast_to(s.reindex(counts.columns).to_numpy(dtype=float), shape)
    if not (np.isfinite(e) & (e > 0)).all():
        raise InputError("population must be positive and finite for every unit (and period)")
    return np.array(e, dtype=float)


def build_design(
    counts: pd.DataFrame, neighbours: pd.DataFrame, population, *, trend: bool,
    harmonics: int, period: float, family: str, weights, unit_intercepts: bool = False,
) -> Design:
    """Check the inputs and build the arrays of a fit on periods 2..T."""
    if family not in FAMILIES:
        raise InputError(f"family must be one of {FAMILIES}, not {family!r}")
    if int(harmonics) != harmonics or harmonics < 0:
        raise InputError(f"harmonics must be a whole number >= 0, not {harmonics!r}")
    if harmonics and not period > 0:
        raise InputError(f"period must be positive, not {period!r}")
    y_all = _counts_array(counts)
    orders = _orders_array(neighbours, counts.columns)
    expo = _exposure(population, counts)[1:]
    y, ylag = y_all[1:], y_all[:-1]
    missing = np.isnan(y) | np.isnan(ylag)
    powerlaw = isinstance(weights, str) and weights == "powerlaw"
    support = PowerLawWeights(orders).support if powerlaw else fixed_weights(orders, weights) > 0
    missing |= (np.isnan(ylag).astype(float) @ support.astype(float)) > 0
    t = np.arange(1, len(y_all), dtype=float)
    units = list(counts.columns) if unit_intercepts else None
    names = ["ar", "ne", *endemic_names(trend, int(harmonics), units)]
    names += (["ne_decay"] if powerlaw else []) + (["overdispersion"] if family == "negbin1" else [])
    return Design(
        y=np.nan_to_num(y), ylag=np.nan_to_num(ylag), expo=expo,
        x=endemic_covariates(t, trend, int(harmonics), period, intercept=not unit_intercepts),
        observed=~missing if missing.any() else None, orders=orders, family=family,
        names=names, fixed_w=None if powerlaw else fixed_weights(orders, weights),
        powerlaw=PowerLawWeights(orders) if powerlaw else None,
        n_alpha=len(units) if unit_intercepts else 0,
    )
