"""Coverage study for fit_frequency: do the 95% intervals cover the simulated truth?

Target (issue 4): over at least 200 seeded simulations the 95% intervals for the trend,
the seasonal amplitude and the regime effect cover the truth between 90% and 98% of
the time.

Each replicate simulates six years of incidents with ``analysis.simulate_incidents``
(NB2 monthly counts with dispersion 0.1, base rate 30 a month, trend 0.1 a year, seasonal
amplitude 0.4 peaking in June, a regime shift of -0.5 on 2021-08-15), counts them by
month with ``analysis.incident_counts`` and fits the default model
(``fit_frequency(y, trend="linear", breaks=["2021-08-15"])``: NB2, the straight-line
trend of the truth, two Fourier harmonics).

Run:  .venv/bin/python benchmarks/coverage_frequency.py [--n-sims 200] [--seed 1]
Writes benchmarks/results/coverage_frequency.json and .md and prints the table.
"""

from __future__ import annotations

import argparse
import json
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from tqdm import tqdm

import analysis
from analysis._threads import single_threaded_blas

RESULTS = Path(__file__).parent / "results"
TRUTH = {
    "n_years": 6,
    "start": "2016-01-01",
    "base_rate": 30.0,
    "trend": 0.1,
    "seasonal_amplitude": 0.4,
    "peak_month": 6,
    "breaks": {"2021-08-15": -0.5},
    "dispersion": 0.1,
}


def one_replicate(seed: int) -> dict:
    df = analysis.simulate_incidents(seed=seed, **TRUTH)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", analysis.WideDateWindowWarning)
        y = analysis.incident_counts(df, "MS", start="2016-01-01", end="2021-12-31")
    res = analysis.fit_frequency(y, trend="linear", breaks=["2021-08-15"])
    t = res.to_frame()
    s = res.seasonality().loc[1]
    reg = "regime 2021-08-15"
    return {
        "seed": seed,
        "trend": t.loc["trend", "estimate"],
        "trend_low": t.loc["trend", "ci_low"],
        "trend_high": t.loc["trend", "ci_high"],
        "amplitude": s["amplitude"],
        "amplitude_low": s["ci_low"],
        "amplitude_high": s["ci_high"],
        "regime": t.loc[reg, "estimate"],
        "regime_low": t.loc[reg, "ci_low"],
        "regime_high": t.loc[reg, "ci_high"],
        "alpha": res.alpha,
    }


def run_study(n_sims: int = 200, seed: int = 1) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Run the replicates; return (per-replicate table, coverage summary)."""
    seeds = np.random.default_rng(seed).integers(0, 2**31 - 1, size=n_sims)
    with single_threaded_blas():
        rows = [one_replicate(int(s)) for s in tqdm(seeds, desc="coverage", disable=None)]
    reps = pd.DataFrame(rows)
    truth = {"trend": TRUTH["trend"], "amplitude": TRUTH["seasonal_amplitude"],
             "regime": TRUTH["breaks"]["2021-08-15"]}
    summary = []
    for name, value in truth.items():
        covered = (reps[f"{name}_low"] <= value) & (value <= reps[f"{name}_high"])
        summary.append({
            "parameter": name,
            "truth": value,
            "mean_estimate": reps[name].mean(),
            "bias": reps[name].mean() - value,
            "coverage_95": covered.mean(),
            "mc_se": np.sqrt(covered.mean() * (1 - covered.mean()) / len(reps)),
            "mean_width": (reps[f"{name}_high"] - reps[f"{name}_low"]).mean(),
        })
    return reps, pd.DataFrame(summary).set_index("parameter")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n-sims", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    t0 = time.perf_counter()
    _reps, summary = run_study(args.n_sims, args.seed)
    elapsed = time.perf_counter() - t0
    ok = bool(((summary["coverage_95"] >= 0.90) & (summary["coverage_95"] <= 0.98)).all())
    RESULTS.mkdir(exist_ok=True)
    out = {"n_sims": args.n_sims, "seed": args.seed, "truth": TRUTH, "seconds": elapsed,
           "target_met": ok, "summary": summary.reset_index().to_dict("records")}
    (RESULTS / "coverage_frequency.json").write_text(json.dumps(out, indent=2, default=float))
    cols = list(summary.columns)
    table = "\n".join(
        ["| parameter | " + " | ".join(cols) + " |", "|---" * (len(cols) + 1) + "|"]
        + [f"| {name} | " + " | ".join(f"{v:.4f}" for v in row) + " |" for name, row in summary.iterrows()]
    )
    md = (f"Coverage of 95% intervals, {args.n_sims} simulations (seed {args.seed}), "
          f"{elapsed:.0f}s; target 90-98%: {'met' if ok else 'NOT met'}\n\n{table}\n")
    (RESULTS / "coverage_frequency.md").write_text(md)
    print(md)


if __name__ == "__main__":
    main()
