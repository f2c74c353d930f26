"""The entry point :func:`backtest`: rolling-origin evaluation of count forecasts with
proper scores."""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..._periods import periods_per_year
from ..._threads import single_threaded_blas
from .data import ForecastInputError, History, as_history
from .models import MODELS, sample
from .predictive import check_models, int_seed
from .result import BacktestResult
from .scores import score_samples

__all__ = ["backtest"]


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


def _scored(samples: np.ndarray, hist: History, origin: int, model: str, rng) -> list[dict]:
    """One row per step ahead: the target, the observation, summaries and scores."""
    y = hist.counts
    rows = []
    for k in range(samples.shape[1]):
        s = samples[:, k]
        obs = float(y.iloc[origin + 1 + k])
        q05, median, q95 = np.quantile(s, [0.05, 0.5, 0.95])
        rows.append({
            "origin": y.index[origin], "step": k + 1, "target": y.index[origin + 1 + k],
            "model": model, "observed": obs, "mean": float(s.mean()), "median": median,
            "q05": q05, "q95": q95, **score_samples(s, obs, rng),
        })
    return rows


def _run(hist: History, origins, models, h, n_sims, seed, model_kw, progress):
    """Every model at every origin: (score rows, failures)."""
    from tqdm.auto import tqdm

    n = len(hist.counts)
    rows, fails = [], []
    rng = np.random.default_rng(seed)
    bar = tqdm(origins, disable=(not progress) if progress is not None else None,
               desc="backtest origins")
    for o in bar:
        steps = min(h, n - 1 - o)
        for j, m in enumerate(models):
            sd = int(np.random.SeedSequence([seed, o, j]).generate_state(1)[0])
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    s = sample(m, hist, o, steps, n_sims, sd, model_kw.get(m, {}))
            except (ValueError, np.linalg.LinAlgError, RuntimeError) as exc:
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
    seed: int | np.random.Generator | None = 0,
    model_kw: dict[str, dict] | None = None,
    progress: bool | None = None,
) -> BacktestResult:
    """Rolling-origin backtest of count forecasts with proper scores.

    Parameters
    ----------
    data
        As for :func:`forecast`.
    models : sequence of str
        Any of ``"negbin", "hawkes", "naive_last", "seasonal_naive", "historical_mean"``.
    start : date-like or int, optional
        The first forecast origin (the last period of the first training window), as a
        date inside that period or a position. Default: two years of history (or half
        the series, whichever is later).
    horizon : int
        Steps ahead forecast from each origin (every step is scored).
    freq, n_sims, seed
        As for :func:`forecast`.
    model_kw : dict, optional
        Per-model options, e.g. ``{"hawkes": {"n_sims": 3}, "negbin": {"harmonics": 1}}``.
    progress : bool, optional
        Progress bar over origins (None: only on a terminal).

    Returns
    -------
    BacktestResult
        A model that fails to fit at an origin is recorded in ``failures`` (with the
        error message) and that forecast is left out; it is never silently scored.

    Examples
    --------
    >>> bt = analysis.backtest(df, start="2020-01-01", horizon=2)    # doctest: +SKIP
    >>> bt.to_frame()               # mean CRPS / log score by model and step  # doctest: +SKIP
    >>> bt.plot(kind="pit")                                          # doctest: +SKIP
    """
    models = tuple(models)
    check_models(models, horizon)
    hist = as_history(data, freq)
    n = len(hist.counts)
    o0 = _first_origin(start, hist.counts, hist.key)
    with single_threaded_blas():
        rows, fails = _run(hist, range(o0, n - 1), models, int(horizon), n_sims,
                           int_seed(seed), model_kw or {}, progress)
    if not rows:
        raise ForecastInputError(
            "no forecast could be made; see the errors: " + "; ".join(f["error"] for f in fails[:3])
        )
    return BacktestResult(
        table=pd.DataFrame(rows), models=models, horizon=int(horizon), freq=hist.key,
        n_sims=n_sims, failures=pd.DataFrame(fails, columns=["origin", "model", "error"]),
    )
