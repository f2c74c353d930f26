"""What a forecast conditions on: a regular series of counts per period and, when the
data are events, the incident frame (the Hawkes model needs the event dates)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from ..._periods import freq_key
from ...errors import InputError

__all__ = ["ForecastInputError", "History", "as_history"]


class ForecastInputError(InputError):
    """Data or options that a forecast or backtest cannot use, and what to do."""


@dataclasses.dataclass(frozen=True, eq=False)
class History:
    """The observed counts (regular, whole numbers, indexed by period start), the
    incident frame behind them (None for a count series) and the frequency key."""

    counts: pd.Series
    frame: pd.DataFrame | None
    key: str

    def until(self, origin: int) -> History:
        """The history up to and including period position ``origin``."""
        return History(self.counts.iloc[: origin + 1], self.frame, self.key)


def _from_series(data: pd.Series) -> History:
    idx = data.index
    if not isinstance(idx, pd.DatetimeIndex) or idx.freq is None:
        raise ForecastInputError(
            "a count series needs a regular DatetimeIndex with a frequency "
            "(use analysis.incident_counts)"
        )
    if data.isna().any():
        raise ForecastInputError(
            f"the count series has {int(data.isna().sum())} NA periods (outside the "
            "coverage); forecast a stretch without gaps"
        )
    y = data.astype(float)
    if (y < 0).any() or (y != np.round(y)).any():
        raise ForecastInputError("counts must be non-negative integers")
    key = freq_key(idx, period_starts=True, error=ForecastInputError)
    return History(y.astype("int64"), None, key)


def _as_frame(data) -> pd.DataFrame:
    if isinstance(data, pd.DataFrame):
        if "date" not in data.columns:
            raise ForecastInputError("an incident frame needs a 'date' column")
        return data
    try:
        ts = pd.DatetimeIndex(data)
    except (TypeError, ValueError) as exc:
        raise ForecastInputError(
            f"data must be an incident frame, event timestamps or a count series ({exc})"
        ) from None
    return pd.DataFrame({"date": ts.sort_values()})


def as_history(data, freq: str) -> History:
    """The counts of ``data`` (a count series, an incident frame or event timestamps,
    the last two counted per ``freq`` period)."""
    from ...series import incident_counts

    if isinstance(data, pd.Series) and not pd.api.types.is_datetime64_any_dtype(data):
        return _from_series(data)
    frame = _as_frame(data)
    if frame["date"].isna().any():
        raise ForecastInputError("some incidents have no date (NaT); drop or date them first")
    key = freq_key(freq, error=ForecastInputError)
    y = incident_counts(frame, key)
    if y.isna().any():
        raise ForecastInputError("the count series has NA periods; forecast a covered stretch")
    return History(y.astype("int64"), frame, key)
