"""Seasonality: bad input raises SeasonalityInputError with a message that says what to
do; month-end and period indexes are accepted (analysis.models.seasonality._input)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.models.seasonality import SeasonalityInputError, seasonality

from ._seasonality import LOG_PROFILE, simulate_monthly

# ----------------------------------------------------------------- bad input


@pytest.fixture
def good():
    return simulate_monthly(3, log_profile=LOG_PROFILE)


def test_too_short(good):
    with pytest.raises(SeasonalityInputError, match="at least two full cycles"):
        seasonality(good.iloc[:23])


def test_all_zero(good):
    with pytest.raises(SeasonalityInputError, match="all zeros"):
        seasonality(good * 0)


def test_na_gaps(good):
    s = good.astype("Int64")
    s.iloc[[5, 6]] = pd.NA
    with pytest.raises(SeasonalityInputError, match=r"2 missing value.*8526"):
        seasonality(s)


def test_daily_series_with_period_12():
    idx = pd.date_range("2015-01-01", "2018-12-31", freq="D")
    daily = pd.Series(np.random.default_rng(0).poisson(2, len(idx)), index=idx)
    with pytest.raises(SeasonalityInputError, match=r"looks daily.*resample"):
        seasonality(daily, period=12)


def test_irregular_index(good):
    with pytest.raises(SeasonalityInputError, match="absent from the index"):
        seasonality(good.drop(good.index[[10, 11]]))
    odd = good.copy()
    odd.index = odd.index + pd.Timedelta(days=3)
    with pytest.raises(SeasonalityInputError, match="irregular index"):
        seasonality(odd)


def test_other_bad_input(good):
    with pytest.raises(SeasonalityInputError, match="quarterly"):
        seasonality(good.resample("QS").sum())
    with pytest.raises(SeasonalityInputError, match="weekly"):
        seasonality(pd.Series(1, index=pd.date_range("2015-01-04", periods=200, freq="W")))
    with pytest.raises(SeasonalityInputError, match="period=4"):
        seasonality(good, period=4)
    with pytest.raises(SeasonalityInputError, match="non-integer"):
        seasonality(good + 0.5)
    with pytest.raises(SeasonalityInputError, match="negative"):
        seasonality(good - 100)
    with pytest.raises(SeasonalityInputError, match="DatetimeIndex"):
        seasonality(good.reset_index(drop=True))
    with pytest.raises(SeasonalityInputError, match="Series"):
        seasonality(good.to_frame())
    with pytest.raises(SeasonalityInputError, match="same months"):
        seasonality(good, deaths=good.iloc[1:])
    jan_zero = good.copy()
    jan_zero[jan_zero.index.month == 1] = 0
    with pytest.raises(SeasonalityInputError, match="no events in Jan"):
        seasonality(jan_zero)
    with pytest.raises(SeasonalityInputError, match="at least 24"):
        seasonality(good, by_regime=["2010-06-01"])
    with pytest.raises(SeasonalityInputError, match="fighting_season"):
        seasonality(good, fighting_season=(4, 13))
    with pytest.raises(SeasonalityInputError, match="whole number >= 0"):
        seasonality(good, trend=-1)
    with pytest.raises(SeasonalityInputError, match="whole number >= 0"):
        seasonality(good, trend=1.5)
    with pytest.raises(SeasonalityInputError, match="'auto', 'linear', 'none'"):
        seasonality(good, trend="wiggly")
    with pytest.raises(SeasonalityInputError, match="lower trend"):
        seasonality(good.iloc[:24], trend=12)


def test_month_end_and_period_index_accepted(good):
    a = seasonality(good)
    me = good.copy()
    me.index = me.index + pd.offsets.MonthEnd(0)
    b = seasonality(me)
    pe = good.copy()
    pe.index = pe.index.to_period("M")
    c = seasonality(pe)
    assert a.lr_pvalue == pytest.approx(b.lr_pvalue) == pytest.approx(c.lr_pvalue)
