"""Benchmark: ingesting a GTD-layout CSV to Parquet against a plain ``pandas.read_csv`` of
the same file, measured in the same run.

Targets (issue 3): for a generated 1e6-row GTD-layout CSV,

* time: ``read_source(...)`` + ``to_parquet`` <= 3x ``pandas.read_csv(path)`` (C engine);
* memory: the ingest's peak resident memory (above the process's memory before it
  starts) <= 4x the in-memory size of the frame ``pandas.read_csv`` returns.

Each measurement runs in a fresh subprocess, so one's peak memory and warm caches do
not leak into another. The file is synthetic (GTD's numeric-code columns, values drawn
to resemble an Afghan extract, 3 % blank ``nkill``, 2 % unknown days), never real rows.

Run:  .venv/bin/python benchmarks/bench_ingest.py [--rows 1000000] [--repeat 3]
Writes benchmarks/results/ingest.json and benchmarks/results/ingest.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

RESULTS = Path(__file__).parent / "results"

PROVINCES = ["Helmand", "Kandahar", "Nangarhar", "Herat", "Ghazni", "Kabul", "Uruzgan", "Kunar",
             "Farah", "Faryab", "Kunduz", "Wardak", "Logar", "Zabul", "Baghlan", "Khost", "Paktika",
             "Jawzjan", "Sari Pul", "Nimroz", "Panjsher", "Unknown"]  # fmt: skip
GROUPS = ["Taliban", "Unknown", "Khorasan Chapter of the Islamic State", "Haqqani Network",
          "Tehrik-i-Taliban Pakistan (TTP)", "Hizb-I-Islami", "Unaffiliated Individual(s)"]  # fmt: skip


def make_gtd_csv(path: Path, n: int, seed: int = 3) -> None:
    """Write an n-row CSV in GTD's numeric-code layout (synthetic values)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    rng = np.random.default_rng(seed)
    year = rng.integers(2002, 2021, n)
    month = rng.integers(1, 13, n)
    day = rng.integers(1, 29, n)
    day[rng.random(n) < 0.02] = 0
    month[rng.random(n) < 0.005] = 0
    day[month == 0] = 0
    # GTD-like ids: yyyymmdd then a serial number (unique)
    eventid = (year * 10**4 + month * 10**2 + day) * 10**7 + np.arange(n)
    nkill = rng.negative_binomial(1, 0.3, n).astype("float64")
    nkill[rng.random(n) < 0.03] = np.nan
    nwound = rng.negative_binomial(1, 0.2, n).astype("float64")
    nwound[rng.random(n) < 0.05] = np.nan
    prov = np.asarray(PROVINCES, dtype=object)[rng.integers(0, len(PROVINCES), n)]
    lat = 31 + 5 * rng.random(n)
    lon = 62 + 8 * rng.random(n)
    unknown_place = prov == "Unknown"
    lat[unknown_place] = np.nan
    lon[unknown_place] = np.nan

    def ints(lo, hi):
        return rng.integers(lo, hi, n)

    cols = {
        "eventid": eventid.astype("int64"),
        "iyear": year, "imonth": month, "iday": day,
        "country": np.full(n, 4), "country_txt": np.full(n, "Afghanistan", dtype=object),
        "region": np.full(n, 6), "region_txt": np.full(n, "South Asia", dtype=object),
        "provstate": prov, "city": np.asarray(["Town " + str(k) for k in range(200)], dtype=object)[ints(0, 200)],
        "latitude": lat, "longitude": lon, "specificity": ints(1, 6), "vicinity": ints(0, 2),
        "crit1": np.ones(n, int), "crit2": np.ones(n, int), "crit3": ints(0, 2), "doubtterr": ints(0, 2),
        "alternative": np.where(rng.random(n) < 0.8, np.nan, 1.0), "multiple": ints(0, 2),
        "success": ints(0, 2), "suicide": (rng.random(n) < 0.08).astype(int),
        "attacktype1": ints(1, 10), "targtype1": ints(1, 23), "targsubtype1": ints(1, 100).astype(float),
        "target1": np.asarray(["Soldiers", "Civilians", "Police checkpoint", "Vehicle"], dtype=object)[ints(0, 4)],
        "natlty1": np.full(n, 4.0), "gname": np.asarray(GROUPS, dtype=object)[ints(0, len(GROUPS))],
        "guncertain1": (rng.random(n) < 0.03).astype(int), "claimed": ints(0, 2), "weaptype1": ints(1, 14),
        "weapsubtype1": np.where(rng.random(n) < 0.3, np.nan, ints(1, 30).astype(float)),
        "nkill": nkill, "nkillter": np.where(np.isnan(nkill), np.nan, 0.0), "nwound": nwound,
        "nwoundte": np.where(np.isnan(nwound), np.nan, 0.0), "ishostkid": ints(0, 2),
        "related": np.full(n, None, dtype=object),
    }  # fmt: skip
    table = pa.table({k: pa.array(v, from_pandas=True) for k, v in cols.items()})
    pacsv.write_csv(table, path)


