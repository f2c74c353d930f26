"""The Hawkes process as a forecaster (``"hawkes"``).

:func:`analysis.fit_hawkes` on the event times up to the forecast origin (its default
flexible background, ``n_sims=5`` jitter draws; options via ``model_kw``), then
:meth:`HawkesResult.simulate_counts`: exact simulation of the future by the branching
construction (new background events plus the offspring still due from past events),
each sample path with parameters drawn from the fit's asymptotic normal law. The
background's trend is held at its last fitted value. A fit made at one origin serves
later origins too, conditioning on the events up to the later origin.
"""

from __future__ import annotations

import dataclasses
import warnings
from typing import Any

import numpy as np
import pandas as pd

from .data import ForecastInputError, History

__all__ = ["draw_hawkes_model", "fit_hawkes_model"]

_DAY = pd.Timedelta(days=1)


@dataclasses.dataclass(frozen=True, eq=False)
class HawkesState:
    """A fitted Hawkes process (a :class:`HawkesResult`)."""

    fit: Any


def _origin_end(hist: History, origin: int) -> pd.Timestamp:
    return hist.counts.index[origin] + hist.counts.index.freq


def fit_hawkes_model(hist: History, origin: int, seed: int, model_kw: dict) -> HawkesState:
    """Fit the Hawkes process to the events before the end of period ``origin``."""
    from ..hawkes import fit_hawkes

    if hist.frame is None:
        raise ForecastInputError(
            "model='hawkes' needs event dates (an incident frame or timestamps), not a count series"
        )
    end = _origin_end(hist, origin)
    frame = hist.frame[pd.to_datetime(hist.frame["date"]) < end]
    kw: dict[str, Any] = {"n_sims": 5, **model_kw}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        res = fit_hawkes(frame, start=hist.counts.index[0], end=end - _DAY, seed=seed, **kw)
    return HawkesState(res)


def draw_hawkes_model(state: HawkesState, hist: History, origin: int, h: int, n: int,
                      rng: np.random.Generator) -> np.ndarray:
    """``(n, h)`` samples of the counts of the ``h`` periods after position ``origin``,
    given every event before its end (events after the fit, at a uniform time of their
    day)."""
    res = state.fit
    end = _origin_end(hist, origin)
    future = pd.date_range(end, periods=h + 1, freq=hist.counts.index.freq)
    edges = np.asarray((future - res.origin) / _DAY, float)
    dates = pd.to_datetime(hist.frame["date"])
    new = dates[(dates >= res.origin + res.end * _DAY) & (dates < end)]
    later = ((new - res.origin) / _DAY).to_numpy(float) + rng.random(len(new))
    history = np.sort(np.concatenate([res.times, later[later < edges[0]]]))
    return res.simulate_counts(edges, history=history, n_sims=n, seed=rng)
