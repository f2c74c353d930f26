"""Benchmark: the full report versus the same analysis as plain calls in one process.

The *plain* run executes the code cells of every report notebook (``notebooks/*.py``,
the jupytext twins of the ``.ipynb`` files) one after the other in this Python process,
with the same parameters and the same output directory for figures and tables. The
*report* run is ``analysis.report.build_report`` on the same data: one fresh Jupyter
kernel per notebook through papermill, plus the HTML page, summary and manifest. The
difference is the pipeline's overhead (kernel start-up, imports in each kernel,
notebook I/O, rendering). Target: report time <= 3x plain time.

    .venv/bin/python benchmarks/bench_report.py                  # 1e5 incidents
    .venv/bin/python benchmarks/bench_report.py --n 20000 --n-sims 20

Writes benchmarks/results/report.json and report.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import jupytext
import matplotlib.pyplot as plt

import analysis
from analysis import config
from analysis.report import DEFAULT_PARAMETERS, NOTEBOOKS, build_report, source_label

RESULTS = Path(__file__).resolve().parent / "results"


def simulate(n_target: int, seed: int, path: Path) -> int:
    """A ten-year simulated dataset of about ``n_target`` incidents, written to ``path``."""
    n_years = 10
    # base_rate is per month at the start; the default trend (+0.1/yr) and the regime
    # break (-0.5 from 2021-08-15) change it, so scale from a pilot run.
    pilot = analysis.simulate_incidents(n_years=n_years, base_rate=100, seed=seed)
    rate = 100 * n_target / len(pilot)
    df = analysis.simulate_incidents(n_years=n_years, base_rate=rate, dispersion=0.1, seed=seed)
    df.to_csv(path, index=False)
    return len(df)


def run_plain(data: Path, out: Path, params: dict) -> dict[str, float]:
    """Execute every notebook's code cells in this process; seconds per notebook."""
    times = {}
    for name in NOTEBOOKS:
        nb = jupytext.read(config.NOTEBOOKS_DIR / f"{name}.py")
        ns: dict = {"__name__": f"plain_{name}"}
        t0 = time.perf_counter()
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            exec(compile(cell.source, f"{name}.py", "exec"), ns)
            if "parameters" in cell.metadata.get("tags", []):
                ns.update(params)  # what papermill's injected cell does
        plt.close("all")
        times[name] = time.perf_counter() - t0
    return times


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100_000, help="incidents to simulate")
    ap.add_argument("--n-sims", type=int, default=50, help="Monte Carlo size (bootstrap replicates)")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="bench-report-"))
    try:
        data = tmp / "sim.csv"
        n = simulate(args.n, args.seed, data)
        print(f"simulated {n} incidents -> {data}", flush=True)
        params = {**DEFAULT_PARAMETERS, "n_sims": args.n_sims}

        plain_out = tmp / "plain"
        nb_params = {
            **params,
            "perpetrator": None,
            "start": None,
            "end": None,
            "data_paths": [str(data)],
            "report_dir": str(plain_out),
            "source": source_label([data]),
        }
        t0 = time.perf_counter()
        plain = run_plain(data, plain_out, nb_params)
        t_plain = time.perf_counter() - t0
        print(f"plain calls, one process: {t_plain:.1f} s  {plain}", flush=True)

        t0 = time.perf_counter()
        res = build_report(data, out=tmp / "report", parameters=params)
        t_report = time.perf_counter() - t0
        print(f"report build: {t_report:.1f} s", flush=True)
        ratio = t_report / t_plain
        print(f"ratio report / plain = {ratio:.2f} (target <= 3)")

        result = {
            "incidents": n,
            "n_sims": args.n_sims,
            "seed": args.seed,
            "plain_s": round(t_plain, 2),
            "report_s": round(t_report, 2),
            "ratio_report_over_plain": round(ratio, 3),
            "target_ratio_max": 3.0,
            "meets_target": ratio <= 3.0,
            "overhead_s": round(t_report - t_plain, 2),
            "plain_per_notebook_s": {k: round(v, 2) for k, v in plain.items()},
            "report_per_notebook_s": {
                k: v for k, v in res.timings.items() if k in NOTEBOOKS or k == "render"
            },
            "skipped_in_report": res.manifest.get("skipped", {}),
            "cpus": os.cpu_count(),
            "load_average_1min": round(os.getloadavg()[0], 2),
            "python": platform.python_version(),
        }
        RESULTS.mkdir(parents=True, exist_ok=True)
        (RESULTS / "report.json").write_text(json.dumps(result, indent=2) + "\n")
        lines = [
            "# Report pipeline benchmark",
            "",
            f"{n:,} simulated incidents, {args.n_sims} bootstrap replicates, seed {args.seed}, "
            f"{os.cpu_count()} CPUs (1-min load average at the end: {result['load_average_1min']}).",
            "",
            "| run | seconds |",
            "|---|---|",
            f"| plain calls, one process | {t_plain:.1f} |",
            f"| report (papermill, 5 kernels, HTML, manifest) | {t_report:.1f} |",
            f"| **ratio** (target <= 3) | **{ratio:.2f}** |",
            f"| overhead (report - plain) | {t_report - t_plain:.1f} |",
            "",
            "Per notebook (the report column includes each kernel's start-up and imports):",
            "",
            "| notebook | plain s | report s | ratio |",
            "|---|---|---|---|",
        ]
        for k in NOTEBOOKS:
            r_k = res.timings.get(k, float("nan"))
            lines.append(f"| {k} | {plain[k]:.1f} | {r_k:.1f} | {r_k / plain[k]:.2f} |")
        (RESULTS / "report.md").write_text("\n".join(lines) + "\n")
        return 0 if ratio <= 3.0 else 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
