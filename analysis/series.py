"""From incidents to regular count series: :func:`incident_counts`.

A count series is only meaningful together with the span that the data cover. Inside
the coverage a period without incidents is a true 0; outside it nothing is known and
the value is NA. Every call records what it did in ``result.attrs["incident_counts"]``
(how many incidents were counted, fell outside the range or the coverage, had date
windows wider than one period, or had unknown casualty figures).

Dates wider than a period
-------------------------
An incident's date is known to lie in ``date_earliest .. date_latest``; ``date`` is the
coder's best single date. When the window overlaps more than one period (a month-precise
date in a weekly series, a year-precise date in a monthly series, a week straddling two
months) the ``window`` argument decides:

``"date"`` (default)
    count the incident in the period of its best ``date`` (never its first day);
``"spread"``
    spread it over the periods its window overlaps, in proportion to the days of the
    window in each (counts become fractional, so the result is ``Float64``);
``"exclude"``
    leave it out (with a warning); the number left out is recorded.

The number of such incidents is always recorded (``n_wide_window``); with the
``"date"`` rule a :class:`WideDateWindowWarning` is issued when they exceed 10% of the
incidents counted.

What a call records
-------------------
``attrs["incident_counts"]`` holds ``freq``, ``value``, ``window``, ``by``,
``coverage``, and the counts ``n_incidents`` (rows given), ``n_counted`` (incidents
with some share counted), ``n_wide_window``, ``n_excluded``, ``n_outside_range``,
``n_outside_coverage``, ``incidents_not_counted`` (the incident mass, possibly
fractional with ``window="spread"``, that fell outside the range or the coverage) and,
for casualty values only, ``n_unknown`` (unknown figures per period).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd

from .errors import AnalysisWarning, InputError

__all__ = [
    "CountSeriesError",
    "WideDateWindowWarning",
    "coverage_mask",
    "incident_counts",
]

VALUES = ("incidents", "killed", "wounded")
WINDOW_RULES = ("date", "spread", "exclude")
WIDE_WARN_SHARE = 0.10


class CountSeriesError(InputError):
    """The arguments of :func:`incident_counts` cannot produce a series."""


class WideDateWindowWarning(AnalysisWarning):
    """Many incidents have date windows wider than one period of the series."""


def _period_spec(freq: str) -> tuple[str, str]:
    """(period frequency, DatetimeIndex frequency labelling each period by its start)."""
    f = str(freq).upper()
    if f in ("D",):
        return "D", "D"
    if f == "W" or f.startswith("W-"):
        anchor = "SUN" if f == "W" else f[2:]
        days = ["MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"]
        if anchor not in days:
            raise CountSeriesError(f"unknown weekly frequency {freq!r}")
        first = days[(days.index(anchor) + 1) % 7]
        return f"W-{anchor}", f"W-{first}"
    if f in ("MS", "M", "ME"):
        return "M", "MS"
    if f in ("QS", "Q", "QE", "QS-JAN"):
        return "Q", "QS-JAN"
    if f in ("YS", "Y", "YE", "AS", "A", "YS-JAN"):
        return "Y", "YS-JAN"
    raise CountSeriesError(
        f"freq {freq!r} is not supported; use 'D', 'W' (weeks Monday-Sunday, labelled by "
        "their Monday), 'MS', 'QS' or 'YS'"
    )


def _as_periods(values, pfreq: str) -> pd.PeriodIndex:
    return pd.DatetimeIndex(values).to_period(pfreq)


def coverage_mask(
    index: pd.DatetimeIndex,
    coverage,
    freq: str | None = None,
) -> np.ndarray:
    """Which periods of ``index`` lie inside the coverage.

    Parameters
    ----------
    index : DatetimeIndex
        Period starts (as returned by :func:`incident_counts`).
    coverage : None, (start, end), list of (start, end), or boolean Series
        None: everything is covered. A pair of dates, or a list of pairs: a period is
        covered when it lies entirely inside one interval (both ends inclusive). A
        boolean Series indexed by period start: taken as is (missing periods are not
        covered).
    freq : str, optional
        The series frequency; default ``index.freqstr``.
    """
    n = len(index)
    if coverage is None:
        return np.ones(n, dtype=bool)
    if isinstance(coverage, pd.Series):
        return coverage.reindex(index).fillna(False).astype(bool).to_numpy()
    pfreq, _ = _period_spec(freq or index.freqstr)
    periods = index.to_period(pfreq)
    p_start = periods.start_time.normalize()
    p_end = periods.end_time.normalize()
    pairs = [coverage] if _is_pair(coverage) else list(coverage)
    mask = np.zeros(n, dtype=bool)
    for pair in pairs:
        if not _is_pair(pair):
            raise CountSeriesError(
                "coverage must be (start, end), a list of (start, end) pairs, or a boolean "
                f"Series indexed by period; got {pair!r}"
            )
        a, b = pd.Timestamp(pair[0]), pd.Timestamp(pair[1])
        if b < a:
            raise CountSeriesError(f"coverage interval ends before it starts: {pair!r}")
        mask |= np.asarray((p_start >= a) & (p_end <= b))
    return mask


def _is_pair(x) -> bool:
    if isinstance(x, (str, pd.Timestamp)) or not isinstance(x, Sequence):
        return False
    return len(x) == 2 and all(isinstance(v, (str, pd.Timestamp, np.datetime64)) or hasattr(v, "year") for v in x)


def incident_counts(
    data: pd.DataFrame,
    freq: str = "MS",
    *,
    by: str | Sequence[str] | None = None,
    value: str = "incidents",
    start=None,
    end=None,
    coverage=None,
    window: str = "date",
) -> pd.Series | pd.DataFrame:
    """Count incidents (or sum casualties) per period, as a regular series.

    Parameters
    ----------
    data : DataFrame
        A canonical incident frame (:func:`analysis.load_incidents`,
        :func:`analysis.simulate_incidents`). Needs ``date``; the window rule also uses
        ``date_earliest``/``date_latest`` when present.
    freq : {"D", "W", "MS", "QS", "YS"}
        Period length. Each period is labelled by its first day (weeks run Monday to
        Sunday, so the index frequency of "W" is ``W-MON``).
    by : str or list of str, optional
        Column(s) to split by (e.g. ``"perpetrator"``); the result is then a DataFrame
        with one column per group (a tuple-labelled column for several columns).
        Missing group values form the group ``"<NA>"``. With ``by="province_code"``
        every one of the 34 provinces has a column (the panel of
        :func:`analysis.fit_endemic_epidemic`), zeros where nothing happened.
    value : {"incidents", "killed", "wounded"}
        What to count. ``"killed"``/``"wounded"`` return a DataFrame with columns
        ``low``, ``best``, ``high`` (the sums of ``killed_low`` ... ); with ``by`` the
        columns are a MultiIndex (group, estimate). Unknown (NA) casualty figures are
        left out of the sums, never counted as 0; their number per period is in
        ``attrs["incident_counts"]["n_unknown"]`` (a Series).
    start, end : date-like, optional
        The range of the output (periods containing ``start`` and ``end``). Default:
        the first and last period holding an incident. Incidents outside are not
        counted (their number is recorded as ``n_outside_range``).
    coverage : see :func:`coverage_mask`, optional
        The spans the data cover. Periods inside have a count (0 when nothing
        happened); periods outside are NA. Default: the whole range (``start``..``end``,
        or the data's first to last period). Incidents that fall in an uncovered
        period are not counted; their number is recorded and a warning is issued.
    window : {"date", "spread", "exclude"}
        The rule for incidents whose date window overlaps more than one period (see the
        module docstring).

    Returns
    -------
    Series or DataFrame
        Indexed by a regular ``DatetimeIndex`` (``index.freq`` set) named ``"period"``.
        Counts are ``Int64`` (``Float64`` with ``window="spread"``), NA outside the
        coverage. ``attrs["incident_counts"]`` records what was counted (see the
        module docstring).

    Raises
    ------
    CountSeriesError
        Unknown ``freq``/``value``/``window``, missing columns, missing dates, an empty
        frame without ``start``/``end``, or ``end`` before ``start``.

    Examples
    --------
    >>> data = analysis.simulate_incidents(seed=1)
    >>> analysis.incident_counts(data, "MS", by="perpetrator")        # doctest: +SKIP
    """
    by_cols, stems = _check_arguments(data, value, window, by)
    pfreq, out_freq = _period_spec(freq)
    dates, earliest, latest = _incident_dates(data)
    if len(data) == 0 and (start is None or end is None):
        raise CountSeriesError("data has no incidents; give start and end to get a series of zeros")
    periods = _output_periods(start, end, (earliest, latest) if window == "spread" else (dates, dates), pfreq)
    index = pd.DatetimeIndex(periods.to_timestamp(how="start"), freq=out_freq, name="period")
    placed = _place(dates, earliest, latest, window, periods, pfreq)
    covered = coverage_mask(index, coverage, freq=out_freq)
    result, record = _count(data, placed, _groups(data, by_cols), index, covered, stems, by_cols, value, window)
    result.attrs["incident_counts"] = {
        "freq": out_freq, "value": value, "window": window, "by": by_cols or None, **record, "coverage": coverage,
    }  # fmt: skip
    _warn(record["n_outside_coverage"], record["n_wide_window"], len(data), window, freq)
    return result


class _Placement(NamedTuple):
    """(row, period, share) triples: the period each incident, or each part of one,
    counts in (periods numbered from 0); ``wide`` marks windows over several periods."""

    row: np.ndarray
    per: np.ndarray
    share: np.ndarray
    wide: np.ndarray


def _place(dates, earliest, latest, window: str, periods: pd.PeriodIndex, pfreq: str) -> _Placement:
    """Where each incident counts, by the window rule."""
    first_ord = periods[0].ordinal
    p_date = _as_periods(dates, pfreq).asi8 - first_ord
    wide = _as_periods(earliest, pfreq).asi8 != _as_periods(latest, pfreq).asi8
    if window == "spread" and wide.any():
        rows_n, rows_w = np.flatnonzero(~wide), np.flatnonzero(wide)
        e = earliest.to_numpy()[rows_w].astype("datetime64[D]")
        la = latest.to_numpy()[rows_w].astype("datetime64[D]")
        n_days = (la - e).astype(np.int64) + 1
        rep = np.repeat(np.arange(len(rows_w)), n_days)
        offs = np.arange(n_days.sum()) - np.repeat(np.cumsum(n_days) - n_days, n_days)
        p_day = _as_periods(e[rep] + offs.astype("timedelta64[D]"), pfreq).asi8 - first_ord
        row = np.concatenate([rows_n, rows_w[rep]])
        per = np.concatenate([p_date[rows_n], p_day])
        return _Placement(row, per, np.concatenate([np.ones(len(rows_n)), 1.0 / n_days[rep]]), wide)
    if window == "exclude":
        row = np.flatnonzero(~wide)
        return _Placement(row, p_date[row], np.ones(len(row)), wide)
    return _Placement(np.arange(len(p_date)), p_date, np.ones(len(p_date)), wide)


def _count(data, placed: _Placement, grouping, index, covered, stems, by_cols, value, window) -> tuple:
    """The counts (or sums) per period and group, and the record of what was counted."""
    codes, groups = grouping
    n_per, n_grp = len(index), len(groups)
    row, per, share, wide = placed
    in_range = (per >= 0) & (per < n_per)
    keep = in_range.copy()
    keep[in_range] = covered[per[in_range]]
    weights, unknown = _weights(data, stems)
    flat = per[keep] * n_grp + codes[row[keep]]
    mats, unknown_mat = _tally(flat, row[keep], share[keep], weights, unknown, bool(stems), n_per * n_grp)
    n_wide = int(wide.sum())
    dtype = "Float64" if window == "spread" and n_wide else "Int64"
    frames = [_finish(m.reshape(n_per, n_grp), index, groups, covered, dtype) for m in mats]
    n_excluded = n_wide if window == "exclude" else 0
    unknown_out = pd.DataFrame(unknown_mat.reshape(n_per, n_grp), index=index, columns=groups)
    record = {
        "n_incidents": len(data),
        "n_counted": len(np.unique(row[keep])),
        "n_wide_window": n_wide,
        "n_excluded": n_excluded,
        # an incident is outside the range when none of its share falls inside
        "n_outside_range": int(len(data) - len(np.unique(row[in_range])) - n_excluded),
        "n_outside_coverage": len(np.unique(row[in_range & ~keep])),
        "incidents_not_counted": float(len(data) - n_excluded - share[keep].sum()),
        "n_unknown": (unknown_out if by_cols else unknown_out.iloc[:, 0].rename("n_unknown")) if stems else None,
    }
    return _assemble(frames, value, by_cols, groups), record


def _check_arguments(data, value: str, window: str, by) -> tuple[list[str], list[str]]:
    """The ``by`` columns and the casualty columns summed; :class:`CountSeriesError`
    for arguments that cannot produce a series."""
    if not isinstance(data, pd.DataFrame):
        raise CountSeriesError(f"data must be an incident DataFrame, not {type(data).__name__}")
    if value not in VALUES:
        raise CountSeriesError(f"value must be one of {VALUES}, not {value!r}")
    if window not in WINDOW_RULES:
        raise CountSeriesError(f"window must be one of {WINDOW_RULES}, not {window!r}")
    if "date" not in data.columns:
        raise CountSeriesError("data has no 'date' column; pass a canonical incident frame")
    by_cols = [] if by is None else ([by] if isinstance(by, str) else list(by))
    missing = [c for c in by_cols if c not in data.columns]
    if missing:
        raise CountSeriesError(f"by: columns not in data: {missing}")
    stems = [] if value == "incidents" else [f"{value}_{s}" for s in ("low", "best", "high")]
    missing = [c for c in stems if c not in data.columns]
    if missing:
        raise CountSeriesError(f"value={value!r} needs columns {missing}")
    return by_cols, stems


def _incident_dates(data: pd.DataFrame) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Best date, and the window's first and last day (the best date where unknown)."""
    dates = pd.to_datetime(data["date"])
    if dates.isna().any():
        raise CountSeriesError(
            f"{int(dates.isna().sum())} incidents have no date; validate the frame first "
            "(analysis.validate_incidents) so that undated rows are set aside"
        )
    if not {"date_earliest", "date_latest"} <= set(data.columns):
        return dates, dates, dates
    return dates, pd.to_datetime(data["date_earliest"]).fillna(dates), pd.to_datetime(data["date_latest"]).fillna(dates)


def _output_periods(start, end, span: tuple[pd.Series, pd.Series], pfreq: str) -> pd.PeriodIndex:
    """The periods from ``start`` to ``end``; by default from the first to the last
    period that ``span`` (first and last dates of the incidents) reaches: the best
    dates, or the whole windows when windows are spread."""
    lo_dates, hi_dates = span
    p_first = pd.Period(pd.Timestamp(start), pfreq) if start is not None else lo_dates.min().to_period(pfreq)
    p_last = pd.Period(pd.Timestamp(end), pfreq) if end is not None else hi_dates.max().to_period(pfreq)
    if p_last < p_first:
        raise CountSeriesError(f"end ({end}) is before start ({start})")
    return pd.period_range(p_first, p_last, freq=pfreq)


def _groups(data: pd.DataFrame, by_cols: list[str]) -> tuple[np.ndarray, pd.Index]:
    """Group code of each incident and the groups (one group ``"all"`` without ``by``)."""
    if not by_cols:
        return np.zeros(len(data), dtype=np.int64), pd.Index(["all"])
    keys = data[by_cols].astype("object").where(data[by_cols].notna(), "<NA>")
    if len(by_cols) == 1:
        group_vals = keys.iloc[:, 0]
    else:
        group_vals = pd.Series(list(map(tuple, keys.to_numpy())), index=data.index)
    if by_cols == ["province_code"]:  # the panel: a group for every province, even empty
        from .gazetteer import PROVINCES

        provinces = sorted(p.code for p in PROVINCES)
        groups = pd.Index(provinces + sorted(set(group_vals) - set(provinces), key=str))
        return groups.get_indexer(group_vals), groups
    return pd.factorize(group_vals, sort=True)


def _weights(data: pd.DataFrame, stems: list[str]) -> tuple[list[np.ndarray], np.ndarray]:
    """What each incident adds: 1 (incidents), or its low/best/high figures (unknown
    figures add 0 and are flagged)."""
    if not stems:
        return [np.ones(len(data))], np.zeros(len(data), dtype=bool)
    weights, unknown = [], np.zeros(len(data), dtype=bool)
    for c in stems:
        v = pd.to_numeric(data[c]).astype("Float64")
        unknown |= v.isna().to_numpy()
        weights.append(v.fillna(0).to_numpy(dtype="float64"))
    return weights, unknown


def _tally(flat, row, share, weights, unknown, casualties: bool, size: int):
    """Sums per (period, group) cell of each weight, and of the unknown figures."""
    mats = []
    for w in weights:
        wk = w[row] * share
        if casualties:
            wk = np.where(unknown[row], 0.0, wk)
        mats.append(np.bincount(flat, weights=wk, minlength=size))
    return mats, np.bincount(flat, weights=unknown[row] * share, minlength=size)


def _finish(mat: np.ndarray, index: pd.DatetimeIndex, groups: pd.Index, covered: np.ndarray, dtype: str) -> pd.DataFrame:
    out = pd.DataFrame(mat, index=index, columns=groups)
    if dtype == "Int64":
        out = out.round()
    out = out.astype(dtype)
    out.loc[~covered, :] = pd.NA
    return out


def _assemble(frames: list[pd.DataFrame], value: str, by_cols: list[str], groups: pd.Index) -> pd.Series | pd.DataFrame:
    """The series (or one column per group), or the low/best/high frame of casualties."""
    if len(frames) == 1:
        if not by_cols:
            return frames[0].iloc[:, 0].rename(value)
        res = frames[0]
        res.columns.name = by_cols[0] if len(by_cols) == 1 else tuple(by_cols)
        return res
    labels = ["low", "best", "high"]
    if not by_cols:
        result = pd.DataFrame({lab: f.iloc[:, 0] for lab, f in zip(labels, frames, strict=True)})
        result.columns.name = value
        return result
    parts = {lab: f for lab, f in zip(labels, frames, strict=True)}
    result = pd.concat(parts, axis=1).swaplevel(0, 1, axis=1)
    result = result.reindex(columns=pd.MultiIndex.from_product([groups, labels]))
    result.columns.names = [by_cols[0] if len(by_cols) == 1 else "group", "estimate"]
    return result


def _warn(n_outside_cov: int, n_wide: int, n: int, window: str, freq: str) -> None:
    if n_outside_cov:
        warnings.warn(
            f"{n_outside_cov} incidents fall in periods outside the coverage and were not "
            "counted (those periods are NA); widen coverage= if the data do cover them",
            UserWarning,
            stacklevel=3,
        )
    if window == "exclude" and n_wide:
        warnings.warn(
            f"window='exclude': {n_wide} incidents whose date window spans more than one "
            f"{freq} period were left out of the counts",
            WideDateWindowWarning,
            stacklevel=3,
        )
    elif window == "date" and n and n_wide / n > WIDE_WARN_SHARE:
        warnings.warn(
            f"{n_wide} of {n} incidents ({n_wide / n:.0%}) have date windows "
            f"wider than one {freq} period; they are counted at their best 'date'. Use "
            "window='spread' to spread them over their windows, or a coarser freq",
            WideDateWindowWarning,
            stacklevel=3,
        )
