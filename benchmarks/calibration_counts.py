"""Calibration of the count models' printed p-values and intervals: fit_frequency,
seasonality and ramadan_effect, with their defaults, on null simulations shaped like
conflict counts and on real data.

For every p-value the summaries print, the share of null series in which it is below
0.05 (its empirical size, with the Monte Carlo standard error); for the main intervals,
the share of series whose 95% interval covers the truth. Series come from
``analysis.simulate_counts`` (negative binomial, seasonal, AR(1) on the log mean,
surges, level shifts), each drawing its own level, dispersion and trend:

* ``M`` monthly, 96 months; ``W`` weekly, 417 weeks; ``D`` daily, eight years;
* ``nb``: no autocorrelation; ``ar``: AR(1) (weekly lag-one 0.5 and sd 0.3; monthly 0.3
  and 0.2); ``pois``: Poisson counts; ``escalation``: one or two surges lasting years
  (sd 1-2 years); ``surges``: one or two surges or lulls of a month to half a year.

Every fit_frequency series gets a placebo break on 2006-01-01 (monthly) or 2021-01-04
(weekly) with no effect, so that the regime test has a null to be calibrated on.
Coverage scenarios add the effect they check. Real data: the p-values of the tests on
GTD Afghanistan 2012-2015 and RAND Afghanistan 2002-2009, and placebo Ramadan tests
(dates moved by 30 x k days, k = 1..11, so that the "Ramadan" flag marks other days).

Run:  .venv/bin/python benchmarks/calibration_counts.py [--n-rep 200] [--only NAME ...]
Writes benchmarks/results/calibration_counts.json and .md and prints the tables.
"""

from __future__ import annotations

import argparse
import json
import time
import warnings

import numpy as np
import pandas as pd
from _paths import REALDATA_DIR, RESULTS

import analysis
from analysis._threads import single_threaded_blas

M_START, W_START = "2002-01-01", "2017-01-02"
M_BREAK, W_BREAK = "2006-01-01", "2021-01-04"


def _surges(rng, start, end, kind):
    t0, t1 = pd.Timestamp(start), pd.Timestamp(end)
    lo, hi = (365, 730) if kind == "escalation" else (30, 180)
    return [(t0 + (t1 - t0) * rng.uniform(0.1, 0.9), rng.uniform(0.5, 1.2) * rng.choice([-1, 1, 1]),
             rng.uniform(lo, hi)) for _ in range(int(rng.integers(1, 3)))]


def series(rng, seed, freq, noise, *, season=0.0, trend=None, breaks=None):
    """One simulated series (see the module for the codes)."""
    monthly = freq == "MS"
    start, end = (M_START, "2009-12-31") if monthly else (W_START, "2024-12-31")
    kw = {"base_rate": rng.uniform(8, 40) if monthly else rng.uniform(3, 12),
          "dispersion": rng.uniform(0.05, 0.3), "ar_sd": 0.0,
          "trend": rng.uniform(-0.15, 0.15) if trend is None else trend,
          "seasonal_amplitude": season, "breaks": breaks or {}}
    if noise != "nb":
        kw.update(ar=0.3, ar_sd=0.2) if monthly else kw.update(ar=0.5, ar_sd=0.3)
    if noise == "pois":
        kw.update(dispersion=0.0, ar_sd=0.0)
    if noise in ("escalation", "surges"):
        kw["surges"] = _surges(rng, start, end, noise)
    return analysis.simulate_counts(start, end, freq=freq, seed=seed, **kw)


# ------------------------------------------------------------------ fit_frequency
def frequency_null(freq, noise):
    def run(rng, seed):
        y = series(rng, seed, freq, noise)
        res = analysis.fit_frequency(y, breaks=[M_BREAK if freq == "MS" else W_BREAK])
        t, tests = res.to_frame(), res.tests["p_value"]
        out = {k: tests[k] for k in tests.index}
        out["Regime IRR (Wald)"] = t.loc[f"regime {M_BREAK if freq == 'MS' else W_BREAK}", "p_value"]
        return out
    return run


def frequency_coverage(freq, noise):
    """Coverage of the trend (a line: its IRR; the auto trend: its ratio over the span),
    the regime IRR and the seasonal amplitude."""
    def run(rng, seed):
        when = M_BREAK if freq == "MS" else W_BREAK
        y = series(rng, seed, freq, noise, season=0.4, trend=0.1, breaks={when: -0.5})
        out = {}
        for label, tr in (("linear", "linear"), ("auto", "auto")):
            res = analysis.fit_frequency(y, trend=tr, breaks=[when])
            reg = res.regime_effects().iloc[0]
            out[f"regime IRR ({label} trend)"] = reg["irr_low"] <= np.exp(-0.5) <= reg["irr_high"]
            r = res.trend_ratio().iloc[0]
            span = (y.index[-1] - y.index[0]).days / 365.25
            out[f"trend ratio ({label} trend)"] = r["ci_low"] <= np.exp(0.1 * span) <= r["ci_high"]
            if label == "linear":
                s = res.seasonality().loc[1]
                out["seasonal amplitude"] = s["ci_low"] <= 0.4 <= s["ci_high"]
        return out
    return run


