"""simulate_counts: the moments it claims (mean, NB2 variance with the AR(1) log mean,
autocovariance), its deterministic parts against closed forms, and bad arguments."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import special

import analysis
from analysis.simulate import SimulationParameterError, simulate_counts


def test_defaults_index_and_reproducibility():
    y = analysis.simulate_counts(seed=3)
    assert len(y) == 417 and y.index.freqstr == "W-MON"  # eight years of weeks
    assert y.index[0] == pd.Timestamp("2016-12-26")  # the Monday of the week holding start
    assert y.dtype == "int64" and y.name == "incidents"
    pd.testing.assert_series_equal(y, simulate_counts(seed=3))
    assert not y.equals(simulate_counts(seed=4))
    truth = y.attrs["truth"]
    assert {"mean", "conditional_mean", "log_ar", "dispersion", "ar", "ar_sd"} <= set(truth)
    m = simulate_counts("2002-01-15", "2009-12-31", freq="MS", seed=1)
    assert m.index[0] == pd.Timestamp("2002-01-01") and m.index[-1] == pd.Timestamp("2009-12-01")
    assert len(simulate_counts(periods=10, freq="D")) == 10


def test_moments_of_a_long_stationary_series():
    """Mean m, variance m + m^2 [(1 + alpha) e^{s^2} - 1], lag-k covariance
    m^2 (e^{s^2 phi^k} - 1)."""
    m, alpha, phi, s = 10.0, 0.1, 0.5, 0.25
    y = simulate_counts(periods=40_000, base_rate=m, seasonal_amplitude=0.0, dispersion=alpha,
                        ar=phi, ar_sd=s, seed=11).to_numpy(float)
    var = m + m**2 * ((1 + alpha) * np.exp(s**2) - 1)
    assert y.mean() == pytest.approx(m, abs=4 * np.sqrt(var * 3 / len(y)))
    assert y.var() == pytest.approx(var, rel=0.05)
    d = y - y.mean()
    for k in (1, 3):
        cov = np.mean(d[:-k] * d[k:])
        assert cov == pytest.approx(m**2 * (np.exp(s**2 * phi**k) - 1), abs=0.6)
    assert abs(np.mean(d[:-20] * d[20:])) < 0.6  # the correlation dies out


def test_poisson_counts_around_the_expected_mean():
    y = simulate_counts(periods=3000, base_rate=30, trend=0.02, dispersion=0, ar_sd=0,
                        surges=[("2020-06-01", 1.0, 60)], breaks={"2030-01-01": -0.7}, seed=2)
    mean = y.attrs["truth"]["mean"].to_numpy()
    z = (y.to_numpy() - mean) / np.sqrt(mean)
    assert abs(z.mean()) < 0.06 and 0.92 < z.var() < 1.08


def test_season_break_surge_and_month_lengths_in_the_mean():
    amp = 0.5
    y = simulate_counts("2001-01-01", "2020-12-31", freq="MS", base_rate=40,
                        seasonal_amplitude=amp, peak_month=7, dispersion=0, ar_sd=0, seed=1)
    mean = y.attrs["truth"]["mean"]
    # a year holds base_rate * 12 * I0(A): the mean of exp(A cos) over a cycle
    assert mean["2005"].sum() == pytest.approx(40 * 12 * special.i0(amp), rel=0.005)
    per_day = mean / mean.index.days_in_month
    by_month = per_day.groupby(per_day.index.month).mean()
    assert by_month.idxmax() == 7 and by_month.idxmin() == 1
    flat = simulate_counts("2001-01-01", "2004-12-31", freq="MS", seasonal_amplitude=0,
                           breaks={"2003-01-01": np.log(0.5)}, seed=1).attrs["truth"]["mean"]
    assert flat["2001-02-01"] / flat["2001-01-01"] == pytest.approx(28 / 31)
    assert flat["2003-03-01"] / flat["2002-03-01"] == pytest.approx(0.5)
    surge = simulate_counts(periods=200, seasonal_amplitude=0, surges=[("2019-01-02", 1.2, 40)],
                            seed=1).attrs["truth"]
    assert surge["mean"].idxmax() == pd.Timestamp("2018-12-31")  # the week holding the centre
    assert surge["mean"].max() / surge["mean"].iloc[0] == pytest.approx(np.exp(1.2), rel=0.02)
    assert surge["surges"] == [("2019-01-02", 1.2, 40.0)]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"freq": "QS"},
        {"base_rate": 0},
        {"dispersion": -0.1},
        {"ar": 1.0},
        {"ar_sd": -1},
        {"periods": 0},
        {"end": "2010-01-01"},
        {"periods": 5, "end": "2030-01-01"},
        {"surges": [("2018-01-01", 1.0)]},
        {"surges": [("2018-01-01", 1.0, 0)]},
    ],
)
def test_bad_parameters(kwargs):
    with pytest.raises(SimulationParameterError):
        simulate_counts(**kwargs)
    assert issubclass(SimulationParameterError, analysis.AnalysisError)
