"""Event times as the Hawkes fits take them: checked, and turned into dating windows.

Each event becomes a window ``[lo, lo + width)`` in days since the origin of the
observation window ``[start, end]``: ``[date_earliest, date_latest + 1 day)`` for a
canonical incident frame, the day itself for day-precision timestamps, the instant
itself for other timestamps, and ``[t, t + resolution)`` for numbers. A width of 0 is
an exact time.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np
import pandas as pd

from ...errors import InputError
from ._scale import DAY

#: fewest events a fit accepts
MIN_EVENTS = 10


class HawkesInputError(InputError):
    """Event times that a Hawkes model cannot be fitted to, and what to do about it."""


@dataclasses.dataclass
class Events:
    """One stream's dating windows, in days since ``origin``, inside ``[start, end]``."""

    lo: np.ndarray  # window start (days since origin)
    width: np.ndarray  # window width (days); 0 = exact
    start: float
    end: float
    origin: pd.Timestamp | None


@dataclasses.dataclass
class _Raw:
    lo: np.ndarray  # datetime64 or float
    hi: np.ndarray
    is_datetime: bool
    point: np.ndarray  # the time itself (date of an incident)


def _as_timestamp(x) -> pd.Timestamp:
    ts = pd.Timestamp(x)
    if ts is pd.NaT:
        raise HawkesInputError("start/end is NaT; give a date or leave it as None")
    return ts.tz_localize(None) if ts.tzinfo is not None else ts


def _frame_windows(frame: pd.DataFrame, name: str) -> _Raw:
    if "date" not in frame.columns:
        raise HawkesInputError(
            f"{name}: a frame must be a canonical incident frame with a 'date' column"
        )
    d = pd.to_datetime(frame["date"])
    if d.isna().any():
        raise HawkesInputError(
            f"{name}: {int(d.isna().sum())} incidents have no date (NaT); drop or date them first"
        )
    lo = pd.to_datetime(frame["date_earliest"]) if "date_earliest" in frame else d
    hi = pd.to_datetime(frame["date_latest"]) if "date_latest" in frame else d
    lo = lo.fillna(d).dt.normalize()
    hi = hi.fillna(d).dt.normalize() + DAY
    order = np.argsort(d.to_numpy(), kind="stable")  # frames are records: sort them
    return _Raw(lo.to_numpy()[order], hi.to_numpy()[order], True, d.to_numpy()[order])


def _as_datetimes(times) -> pd.DatetimeIndex | None:
    """``times`` as a DatetimeIndex when they are timestamps, else None."""
    if isinstance(times, pd.Series | pd.Index) and pd.api.types.is_datetime64_any_dtype(times):
        return pd.DatetimeIndex(times)
    if isinstance(times, np.ndarray) and np.issubdtype(times.dtype, np.datetime64):
        return pd.DatetimeIndex(times)
    if (
        isinstance(times, Sequence | np.ndarray | pd.Series | pd.Index)
        and len(times) > 0
        and isinstance(next(iter(times)), pd.Timestamp | np.datetime64)
    ):
        return pd.DatetimeIndex(times)
    return None


def _datetime_windows(arr: pd.DatetimeIndex, name: str) -> _Raw:
    if arr.tz is not None:
        arr = arr.tz_localize(None)
    if arr.isna().any():
        raise HawkesInputError(
            f"{name}: {int(arr.isna().sum())} times are NaT; drop or date them first"
        )
    vals = arr.to_numpy()
    if len(vals) > 1 and np.any(np.diff(vals) < np.timedelta64(0)):
        raise HawkesInputError(f"{name}: times are not sorted; sort them (e.g. .sort_values())")
    if (arr == arr.normalize()).all():  # day precision
        return _Raw(vals, vals + np.timedelta64(1, "D"), True, vals)
    return _Raw(vals, vals, True, vals)


def _numeric_windows(times, name: str, resolution: float | None) -> _Raw:
    try:
        x = np.asarray(times, dtype=float)
    except (TypeError, ValueError) as exc:
        raise HawkesInputError(
            f"{name}: expected timestamps, days as numbers or an incident frame ({exc})"
        ) from None
    if x.ndim != 1:
        raise HawkesInputError(f"{name}: times must be one-dimensional")
    if np.isnan(x).any():
        raise HawkesInputError(f"{name}: {int(np.isnan(x).sum())} times are NaN; drop them first")
    if not np.isfinite(x).all():
        raise HawkesInputError(f"{name}: times must be finite")
    if len(x) > 1 and np.any(np.diff(x) < 0):
        raise HawkesInputError(f"{name}: times are not sorted; sort them (np.sort)")
    r = 0.0 if resolution is None else float(resolution)
    return _Raw(x, x + r, False, x)