# ------------------------------------------------------------------ children
def _rss_bytes() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _child(task: str, csv_path: str, out_dir: str) -> dict:
    import pyarrow  # noqa: F401

    import analysis  # noqa: F401  (imports are not part of the measurement)
    from analysis.sources import read_source

    base = _rss_bytes()
    t0 = time.perf_counter()
    if task == "read_csv":
        df = pd.read_csv(csv_path)
        seconds = time.perf_counter() - t0
        extra = {"frame_bytes": int(df.memory_usage(deep=True).sum()), "rows": len(df)}
    elif task == "ingest":
        df = read_source(csv_path, quarantine=Path(out_dir) / "quarantine.csv")
        df.to_parquet(Path(out_dir) / "incidents.parquet", index=False)
        seconds = time.perf_counter() - t0
        s = df.attrs["ingest"]
        extra = {
            "frame_bytes": int(df.memory_usage(deep=True).sum()),
            "rows": len(df),
            "rows_in": s.rows_in,
            "rows_quarantined": s.rows_quarantined,
            "totals_agree": s.totals_agree,
        }
    elif task == "stages":
        extra = _stages(csv_path, out_dir)
        seconds = time.perf_counter() - t0
    else:
        raise ValueError(task)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return {"task": task, "seconds": seconds, "peak_above_start_bytes": peak - base, **extra}


def _stages(csv_path: str, out_dir: str) -> dict:
    """Where the ingest time goes: the steps of ``read_source`` + ``to_parquet`` in
    order, each timed as the ingest runs it (mapping and validation run in parts on
    ``analysis.sources.WORKERS`` threads; their time is one figure)."""
    from analysis import io, sources
    from analysis.readers import read_raw
    from analysis.sources import gtd

    out = {}
    t = time.perf_counter()
    table, bad = read_raw(Path(csv_path), columns=gtd.COLUMNS_USED)
    out["read_raw"] = time.perf_counter() - t
    t = time.perf_counter()
    outcome = sources.ingest_frame(table, "gtd", source=csv_path, bad_lines=bad)
    out["map_and_validate"] = time.perf_counter() - t
    t = time.perf_counter()
    io.write_quarantine(outcome.quarantined, Path(out_dir) / "stage_quarantine.csv")
    out["write_quarantine"] = time.perf_counter() - t
    t = time.perf_counter()
    outcome.valid.to_parquet(Path(out_dir) / "stage.parquet", index=False)
    out["to_parquet"] = time.perf_counter() - t
    return {"stage_seconds": out, "workers": sources.WORKERS, "chunk_rows": sources.CHUNK_ROWS}


