"""Calibration of every p-value and interval printed by casualty_trend, casualty_band,
fit_severity and large_event_probability (issue 17).

Size: the share of data sets without the effect on which a test gives p <= 0.05 (target
<= 0.08 at the nominal 0.05). Coverage: the share of data sets whose interval contains
the truth (nominal 0.95). Every rate carries its Monte Carlo standard error
sqrt(r (1 - r) / runs). The data: the real extracts in ../shared/realdata (GTD 2012-2015
Afghanistan, RAND Afghanistan; skipped when absent) and the bundled incidents, with their
tolls permuted across dates, and simulations with known truth (see _tolls.py and the
section modules _calibration_lethality.py and _calibration_severity.py).

Run:  .venv/bin/python benchmarks/calibration_tests.py [--sections trend_size ...]
      [--quick] [--seed 17]
Writes benchmarks/results/calibration_tests.json and .md (a run of some sections keeps
the other sections' stored rows; --quick writes nothing) and prints the table.
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np
import pandas as pd
from _calibration_lethality import band_range, trend_coverage, trend_size
from _calibration_severity import large_event, severity_fit, severity_vuong
from _paths import RESULTS
from tqdm.auto import tqdm

from analysis._threads import single_threaded_blas

SECTIONS = ("trend_size", "trend_coverage", "band_range", "severity_fit", "severity_vuong",
            "large_event")
FULL = {"runs": 200, "cover_runs": 200, "severity_runs": 100, "severity_sims": 99,
        "vuong_runs": 100, "large_runs": {"power_law": 200, "stretched_exponential": 40,
                                          "lognormal": 40},
        "large_sims": {"power_law": 200, "stretched_exponential": 100, "lognormal": 100}}
QUICK = {"runs": 5, "cover_runs": 5, "severity_runs": 3, "severity_sims": 19, "vuong_runs": 2,
         "large_runs": {"power_law": 3, "stretched_exponential": 2, "lognormal": 2},
         "large_sims": {"power_law": 19, "stretched_exponential": 19, "lognormal": 19}}


def _progress(it, desc):
    return tqdm(it, desc=desc, disable=None, leave=False)


def run(section: str, cfg: dict, seed: int) -> list[dict]:
    """The rows of one section."""
    if section == "trend_size":
        return trend_size(cfg["runs"], 999, seed, _progress)
    if section == "trend_coverage":
        return trend_coverage(cfg["cover_runs"], 999, seed, _progress)
    if section == "band_range":
        return band_range(cfg["cover_runs"], seed, _progress)
    if section == "severity_fit":
        return severity_fit(cfg["severity_runs"], cfg["severity_sims"], seed, _progress)
    if section == "severity_vuong":
        return severity_vuong(cfg["vuong_runs"], seed, _progress)
    return large_event(cfg["large_runs"], cfg["large_sims"], seed, _progress)


def _fmt(v) -> str:
    if isinstance(v, float | np.floating):
        return "" if not np.isfinite(v) else f"{v:.3f}"
    return "" if v is None else str(v)


def markdown(rows: list[dict], meta: dict) -> str:
    """The results as one table per section."""
    df = pd.DataFrame(rows)
    out = ["# Calibration of the casualty-trend and severity tests and intervals", "",
           "Rates over simulated or permuted data sets, with Monte Carlo standard errors "
           "(`mc_se`). Size rows: the share with p <= the nominal level when there is no "
           "effect; coverage rows: the share of intervals containing the truth. Produced by "
           "`benchmarks/calibration_tests.py`; see its docstring and the section modules "
           "for the designs.", ""]
    for sec, sub in df.groupby("section", sort=False):
        m = meta.get(sec, {})
        out += [f"## {sec}", "", f"seed {m.get('seed')}, {m.get('seconds', 0):.0f} s", ""]
        cols = ["data", "quantity", "band", "runs", "not_estimable", "rate", "mc_se", "nominal",
                "target"] + [c for c in ("truth", "median_estimate") if c in sub and
                             sub[c].notna().any()]
        out.append("| " + " | ".join(cols) + " |")
        out.append("|" + "---|" * len(cols))
        out += ["| " + " | ".join(_fmt(r[c]) for c in cols) + " |" for _, r in sub.iterrows()]
        out.append("")
    return "\n".join(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sections", nargs="*", default=list(SECTIONS), choices=SECTIONS)
    ap.add_argument("--quick", action="store_true", help="a few runs each (a smoke test)")
    ap.add_argument("--seed", type=int, default=17)
    args = ap.parse_args()
    cfg = QUICK if args.quick else FULL
    path = RESULTS / "calibration_tests.json"
    stored = json.loads(path.read_text()) if path.exists() and not args.quick else {}
    rows = [r for r in stored.get("rows", []) if r["section_key"] not in args.sections]
    meta = {k: v for k, v in stored.get("meta", {}).items() if k not in args.sections}
    for sec in args.sections:
        t0 = time.perf_counter()
        with single_threaded_blas():
            new = run(sec, cfg, args.seed)
        meta[sec] = {"seed": args.seed, "seconds": time.perf_counter() - t0,
                     "config": {k: v for k, v in cfg.items()}}
        rows += [{"section_key": sec, **r} for r in new]
        print(f"{sec}: {len(new)} rows in {meta[sec]['seconds']:.0f} s", flush=True)
    order = {s: i for i, s in enumerate(SECTIONS)}
    rows.sort(key=lambda r: order[r["section_key"]])
    by_title = {r["section"]: meta.get(r["section_key"], {}) for r in rows}
    md = markdown(rows, by_title)
    if not args.quick:  # a smoke test writes nothing
        path.write_text(json.dumps({"rows": rows, "meta": meta}, indent=1, default=float))
        path.with_suffix(".md").write_text(md)
    print(md)


if __name__ == "__main__":
    main()
