"""Calibration of fit_severity and large_event_probability (sections of
calibration_tests.py). Every data set is drawn from a model fitted to a real one, in the
manner of Clauset, Shalizi & Newman (2009): the sizes below the fitted x_min are resampled,
and each size is, with the probability of the fitted tail share, drawn from the tail model
instead; the fit under test then estimates x_min again.

* ``severity_fit``: the size of the goodness-of-fit p-value on data from the fitted power
  law, and the coverage of the bootstrap interval of alpha and of alpha +- 1.96 s.e.;
* ``severity_vuong``: the likelihood-ratio p-values on data from each tail model: how
  often they favour the wrong model;
* ``large_event``: the coverage of the bootstrap interval of the large-event probability
  on data from each tail model, whose true probability is known.
"""

from __future__ import annotations

import warnings

import numpy as np
from _calibration_lethality import rate_row
from _tolls import deadly, real_frames, semi_parametric, tail_sampler
from scipy import stats

import analysis
from analysis.models.severity import ALTERNATIVES, power_law_sf
from analysis.models.severity import alternatives as alt
from analysis.models.severity.scan import fit_point


def datasets(with_terrorism: bool = True) -> dict[str, np.ndarray]:
    """Deadly tolls of the bundled data and the real extracts, and CSN's terrorism sizes."""
    out = {name: deadly(frame) for name, frame in real_frames().items()}
    if with_terrorism:
        try:
            from pathlib import Path

            import powerlaw

            path = Path(powerlaw.__file__).parent / "reference_data" / "terrorism.txt"
            if path.exists():
                out["terrorism (CSN 2009)"] = np.loadtxt(path)
        except ImportError:
            pass
    return out


