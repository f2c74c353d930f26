"""Forecasts and backtests: predictive means against analytic expectations, scores
against closed forms, PIT uniformity under calibration, bad input."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import scoringrules as sr
from scipy import stats

import analysis
from analysis.models.forecast import (
    BacktestResult,
    ForecastInputError,
    backtest,
    forecast,
    score_samples,
)
from analysis.models.hawkes import simulate_hawkes


@pytest.fixture(scope="module")
def incidents():
    return analysis.simulate_incidents(seed=3, n_years=5, dispersion=0.1)


@pytest.fixture(scope="module")
def monthly(incidents):
    return analysis.incident_counts(incidents, "MS")


# ------------------------------------------------------------------ scores
def test_crps_and_log_score_match_closed_forms():
    rng = np.random.default_rng(0)
    s = rng.poisson(7.0, 100_000)
    for y in (2, 7, 13):
        sc = score_samples(s, y)
        assert sc["crps"] == pytest.approx(float(sr.crps_poisson(y, 7.0)), rel=0.02)
        # the smallest pmf here is 0.022: 2200 samples, relative SE about 2%
        assert sc["log_score"] == pytest.approx(-stats.poisson.logpmf(y, 7.0), abs=0.07)
    # never infinite, even far outside the samples
    assert np.isfinite(score_samples(s, 60)["log_score"])


def test_crps_estimator_is_scoringrules_pwm():
    """The CRPS written out in scores.py is scoringrules' "pwm" estimator, to rounding."""
    from analysis.models.forecast.scores import crps_pwm

    rng = np.random.default_rng(3)
    for m in (2, 5, 200):
        x = rng.negative_binomial(2, 0.2, m).astype(float)
        for y in (0.0, 3.0, float(np.median(x)), 400.0):
            ref = float(sr.crps_ensemble(np.array([y]), x[None, :], estimator="pwm")[0])
            assert crps_pwm(x, y) == pytest.approx(ref, rel=1e-12, abs=1e-12)
    with pytest.raises(ValueError):
        crps_pwm(np.array([1.0]), 1.0)


def test_randomised_pit_is_uniform_when_calibrated():
    rng = np.random.default_rng(1)
    s = rng.negative_binomial(3, 0.3, 4000)
    ys = rng.negative_binomial(3, 0.3, 2000)
    u = np.array([score_samples(s, y, rng)["pit"] for y in ys])
    assert stats.kstest(u, "uniform").pvalue > 0.01
    # and not uniform when the forecast is biased
    u_bad = np.array([score_samples(s + 4, y, rng)["pit"] for y in ys])
    assert stats.kstest(u_bad, "uniform").pvalue < 1e-6


# ------------------------------------------------------------------ forecasts
def test_hawkes_forecast_mean_matches_conditional_expectation():
    """E[N(T, T+d) | history] for a constant background: the expected intensity relaxes
    from lambda(T+) to mu/(1-eta) at rate beta (1 - eta)."""
    mu, eta, beta = 0.6, 0.5, 0.2
    T = 2000.0
    t = simulate_hawkes(mu, eta, beta, T, seed=9)
    origin = pd.Timestamp("2010-01-01")
    dates = origin + pd.to_timedelta(t, unit="D")
    # cut at a month boundary so the last period is complete
    last = pd.Timestamp(dates.max()).to_period("M").to_timestamp()
    dates = dates[dates < last]
    Tcut = (last - origin) / pd.Timedelta(days=1)
    tt = t[t < Tcut]
    fc = forecast(
        pd.DatetimeIndex(dates),
        horizon=2,
        model="hawkes",
        n_sims=1500,
        seed=2,
        model_kw={"background": "constant", "n_sims": 3},
    )
    lam0 = mu + eta * beta * np.exp(-beta * (Tcut - tt)).sum()
    stat = mu / (1 - eta)
    k = beta * (1 - eta)
    edges = (pd.date_range(last, periods=3, freq="MS") - origin) / pd.Timedelta(days=1) - Tcut

    def cum(x):
        return stat * x + (lam0 - stat) * (1 - np.exp(-k * x)) / k

    expected = np.diff(cum(np.asarray(edges, float)))
    sd = fc.table["sd"].to_numpy()
    # Monte Carlo error plus estimation error of the parameters (about 10%)
    tol = 3.5 * sd / math.sqrt(1500) + 0.1 * expected
    assert np.all(np.abs(fc.table["mean"].to_numpy() - expected) <= tol)
    assert fc.samples.shape == (1500, 2)
    assert list(fc.table.index) == list(pd.date_range(last, periods=2, freq="MS"))


