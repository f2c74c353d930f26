"""fit_frequency on data that cannot estimate everything: a regime without events, a
fit that did not converge, a dispersion on its boundary. Each warns with
EstimationWarning, names the terms and gives NaN (never zero-width) intervals."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

import analysis
from analysis.errors import EstimationWarning
from analysis.models.frequency import estimate, fit_frequency


def _silent_after(when: str) -> pd.Series:
    y = analysis.simulate_counts("2015-01-01", periods=96, freq="MS", base_rate=10, seed=1)
    y[y.index >= when] = 0
    return y


def test_regime_without_events():
    y = _silent_after("2021-09-01")
    with pytest.warns(EstimationWarning, match="no event in the 16 periods"):
        res = fit_frequency(y, breaks=["2021-08-15"], trend="linear")
    assert res.not_estimable == ("regime 2021-08-15",)
    row = res.regime_effects().iloc[0]
    assert row["irr"] < 0.1 and np.isnan(row["irr_low"]) and np.isnan(row["irr_high"])
    assert np.isnan(row["p_value"])
    # the other terms keep their intervals; periods in the silent regime lose theirs
    assert res.to_frame().loc["trend", ["ci_low", "ci_high"]].notna().all()
    after = res.fitted.loc["2021-09-01":]
    assert after["mean_low"].isna().all() and res.fitted.loc[:"2021-07-01", "mean_low"].notna().all()
    assert any("no event" in n for n in res.notes) and "Note" in res.summary()
    fc = res.forecast(6, n_sims=500, seed=1).to_frame()
    assert np.isfinite(fc.to_numpy(float)).all() and fc["upper"].max() <= 2


def test_regime_before_the_first_break_without_events():
    y = analysis.simulate_counts("2015-01-01", periods=72, freq="MS", base_rate=8, seed=2)
    y[y.index < "2017-01-01"] = 0
    with pytest.warns(EstimationWarning, match="no event before the break"):
        res = fit_frequency(y, breaks=["2017-01-01"], trend="none")
    # the intercept runs off to -inf with it, so the fit as a whole has no intervals
    assert "regime 2017-01-01" in res.not_estimable
    assert np.isnan(res.regime_effects().iloc[0]["irr_low"])


def test_a_fit_that_did_not_converge_has_no_intervals(monkeypatch):
    real = estimate.fit_count_glm

    def stuck(*args, **kwargs):
        return dataclasses.replace(real(*args, **kwargs), converged=False)

    monkeypatch.setattr(estimate, "fit_count_glm", stuck)
    y = analysis.simulate_counts(periods=150, seed=3)
    with pytest.warns(EstimationWarning, match="did not converge"):
        res = fit_frequency(y, trend="linear")
    assert set(res.not_estimable) == set(res.params.index)
    t = res.to_frame()
    assert t[["ci_low", "ci_high", "p_value"]].drop(index="alpha").isna().all().all()
    assert res.fitted[["mean_low", "mean_high"]].isna().all().all()


def test_short_user_file_gives_no_zero_width_interval():
    """Twenty incidents: every interval either has width or is NaN."""
    data = analysis.load_incidents().sort_values("date").head(20)
    y = analysis.incident_counts(data, "QS")
    with pytest.warns(EstimationWarning):
        res = fit_frequency(y, seasonal=None, family="negbin")
    t = res.to_frame()
    width = t["ci_high"] - t["ci_low"]
    assert ((width > 0) | width.isna()).all()
    f = res.fitted
    assert ((f["mean_high"] > f["mean_low"]) | f["mean_low"].isna()).all()
