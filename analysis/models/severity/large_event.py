r"""The probability of a large event (Clauset & Woodard 2013): :func:`large_event_probability`.

Among :math:`n` events, the probability that at least one has size :math:`\ge s` is
:math:`1 - (1 - \hat p)^n`, with :math:`\hat p = \Pr(X \ge s)` from a fitted tail model
(scaled by the tail share :math:`n_{\rm tail}/N`, plus the observed events of size
:math:`\ge s` below :math:`x_{\min}`). Its uncertainty comes from a non-parametric
bootstrap of the events in which :math:`x_{\min}` and every tail model are re-estimated.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..._threads import single_threaded_blas
from ._checks import (
    MIN_RELIABLE_TAIL,
    MIN_TESTABLE_TAIL,
    SeverityInputError,
    UnreliableFitWarning,
    as_sizes,
    check_conf_level,
    check_models,
    check_xmin,
)
from .alternatives import ALTERNATIVES, MODELS, fit_model, model_log_sf, optimiser_start
from .power_law import power_law_sf
from .result import LargeEventResult
from .sampling import percentile_interval, replicate
from .scan import fit_point

__all__ = ["large_event_probability"]


def _probabilities(arr: np.ndarray, size: float, n_events: int, models: Sequence[str],
                   discrete: bool, xmin: Any, starts: dict | None = None) -> dict[str, float]:
    """x_min, n_tail and, per model, P(at least one of ``n_events`` events >= ``size``).

    ``starts``: each alternative's fitted parameters on the original events, from which
    a bootstrap replicate's fit starts (filled in when empty)."""
    x_min, alpha, n_tail, _ = fit_point(arr, discrete, xmin)
    below = float(np.sum((arr >= size) & (arr < x_min)))
    s = max(float(size), x_min)
    tail = arr[arr >= x_min]
    out = {"x_min": x_min, "n_tail": float(n_tail)}
    for m in models:
        if m == "power_law":
            sf = float(power_law_sf(s, alpha, x_min, discrete))
        else:
            warm = starts.get(m) if starts is not None else None
            theta, _ = fit_model(m, tail, x_min, discrete, start=optimiser_start(m, warm) if warm is not None else None)
            if starts is not None and warm is None:
                starts[m] = theta
            sf = float(np.exp(model_log_sf(MODELS[m], theta, s, x_min, discrete)))
        p1 = (below + n_tail * sf) / arr.size
        out[m] = float(-np.expm1(n_events * np.log1p(-min(p1, 1.0)))) if p1 < 1 else 1.0
    return out


def _summarise(point: dict, boot: pd.DataFrame, models: Sequence[str],
               conf_level: float) -> pd.DataFrame:
    rows = []
    for m in models:
        v = boot[m].dropna().to_numpy(float) if len(boot) else np.array([])
        lo, hi = percentile_interval(v, conf_level)
        rows.append({
            "model": m, "estimate": point[m],
            "boot_mean": float(v.mean()) if v.size else np.nan,
            "boot_median": float(np.median(v)) if v.size else np.nan,
            "ci_low": lo, "ci_high": hi,
        })
    return pd.DataFrame(rows).set_index("model")


def large_event_probability(
    data: Any,
    size: float,
    *,
    n_events: int | None = None,
    n_sims: int = 1000,
    seed: Any = None,
    models: Sequence[str] = ("power_law", "stretched_exponential", "lognormal"),
    discrete: bool = True,
    xmin: str | float = "ks",
    conf_level: float = 0.95,
    progress: bool | None = None,
) -> LargeEventResult:
    r"""Probability of at least one event of size >= ``size`` among ``n_events`` events.

    The method of Clauset & Woodard (2013): fit x_min (by the power law's KS criterion) and
    each tail model, compute :math:`\hat p = \Pr(X \ge s)` and
    :math:`1 - (1-\hat p)^{n_{\rm events}}`; repeat on ``n_sims`` resamples of the events
    (x_min and all models re-estimated) for the bootstrap distribution and percentile
    interval.

    Parameters
    ----------
    data : event sizes (see :func:`fit_severity` for what is accepted).
    size : the event size of interest (e.g. 2749, the deaths of 11 September 2001).
    n_events : number of future/hypothetical events (default: the number of events in
        ``data``).
    n_sims : bootstrap replicates (0: point estimates only). The ends of the percentile
        interval are quantiles of ``n_sims`` replicates, with a Monte Carlo error of about
        4% of the interval's half-width at the default 1000 (for a bell-shaped bootstrap
        distribution; :math:`\sqrt{q(1-q)/B}/f(x_q)` at the quantile :math:`q`).
    seed : seed or numpy Generator.
    models : tail models, any of ``"power_law"`` and :data:`ALTERNATIVES`.
    discrete, xmin, conf_level, progress : as in :func:`fit_severity`.

    Returns
    -------
    LargeEventResult
    """
    with single_threaded_blas():
        return _large_event_probability(
            data, size, n_events=n_events, n_sims=n_sims, seed=seed, models=models,
            discrete=discrete, xmin=xmin, conf_level=conf_level, progress=progress)


def _check(arr: np.ndarray, size: float, n_events: int | None, models: Sequence[str]) -> int:
    """Check the options; returns the number of events."""
    if not np.isfinite(size) or size <= 0:
        raise SeverityInputError(f"size must be a positive number (got {size}).")
    if not models:
        raise SeverityInputError(f"no models given; choose from power_law and {list(ALTERNATIVES)}.")
    check_models(models, ("power_law", *ALTERNATIVES), "models")
    n_events = arr.size if n_events is None else int(n_events)
    if n_events < 1:
        raise SeverityInputError(f"n_events must be >= 1 (got {n_events}).")
    return n_events


def _large_event_probability(data, size, *, n_events, n_sims, seed, models, discrete, xmin,
                             conf_level, progress) -> LargeEventResult:
    arr = as_sizes(data, discrete)
    n_events = _check(arr, size, n_events, models)
    check_xmin(xmin)
    check_conf_level(conf_level)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnreliableFitWarning)
        starts: dict = {}
        point = _probabilities(arr, size, n_events, models, discrete, xmin, starts)
    notes = _tail_notes(int(point["n_tail"]))

    def draw(rng):
        xb = rng.choice(arr, arr.size, replace=True)
        return _probabilities(xb, size, n_events, models, discrete, xmin, starts)

    reps = replicate(draw, 0 if notes else n_sims, seed, desc="bootstrap (large events)",
                     progress=progress, quiet=Warning)
    boot = pd.DataFrame([r for r in reps if r is not None], columns=["x_min", "n_tail", *models])
    return LargeEventResult(size=float(size), n_events=n_events, n=arr.size,
                            table=_summarise(point, boot, models, conf_level), boot=boot,
                            conf_level=conf_level, seed=seed, notes=notes)


def _tail_notes(n_tail: int) -> tuple[str, ...]:
    """Warn about a short tail; with at most 20 points, the reason there is no interval."""
    if n_tail >= MIN_RELIABLE_TAIL:
        return ()
    if n_tail < MIN_TESTABLE_TAIL:
        note = (f"only {n_tail} events in the tail; at least {MIN_TESTABLE_TAIL} are needed "
                "for the bootstrap intervals, which are NaN")
        warnings.warn(f"not estimable from these data: {note}.", UnreliableFitWarning,
                      stacklevel=5)
        return (note,)
    warnings.warn(f"the tail has only {n_tail} points; the probabilities are unreliable.",
                  UnreliableFitWarning, stacklevel=5)
    return ()
