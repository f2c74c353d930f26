"""Benchmark: PELT change points on daily counts, ours against ruptures, same run.

Target (issue 4): on 1e4 and 1e5 daily counts our PELT with the l2 cost is at least 50x
faster than ``ruptures.Pelt(model="l2")`` and finds identical breakpoints. Both use
ruptures' defaults (``min_size=2``, ``jump=5``) and the same penalty (our BIC penalty
for "l2", ``2 sigma^2 log n`` with sigma from the MAD of first differences). Our
numba engine is timed warm (its one-off compile time is reported separately) and the
pure-NumPy fallback is timed too. The Poisson cost, which ruptures lacks, is timed for
reference.

Run:  .venv/bin/python benchmarks/bench_pelt.py [--sizes 10000 100000] [--repeat 3]
Writes benchmarks/results/pelt.json and pelt.md and prints the Markdown table.
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from pathlib import Path

import numpy as np

from analysis._jit import compiled
from analysis._threads import single_threaded_blas
from analysis.models.changepoints import pelt
from analysis.models.changepoints.costs import bic_penalty
from analysis.models.changepoints.search import pelt_loop

RESULTS = Path(__file__).parent / "results"


def daily_counts(n: int, seed: int = 0) -> np.ndarray:
    """Piecewise-constant Poisson daily counts; a new rate every 60-400 days."""
    rng = np.random.default_rng(seed)
    lengths = []
    while sum(lengths) < n:
        lengths.append(int(rng.integers(60, 400)))
    rates = rng.uniform(0.5, 12, len(lengths))
    return rng.poisson(np.repeat(rates, lengths)[:n]).astype(np.float64)


def best_of(fn, repeat: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--ruptures-repeat", type=int, default=1)
    args = ap.parse_args()
    import ruptures

    t0 = time.perf_counter()
    fast = compiled(pelt_loop)
    pelt(daily_counts(500), 10.0, cost="l2", engine="numba")
    compile_s = time.perf_counter() - t0
    rows = []
    with single_threaded_blas():
        for n in args.sizes:
            y = daily_counts(n, seed=n)
            pen = bic_penalty(y, "l2")
            t_ours, ours = best_of(
                lambda y=y, pen=pen: pelt(y, pen, cost="l2", min_size=2, jump=5, engine="numba"),
                args.repeat)
            t_np, ours_np = best_of(
                lambda y=y, pen=pen: pelt(y, pen, cost="l2", min_size=2, jump=5, engine="numpy"),
                args.repeat)
            t_pois, _ = best_of(
                lambda y=y, n=n: pelt(y, 2 * np.log(n), cost="poisson", min_size=2, jump=5,
                                      engine="numba"),
                args.repeat)
            t_rpt, theirs = best_of(
                lambda y=y, pen=pen: ruptures.Pelt(model="l2", min_size=2, jump=5).fit(y).predict(pen=pen),
                args.ruptures_repeat,
            )
            identical = [*list(ours), n] == list(theirs) and list(ours_np) == list(ours)
            rows.append({
                "n": n,
                "penalty": pen,
                "n_breakpoints": len(ours),
                "identical_breakpoints": bool(identical),
                "ours_numba_s": t_ours,
                "ours_numpy_s": t_np,
                "ours_poisson_numba_s": t_pois,
                "ruptures_s": t_rpt,
                "speedup_numba": t_rpt / t_ours,
                "speedup_numpy": t_rpt / t_np,
            })
            print(f"n={n}: ruptures {t_rpt:.3f}s, ours {t_ours:.4f}s (numba), {t_np:.3f}s (numpy); "
                  f"identical={identical}", flush=True)
    meta = {
        "ruptures_version": ruptures.__version__,
        "numba_available": fast is not None,
        "numba_compile_s": compile_s,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "target": "speedup >= 50x with identical breakpoints (l2 cost, min_size=2, jump=5)",
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "pelt.json").write_text(json.dumps({"meta": meta, "results": rows}, indent=2, default=float))
    lines = [
        "| n | breakpoints | identical | ruptures (s) | ours numba (s) | speed-up | ours numpy (s) | speed-up | ours Poisson (s) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['n']:,} | {r['n_breakpoints']} | {r['identical_breakpoints']} | {r['ruptures_s']:.3f} | "
            f"{r['ours_numba_s']:.4f} | {r['speedup_numba']:.0f}x | {r['ours_numpy_s']:.3f} | "
            f"{r['speedup_numpy']:.0f}x | {r['ours_poisson_numba_s']:.4f} |"
        )
    md = "\n".join([f"PELT, l2 cost, ruptures {meta['ruptures_version']} (numba compile once: {compile_s:.2f}s)", "", *lines])
    (RESULTS / "pelt.md").write_text(md + "\n")
    print(md)


if __name__ == "__main__":
    main()
