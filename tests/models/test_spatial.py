"""The endemic–epidemic model against R surveillance's hhh4 (golden values from
surveillance 1.20.3 on measlesWeserEms; tests never call R), its analytic derivatives,
parameter recovery on simulated panels, and the result objects."""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np
import pandas as pd
import pytest

import analysis
from analysis.errors import EstimationWarning, InputError
from analysis.models.spatial import (
    EndemicEpidemicResult,
    adjacency_orders,
    fit_endemic_epidemic,
    simulate_endemic_epidemic,
)
from analysis.models.spatial.design import build_design
from analysis.models.spatial.likelihood import evaluate

# ------------------------------------------------------------------ golden values (R)
#: hhh4(measlesWeserEms, end = ~1 + t + sin + cos (period 52, population offset),
#: ar = ~1, ne = ~1 with neighbourhood == 1, NegBin1); also in realdata/PROVENANCE.md
R_ADJACENT = {
    "loglik": -971.7209,
    "ar": -0.437880041279, "ne": -4.147421098641, "end_intercept": 0.077190430682,
    "end_trend": 0.001184455153, "end_sin_1": 0.937730753600, "end_cos_1": -0.689996010456,
    "overdispersion": 2.013839027762,
}
R_ADJACENT_SE = {
    "ar": 0.1228232123, "ne": 0.2657595177, "end_intercept": 0.2581249201, "end_trend": 0.0042588485,
    "end_sin_1": 0.1910547129, "end_cos_1": 0.1781526999,
}
#: the same with W_powerlaw(maxlag = 5)
R_POWERLAW = {
    "loglik": -964.9983,
    "ar": -0.467239438161, "ne": -2.296596837979, "end_intercept": -0.058916181474,
    "end_trend": 0.002284124184, "end_sin_1": 0.968622680271, "end_cos_1": -0.648357401498,
    "ne_decay": 6.569732683028, "overdispersion": 1.914565548272,
}
R_POWERLAW_SE = {"ar": 0.1226219502, "ne": 0.2333099028, "ne_decay": 4.1212228032}
#: family = "Poisson", adjacency weights
R_POISSON = {
    "loglik": -1233.65229587, "ar": -0.215931989878, "ne": -4.328877198539,
    "end_intercept": 0.053461517428, "end_trend": 0.001622884145,
    "end_sin_1": 0.983530599883, "end_cos_1": -0.735879649009,
}
#: unit-specific endemic intercepts, no offset, the 15 districts with counts in weeks 2..104
R_UNIT = {
    "loglik": -901.224073948, "ar": -0.5254336837, "ne": -5.0991654424,
    "end_sin_1": 1.0369613003, "end_cos_1": -0.7825475965, "end_intercept_03402": -1.2121489266,
    "end_intercept_03457": -0.6093470146, "end_intercept_03459": -1.9570697428,
    "overdispersion": 1.4375259319,
}
#: oneStepAhead(fit_powerlaw, tp = 80, type = "rolling" / "final"), colMeans(scores(...))
R_OSA_ROLLING = {"logs": 0.16383759339, "rps": 0.03988141388, "dss": -2.24688017848, "ses": 0.05448063420}
R_OSA_FINAL = {"logs": 0.15919535206, "rps": 0.03872736110, "dss": -2.32156413455, "ses": 0.04953150761}


@pytest.fixture(scope="module")
def measles(realdata_dir):
    """(counts, orders, population fractions) of measlesWeserEms."""
    files = [realdata_dir / f"measles_weser_ems_{k}.csv" for k in ("counts", "nborder", "popfrac")]
    if not all(f.exists() for f in files):
        pytest.skip("measlesWeserEms extracts not available")
    raw = pd.read_csv(files[0], dtype=str)
    counts = raw.drop(columns=["week", "year"]).astype(int)
    counts.index = pd.date_range("2001-01-01", periods=len(counts), freq="W-MON")
    orders = pd.read_csv(files[1], index_col=0, dtype={0: str})
    orders.index = orders.index.astype(str).str.zfill(5)
    pop = pd.read_csv(files[2], dtype=float).iloc[0]
    return counts, orders, pop


def _fit(measles, **kw):
    counts, orders, pop = measles
    kw = {"population": pop, "trend": True, "harmonics": 1, **kw}
    return fit_endemic_epidemic(counts, neighbours=orders, **kw)


