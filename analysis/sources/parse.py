"""Vectorised parsers of a raw export's columns that record every value they cannot use.

Each parser takes a column, its name and the adapter's :class:`~.issues.Issues`, and
returns the typed column: a value that does not parse becomes missing and is recorded,
so its row is quarantined rather than silently changed.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from ..validation.dates import calendar_dates
from .issues import Issues
from .text import text

__all__ = [
    "code", "col", "count", "count_raw", "dates", "int_range", "month_end", "number", "parse_dates", "share",
]  # fmt: skip

#: GTD's codes for "unknown" in count columns.
_UNKNOWN_COUNTS = (-9.0, -99.0)


def col(raw: pd.DataFrame, name: str) -> pd.Series:
    """A column of the raw table, or an all-missing one when absent."""
    if name in raw.columns:
        return raw[name]
    return pd.Series(pd.NA, index=raw.index, dtype="object")


def number(s: pd.Series, column: str, issues: Issues, *, rule: str = "number_unparseable") -> pd.Series:
    """Parse a number column (float64). Blank -> NaN; text such as ``"-"`` -> NaN and an issue."""
    if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
        return s.astype("float64")
    t = text(s)
    num = pd.to_numeric(t, errors="coerce").astype("float64")
    issues.add(t.notna() & num.isna(), column, rule, t)
    return num


def count(s: pd.Series, column: str, issues: Issues) -> pd.Series:
    """Parse a casualty count: a whole non-negative number, blank = unknown (NA, never 0).

    ``-9``/``-99`` (GTD's "unknown" codes) are treated as unknown. Text (``"-"``,
    ``"about 5"``) and negative numbers are ``count_not_a_number``; fractions (GTD
    splits a multi-part incident's total evenly among the parts) are
    ``count_fractional``. Both are issues, so their rows are quarantined.
    """
    return count_raw(s, column, issues)[0]


def _values(s: pd.Series, column: str, issues: Issues) -> tuple[np.ndarray, np.ndarray]:
    """A count column as float64 (NaN unknown; GTD's ``-9``/``-99`` are unknown) and its
    negative values; text and negative values are recorded as ``count_not_a_number``."""
    if s.dtype.kind in "iuf":  # read as numbers (the usual case): plain numpy
        v = s.to_numpy(dtype="float64", na_value=np.nan, copy=True)  # modified below
    else:
        v = number(s, column, issues, rule="count_not_a_number").to_numpy(dtype="float64", copy=True)
    v[np.isin(v, _UNKNOWN_COUNTS)] = np.nan
    neg = v < 0  # NaN compares False
    if neg.any():
        issues.add(pd.Series(neg, index=s.index), column, "count_not_a_number", s)
    return v, neg


def _floats(v: np.ndarray, index: pd.Index) -> pd.Series:
    return pd.Series(pd.arrays.FloatingArray(np.where(np.isnan(v), 0.0, v), np.isnan(v)), index=index)


def _ints(v: np.ndarray, index: pd.Index) -> pd.Series:
    missing = np.isnan(v)
    return pd.Series(pd.arrays.IntegerArray(np.where(missing, 0, v).astype("int64"), missing), index=index)


def count_raw(s: pd.Series, column: str, issues: Issues) -> tuple[pd.Series, pd.Series]:
    """:func:`count`, plus the source's figure as a float (for the ingest totals)."""
    v, neg = _values(s, column, issues)
    frac = (v != np.floor(v)) & ~np.isnan(v)
    if frac.any():
        issues.add(pd.Series(frac & ~neg, index=s.index), column, "count_fractional", s)
    raw_v = np.where(neg, np.nan, v)
    return _ints(np.where(neg | frac, np.nan, v), s.index), _floats(raw_v, s.index)


def share(s: pd.Series, column: str, issues: Issues) -> tuple[np.ndarray, pd.Series]:
    """A casualty figure that may be a fraction (GTD's share of a multi-part attack):
    float64 (NaN unknown), and the source's figure for the ingest totals. Text and
    negative values are ``count_not_a_number``; fractions are kept."""
    v, neg = _values(s, column, issues)
    v = np.where(neg, np.nan, v)
    return v, _floats(v, s.index)


def int_range(value: np.ndarray, best: np.ndarray, index: pd.Index) -> tuple[pd.Series, pd.Series, pd.Series]:
    """(low, best, high) as Int64: the floor and ceiling of ``value`` and ``best``."""
    v = np.round(value, 6)
    return _ints(np.floor(v), index), _ints(best, index), _ints(np.ceil(v), index)


def _all_known(v: np.ndarray, known: Iterable[int] | None) -> bool:
    if known is None:
        return True
    if isinstance(known, range) and known.step == 1:
        return bool(((v >= known.start) & (v < known.stop)).all())
    return bool(np.isin(v, np.fromiter(known, dtype="int64")).all())


def code(s: pd.Series, column: str, issues: Issues, known: Iterable[int] | None = None) -> pd.Series:
    """Parse an integer code column (Int64); values outside ``known`` are issues."""
    if s.dtype.kind in "iu":  # read as integers (the usual case): check in numpy
        v = s.to_numpy(dtype="int64")
        if _all_known(v, known):
            return pd.Series(pd.arrays.IntegerArray(v.copy(), np.zeros(len(v), dtype=bool)), index=s.index)
    num = number(s, column, issues, rule="code_unknown")
    bad = num.notna() & (num != np.floor(num))
    if known is not None:
        bad |= num.notna() & ~num.isin(list(known))
    issues.add(bad, column, "code_unknown", s)
    return num.where(~bad).astype("Float64").astype("Int64")


def _naive_day(parsed: pd.Series) -> pd.Series:
    if getattr(parsed.dt, "tz", None) is not None:
        parsed = parsed.dt.tz_localize(None)
    return parsed


def parse_dates(s: pd.Series, formats: Iterable[str]) -> pd.Series:
    """Parse dates trying each format in turn per value (vectorised); NaT when none fits."""
    if pd.api.types.is_datetime64_any_dtype(s):
        return _naive_day(s).astype("datetime64[ns]").dt.normalize()
    t = text(s)
    out = pd.Series(pd.NaT, index=s.index, dtype="datetime64[ns]")
    todo = t.notna()
    for fmt in formats:
        if not todo.any():
            break
        if fmt == "ISO8601":  # times and zones: the calendar day in the value's own offset
            parsed = calendar_dates(t[todo])
        else:
            parsed = _naive_day(pd.to_datetime(t[todo], format=fmt, errors="coerce"))
        # outside the datetime64[ns] range (a year such as -9 or 9999): not a usable date
        parsed = parsed.where(parsed.dt.year.between(1678, 2261))
        parsed = parsed.astype("datetime64[ns]").dt.normalize()
        ok = parsed.notna()
        out.loc[ok[ok].index] = parsed[ok]
        todo = todo & out.isna()
    return out


def dates(
    raw: pd.DataFrame, column: str, formats: Iterable[str], issues: Issues, *, required: bool = True
) -> pd.Series:
    """:func:`parse_dates` of a raw column, recording ``date_unparseable`` for text that
    fits none of ``formats`` and, when ``required``, ``date_missing`` for a blank."""
    t = text(col(raw, column))
    day = parse_dates(col(raw, column), formats)
    issues.add(t.notna() & day.isna(), column, "date_unparseable", t)
    if required:
        issues.add(t.isna(), column, "date_missing")
    return day


def month_end(d: pd.Series) -> pd.Series:
    return d + pd.offsets.MonthEnd(0)
