"""Calendar dates from the date text of real files, never raising.

A canonical date is a calendar day. Files carry more: a time of day
(``2021-08-26 10:30``), a zone (``2021-08-26T10:30:00Z``), an offset
(``2021-08-26T01:00:00+04:30``), or several offsets in one column. Each such
timestamp is read as the calendar date *in its own offset*, the day its writer saw on
the calendar (``2021-08-26T01:00:00+04:30`` is 26 August, although it is 25 August in
UTC), so no date moves by a day because of where it was recorded. Text that is not an
ISO 8601 date or timestamp gives NaT, to be reported by the caller; nothing raises.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["calendar_dates", "to_calendar_day"]

#: An ISO 8601 date, optionally with a time of day and a zone or offset: group 1 is
#: the date as written.
ISO_TIMESTAMP = (
    r"^(\d{4}-\d{2}-\d{2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)?"
    r"\s*(?:Z|UTC|[+-]\d{2}(?::?\d{2})?)?$"
)


def to_calendar_day(values: pd.Series) -> pd.Series:
    """Datetimes (naive or with a zone) as naive ``datetime64[ns]`` calendar days: a
    zone's wall-clock date is kept, the time of day dropped."""
    if getattr(values.dt, "tz", None) is not None:
        values = values.dt.tz_localize(None)  # wall time in its own zone
    values = values.astype("datetime64[ns]")
    v = values.to_numpy()
    day = v.astype("datetime64[D]").astype("datetime64[ns]")
    if np.array_equal(day, v, equal_nan=True):
        return values
    return pd.Series(day, index=values.index)


def _arrow_days(text: pd.Series) -> pd.Series | None:
    """Fast path: every value is a naive ISO date or timestamp (pyarrow cast)."""
    try:
        cast = text.astype("timestamp[ns][pyarrow]")
    except Exception as exc:  # pyarrow.ArrowInvalid and friends, ValueError, TypeError
        if isinstance(exc, (ValueError, TypeError)) or type(exc).__module__.startswith("pyarrow"):
            return None
        raise
    return to_calendar_day(cast.astype("datetime64[ns]"))


def _one_iso(value: str) -> pd.Timestamp:
    """One ISO 8601 text that the pattern did not take, or NaT."""
    try:
        ts = pd.to_datetime(value, format="ISO8601")
    except (ValueError, OverflowError, TypeError):
        return pd.NaT
    if pd.isna(ts):
        return pd.NaT
    if ts.tzinfo is not None:
        ts = ts.tz_localize(None)
    return ts.normalize()


def calendar_dates(text: pd.Series) -> pd.Series:
    """The calendar day of each ISO 8601 date or timestamp in ``text``.

    Parameters
    ----------
    text : Series of str
        Stripped text, missing where blank.

    Returns
    -------
    Series of datetime64
        Midnight of the day as written (the date in the value's own offset); NaT where
        the text is missing or is not an ISO 8601 date. The unit is ``ns`` when every
        value is a plain date or naive timestamp, else ``s``, which also holds days
        outside the nanosecond range (years before 1678 or after 2261) for the caller
        to judge. Never raises.
    """
    if not len(text):
        return pd.Series([], index=text.index, dtype="datetime64[ns]")
    fast = _arrow_days(text)
    if fast is not None:
        return fast
    date_part = text.str.extract(ISO_TIMESTAMP, expand=False)
    out = pd.to_datetime(date_part, format="%Y-%m-%d", errors="coerce").astype("datetime64[s]")
    rest = (text.notna() & date_part.isna()).to_numpy()
    if rest.any():  # other ISO 8601 forms (20210826, 2021-W34-4 ...), value by value
        codes, uniques = pd.factorize(text[rest])
        days = np.array([_one_iso(u).to_datetime64() for u in uniques], dtype="datetime64[s]")
        values = out.to_numpy(copy=True)
        values[rest] = days[codes]
        out = pd.Series(values, index=text.index)
    return out