def _model(x: np.ndarray):
    """The power-law fit of ``x``: (x_min, alpha, tail share, body, tail)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        xm, a, nt, _ = fit_point(x, True)
    return xm, a, nt / x.size, x[x < xm], x[x >= xm]


def severity_fit(runs: int, n_sims: int, seed: int, progress) -> list[dict]:
    """GOF p-value size and alpha interval coverage on data from the fitted power law."""
    rows = []
    for i, (name, x) in enumerate(progress(list(datasets().items()), desc="fit_severity")):
        xm, a, share, body, _ = _model(x)
        draw = tail_sampler("power_law", np.array([a]), xm)
        rng = np.random.default_rng(seed + i)
        gof05, gof10, boot, wald_cov = [], [], [], []
        for _ in range(runs):
            xs = semi_parametric(body, x.size, share, draw, rng)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", analysis.EstimationWarning)
                res = analysis.fit_severity(xs, alternatives=(), n_sims=n_sims, seed=rng,
                                            progress=False)
            row = res.to_frame().loc["alpha"]
            gof05.append(float(res.gof_p <= 0.05) if np.isfinite(res.gof_p) else np.nan)
            gof10.append(float(res.gof_p <= 0.10) if np.isfinite(res.gof_p) else np.nan)
            boot.append(float(row["ci_low"] <= a <= row["ci_high"])
                        if np.isfinite(row["ci_low"]) else np.nan)
            z = stats.norm.ppf(0.975)
            wald_cov.append(float(abs(res.alpha - a) <= z * res.alpha_se)
                            if np.isfinite(res.alpha_se) else np.nan)
        data = f"{name}: power law alpha {a:.2f} above x_min {xm:g}, n {x.size}"
        sec = "fit_severity"
        rows += [
            rate_row(sec, data, "goodness-of-fit p <= 0.05", "best", gof05, 0.05, "<= 0.08"),
            rate_row(sec, data, "goodness-of-fit p <= 0.10", "best", gof10, 0.10, "<= 0.13"),
            rate_row(sec, data, "alpha bootstrap interval", "best", boot, 0.95, "0.93-0.97"),
            rate_row(sec, data, "alpha +- 1.96 std_err", "best", wald_cov, 0.95, "0.93-0.97"),
        ]
    return rows


def _truths(tail: np.ndarray, xm: float, a: float) -> dict[str, np.ndarray]:
    out = {"power_law": np.array([a])}
    for m in ALTERNATIVES:
        out[m] = alt.fit_model(m, tail, xm, True)[0]
    return out


def _vuong_rows(data, truth, alternative, recs, levels=(0.05, 0.10)) -> list[dict]:
    R = np.array([r[0] for r in recs])
    p = np.array([r[1] for r in recs])
    out = []
    for lv in levels:
        wrong = (R < 0) if truth == "power_law" else (R > 0)
        target = f"<= {lv / 2:.3f} (one side of a two-sided {lv:.0%} test)"
        q = f"wrong-way p <= {lv:.2f} ({'alternative' if truth == 'power_law' else 'power law'} favoured)"
        if truth == "power_law" or alternative == truth:
            out.append(rate_row("fit_severity Vuong", data, q, f"{alternative}",
                                (p <= lv) & wrong, lv / 2, target, truth=truth))
        if truth == "power_law" and alternative == "truncated_power_law":
            out.append(rate_row("fit_severity Vuong", data, f"nested LR size, p <= {lv:.2f}",
                                alternative, p <= lv, lv, f"<= {lv:.2f}", truth=truth))
            plain = stats.chi2.sf(2 * np.abs(R), 1)  # the p-value before issue 17
            out.append(rate_row("fit_severity Vuong", data,
                                f"nested LR size, plain chi2(1) p <= {lv:.2f} (before)",
                                alternative, plain <= lv, lv, f"<= {lv:.2f}", truth=truth))
    return out


def severity_vuong(runs: int, seed: int, progress, names=("gtd_2012_2015_afg",
                                                         "rand_afghanistan")) -> list[dict]:
    """How often each likelihood-ratio test favours the wrong model."""
    rows = []
    sets = {k: v for k, v in datasets(False).items() if k in names}
    for i, (name, x) in enumerate(sets.items()):
        xm, a, share, body, tail = _model(x)
        for j, (truth, theta) in enumerate(progress(list(_truths(tail, xm, a).items()),
                                                    desc=f"Vuong {name}")):
            draw = tail_sampler(truth, theta, xm)
            rng = np.random.default_rng(seed + 10 * i + j)
            recs: dict[str, list] = {m: [] for m in ALTERNATIVES}
            for _ in range(runs):
                xs = semi_parametric(body, x.size, share, draw, rng)
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", analysis.EstimationWarning)
                    res = analysis.fit_severity(xs)
                for r in res.comparisons.itertuples():
                    recs[r.alternative].append((r.R, r.p))
            params = ", ".join(f"{v:.3g}" for v in theta)
            data = f"{name}: {truth} ({params}) above x_min {xm:g}, n {x.size}"
            for m, rec in recs.items():
                rows += _vuong_rows(data, truth, m, rec)
    return rows


def _true_probability(model, theta, xm, share, size, n_events) -> float:
    if model == "power_law":
        sf = float(power_law_sf(size, theta[0], xm))
    else:
        sf = float(np.exp(alt.model_log_sf(alt.MODELS[model], theta, size, xm, True)))
    return float(-np.expm1(n_events * np.log1p(-share * sf)))


def large_event(runs: dict[str, int], n_sims: dict[str, int], seed: int, progress,
                size: float = 100.0) -> list[dict]:
    """Coverage of the bootstrap interval of P(at least one event >= size among n)."""
    rows = []
    sets = {k: v for k, v in datasets(False).items()}
    for i, (name, x) in enumerate(sets.items()):
        xm, a, share, body, tail = _model(x)
        truths = {m: th for m, th in _truths(tail, xm, a).items()
                  if m in runs and (m == "power_law" or x.size <= 2000)}  # numeric fits: slow
        for j, (model, theta) in enumerate(progress(list(truths.items()), desc=f"large {name}")):
            truth = _true_probability(model, theta, xm, share, size, x.size)
            draw = tail_sampler(model, theta, xm)
            rng = np.random.default_rng(seed + 10 * i + j)
            cover, est = [], []
            for _ in range(runs[model]):
                xs = semi_parametric(body, x.size, share, draw, rng)
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", analysis.EstimationWarning)
                    r = analysis.large_event_probability(xs, size, models=(model,),
                                                         n_sims=n_sims[model], seed=rng,
                                                         progress=False).table.loc[model]
                cover.append(float(r["ci_low"] <= truth <= r["ci_high"])
                             if np.isfinite(r["ci_low"]) else np.nan)
                est.append(r["estimate"])
            data = (f"{name}: {model} above x_min {xm:g}, n {x.size}; P(>= {size:g} among "
                    f"{x.size}) = {truth:.3f}")
            rows.append(rate_row("large_event_probability", data, "bootstrap interval", model,
                                 cover, 0.95, "0.93-0.97", truth=truth,
                                 median_estimate=float(np.median(est)), n_sims=n_sims[model]))
    return rows