def test_negbin_forecast_uses_frequency_model(monthly):
    from analysis.models.frequency import fit_frequency

    fc = forecast(monthly, horizon=3, model="negbin", n_sims=4000, seed=1)
    ref = fit_frequency(monthly).forecast(3, n_sims=10, seed=0).to_frame()
    rel = np.abs(fc.table["mean"].to_numpy() / ref["mean"].to_numpy() - 1)
    assert np.all(rel < 0.08)  # sample mean vs plug-in mean (parameter uncertainty adds a little)
    assert (fc.table["q0.05"] <= fc.table["q0.5"]).all() and (
        fc.table["q0.5"] <= fc.table["q0.95"]
    ).all()


def test_baselines(monthly):
    y = monthly.to_numpy(float)
    hm = forecast(monthly, horizon=2, model="historical_mean", n_sims=20000, seed=0)
    assert hm.table["mean"].iloc[0] == pytest.approx(y.mean(), rel=0.03)
    nl = forecast(monthly, horizon=1, model="naive_last", n_sims=20000, seed=0)
    assert nl.table["q0.5"].iloc[0] == pytest.approx(y[-1] + np.median(np.diff(y)), abs=2)
    sn = forecast(monthly, horizon=1, model="seasonal_naive", n_sims=20000, seed=0)
    assert sn.table["q0.5"].iloc[0] == pytest.approx(y[-12] + np.median(y[12:] - y[:-12]), abs=2)
    a = forecast(monthly, horizon=1, model="naive_last", seed=5)
    b = forecast(monthly, horizon=1, model="naive_last", seed=5)
    np.testing.assert_array_equal(a.samples, b.samples)
    # seed=None draws fresh entropy, and the result keeps the seed that reproduces it
    c = forecast(monthly, horizon=1, model="historical_mean", seed=None)
    d = forecast(monthly, horizon=1, model="historical_mean", seed=None)
    assert c.seed != d.seed
    again = forecast(monthly, horizon=1, model="historical_mean", seed=c.seed)
    np.testing.assert_array_equal(c.samples, again.samples)
    g = forecast(monthly, horizon=1, model="naive_last", seed=np.random.default_rng(1))
    assert isinstance(g.seed, int)


def test_forecast_presentation(incidents):
    import matplotlib.pyplot as plt

    fc = forecast(incidents, horizon=3, model="seasonal_naive", seed=0)
    assert "Model" in fc.summary() and "<table>" in fc._repr_html_()
    assert {"mean", "sd", "q0.5"} <= set(fc.to_frame().columns)
    ax = fc.plot()
    assert len(ax.lines) == 2 and len(ax.collections) == 2  # observed, mean; 90% and 50% bands
    plt.close("all")
    assert analysis.forecast is forecast and analysis.backtest is backtest
    # a record, not a value: to_frame() is a copy and results compare by identity
    t = fc.to_frame()
    t["mean"] = -1.0
    assert (fc.to_frame()["mean"] >= 0).all() and (fc.table["mean"] >= 0).all()
    assert fc != forecast(incidents, horizon=3, model="seasonal_naive", seed=0) and fc == fc


