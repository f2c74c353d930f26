"""Checks of what :func:`analysis.fit_frequency` is given: the count series, the model
options, the break dates, the extra regressors and the exposure. Nothing is dropped,
filled or regularised silently: a series that cannot be fitted as given is an error
that says what to do."""

from __future__ import annotations

import dataclasses
import warnings
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ..._periods import freq_key, periods_per_year, regular_index
from ...errors import AnalysisWarning, InputError

__all__ = ["FrequencyInputError", "IrregularSeriesError", "Options", "check_series"]


class FrequencyInputError(InputError):
    """The series or the arguments of :func:`fit_frequency` cannot be fitted."""


class IrregularSeriesError(FrequencyInputError):
    """The series index is not a regular DatetimeIndex."""


def _as_series(series) -> pd.Series:
    if isinstance(series, pd.DataFrame):
        if series.shape[1] != 1:
            raise FrequencyInputError(
                "fit_frequency takes one count series; got a DataFrame with "
                f"{series.shape[1]} columns (select one, e.g. counts['ISKP'])"
            )
        series = series.iloc[:, 0]
    if not isinstance(series, pd.Series):
        raise FrequencyInputError(f"series must be a pandas Series of counts, not {type(series).__name__}")
    if not isinstance(series.index, pd.DatetimeIndex):
        raise IrregularSeriesError(
            "series must have a DatetimeIndex (build it with analysis.incident_counts)"
        )
    idx = series.index
    if not idx.is_monotonic_increasing or idx.has_duplicates:
        raise IrregularSeriesError("series index must be increasing without duplicate dates")
    regular = regular_index(idx)
    if regular is None:
        raise IrregularSeriesError(
            "series index is irregular (uneven spacing or missing periods); build it with "
            "analysis.incident_counts, or regularise with series.asfreq('MS') and decide "
            "what the new periods hold"
        )
    if regular is not idx:
        series = series.set_axis(regular)
    return series


def check_series(series) -> tuple[pd.Series, str]:
    """The counts as a float Series on a regular index, and the frequency key."""
    series = _as_series(series)
    key = freq_key(series.index, period_starts=True, error=IrregularSeriesError)
    values = pd.to_numeric(series, errors="coerce").astype("Float64")
    n_na = int(values.isna().sum())
    if n_na:
        where = list(series.index[values.isna().to_numpy()][:5].strftime("%Y-%m-%d"))
        raise FrequencyInputError(
            f"series has {n_na} missing values (periods outside the data's coverage?), first at "
            f"{where}; fit a covered span (series.loc[start:end]) - missing periods are never "
            "dropped or filled silently"
        )
    y = values.to_numpy(dtype="float64")
    if np.any(y < 0):
        raise FrequencyInputError("counts must be non-negative")
    if np.any(np.abs(y - np.round(y)) > 1e-9):
        raise FrequencyInputError(
            "counts must be whole numbers (incident_counts(window='spread') gives fractional "
            "counts; use window='date' for modelling)"
        )
    if np.all(y == 0):
        raise FrequencyInputError("series is all zeros: there is nothing to model")
    return pd.Series(np.round(y), index=series.index, name=series.name or "count"), key


@dataclasses.dataclass(frozen=True)
class Options:
    """The model options of a fit, checked and normalised."""

    key: str
    family: str
    seasonal: str | None
    harmonics: int
    ar_lags: tuple[int, ...]
    mean_lags: tuple[int, ...]
    link: str

    @property
    def autoregressive(self) -> bool:
        return bool(self.ar_lags or self.mean_lags)

    @classmethod
    def check(cls, key, *, family, seasonal, harmonics, ar_lags, mean_lags, link) -> Options:
        if family not in ("negbin", "poisson"):
            raise FrequencyInputError(f"family must be 'negbin' or 'poisson', not {family!r}")
        seasonal = None if seasonal is False else seasonal
        if seasonal not in (None, "fourier", "dummies"):
            raise FrequencyInputError(f"seasonal must be 'fourier', 'dummies' or None, not {seasonal!r}")
        ar_lags = tuple(sorted({int(k) for k in ar_lags}))
        mean_lags = tuple(sorted({int(k) for k in mean_lags}))
        if any(k < 1 for k in ar_lags + mean_lags):
            raise FrequencyInputError("ar_lags and mean_lags must be positive integers")
        link = link or "log"
        if link not in ("log", "identity"):
            raise FrequencyInputError("link must be 'log' or 'identity'")
        if link == "identity" and not (ar_lags or mean_lags):
            raise FrequencyInputError("link='identity' is for INGARCH models; give ar_lags/mean_lags")
        _check_seasonal(key, seasonal, harmonics, link)
        harmonics = int(harmonics) if seasonal == "fourier" else 0
        return cls(key, family, seasonal, harmonics, ar_lags, mean_lags, link)