def _assert_matches(fit, golden, ll_tol, rel=0.005):
    assert fit.loglik == pytest.approx(golden["loglik"], abs=ll_tol)
    est = fit.to_frame()["estimate"]
    for name, value in golden.items():
        if name != "loglik":
            assert est[name] == pytest.approx(value, rel=rel, abs=1e-6), name


@pytest.mark.realdata
def test_adjacency_weights_reproduce_hhh4(measles):
    fit = _fit(measles)
    _assert_matches(fit, R_ADJACENT, 0.01)
    table = fit.to_frame()
    for name, se in R_ADJACENT_SE.items():
        assert table.at[name, "std_err"] == pytest.approx(se, rel=0.01), name
    # overdispersion's standard error by the delta method, as in PROVENANCE.md
    assert table.at["overdispersion", "std_err"] == pytest.approx(0.2854, rel=0.01)
    assert list(table.columns) == ["estimate", "std_err", "ci_low", "ci_high"]
    assert fit.converged and fit.n_obs == 17 * 103


@pytest.mark.realdata
def test_powerlaw_weights_reproduce_hhh4(measles):
    fit = _fit(measles, weights="powerlaw")
    _assert_matches(fit, R_POWERLAW, 0.05)
    for name, se in R_POWERLAW_SE.items():
        assert fit.to_frame().at[name, "std_err"] == pytest.approx(se, rel=0.01), name


@pytest.mark.realdata
def test_poisson_and_unit_intercepts_reproduce_hhh4(measles):
    _assert_matches(_fit(measles, family="poisson"), R_POISSON, 0.01)
    counts, orders, _ = measles
    keep = counts.columns[counts.iloc[1:].sum() > 0]
    fit = fit_endemic_epidemic(
        counts[keep], neighbours=orders, harmonics=1, unit_intercepts=True,
    )
    _assert_matches(fit, R_UNIT, 0.01)
    assert "end_intercept" not in fit.to_frame().index


@pytest.mark.realdata
def test_one_step_ahead_scores_reproduce_hhh4(measles):
    fit = _fit(measles, weights="powerlaw")
    start = fit.counts.index[80]
    for refit, golden in ((True, R_OSA_ROLLING), (False, R_OSA_FINAL)):
        osa = fit.one_step_ahead(start, refit=refit)
        means = osa.to_frame()["mean"]
        for name, value in golden.items():
            assert means[name] == pytest.approx(value, rel=1e-4), (refit, name)
        assert len(osa.predictions) == 24 * 17 and osa.n_not_converged == 0


@pytest.mark.realdata
@pytest.mark.parametrize("weights", ["adjacent", "powerlaw"])
def test_score_and_fisher_information_are_the_derivatives(measles, weights):
    counts, orders, pop = measles
    design = build_design(
        counts, orders, pop, trend=True, harmonics=2, period=52, family="negbin1", weights=weights,
    )
    rng = np.random.default_rng(4)
    theta = np.array([-0.5, -3.0 if weights == "adjacent" else -2.0, 0.1, 0.001, 0.9, -0.7, 0.1, 0.05]
                     + ([2.0] if weights == "powerlaw" else []) + [-0.6])
    theta = theta + 0.05 * rng.normal(size=theta.size)
    _, score, fisher = evaluate(theta, design)
    eps = 1e-6
    unit = np.eye(theta.size)
    num_score = [(evaluate(theta + eps * u, design, 0) - evaluate(theta - eps * u, design, 0)) / (2 * eps) for u in unit]
    num_hess = [(evaluate(theta + eps * u, design, 1)[1] - evaluate(theta - eps * u, design, 1)[1]) / (2 * eps) for u in unit]
    np.testing.assert_allclose(score, num_score, rtol=1e-5, atol=1e-3)
    np.testing.assert_allclose(-fisher, np.array(num_hess), rtol=1e-5, atol=1e-2)


# ------------------------------------------------------------------ simulated panels
def _grid(rows: int, cols: int) -> pd.DataFrame:
    names = [f"u{r}{c}" for r in range(rows) for c in range(cols)]
    rr, cc = np.divmod(np.arange(rows * cols), cols)
    adjacent = (np.abs(rr[:, None] - rr[None, :]) + np.abs(cc[:, None] - cc[None, :])) == 1
    return adjacency_orders(pd.DataFrame(adjacent, index=names, columns=names))


