"""Calibration of casualty_trend and casualty_band (sections of calibration_tests.py).

* ``trend_size``: the share of data sets with p <= 0.05 when the tolls carry no trend:
  the real tolls permuted across dates, and simulated heavy-tailed tolls. The period-
  aggregated negative-binomial test that casualty_trend used before (deaths per period
  with log(attacks) as offset, Wald p) is run on the same permuted data for comparison.
* ``trend_coverage``: coverage of the rate-ratio and odds-ratio intervals, the fitted
  killed per attack of each period and the Wilson intervals of the mass-casualty share,
  on simulated tolls with a known trend; the power of each test there.
* ``band_range``: how often casualty_band's low-high range contains the statistic of the
  true tolls when every true toll lies between its low and high figure.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from _tolls import (
    BANDS,
    NULL_SCENARIOS,
    mass_tolls,
    null_tolls,
    permute_tolls,
    real_frames,
    trend_tolls,
)

import analysis
from analysis.models._count_glm import fit_nb_ml, wald
from analysis.models.severity import sample_power_law


def rate_row(section, data, quantity, band, hits, nominal, target, **extra) -> dict:
    """A calibration row: the rate of ``hits`` (booleans; NaN = not estimable) and its
    Monte Carlo standard error."""
    h = np.asarray(hits, float)
    ok = h[np.isfinite(h)]
    rate = float(ok.mean()) if ok.size else float("nan")
    se = float(np.sqrt(rate * (1 - rate) / ok.size)) if ok.size else float("nan")
    return {"section": section, "data": data, "quantity": quantity, "band": band,
            "runs": int(ok.size), "not_estimable": int(h.size - ok.size), "rate": rate,
            "mc_se": se, "nominal": nominal, "target": target, **extra}


def _old_period_test(frame: pd.DataFrame, col: str) -> float:
    """p-value of the yearly-aggregated NB2 trend test of casualty_trend before issue 17."""
    k = frame[col].astype(float)
    g = pd.DataFrame({"date": frame["date"], "k": k, "known": k.notna()}).groupby(
        pd.Grouper(key="date", freq="YS"))
    agg = pd.DataFrame({"A": g["known"].sum(), "y": g["k"].sum(min_count=0)})
    agg = agg[agg["A"] > 0]
    t = np.asarray(agg.index.year + (agg.index.day_of_year - 1) / 365.25, float)
    t = t - t.mean()
    if len(t) < 3 or agg["y"].sum() == 0:
        return np.nan
    try:
        fit = fit_nb_ml(agg["y"].to_numpy(float), np.column_stack([np.ones_like(t), t]),
                        np.log(agg["A"].to_numpy(float)))
    except Exception:
        return np.nan
    return wald(float(fit.params[1]), float(np.sqrt(fit.cov[1, 1])), 0.95)[2]


def _trend_runs(make, runs: int, value: str, n_sims: int, seed: int, old: bool):
    """p-values of every test over ``runs`` data sets made by ``make(rng)``."""
    rng = np.random.default_rng(seed)
    ps: dict[tuple[str, str], list[float]] = {}
    for _ in range(runs):
        frame = make(rng)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", analysis.EstimationWarning)
            res = analysis.casualty_trend(frame, value=value, n_sims=n_sims, seed=rng)
        for r in res.tests.itertuples():
            ps.setdefault((r.test, r.band), []).append(r.p)
        if old:
            col = value if value in BANDS else "killed_best"
            ps.setdefault(("before issue 17: yearly NB2 test (Wald)", col.split("_")[1]),
                          []).append(_old_period_test(frame, col))
    return ps


def trend_size(runs: int, n_sims: int, seed: int, progress) -> list[dict]:
    """Size of every casualty_trend test on permuted real tolls and simulated null tolls."""
    rows = []
    cases = []
    for name, frame in real_frames().items():
        same = all(frame[c].equals(frame["killed_best"]) for c in BANDS)
        value = "killed_best" if same else "killed"  # GTD and RAND give one count only
        cases.append((f"{name} (tolls permuted)", lambda rng, f=frame: permute_tolls(f, rng),
                      value, True))
    for scen in NULL_SCENARIOS:
        cases.append((f"simulated: {scen}", lambda rng, s=scen: null_tolls(s, rng), "killed",
                      False))
    pooled: dict[str, list[float]] = {}
    for i, (data, make, value, old) in enumerate(progress(cases, desc="casualty_trend size")):
        for (test, band), p in _trend_runs(make, runs, value, n_sims, seed + i, old).items():
            hits = [np.nan if not np.isfinite(v) else float(v <= 0.05) for v in p]
            rows.append(rate_row("casualty_trend size", data, test, band, hits, 0.05, "<= 0.08"))
            pooled.setdefault(test.replace("wounded", "killed"), []).extend(hits)
    for test, hits in pooled.items():  # every data set and band together: a sharper estimate
        rows.append(rate_row("casualty_trend size", "pooled over the data sets above", test,
                             "all", hits, 0.05, "<= 0.08"))
    return rows


def _coverage_trend(runs, n_sims, seed):
    rng = np.random.default_rng(seed)
    rr, fitted, p_rate, p_tau = [], [], [], []
    for _ in range(runs):
        frame, mean = trend_tolls(300, 0.9, rng)
        res = analysis.casualty_trend(frame, value="killed_best", n_sims=n_sims, seed=rng)
        row = res.tests.iloc[0]
        rr.append(float(row["ci_low"] <= 0.9 <= row["ci_high"]))
        p_rate.append(float(row["p"] <= 0.05))
        p_tau.append(float(res.tests.iloc[1]["p"] <= 0.05))
        per = res.periods
        start = pd.DatetimeIndex(per["period"])
        truth = mean(start + (start + pd.offsets.YearBegin(1) - start) / 2)  # midpoints
        fitted += list(((per["ci_low"] <= truth) & (truth <= per["ci_high"])).astype(float))
    return rr, fitted, p_rate, p_tau


def _coverage_mass(runs, n_sims, seed):
    rng = np.random.default_rng(seed)
    orc, wil, power = [], [], []
    for _ in range(runs):
        frame = mass_tolls(400, 1.2, rng)
        res = analysis.casualty_trend(frame, value="killed_best", n_sims=n_sims, seed=rng)
        row = res.tests.iloc[2]
        orc.append(float(row["ci_low"] <= 1.2 <= row["ci_high"]))
        power.append(float(row["p"] <= 0.05))
        truth = frame.groupby(pd.Grouper(key="date", freq="YS"))["p"].mean()
        per = res.periods.set_index("period").loc[truth.index]
        wil += list(((per["mass_ci_low"] <= truth) & (truth <= per["mass_ci_high"])).astype(float))
    return orc, wil, power


def trend_coverage(runs: int, n_sims: int, seed: int, progress) -> list[dict]:
    """Coverage of casualty_trend's intervals, and power, on tolls with a known trend."""
    sec = "casualty_trend coverage"
    d1 = "simulated: poisson-lognormal sigma 1.2, 300 incidents, rate ratio 0.9 a year"
    d2 = "simulated: 400 incidents, logit P(toll >= 10) with odds ratio 1.2 a year"
    list(progress([0], desc="casualty_trend coverage"))
    rr, fitted, p_rate, p_tau = _coverage_trend(runs, n_sims, seed)
    orc, wil, power = _coverage_mass(runs, n_sims, seed + 1)
    return [
        rate_row(sec, d1, "rate ratio interval", "best", rr, 0.95, "0.93-0.97"),
        rate_row(sec, d1, "fitted killed per attack interval (all periods)", "best", fitted,
                 0.95, "0.93-0.97"),
        rate_row(sec, d1, "power: rate-ratio test", "best", p_rate, None, "high"),
        rate_row(sec, d1, "power: Mann-Kendall test", "best", p_tau, None, "high"),
        rate_row(sec, d2, "odds ratio interval", "best", orc, 0.95, "0.93-0.97"),
        rate_row(sec, d2, "Wilson interval of the yearly mass-casualty share", "best", wil,
                 0.95, "0.93-0.97"),
        rate_row(sec, d2, "power: mass-casualty share test", "best", power, None, "high"),
    ]


