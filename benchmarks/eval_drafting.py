"""Evaluate assisted coding on the five seed reports against the bundled dataset.

Prints incident precision and recall, exact casualty ranges, dates inside the draft
window, province, perpetrator and attribution agreement, per report and pooled, the
median width of the draft date windows, and the drafting time per report. Writes
benchmarks/results/eval_drafting.json and .md.

There is no peer tool that drafts incidents from text, so the timing is reported
as a ratio against a plain regular-expression scan of the same text for casualty
verbs (the cheapest thing one could do), measured in the same run.

    python benchmarks/eval_drafting.py [--seeds ../shared/seeds]
"""

from __future__ import annotations

import argparse
import json
import re
import time
from pathlib import Path

import pandas as pd
from _paths import SHARED_DIR

from analysis import config
from analysis.coding import draft_incidents
from analysis.coding.evaluate import SEED_PUBLISHED, evaluate_seeds

RESULTS = Path(__file__).resolve().parent / "results"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=Path, default=SHARED_DIR / "seeds")
    args = ap.parse_args()
    if not args.seeds.is_dir():
        raise SystemExit(f"error: {args.seeds}: seed folder not found")
    incidents = pd.read_csv(config.BUNDLED_INCIDENTS)
    sources = pd.read_csv(config.BUNDLED_INCIDENT_SOURCES)
    ev, per_report = evaluate_seeds(args.seeds, incidents, sources)

    texts = {p.name: p.read_text(encoding="utf-8") for p in sorted(args.seeds.glob("*.txt"))}
    widths, t_draft = [], 0.0
    reps = 5
    for _ in range(reps):
        for name, text in texts.items():
            t0 = time.perf_counter()
            d = draft_incidents(text, published=SEED_PUBLISHED.get(name), source=name)
            t_draft += time.perf_counter() - t0
            if _ == 0:
                att = d[d["kind"] == "attack"]
                widths += list((att["date_latest"] - att["date_earliest"]).dt.days)
    verbs = re.compile(r"\b(?:killed|wounded|injured|dead)\b", re.I)
    t0 = time.perf_counter()
    for _ in range(reps):
        for text in texts.values():
            verbs.findall(text)
    t_regex = time.perf_counter() - t0

    pooled = ev.as_dict()
    pooled["median_window_days"] = float(pd.Series(widths).median()) if widths else None
    pooled["ms_per_report"] = round(1000 * t_draft / (reps * len(texts)), 1)
    pooled["ratio_vs_plain_regex_scan"] = round(t_draft / t_regex, 1) if t_regex else None
    print("Assisted coding on the seed reports (pooled):")
    for k, v in pooled.items():
        print(f"  {k:<28} {v}")
    print("\nPer report:")
    print(per_report.to_string(index=False))
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "eval_drafting.json").write_text(
        json.dumps({"pooled": pooled, "per_report": per_report.to_dict(orient="records"), "pairs": ev.pairs}, indent=2, default=str)
    )
    lines = ["# Assisted coding: evaluation on the seed reports", "", "| measure | value |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in pooled.items()]
    cols = list(per_report.columns)
    lines += ["", "| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    lines += ["| " + " | ".join(str(v) for v in row) + " |" for row in per_report.itertuples(index=False)]
    (RESULTS / "eval_drafting.md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
