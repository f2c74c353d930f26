"""Calibration of change_points with its defaults: false alarms on series without a
break, power on a threefold level shift, realistic series with a takeover-like drop,
and what it finds in real weekly counts.

Targets (issue 17): on seasonal negative-binomial series of 416 weeks with no break, a
break in at most 10% of them; a threefold level shift found within 4 weeks in at least
90%; on realistic weekly series 2017-2024 (surges, autocorrelation, a large drop in
mid-August 2021) at most 12 breaks, one within 4 weeks of 2021-08-15.

Scenarios, all from ``analysis.simulate_counts`` with known truth (each series draws
its own level, season, dispersion and, where named, noise and surges):

* ``null_nb``: 416 weeks, NB2, seasonal, no autocorrelation, no break;
* ``null_ar``: the same with an AR(1) on the log mean (lag-one 0.5, sd 0.3);
* ``null_monthly``: 96 months, NB2, seasonal, AR(1) 0.3 with sd 0.2, no break;
* ``shift``: ``null_nb`` with a threefold step up or down at a random week;
* ``realistic``: 2017-2024 weekly with one to three surges (or lulls) of a month to
  half a year, a trend, AR(1) noise and a drop to 10-35% of the level on 2021-08-15.

The real series (skipped when ../shared/realdata is absent): weekly counts of GTD
Afghanistan 2012-2015 and RAND Afghanistan 2002-2009.

Run:  .venv/bin/python benchmarks/calibration_changepoints.py [--n-series 40] [--n-sims 200]
Writes benchmarks/results/calibration_changepoints.json and .md and prints the table.
"""

from __future__ import annotations

import argparse
import json
import time
import warnings

import numpy as np
import pandas as pd
from _paths import REALDATA_DIR, RESULTS

import analysis
from analysis._threads import single_threaded_blas

TAKEOVER = pd.Timestamp("2021-08-15")
START = pd.Timestamp("2017-01-02")


def _null(rng, seed, ar_sd=0.0):
    return analysis.simulate_counts(
        START, periods=416, base_rate=rng.uniform(4, 15), seasonal_amplitude=rng.uniform(0.3, 0.6),
        dispersion=rng.uniform(0.05, 0.25), ar=0.5, ar_sd=ar_sd, seed=seed), None


def _shift(rng, seed):
    when = START + pd.Timedelta(weeks=int(rng.integers(80, 336)))
    effect = np.log(3) * rng.choice([-1, 1])
    base = rng.uniform(4, 15) * (1.7 if effect < 0 else 0.6)
    y = analysis.simulate_counts(START, periods=416, base_rate=base,
                                 seasonal_amplitude=rng.uniform(0.3, 0.6),
                                 dispersion=rng.uniform(0.05, 0.25), ar_sd=0.0,
                                 breaks={when: effect}, seed=seed)
    return y, when


def _realistic(rng, seed):
    t1 = pd.Timestamp("2024-12-31")
    surges = [(START + (t1 - START) * rng.uniform(0.05, 0.95),
               rng.uniform(0.4, 1.0) * rng.choice([-1, 1, 1]), rng.uniform(30, 180))
              for _ in range(int(rng.integers(1, 4)))]
    y = analysis.simulate_counts(
        START, t1, base_rate=rng.uniform(8, 30), trend=rng.uniform(-0.1, 0.1),
        seasonal_amplitude=rng.uniform(0.2, 0.5), dispersion=rng.uniform(0.05, 0.25),
        ar=rng.uniform(0.3, 0.7), ar_sd=rng.uniform(0.1, 0.35), surges=surges,
        breaks={TAKEOVER: np.log(rng.uniform(0.1, 0.35))}, seed=seed)
    return y, TAKEOVER


def _monthly(rng, seed):
    return analysis.simulate_counts(
        "2002-01-01", periods=96, freq="MS", base_rate=rng.uniform(8, 40),
        seasonal_amplitude=rng.uniform(0.2, 0.5), dispersion=rng.uniform(0.05, 0.25), ar=0.3,
        ar_sd=0.2, seed=seed), None


SCENARIOS = {
    "null_nb": lambda rng, s: _null(rng, s),
    "null_ar": lambda rng, s: _null(rng, s, ar_sd=0.3),
    "null_monthly": _monthly,
    "shift": _shift,
    "realistic": _realistic,
}


