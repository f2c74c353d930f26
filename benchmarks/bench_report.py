"""Benchmark: the default report against the floor of executing its notebooks empty.

Two runs, interleaved ``--repeat`` times in this one process, on this machine:

* **floor**: every report notebook replaced by one holding only ``import analysis``
  (the same number of notebooks), each executed by papermill in a fresh Jupyter kernel,
  one after the other. This is what running the notebooks costs before they compute
  anything: kernel start-up and the package import.
* **report**: ``python -m analysis report`` on the bundled dataset with its default
  parameters (the documented Monte Carlo sizes), into a temporary folder: execution in
  warm kernels side by side, the HTML page, summary and manifest.

Each run is a fresh Python process timed as a whole (interpreter, imports, kernels), as
a user or a cron job meets it: run in one process, papermill's kernels after a report's
were sometimes a second slower each, which made the floor bimodal (4.7 or 11.3 s).

Target (issue 16): report <= 3x floor, medians of the repeats. ``--n N`` also times the
report on N simulated incidents (a scale check, reported, without a target).

    .venv/bin/python benchmarks/bench_report.py --repeat 3
    .venv/bin/python benchmarks/bench_report.py --repeat 1 --n 20000

Writes benchmarks/results/report.json and report.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import papermill as pm
from _paths import RESULTS

import analysis
from analysis.report import DEFAULT_PARAMETERS, NOTEBOOKS


def empty_notebooks(folder: Path) -> list[Path]:
    """One notebook per report notebook, each holding only ``import analysis``."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in NOTEBOOKS:
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell("import analysis")]
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        p = folder / f"{name}.ipynb"
        nbformat.write(nb, str(p))
        paths.append(p)
    return paths


def execute_empty(folder: Path, out: Path) -> None:
    """The floor's work (in the child process): each empty notebook by papermill."""
    for p in sorted(folder.glob("*.ipynb")):
        pm.execute_notebook(
            str(p), str(out / p.name), kernel_name="python3", progress_bar=False,
            log_output=False, cwd=str(out), extra_arguments=["--IPKernelApp.log_level=CRITICAL"],
        )


def run_floor(folder: Path, out: Path) -> float:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, __file__, "--child-floor", str(folder), str(out)], check=True)
    return time.perf_counter() - t0


def run_report(out: Path, data=None) -> tuple[float, dict]:
    cmd = [sys.executable, "-m", "analysis", "report", "--out", str(out)]
    if data is not None:
        cmd += ["--data", str(data)]
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - t0
    return seconds, json.loads((out / "manifest.json").read_text())["timings_s"]


def simulate(n_target: int, seed: int, path: Path) -> int:
    """A ten-year simulated dataset of about ``n_target`` incidents, written to ``path``."""
    pilot = analysis.simulate_incidents(n_years=10, base_rate=100, seed=seed)
    rate = 100 * n_target / len(pilot)
    df = analysis.simulate_incidents(n_years=10, base_rate=rate, dispersion=0.1, seed=seed)
    df.to_csv(path, index=False)
    return len(df)


def write_results(result: dict) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "report.json").write_text(json.dumps(result, indent=2) + "\n")
    f, r, q = result["floor_s"], result["report_s"], result["ratio_report_over_floor"]
    lines = [
        "# Report pipeline benchmark",
        "",
        f"Bundled dataset, default parameters (n_sims {DEFAULT_PARAMETERS['n_sims']}), "
        f"{len(NOTEBOOKS)} notebooks, {result['repeat']} interleaved repeats (medians), "
        f"{result['cpus']} CPUs, load average at the end {result['load_average_1min']}.",
        "",
        "| run | seconds (median) | all runs |",
        "|---|---|---|",
        f"| floor: {len(NOTEBOOKS)} notebooks holding only `import analysis`, one fresh "
        f"kernel each (papermill), in a fresh process | {f:.1f} | {result['floor_runs_s']} |",
        f"| default report, `python -m analysis report` (warm kernels side by side, HTML, "
        f"manifest) | {r:.1f} | "
        f"{result['report_runs_s']} |",
        f"| **ratio report / floor** (target <= 3) | **{q:.2f}** | |",
        "",
        "Seconds per notebook in the last report run (kernel time, the notebooks run two "
        "at a time):",
        "",
        "| notebook | s |",
        "|---|---|",
    ]
    lines += [f"| {k} | {v:.1f} |" for k, v in result["report_per_notebook_s"].items()]
    if "simulated" in result:
        s = result["simulated"]
        lines += ["", f"Scale check: {s['incidents']:,} simulated incidents, report {s['report_s']:.1f} s."]
    (RESULTS / "report.md").write_text("\n".join(lines) + "\n")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--n", type=int, default=0, help="also time a report on N simulated incidents")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--child-floor", nargs=2, default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child_floor:
        execute_empty(Path(args.child_floor[0]), Path(args.child_floor[1]))
        return 0
    tmp = Path(tempfile.mkdtemp(prefix="bench-report-"))
    try:
        empty_notebooks(tmp / "empty")
        empty = tmp / "empty"
        floors, reports, per_nb = [], [], {}
        for i in range(args.repeat):
            run_dir = tmp / f"floor-{i}"
            run_dir.mkdir()
            floors.append(run_floor(empty, run_dir))
            t, per_nb = run_report(tmp / f"report-{i}")
            reports.append(t)
            print(f"repeat {i + 1}: floor {floors[-1]:.1f} s, report {reports[-1]:.1f} s", flush=True)
        f, r = statistics.median(floors), statistics.median(reports)
        result = {
            "repeat": args.repeat,
            "floor_s": round(f, 2),
            "report_s": round(r, 2),
            "floor_runs_s": [round(x, 1) for x in floors],
            "report_runs_s": [round(x, 1) for x in reports],
            "ratio_report_over_floor": round(r / f, 3),
            "target_ratio_max": 3.0,
            "meets_target": r / f <= 3.0,
            "report_per_notebook_s": {k: v for k, v in per_nb.items() if k in NOTEBOOKS},
            "n_sims": DEFAULT_PARAMETERS["n_sims"],
            "cpus": os.cpu_count(),
            "load_average_1min": round(os.getloadavg()[0], 2),
            "python": platform.python_version(),
            "analysis": analysis.__version__,
        }
        if args.n:
            data = tmp / "sim.csv"
            n = simulate(args.n, args.seed, data)
            t, _ = run_report(tmp / "report-sim", data=data)
            result["simulated"] = {"incidents": n, "report_s": round(t, 2)}
        write_results(result)
        print(f"ratio report / floor = {r / f:.2f} (target <= 3)")
        return 0 if r / f <= 3.0 else 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