def _band_frame(rng):
    """True tolls (power law with zeros) and low/best/high figures bracketing them."""
    n = 300
    truth = np.where(rng.random(n) < 0.3, 0, sample_power_law(n, 2.3, 1, seed=rng))
    low = truth - rng.binomial(truth.astype(int), 0.3)
    high = truth + rng.poisson(0.3 * truth + 0.3)
    best = np.clip(np.round(truth * rng.lognormal(0, 0.2, n)), low, high)
    frame = pd.DataFrame({c: pd.array(v.astype(int), dtype="Int64")
                          for c, v in zip(BANDS, (low, best, high), strict=True)})
    return frame, truth


def _band_stats(k: pd.Series) -> dict:
    k = k.to_numpy(float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", analysis.EstimationWarning)
        alpha = analysis.fit_severity(k[k >= 1], alternatives=()).alpha
    return {"mean": k.mean(), "median": np.median(k), "share >= 10": (k >= 10).mean(),
            "power-law alpha (fit_severity)": alpha}


def band_range(runs: int, seed: int, progress) -> list[dict]:
    """Does casualty_band's range contain the statistic of the true tolls?"""
    rng = np.random.default_rng(seed)
    hits: dict[str, list[float]] = {}
    for _ in progress(range(runs), desc="casualty_band range"):
        frame, truth = _band_frame(rng)
        table = analysis.casualty_band(frame, _band_stats).to_frame()
        for q, v in _band_stats(pd.Series(truth)).items():
            hits.setdefault(q, []).append(
                float(table.loc[q, "band_min"] - 1e-12 <= v <= table.loc[q, "band_max"] + 1e-12))
    data = "simulated: 300 tolls, power law alpha 2.3 with 30% zeros; low <= truth <= high"
    return [rate_row("casualty_band range", data, q, "low-high", h, None,
                     "1 for statistics that rise with every count") for q, h in hits.items()]