# ------------------------------------------------------------------ backtest
def test_backtest_scores_and_ranks(incidents):
    import matplotlib.pyplot as plt

    bt = backtest(
        incidents,
        models=("negbin", "naive_last", "seasonal_naive", "historical_mean"),
        start="2019-06-01",
        horizon=2,
        n_sims=400,
        seed=0,
    )
    assert isinstance(bt, BacktestResult)
    t = bt.table
    assert set(t["model"]) == {"negbin", "naive_last", "seasonal_naive", "historical_mean"}
    assert {"origin", "step", "target", "observed", "crps", "log_score", "pit"} <= set(t.columns)
    assert t["target"].min() == pd.Timestamp("2019-07-01")
    assert (t[t["step"] == 2]["target"] > t[t["step"] == 2]["origin"]).all()
    s = bt.scores().xs(1, level="step")
    # data simulated from a trend-seasonal negative binomial: its model wins on CRPS
    assert s["crps"].idxmin() == "negbin"
    assert bt.pit_histogram("negbin", step=1).sum() == s.loc["negbin", "n"]
    for kind in ("scores", "pit", "forecasts"):
        bt.plot(kind=kind)
    plt.close("all")
    assert "Best model (mean CRPS)" in bt.summary() and bt.best_model == "negbin"
    assert {"coverage_50", "coverage_90"} <= set(bt.to_frame().columns)
    assert bt.n_sims == 400
    scores = bt.to_frame()
    scores["crps"] = np.nan
    assert np.isfinite(bt.to_frame()["crps"]).all()
    assert (bt.to_frame().xs(1, level="step")["crps_rel_best"] >= 1).all()
    with pytest.raises(ForecastInputError, match="kind"):
        bt.plot(kind="table")


def test_backtest_with_hawkes_runs(incidents):
    bt = backtest(
        incidents,
        models=("hawkes", "historical_mean"),
        start=len(analysis.incident_counts(incidents, "MS")) - 4,
        n_sims=200,
        seed=0,
        model_kw={"hawkes": {"n_sims": 2, "harmonics": 1}},
    )
    assert (bt.table["model"] == "hawkes").sum() == 3
    assert np.isfinite(bt.table["crps"]).all()


def test_backtest_records_failures(monthly):
    # seasonal naive needs more than a year of history: failures are recorded, not scored
    bt = backtest(monthly, models=("seasonal_naive", "historical_mean"), start=5, n_sims=100)
    assert len(bt.failures) > 0 and set(bt.failures["model"]) == {"seasonal_naive"}
    assert (bt.table["model"] == "historical_mean").sum() == len(monthly) - 1 - 5


def test_bad_input(monthly):
    with pytest.raises(ForecastInputError, match="unknown model"):
        forecast(monthly, model="arima")
    with pytest.raises(ForecastInputError, match="horizon"):
        forecast(monthly, horizon=0)
    with pytest.raises(ForecastInputError, match="event dates"):
        forecast(monthly, model="hawkes")
    gappy = monthly.astype("Float64")
    gappy.iloc[5] = pd.NA
    with pytest.raises(ForecastInputError, match="NA"):
        forecast(gappy)
    with pytest.raises(ForecastInputError, match="regular DatetimeIndex"):
        forecast(pd.Series([1, 2, 3, 4], dtype=float))
    with pytest.raises(ForecastInputError, match="no period to forecast"):
        backtest(monthly, start=monthly.index[-1])
    with pytest.raises(ForecastInputError, match="freq"):
        forecast(pd.DatetimeIndex(["2020-01-01", "2020-03-01"]), freq="H")
    assert issubclass(ForecastInputError, ValueError)


# ------------------------------------------------------------------ count autoregression
def _nb_ar_series(n=300, seed=0, b0=1.0, b1=0.5, alpha=0.1):
    """Weekly counts of the log-linear NB autoregression log mu_t = b0 + b1 log(1 + y_{t-1})."""
    rng = np.random.default_rng(seed)
    y = np.zeros(n, dtype=int)
    for t in range(n):
        mu = math.exp(b0 + b1 * math.log1p(y[t - 1] if t else 5))
        y[t] = rng.negative_binomial(1 / alpha, 1 / (1 + alpha * mu))
    idx = pd.date_range("2015-01-05", periods=n, freq="W-MON")
    return pd.Series(y, index=idx)


def test_ingarch_forecast_follows_the_latest_count():
    y = _nb_ar_series(seed=1)
    model_kw = {"seasonal": None, "trend": False}
    hi, lo = y.copy(), y.copy()
    hi.iloc[-1], lo.iloc[-1] = 40, 0
    f_hi = forecast(hi, horizon=1, model="ingarch", n_sims=4000, seed=2, model_kw=model_kw)
    f_lo = forecast(lo, horizon=1, model="ingarch", n_sims=4000, seed=2, model_kw=model_kw)
    from analysis.models.frequency import fit_frequency

    for series, fc in ((hi, f_hi), (lo, f_lo)):
        p = fit_frequency(series, ar_lags=(1,), **model_kw).params
        plug_in = math.exp(p["intercept"] + p["ar1"] * math.log1p(series.iloc[-1]))
        # sample mean vs plug-in mean: Monte Carlo error plus parameter uncertainty
        assert fc.table["mean"].iloc[0] == pytest.approx(plug_in, rel=0.1)
    assert f_hi.table["mean"].iloc[0] > 1.5 * f_lo.table["mean"].iloc[0]


