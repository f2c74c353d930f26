"""Benchmark: univariate exponential Hawkes fit at 1e5 and 1e6 events, against
hawkeslib's gradient (L-BFGS-B) fit, measured in the same run.

hawkeslib cannot be pip-installed with build isolation, so it lives in a separate
virtualenv (never the project's)::

    python3 -m venv /tmp/bench-venv
    /tmp/bench-venv/bin/pip install numpy scipy cython setuptools wheel
    /tmp/bench-venv/bin/pip install --no-build-isolation hawkeslib

The peer runs through that interpreter (``HAWKESLIB_PYTHON`` overrides the path); when
it is missing the comparison is skipped with a message. Both fits get the same
simulated event times and window ``[0, T]``; the optimum is compared by evaluating our
exact log-likelihood at both parameter vectors.

Run:  nice .venv/bin/python benchmarks/bench_hawkes.py
Writes benchmarks/results/hawkes.json and hawkes.md.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from analysis.models.hawkes import HAVE_NUMBA, fit_hawkes, hawkes_loglik, simulate_hawkes
from analysis.models.hawkes.background import Background
from analysis.models.hawkes.likelihood import UniModel

RESULTS = Path(__file__).resolve().parent / "results"
PEER_PY = os.environ.get("HAWKESLIB_PYTHON", "/tmp/bench-venv/bin/python")
MU, ETA, BETA = 0.5, 0.6, 2.0
SIZES = (100_000, 1_000_000)

PEER_SCRIPT = r"""
import json, sys, time
import numpy as np
np.random.seed(0)
from hawkeslib import UnivariateExpHawkesProcess
t = np.load(sys.argv[1]); T = float(sys.argv[2])
proc = UnivariateExpHawkesProcess()
t0 = time.perf_counter()
ll = proc.fit(t, T, method="gd")
el = time.perf_counter() - t0
mu, alpha, theta = proc.get_params()
ll_ours_params = UnivariateExpHawkesProcess.log_likelihood_with_params(
    t, float(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5]), T)
print(json.dumps({"seconds": el, "loglik": float(ll), "mu": mu, "branching": alpha,
                  "decay": theta, "peer_loglik_at_our_params": float(ll_ours_params)}))
