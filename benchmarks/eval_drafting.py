"""Evaluate assisted coding: the seed reports, the development split and the held-out split.

For each of the three sets, prints precision and recall by field (incident found,
province, date window, killed and wounded ranges, perpetrator, attribution; see
``analysis.coding.evaluate``), the incidents drafted right in the sense of issue 20,
false drafts per text and the drafts made from texts that report no attack. Then
times the drafting of one text of about 300 KB (target: under 60 s) and counts the
candidate pairs that linking compared (it must grow linearly with the text).
Writes benchmarks/results/eval_drafting.json and .md.

The seeds are scored against the bundled dataset's coding of them
(data/incidents.csv, data/incident_sources.csv); the development set is
tests/data/drafting (texts written for this project from the corpus facts, with a
hand-coded key; its held-out quarter was never used to tune the drafter).

    python benchmarks/eval_drafting.py [--seeds ../shared/seeds] [--set tests/data/drafting]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import pandas as pd
from _paths import RESULTS, SHARED_DIR

from analysis import config
from analysis.coding import draft_incidents
from analysis.coding.evaluate import FIELDS, evaluate_seeds, evaluate_set, read_set
from analysis.coding.frames import LINK_STATS

REPO = Path(__file__).resolve().parents[1]
TARGET_CHARS = 300_000


def _long_text(folder: Path, seeds: Path | None) -> str:
    """About 300 KB of report text: the development texts and the seeds, repeated."""
    texts, _ = read_set(folder)
    parts = list(texts["text"])
    if seeds is not None and seeds.is_dir():
        parts += [p.read_text(encoding="utf-8") for p in sorted(seeds.glob("*.txt"))]
    body = "\n\n".join(parts)
    return (body + "\n\n") * (TARGET_CHARS // len(body) + 1)


def _timing(text: str) -> dict[str, float | int]:
    LINK_STATS.clear()
    t0 = time.perf_counter()
    d = draft_incidents(text, published="2024-01-01", source="long")
    seconds = time.perf_counter() - t0
    return {
        "chars": len(text),
        "seconds": round(seconds, 2),
        "drafts": len(d),
        "candidate_pairs": LINK_STATS.get("pairs", 0),
        "sentences": LINK_STATS.get("sentences", 0),
    }


def _field_rows(evals: dict[str, object]) -> pd.DataFrame:
    cols = {}
    for name, ev in evals.items():
        t = ev.to_frame()
        cols[(name, "P")] = t["precision"]
        cols[(name, "R")] = t["recall"]
    return pd.DataFrame(cols).loc[list(FIELDS)]


def _markdown(evals: dict, fields: pd.DataFrame, timing: dict) -> str:
    names = list(evals)
    lines = ["# Assisted coding: evaluation by field", "",
             "Reproduce: `python benchmarks/eval_drafting.py` (precision P and recall R; see "
             "`analysis/coding/evaluate.py` for the definitions).", "",
             "| field | " + " | ".join(f"{n} P | {n} R" for n in names) + " |",
             "|---|" + "---|---|" * len(names)]
    for f, row in fields.iterrows():
        lines.append(f"| {f} | " + " | ".join("" if pd.isna(v) else f"{v:.2f}" for v in row) + " |")
    lines += ["", "| measure | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
    heads = [dict(ev.summary_lines()) for ev in evals.values()]
    for k in heads[0]:
        lines.append(f"| {k} | " + " | ".join(h[k] for h in heads) + " |")
    lines += ["", f"Drafting one text of {timing['chars']:,} characters ({timing['sentences']:,} sentences): "
              f"{timing['seconds']} s, {timing['drafts']} drafts, {timing['candidate_pairs']:,} candidate "
              "pairs compared by linking (target: under 60 s, pairs linear in the text)."]
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=Path, default=SHARED_DIR / "seeds")
    ap.add_argument("--set", type=Path, default=REPO / "tests" / "data" / "drafting")
    args = ap.parse_args()
    evals, detail = {}, {}
    if args.seeds.is_dir():
        data = pd.read_csv(config.BUNDLED_INCIDENTS)
        sources = pd.read_csv(config.BUNDLED_INCIDENT_SOURCES)
        evals["seeds"], detail["seeds"] = evaluate_seeds(args.seeds, data, sources)
    else:
        print(f"(seed folder {args.seeds} not found: seeds skipped)")
    for split in ("dev", "heldout"):
        evals[split], detail[split] = evaluate_set(args.set, split)
    fields = _field_rows(evals)
    timing = _timing(_long_text(args.set, args.seeds))
    with pd.option_context("display.width", 160, "display.float_format", "{:.2f}".format):
        print(fields)
    for name, ev in evals.items():
        print(f"\n{name}: " + "; ".join(f"{k} {v}" for k, v in ev.summary_lines()))
    print(f"\n300 KB text: {timing}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = {name: ev.as_dict() for name, ev in evals.items()}
    out["per_text"] = {name: t.to_dict(orient="records") for name, t in detail.items()}
    out["long_text"] = timing
    (RESULTS / "eval_drafting.json").write_text(json.dumps(out, indent=2, default=str) + "\n")
    (RESULTS / "eval_drafting.md").write_text(_markdown(evals, fields, timing))


if __name__ == "__main__":
    main()
