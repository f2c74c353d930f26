"""Calibration of one-week-ahead forecasts: coverage and scores of every model.

Issue 17's target: the one-week-ahead 90% intervals of the chosen (lowest mean CRPS)
model cover 85-95% of the last 104 weeks of real weekly counts. The acceptance series
(Afghanistan 2017-2024) is not here, so this study runs ``analysis.backtest`` with its
defaults (one-week origins moving every week over the last 104 weeks, refits every 4
origins, 500 sample paths) on

(a) realistic simulated weekly conflict counts (a private simulator until
    ``analysis.simulate`` has one): negative binomial (dispersion 0.05-0.3), an annual
    season (log amplitude 0.2-0.5), an AR(1) on the log mean (phi 0.5-0.85, innovation
    sd 0.1-0.25), a logistic surge (1-4 fold) and a regime break (0.4-1.5 fold) in the
    second half, eight years of weeks, base rates 5-30 a week; and
(b) the real weekly counts built from the GTD 2012-2015 and RAND 2002-2009 Afghan
    extracts in ../shared/realdata (skipped when absent), where the Hawkes model runs too.

It prints, per model: the mean CRPS and log score, the empirical coverage of the
central 50% and 90% intervals (with the Monte Carlo standard error over series, or the
binomial one for a single series), the share of randomised PIT values in [0.05, 0.95]
(exactly 90% for calibrated forecasts, where interval coverage of counts is at least
90%), how often it is the best model, and the coverage of each series' best model.

Run:  .venv/bin/python benchmarks/calibration_forecast.py [--n-series 20] [--seed 1]
Writes benchmarks/results/calibration_forecast.json and .md.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _paths import REALDATA_DIR, RESULTS

import analysis

COUNT_MODELS = ("negbin", "ingarch", "naive_last", "seasonal_naive", "historical_mean")
WEEKS = 104


def simulate_weekly(seed: int, n_weeks: int = 417) -> pd.Series:
    """One realistic weekly series (see the module docstring); parameters drawn per seed."""
    rng = np.random.default_rng(seed)
    t = np.arange(n_weeks)
    base = math.log(rng.uniform(5, 30))
    season = rng.uniform(0.2, 0.5) * np.cos(2 * np.pi * (t / 52.18 - rng.uniform(0.3, 0.6)))
    mid = rng.uniform(0.2, 0.6) * n_weeks
    surge = math.log(rng.uniform(1, 4)) / (1 + np.exp(-(t - mid) / rng.uniform(8, 40)))
    brk = rng.integers(n_weeks // 2, n_weeks - 20)
    regime = np.where(t >= brk, math.log(rng.uniform(0.4, 1.5)), 0.0)
    phi, sd = rng.uniform(0.5, 0.85), rng.uniform(0.1, 0.25)
    ar = np.zeros(n_weeks)
    for k in range(1, n_weeks):
        ar[k] = phi * ar[k - 1] + rng.normal(0, sd)
    mu = np.exp(base + season + surge + regime + ar)
    alpha = rng.uniform(0.05, 0.3)
    y = rng.negative_binomial(1 / alpha, 1 / (1 + alpha * mu))
    return pd.Series(y, index=pd.date_range("2012-01-02", periods=n_weeks, freq="W-MON"))


def real_dates() -> dict[str, pd.DatetimeIndex]:
    """Event dates of the real extracts: GTD 2012-2015, RAND 2002 to June 2009 (RAND's
    Afghan coverage ends in July 2009)."""
    out = {}
    gtd = REALDATA_DIR / "gtd_2012_2015_afg.csv"
    if gtd.exists():
        g = pd.read_csv(gtd, usecols=["iyear", "imonth", "iday"])
        d = pd.to_datetime(dict(year=g.iyear, month=g.imonth, day=g.iday.clip(lower=1)))
        out["GTD Afghanistan 2012-2015"] = pd.DatetimeIndex(d[d < "2015-12-28"].sort_values())
    rand = REALDATA_DIR / "rand_rdwti_afg.csv"
    if rand.exists():
        d = pd.to_datetime(pd.read_csv(rand, usecols=["Date"])["Date"])
        keep = (d >= "2002-01-07") & (d < "2009-06-29")
        out["RAND Afghanistan 2002-2009"] = pd.DatetimeIndex(d[keep].sort_values())
    return out


def run(data, models, seed: int) -> analysis.BacktestResult:
    n = len(analysis.incident_counts(pd.DataFrame({"date": data}), "W")) if not isinstance(
        data, pd.Series) else len(data)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return analysis.backtest(data, models=models, freq="W", start=n - WEEKS - 1,
                                 n_sims=500, seed=seed, refit=4, progress=False)


def summarise(results: list[analysis.BacktestResult], models) -> pd.DataFrame:
    rows = []
    for m in models:
        s = pd.DataFrame([r.scores().loc[(m, 1)] for r in results])
        k = len(s)
        c90 = s["coverage_90"]
        se = c90.std(ddof=1) / math.sqrt(k) if k > 1 else math.sqrt(0.09 / s["n"].iloc[0])
        rows.append({
            "model": m, "series": k, "crps": s["crps"].mean(), "log_score": s["log_score"].mean(),
            "coverage_50": s["coverage_50"].mean(), "coverage_90": c90.mean(),
            "coverage_90_se": se, "pit_90": s["pit_90"].mean(),
            "best": sum(r.best_model == m for r in results),
        })
    return pd.DataFrame(rows).set_index("model")


def best_coverage(results) -> dict:
    c = [r.scores().loc[(r.best_model, 1), "coverage_90"] for r in results]
    return {"mean": float(np.mean(c)), "min": float(np.min(c)), "max": float(np.max(c)),
            "share_in_85_95": float(np.mean([(0.85 <= x <= 0.95) for x in c]))}


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n-series", type=int, default=20)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    t0 = time.time()
    sims = [run(simulate_weekly(args.seed * 1000 + k), COUNT_MODELS, args.seed + k)
            for k in range(args.n_series)]
    sim_table = summarise(sims, COUNT_MODELS)
    out = {"weeks": WEEKS, "refit": 4, "n_sims": 500, "simulated": {
        "n_series": args.n_series, "table": sim_table.reset_index().to_dict("records"),
        "best_model_coverage_90": best_coverage(sims)}, "real": {}}
    print(f"Simulated weekly series ({args.n_series}), one-week-ahead, last {WEEKS} weeks")
    print(sim_table.round(3).to_string())
    print("coverage of each series' best model:", out["simulated"]["best_model_coverage_90"])
    for name, dates in real_dates().items():
        res = run(dates, (*COUNT_MODELS, "hawkes"), args.seed)
        table = summarise([res], res.models)
        out["real"][name] = {"table": table.reset_index().to_dict("records"),
                             "best_model": res.best_model, "failures": len(res.failures)}
        print(f"\n{name}: best model {res.best_model}")
        print(table.drop(columns=["series", "best"]).round(3).to_string())
    out["seconds"] = round(time.time() - t0, 1)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "calibration_forecast.json").write_text(json.dumps(out, indent=2, default=float))
    (RESULTS / "calibration_forecast.md").write_text(_markdown(out, sim_table))
    print(f"\n{out['seconds']} s")


def md_table(df: pd.DataFrame) -> str:
    """A markdown table of ``df`` (index first), numbers to three decimals."""
    def cell(x):
        return f"{x:.3f}" if isinstance(x, float) else str(x)

    head = [df.index.name or "", *map(str, df.columns)]
    rows = [[str(i), *map(cell, r)] for i, r in zip(df.index, df.itertuples(index=False),
                                                     strict=True)]
    lines = [head, ["---"] * len(head), *rows]
    return "\n".join("| " + " | ".join(r) + " |" for r in lines)


def _markdown(out: dict, sim_table: pd.DataFrame) -> str:
    cols = ["crps", "log_score", "coverage_50", "coverage_90", "coverage_90_se", "pit_90"]
    lines = ["# Forecast calibration (one week ahead, last 104 weeks, refit every 4 weeks)", "",
             f"## Simulated weekly conflict counts ({out['simulated']['n_series']} series)", "",
             md_table(sim_table[[*cols, "best"]]), "",
             f"Coverage of each series' best model: {out['simulated']['best_model_coverage_90']}",
             ""]
    for name, r in out["real"].items():
        t = pd.DataFrame(r["table"]).set_index("model")[cols]
        lines += [f"## {name} (best model: {r['best_model']})", "", md_table(t), ""]
    lines.append(f"Run time {out['seconds']} s.")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
