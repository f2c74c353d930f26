"""Tests of lethality trends and the casualty count band (analysis.models.lethality:
trend, trend_tests, periods, band, result)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import analysis


def _frame(rate_per_year: float = 1.0, years: int = 8, attacks: int = 40, mu0: float = 12.0,
           size: float = 2.0, seed: int = 0, perpetrator: str = "ISKP") -> pd.DataFrame:
    """Attacks spread over ``years`` years; deaths per attack NB with mean mu0 * rate**t."""
    rng = np.random.default_rng(seed)
    rows = []
    for y in range(years):
        mu = mu0 * rate_per_year**y
        days = rng.integers(0, 365, attacks)
        k = rng.negative_binomial(size, size / (size + mu), attacks)
        for d, kk in zip(days, k, strict=True):
            rows.append({"date": pd.Timestamp(2015 + y, 1, 1) + pd.Timedelta(days=int(d)),
                         "perpetrator": perpetrator, "killed_best": kk})
    df = pd.DataFrame(rows)
    df["killed_low"] = (df["killed_best"] * 0.8).round().astype(int)
    df["killed_high"] = (df["killed_best"] * 1.2).round().astype(int)
    for c in ("killed_low", "killed_best", "killed_high"):
        df[c] = df[c].astype("Int64")
    return df


def test_recovers_declining_lethality():
    df = _frame(rate_per_year=0.8, attacks=60, seed=1)
    res = analysis.casualty_trend(df, seed=1)
    nb = res.tests[(res.tests["test"].str.startswith("killed per attack")) & (res.tests["band"] == "best")]
    row = nb.iloc[0]
    # the truth is a step per calendar year; check the estimate and the decision rather
    # than this seed's interval
    assert row["estimate"] == pytest.approx(0.8, abs=0.05)
    assert row["ci_high"] < 1
    assert row["conclusion"] == "decreasing"
    assert row["model"].startswith("NB2 GLM per incident")
    assert row["n"] == len(df) and row["note"] == ""
    assert res.tests.groupby("test")["conclusion_stable"].all().all()


def test_no_trend_is_not_called_a_trend():
    df = _frame(rate_per_year=1.0, attacks=50, seed=2)
    res = analysis.casualty_trend(df, value="killed_best", seed=2)
    nb = res.tests[res.tests["test"].str.startswith("killed per attack")].iloc[0]
    assert nb["ci_low"] < 1 < nb["ci_high"]
    assert nb["conclusion"] == "no significant trend"


def test_period_table_counts_and_wilson_intervals():
    df = _frame(attacks=30, seed=3)
    df.loc[df.index[:5], "killed_best"] = pd.NA  # unknown counts are not zeros
    res = analysis.casualty_trend(df, value="killed_best", conf_level=0.95, seed=3)
    per = res.periods
    assert per["attacks"].sum() == df["killed_best"].notna().sum()
    assert per["n_missing"].sum() == 5
    assert per["killed"].sum() == df["killed_best"].sum()
    yr = df.assign(y=df["date"].dt.year).dropna(subset=["killed_best"])
    first = yr[yr["y"] == 2015]["killed_best"].astype(float)
    r0 = per.iloc[0]
    assert r0["median"] == first.median()
    assert r0["killed_per_attack_obs"] == pytest.approx(first.mean())
    # Wilson interval by hand
    n, k = len(first), int((first >= 10).sum())
    z = stats.norm.ppf(0.975)
    p = k / n
    c = (p + z**2 / (2 * n)) / (1 + z**2 / n)
    h = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / (1 + z**2 / n)
    assert r0["mass_ci_low"] == pytest.approx(c - h)
    assert r0["mass_ci_high"] == pytest.approx(c + h)


def _tie_sums(v: np.ndarray) -> tuple[float, float, float]:
    c = pd.Series(v).value_counts().to_numpy(float)
    return (float((c * (c - 1) / 2).sum()), float((c * (c - 1) * (2 * c + 5)).sum()),
            float((c * (c - 1) * (c - 2)).sum()))


def test_mann_kendall_per_incident_matches_hand_computation():
    """Kendall's tau-b between each incident's date and toll, and its tie-corrected normal
    p-value (Kendall 1970), computed pair by pair."""
    df = _frame(rate_per_year=0.9, attacks=12, seed=4)
    df.loc[df.index[::7], "date"] = df["date"].iloc[0]  # ties in time as well as in tolls
    res = analysis.casualty_trend(df, value="killed_best", seed=4)
    t = ((df["date"] - df["date"].min()).dt.days).to_numpy(float)
    y = df["killed_best"].to_numpy(float)
    n = y.size
    i, j = np.triu_indices(n, 1)
    s = float(np.sum(np.sign(t[j] - t[i]) * np.sign(y[j] - y[i])))
    n0 = n * (n - 1) / 2
    (n1, v1, w1), (n2, v2, w2) = _tie_sums(t), _tie_sums(y)
    tau_b = s / np.sqrt((n0 - n1) * (n0 - n2))
    var = ((n * (n - 1) * (2 * n + 5) - v1 - v2) / 18 + w1 * w2 / (9 * n * (n - 1) * (n - 2))
           + (2 * n1) * (2 * n2) / (2 * n * (n - 1)))
    mk = res.tests[res.tests["test"].str.startswith("rank trend")].iloc[0]
    assert mk["estimate"] == pytest.approx(tau_b)
    assert mk["p"] == pytest.approx(2 * stats.norm.sf(abs(s) / np.sqrt(var)), rel=1e-6)
    assert np.isnan(mk["ci_low"]) and np.isnan(mk["ci_high"])


def test_flip_within_band_is_flagged():
    """Best and high counts rise over time; the low count (conservative) does not."""
    rng = np.random.default_rng(5)
    df = _frame(rate_per_year=1.0, attacks=40, mu0=6, seed=5)
    t = (df["date"].dt.year - 2015).to_numpy()
    base = df["killed_best"].astype(float).to_numpy()
    df["killed_low"] = pd.array(rng.poisson(2.0, len(df)), dtype="Int64")
    df["killed_best"] = pd.array(np.round(base * 1.35**t), dtype="Int64")
    df["killed_high"] = pd.array(np.round(base * 1.45**t), dtype="Int64")
    with pytest.warns(analysis.EstimationWarning, match="no attack with 10"):
        res = analysis.casualty_trend(df, seed=5)
    nb = res.tests[res.tests["test"].str.startswith("killed per attack")].set_index("band")
    assert nb.loc["best", "conclusion"] == "increasing"
    assert nb.loc["low", "conclusion"] == "no significant trend"
    assert not nb["conclusion_stable"].any()
    assert len(res.unstable) > 0
    assert "see .unstable" in res.summary()


def test_by_perpetrator_and_presentation():
    df = pd.concat([_frame(0.8, seed=6, perpetrator="ISKP"),
                    _frame(1.1, seed=7, perpetrator="Taliban")], ignore_index=True)
    res = analysis.casualty_trend(df, by="perpetrator", freq="YS", n_sims=199, seed=6)
    assert set(res.periods["group"]) == {"ISKP", "Taliban"}
    assert set(res.tests["band"]) == {"low", "best", "high"}
    nb = res.tests[(res.tests["test"].str.startswith("killed per attack")) & (res.tests["band"] == "best")]
    concl = nb.set_index("group")["conclusion"]
    assert concl["ISKP"] == "decreasing"
    assert "<table>" in res._repr_html_()
    assert res.plot() is not None
    q = analysis.casualty_trend(df, by="perpetrator", freq="QS", n_sims=199, seed=6)
    assert q.periods["period"].nunique() > res.periods["period"].nunique()


def test_bundled_data_runs_per_perpetrator():
    df = analysis.load_incidents()
    with pytest.warns(analysis.EstimationWarning, match="not estimable"):
        res = analysis.casualty_trend(df, by="perpetrator", seed=7)
    best = res.periods[res.periods["band"] == "best"]
    assert best["attacks"].sum() == df["killed_best"].notna().sum()
    assert best["n_missing"].sum() == df["killed_best"].isna().sum()
    assert {"conclusion_stable", "conclusion", "p"} <= set(res.to_frame().columns)


@pytest.mark.parametrize(
    "make, match",
    [
        (lambda df: df.iloc[:0], "empty"),
        (lambda df: df.drop(columns="killed_high"), "lacks"),
        (lambda df: df.assign(killed_best=-df["killed_best"] - 1), "negative"),
        (lambda df: df.assign(date=df["date"].astype(str)), "datetime64"),
        (lambda df: df.assign(date=df["date"].where(df.index > 0)), "missing"),
        (lambda df: df["killed_best"], "DataFrame"),
    ],
)
def test_bad_input(make, match):
    df = _frame(attacks=5, years=3)
    with pytest.raises(analysis.CasualtyInputError, match=match):
        analysis.casualty_trend(make(df), seed=0)


def test_bad_options():
    df = _frame(attacks=5, years=3)
    with pytest.raises(analysis.CasualtyInputError, match="value"):
        analysis.casualty_trend(df, value="deaths")
    with pytest.raises(analysis.CasualtyInputError, match="by="):
        analysis.casualty_trend(df, by="group")
    with pytest.raises(analysis.CasualtyInputError):
        analysis.casualty_band(df, np.mean, value="injured")
    with pytest.raises(analysis.CasualtyInputError, match="n_sims"):
        analysis.casualty_trend(df, n_sims=10)
    with pytest.raises(analysis.CasualtyInputError, match="mass_threshold"):
        analysis.casualty_trend(df, mass_threshold=0)


def test_casualty_band_flags_flip():
    df = _frame(attacks=30, seed=8)
    band = analysis.casualty_band(
        df, lambda k: {"mean": k.mean(), "share_mass": (k >= 10).mean()},
        decide=lambda v: v > float(df["killed_best"].astype(float).mean()),
    )
    t = band.to_frame()
    assert t.loc["mean", "low"] < t.loc["mean", "best"] < t.loc["mean", "high"]
    assert not bool(t.loc["mean", "conclusion_stable"])  # low below, high above the cut
    assert "YES" in band.summary()
    assert band.plot() is not None
    single = analysis.casualty_band(df, np.median)
    assert list(single.to_frame().index) == ["median"]


def test_to_frame_is_a_copy_and_conf_level_sets_the_intervals():
    df = _frame(rate_per_year=0.9, attacks=30, seed=9)
    res = analysis.casualty_trend(df, value="killed_best", seed=9)
    narrow = analysis.casualty_trend(df, value="killed_best", conf_level=0.5, seed=9)
    nb, nb50 = (r.tests[r.tests["test"].str.startswith("killed per attack")].iloc[0]
                for r in (res, narrow))
    assert nb50["estimate"] == pytest.approx(nb["estimate"])
    assert nb50["p"] == nb["p"]  # same seed, same permutations
    # intervals symmetric on the log scale around the estimate; with 240 incidents the
    # permutation quantiles of the studentised slope are close to the normal ones
    for r in (nb, nb50):
        assert np.log(r["ci_low"] * r["ci_high"]) == pytest.approx(2 * np.log(r["estimate"]))
    ratio = np.log(nb50["ci_high"] / nb50["ci_low"]) / np.log(nb["ci_high"] / nb["ci_low"])
    assert ratio == pytest.approx(stats.norm.ppf(0.75) / stats.norm.ppf(0.975), rel=0.15)
    assert narrow.conf_level == 0.5
    frame = res.to_frame()
    frame["p"] = 2.0
    assert (res.to_frame()["p"].dropna() <= 1).all()
    band = analysis.casualty_band(df, np.mean, value="killed")
    assert band.value == "killed" and "killed_low" in band.summary()
    t = band.to_frame()
    t["best"] = -1.0
    assert (band.to_frame()["best"] > 0).all()
    with pytest.raises(analysis.CasualtyInputError, match="conf_level"):
        analysis.casualty_trend(df, conf_level=95)


# ------------------------------------------------------------------ degenerate cases
def _not_estimable(res, band: str | None = None) -> pd.DataFrame:
    t = res.tests if band is None else res.tests[res.tests["band"] == band]
    assert t[["estimate", "ci_low", "ci_high", "p"]].isna().all().all()
    assert (t["conclusion"] == "not estimable").all() and (t["note"] != "").all()
    return t


def test_twenty_incidents_are_not_enough_twenty_one_are():
    df = _frame(attacks=7, years=3, seed=10)  # 21 incidents
    with pytest.warns(analysis.EstimationWarning, match="only 20 incidents"):
        res = analysis.casualty_trend(df.iloc[:20], seed=1)
    t = _not_estimable(res)
    assert (t["n"] == 20).all() and len(res.notes) == 3  # one line per band
    assert "not estimable from these data" in res.summary()
    assert res.periods["killed_per_attack"].isna().all()
    with warnings.catch_warnings():
        warnings.simplefilter("error", analysis.EstimationWarning)
        ok = analysis.casualty_trend(df, seed=1)
    assert ok.tests["p"].notna().all() and ok.notes == ()


def test_band_with_every_toll_unknown():
    df = _frame(attacks=30, seed=11)
    df["killed_high"] = pd.array([pd.NA] * len(df), dtype="Int64")
    with pytest.warns(analysis.EstimationWarning, match="no incident has a known toll"):
        res = analysis.casualty_trend(df, seed=1)
    t = _not_estimable(res, "high")
    assert (t["n"] == 0).all()
    high = res.periods[res.periods["band"] == "high"]
    assert high["attacks"].sum() == 0 and high["n_missing"].sum() == len(df)
    assert res.tests[res.tests["band"] != "high"]["p"].notna().all()
    # the conclusion 'not estimable' on one band makes every test's conclusion unstable
    assert not res.tests["conclusion_stable"].any()


def test_band_with_zero_variance_and_no_mass_casualty_attack():
    df = _frame(attacks=30, seed=12)
    df["killed_low"] = pd.array([1] * len(df), dtype="Int64")
    with pytest.warns(analysis.EstimationWarning, match="every known toll is 1"):
        res = analysis.casualty_trend(df, seed=1)
    _not_estimable(res, "low")
    df["killed_low"] = pd.array(np.arange(len(df)) % 3, dtype="Int64")  # all below 10
    with pytest.warns(analysis.EstimationWarning, match="no attack with 10 or more"):
        res = analysis.casualty_trend(df, seed=1)
    low = res.tests[res.tests["band"] == "low"].set_index("test")
    mass = low.loc["mass-casualty share (logit odds ratio per year)"]
    assert np.isnan(mass["p"]) and np.isnan(mass["ci_low"]) and mass["note"]
    assert low["p"].notna().sum() == 2


def test_intervals_are_never_zero_width_and_agree_with_p():
    rng = np.random.default_rng(13)
    for seed in range(6):
        df = _frame(rate_per_year=rng.choice([0.85, 1.0, 1.1]), attacks=int(rng.integers(4, 30)),
                    seed=seed)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", analysis.EstimationWarning)
            res = analysis.casualty_trend(df, n_sims=199, seed=seed)
        t = res.tests.dropna(subset=["ci_low"])
        assert (t["ci_high"] > t["ci_low"]).all()
        assert ((t["ci_low"] > 1) | (t["ci_high"] < 1)).eq(t["p"] <= 0.05).all()
        per = res.periods.dropna(subset=["ci_low"])
        assert (per["ci_low"] < per["killed_per_attack"]).all()
        assert (per["killed_per_attack"] < per["ci_high"]).all()


def test_seed_n_sims_and_notes_are_recorded():
    df = _frame(rate_per_year=0.95, attacks=20, seed=14)
    a = analysis.casualty_trend(df, n_sims=99, seed=3)
    b = analysis.casualty_trend(df, n_sims=99, seed=3)
    c = analysis.casualty_trend(df, n_sims=99, seed=4)
    pd.testing.assert_frame_equal(a.tests, b.tests)
    assert a.n_sims == 99 and a.seed == 3 and a.notes == ()
    perm = a.tests[~a.tests["test"].str.startswith("rank")]["p"]
    assert (perm * 100).round(6).mod(1).eq(0).all()  # multiples of 1 / (n_sims + 1)
    assert not a.tests["p"].equals(c.tests["p"])
    assert "99 permutations" in a.summary()


def test_casualty_band_with_an_unknown_band():
    df = _frame(attacks=10, seed=15)
    df["killed_low"] = pd.array([pd.NA] * len(df), dtype="Int64")
    with pytest.warns(analysis.EstimationWarning, match="killed_low: no incident"):
        band = analysis.casualty_band(df, np.mean, decide=lambda m: m > 5)
    t = band.to_frame()
    assert np.isnan(t.iloc[0]["low"]) and np.isfinite(t.iloc[0]["best"])
    assert np.isnan(t.iloc[0]["band_min"]) and not t.iloc[0]["conclusion_stable"]
    assert band.notes and "not estimable" in band.summary()
    df["killed_best"] = df["killed_high"] = df["killed_low"]
    with pytest.raises(analysis.CasualtyInputError, match="any band"):
        analysis.casualty_band(df, np.mean)


# ------------------------------------------------------------------ real data
def test_gtd_rate_ratio_is_the_glm_with_the_null_dispersion(realdata, tmp_path):
    """GTD Afghanistan 2012-2015, every incident with a known nkill: the estimate is the
    NB2 GLM of statsmodels with the dispersion of the no-trend fit."""
    import statsmodels.api as sm

    from analysis.models.lethality.permutation import null_dispersion

    gtd = analysis.read_source(realdata("gtd_2012_2015_afg.csv"), quarantine=tmp_path / "q.csv")
    res = analysis.casualty_trend(gtd, value="killed_best", n_sims=99, seed=1)
    known = gtd.dropna(subset=["killed_best"])
    y = known["killed_best"].to_numpy(float)
    t = (known["date"] - known["date"].min()).dt.days.to_numpy(float) / 365.25
    ref = sm.GLM(y, sm.add_constant(t),
                 family=sm.families.NegativeBinomial(alpha=null_dispersion(y))).fit(tol=1e-12)
    rate = res.tests.iloc[0]
    assert rate["n"] == y.size and rate["note"] == ""
    assert rate["estimate"] == pytest.approx(np.exp(ref.params[1]), rel=1e-6)
    assert rate["ci_low"] < rate["estimate"] < rate["ci_high"]
