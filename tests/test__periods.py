"""analysis._periods: frequency keys, units and the calendar arithmetic of periods."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis._periods import (
    FREQS,
    freq_key,
    next_periods,
    period_ends,
    periods_per_year,
    regular_index,
    share_after,
    steps_since,
    unit_name,
    year_phase,
)
from analysis.errors import InputError


@pytest.mark.parametrize(
    ("alias", "key"),
    [("D", "D"), ("d", "D"), ("W", "W"), ("W-MON", "W"), ("W-SUN", "W"), ("MS", "MS"),
     ("M", "MS"), ("ME", "MS"), ("QS", "QS"), ("QS-JAN", "QS"), ("Q", "QS"), ("Q-DEC", "QS"),
     ("YS", "YS"), ("YS-JAN", "YS"), ("AS", "YS"), ("A", "YS"), ("Y", "YS"), ("YE", "YS")],
)
def test_freq_key_of_aliases(alias, key):
    assert freq_key(alias) == key


def test_freq_key_of_indexes_and_offsets():
    assert freq_key(pd.date_range("2020-01-06", periods=3, freq="W-MON")) == "W"
    assert freq_key(pd.date_range("2020-01-01", periods=3, freq="QS")) == "QS"
    assert freq_key(pd.tseries.frequencies.to_offset("MS")) == "MS"
    assert freq_key(pd.date_range("2020-01-01", periods=3, freq="YS"), period_starts=True) == "YS"


class _Mine(InputError):
    pass


@pytest.mark.parametrize("alias", ["H", "2D", "", None, "MS-JAN", "BM"])
def test_freq_key_rejects_other_frequencies(alias):
    with pytest.raises(_Mine, match="not supported"):
        freq_key(alias, error=_Mine)


@pytest.mark.parametrize("alias", ["M", "ME", "Q", "Y", "A"])
def test_period_start_indexes_only(alias):
    with pytest.raises(InputError):
        freq_key(alias, period_starts=True)


def test_periods_per_year_and_units():
    assert [periods_per_year(f) for f in FREQS] == [365.25, 365.25 / 7, 12.0, 4.0, 1.0]
    assert [unit_name(f) for f in FREQS] == ["day", "week", "month", "quarter", "year"]
    assert unit_name("W-MON") == "week" and unit_name("H") == "H"


def test_regular_index():
    idx = pd.date_range("2020-01-01", periods=5, freq="MS")
    assert regular_index(idx) is idx
    bare = pd.DatetimeIndex(idx.to_numpy())
    assert bare.freq is None and regular_index(bare).freqstr == "MS"
    assert regular_index(bare.delete(2)) is None  # a missing month
    assert regular_index(bare[::-1]) is None
    assert regular_index(bare.append(bare[-1:])) is None
    assert regular_index(bare[:2]) is None  # too short to infer


def test_next_periods_and_ends():
    idx = pd.date_range("2021-10-01", periods=3, freq="MS")
    assert list(next_periods(idx, 2)) == [pd.Timestamp("2022-01-01"), pd.Timestamp("2022-02-01")]
    assert period_ends(idx)[-1] == pd.Timestamp("2022-01-01")


def test_share_after_a_break_inside_a_period():
    idx = pd.date_range("2021-07-01", periods=3, freq="MS")
    np.testing.assert_allclose(share_after(idx, "2021-08-15"), [0.0, 17 / 31, 1.0])
    days = pd.date_range("2021-08-13", periods=4, freq="D")
    np.testing.assert_array_equal(share_after(days, "2021-08-15"), [0, 0, 1, 1])


def test_year_phase():
    months = pd.date_range("2020-01-01", periods=12, freq="MS")
    np.testing.assert_allclose(year_phase(months, "MS"), np.arange(12) / 12)
    quarters = pd.date_range("2020-01-01", periods=4, freq="QS")
    np.testing.assert_allclose(year_phase(quarters, "QS"), np.arange(4) / 4)
    days = pd.DatetimeIndex(["2020-12-31", "2021-12-31", "2021-01-01"])
    np.testing.assert_allclose(year_phase(days, "D"), [365 / 366, 364 / 365, 0.0])


def test_steps_since():
    o = pd.Timestamp("2020-01-01")
    assert list(steps_since(o, pd.DatetimeIndex(["2020-01-01", "2021-03-01"]), "MS")) == [0, 14]
    assert list(steps_since(o, pd.DatetimeIndex(["2020-07-01", "2022-01-01"]), "QS")) == [2, 8]
    assert list(steps_since(o, pd.DatetimeIndex(["2025-01-01"]), "YS")) == [5]
    assert list(steps_since(o, pd.DatetimeIndex(["2020-01-15"]), "W")) == [2]
    assert list(steps_since(o, pd.DatetimeIndex(["2020-03-01"]), "D")) == [60]
