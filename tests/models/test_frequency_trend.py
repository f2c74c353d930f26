"""fit_frequency's trend: the AIC choice of trend="auto", the trend ratio, the trend
held flat beyond the data, and the RAND Afghanistan seasonal test it makes possible."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import analysis
from analysis.models.frequency import FrequencyInputError, fit_frequency


@pytest.fixture(scope="module")
def surge():
    """Eight years of monthly NB2 counts with a season and a two-year surge (x3)."""
    return analysis.simulate_counts("2002-01-01", "2009-12-31", freq="MS", base_rate=12,
                                    seasonal_amplitude=0.4, surges=[("2007-06-01", 1.1, 240)],
                                    dispersion=0.05, ar_sd=0, seed=4)


def test_auto_trend_follows_a_surge_and_reports_its_aic(surge):
    res = fit_frequency(surge)
    table = res.trend_aic
    assert list(table.columns) == ["aic", "chosen"] and table["chosen"].sum() == 1
    chosen = int(table.index[table["chosen"]][0])
    assert res.spec.trend.df == chosen >= 3
    assert table.loc[chosen, "aic"] == pytest.approx(res.aic)
    assert table.loc[chosen, "aic"] < table.loc[1, "aic"] - 10  # a line cannot follow it
    assert list(res.params.index[1 : 1 + chosen]) == [f"trend_{k}" for k in range(1, chosen + 1)]
    assert "lowest AIC among df 0, 1, 2" in res.summary()
    assert res.tests.loc["Seasonality (LR)", "p_value"] < 1e-4
    linear = fit_frequency(surge, trend="linear")
    assert linear.trend_aic is None and "linear (given)" in linear.summary()


def test_trend_arguments():
    y = analysis.simulate_counts(periods=200, seed=1)
    assert fit_frequency(y, trend="none").spec.trend.df == 0
    assert fit_frequency(y, trend=None).spec.trend.df == 0
    assert fit_frequency(y, trend=True).spec.trend.df == 1
    assert fit_frequency(y, trend=3).spec.trend.names == ["trend_1", "trend_2", "trend_3"]
    with pytest.raises(FrequencyInputError):
        fit_frequency(y, trend="wiggly")
    with pytest.raises(FrequencyInputError, match="trend='auto'"):
        fit_frequency(y.iloc[:12], trend=11, seasonal=None)


def test_trend_ratio_against_a_known_line():
    """Ten years at a log slope of -0.12 a year: the trend ratio first to last period is
    exp(-0.12 * years) within its interval, and equals exp(slope * span) for a line."""
    y = analysis.simulate_counts("2010-01-01", "2019-12-31", freq="MS", base_rate=40,
                                 trend=-0.12, dispersion=0.05, ar_sd=0, seed=8)
    res = fit_frequency(y, trend="linear")
    row = res.trend_ratio().iloc[0]
    span = 119 / 12
    assert row["ratio"] == pytest.approx(np.exp(res.params["trend"] * span))
    assert row["ci_low"] < np.exp(-0.12 * span) < row["ci_high"]
    assert row["p_value"] < 1e-6
    half = res.trend_ratio("2010-01-01", "2014-12-01").iloc[0]
    assert half["ratio"] == pytest.approx(np.exp(res.params["trend"] * 59 / 12))
    assert "Trend ratio 2010-01 to 2019-12" in res.summary()
    flat = fit_frequency(y, trend="none").trend_ratio().iloc[0]
    assert flat["ratio"] == 1.0 and np.isnan(flat["ci_low"])


def test_forecast_holds_the_trend_at_its_last_value(surge):
    res = fit_frequency(surge)
    fc = res.forecast(36, n_sims=200, seed=1).to_frame()["mean"].to_numpy()
    # without the trend moving, the forecast repeats its seasonal cycle year after year
    np.testing.assert_allclose(fc[12:24], fc[24:36], rtol=1e-10)
    np.testing.assert_allclose(fc[:12], fc[12:24], rtol=1e-10)


@pytest.mark.realdata
def test_rand_afghanistan_2002_2009_seasonal_test(realdata):
    """The issue's target: with the default trend the seasonal test of RAND's Afghan
    attacks 2002-2009 (monthly) gives p < 0.01; a straight line gave 0.10."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        data = analysis.read_source(realdata("rand_rdwti_afg.csv"))
        y = analysis.incident_counts(data, "MS", start="2002-01-01", end="2009-12-31")
    res = fit_frequency(y)
    assert res.spec.trend.df >= 3
    assert res.tests.loc["Seasonality (LR)", "p_value"] < 0.01
    assert fit_frequency(y, trend="linear").tests.loc["Seasonality (LR)", "p_value"] > 0.05
    assert 5 <= res.seasonality().loc[1, "peak_period"] <= 8
