"""The Hijri calendar of the Ramadan model: the Ramadan periods and the Ramadan flag of
any date, from the ``hijridate`` package (the Umm al-Qura calendar), never from a
hand-written calendar. Umm al-Qura month starts can differ by a day from the start
announced in Afghanistan (moon sighting); this moves at most a day or two per year in
or out of the flag."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..seasonality._input import SeasonalityInputError

__all__ = ["HIJRI_SUPPORTED", "HijriRangeError", "check_range", "ramadan_days", "ramadan_periods"]

#: Gregorian dates hijridate supports (Umm al-Qura table, 1343-1500 AH).
HIJRI_SUPPORTED = (pd.Timestamp("1924-08-01"), pd.Timestamp("2077-11-16"))


class HijriRangeError(SeasonalityInputError):
    """Dates outside the range the Hijri converter supports (1924-08-01 to 2077-11-16)."""


def _hijri():
    try:
        from hijridate import Gregorian, Hijri
    except ImportError as err:  # pragma: no cover - optional dependency
        raise ImportError(
            "the Ramadan effect needs the 'hijridate' package: "
            "pip install 'afghan-violence-analysis[calendar]' (or pip install hijridate)"
        ) from err
    return Gregorian, Hijri


def check_range(first: pd.Timestamp, last: pd.Timestamp) -> None:
    lo, hi = HIJRI_SUPPORTED
    if first < lo or last > hi:
        raise HijriRangeError(
            f"dates {first.date()} to {last.date()} fall outside the range of the Hijri "
            f"converter (hijridate: {lo.date()} to {hi.date()}, 1343-1500 AH); restrict the "
            "data to that range."
        )


def ramadan_periods(start, end) -> pd.DataFrame:
    """Ramadan of every Hijri year overlapping ``start``..``end`` (Umm al-Qura).

    Returns a frame with columns ``hijri_year``, ``start`` (1 Ramadan) and ``end`` (the last
    day of Ramadan, inclusive) and ``days`` (29 or 30). One conversion per Hijri year.
    """
    Gregorian, Hijri = _hijri()
    first, last = pd.Timestamp(start).normalize(), pd.Timestamp(end).normalize()
    if last < first:
        raise SeasonalityInputError(f"end ({last.date()}) is before start ({first.date()}).")
    check_range(first, last)
    y0 = Gregorian(first.year, first.month, first.day).to_hijri().year
    y1 = Gregorian(last.year, last.month, last.day).to_hijri().year
    rows = []
    for hy in range(y0, y1 + 1):
        s = Hijri(hy, 9, 1).to_gregorian()
        e = Hijri(hy, 10, 1).to_gregorian()  # Shawwal 1; Hijri years end at 1500, so fine
        s_ts, e_ts = pd.Timestamp(s.year, s.month, s.day), pd.Timestamp(e.year, e.month, e.day)
        if e_ts <= first or s_ts > last:
            continue
        rows.append(
            {
                "hijri_year": hy,
                "start": s_ts,
                "end": e_ts - pd.Timedelta(days=1),
                "days": (e_ts - s_ts).days,
            }
        )
    return pd.DataFrame(rows, columns=["hijri_year", "start", "end", "days"])


def ramadan_days(dates) -> np.ndarray:
    """Boolean array: is each date (any time of day) in Ramadan? Vectorised per Hijri year.

    Raises :class:`HijriRangeError` outside 1924-08-01 to 2077-11-16.
    """
    d = pd.DatetimeIndex(pd.to_datetime(dates)).normalize()
    if len(d) == 0:
        return np.zeros(0, dtype=bool)
    if d.hasnans:
        raise SeasonalityInputError("dates contain missing values.")
    per = ramadan_periods(d.min(), d.max())
    if per.empty:
        return np.zeros(len(d), dtype=bool)
    starts = per["start"].to_numpy(dtype="datetime64[ns]")
    ends = per["end"].to_numpy(dtype="datetime64[ns]")
    v = d.to_numpy(dtype="datetime64[ns]")
    k = np.searchsorted(starts, v, side="right") - 1
    ok = k >= 0
    out = np.zeros(len(d), dtype=bool)
    out[ok] = v[ok] <= ends[k[ok]]
    return out
