"""Forecasts of a fitted frequency model (frequency/predict.py): CountForecast."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.models.frequency import FrequencyInputError, fit_frequency

from ._frequency import simulated


@pytest.fixture(scope="module")
def sim():
    return simulated()


def test_count_forecast_levels_and_presentation(sim):
    import matplotlib.pyplot as plt

    _, y = sim
    res = fit_frequency(y, harmonics=1)
    wide = res.forecast(6, n_sims=3000, conf_level=0.95, seed=4).to_frame()
    narrow = res.forecast(6, n_sims=3000, conf_level=0.5, seed=4).to_frame()
    assert ((wide["upper"] - wide["lower"]) > (narrow["upper"] - narrow["lower"])).all()
    np.testing.assert_allclose(wide["mean"], narrow["mean"])  # plug-in mean: no simulation
    # the same seed gives the same paths; a date index forecasts exactly those periods
    dates = pd.date_range(y.index[-1] + y.index.freq, periods=4, freq="MS")
    a = res.forecast(dates, n_sims=100, seed=7)
    b = res.forecast(4, n_sims=100, seed=7)
    np.testing.assert_array_equal(a.samples, b.samples)
    fc = res.forecast(6, n_sims=500, seed=1)
    text = fc.summary()
    for word in ("Family", "Simulations", "95%", "lower"):
        assert word in text
    assert "<table" in fc._repr_html_() and "CountForecast" in repr(fc)
    ax = fc.plot()
    assert len(ax.lines) == 2 and len(ax.collections) == 2  # observed, mean; two bands
    plt.close("all")
    with pytest.raises(FrequencyInputError, match="after the last observation"):
        res.forecast(y.index[-3:])
    with pytest.raises(FrequencyInputError, match="horizon"):
        res.forecast(0)