def test_ingarch_two_steps_feed_back_simulated_counts():
    y = _nb_ar_series(seed=3)
    fc = forecast(y, horizon=2, model="ingarch", n_sims=3000, seed=1,
                  model_kw={"seasonal": None, "trend": False})
    s = fc.samples
    # step 2 depends on the path's own step-1 count
    assert np.corrcoef(s[:, 0], s[:, 1])[0, 1] > 0.1


def test_backtest_refit_reuses_fits_and_moves_every_origin():
    y = _nb_ar_series(n=160, seed=4)
    kw = dict(models=("ingarch", "historical_mean"), start=len(y) - 13, n_sims=300, seed=5,
              model_kw={"ingarch": {"seasonal": None}})
    every = backtest(y, refit=1, **kw)
    sparse = backtest(y, refit=4, **kw)
    assert sparse.refit == 4 and every.refit == 1
    a = every.table[every.table["model"] == "ingarch"].reset_index(drop=True)
    b = sparse.table[sparse.table["model"] == "ingarch"].reset_index(drop=True)
    assert len(a) == len(b) == 12  # every origin forecast either way
    same = np.arange(12) % 4 == 0  # the refit origins give identical forecasts
    np.testing.assert_array_equal(a.loc[same, "mean"], b.loc[same, "mean"])
    assert not np.allclose(a.loc[~same, "mean"], b.loc[~same, "mean"])
    # between refits the forecast still follows the latest count
    assert np.corrcoef(b["mean"][1:], y.iloc[-12:-1].to_numpy())[0, 1] > 0.5
    with pytest.raises(ForecastInputError, match="refit"):
        backtest(y, refit=0, **kw)
    assert backtest(y, **kw).refit == 1  # None: 12 origins, at most 26 fits


def test_backtest_coverage_and_best_model_over_shared_origins(monthly):
    bt = backtest(monthly, models=("seasonal_naive", "historical_mean"), start=5, n_sims=200)
    t = bt.table
    s = bt.scores().xs(1, level="step")
    for m in bt.models:
        tm = t[t["model"] == m]
        c90 = ((tm["observed"] >= tm["q05"]) & (tm["observed"] <= tm["q95"])).mean()
        c50 = ((tm["observed"] >= tm["q25"]) & (tm["observed"] <= tm["q75"])).mean()
        assert s.loc[m, "coverage_90"] == pytest.approx(c90)
        assert s.loc[m, "coverage_50"] == pytest.approx(c50)
    # seasonal_naive failed on the first origins: the choice uses the shared ones only
    shared = t.groupby(["origin", "step"])["model"].transform("nunique") == 2
    means = t[shared].groupby("model")["crps"].mean()
    assert bt.best_model == means.idxmin()
    assert (t["q05"] <= t["q25"]).all() and (t["q75"] <= t["q95"]).all()
    assert (t["q05"] == np.round(t["q05"])).all()  # quantiles of counts are counts


def test_ingarch_forecasts_are_calibrated_on_their_own_model():
    """A long series from the model itself: the randomised PIT of one-step forecasts is
    close to uniform and the 90% intervals cover about 90% (at least, for counts)."""
    y = _nb_ar_series(n=400, seed=8, b0=1.2, b1=0.55, alpha=0.15)
    bt = backtest(y, models=("ingarch",), start=len(y) - 151, n_sims=400, seed=2, refit=25,
                  model_kw={"ingarch": {"seasonal": None, "trend": False}})
    s = bt.scores().loc[("ingarch", 1)]
    assert s["n"] == 150
    se = math.sqrt(0.09 / 150)
    assert abs(s["pit_90"] - 0.9) < 3.5 * se
    assert 0.9 - 3.5 * se < s["coverage_90"] < 0.99
    assert stats.kstest(bt.table["pit"], "uniform").pvalue > 0.001