def _run_child(task: str, csv_path: Path, out_dir: Path) -> dict:
    cmd = [sys.executable, __file__, "--child", task, "--csv", str(csv_path), "--out", str(out_dir)]
    res = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if res.returncode != 0:
        raise RuntimeError(f"child {task} failed:\n{res.stderr[-3000:]}")
    return json.loads(res.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--child", default=None)
    ap.add_argument("--csv", default=None)
    ap.add_argument("--out", default=None)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(_child(args.child, args.csv, args.out)))
        return

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        csv_path = tmp / "gtd_synthetic.csv"
        t = time.perf_counter()
        make_gtd_csv(csv_path, args.rows)
        print(f"generated {args.rows} rows ({csv_path.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - t:.1f} s")
        runs: dict[str, list[dict]] = {"read_csv": [], "ingest": []}
        for _ in range(args.repeat):  # interleaved, so drift affects both alike
            for task in runs:
                runs[task].append(_run_child(task, csv_path, tmp))
        staged = _run_child("stages", csv_path, tmp)
        stages = staged["stage_seconds"]

    read = min(r["seconds"] for r in runs["read_csv"])
    ing = min(r["seconds"] for r in runs["ingest"])
    # the runs are interleaved, so each pair saw the same machine state
    pair_ratios = sorted(b["seconds"] / a["seconds"] for a, b in zip(runs["read_csv"], runs["ingest"], strict=True))
    pair_median = float(np.median(pair_ratios))
    frame_bytes = runs["read_csv"][0]["frame_bytes"]
    peak = max(r["peak_above_start_bytes"] for r in runs["ingest"])
    last = runs["ingest"][-1]
    result = {
        "rows": args.rows,
        "repeat": args.repeat,
        "read_csv_seconds_min": read,
        "ingest_to_parquet_seconds_min": ing,
        "time_ratio": ing / read,
        "time_ratio_pairwise": pair_ratios,
        "time_ratio_pairwise_median": pair_median,
        "time_target": 3.0,
        "read_csv_frame_bytes": frame_bytes,
        "canonical_frame_bytes": last["frame_bytes"],
        "ingest_peak_above_start_bytes": peak,
        "memory_ratio": peak / frame_bytes,
        "memory_target": 4.0,
        "read_csv_peak_above_start_bytes": max(r["peak_above_start_bytes"] for r in runs["read_csv"]),
        "rows_in": last["rows_in"],
        "rows_mapped": last["rows"],
        "rows_quarantined": last["rows_quarantined"],
        "totals_agree": last["totals_agree"],
        "ingest_stage_seconds": stages,
        "workers": staged["workers"],
        "chunk_rows": staged["chunk_rows"],
        # reading the file and writing Parquet alone, against read_csv: a floor for the
        # time ratio that no mapping or validation work can go below
        "read_plus_write_ratio": (stages["read_raw"] + stages["to_parquet"]) / read,
        "all_runs": runs,
        "python": platform.python_version(),
        "pandas": pd.__version__,
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "ingest.json").write_text(json.dumps(result, indent=2))
    md = [
        f"# Ingest benchmark ({args.rows:,} GTD-layout rows, best of {args.repeat})",
        "",
        "| measure | ingest (read_source + to_parquet) | pandas.read_csv | ratio | target |",
        "|---|---|---|---|---|",
        f"| time (s) | {ing:.2f} | {read:.2f} | {ing / read:.2f}x (median of the {args.repeat} interleaved pairs: {pair_median:.2f}x) | <= 3x |",
        f"| peak memory above start (MB) | {peak / 1e6:.0f} | frame {frame_bytes / 1e6:.0f} | {peak / frame_bytes:.2f}x | <= 4x |",
        "",
        f"Ingest stages (s, one cold run; mapping and validation in parts of {staged['chunk_rows']:,} rows "
        f"on {staged['workers']} threads): " + ", ".join(f"{k} {v:.2f}" for k, v in stages.items()),
        "",
        f"Reading the CSV and writing Parquet alone take {result['read_plus_write_ratio']:.2f}x read_csv "
        "(a floor for the time ratio).",
        "",
        f"rows in {last['rows_in']}, mapped {last['rows']}, quarantined {last['rows_quarantined']}, "
        f"totals agree: {last['totals_agree']}",
    ]
    (RESULTS / "ingest.md").write_text("\n".join(md) + "\n")
    print("\n".join(md))


if __name__ == "__main__":
    main()
