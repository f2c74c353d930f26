"""Benchmark: ``read_source`` and the ``ingest`` command against ``pandas.read_csv`` of the
same file, measured in the same run.

Targets (issue 18), on one million GTD rows:

* time: ``read_source(path)`` into a frame <= 2x ``pandas.read_csv(path)`` (C engine);
* time: the whole ``analysis ingest path -o out.parquet -q q.csv`` command (in process,
  after the imports) <= 3x ``pandas.read_csv(path)``;
* memory: the ingest's peak resident memory above the process's memory before it starts
  <= 4x the in-memory size of the frame ``pandas.read_csv`` returns (issue 3).

Two synthetic files are measured, never real rows:

* ``full``: GTD's complete layout (the 135 columns of its codebook, as in GTD's own CSV),
  with its free-text fields (summary, citations, motive, target and weapon details)
  filled with words of a synthetic vocabulary to realistic lengths;
* ``narrow``: the 38 columns of an extract in the numeric-code layout (as in
  ``../shared/realdata``): the hard case for us, since ``read_csv`` has little beyond the
  columns the adapter reads.

Values are drawn to resemble an Afghan extract (3 % blank ``nkill``, 2 % unknown days,
2 % fractional shares of multi-part attacks with their ``related`` groups). Each
measurement runs in a fresh subprocess, so one's peak memory and warm caches do not leak
into another, and the runs are interleaved so that drift in the machine's load affects
all alike.

Run:  .venv/bin/python benchmarks/bench_ingest.py [--rows 1000000] [--repeat 3] [--layouts full narrow]
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
#: Free-text columns of GTD's layout and the mean length (characters) drawn for each.
TEXT_LENGTHS = {"summary": 260, "scite1": 190, "scite2": 150, "scite3": 110, "motive": 60, "addnotes": 50,
                "weapdetail": 45, "propcomment": 35, "location": 30, "target1": 30, "corp1": 25,
                "target2": 8, "corp2": 6, "ransomnote": 2, "gsubname": 4}  # fmt: skip


def _narrow_columns(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    year = rng.integers(2002, 2021, n)
    month = rng.integers(1, 13, n)
    day = rng.integers(1, 29, n)
    day[rng.random(n) < 0.02] = 0
    month[rng.random(n) < 0.005] = 0
    day[month == 0] = 0
    # GTD-like ids: yyyymmdd then a serial number (unique)
    eventid = (year * 10**4 + month * 10**2 + day) * 10**7 + np.arange(n)
    nkill = rng.negative_binomial(1, 0.3, n).astype("float64")
    nwound = rng.negative_binomial(1, 0.2, n).astype("float64")
    related = np.full(n, None, dtype=object)
    # 2 % of records are parts of three-part attacks: the toll split evenly, ids related
    parts = np.flatnonzero(rng.random(n // 3) < 0.02) * 3
    for k in parts:
        ids = eventid[k : k + 3].astype(str)
        total = rng.integers(1, 30)
        nkill[k : k + 3] = round(total / 3, 2)
        for j in range(3):
            related[k + j] = ", ".join(i for i in ids if i != ids[j])
    nkill[rng.random(n) < 0.03] = np.nan
    nwound[rng.random(n) < 0.05] = np.nan
    prov = np.asarray(PROVINCES, dtype=object)[rng.integers(0, len(PROVINCES), n)]
    lat = 31 + 5 * rng.random(n)
    lon = 62 + 8 * rng.random(n)
    lat[prov == "Unknown"] = np.nan
    lon[prov == "Unknown"] = np.nan

    def ints(lo, hi):
        return rng.integers(lo, hi, n)

    return {
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
        "related": related,
    }  # fmt: skip


def _texts(rng: np.random.Generator, n: int, mean: int, pool: int = 4000) -> np.ndarray:
    """Sentences of a synthetic vocabulary, ``mean`` characters long on average (some
    blank), drawn from a pool so that a million of them cost little to make."""
    if mean < 10:  # mostly blank
        return np.where(rng.random(n) < mean / 40, "note", None).astype(object)
    words = np.array(["attack", "district", "police", "village", "reported", "source", "group",
                      "convoy", "checkpoint", "province", "claimed", "device", "officials", "near"])  # fmt: skip
    lengths = rng.integers(max(1, mean // 14), mean // 4 + 2, pool)
    sentences = np.array([" ".join(rng.choice(words, k)) for k in lengths], dtype=object)
    out = sentences[rng.integers(0, pool, n)]
    return np.where(rng.random(n) < 0.1, None, out)


def make_gtd_csv(path: Path, n: int, layout: str = "narrow", seed: int = 3) -> None:
    """Write an n-row CSV in GTD's layout (synthetic values): ``narrow`` (38 columns of
    the numeric-code layout) or ``full`` (all 135 columns of GTD's codebook)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    from analysis.sources import gtd

    rng = np.random.default_rng(seed)
    cols = _narrow_columns(rng, n)
    if layout == "full":
        for c in gtd.KNOWN_COLUMNS:
            if c in cols:
                continue
            if c in TEXT_LENGTHS:
                cols[c] = _texts(rng, n, TEXT_LENGTHS[c])
            elif c.endswith("_txt"):
                cols[c] = np.asarray(["Explosives", "Firearms", "Unknown", "Military"], dtype=object)[rng.integers(0, 4, n)]
            else:
                cols[c] = np.where(rng.random(n) < 0.4, np.nan, rng.integers(0, 20, n).astype(float))
        cols = {c: cols[c] for c in gtd.KNOWN_COLUMNS if c in cols} | {k: v for k, v in cols.items() if k not in gtd.KNOWN_COLUMNS}
    table = pa.table({k: pa.array(v, from_pandas=True) for k, v in cols.items()})
    pacsv.write_csv(table, path)


# ------------------------------------------------------------------ children
def _rss_bytes() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _child(task: str, csv_path: str, out_dir: str) -> dict:
    import warnings

    import pyarrow  # noqa: F401

    import analysis  # noqa: F401  (imports are not part of the measurement)
    from analysis.cli import app
    from analysis.sources import read_source

    warnings.simplefilter("ignore")
    base = _rss_bytes()
    t0 = time.perf_counter()
    extra: dict = {}
    if task == "read_csv":
        df = pd.read_csv(csv_path, low_memory=False)
        extra = {"frame_bytes": int(df.memory_usage(deep=True).sum()), "rows": len(df)}
    elif task == "read_source":
        df = read_source(csv_path, quarantine=Path(out_dir) / "quarantine.csv")
        s = df.attrs["ingest"]
        extra = {"frame_bytes": int(df.memory_usage(deep=True).sum()), "rows": len(df), "rows_in": s.rows_in,
                 "rows_quarantined": s.rows_quarantined, "totals_agree": s.totals_agree,
                 "killed_in": s.killed_in, "killed_low": s.killed_low, "killed_best": s.killed_best,
                 "killed_high": s.killed_high}  # fmt: skip
    elif task == "ingest":
        out, q = Path(out_dir) / "incidents.parquet", Path(out_dir) / "quarantine.csv"
        try:
            app(["ingest", csv_path, "-o", str(out), "-q", str(q)], standalone_mode=False)
        except SystemExit as exc:  # typer.Exit
            extra["exit_code"] = exc.code
        extra["exit_code"] = extra.get("exit_code", 0)
    elif task == "stages":
        extra = _stages(csv_path, out_dir)
    else:
        raise ValueError(task)
    seconds = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return {"task": task, "seconds": seconds, "peak_above_start_bytes": peak - base, **extra}


def _stages(csv_path: str, out_dir: str) -> dict:
    """Where the time goes: the steps of ``read_source`` + Parquet, each timed as the
    ingest runs it (mapping and validation run in parts on ``analysis.sources.WORKERS``
    threads; their time is one figure)."""
    from analysis import io, sources
    from analysis.readers import read_header, read_raw
    from analysis.sources import gtd

    out = {}
    t = time.perf_counter()
    table, bad = read_raw(Path(csv_path), columns=gtd.COLUMNS_USED)
    out["read_raw"] = time.perf_counter() - t
    t = time.perf_counter()
    outcome = sources.ingest_frame(table, "gtd", source=csv_path, bad_lines=bad, header=read_header(Path(csv_path)))
    out["map_and_validate"] = time.perf_counter() - t
    t = time.perf_counter()
    io.write_quarantine(outcome.quarantined, Path(out_dir) / "stage_quarantine.csv")
    out["write_quarantine"] = time.perf_counter() - t
    t = time.perf_counter()
    io.write_incidents(outcome.valid, Path(out_dir) / "stage.parquet")
    out["write_parquet"] = time.perf_counter() - t
    return {"stage_seconds": out, "workers": sources.WORKERS, "chunk_rows": sources.CHUNK_ROWS}


def _run_child(task: str, csv_path: Path, out_dir: Path) -> dict:
    cmd = [sys.executable, __file__, "--child", task, "--csv", str(csv_path), "--out", str(out_dir)]
    res = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if res.returncode != 0:
        raise RuntimeError(f"child {task} failed:\n{res.stderr[-3000:]}")
    return json.loads(res.stdout.strip().splitlines()[-1])


TASKS = ("read_csv", "read_source", "ingest")


def measure(layout: str, rows: int, repeat: int) -> dict:
    """All measurements of one layout."""
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        csv_path = tmp / f"gtd_{layout}.csv"
        t = time.perf_counter()
        make_gtd_csv(csv_path, rows, layout)
        size = csv_path.stat().st_size
        n_cols = len(pd.read_csv(csv_path, nrows=1).columns)
        print(f"{layout}: {rows} rows x {n_cols} columns ({size / 1e6:.0f} MB) made in {time.perf_counter() - t:.1f} s")
        runs: dict[str, list[dict]] = {task: [] for task in TASKS}
        for _ in range(repeat):  # interleaved, so drift affects all alike
            for task in TASKS:
                runs[task].append(_run_child(task, csv_path, tmp))
        staged = _run_child("stages", csv_path, tmp)
    read = [r["seconds"] for r in runs["read_csv"]]
    out = {"layout": layout, "rows": rows, "columns": n_cols, "file_bytes": size, "read_csv_seconds_min": min(read)}
    for task, target in (("read_source", 2.0), ("ingest", 3.0)):
        secs = [r["seconds"] for r in runs[task]]
        pairs = sorted(b / a for a, b in zip(read, secs, strict=True))
        out[task] = {"seconds_min": min(secs), "time_ratio": min(secs) / min(read),
                     "time_ratio_pairwise": pairs, "time_ratio_pairwise_median": float(np.median(pairs)),
                     "target": target}  # fmt: skip
    frame_bytes = runs["read_csv"][0]["frame_bytes"]
    peak = max(r["peak_above_start_bytes"] for r in runs["ingest"])
    last = runs["read_source"][-1]
    out |= {
        "read_csv_frame_bytes": frame_bytes,
        "canonical_frame_bytes": last["frame_bytes"],
        "ingest_peak_above_start_bytes": peak,
        "memory_ratio": peak / frame_bytes,
        "memory_target": 4.0,
        "ingest_exit_codes": sorted({r["exit_code"] for r in runs["ingest"]}),
        "summary": {k: last[k] for k in ("rows_in", "rows", "rows_quarantined", "totals_agree", "killed_in",
                                          "killed_low", "killed_best", "killed_high")},
        "stage_seconds": staged["stage_seconds"],
        "workers": staged["workers"],
        "chunk_rows": staged["chunk_rows"],
        "all_runs": runs,
    }
    return out


def _markdown(results: list[dict], repeat: int) -> list[str]:
    md = [f"# Ingest benchmark (GTD layouts, best of {repeat} interleaved runs)", ""]
    md += ["| layout | rows x columns | read_csv (s) | read_source (s) | ratio | ingest command + Parquet (s) | ratio | peak memory / read_csv frame |",
           "|---|---|---|---|---|---|---|---|"]  # fmt: skip
    for r in results:
        rs, ing = r["read_source"], r["ingest"]
        md.append(
            f"| {r['layout']} | {r['rows']:,} x {r['columns']} ({r['file_bytes'] / 1e6:.0f} MB) | {r['read_csv_seconds_min']:.2f} "
            f"| {rs['seconds_min']:.2f} | {rs['time_ratio']:.2f}x (pairs: median {rs['time_ratio_pairwise_median']:.2f}x) "
            f"| {ing['seconds_min']:.2f} | {ing['time_ratio']:.2f}x (pairs: median {ing['time_ratio_pairwise_median']:.2f}x) "
            f"| {r['memory_ratio']:.2f}x |"
        )
    md += ["", "Targets: read_source <= 2x read_csv; the ingest command with its Parquet output <= 3x; memory <= 4x.", ""]
    for r in results:
        st = ", ".join(f"{k} {v:.2f}" for k, v in r["stage_seconds"].items())
        s = r["summary"]
        md += [
            f"- {r['layout']}: stages (s, one run; mapping and validation in parts of {r['chunk_rows']:,} rows on "
            f"{r['workers']} threads): {st}. Rows in {s['rows_in']}, mapped {s['rows']}, quarantined "
            f"{s['rows_quarantined']}, totals agree: {s['totals_agree']}; nkill {s['killed_in']:.2f}, killed "
            f"low/best/high {s['killed_low']:.0f} / {s['killed_best']:.0f} / {s['killed_high']:.0f}.",
        ]
    return md


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--layouts", nargs="+", default=["full", "narrow"])
    ap.add_argument("--child", default=None)
    ap.add_argument("--csv", default=None)
    ap.add_argument("--out", default=None)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(_child(args.child, args.csv, args.out)))
        return
    load_before = os.getloadavg()
    results = [measure(layout, args.rows, args.repeat) for layout in args.layouts]
    result = {
        "rows": args.rows,
        "repeat": args.repeat,
        "layouts": results,
        "load_average_before": load_before,
        "load_average_after": os.getloadavg(),
        "python": platform.python_version(),
        "pandas": pd.__version__,
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "ingest.json").write_text(json.dumps(result, indent=2))
    md = _markdown(results, args.repeat)
    md += ["", f"Machine: {os.cpu_count()} CPUs, load average {load_before[0]:.1f} before and "
               f"{result['load_average_after'][0]:.1f} after the run (other work shares the machine)."]  # fmt: skip
    (RESULTS / "ingest.md").write_text("\n".join(md) + "\n")
    print("\n".join(md))


if __name__ == "__main__":
    main()