# ------------------------------------------------------------------ seasonality
def seasonality_null(noise):
    def run(rng, seed):
        y = series(rng, seed, "MS", noise)
        res = analysis.seasonality(y, by_regime=[M_BREAK])
        return {"Month effects (F)": res.lr_pvalue, "Annual harmonics (F)": res.harmonic_lr_pvalue,
                "Kruskal-Wallis": res.kw_pvalue,
                "Fighting-season share": res.fighting.loc["incidents", "p_value"],
                "Pattern differs by regime (F)": res.regime_lr_pvalue}
    return run


def seasonality_coverage(noise):
    """Coverage of the twelve month-of-year rate ratios (cosine season, no trend)."""
    def run(rng, seed):
        y = series(rng, seed, "MS", noise, season=0.4, trend=0.0)
        per_day = y.attrs["truth"]["mean"] / y.index.days_in_month
        by_month = per_day.groupby(per_day.index.month).mean().to_numpy()
        truth = by_month / by_month.mean()
        p = analysis.seasonality(y).profile
        inside = (p["ci_low"].to_numpy() <= truth) & (truth <= p["ci_high"].to_numpy())
        return {"month profile (12 rate ratios)": float(inside.mean())}
    return run


# ------------------------------------------------------------------ ramadan_effect
def ramadan(irr):
    """Daily NB2 counts 2012-2019 with a season and a trend, times ``irr`` on Ramadan days."""
    def run(rng, seed):
        base = analysis.simulate_counts("2012-01-01", "2019-12-31", freq="D",
                                        base_rate=rng.uniform(0.5, 4), seasonal_amplitude=0.4,
                                        dispersion=rng.uniform(0.2, 0.8), ar_sd=0.0,
                                        trend=rng.uniform(-0.1, 0.1), seed=seed)
        idx = base.index
        mean = base.attrs["truth"]["mean"].to_numpy() * np.where(analysis.ramadan_days(idx), irr, 1.0)
        alpha = base.attrs["truth"]["dispersion"]
        draw = np.random.default_rng(seed + 1)
        res = analysis.ramadan_effect(pd.Series(draw.poisson(draw.gamma(1 / alpha, alpha * mean)),
                                                index=idx))
        if irr == 1.0:
            return {"Ramadan IRR (Wald)": res.p_value}
        return {"Ramadan IRR": res.ci_low <= irr <= res.ci_high}
    return run


NULLS = {
    "frequency M-nb": frequency_null("MS", "nb"),
    "frequency M-pois": frequency_null("MS", "pois"),
    "frequency M-ar": frequency_null("MS", "ar"),
    "frequency M-surges": frequency_null("MS", "surges"),
    "frequency W-nb": frequency_null("W", "nb"),
    "frequency W-ar": frequency_null("W", "ar"),
    "frequency W-escalation": frequency_null("W", "escalation"),
    "frequency W-surges": frequency_null("W", "surges"),
    "seasonality M-nb": seasonality_null("nb"),
    "seasonality M-ar": seasonality_null("ar"),
    "seasonality M-escalation": seasonality_null("escalation"),
    "ramadan D-nb": ramadan(1.0),
}
COVERAGE = {
    "frequency M-nb": frequency_coverage("MS", "nb"),
    "frequency W-nb": frequency_coverage("W", "nb"),
    "frequency W-ar": frequency_coverage("W", "ar"),
    "seasonality M-nb": seasonality_coverage("nb"),
    "seasonality M-ar": seasonality_coverage("ar"),
    "ramadan D-nb": ramadan(1.3),
}


def run_scenario(run, n_rep: int, tag: int) -> pd.DataFrame:
    rows = []
    for i in range(n_rep):
        rng = np.random.default_rng([17, tag, i])
        rows.append(run(rng, 100_000 * tag + i))
    return pd.DataFrame(rows)


def rates(df: pd.DataFrame, null: bool) -> list[dict]:
    out = []
    for col in df.columns:
        v = df[col].dropna().astype(float)
        share = float((v < 0.05).mean()) if null else float(v.mean())
        n = len(v)
        out.append({"quantity": col, "n": n, "rate": share,
                    "mc_se": float(np.sqrt(max(share * (1 - share), 1e-12) / max(n, 1)))})
    return out


