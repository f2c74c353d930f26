"""Hawkes models: the univariate fit recovers known parameters and tells a surge from
contagion, its result object, real data, and the parameter-recovery study.

The likelihood, inputs and ties, simulation and the bivariate model have their own
files beside this one (test_hawkes_*.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import analysis
from analysis.errors import EstimationWarning
from analysis.models.hawkes import (
    HawkesResult,
    fit_hawkes,
    fit_hawkes_bivariate,
    simulate_hawkes,
)

from ._hawkes import sim_times as _sim_times


@pytest.fixture(scope="module")
def sim_times():
    return _sim_times()


def test_recovers_known_parameters():
    t = simulate_hawkes(0.8, 0.6, 2.0, 5000.0, seed=3)
    r = fit_hawkes(t, end=5000.0, background="constant")
    assert r.branching_ci[0] < 0.6 < r.branching_ci[1]
    assert r.decay_ci[0] < 2.0 < r.decay_ci[1]
    assert r.mu_mean == pytest.approx(0.8, rel=0.1)
    assert r.ks_pvalue > 0.01
    assert r.triggered_share == pytest.approx(0.6, abs=0.05)
    assert r.n_sims == 1 and r.ties == "none"


def test_trend_seasonal_tells_surge_from_contagion():
    """An inhomogeneous Poisson surge (no contagion at all): the constant background
    reads the surge as contagion; the trend-seasonal background does not."""
    T = 8 * 365.25

    def mu(t):
        return 0.05 * np.exp(0.45 * t / 365.25 + 0.6 * np.sin(2 * np.pi * t / 365.25))

    t = simulate_hawkes(mu, 0.0, 1.0, T, seed=5)  # branching 0: a Poisson process
    const = fit_hawkes(t, end=T, background="constant")
    ts = fit_hawkes(t, end=T, background="trend_seasonal", harmonics=1, trend="linear")
    assert const.branching_ci[0] > 0.15  # the surge read as contagion
    assert ts.branching_ci[0] < 0.02  # no evidence of contagion once the surge is modelled
    assert ts.aic < const.aic
    assert (
        ts.params.loc["trend_per_year", "ci_low"]
        < 0.45
        < ts.params.loc["trend_per_year", "ci_high"]
    )


def test_slow_excitation_is_not_read_as_contagion():
    """Poisson days with a chance upward drift: excitation as slow as the window would
    mimic the drift. The mean delay is capped (30 days, or a tenth of the window), the
    fit finds no self-excitation, and the user is told the branching ratio's interval is
    not estimable."""
    rng = np.random.default_rng(0)
    days = np.sort(rng.integers(0, 400, 300))
    d = pd.DatetimeIndex(pd.Timestamp("2015-01-01") + pd.to_timedelta(days, unit="D"))
    with pytest.warns(EstimationWarning, match="lower bound 0|mean delay is on its bound"):
        r = fit_hawkes(d, seed=1, n_sims=2, background="constant")
    assert r.mean_delay <= 30.0 + 1e-6
    assert not r.estimable and np.isnan(r.branching_ci).all()
    assert r.notes and "not estimable" in " ".join(r.notes)


def test_result_presentation(sim_times):
    import matplotlib.pyplot as plt

    r = fit_hawkes(sim_times, end=800.0, background="constant")
    assert "Branching ratio" in r.summary()
    assert {"mu", "branching", "decay", "mean_delay"} <= set(r.to_frame().index)
    assert "<table>" in r._repr_html_()
    assert r.mean_delay == pytest.approx(1 / r.decay)
    ax = r.plot()
    assert ax.get_xlabel() == "Exp(1) quantile"
    r.plot(kind="intensity")
    # the O(n) intensity equals the direct sum
    q = np.array([0.0, 10.3, r.times[5], 799.0])
    direct = [
        r.mu_mean + r.branching * r.decay * np.exp(-r.decay * (x - r.times[r.times < x])).sum()
        for x in q
    ]
    np.testing.assert_allclose(r.intensity(q), direct, rtol=1e-10)
    plt.close("all")
    assert analysis.fit_hawkes is fit_hawkes


def test_to_frame_is_a_copy_and_results_compare_by_identity(sim_times):
    r = fit_hawkes(sim_times, end=800.0, background="constant")
    assert isinstance(r, HawkesResult)
    table = r.to_frame()
    table.loc["branching", "estimate"] = 99.0
    table["std_err"] *= 2
    del table["unit"]
    again = r.to_frame()
    assert again.loc["branching", "estimate"] == pytest.approx(r.branching)
    assert again.loc["decay", "std_err"] == r.params.loc["decay", "std_err"]
    assert "unit" in again.columns and "unit" in r.params.columns
    # frozen, and equal only to itself (eq=False): a refit with the same numbers is another result
    with pytest.raises(AttributeError):
        r.branching = 0.1
    twin = fit_hawkes(sim_times, end=800.0, background="constant")
    assert twin.branching == r.branching
    assert r == r and r != twin
    assert len({r, twin}) == 2


# ------------------------------------------------------------------ real data
@pytest.mark.realdata
def test_rand_afghanistan_constant_vs_trend(realdata):
    df = pd.read_csv(realdata("rand_rdwti_afg.csv"), usecols=["Date"], parse_dates=["Date"])
    d = df["Date"]
    d = pd.DatetimeIndex(d[(d >= "2002-01-01") & (d <= "2009-12-31")].sort_values())
    window = {"start": "2002-01-01", "end": "2009-12-31", "seed": 1}
    const = fit_hawkes(d, background="constant", n_sims=4, **window)
    ts = fit_hawkes(d, background="trend_seasonal", trend=8, n_sims=4, **window)
    print(
        f"\nRAND 2002-2009: constant eta={const.branching:.3f} {const.branching_ci} "
        f"KS D={const.ks_stat:.4f} p={const.ks_pvalue:.3g}; trend-seasonal eta={ts.branching:.3f} "
        f"{ts.branching_ci} KS D={ts.ks_stat:.4f} p={ts.ks_pvalue:.3g}"
    )
    assert const.branching > 0.8  # the surge read as contagion
    assert ts.branching < const.branching - 0.1
    assert ts.branching_ci[1] < const.branching_ci[0] + 0.05
    assert ts.aic < const.aic
    # two streams: Taliban against all other RAND events, with trend-seasonal backgrounds
    df = pd.read_csv(
        realdata("rand_rdwti_afg.csv"), usecols=["Date", "Perpetrator"], parse_dates=["Date"]
    )
    df = df[(df["Date"] >= "2002-01-01") & (df["Date"] <= "2009-12-31")].sort_values("Date")
    tal = pd.DatetimeIndex(df.loc[df["Perpetrator"] == "Taliban", "Date"])
    oth = pd.DatetimeIndex(df.loc[df["Perpetrator"] != "Taliban", "Date"])
    bi = fit_hawkes_bivariate(
        tal,
        oth,
        names=("Taliban", "other"),
        background="trend_seasonal",
        harmonics=1,
        n_sims=2,
        **window,
    )
    print(bi.summary())
    assert bi.n_events == (len(tal), len(oth))
    assert np.all(bi.excitation_ci_low <= bi.excitation) and np.all(
        bi.excitation <= bi.excitation_ci_high
    )


@pytest.mark.slow
def test_parameter_recovery_study():
    """200 seeded simulations per setting at about 1e3 and 1e4 events: 95% intervals of
    the branching ratio and the decay cover the truth 90-98% of the time and the RMSE
    shrinks with n (benchmarks/recovery_hawkes.py adds 1e5 events)."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "benchmarks" / "recovery_hawkes.py"
    spec = importlib.util.spec_from_file_location("recovery_hawkes", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    mod.SIZES = (1_000, 10_000)
    rows = mod.study(200)
    for r in rows:
        assert 0.90 <= r["branching_coverage"] <= 0.98, r
        assert 0.90 <= r["decay_coverage"] <= 0.98, r
    for k in range(0, len(rows), 2):
        assert rows[k + 1]["branching_rmse"] < rows[k]["branching_rmse"] / 2
        assert rows[k + 1]["decay_rmse"] < rows[k]["decay_rmse"] / 2
