"""Benchmark: validating canonical rows with the pandera schema against plain vectorised
pandas checks of the same rules, measured in the same run.

Target (foundation issue): at 1e6 clean rows the pandera validation costs no more than
2x the plain pandas checks. The plain checks are an independent implementation of the
rules, so the script also asserts that both flag exactly the same rows on a frame with
injected errors.

Run:  .venv/bin/python benchmarks/bench_validation.py [--rows 1000000] [--repeat 5]
Writes benchmarks/results/validation.json and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from analysis import gazetteer
from analysis.schema import (
    ATTACK_TYPES,
    ATTRIBUTIONS,
    COLUMNS,
    DATE_PRECISIONS,
    GEO_PRECISIONS,
    MAX_WINDOW_DAYS,
    PERPETRATORS,
    SOURCE_DATASETS,
    TARGET_TYPES,
    IncidentSchema,
)
from analysis.validation.reference import pandera_failures

RESULTS = Path(__file__).parent / "results"


def make_rows(n: int, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    prov = gazetteer.provinces()
    k = rng.integers(0, len(prov), n)
    day = pd.Timestamp("2002-01-01") + pd.to_timedelta(rng.integers(0, 8000, n), unit="D")
    best = rng.poisson(3, n)
    low = best - rng.integers(0, 2, n).clip(max=best)
    high = best + rng.integers(0, 3, n)
    wb = rng.poisson(5, n)
    df = pd.DataFrame(
        {
            "incident_id": pd.Series([f"S{i:07d}" for i in range(n)], dtype="str"),
            "date": day,
            "date_earliest": day,
            "date_latest": day,
            "date_precision": pd.Series(np.full(n, "day"), dtype="str"),
            "country": pd.Series(np.full(n, "AFG"), dtype="str"),
            "province": pd.Series(prov["province"].to_numpy()[k], dtype="str"),
            "province_code": pd.Series(prov["province_code"].to_numpy()[k], dtype="str"),
            "district": pd.Series([None] * n, dtype="str"),
            "place": pd.Series([None] * n, dtype="str"),
            "latitude": prov["latitude"].to_numpy()[k],
            "longitude": prov["longitude"].to_numpy()[k],
            "geo_precision": pd.Series(np.full(n, "province"), dtype="str"),
            "perpetrator": pd.Series(rng.choice(["ISKP", "Taliban", "unknown"], n), dtype="str"),
            "attribution": pd.Series(np.full(n, "unclaimed"), dtype="str"),
            "attack_type": pd.Series(rng.choice(["bombing", "armed_assault"], n), dtype="str"),
            "target_type": pd.Series(rng.choice(["civilians", "security_forces"], n), dtype="str"),
            "killed_low": pd.array(low, dtype="Int64"),
            "killed_best": pd.array(best, dtype="Int64"),
            "killed_high": pd.array(high, dtype="Int64"),
            "wounded_low": pd.array(wb, dtype="Int64"),
            "wounded_best": pd.array(wb, dtype="Int64"),
            "wounded_high": pd.array(wb, dtype="Int64"),
            "civilians_killed_best": pd.array([pd.NA] * n, dtype="Int64"),
            "combatants_killed_best": pd.array([pd.NA] * n, dtype="Int64"),
            "source_dataset": pd.Series(np.full(n, "simulated"), dtype="str"),
            "source_event_id": pd.Series([None] * n, dtype="str"),
            "sources": pd.Series(np.full(n, "benchmark"), dtype="str"),
            "evidence": pd.Series([None] * n, dtype="str"),
            "notes": pd.Series([None] * n, dtype="str"),
        }
    )
    return df[list(COLUMNS)]


def _le(a, b):
    return (a.isna() | b.isna() | (a <= b)).astype(bool)


def plain_checks(df: pd.DataFrame) -> pd.Series:
    """The schema's rules as plain vectorised pandas; True where a row is invalid."""
    ok = df["incident_id"].notna() & ~df["incident_id"].duplicated(keep=False)
    for c in ("date", "date_earliest", "date_latest"):
        ok &= df[c].notna()
    ok &= df["date_precision"].isin(DATE_PRECISIONS)
    ok &= df["country"].str.fullmatch(r"[A-Z]{3}").fillna(False).astype(bool)
    ok &= df["geo_precision"].isna() | df["geo_precision"].isin(GEO_PRECISIONS)
    ok &= df["perpetrator"].isin(PERPETRATORS) & df["attribution"].isin(ATTRIBUTIONS)
    ok &= df["attack_type"].isna() | df["attack_type"].isin(ATTACK_TYPES)
    ok &= df["target_type"].isna() | df["target_type"].isin(TARGET_TYPES)
    ok &= df["source_dataset"].isin(SOURCE_DATASETS) & df["sources"].notna()
    for c in ("killed", "wounded"):
        lo, be, hi = df[f"{c}_low"], df[f"{c}_best"], df[f"{c}_high"]
        ok &= _le(lo, be) & _le(be, hi) & _le(lo, hi)
        ok &= (lo.isna() | (lo >= 0)) & (be.isna() | (be >= 0)) & (hi.isna() | (hi >= 0))
    ok &= _le(df["date_earliest"], df["date"]) & _le(df["date"], df["date_latest"])
    ok &= df["date_earliest"] >= pd.Timestamp("1970-01-01")
    ok &= df["date"] < pd.Timestamp.now().normalize() + pd.Timedelta(days=1)
    width = (df["date_latest"] - df["date_earliest"]).dt.days
    limit = df["date_precision"].map(MAX_WINDOW_DAYS).astype("float64")
    ok &= width.isna() | limit.isna() | (width <= limit)
    afg = df["country"] == "AFG"
    names = {p.name: p.code for p in gazetteer.PROVINCES}
    ok &= ~afg | df["province"].isna() | df["province"].isin(list(names))
    ok &= ~afg | (df["province"].map(names) == df["province_code"]).fillna(df["province_code"].isna())
    lat_lo, lat_hi, lon_lo, lon_hi = gazetteer.AFGHANISTAN_BBOX
    ok &= df["latitude"].isna() == df["longitude"].isna()
    inside = df["latitude"].between(lat_lo, lat_hi) & df["longitude"].between(lon_lo, lon_hi)
    ok &= ~afg | df["latitude"].isna() | inside
    named = df["perpetrator"] != "unknown"
    ok &= named | ~df["attribution"].isin(["claimed", "attributed", "suspected", "disputed"])
    return ~ok.astype(bool)


