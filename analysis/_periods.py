"""Periods of regular count series, in one place: offset aliases, periods per year, the
name of a period, and the calendar arithmetic of period-start indexes.

The package's count series (from :func:`analysis.incident_counts`) carry one of five
frequencies, each labelling a period by its first day:

====  =======  ================
key   unit     periods per year
====  =======  ================
D     day      365.25
W     week     365.25 / 7
MS    month    12
QS    quarter  4
YS    year     1
====  =======  ================

:func:`freq_key` maps any spelling of these (``"M"``, ``"W-MON"``, ``"QS-JAN"``,
``"AS"``, an index's ``freqstr``) to its key; everything else here takes a key or a
regular :class:`~pandas.DatetimeIndex` of period starts.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .errors import InputError

__all__ = [
    "FREQS",
    "PERIODS_PER_YEAR",
    "UNIT_NAMES",
    "freq_key",
    "next_periods",
    "period_ends",
    "periods_per_year",
    "regular_index",
    "share_after",
    "steps_since",
    "unit_name",
    "year_phase",
]

#: The frequency keys, shortest period first.
FREQS = ("D", "W", "MS", "QS", "YS")
#: Mean number of periods in a (Julian) year.
PERIODS_PER_YEAR = {"D": 365.25, "W": 365.25 / 7, "MS": 12.0, "QS": 4.0, "YS": 1.0}
#: The name of one period, for axis labels and captions ("incidents per month").
UNIT_NAMES = {"D": "day", "W": "week", "MS": "month", "QS": "quarter", "YS": "year"}

# aliases labelled by the period start, and those that pandas labels by the period end
# (accepted as a wish for that period length, e.g. incident_counts(df, "M"))
_STARTS = {"D": "D", "MS": "MS", "QS": "QS", "YS": "YS", "AS": "YS"}
_ENDS = {"M": "MS", "ME": "MS", "Q": "QS", "QE": "QS", "Y": "YS", "YE": "YS", "A": "YS"}


def freq_key(freq, *, period_starts: bool = False, error: type[Exception] = InputError) -> str:
    """The key (``"D"``, ``"W"``, ``"MS"``, ``"QS"`` or ``"YS"``) of a frequency.

    Parameters
    ----------
    freq : str, DateOffset or DatetimeIndex
        An offset alias (any weekly anchor, ``"QS-JAN"``, ...), an offset, or an index
        whose frequency is used.
    period_starts : bool
        Accept only aliases that label a period by its first day (as a series index
        must); otherwise ``"M"``, ``"Q"``, ``"Y"`` and their ``E`` forms are read as the
        wish for that period length.
    error : exception class
        Raised, with a message naming the accepted aliases, for anything else.
    """
    if isinstance(freq, pd.DatetimeIndex):
        freq = freq.freqstr
    elif isinstance(freq, pd.offsets.BaseOffset):
        freq = freq.freqstr
    f = str(freq or "").upper()
    base, _, anchor = f.partition("-")
    if base == "W":
        return "W"
    if base in _STARTS and (not anchor or base in ("QS", "YS", "AS")):
        return _STARTS[base]
    if not period_starts and base in _ENDS and (not anchor or base not in ("M", "ME")):
        return _ENDS[base]
    raise error(
        f"frequency {freq!r} is not supported; use D, W, MS, QS or YS "
        "(analysis.incident_counts builds such series)"
    )


def periods_per_year(freq) -> float:
    """Mean number of periods of ``freq`` in a year (365.25 days)."""
    return PERIODS_PER_YEAR[freq_key(freq)]


def unit_name(freq) -> str:
    """The name of one period of ``freq``: ``"MS" -> "month"``; an alias that is not
    a count-series frequency is returned as given."""
    try:
        return UNIT_NAMES[freq_key(freq)]
    except InputError:
        return str(freq)


def regular_index(index: pd.DatetimeIndex) -> pd.DatetimeIndex | None:
    """``index`` with its frequency set (inferred when missing), or None when it is not
    regular: unsorted, duplicated, unevenly spaced or shorter than three periods with no
    frequency."""
    if not index.is_monotonic_increasing or index.has_duplicates:
        return None
    if index.freq is not None:
        return index
    if len(index) < 3:
        return None
    inferred = pd.DatetimeIndex(index, freq="infer")
    return inferred if inferred.freq is not None else None


def next_periods(index: pd.DatetimeIndex, horizon: int) -> pd.DatetimeIndex:
    """The ``horizon`` periods after the last one of a regular ``index``."""
    return pd.date_range(index[-1] + index.freq, periods=int(horizon), freq=index.freq)


def period_ends(index: pd.DatetimeIndex) -> pd.DatetimeIndex:
    """The first instant after each period (the next period's start)."""
    return index + index.freq


def share_after(index: pd.DatetimeIndex, when) -> np.ndarray:
    """Share of each period of ``index`` on or after ``when``: 0 before, 1 after, and
    the elapsed fraction for the period that contains it (a regime-step regressor)."""
    seconds = "datetime64[s]"
    starts = index.to_numpy().astype(seconds).astype(np.int64)
    ends = period_ends(index).to_numpy().astype(seconds).astype(np.int64)
    w = pd.Timestamp(when).to_datetime64().astype(seconds).astype(np.int64)
    return np.clip((ends - w) / (ends - starts), 0.0, 1.0)


def year_phase(index: pd.DatetimeIndex, key: str) -> np.ndarray:
    """Position of each period start in its calendar year, in [0, 1): exact months and
    quarters for ``"MS"``/``"QS"`` (``(month - 1) / 12``), the day of the year over the
    year's length otherwise."""
    if key == "MS":
        return (index.month.to_numpy() - 1) / 12.0
    if key == "QS":
        return (index.quarter.to_numpy() - 1) / 4.0
    days_in_year = np.where(index.is_leap_year, 366.0, 365.0)
    return (index.day_of_year.to_numpy() - 1) / days_in_year


def steps_since(origin: pd.Timestamp, index: pd.DatetimeIndex, key: str) -> np.ndarray:
    """Number of ``key`` periods from ``origin`` to each date of ``index`` (calendar
    months, quarters and years are counted exactly; days and weeks from the day
    difference)."""
    if key == "MS":
        return ((index.year - origin.year) * 12 + index.month - origin.month).to_numpy(float)
    if key == "QS":
        return ((index.year - origin.year) * 4 + (index.month - origin.month) / 3).to_numpy(float)
    if key == "YS":
        return (index.year - origin.year).to_numpy(float)
    days = (index - origin).days.to_numpy(float)
    return days if key == "D" else days / 7.0
