"""Parameter-recovery study for :func:`analysis.fit_hawkes` (constant background).

For each size (about 1e3, 1e4 and 1e5 events) and each of two true parameter sets,
simulate ``n_sims`` seeded processes by the branching construction, fit them, and
report the coverage of the 95% intervals of the branching ratio and the decay, the
mean estimate, the bias and the RMSE (which should shrink like 1/sqrt(n)).

Run:  nice .venv/bin/python benchmarks/recovery_hawkes.py [--n-sims 200]
Writes benchmarks/results/hawkes_recovery.json and .md.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
from tqdm.auto import tqdm

from analysis._threads import single_threaded_blas
from analysis.models.hawkes import fit_hawkes, simulate_hawkes

RESULTS = Path(__file__).resolve().parent / "results"
SETTINGS = [
    {"mu": 0.5, "branching": 0.6, "decay": 2.0},
    {"mu": 0.2, "branching": 0.3, "decay": 0.25},
]
SIZES = (1_000, 10_000, 100_000)


def study(n_sims: int, seed: int = 2024) -> list[dict]:
    rows = []
    with single_threaded_blas():
        for k, par in enumerate(SETTINGS):
            for n in SIZES:
                T = n * (1 - par["branching"]) / par["mu"]
                est = []
                for s in tqdm(range(n_sims), desc=f"setting {k} n={n}", disable=None):
                    t = simulate_hawkes(
                        par["mu"], par["branching"], par["decay"], T, seed=[seed, k, n, s]
                    )
                    r = fit_hawkes(t, end=T, background="constant")
                    est.append(
                        (
                            r.branching,
                            *r.branching_ci,
                            r.decay,
                            *r.decay_ci,
                            r.n_events,
                            r.converged,
                        )
                    )
                e = np.array(est, dtype=float)
                eta, beta = par["branching"], par["decay"]
                rows.append(
                    {
                        **par,
                        "target_events": n,
                        "mean_events": float(e[:, 6].mean()),
                        "n_sims": n_sims,
                        "converged": float(e[:, 7].mean()),
                        "branching_coverage": float(np.mean((e[:, 1] <= eta) & (eta <= e[:, 2]))),
                        "decay_coverage": float(np.mean((e[:, 4] <= beta) & (beta <= e[:, 5]))),
                        "branching_mean": float(e[:, 0].mean()),
                        "branching_rmse": float(np.sqrt(np.mean((e[:, 0] - eta) ** 2))),
                        "decay_mean": float(e[:, 3].mean()),
                        "decay_rmse": float(np.sqrt(np.mean((e[:, 3] - beta) ** 2))),
                    }
                )
                print(json.dumps(rows[-1]))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n-sims", type=int, default=200)
    args = ap.parse_args()
    rows = study(args.n_sims)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "hawkes_recovery.json").write_text(json.dumps(rows, indent=2))
    lines = [
        "# Hawkes parameter recovery (95% Wald intervals, logit/log scale)",
        "",
        "| mu | branching | decay | events | sims | cover branching | cover decay "
        "| mean branching | RMSE branching | mean decay | RMSE decay |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['mu']} | {r['branching']} | {r['decay']} | {r['mean_events']:.0f} | "
            f"{r['n_sims']} | {r['branching_coverage']:.3f} | {r['decay_coverage']:.3f} | "
            f"{r['branching_mean']:.4f} | {r['branching_rmse']:.4f} | {r['decay_mean']:.4f} | "
            f"{r['decay_rmse']:.4f} |"
        )
    (RESULTS / "hawkes_recovery.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