def pandera_invalid(df: pd.DataFrame) -> pd.Series:
    bad = pd.Series(False, index=df.index)
    try:
        IncidentSchema.validate(df, lazy=True)
    except pa.errors.SchemaErrors as exc:
        bad.loc[pandera_failures(exc, df)["_index"].unique()] = True
    return bad


def timeit(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return float(np.median(times))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()

    # correctness first: both implementations flag the same rows on a dirty frame
    dirty = make_rows(20_000, seed=2)
    rng = np.random.default_rng(3)
    idx = rng.choice(len(dirty), 600, replace=False)
    dirty.loc[idx[:100], "killed_low"] = dirty.loc[idx[:100], "killed_high"] + 1
    dirty.loc[idx[100:200], "province_code"] = "AF-KAB"
    dirty.loc[idx[200:300], "latitude"] = 10.0
    dirty.loc[idx[300:400], "perpetrator"] = "Daesh"
    dirty.loc[idx[400:500], "date_latest"] = dirty.loc[idx[400:500], "date"] + pd.Timedelta(days=40)
    dirty.loc[idx[500:], "incident_id"] = "DUP"
    a, b = plain_checks(dirty), pandera_invalid(dirty)
    assert (a == b).all(), f"implementations disagree on {(a != b).sum()} rows"

    df = make_rows(args.rows)
    assert not plain_checks(df).any()
    t_plain = timeit(lambda: plain_checks(df), args.repeat)
    t_pandera = timeit(lambda: IncidentSchema.validate(df, lazy=True), args.repeat)
    ratio = t_pandera / t_plain
    res = {
        "rows": args.rows,
        "repeat": args.repeat,
        "pandera_validate_s": round(t_pandera, 4),
        "plain_pandas_checks_s": round(t_plain, 4),
        "ratio_pandera_over_pandas": round(ratio, 3),
        "target_ratio_max": 2.0,
        "meets_target": bool(ratio <= 2.0),
        "agreement_rows_checked": len(dirty),
        "pandas": pd.__version__,
        "pandera": pa.__version__ if hasattr(pa, "__version__") else __import__("pandera").__version__,
        "python": platform.python_version(),
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "validation.json").write_text(json.dumps(res, indent=2) + "\n")
    print("| rows | pandera validate (s) | plain pandas checks (s) | ratio | target |")
    print("|---|---|---|---|---|")
    print(f"| {args.rows:,} | {t_pandera:.3f} | {t_plain:.3f} | {ratio:.2f} | <= 2.0 |")


if __name__ == "__main__":
    main()
