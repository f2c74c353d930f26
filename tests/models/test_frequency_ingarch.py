"""Count autoregressions of fit_frequency (frequency/ingarch.py): the published tscount
fit, and dependence found in self-exciting data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import analysis
from analysis.models.frequency import fit_frequency

from ._frequency import monthly


def test_campylobacter_ingarch_reproduces_tscount(realdata):
    """Liboschik, Fokianos & Fried (2017, JSS 82(5), sec. 7.1): NB INGARCH, identity link,
    past_obs = 1, past_mean = 13, level shift at t = 84 and spike at t = 100.

    Our quasi-likelihood maximum is slightly higher than the published point (2502.162
    against 2502.148: tscount's score leaves out how the pre-sample values, set to the
    stationary mean, move with the parameters), so the intercept and the shift differ by
    1-1.5%; the other coefficients and the log-likelihood agree closely."""
    cases = pd.read_csv(realdata("campy.csv"))["cases"].to_numpy()
    idx = pd.date_range("1990-01-01", periods=len(cases), freq="MS")
    y = pd.Series(cases, index=idx)
    spike = pd.DataFrame({"spike": (np.arange(len(y)) == 99).astype(float)}, index=idx)
    res = fit_frequency(y, trend=False, seasonal=None, breaks={"shift": idx[83]}, ar_lags=(1,),
                        mean_lags=(13,), link="identity", family="negbin", xreg=spike)
    published = {"intercept": 3.3184, "ar1": 0.3690, "mean_lag13": 0.2198, "shift": 3.0810,
                 "spike": 41.9541}
    for name, value in published.items():
        assert res.params[name] == pytest.approx(value, rel=0.02), name
    assert res.llf == pytest.approx(-381.1, abs=0.5)
    assert res.alpha == pytest.approx(0.0297, rel=0.05)  # tscount's sigmasq
    se = res.to_frame()["std_err"]
    # tscount's standard errors: 0.7851, 0.0696, 0.0942, 0.8560, 12.0914
    assert se["intercept"] == pytest.approx(0.7851, rel=0.05)
    assert se["ar1"] == pytest.approx(0.0696, rel=0.05)
    assert se["spike"] == pytest.approx(12.0914, rel=0.05)


def test_count_autoregression_on_self_exciting_data():
    df = analysis.simulate_incidents(n_years=8, start="2010-01-01", base_rate=20, trend=0,
                                     seasonal_amplitude=0, breaks={}, excitation=(0.7, 20), seed=4)
    y = monthly(df)
    plain = fit_frequency(y, trend=False, seasonal=None)
    assert plain.tests.filter(like="Ljung-Box", axis=0)["p_value"].min() < 0.05
    ar = fit_frequency(y, trend=False, seasonal=None, ar_lags=(1,))
    t = ar.to_frame()
    assert t.loc["ar1", "estimate"] > 0.1 and t.loc["ar1", "p_value"] < 0.05
    assert np.isfinite(t.drop(index="alpha")["std_err"]).all()  # alpha: moment estimate, no se
    f = ar.fitted
    assert ((f["mean_low"] < f["mean"]) & (f["mean"] < f["mean_high"])).all()
    seasonal_ar = fit_frequency(y, trend=False, harmonics=1, ar_lags=(1,))
    assert seasonal_ar.tests.loc["Seasonality (quasi-LR)", "p_value"] > 0.01  # no true seasonality
    fc = ar.forecast(6, n_sims=300, seed=1)
    assert fc.to_frame()["mean"].between(5, 60).all() and fc.samples.shape == (300, 6)