TRUTH = {
    "ar": np.log(0.45), "ne": np.log(0.08), "end_intercept": np.log(1.5), "end_sin_1": 0.6,
    "end_cos_1": -0.3, "overdispersion": 0.4,
}


@pytest.mark.parametrize("weights,extra", [("adjacent", {}), ("powerlaw", {"ne": np.log(0.3), "ne_decay": 1.5})])
def test_recovers_known_coefficients(weights, extra):
    orders = _grid(6, 5)
    truth = {**TRUTH, **extra}
    counts = simulate_endemic_epidemic(orders, truth, periods=520, weights=weights, seed=11)
    fit = fit_endemic_epidemic(counts, neighbours=orders, harmonics=1, weights=weights)
    table = fit.to_frame()
    assert fit.converged
    for name, value in truth.items():
        lo, hi = table.at[name, "ci_low"], table.at[name, "ci_high"]
        width = hi - lo
        # within the 95% interval widened by half its width (a 1-in-1000-ish miss)
        assert lo - width / 2 <= value <= hi + width / 2, (name, value, lo, hi)


def test_simulator_is_reproducible_and_checks_its_coefficients():
    orders = _grid(3, 3)
    a = simulate_endemic_epidemic(orders, TRUTH, periods=60, seed=3)
    b = simulate_endemic_epidemic(orders, TRUTH, periods=60, seed=3)
    pd.testing.assert_frame_equal(a, b)
    assert a.shape == (60, 9) and list(a.columns) == list(orders.index)
    assert (a.to_numpy() >= 0).all()
    with pytest.raises(InputError, match="ne_decay"):
        simulate_endemic_epidemic(orders, TRUTH, periods=10, weights="powerlaw")
    with pytest.raises(InputError, match="end_cos_2"):
        simulate_endemic_epidemic(orders, {**TRUTH, "end_sin_2": 0.1}, periods=10)


# ------------------------------------------------------------------ result objects
@pytest.fixture(scope="module")
def small_fit():
    orders = _grid(4, 4)
    counts = simulate_endemic_epidemic(orders, TRUTH, periods=200, seed=5)
    return fit_endemic_epidemic(counts, neighbours=orders, harmonics=1)


def test_result_is_a_frozen_result_with_copies(small_fit):
    assert isinstance(small_fit, analysis.Result)
    assert isinstance(small_fit, EndemicEpidemicResult)
    with pytest.raises(dataclasses.FrozenInstanceError):
        small_fit.loglik = 0.0
    assert small_fit != small_fit.__class__(**{f.name: getattr(small_fit, f.name) for f in dataclasses.fields(small_fit)})
    frame = small_fit.to_frame()
    frame.iloc[0, 0] = 99.0
    assert small_fit.to_frame().iloc[0, 0] != 99.0
    text = small_fit.summary()
    assert "log-likelihood" in text and "overdispersion" in text
    assert "<table" in small_fit._repr_html_()
    assert small_fit.aic == pytest.approx(-2 * small_fit.loglik + 2 * len(frame))


def test_decomposition_adds_up_to_the_fitted_mean(small_fit):
    parts = small_fit.fitted_components()
    total = sum(parts.values())
    dec = small_fit.decompose()
    np.testing.assert_allclose(dec.components.sum(axis=1), total.sum(axis=1))
    assert dec.shares().sum() == pytest.approx(1.0)
    shares = small_fit.component_shares()
    np.testing.assert_allclose(shares.sum(axis=1), 1.0)
    one = small_fit.decompose("u00")
    np.testing.assert_allclose(one.components.sum(axis=1), total["u00"])
    np.testing.assert_allclose(dec.observed, small_fit.counts.iloc[1:].sum(axis=1))
    with pytest.raises(InputError):
        small_fit.decompose(["nowhere"])


def test_plots_return_axes(small_fit):
    import matplotlib.pyplot as plt

    ax = small_fit.plot()
    assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()
    _, given = plt.subplots()
    assert small_fit.decompose("u11").plot(ax=given) is given
    assert small_fit.simulate(5, seed=1).plot() is not None
    assert small_fit.one_step_ahead(small_fit.counts.index[-5], refit=False).plot() is not None
    plt.close("all")