def _raw_windows(times, name: str, resolution: float | None) -> _Raw:
    if isinstance(times, pd.DataFrame):
        return _frame_windows(times, name)
    arr = _as_datetimes(times)
    if arr is not None:
        return _datetime_windows(arr, name)
    return _numeric_windows(times, name, resolution)


def _datetime_end(raws: list[_Raw], end) -> pd.Timestamp:
    if end is None:
        return pd.Timestamp(max(r.hi.max() for r in raws))
    end_ts = _as_timestamp(end)
    day_data = all(
        (pd.DatetimeIndex(r.lo) == pd.DatetimeIndex(r.lo).normalize()).all() for r in raws
    )
    if day_data and end_ts == end_ts.normalize():
        end_ts = end_ts + DAY  # a date means "to the end of that day"
    last = pd.Timestamp(max(r.point.max() for r in raws))
    if end_ts <= last:
        raise HawkesInputError(
            f"end={end} is before the last event ({last}); give a later end or leave end=None"
        )
    return end_ts


def _datetime_events(raws: list[_Raw], start, end) -> list[Events]:
    first = min(r.lo.min() for r in raws)
    origin = _as_timestamp(start) if start is not None else pd.Timestamp(first).normalize()
    end_ts = _datetime_end(raws, end)
    first_date = pd.Timestamp(min(r.point.min() for r in raws))
    if first_date < origin:
        raise HawkesInputError(
            f"start={start} is after the first event ({first_date}); "
            "give an earlier start or leave start=None"
        )
    e = (end_ts - origin) / DAY
    out = []
    for r in raws:  # dating windows are cut to the observation window
        lo = np.maximum((pd.DatetimeIndex(r.lo) - origin) / DAY, 0.0)
        hi = np.minimum((pd.DatetimeIndex(r.hi) - origin) / DAY, e)
        out.append(Events(np.asarray(lo, float), np.asarray(hi - lo, float), 0.0, e, origin))
    return out


def _numeric_events(raws: list[_Raw], start, end) -> list[Events]:
    s = 0.0 if start is None else float(start)
    last = max(r.point.max() for r in raws)
    e = max(r.hi.max() for r in raws) if end is None else float(end)
    if end is not None and e < last:
        raise HawkesInputError(
            f"end={end} is before the last event ({last}); give a later end or leave end=None"
        )
    if min(r.lo.min() for r in raws) < s:
        raise HawkesInputError(
            f"times start before start={s}; times are days since the start of observation "
            "(pass start=... or shift them)"
        )
    return [Events(r.lo - s, np.minimum(r.hi, e) - r.lo, 0.0, e - s, None) for r in raws]


def prepare(streams: list, names: list[str], start, end, resolution) -> list[Events]:
    """Check each stream of event times and return its dating windows on a shared
    observation window ``[start, end]`` (see the module docstring)."""
    raws = [_raw_windows(s, nm, resolution) for s, nm in zip(streams, names, strict=True)]
    kinds = {r.is_datetime for r in raws}
    if len(kinds) > 1:
        raise HawkesInputError("mix of timestamps and numbers; give all streams the same kind")
    is_dt = kinds.pop()
    for r, nm in zip(raws, names, strict=True):
        if len(r.point) < MIN_EVENTS:
            raise HawkesInputError(
                f"{nm}: {len(r.point)} events; a Hawkes model needs at least {MIN_EVENTS} "
                "(more like 100 for useful confidence intervals)"
            )
    out = _datetime_events(raws, start, end) if is_dt else _numeric_events(raws, start, end)
    span = max(float((ev.lo + ev.width).max()) for ev in out) - min(
        float(ev.lo.min()) for ev in out
    )
    if (is_dt and span <= 1.0 + 1e-9) or (not is_dt and span <= 0):
        raise HawkesInputError(
            "all events fall on one day (or at one time); excitation and background cannot be "
            "told apart without a longer record"
        )
    return out
