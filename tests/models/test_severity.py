"""Tests of the power-law tail fit (analysis.models.severity: power_law, scan,
alternatives, fit, result).

Anchors: Clauset, Shalizi & Newman (2009, SIAM Review 51(4)) terrorism table (x_min = 12,
alpha = 2.4, n_tail = 547, normalised LR vs lognormal -0.278, vs exponential 2.457, vs
stretched exponential -0.277).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import optimize, special

import analysis
from analysis.models import severity as sv
from analysis.models.severity import alternatives as alt

from ._severity import terrorism_sizes


@pytest.fixture(scope="module")
def terrorism() -> np.ndarray:
    return terrorism_sizes()


# ------------------------------------------------------------------ the fit
def test_alpha_is_the_exact_discrete_mle():
    rng = np.random.default_rng(11)
    x = sv.sample_power_law(3000, 2.3, 4, seed=rng)
    res = analysis.fit_severity(x, xmin=4, alternatives=())
    tail = x[x >= 4]

    def nll(a):
        return a * np.log(tail).sum() + tail.size * np.log(special.zeta(a, 4))

    ref = optimize.minimize_scalar(nll, bounds=(1.01, 6), method="bounded",
                                   options={"xatol": 1e-12}).x
    assert res.alpha == pytest.approx(ref, abs=1e-7)
    assert res.n_tail == tail.size


def test_ks_distance_is_the_csn_supremum_over_integers():
    rng = np.random.default_rng(5)
    x = sv.sample_power_law(400, 2.2, 3, seed=rng)
    res = analysis.fit_severity(x, alternatives=())
    for _, row in res.scan.iloc[:10].iterrows():
        q, a = row["x_min"], row["alpha"]
        tail = x[x >= q]
        ks = np.arange(q, tail.max() + 1)
        emp = np.searchsorted(np.sort(tail), ks, side="right") / tail.size
        fit = 1 - special.zeta(a, ks + 1) / special.zeta(a, q)
        assert row["ks_distance"] == pytest.approx(np.abs(emp - fit).max(), abs=1e-12)


def test_recovers_alpha_and_xmin_from_simulated_body_plus_tail():
    rng = np.random.default_rng(2024)
    n_tail, alpha = 3000, 2.2
    body = rng.integers(1, 10, 4000).astype(float)
    x = np.concatenate([body, sv.sample_power_law(n_tail, alpha, 10, seed=rng)])
    res = analysis.fit_severity(x, alternatives=())
    assert 8 <= res.x_min <= 14
    assert abs(res.alpha - alpha) < 3 * res.alpha_se + 0.02
    assert res.alpha_se == pytest.approx((alpha - 1) / np.sqrt(res.n_tail), rel=0.25)


def test_continuous_fit_recovers_alpha():
    rng = np.random.default_rng(9)
    x = sv.sample_power_law(5000, 2.7, 1.0, discrete=False, seed=rng)
    res = analysis.fit_severity(x, discrete=False, xmin=1.0, alternatives=())
    assert res.alpha == pytest.approx(1 + x.size / np.log(x).sum(), rel=1e-12)
    assert abs(res.alpha - 2.7) < 4 * res.alpha_se


def test_discrete_normalising_sums_match_brute_force():
    k = np.arange(5, 1_000_000, dtype=float)
    cases = {
        "lognormal": np.array([1.0, 1.5]),
        "stretched_exponential": np.array([0.4, 0.3]),
        "truncated_power_law": np.array([1.8, 1e-4]),
        "truncated_power_law ": np.array([2.5, 1e-3]),
        "truncated_power_law  ": np.array([2.0, 5e-3]),
        "exponential": np.array([0.05]),
    }
    for name, theta in cases.items():
        m = alt.MODELS[name.strip()]
        brute = special.logsumexp(m.logf(k, theta))
        assert alt.log_norm(m, theta, 5.0, True) == pytest.approx(brute, abs=1e-6), name


# ------------------------------------------------------------------ published anchors
def test_csn_terrorism_anchor(terrorism):
    res = analysis.fit_severity(terrorism)
    assert res.x_min == 12
    assert res.n_tail == 547
    assert abs(res.alpha - 2.4) < 0.05
    cmp = res.comparisons.set_index("alternative")
    # CSN table 6.x: normalised LR -0.278 (lognormal), 2.457 (exponential), -0.277 (stretched)
    assert cmp.loc["lognormal", "normalized_R"] == pytest.approx(-0.278, abs=0.02)
    assert cmp.loc["exponential", "normalized_R"] == pytest.approx(2.457, abs=0.02)
    assert cmp.loc["stretched_exponential", "normalized_R"] == pytest.approx(-0.277, abs=0.02)
    assert cmp.loc["exponential", "preferred"] == "power law"
    assert cmp.loc["lognormal", "preferred"] == "inconclusive"
    # the cutoff model nests the power law, so it can never fit worse
    assert cmp.loc["truncated_power_law", "loglik_alternative"] >= (
        cmp.loc["truncated_power_law", "loglik_power_law"] - 1e-9
    )


def test_vuong_prefers_exponential_for_geometric_tail():
    rng = np.random.default_rng(8)
    x = rng.geometric(0.1, 5000).astype(float)
    res = analysis.fit_severity(x, xmin=1, alternatives=("exponential",))
    row = res.comparisons.iloc[0]
    assert row["R"] < 0 and row["p"] < 0.01 and row["preferred"] == "exponential"


# ------------------------------------------------------------------ bad input
@pytest.mark.parametrize(
    "bad, match",
    [
        ([], "empty"),
        ([0, 0, 0, 0], "all zeros"),
        ([7, 7, 7, 7, 7], "distinct"),
        ([1, 2, np.nan, 4], "missing"),
        ([1, 2, -3, 4], "negative"),
        ([1.5, 2, 3, 4], "non-integer"),
    ],
)
def test_bad_input_raises_clear_errors(bad, match):
    with pytest.raises(analysis.SeverityInputError, match=match):
        analysis.fit_severity(bad)


def test_pandas_na_and_options_raise():
    s = pd.Series([1, 2, pd.NA, 5, 9], dtype="Int64")
    with pytest.raises(analysis.SeverityInputError, match="missing"):
        analysis.fit_severity(s)
    x = np.arange(1, 200)
    with pytest.raises(analysis.SeverityInputError, match="unknown alternatives"):
        analysis.fit_severity(x, alternatives=("gamma",))
    with pytest.raises(analysis.SeverityInputError):
        analysis.fit_severity(x, xmin="auto")
    with pytest.raises(analysis.SeverityInputError):
        analysis.large_event_probability(x, -5, n_sims=0)


def test_small_tail_warns():
    rng = np.random.default_rng(1)
    x = sv.sample_power_law(30, 2.5, 1, seed=rng)
    x = np.r_[x, 1, 2, 3]
    with pytest.warns(analysis.UnreliableFitWarning, match="unreliable"):
        res = analysis.fit_severity(x, alternatives=())
    assert not res.reliable
    assert "unreliable" in res.summary()


def test_zeros_stay_in_the_body():
    rng = np.random.default_rng(2)
    x = np.r_[np.zeros(500), sv.sample_power_law(2000, 2.5, 1, seed=rng)]
    res = analysis.fit_severity(x, alternatives=())
    assert res.n == 2500 and res.x_min >= 1


# ------------------------------------------------------------------ presentation
def test_result_presentation(terrorism):
    res = analysis.fit_severity(terrorism)
    frame = res.to_frame()
    assert list(frame.index) == ["alpha", "x_min", "n_tail", "ks_distance", "gof_p"]
    text = res.summary()
    assert "alpha" in text and "vs lognormal" in text
    assert "<table>" in res._repr_html_()
    ax = res.plot()
    assert ax.get_xscale() == "log" and len(ax.get_lines()) >= 2
    with pytest.raises(Exception):  # noqa: B017 - frozen
        res.alpha = 3.0  # type: ignore[misc]
    le = analysis.large_event_probability(terrorism, 1000, n_sims=3, seed=1, progress=False)
    assert le.plot() is not None and "<table>" in le._repr_html_()


def test_band_of_severity_fits(terrorism):
    """The count-uncertainty helper runs the severity fit on each casualty band."""
    rng = np.random.default_rng(0)
    best = terrorism
    df = pd.DataFrame({
        "killed_low": np.maximum(best - rng.integers(0, 2, best.size), 0),
        "killed_best": best,
        "killed_high": best + rng.integers(0, 3, best.size),
    })
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", analysis.UnreliableFitWarning)
        band = analysis.casualty_band(
            df, lambda k: {"alpha": analysis.fit_severity(k, alternatives=()).alpha},
            decide=lambda a: a > 2,
        )
    t = band.to_frame()
    assert t.loc["alpha", "band_min"] <= t.loc["alpha", "best"] <= t.loc["alpha", "band_max"]
    assert "conclusion_stable" in t


def test_to_frame_is_a_copy(terrorism):
    res = analysis.fit_severity(terrorism, alternatives=("exponential",))
    frame = res.to_frame()
    frame.loc["alpha", "estimate"] = 99.0
    frame["std_err"] = 0.0
    again = res.to_frame()
    assert again.loc["alpha", "estimate"] == pytest.approx(res.alpha)
    assert again.loc["alpha", "std_err"] == pytest.approx(res.alpha_se)


def test_intervals_follow_conf_level():
    rng = np.random.default_rng(21)
    x = sv.sample_power_law(1500, 2.4, 3, seed=rng)
    wide = analysis.fit_severity(x, alternatives=(), n_sims=30, seed=5, progress=False)
    narrow = analysis.fit_severity(x, alternatives=(), n_sims=30, seed=5, progress=False,
                                   conf_level=0.5)
    pd.testing.assert_frame_equal(wide.boot, narrow.boot)  # same seed, same replicates
    a = wide.boot["alpha"].to_numpy()
    assert wide.to_frame().loc["alpha", "ci_low"] == pytest.approx(np.quantile(a, 0.025))
    assert narrow.to_frame().loc["alpha", "ci_high"] == pytest.approx(np.quantile(a, 0.75))
    assert narrow.conf_level == 0.5
    with pytest.raises(analysis.SeverityInputError, match="conf_level"):
        analysis.fit_severity(x, conf_level=95)


# ------------------------------------------------------------------ calibrated p-values
def test_nested_cutoff_p_value_is_the_boundary_mixture(terrorism):
    """The cutoff model nests the power law at lambda = 0 (a boundary): p is half the
    chi-square(1) tail of 2|R|, and 1 when the cutoff does not help."""
    from scipy import stats

    res = analysis.fit_severity(terrorism, alternatives=("truncated_power_law",))
    row = res.comparisons.iloc[0]
    assert row["nested"] and row["R"] < 0
    assert row["p"] == pytest.approx(0.5 * stats.chi2.sf(2 * abs(row["R"]), 1), rel=1e-12)
    R, _, p = alt.vuong(np.zeros(50), np.zeros(50), nested=True)
    assert R == 0 and p == 1.0


def test_tiny_tail_gives_estimates_without_intervals_or_tests():
    rng = np.random.default_rng(31)
    x = np.r_[sv.sample_power_law(18, 2.2, 20, seed=rng), rng.integers(1, 5, 40)]
    with pytest.warns(analysis.EstimationWarning, match="not estimable from these data"):
        res = analysis.fit_severity(x, xmin=20, n_sims=20, seed=1, progress=False)
    assert res.n_tail <= 20 and np.isfinite(res.alpha)
    assert np.isnan(res.alpha_se) and np.isnan(res.gof_p) and res.boot.empty
    assert res.comparisons["p"].isna().all()
    assert (res.comparisons["preferred"] == "not estimable").all()
    frame = res.to_frame()
    assert frame[["std_err", "ci_low", "ci_high"]].isna().all().all()
    assert res.notes and "not estimable from these data" in res.summary()
    ok = analysis.fit_severity(sv.sample_power_law(400, 2.2, 1, seed=rng), alternatives=())
    assert ok.notes == ()