def _check_seasonal(key: str, seasonal, harmonics, link: str) -> None:
    if seasonal and key == "YS":
        raise FrequencyInputError("a yearly series has no seasonality: use seasonal=None")
    if seasonal != "fourier":
        return
    max_h = int(periods_per_year(key) // 2)
    if not 1 <= int(harmonics) <= max_h:
        raise FrequencyInputError(f"harmonics must be between 1 and {max_h} for a {key} series")
    if link == "identity":
        raise FrequencyInputError(
            "the identity link needs non-negative regressors; Fourier terms are negative "
            "half the time: use link='log' (the log-linear count autoregression)"
        )


def check_breaks(breaks: Sequence | Mapping, idx: pd.DatetimeIndex) -> tuple[tuple[str, pd.Timestamp], ...]:
    """(name, date) of each break, in date order; each must have data on both sides."""
    if isinstance(breaks, Mapping):
        items = [(str(k), pd.Timestamp(v)) for k, v in breaks.items()]
    else:
        dates = [breaks] if isinstance(breaks, (str, pd.Timestamp)) else breaks
        items = [(None, pd.Timestamp(b)) for b in dates]
    last_day = idx[-1] + idx.freq - pd.Timedelta(days=1)
    out = []
    for name, when in sorted(items, key=lambda kv: kv[1]):
        if not idx[0] < when <= last_day:
            raise FrequencyInputError(
                f"break {when.date()} is outside the series ({idx[0].date()} to {idx[-1].date()}); "
                "a regime needs data on both sides"
            )
        out.append((name or f"regime {when:%Y-%m-%d}", when))
    return tuple(out)


def check_xreg(xreg, idx: pd.DatetimeIndex) -> pd.DataFrame | None:
    """Extra regressors aligned with the series, or None."""
    if xreg is None:
        return None
    out = pd.DataFrame(xreg).copy()
    if len(out) != len(idx):
        raise FrequencyInputError(f"xreg has {len(out)} rows, the series {len(idx)}")
    out.index = idx
    if out.isna().any().any():
        raise FrequencyInputError("xreg has missing values")
    return out


def check_exposure(exposure, idx: pd.DatetimeIndex, opts: Options) -> pd.Series | None:
    """The exposure as a Series, or None."""
    if exposure is None:
        return None
    e = np.asarray(exposure, dtype=float)
    if e.shape != (len(idx),) or np.any(~np.isfinite(e)) or np.any(e <= 0):
        raise FrequencyInputError("exposure must be positive and finite, one value per period")
    if opts.autoregressive:
        raise FrequencyInputError("exposure is not supported with ar_lags/mean_lags; add it to xreg")
    return pd.Series(e, index=idx, name="exposure")


def check_design(y: np.ndarray, X: pd.DataFrame, breaks, opts: Options) -> list[str]:
    """Checks that the data can identify the model; returns notes to report (and warns
    when seasonal terms are poorly identified)."""
    n = len(y)
    for name, _ in breaks:
        col = X[name]
        if col.sum() < 1 or (1 - col).sum() < 1:
            raise FrequencyInputError(f"{name}: less than one period on one side of the break")
    k = X.shape[1] + len(opts.ar_lags) + len(opts.mean_lags) + (opts.family == "negbin")
    if n < k + 5:
        raise FrequencyInputError(
            f"series too short: {n} periods for {k} parameters (need at least {k + 5}); "
            "use fewer terms (trend='none', seasonal=None, fewer harmonics) or more data"
        )
    notes = []
    if opts.seasonal and n < 2 * periods_per_year(opts.key):
        notes.append("fewer than two years of data: seasonal estimates are weak")
        warnings.warn(
            f"series covers {n} periods, fewer than two years: seasonal terms are poorly "
            "identified (consider seasonal=None)", AnalysisWarning, stacklevel=3)
    if opts.autoregressive and n <= max(opts.ar_lags + opts.mean_lags) + 5:
        raise FrequencyInputError("series too short for the requested lags")
    if np.count_nonzero(y) < 3:
        raise FrequencyInputError("series has fewer than 3 non-zero counts: too little to fit a model")
    for c in X.columns:
        if c != "const" and np.ptp(X[c].to_numpy()) == 0:
            raise FrequencyInputError(f"regressor {c!r} is constant over the series; drop it")
    return notes
