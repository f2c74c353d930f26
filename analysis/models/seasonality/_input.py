"""Input checks of the seasonal count models (also used by :mod:`..calendar_effects`):
count series with a regular DatetimeIndex, their values, and the common options."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from ...errors import InputError

MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class SeasonalityInputError(InputError):
    """The series cannot be analysed as given (too short, gaps, wrong frequency, ...)."""


def as_datetime_index(series: pd.Series, what: str) -> pd.Series:
    """``series`` with a sorted, unique, tz-naive DatetimeIndex (a PeriodIndex is converted
    to period starts)."""
    if not isinstance(series, pd.Series):
        raise SeasonalityInputError(
            f"{what} must be a pandas Series of counts with a DatetimeIndex, got "
            f"{type(series).__name__}. Build one with analysis.incident_counts(df, freq=...)."
        )
    idx = series.index
    if isinstance(idx, pd.PeriodIndex):
        series = series.copy()
        series.index = idx.to_timestamp(how="start")
        idx = series.index
    if not isinstance(idx, pd.DatetimeIndex):
        raise SeasonalityInputError(
            f"{what} must have a DatetimeIndex (got {type(idx).__name__}). "
            "Use analysis.incident_counts(df, freq=...), or set the index with pd.to_datetime."
        )
    if idx.tz is not None:
        series = series.copy()
        series.index = idx.tz_localize(None)
    if len(series) == 0:
        raise SeasonalityInputError(f"{what} is empty.")
    if not series.index.is_monotonic_increasing or series.index.has_duplicates:
        raise SeasonalityInputError(
            f"{what} has an unsorted or duplicated index; sort it and aggregate duplicates "
            "(series.groupby(level=0).sum().sort_index())."
        )
    return series


def as_counts(series: pd.Series, what: str) -> np.ndarray:
    """Float array of non-negative integer counts; errors on NA, negatives, fractions."""
    try:
        values = pd.to_numeric(series, errors="raise").astype("Float64")
    except (TypeError, ValueError) as err:
        raise SeasonalityInputError(f"{what} must hold numeric counts: {err}") from err
    na = values.isna().to_numpy()
    if na.any():
        where = ", ".join(str(d.date()) for d in series.index[na][:5])
        more = "" if na.sum() <= 5 else f" and {int(na.sum()) - 5} more"
        raise SeasonalityInputError(
            f"{what} has {int(na.sum())} missing value(s) (at {where}{more}). STL and the count "
            "models cannot take NA (statsmodels #8526). NA means 'outside the coverage' in "
            "incident_counts: trim the series to its coverage (series.loc[start:end]); fill "
            "with 0 only periods that truly had no incidents."
        )
    y = values.to_numpy(dtype="float64")
    if not np.isfinite(y).all():
        raise SeasonalityInputError(f"{what} contains infinite values.")
    if (y < 0).any():
        raise SeasonalityInputError(f"{what} has negative values; counts must be >= 0.")
    if not np.allclose(y, np.round(y)):
        raise SeasonalityInputError(
            f"{what} has non-integer values; the count models need whole counts "
            "(incidents, or best-estimate deaths)."
        )
    return y


def on_regular_grid(series: pd.Series, starts: pd.DatetimeIndex, freq: str,
                    message: Callable[[pd.DatetimeIndex], str]) -> pd.Series:
    """``series`` re-indexed by ``starts`` (its period starts) with frequency ``freq``;
    raises with ``message(missing periods)`` when periods are absent."""
    expected = pd.date_range(starts[0], starts[-1], freq=freq)
    if len(expected) != len(starts):
        raise SeasonalityInputError(message(expected.difference(starts)))
    out = series.copy()
    out.index = pd.DatetimeIndex(expected, freq=freq, name=series.index.name)
    return out


def _not_monthly(step: pd.Series, what: str) -> str | None:
    """Why index steps of ``step`` days are not monthly (None when they may be)."""
    if step.max() <= 1:
        return (f"{what} looks daily (one row per day) but period=12 expects monthly counts. "
                "Aggregate first: series.resample('MS').sum(), or "
                "analysis.incident_counts(df, freq='MS'). For the Ramadan effect on daily "
                "counts use analysis.ramadan_effect.")
    if step.min() >= 89:
        return (f"{what} looks quarterly or annual (rows at least 89 days apart); the "
                "month-of-year analysis needs monthly counts (incident_counts(df, freq='MS')).")
    if step.max() <= 7 and step.min() >= 7:
        return (f"{what} looks weekly but period=12 expects monthly counts. Aggregate first: "
                "series.resample('MS').sum().")
    return None


def check_monthly(series: pd.Series, what: str = "series") -> pd.Series:
    """Return ``series`` with a regular month-start index, or raise a clear error."""
    series = as_datetime_index(series, what)
    idx = series.index
    if len(idx) >= 2:
        why = _not_monthly(pd.Series(idx).diff().dropna().dt.days, what)
        if why:
            raise SeasonalityInputError(why)
    if not ((idx.day == 1).all() or idx.is_month_end.all()):
        raise SeasonalityInputError(
            f"{what} has an irregular index (dates not all on the first or last day of a "
            "month). Pass a regular monthly series as analysis.incident_counts(df, freq='MS') "
            "returns, or series.resample('MS').sum()."
        )

    def gaps(missing: pd.DatetimeIndex) -> str:
        where = ", ".join(f"{d:%Y-%m}" for d in missing[:5])
        return (f"{what} is irregular: {len(missing)} month(s) are absent from the index "
                f"(e.g. {where}). Reindex to every month of the coverage "
                "(series.asfreq('MS')) and decide explicitly which months are 0 and which are "
                "outside the coverage.")

    return on_regular_grid(series, idx.to_period("M").to_timestamp(how="start"), "MS", gaps)


def empty_months(y: np.ndarray, months: np.ndarray) -> list[str]:
    """Names of the calendar months with no events in ``y``."""
    return [MONTH_NAMES[m - 1] for m in range(1, 13) if y[months == m].sum() == 0]


def check_conf_level(conf_level: float) -> None:
    """``conf_level`` is strictly between 0 and 1."""
    if not 0 < conf_level < 1:
        raise SeasonalityInputError(f"conf_level must be in (0, 1); got {conf_level}")
