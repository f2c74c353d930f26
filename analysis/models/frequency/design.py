r"""The design matrix of a count model of frequency: trend, annual seasonality (Fourier
terms or month/quarter dummies), regime steps and extra regressors.

For period :math:`t` starting on date :math:`d_t`:

* the trend :math:`f(\tau_t)` of :mod:`analysis._trend` in :math:`\tau_t`, years since the
  first period (periods elapsed over periods per year): no column (``df = 0``),
  ``trend`` (a straight line, :math:`\tau_t` minus its mid-range) or ``trend_1`` ...
  ``trend_k`` (a natural cubic spline with ``k`` df), held at its end values beyond the
  fitted span;
* ``cos{k}``, ``sin{k}``: :math:`\cos 2\pi k\phi_t`, :math:`\sin 2\pi k\phi_t` with
  :math:`\phi_t` the position of :math:`d_t` in its year (the sine at the Nyquist
  frequency, identically zero, is left out);
* ``month_02`` ... ``month_12`` / ``quarter_2`` ... ``quarter_4``: dummies against the
  first month or quarter;
* one column per break date: the share of the period on or after it.

A :class:`DesignSpec` keeps what is needed to rebuild the columns for any dates, so
that a forecast uses exactly the terms of the fit.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from ..._periods import periods_per_year, share_after, steps_since, year_phase
from ..._trend import Trend
from .inputs import FrequencyInputError

__all__ = ["SEASONAL_PREFIXES", "DesignSpec"]

#: Name prefixes of the seasonal columns.
SEASONAL_PREFIXES = ("cos", "sin", "month_", "quarter_")


def fourier_columns(index: pd.DatetimeIndex, key: str, harmonics: int) -> dict[str, np.ndarray]:
    """``cos{k}``/``sin{k}`` for ``k = 1..harmonics`` of the annual cycle."""
    phase = year_phase(index, key)
    nyquist = round(periods_per_year(key)) if key in ("MS", "QS") else None
    cols = {}
    for k in range(1, harmonics + 1):
        cols[f"cos{k}"] = np.cos(2 * np.pi * k * phase)
        if nyquist is None or 2 * k != nyquist:
            cols[f"sin{k}"] = np.sin(2 * np.pi * k * phase)
    return cols


def dummy_columns(index: pd.DatetimeIndex, key: str) -> dict[str, np.ndarray]:
    """Month (``MS``) or quarter (``QS``) dummies, the first one as the reference."""
    if key == "MS":
        month = index.month.to_numpy()
        return {f"month_{m:02d}": (month == m).astype(float) for m in range(2, 13)}
    if key == "QS":
        quarter = index.quarter.to_numpy()
        return {f"quarter_{q}": (quarter == q).astype(float) for q in range(2, 5)}
    raise FrequencyInputError("seasonal='dummies' needs a monthly or quarterly series")


@dataclasses.dataclass(frozen=True)
class DesignSpec:
    """What is needed to rebuild the design for any dates (fit and forecast)."""

    key: str
    origin: pd.Timestamp
    trend: Trend
    seasonal: str | None
    harmonics: int
    breaks: tuple[tuple[str, pd.Timestamp], ...]
    xreg_names: tuple[str, ...]
    link: str
    ar_lags: tuple[int, ...]
    mean_lags: tuple[int, ...]

    @property
    def autoregressive(self) -> bool:
        return bool(self.ar_lags or self.mean_lags)

    def years(self, index: pd.DatetimeIndex) -> np.ndarray:
        """Years from the first fitted period to each period of ``index``."""
        return steps_since(self.origin, index, self.key) / periods_per_year(self.key)

    def design(self, index: pd.DatetimeIndex, xreg: pd.DataFrame | None = None) -> pd.DataFrame:
        """The design columns at the periods of ``index`` (``xreg``: the extra
        regressors' values there)."""
        cols: dict[str, np.ndarray] = {}
        if self.link == "log" or not self.autoregressive:
            cols["const"] = np.ones(len(index))
        if self.trend.df:
            cols.update(zip(self.trend.names, self.trend.basis(self.years(index)).T, strict=True))
        if self.seasonal == "fourier":
            cols.update(fourier_columns(index, self.key, self.harmonics))
        elif self.seasonal == "dummies":
            cols.update(dummy_columns(index, self.key))
        for name, when in self.breaks:
            cols[name] = share_after(index, when)
        if self.xreg_names:
            if xreg is None:
                raise FrequencyInputError(
                    f"the model has extra regressors {list(self.xreg_names)}; pass their values"
                )
            for c in self.xreg_names:
                cols[c] = np.asarray(xreg[c], dtype=float)
        return pd.DataFrame(cols, index=index)
