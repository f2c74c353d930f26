"""Tests of lethality trends and the casualty count band (analysis.models.lethality)."""

from __future__ import annotations

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
    res = analysis.casualty_trend(df)
    nb = res.tests[(res.tests["test"].str.startswith("killed per attack")) & (res.tests["band"] == "best")]
    row = nb.iloc[0]
    # 8 yearly periods: Wald intervals cover 0.8 in 36 of 40 seeds (measured), so check the
    # estimate and the decision rather than this seed's interval
    assert row["estimate"] == pytest.approx(0.8, abs=0.05)
    assert row["ci_high"] < 1
    assert row["conclusion"] == "decreasing"
    assert row["model"].startswith("negative binomial")
    assert res.tests.groupby("test")["conclusion_stable"].all().all()


def test_no_trend_is_not_called_a_trend():
    df = _frame(rate_per_year=1.0, attacks=50, seed=2)
    res = analysis.casualty_trend(df, value="killed_best")
    nb = res.tests[res.tests["test"].str.startswith("killed per attack")].iloc[0]
    assert nb["ci_low"] < 1 < nb["ci_high"]
    assert nb["conclusion"] == "no significant trend"


def test_period_table_counts_and_wilson_intervals():
    df = _frame(attacks=30, seed=3)
    df.loc[df.index[:5], "killed_best"] = pd.NA  # unknown counts are not zeros
    res = analysis.casualty_trend(df, value="killed_best", conf_level=0.95)
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


def test_mann_kendall_matches_hand_computation():
    df = _frame(rate_per_year=0.85, attacks=25, seed=4)
    res = analysis.casualty_trend(df, value="killed_best")
    med = res.periods["median"].to_numpy(float)
    n = med.size
    s = sum(np.sign(med[j] - med[i]) for i in range(n) for j in range(i + 1, n))
    ties = pd.Series(med).value_counts()
    n0 = n * (n - 1) / 2
    n1 = float((ties * (ties - 1) / 2).sum())
    tau_b = s / np.sqrt(n0 * (n0 - n1))
    mk = res.tests[res.tests["test"].str.startswith("median")].iloc[0]
    assert mk["estimate"] == pytest.approx(tau_b)


def test_flip_within_band_is_flagged():
    """Best and high counts rise over time; the low count (conservative) does not."""
    rng = np.random.default_rng(5)
    df = _frame(rate_per_year=1.0, attacks=40, mu0=6, seed=5)
    t = (df["date"].dt.year - 2015).to_numpy()
    base = df["killed_best"].astype(float).to_numpy()
    df["killed_low"] = pd.array(rng.poisson(2.0, len(df)), dtype="Int64")
    df["killed_best"] = pd.array(np.round(base * 1.35**t), dtype="Int64")
    df["killed_high"] = pd.array(np.round(base * 1.45**t), dtype="Int64")
    res = analysis.casualty_trend(df)
    nb = res.tests[res.tests["test"].str.startswith("killed per attack")].set_index("band")
    assert nb.loc["best", "conclusion"] == "increasing"
    assert nb.loc["low", "conclusion"] == "no significant trend"
    assert not nb["conclusion_stable"].any()
    assert len(res.unstable) > 0
    assert "see .unstable" in res.summary()


def test_by_perpetrator_and_presentation():
    df = pd.concat([_frame(0.8, seed=6, perpetrator="ISKP"),
                    _frame(1.1, seed=7, perpetrator="Taliban")], ignore_index=True)
    res = analysis.casualty_trend(df, by="perpetrator", freq="YS")
    assert set(res.periods["group"]) == {"ISKP", "Taliban"}
    assert set(res.tests["band"]) == {"low", "best", "high"}
    nb = res.tests[(res.tests["test"].str.startswith("killed per attack")) & (res.tests["band"] == "best")]
    concl = nb.set_index("group")["conclusion"]
    assert concl["ISKP"] == "decreasing"
    assert "<table>" in res._repr_html_()
    assert res.plot() is not None
    q = analysis.casualty_trend(df, by="perpetrator", freq="QS")
    assert q.periods["period"].nunique() > res.periods["period"].nunique()


def test_bundled_data_runs_per_perpetrator():
    df = analysis.load_incidents()
    res = analysis.casualty_trend(df, by="perpetrator")
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
        analysis.casualty_trend(make(df))


def test_bad_options():
    df = _frame(attacks=5, years=3)
    with pytest.raises(analysis.CasualtyInputError, match="value"):
        analysis.casualty_trend(df, value="deaths")
    with pytest.raises(analysis.CasualtyInputError, match="by="):
        analysis.casualty_trend(df, by="group")
    with pytest.raises(analysis.CasualtyInputError):
        analysis.casualty_band(df, np.mean, value="injured")


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
    res = analysis.casualty_trend(df, value="killed_best")
    narrow = analysis.casualty_trend(df, value="killed_best", conf_level=0.5)
    nb, nb50 = (r.tests[r.tests["test"].str.startswith("killed per attack")].iloc[0]
                for r in (res, narrow))
    assert nb50["estimate"] == pytest.approx(nb["estimate"])
    # Wald intervals on the log scale: widths scale with the normal quantiles
    ratio = np.log(nb50["ci_high"] / nb50["ci_low"]) / np.log(nb["ci_high"] / nb["ci_low"])
    assert ratio == pytest.approx(stats.norm.ppf(0.75) / stats.norm.ppf(0.975))
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
