"""Seasonality by regime: a change of seasonal pattern at a break is detected, and the
same pattern on both sides is not (analysis.models.seasonality.regimes)."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.models.seasonality import seasonality

from ._seasonality import LOG_PROFILE, simulate_monthly

# ----------------------------------------------------------------- regimes


def test_regime_change_in_seasonal_pattern_detected():
    before = simulate_monthly(11, n=96, log_profile=LOG_PROFILE, start="2013-08-01")
    after = simulate_monthly(12, n=48, log_profile=-LOG_PROFILE, start="2021-08-01")
    y = pd.concat([before, after])
    res = seasonality(y, by_regime=["2021-08-15"])
    assert len(res.regimes) == 2
    assert res.regimes[0].startswith("2013-08") and res.regimes[1].startswith("2021-09")
    assert res.regime_lr_pvalue < 0.001
    rp = res.regime_profiles
    assert rp.loc[rp["regime"] == res.regimes[0], "month"].iloc[
        rp.loc[rp["regime"] == res.regimes[0], "rate_ratio"].argmax()
    ] in (5, 6, 7, 8)
    assert rp.loc[rp["regime"] == res.regimes[1], "month"].iloc[
        rp.loc[rp["regime"] == res.regimes[1], "rate_ratio"].argmax()
    ] in (12, 1, 2)
    assert len(res.to_frame()) == 36
    one = seasonality(y, by_regime=pd.Timestamp("2021-08-15"))
    assert one.regime_lr_pvalue == pytest.approx(res.regime_lr_pvalue)
    assert "differs by regime" in res.summary()
    res.plot()


def test_same_pattern_in_both_regimes_not_flagged():
    before = simulate_monthly(21, n=96, log_profile=LOG_PROFILE, start="2013-08-01")
    after = simulate_monthly(22, n=48, base=5, log_profile=LOG_PROFILE, start="2021-08-01")
    res = seasonality(pd.concat([before, after]), by_regime=["2021-08-15"])
    assert res.regime_lr_pvalue > 0.05
