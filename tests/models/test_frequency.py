"""fit_frequency: published results, recovery of simulated truth, real data, bad input."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

import analysis
from analysis.errors import AnalysisWarning, EstimationWarning
from analysis.models.frequency import (
    CountForecast,
    FrequencyInputError,
    FrequencyResult,
    IrregularSeriesError,
    fit_frequency,
)

from ._frequency import monthly, simulated


@pytest.fixture(scope="module")
def sim():
    return simulated()


# ---------------------------------------------------------------- published results
def _serial_se(glm, serial: dict) -> pd.Series:
    """The GLM's standard errors, made robust to an AR(1) on the log mean by brute force:
    V J V with J = V^-1 + X' C X, C[t, u] = mu_t mu_u (exp(s2 phi^|t-u|) - 1) off the
    diagonal (the model's own when no autocorrelation was found)."""
    V = glm.cov_params().to_numpy()
    if not serial:
        return glm.bse
    X, mu = glm.model.exog, glm.mu
    lag = np.abs(np.subtract.outer(np.arange(len(mu)), np.arange(len(mu))))
    C = np.outer(mu, mu) * np.expm1(serial["ar_sd"] ** 2 * serial["ar"] ** lag)
    np.fill_diagonal(C, 0.0)
    J = np.linalg.inv(V) + X.T @ C @ X
    return pd.Series(np.sqrt(np.diag(V @ J @ V)), index=glm.bse.index)


def test_polio_poisson_glm_matches_independent_fit(realdata):
    """Zeger (1988): Poisson regression of US polio cases on trend and annual and
    semi-annual harmonics. The independent fit is statsmodels' GLM on the covariates
    shipped with the data (glarma's Trend is (t - 73) / 1000)."""
    import statsmodels.api as sm

    pol = pd.read_csv(realdata("polio.csv"))
    cols = ["Intcpt", "Trend", "CosAnnual", "SinAnnual", "CosSemiAnnual", "SinSemiAnnual"]
    glm = sm.GLM(pol["Cases"], pol[cols], family=sm.families.Poisson()).fit()
    # the published GLM estimates (glarma documentation; Davis, Dunsmuir & Streett 2003)
    assert glm.params["Intcpt"] == pytest.approx(0.2069, abs=1e-3)
    assert glm.params["Trend"] == pytest.approx(-4.7987, abs=1e-3)
    y = pd.Series(pol["Cases"].to_numpy(), index=pd.date_range("1970-01-01", periods=len(pol), freq="MS"))
    res = fit_frequency(y, trend="linear", family="poisson", harmonics=2)
    assert res.llf == pytest.approx(glm.llf, abs=1e-6)
    # our trend is per year since Jan 1970: trend_ours = Trend_glarma * 12 / 1000
    assert res.params["trend"] == pytest.approx(glm.params["Trend"] * 12 / 1000, rel=1e-5)
    for ours, theirs in [("cos1", "CosAnnual"), ("sin1", "SinAnnual"), ("cos2", "CosSemiAnnual"),
                         ("sin2", "SinSemiAnnual")]:
        assert res.params[ours] == pytest.approx(glm.params[theirs], abs=1e-6)
        assert res.to_frame().loc[ours, "std_err"] == pytest.approx(_serial_se(glm, res.serial)[theirs], rel=1e-4)
    # the polio series is overdispersed: the NB fit says so
    nb = fit_frequency(y, trend="linear", family="negbin")
    assert nb.tests.loc["Overdispersion (LR, alpha = 0)", "p_value"] < 1e-6
    assert nb.alpha > 0.2
    # a flexible trend takes up some of the extra variation, not all of it
    auto = fit_frequency(y, family="negbin")
    assert auto.tests.loc["Overdispersion (LR, alpha = 0)", "p_value"] < 1e-3
    assert auto.trend_aic["chosen"].sum() == 1 and auto.aic <= nb.aic


# ---------------------------------------------------------------- simulated truth
def test_recovers_simulated_parameters(sim):
    df, y = sim
    truth = df.attrs["truth"]
    res = fit_frequency(y, trend="linear", harmonics=1, breaks=["2008-01-01"])
    t = res.to_frame()
    # the line is centred on the middle of the span: the intercept is the log rate there
    const = truth["intercept"] + truth["trend"] * res.spec.trend.centre
    for name, value in [("trend", truth["trend"]), ("cos1", truth["cos1"]), ("sin1", truth["sin1"]),
                        ("regime 2008-01-01", -0.6), ("const", const)]:
        assert t.loc[name, "ci_low"] < value < t.loc[name, "ci_high"], name
    seas = res.seasonality().loc[1]
    assert seas["ci_low"] < 0.4 < seas["ci_high"]
    assert seas["peak_period"] == pytest.approx(7, abs=0.5)
    assert t.loc["alpha", "ci_low"] < 0.08 < t.loc["alpha", "ci_high"]
    reg = res.regime_effects()
    assert reg["irr"].iloc[0] == pytest.approx(np.exp(-0.6), rel=0.15)
    assert res.tests.loc["Seasonality (LR)", "p_value"] < 1e-6
    # the fitted mean tracks the true expected counts
    expected = truth["expected_monthly"]
    assert np.corrcoef(res.fitted["mean"], expected)[0, 1] > 0.95
    inside = (res.fitted["pi_low"] <= res.fitted["observed"]) & (res.fitted["observed"] <= res.fitted["pi_high"])
    assert 0.9 < inside.mean() <= 1.0


def test_poisson_data_show_no_overdispersion_and_no_false_seasonality():
    df = analysis.simulate_incidents(n_years=10, start="2005-01-01", base_rate=20, trend=0.0,
                                     seasonal_amplitude=0.0, breaks={}, seed=3)
    res = fit_frequency(monthly(df))
    assert res.tests.loc["Overdispersion (LR, alpha = 0)", "p_value"] > 0.05
    assert res.tests.loc["Seasonality (LR)", "p_value"] > 0.05
    assert res.alpha < 0.02


def test_no_overdispersion_gives_the_poisson_boundary_fit():
    """A sparse series (a group that appears mid-series): the NB2 likelihood peaks at
    alpha = 0, where the MLE is the Poisson fit; it is reported as such, not as an error."""
    rng = np.random.default_rng(4)
    rng.poisson(3, 60)
    y = pd.Series(np.r_[np.zeros(50), rng.poisson(0.3, 20)],
                  index=pd.date_range("2015-01-01", periods=70, freq="MS"))
    with pytest.warns(EstimationWarning, match="boundary"):
        res = fit_frequency(y, trend="linear")
    pois = fit_frequency(y, trend="linear", family="poisson")
    assert res.alpha == 0.0
    assert res.to_frame().loc["alpha", ["ci_low", "ci_high"]].isna().all()
    assert any("boundary" in n for n in res.notes)
    assert res.llf == pytest.approx(pois.llf)
    np.testing.assert_allclose(res.params, pois.params)
    assert any("alpha estimated at 0" in n for n in res.notes)
    assert res.tests.loc["Overdispersion (LR, alpha = 0)", "p_value"] == 1.0


def test_dispersion_is_estimated_not_fixed():
    """statsmodels #8360: the GLM NB family holds alpha fixed; ours must estimate it."""
    for alpha in (0.05, 0.3):
        df = analysis.simulate_incidents(n_years=30, start="1985-01-01", base_rate=30,
                                         dispersion=alpha, breaks={}, seed=8)
        res = fit_frequency(monthly(df))
        lo, hi = res.to_frame().loc["alpha", ["ci_low", "ci_high"]]
        assert lo < alpha < hi


def test_exposure_offset():
    df = analysis.simulate_incidents(n_years=6, seed=2)
    y = monthly(df)
    days = y.index.days_in_month.to_numpy()
    a = fit_frequency(y, trend="linear", exposure=days)
    b = fit_frequency(y, trend="linear")
    assert a.params["const"] == pytest.approx(b.params["const"] - np.log(30.4), abs=0.05)
    assert a.params["trend"] == pytest.approx(b.params["trend"], abs=0.01)


def test_result_object_and_forecast(sim):
    _, y = sim
    res = fit_frequency(y, breaks=["2008-01-01"])
    assert isinstance(res, FrequencyResult) and isinstance(res, analysis.Result)
    with pytest.raises(dataclasses.FrozenInstanceError):
        res.alpha = 1.0
    text = res.summary()
    for word in ("Overdispersion", "Seasonality (LR)", "Ljung-Box", "Regime 2008-01-01 IRR", "irr"):
        assert word in text
    assert "<table" in res._repr_html_()
    assert {"irr", "irr_low", "irr_high"} <= set(res.to_frame().columns)
    ax = res.plot()
    assert len(ax.lines) >= 2
    forecast = res.forecast(24, n_sims=4000, seed=1)
    assert isinstance(forecast, CountForecast) and isinstance(forecast, analysis.Result)
    fc = forecast.to_frame()
    assert list(fc.columns) == ["mean", "alpha", "lower", "upper"]
    assert fc.index[0] == y.index[-1] + y.index.freq and len(fc) == 24
    X = res.spec.design(fc.index)
    np.testing.assert_allclose(fc["mean"], np.exp(X.to_numpy() @ res.params.to_numpy()))
    assert forecast.samples.shape == (4000, 24)
    assert (fc["lower"] <= fc["mean"]).all() and (fc["mean"] <= fc["upper"]).all()
    # the interval is the central conf_level interval of the simulated counts
    q = np.quantile(forecast.samples, [0.025, 0.975], axis=0)
    np.testing.assert_allclose(fc[["lower", "upper"]].to_numpy().T, q)
    assert res.predict.__name__ == "forecast"
    # simulated paths have the NB2 variance mean + alpha mean^2 (plus parameter noise)
    no_param = res.forecast(3, n_sims=20000, parameter_uncertainty=False, seed=2)
    s = no_param.samples
    m = no_param.to_frame()["mean"].to_numpy()
    np.testing.assert_allclose(s.var(axis=0), m + res.alpha * m**2, rtol=0.1)


def test_results_are_records_not_values(sim):
    """to_frame() hands out a copy; results compare by identity."""
    _, y = sim
    res = fit_frequency(y, trend="linear", harmonics=1)
    t = res.to_frame()
    t.loc["trend", "estimate"] = 99.0
    assert res.to_frame().loc["trend", "estimate"] == pytest.approx(res.params["trend"])
    again = fit_frequency(y, trend="linear", harmonics=1)
    assert res != again and res == res
    fc = res.forecast(3, n_sims=200, seed=1)
    f = fc.to_frame()
    f["mean"] = -1.0
    assert (fc.to_frame()["mean"] > 0).all()
    assert fc != res.forecast(3, n_sims=200, seed=1)


# ---------------------------------------------------------------- real data
def test_rand_afghanistan_monthly_seasonality(realdata):
    dates = pd.to_datetime(pd.read_csv(realdata("rand_rdwti_afg.csv"), usecols=["Date"])["Date"])
    # RAND's Afghan coverage runs from 2002 until July 2009 (Aug-Dec 2009 hold 0-5 events,
    # an end of collection rather than of violence); the test fits the covered span.
    idx = pd.date_range("2002-01-01", "2009-07-01", freq="MS")
    counts = dates.dt.to_period("M").value_counts()
    y = pd.Series([int(counts.get(t.to_period("M"), 0)) for t in idx], index=idx)
    res = fit_frequency(y, harmonics=1)  # the annual fighting-season cycle
    assert res.tests.loc["Seasonality (LR)", "p_value"] < 0.01
    assert 4 <= res.seasonality().loc[1, "peak_period"] <= 9  # spring-summer


def test_gtd_afghanistan_monthly_seasonality(realdata):
    g = pd.read_csv(realdata("gtd_2012_2015_afg.csv"), usecols=["iyear", "imonth", "iday"])
    assert (g["imonth"] > 0).all()  # no incident of unknown month to place
    idx = pd.date_range("2012-01-01", "2015-12-01", freq="MS")
    counts = g.groupby(["iyear", "imonth"]).size()
    y = pd.Series([int(counts.get((t.year, t.month), 0)) for t in idx], index=idx)
    res = fit_frequency(y)
    assert res.tests.loc["Seasonality (LR)", "p_value"] < 0.01
    assert 4 <= res.seasonality().loc[1, "peak_period"] <= 9


# ---------------------------------------------------------------- bad input
def _y(n=48, start="2015-01-01"):
    rng = np.random.default_rng(0)
    return pd.Series(rng.poisson(10, n), index=pd.date_range(start, periods=n, freq="MS"))


@pytest.mark.parametrize(
    ("make", "exc", "match"),
    [
        (lambda: _y(8), FrequencyInputError, "too short"),
        (lambda: _y() * 0, FrequencyInputError, "all zeros"),
        (lambda: _y().astype("Float64").mask(_y().index.month == 3), FrequencyInputError, "missing values"),
        (lambda: _y().drop(_y().index[5]).pipe(lambda s: s.set_axis(pd.DatetimeIndex(s.index.to_numpy()))),
         IrregularSeriesError, "irregular"),
        (lambda: _y() / 2, FrequencyInputError, "whole numbers"),
        (lambda: -_y(), FrequencyInputError, "non-negative"),
        (lambda: _y().to_numpy(), FrequencyInputError, "pandas Series"),
        (lambda: _y().reset_index(drop=True), IrregularSeriesError, "DatetimeIndex"),
    ],
)
def test_bad_series(make, exc, match):
    with pytest.raises(exc, match=match):
        fit_frequency(make())


def test_bad_options():
    y = _y()
    with pytest.raises(FrequencyInputError, match="outside the series"):
        fit_frequency(y, breaks=["2030-01-01"])
    with pytest.raises(FrequencyInputError, match="family"):
        fit_frequency(y, family="gaussian")
    with pytest.raises(FrequencyInputError, match="identity link"):
        fit_frequency(y, ar_lags=(1,), link="identity")
    with pytest.raises(FrequencyInputError, match="harmonics"):
        fit_frequency(y, harmonics=7)
    with pytest.warns(AnalysisWarning, match="fewer than two years"):
        fit_frequency(_y(20), harmonics=1)
    # an irregular series is an error, never silently regularised; a NA gap is never dropped
    assert issubclass(IrregularSeriesError, ValueError)


# ---------------------------------------------------------------- coverage study (slow)
@pytest.mark.slow
def test_interval_coverage_over_200_simulations():
    """benchmarks/coverage_frequency.py: 95% intervals of the trend, the seasonal
    amplitude and the regime effect cover the truth 90-98% of the time (200 replicates)."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "benchmarks" / "coverage_frequency.py"
    spec = importlib.util.spec_from_file_location("coverage_frequency", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    _, summary = mod.run_study(n_sims=200, seed=1)
    for name in ("trend", "amplitude", "regime"):
        assert 0.90 <= summary.loc[name, "coverage_95"] <= 0.98, summary
