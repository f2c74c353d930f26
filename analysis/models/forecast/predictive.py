"""The entry point :func:`forecast`: the predictive distribution of the counts of the
next periods after the end of the data."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..._periods import next_periods
from ..._threads import single_threaded_blas
from .data import ForecastInputError, as_history
from .models import MODELS, sample
from .result import ForecastResult

__all__ = ["DEFAULT_QUANTILES", "forecast"]

DEFAULT_QUANTILES = (0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95)


def int_seed(seed: int | np.random.Generator | None) -> int:
    """The seed as an int (every model and origin derives its own stream from it): an
    int as given, one drawn from a Generator, fresh entropy for None."""
    if seed is None:
        return int(np.random.SeedSequence().generate_state(1)[0])
    if isinstance(seed, np.random.Generator):
        return int(seed.integers(2**32))
    return int(seed)


def check_models(models: Sequence[str], horizon) -> None:
    """Known model names, at least one, and a horizon of at least one period."""
    bad = [m for m in models if m not in MODELS]
    if bad:
        raise ForecastInputError(f"unknown model(s) {bad}; choose from {MODELS}")
    if not models:
        raise ForecastInputError("give at least one model")
    if int(horizon) < 1:
        raise ForecastInputError("horizon must be at least 1 period")


def forecast(
    data,
    *,
    horizon: int = 3,
    model: str = "negbin",
    freq: str = "MS",
    n_sims: int = 1000,
    quantiles: Sequence[float] = DEFAULT_QUANTILES,
    seed: int | np.random.Generator | None = 0,
    model_kw: dict | None = None,
) -> ForecastResult:
    """Predictive distribution of incident counts for the next ``horizon`` periods.

    Parameters
    ----------
    data
        A canonical incident frame, event timestamps, or a regular count series (as
        from :func:`analysis.incident_counts`; not for ``model="hawkes"``, which needs
        event dates). Frames and timestamps are counted per ``freq`` period; the last
        period is taken as complete (cut the data at a period boundary if it is not).
    horizon : int
        Number of future periods.
    model : {"negbin", "ingarch", "hawkes", "naive_last", "seasonal_naive", "historical_mean"}
        See :mod:`analysis.models.forecast.models`.
    freq : {"D", "W", "MS", "QS", "YS"}
        Period length (ignored for a count series, which carries its own).
    n_sims : int
        Number of simulated futures (sample paths), at least 10.
    quantiles : sequence of float
        Quantiles reported in the table.
    seed : int, Generator or None
        Seed of all simulation (None: fresh entropy; the seed used is kept in the
        result).
    model_kw : dict, optional
        Options passed to :func:`analysis.fit_frequency` (negbin, ingarch) or
        :func:`analysis.fit_hawkes` (hawkes), e.g. ``{"background": "constant"}``.

    Returns
    -------
    ForecastResult

    Raises
    ------
    ForecastInputError
        Unknown model, horizon below 1, fewer than 10 paths or 3 periods of history,
        data that are not a frame, timestamps or a regular gap-free count series.
    EstimationError
        A Hawkes fit too poorly determined to simulate (its parameter draws would run
        away; the message names the cause).

    Examples
    --------
    >>> df = analysis.simulate_incidents(seed=1, dispersion=0.1)    # doctest: +SKIP
    >>> fc = analysis.forecast(df, horizon=3, model="negbin")       # doctest: +SKIP
    >>> fc.table[["mean", "q0.05", "q0.95"]]                         # doctest: +SKIP
    """
    check_models([model], horizon)
    if n_sims < 10:
        raise ForecastInputError("n_sims must be at least 10")
    hist = as_history(data, freq)
    n = len(hist.counts)
    if n < 3:
        raise ForecastInputError(f"only {n} periods of history; need at least 3")
    seed = int_seed(seed)
    with single_threaded_blas():
        s = sample(model, hist, n - 1, int(horizon), n_sims, seed, model_kw or {})
    idx = next_periods(hist.counts.index, horizon).rename("period")
    table = pd.DataFrame({"mean": s.mean(axis=0), "sd": s.std(axis=0, ddof=1)}, index=idx)
    for q in quantiles:
        table[f"q{q:g}"] = np.quantile(s, q, axis=0)
    return ForecastResult(model=model, freq=hist.key, table=table, samples=s,
                          history=hist.counts, seed=seed)