"""


def peer_available() -> str | None:
    if not Path(PEER_PY).exists():
        return f"no interpreter at {PEER_PY}"
    r = subprocess.run([PEER_PY, "-c", "import hawkeslib"], capture_output=True, text=True)
    if r.returncode:
        return "hawkeslib does not import: " + r.stderr.strip().splitlines()[-1]
    return None


def run_peer(t: np.ndarray, T: float, ours: tuple[float, float, float]) -> dict:
    with tempfile.TemporaryDirectory() as d:
        f = Path(d) / "t.npy"
        np.save(f, t)
        script = Path(d) / "peer.py"
        script.write_text(PEER_SCRIPT)
        r = subprocess.run(
            [PEER_PY, str(script), str(f), repr(T), *map(repr, ours)],
            capture_output=True,
            text=True,
            check=True,
        )
    return json.loads(r.stdout.strip().splitlines()[-1])


def grad_norm(t: np.ndarray, T: float, params) -> float:
    """Largest absolute score component of our exact log-likelihood at (mu, eta, beta)."""
    model = UniModel(t, Background("constant", T), "numpy")
    mu, eta, beta = params
    _, g_b, g_eta, g_beta = model.loglik_grad_natural(np.array([np.log(mu)]), eta, beta)
    return float(max(abs(g_b[0] / mu), abs(g_eta), abs(g_beta)))


def main() -> None:
    RESULTS.mkdir(exist_ok=True)
    why_no_peer = peer_available()
    if why_no_peer:
        print(f"hawkeslib comparison skipped: {why_no_peer}. See this script's docstring.")
    # warm up (numba compilation is cached on disk; time it separately)
    t_small = simulate_hawkes(MU, ETA, BETA, 400.0, seed=0)
    t0 = time.perf_counter()
    fit_hawkes(t_small, end=400.0, background="constant")
    warmup = time.perf_counter() - t0
    rows = []
    for n in SIZES:
        T = n * (1 - ETA) / MU
        t = simulate_hawkes(MU, ETA, BETA, T, seed=n)
        row: dict = {"n_target": n, "n_events": int(t.size), "T_days": T}
        t0 = time.perf_counter()
        res = fit_hawkes(t, end=T, background="constant")
        row["ours_seconds"] = time.perf_counter() - t0
        ours = (res.mu_mean, res.branching, res.decay)
        row["ours_params"] = ours
        row["ours_loglik"] = res.loglik
        row["engine"] = "numba" if HAVE_NUMBA else "numpy"
        t0 = time.perf_counter()
        res_np = fit_hawkes(t, end=T, engine="numpy", background="constant")
        row["numpy_seconds"] = time.perf_counter() - t0
        row["numpy_loglik"] = res_np.loglik
        if not why_no_peer:
            peer = run_peer(t, T, ours)
            row["hawkeslib_seconds"] = peer["seconds"]
            row["hawkeslib_params"] = (peer["mu"], peer["branching"], peer["decay"])
            # evaluate both optima with the same (our) likelihood
            row["loglik_at_hawkeslib_params"] = hawkes_loglik(
                t, mu=peer["mu"], branching=peer["branching"], decay=peer["decay"], end=T
            )
            row["hawkeslib_reported_loglik"] = peer["loglik"]
            row["hawkeslib_loglik_at_our_params"] = peer["peer_loglik_at_our_params"]
            row["loglik_gap_ours_minus_peer"] = res.loglik - row["loglik_at_hawkeslib_params"]
            # which one is the optimum: the likelihood gradient (natural scale) at each
            row["max_abs_grad_ours"] = grad_norm(t, T, ours)
            row["max_abs_grad_hawkeslib"] = grad_norm(t, T, row["hawkeslib_params"])
            row["speedup_vs_hawkeslib"] = peer["seconds"] / row["ours_seconds"]
        row["speedup_vs_numpy"] = row["numpy_seconds"] / row["ours_seconds"]
        rows.append(row)
        print(json.dumps(row, default=float))
    scale = rows[-1]["ours_seconds"] / rows[0]["ours_seconds"]
    nratio = rows[-1]["n_events"] / rows[0]["n_events"]
    out = {
        "benchmark": "univariate exponential Hawkes MLE (constant background)",
        "truth": {"mu": MU, "branching": ETA, "decay": BETA},
        "python": sys.version.split()[0],
        "machine": platform.machine(),
        "numba_warmup_seconds": warmup,
        "peer": "hawkeslib 0.2.2 fit(method='gd')"
        if not why_no_peer
        else f"skipped: {why_no_peer}",
        "rows": rows,
        "time_ratio_1e6_over_1e5": scale,
        "event_ratio_1e6_over_1e5": nratio,
        "note": "ours = analysis.fit_hawkes (trust-region Newton with the analytic Hessian, "
        "including the covariance, KS goodness of fit and triggered share); numpy engine = the "
        "same fit with the plain-NumPy O(n) kernels (no numba). The log-likelihood gap is our "
        "exact log-likelihood at our optimum minus at hawkeslib's; max_abs_grad_* show which "
        "point is the optimum.",
    }
    (RESULTS / "hawkes.json").write_text(json.dumps(out, indent=2, default=float))
    lines = [
        "# Hawkes fit benchmark",
        "",
        f"Peer: {out['peer']}. Truth mu={MU}, branching={ETA}, decay={BETA}.",
        "",
        "| events | ours (s) | numpy engine (s) | hawkeslib gd (s) | speed-up vs hawkeslib "
        "| loglik ours - hawkeslib | max abs score ours / hawkeslib |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['n_events']:,} | {r['ours_seconds']:.3f} | {r['numpy_seconds']:.3f} | "
            f"{r.get('hawkeslib_seconds', float('nan')):.3f} | "
            f"{r.get('speedup_vs_hawkeslib', float('nan')):.2f}x | "
            f"{r.get('loglik_gap_ours_minus_peer', float('nan')):.2e} | "
            f"{r.get('max_abs_grad_ours', float('nan')):.1e} / "
            f"{r.get('max_abs_grad_hawkeslib', float('nan')):.1e} |"
        )
    lines += [
        "",
        f"Time ratio 1e6/1e5: {scale:.2f} for an event ratio of {nratio:.2f} (linear scaling).",
        "",
        out["note"],
    ]
    (RESULTS / "hawkes.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
