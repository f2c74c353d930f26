"""The entry point :func:`backtest`: rolling-origin evaluation of count forecasts with
proper scores, the coverage of their intervals, and the model with the lowest mean CRPS."""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..._periods import periods_per_year
from ..._threads import single_threaded_blas
from .data import ForecastInputError, History, as_history
from .models import MODELS, draw_model, fit_model
from .predictive import check_models, int_seed
from .result import BacktestResult, best_model
from .scores import score_samples

__all__ = ["MAX_FITS", "backtest"]

#: with ``refit=None``, each model is fitted at most this many times
MAX_FITS = 26


def _first_origin(start, counts: pd.Series, key: str) -> int:
    """Position of the first forecast origin (default: two years of history, or half
    the series, whichever is later)."""
    n = len(counts)
    if start is None:
        o0 = max(2 * round(periods_per_year(key)), n // 2) - 1
    elif isinstance(start, int | np.integer):
        o0 = int(start)
    else:
        o0 = int(counts.index.searchsorted(pd.Timestamp(start), side="right")) - 1
    if o0 < 2:
        raise ForecastInputError("start leaves fewer than 3 periods of history")
    if o0 > n - 2:
        raise ForecastInputError(
            f"start leaves no period to forecast (the series ends {counts.index[-1].date()})"
        )
    return o0


#: quantiles of every forecast kept in the backtest table (the central 50% and 90%
#: intervals), as ``F^-1(p) = min {x : F(x) >= p}`` of the samples
TABLE_QUANTILES = {"q05": 0.05, "q25": 0.25, "median": 0.5, "q75": 0.75, "q95": 0.95}


def _scored(samples: np.ndarray, hist: History, origin: int, model: str, rng) -> list[dict]:
    """One row per step ahead: the target, the observation, quantiles and scores."""
    y = hist.counts
    rows = []
    qs = np.quantile(samples, list(TABLE_QUANTILES.values()), axis=0, method="inverted_cdf")
    for k in range(samples.shape[1]):
        s = samples[:, k]
        obs = float(y.iloc[origin + 1 + k])
        rows.append({
            "origin": y.index[origin], "step": k + 1, "target": y.index[origin + 1 + k],
            "model": model, "observed": obs, "mean": float(s.mean()),
            **{name: float(q) for name, q in zip(TABLE_QUANTILES, qs[:, k], strict=True)},
            **score_samples(s, obs, rng),
        })
    return rows


def refit_every(refit, n_origins: int) -> int:
    """Origins between refits: ``refit``, or None for at most :data:`MAX_FITS` fits."""
    if refit is None:
        return max(1, -(-n_origins // MAX_FITS))
    if not isinstance(refit, int | np.integer) or isinstance(refit, bool) or refit < 1:
        raise ForecastInputError(f"refit must be a positive whole number of periods, not {refit!r}")
    return int(refit)


def _chosen_trend(state) -> int | None:
    """The trend degrees of freedom that ``trend="auto"`` chose in a fitted state."""
    table = getattr(getattr(state, "fit", None), "trend_aic", None)
    if table is None or "chosen" not in getattr(table, "columns", ()):
        return None
    chosen = table.index[table["chosen"].to_numpy(bool)]
    return int(chosen[0]) if len(chosen) else None


def _run(hist: History, origins, models, h, n_sims, seed, model_kw, refit, progress):
    """Every model at every origin, refitted every ``refit`` origins: (rows, failures)."""
    from tqdm.auto import tqdm

    n = len(hist.counts)
    rows, fails = [], []
    states: dict[str, object] = {}
    kws = {m: dict(model_kw.get(m, {})) for m in models}  # trends fixed after a first fit
    rng = np.random.default_rng(seed)
    bar = tqdm(origins, disable=(not progress) if progress is not None else None,
               desc="backtest origins")
    for pos, o in enumerate(bar):
        steps = min(h, n - 1 - o)
        for j, m in enumerate(models):
            sd = int(np.random.SeedSequence([seed, o, j]).generate_state(1)[0])
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    if pos % refit == 0 or m not in states:
                        states[m] = fit_model(m, hist, o, n_sims, sd, kws[m])
                        if "trend" not in kws[m] and (df := _chosen_trend(states[m])) is not None:
                            kws[m]["trend"] = df
                    s = draw_model(m, states[m], hist, o, steps, n_sims,
                                   np.random.default_rng([sd, 1]))
            except (ValueError, np.linalg.LinAlgError, RuntimeError) as exc:
                states.pop(m, None)  # refit at the next origin
                fails.append({"origin": hist.counts.index[o], "model": m, "error": str(exc)})
                continue
            rows += _scored(s, hist, o, m, rng)
    return rows, fails


def backtest(
    data,
    *,
    models: Sequence[str] = MODELS,
    start=None,
    horizon: int = 1,
    freq: str = "MS",
    n_sims: int = 500,
    refit: int | None = None,
    seed: int | np.random.Generator | None = 0,
    model_kw: dict[str, dict] | None = None,
    progress: bool | None = None,
) -> BacktestResult:
    """Rolling-origin backtest of count forecasts with proper scores and coverage.

    The forecast origin moves one period at a time (every week of weekly counts) from
    ``start`` to the second-last period, and every model forecasts the ``horizon``
    periods after each origin from the data up to it. Models are refitted every
    ``refit`` origins; in between, a model keeps its fitted parameters (and parameter
    draws) but each forecast conditions on all the data up to its own origin (the
    latest counts of an autoregression, the latest events of a Hawkes process). A trend
    left to ``"auto"`` is chosen by AIC at a model's first fit and kept for its refits:
    the model stays the same across origins, and each refit is one fit, not one per
    candidate trend.

    Parameters
    ----------
    data
        As for :func:`forecast`.
    models : sequence of str
        Any of ``"negbin", "ingarch", "hawkes", "naive_last", "seasonal_naive",
        "historical_mean"`` (:mod:`analysis.models.forecast.models`).
    start : date-like or int, optional
        The first forecast origin (the last period of the first training window), as a
        date inside that period or a position. Default: two years of history (or half
        the series, whichever is later).
    horizon : int
        Steps ahead forecast from each origin (every step is scored).
    freq, n_sims, seed
        As for :func:`forecast`.
    refit : int, optional
        Origins between refits (1: refit at every origin). None: as often as allows at
        most 26 fits per model (every origin when there are at most 26).
    model_kw : dict, optional
        Per-model options, e.g. ``{"hawkes": {"n_sims": 3}, "ingarch": {"ar_lags": (1, 2)}}``.
    progress : bool, optional
        Progress bar over origins (None: only on a terminal).

    Returns
    -------
    BacktestResult
        Mean CRPS, log score and the coverage of the central 50% and 90% intervals per
        model (:meth:`BacktestResult.scores`), and ``best_model``: the lowest mean CRPS
        over the origins where every model forecast. A model that fails to fit at an
        origin is recorded in ``failures`` (with the error message) and that forecast is
        left out; it is never silently scored.

    Examples
    --------
    >>> bt = analysis.backtest(weekly, start="2020-01-06", refit=4)  # doctest: +SKIP
    >>> bt.best_model, bt.to_frame()                                 # doctest: +SKIP
    """
    models = tuple(models)
    check_models(models, horizon)
    hist = as_history(data, freq)
    n = len(hist.counts)
    o0 = _first_origin(start, hist.counts, hist.key)
    every = refit_every(refit, n - 1 - o0)
    with single_threaded_blas():
        rows, fails = _run(hist, range(o0, n - 1), models, int(horizon), n_sims,
                           int_seed(seed), model_kw or {}, every, progress)
    if not rows:
        raise ForecastInputError(
            "no forecast could be made; see the errors: " + "; ".join(f["error"] for f in fails[:3])
        )
    table = pd.DataFrame(rows)
    return BacktestResult(
        table=table, models=models, horizon=int(horizon), freq=hist.key, n_sims=n_sims,
        failures=pd.DataFrame(fails, columns=["origin", "model", "error"]), refit=every,
        best_model=best_model(table, models),
    )
