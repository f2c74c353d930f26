"""The daily counts of the Ramadan model, from a canonical incident frame (incidents
dated to one day, the others counted as excluded) or from a regular daily Series."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..seasonality._input import (
    SeasonalityInputError,
    as_counts,
    as_datetime_index,
    on_regular_grid,
)
from .hijri import check_range

__all__ = ["daily_counts", "daily_input"]


def _daily_from_frame(df: pd.DataFrame, start, end) -> tuple[pd.Series, int]:
    if "date" not in df.columns:
        raise SeasonalityInputError(
            "the incident frame has no 'date' column; pass a canonical frame "
            "(analysis.load_incidents()) or a daily count Series."
        )
    date = pd.to_datetime(df["date"])
    if date.isna().any():
        raise SeasonalityInputError(
            f"{int(date.isna().sum())} incident(s) have no date; fix or drop them first."
        )
    date = date.dt.normalize()
    earliest = pd.to_datetime(df["date_earliest"]).dt.normalize() if "date_earliest" in df else date
    latest = pd.to_datetime(df["date_latest"]).dt.normalize() if "date_latest" in df else date
    earliest, latest = earliest.fillna(date), latest.fillna(date)
    one_day = (earliest == date) & (latest == date)
    n_excluded = int((~one_day).sum())
    kept = date[one_day]
    if kept.empty:
        raise SeasonalityInputError(
            "no incident is dated to a single day; the daily Ramadan model needs day-precise dates."
        )
    first = pd.Timestamp(start) if start is not None else kept.min()
    last = pd.Timestamp(end) if end is not None else kept.max()
    counts = kept.value_counts()
    idx = pd.date_range(first.normalize(), last.normalize(), freq="D", name="date")
    daily = counts.reindex(idx, fill_value=0).astype("int64")
    return daily.rename("incidents"), n_excluded


def _check_daily(series: pd.Series) -> pd.Series:
    s = as_datetime_index(series, "series")
    idx = s.index
    if not (idx == idx.normalize()).all():
        raise SeasonalityInputError("the daily series has times of day in its index; normalise it.")

    def gaps(missing: pd.DatetimeIndex) -> str:
        step = pd.Series(idx).diff().dropna().dt.days
        hint = " It looks monthly/weekly: the Ramadan effect needs daily counts." if step.min() >= 7 else ""
        return (f"the series is not a regular daily series ({len(missing)} day(s) missing "
                f"between {idx[0].date()} and {idx[-1].date()}).{hint} Use "
                "analysis.incident_counts(df, freq='D') or series.asfreq('D') and decide which "
                "days are 0.")

    return on_regular_grid(s, idx, "D", gaps)


def daily_input(data, start, end) -> tuple[pd.Series, int]:
    """Daily counts from a frame or a daily Series, and the incidents excluded."""
    if isinstance(data, pd.DataFrame):
        return _daily_from_frame(data, start, end)
    if isinstance(data, pd.Series):
        daily = _check_daily(data)
        if start is not None or end is not None:
            daily = daily.loc[start:end]
        return daily, 0
    raise SeasonalityInputError(
        "data must be a canonical incident frame or a daily count Series, got "
        f"{type(data).__name__}."
    )


def daily_counts(daily: pd.Series, adjust: tuple[str, ...]) -> np.ndarray:
    """The checked daily counts: in the Hijri range, not all zero, two years with "month"."""
    check_range(daily.index[0], daily.index[-1])
    y = as_counts(daily, "daily counts")
    if y.sum() == 0:
        raise SeasonalityInputError("the daily counts are all zero; nothing to estimate.")
    if "month" in adjust and len(y) < 730:
        raise SeasonalityInputError(
            f"{len(y)} days: with month-of-year adjustment the Ramadan effect needs at least two "
            "years of daily data (Ramadan moves only ~11 days a year)."
        )
    return y