def test_simulation_from_the_fit(small_fit):
    a = small_fit.simulate(20, seed=7)
    b = small_fit.simulate(20, seed=7)
    np.testing.assert_array_equal(a.paths, b.paths)
    assert a.paths.shape == (20, len(small_fit.counts) - 1, small_fit.counts.shape[1])
    table = a.to_frame()
    assert list(table.index) == list(small_fit.counts.columns)
    assert (table["q05"] <= table["q95"]).all()
    with pytest.raises(InputError):
        small_fit.simulate(0)


def test_one_step_ahead_refits_on_the_past_only(small_fit):
    start = small_fit.counts.index[-3]
    rolling = small_fit.one_step_ahead(start)
    assert rolling.predictions["period"].nunique() == 3
    assert set(rolling.scores("unit").columns) == {"logs", "rps", "dss", "ses"}
    # the first rolling prediction is the mean under a fit to the periods before it
    counts = small_fit.counts
    past = fit_endemic_epidemic(counts.iloc[:-3], neighbours=small_fit.neighbours, harmonics=1)
    est = past.to_frame()["estimate"]
    t = len(counts) - 3
    season = est["end_sin_1"] * np.sin(2 * np.pi * t / 52) + est["end_cos_1"] * np.cos(2 * np.pi * t / 52)
    lag = counts.iloc[t - 1].to_numpy(dtype=float)
    adjacent = (small_fit.neighbours.to_numpy() == 1).astype(float)
    expected = np.exp(est["end_intercept"] + season) + np.exp(est["ar"]) * lag + np.exp(est["ne"]) * lag @ adjacent
    first = rolling.predictions[rolling.predictions["period"] == counts.index[t]]
    np.testing.assert_allclose(first["mean"], expected, rtol=1e-6)
    with pytest.raises(InputError):
        small_fit.one_step_ahead(small_fit.counts.index[1])


# ------------------------------------------------------------------ bad input, untrusted fits
def test_data_that_cannot_identify_the_model_are_refused():
    orders = _grid(2, 2)
    index = pd.date_range("2020-01-06", periods=10, freq="W-MON")
    zeros = pd.DataFrame(0, index=index, columns=orders.index)
    with pytest.raises(InputError, match="not estimable from these data: every count is zero"):
        fit_endemic_epidemic(zeros, neighbours=orders)
    alternate = zeros.copy()
    alternate.iloc[::2, 0] = 1  # never two periods in a row in the same unit
    with pytest.raises(InputError, match="two consecutive periods"):
        fit_endemic_epidemic(alternate, neighbours=orders)
    with pytest.raises(InputError, match="unit_intercepts=False"):
        fit_endemic_epidemic(zeros.assign(u00=1), neighbours=orders, unit_intercepts=True)
    with pytest.raises(InputError, match="whole numbers"):
        fit_endemic_epidemic(zeros + 0.5, neighbours=orders)
    with pytest.raises(InputError, match="lacks the units"):
        fit_endemic_epidemic(zeros.assign(extra=1), neighbours=orders)
    with pytest.raises(InputError, match="family"):
        fit_endemic_epidemic(zeros, neighbours=orders, family="negbin")


def test_underdispersed_counts_warn_and_give_nan_intervals():
    orders = _grid(3, 3)
    index = pd.date_range("2020-01-06", periods=80, freq="W-MON")
    ones = pd.DataFrame(1, index=index, columns=orders.index)  # variance 0 < mean
    with pytest.warns(EstimationWarning, match="overdispersion"):
        fit = fit_endemic_epidemic(ones, neighbours=orders)
    table = fit.to_frame()
    assert table[["std_err", "ci_low", "ci_high"]].isna().all().all()
    assert not fit.converged
    with warnings.catch_warnings():
        warnings.simplefilter("error", EstimationWarning)
        poisson = fit_endemic_epidemic(ones, neighbours=orders, family="poisson")
    assert poisson.to_frame()["ci_low"].notna().all()


def test_missing_counts_leave_the_likelihood():
    orders = _grid(3, 3)
    counts = simulate_endemic_epidemic(orders, TRUTH, periods=120, seed=2).astype("Float64")
    counts.iloc[50, 4] = pd.NA
    fit = fit_endemic_epidemic(counts, neighbours=orders, harmonics=1)
    # the cell itself, the centre's next period, and its 4 neighbours' next periods
    assert fit.n_obs == 119 * 9 - 1 - 1 - 4
    assert np.isnan(fit.fitted_components()["endemic"].iloc[49, 4])