# ------------------------------------------------------------------ real data
def _real_incidents() -> dict[str, tuple[pd.DataFrame, str, str]]:
    out = {}
    for name, fname, start, end in (("GTD", "gtd_2012_2015_afg.csv", "2012-01-01", "2015-12-31"),
                                    ("RAND", "rand_rdwti_afg.csv", "2002-01-01", "2009-12-31")):
        path = REALDATA_DIR / fname
        if path.exists():
            q = RESULTS / ".quarantine.csv"
            out[name] = (analysis.read_source(path, quarantine=q), start, end)
            q.unlink(missing_ok=True)
    return out


def real_data() -> list[dict]:
    """The printed p-values on real series, and placebo Ramadan tests."""
    rows = []
    for name, (data, start, end) in _real_incidents().items():
        for freq in ("MS", "W"):
            y = analysis.incident_counts(data, freq, start=start, end=end)
            res = analysis.fit_frequency(y)
            rows += [{"data": f"{name} {freq}", "model": "fit_frequency", "test": k, "p_value": v}
                     for k, v in res.tests["p_value"].items()]
        s = analysis.seasonality(analysis.incident_counts(data, "MS", start=start, end=end))
        rows += [{"data": f"{name} MS", "model": "seasonality", "test": k, "p_value": v}
                 for k, v in (("Annual harmonics (F)", s.harmonic_lr_pvalue),
                              ("Month effects (F)", s.lr_pvalue), ("Kruskal-Wallis", s.kw_pvalue))]
        daily = analysis.incident_counts(data[data["date_precision"] == "day"], "D", start=start, end=end)
        r = analysis.ramadan_effect(daily)
        rows.append({"data": f"{name} D", "model": "ramadan_effect",
                     "test": f"Ramadan IRR {r.irr:.2f} [{r.ci_low:.2f}, {r.ci_high:.2f}]",
                     "p_value": r.p_value})
        placebo = []
        for k in range(1, 12):
            moved = daily.copy()
            moved.index = moved.index + pd.Timedelta(days=30 * k)
            placebo.append(analysis.ramadan_effect(moved.asfreq("D")).p_value)
        rows.append({"data": f"{name} D", "model": "ramadan_effect",
                     "test": "placebo Ramadan (dates + 30k days, k = 1..11): share p < 0.05",
                     "p_value": float(np.mean(np.asarray(placebo) < 0.05))})
    return rows


def markdown(df: pd.DataFrame) -> str:
    def cell(v):
        return f"{v:.3g}" if isinstance(v, float) else str(v)

    rows = [[cell(v) for v in r] for r in df.itertuples(index=False)]
    head = list(map(str, df.columns))
    return "\n".join("| " + " | ".join(r) + " |" for r in [head, ["---"] * len(head), *rows])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n-rep", type=int, default=200)
    ap.add_argument("--only", nargs="*", help="scenario names to run (default: all)")
    args = ap.parse_args()
    t0 = time.perf_counter()
    size, cover = [], []
    with single_threaded_blas(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for tag, (name, run) in enumerate(NULLS.items()):
            if not args.only or name in args.only:
                size += [{"scenario": name, **r} for r in rates(run_scenario(run, args.n_rep, tag), True)]
                print(size[-1], flush=True)
        for tag, (name, run) in enumerate(COVERAGE.items(), start=50):
            if not args.only or name in args.only:
                cover += [{"scenario": name, **r} for r in rates(run_scenario(run, args.n_rep, tag), False)]
                print(cover[-1], flush=True)
        real = real_data() if not args.only else []
    elapsed = time.perf_counter() - t0
    RESULTS.mkdir(exist_ok=True)
    out = {"n_rep": args.n_rep, "seconds": elapsed, "size_at_5pct": size, "coverage_95": cover,
           "real": real}
    (RESULTS / "calibration_counts.json").write_text(json.dumps(out, indent=2, default=float))
    size_df = pd.DataFrame(size).rename(columns={"rate": "size_at_5%"})
    cover_df = pd.DataFrame(cover).rename(columns={"rate": "coverage_95%"})
    md = "\n".join([
        f"Count models, {args.n_rep} series per scenario; {elapsed:.0f}s", "",
        "Empirical size of the printed p-values at the 5% level (null simulations):", "",
        markdown(size_df) if len(size_df) else "(none run)", "",
        "Coverage of 95% intervals:", "", markdown(cover_df) if len(cover_df) else "(none run)",
        "", "Real data (p-values, not sizes):", "",
        markdown(pd.DataFrame(real)) if real else "(real extracts not available)", ""])
    (RESULTS / "calibration_counts.md").write_text(md)
    print(md)


if __name__ == "__main__":
    main()
