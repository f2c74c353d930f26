"""Hawkes models: exact likelihood against a naive computation, gradients, recovery of
known parameters, surge-versus-contagion, ties, bad input, bivariate, real data."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import integrate

import analysis
from analysis.models import hawkes as H
from analysis.models.hawkes import (
    HawkesInputError,
    fit_hawkes,
    fit_hawkes_bivariate,
    hawkes_loglik,
    simulate_hawkes,
    simulate_hawkes_bivariate,
)

ENGINES = ["numpy"] + (["numba"] if H.HAVE_NUMBA else [])


def naive_loglik(t, mu_fn, mu_int, eta, beta, T):
    """Independent O(n^2) log-likelihood: direct double sum, compensator term by term."""
    ll = 0.0
    for i, ti in enumerate(t):
        ll += math.log(mu_fn(ti) + eta * beta * sum(math.exp(-beta * (ti - tj)) for tj in t[:i]))
    comp = mu_int + eta * sum(1.0 - math.exp(-beta * (T - tj)) for tj in t)
    return ll - comp


@pytest.fixture(scope="module")
def sim_times():
    return simulate_hawkes(0.4, 0.5, 1.5, 800.0, seed=11)


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("params", [(0.4, 0.5, 1.5), (1.3, 0.9, 0.05), (0.01, 0.2, 30.0)])
def test_loglik_matches_naive_constant(sim_times, engine, params):
    mu, eta, beta = params
    T = 800.0
    t = sim_times[:400]
    ref = naive_loglik(list(t), lambda s: mu, mu * T, eta, beta, T)
    got = hawkes_loglik(t, mu=mu, branching=eta, decay=beta, end=T, engine=engine)
    assert abs(got - ref) <= 1e-8 * abs(ref)


@pytest.mark.parametrize("engine", ENGINES)
def test_loglik_matches_naive_trend_seasonal(sim_times, engine):
    T = 800.0
    t = sim_times[:300]
    bg = H._Background("trend_seasonal", T, harmonics=2, phase0=0.3, trend_df=3)
    b = np.array([-1.0, 0.4, -0.3, 0.2, 0.5, -0.4, 0.1, 0.2])
    assert bg.p == len(b)
    mu_fn = lambda s: float(bg.rate(np.array([s]), b)[0])  # noqa: E731
    pts = [*bg.knots]
    mu_int = integrate.quad(mu_fn, 0, T, limit=500, points=pts, epsabs=0, epsrel=1e-13)[0]
    eta, beta = 0.5, 1.5
    ref = naive_loglik(list(t), mu_fn, mu_int, eta, beta, T)
    model = H._UniModel(t, bg, engine)
    got = model.loglik_grad_natural(b, eta, beta)[0]
    assert abs(got - ref) <= 1e-8 * abs(ref)
    # the cumulative background integral at arbitrary points (used by time rescaling)
    for s in (3.3, 401.7, 799.99):
        exact = integrate.quad(mu_fn, 0, s, limit=500, points=[p for p in pts if p < s])[0]
        assert bg.cumulative(np.array([s]), b)[0] == pytest.approx(exact, rel=1e-10)


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("kind", ["constant", "trend_seasonal"])
def test_gradient_matches_finite_differences(sim_times, engine, kind):
    bg = H._Background(kind, 800.0)
    model = H._UniModel(sim_times, bg, engine)
    th = np.r_[math.log(0.4), np.full(bg.p - 1, 0.1), math.log(0.5), math.log(1.5)]
    _, g = model.loglik_grad(th)
    h = 1e-6
    num = np.array(
        [(model.loglik(th + h * e) - model.loglik(th - h * e)) / (2 * h) for e in np.eye(len(th))]
    )
    np.testing.assert_allclose(g, num, rtol=1e-5, atol=1e-4)


@pytest.mark.skipif(not H.HAVE_NUMBA, reason="analytic Hessian kernel needs numba")
def test_analytic_hessian(sim_times):
    model = H._UniModel(sim_times, H._Background("constant", 800.0), "numba")
    th = np.log([0.4, 0.5, 1.5])
    ll, g, Hm = model.loglik_grad_hess(th)
    ll2, g2 = model.loglik_grad(th)
    assert ll == pytest.approx(ll2, rel=1e-12)
    np.testing.assert_allclose(g, g2, rtol=1e-10)
    num = -H._numeric_hessian(lambda z: -model.loglik_grad(z)[1], th)
    np.testing.assert_allclose(Hm, num, rtol=1e-5, atol=1e-3)


def test_recovers_known_parameters():
    t = simulate_hawkes(0.8, 0.6, 2.0, 5000.0, seed=3)
    r = fit_hawkes(t, end=5000.0)
    assert r.branching_ci[0] < 0.6 < r.branching_ci[1]
    assert r.decay_ci[0] < 2.0 < r.decay_ci[1]
    assert r.mu_mean == pytest.approx(0.8, rel=0.1)
    assert r.ks_pvalue > 0.01
    assert r.triggered_share == pytest.approx(0.6, abs=0.05)
    assert r.n_draws == 1 and r.ties == "none"


@pytest.mark.parametrize("engine", ENGINES)
def test_engines_agree(sim_times, engine):
    r = fit_hawkes(sim_times, end=800.0, engine=engine)
    ref = fit_hawkes(sim_times, end=800.0, engine="numpy")
    assert r.loglik == pytest.approx(ref.loglik, abs=1e-6)
    assert r.branching == pytest.approx(ref.branching, rel=1e-4)


def test_trend_seasonal_tells_surge_from_contagion():
    """An inhomogeneous Poisson surge (no contagion at all): the constant background
    reads the surge as contagion; the trend-seasonal background does not."""
    T = 8 * 365.25

    def mu(t):
        return 0.05 * np.exp(0.45 * t / 365.25 + 0.6 * np.sin(2 * np.pi * t / 365.25))

    t = simulate_hawkes(mu, 0.0, 1.0, T, seed=5)  # branching 0: a Poisson process
    const = fit_hawkes(t, end=T)
    ts = fit_hawkes(t, end=T, background="trend_seasonal", harmonics=1)
    assert const.branching_ci[0] > 0.15  # the surge read as contagion
    assert ts.branching_ci[0] < 0.02  # no evidence of contagion once the surge is modelled
    assert ts.aic < const.aic
    assert (
        ts.params.loc["trend_per_year", "ci_low"]
        < 0.45
        < ts.params.loc["trend_per_year", "ci_high"]
    )


def test_simulation_mean_count():
    mu, eta, T = 2.0, 0.5, 2000.0
    ns = [len(simulate_hawkes(mu, eta, 1.0, T, seed=s)) for s in range(30)]
    # E[N] ~ mu T / (1 - eta) (edge effects of order mu/(beta (1-eta)^2) are small here)
    assert np.mean(ns) == pytest.approx(mu * T / (1 - eta), rel=0.02)


def test_simulation_history_offspring():
    """Offspring still due from history: expected count eta * sum exp(-beta (S - s))."""
    hist = np.array([9.0, 9.5, 9.9])
    exp_n = 0.8 * np.exp(-1.0 * (10.0 - hist)).sum()  # first generation only
    n = [
        len(simulate_hawkes(0.0, 0.8, 1.0, 1e4, start=10.0, history=hist, seed=s))
        for s in range(3000)
    ]
    # with cascades the total is exp_n / (1 - eta)
    assert np.mean(n) == pytest.approx(exp_n / 0.2, rel=0.06)


# ------------------------------------------------------------------ ties and inputs
def _day_dates(seed=0, n=300):
    """Day-precision dates of a simulated Hawkes process (many same-day ties)."""
    t = simulate_hawkes(0.3, 0.5, 0.5, 2000.0, seed=seed)[:n]
    return pd.DatetimeIndex(pd.Timestamp("2015-01-01") + pd.to_timedelta(np.floor(t), unit="D"))


def test_long_delay_warns_trend_confounding():
    """Poisson days with a chance upward drift: excitation on the scale of the whole
    window is a trend in disguise, and the user is told so."""
    rng = np.random.default_rng(0)
    days = np.sort(rng.integers(0, 400, 300))
    d = pd.DatetimeIndex(pd.Timestamp("2015-01-01") + pd.to_timedelta(days, unit="D"))
    with pytest.warns(UserWarning, match="trend"):
        fit_hawkes(d, seed=1, n_draws=2)


def test_raw_ties_rejected_with_clear_error():
    t = np.sort(np.r_[np.arange(50.0), np.arange(20.0)])
    with pytest.raises(HawkesInputError, match="ties"):
        fit_hawkes(t)
    with pytest.warns(UserWarning) as rec:
        fit_hawkes(t, ties="raw")
    assert any("without bound" in str(w.message) for w in rec)
    r = fit_hawkes(t, resolution=1.0, seed=1, n_draws=3)
    assert r.n_draws == 3 and r.ties == "jitter"


def test_day_precision_dates_are_jittered_reproducibly():
    d = _day_dates()
    a = fit_hawkes(d, seed=4, n_draws=4)
    b = fit_hawkes(d, seed=4, n_draws=4)
    c = fit_hawkes(pd.Series(d), seed=5, n_draws=4)
    assert a.branching == b.branching and a.loglik == b.loglik
    assert a.branching != c.branching
    assert a.origin == d.min()
    assert a.end == pytest.approx((d.max() - d.min()).days + 1)  # end of the last day
    # jittered times stay inside each event's day
    assert np.all(np.floor(np.sort(a.times)) == np.sort((d - d.min()).days.to_numpy()))


def test_incident_frame_uses_date_windows():
    d = _day_dates(n=200)
    frame = pd.DataFrame({"date": d, "date_earliest": d, "date_latest": d + pd.Timedelta(days=6)})
    frame = frame.sample(frac=1.0, random_state=1)  # records need not be sorted
    r = fit_hawkes(frame, seed=2, n_draws=2)
    assert r.n_events == 200
    lo = (frame["date_earliest"] - d.min()).dt.days.to_numpy()
    assert r.times.min() >= lo.min() and r.times.max() <= lo.max() + 7


def test_end_given_and_end_before_last_event():
    d = _day_dates()
    r = fit_hawkes(d, end=d.max() + pd.Timedelta(days=30), seed=0, n_draws=2)
    assert r.end == pytest.approx((d.max() - d.min()).days + 31)
    with pytest.raises(HawkesInputError, match="before the last event"):
        fit_hawkes(d, end=d.max() - pd.Timedelta(days=3))
    t = np.linspace(0, 100, 50)
    with pytest.raises(HawkesInputError, match="before the last event"):
        fit_hawkes(t, end=50.0)


@pytest.mark.parametrize(
    "bad, match",
    [
        (np.arange(9.0), "at least 10"),
        (np.r_[np.arange(20.0), 3.5], "not sorted"),
        (np.r_[np.arange(20.0), np.nan], "NaN"),
        (pd.DatetimeIndex(["2020-01-01"] * 5 + [None] + ["2020-01-02"] * 10), "NaT"),
        (pd.DatetimeIndex(["2020-03-01"] * 30), "one day"),
        (np.full(30, 4.0), "one day"),
    ],
)
def test_bad_input(bad, match):
    with pytest.raises(HawkesInputError, match=match):
        fit_hawkes(bad)


def test_bad_options():
    t = np.linspace(0, 100, 50)
    with pytest.raises(ValueError, match="kernel"):
        fit_hawkes(t, kernel="power")
    with pytest.raises(ValueError, match="background"):
        fit_hawkes(t, background="spline")
    with pytest.raises(ValueError, match="ties"):
        fit_hawkes(t, ties="drop")
    assert issubclass(HawkesInputError, ValueError)


def test_result_presentation(sim_times):
    import matplotlib.pyplot as plt

    r = fit_hawkes(sim_times, end=800.0)
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


# ------------------------------------------------------------------ bivariate
def test_bivariate_recovers_cross_excitation():
    E = np.array([[0.3, 0.4], [0.0, 0.4]])
    ta, tb = simulate_hawkes_bivariate((0.3, 0.3), E, 1.0, 6000.0, seed=8)
    r = fit_hawkes_bivariate(ta, tb, names=("ISKP", "Taliban"), end=6000.0)
    assert r.excitation_ci_low[0, 1] < 0.4 < r.excitation_ci_high[0, 1]
    assert r.excitation_ci_low[0, 0] < 0.3 < r.excitation_ci_high[0, 0]
    assert r.excitation[1, 0] < 0.08
    assert r.decay_ci[0] < 1.0 < r.decay_ci[1]
    assert r.lr_pvalue < 1e-6
    assert "ISKP -> Taliban" in r.to_frame().index
    assert "LR test" in r.summary()


@pytest.mark.parametrize("engine", ENGINES)
def test_bivariate_loglik_and_gradient(engine):
    E = np.array([[0.3, 0.2], [0.1, 0.4]])
    ta, tb = simulate_hawkes_bivariate((0.2, 0.3), E, 1.2, 600.0, seed=4)
    T = 600.0
    # constant backgrounds: naive O(n^2) double sum
    bg = H._Background("constant", T)
    model = H._BiModel(ta, tb, bg, engine)
    mu, beta = np.array([0.25, 0.35]), 0.9
    x = np.r_[np.log(mu), E.ravel(), math.log(beta)]
    ref = 0.0
    streams = [ta, tb]
    for j in range(2):
        for t in streams[j]:
            lam = mu[j] + sum(
                E[i, j] * beta * np.exp(-beta * (t - streams[i][streams[i] < t])).sum()
                for i in range(2)
            )
            ref += math.log(lam)
        ref -= mu[j] * T + sum(
            E[i, j] * (1 - np.exp(-beta * (T - streams[i]))).sum() for i in range(2)
        )
    assert model.loglik_grad(x)[0] == pytest.approx(ref, rel=1e-10)
    # trend-seasonal backgrounds: analytic gradient against finite differences
    bg = H._Background("trend_seasonal", T, harmonics=1)
    model = H._BiModel(ta, tb, bg, engine)
    x = np.r_[-1.5, 0.1, 0.2, -0.1, -1.2, -0.1, 0.1, 0.2, E.ravel(), math.log(beta)]
    _, g = model.loglik_grad(x)
    h = 1e-6
    num = np.array(
        [
            (model.loglik_grad(x + h * e)[0] - model.loglik_grad(x - h * e)[0]) / (2 * h)
            for e in np.eye(len(x))
        ]
    )
    np.testing.assert_allclose(g, num, rtol=1e-5, atol=1e-4)


def test_bivariate_no_cross_excitation_not_rejected():
    E = np.diag([0.5, 0.3])
    ta, tb = simulate_hawkes_bivariate((0.4, 0.5), E, 2.0, 3000.0, seed=21)
    r = fit_hawkes_bivariate(ta, tb, end=3000.0)
    assert r.lr_pvalue > 0.01
    assert r.loglik >= r.loglik_null - 1e-9
    # univariate fits are the null model's parts: likelihoods add up (shared decay aside)
    assert r.excitation[0, 0] == pytest.approx(0.5, abs=0.12)


# ------------------------------------------------------------------ real data
@pytest.mark.realdata
def test_rand_afghanistan_constant_vs_trend(realdata):
    df = pd.read_csv(realdata("rand_rdwti_afg.csv"), usecols=["Date"], parse_dates=["Date"])
    d = df["Date"]
    d = pd.DatetimeIndex(d[(d >= "2002-01-01") & (d <= "2009-12-31")].sort_values())
    const = fit_hawkes(d, start="2002-01-01", end="2009-12-31", seed=1, n_draws=4)
    ts = fit_hawkes(
        d,
        background="trend_seasonal",
        trend_df=8,
        start="2002-01-01",
        end="2009-12-31",
        seed=1,
        n_draws=4,
    )
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
        start="2002-01-01",
        end="2009-12-31",
        seed=1,
        n_draws=2,
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