def one_series(name: str, i: int, n_sims: int) -> dict:
    rng = np.random.default_rng([17, i, len(name)])
    y, when = SCENARIOS[name](rng, 1000 * len(name) + i)
    res = analysis.change_points(y, n_sims=n_sims, seed=i)
    dates = pd.DatetimeIndex(res.dates)
    row = {"n_breaks": len(dates), "penalty": res.penalty, "near": np.nan, "covered": np.nan}
    if when is not None and len(dates):
        k = int(np.argmin(np.abs((dates - when).days)))
        row["near"] = float(abs((dates[k] - when).days) <= 28)
        loc = res.locations.iloc[k]
        # the period holding the true date is inside the interval
        row["covered"] = float(loc.date_low <= when < loc.date_high + y.index.freq)
    elif when is not None:
        row["near"] = 0.0
    return row


def summarise(name: str, rows: list[dict]) -> dict:
    df = pd.DataFrame(rows)
    any_break = (df["n_breaks"] > 0).mean()
    out = {"scenario": name, "series": len(df),
           "share_with_a_break": any_break,
           "mc_se": float(np.sqrt(any_break * (1 - any_break) / len(df))),
           "mean_breaks": df["n_breaks"].mean(), "max_breaks": int(df["n_breaks"].max()),
           "median_penalty": df["penalty"].median()}
    if df["near"].notna().any():
        out["found_within_4_weeks"] = df["near"].mean()
        out["date_interval_coverage"] = df["covered"].mean()
    return out


def real_series(n_sims: int) -> list[dict]:
    """What the defaults find in real weekly counts (GTD 2012-2015, RAND 2002-2009)."""
    out = []
    for name, fmt, start, end in (("GTD Afghanistan", "gtd_2012_2015_afg.csv", "2012-01-01", "2015-12-31"),
                                  ("RAND Afghanistan", "rand_rdwti_afg.csv", "2002-01-01", "2009-12-31")):
        path = REALDATA_DIR / fmt
        if not path.exists():
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            data = analysis.read_source(path, quarantine=RESULTS / ".quarantine.csv")
            y = analysis.incident_counts(data, "W", start=start, end=end)
        res = analysis.change_points(y, n_sims=n_sims, seed=1)
        changes = [f"{r.date:%Y-%m-%d} [{r.date_low:%Y-%m-%d}, {r.date_high:%Y-%m-%d}] x{r.ratio:.2f}"
                   for r in res.locations.itertuples()]
        out.append({"series": f"{name} weekly {start[:4]}-{end[:4]}", "weeks": len(y),
                    "incidents": int(y.sum()), "penalty": res.penalty, "n_breaks": len(changes),
                    "changes": changes, "noise": res.noise})
    (RESULTS / ".quarantine.csv").unlink(missing_ok=True)
    return out


def markdown(df: pd.DataFrame) -> str:
    """A Markdown table of ``df`` (index first), numbers to three decimals."""
    def cell(v):
        return f"{v:.3f}" if isinstance(v, float) else str(v)

    head = [df.index.name or "", *map(str, df.columns)]
    rows = [[str(i), *(cell(v) for v in r)] for i, r in zip(df.index, df.itertuples(index=False), strict=True)]
    return "\n".join("| " + " | ".join(r) + " |" for r in [head, ["---"] * len(head), *rows])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n-series", type=int, default=40)
    ap.add_argument("--n-sims", type=int, default=200)
    args = ap.parse_args()
    t0 = time.perf_counter()
    summary = []
    with single_threaded_blas(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name in SCENARIOS:
            rows = [one_series(name, i, args.n_sims) for i in range(args.n_series)]
            summary.append(summarise(name, rows))
            print(summary[-1], flush=True)
        real = real_series(args.n_sims)
    elapsed = time.perf_counter() - t0
    table = pd.DataFrame(summary).set_index("scenario")
    RESULTS.mkdir(exist_ok=True)
    out = {"n_series": args.n_series, "n_sims": args.n_sims, "seconds": elapsed,
           "scenarios": table.reset_index().to_dict("records"), "real": real}
    (RESULTS / "calibration_changepoints.json").write_text(json.dumps(out, indent=2, default=float))
    lines = [f"change_points defaults: {args.n_series} series per scenario, penalty from "
             f"{args.n_sims} null simulations, false-alarm level 5%; {elapsed:.0f}s", "",
             markdown(table), "", "Real weekly counts:", ""]
    for r in real:
        lines.append(f"- {r['series']} ({r['weeks']} weeks, {r['incidents']} incidents): "
                     f"{r['n_breaks']} change(s), penalty {r['penalty']:.1f}")
        lines += [f"  - {c}" for c in r["changes"]]
    md = "\n".join(lines) + "\n"
    (RESULTS / "calibration_changepoints.md").write_text(md)
    print(md)


if __name__ == "__main__":
    main()
