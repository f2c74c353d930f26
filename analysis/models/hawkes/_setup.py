"""The argument handling shared by the univariate and the bivariate fit."""

from __future__ import annotations

import dataclasses

import numpy as np

from ...errors import InputError
from ._kernels import resolve_engine
from ._scale import year_phase
from .background import Background
from .events import Events, prepare
from .ties import needs_jitter


@dataclasses.dataclass
class FitSetup:
    """Everything a fit needs besides its own model: the streams' windows, the
    background, the engine, and how many jitter draws with which generator."""

    events: list[Events]
    bg: Background
    engine: str
    jitter: bool
    n_sims: int  # draws actually made (1 without jitter)
    rng: np.random.Generator | None
    ties: str  # "jitter", "raw" or "none" (no ties, no windows)


def setup_fit(
    streams: list,
    names: list[str],
    *,
    background: str,
    start,
    end,
    ties: str,
    n_sims: int,
    resolution: float | None,
    harmonics: int,
    trend: int,
    seed,
    engine: str | None,
) -> FitSetup:
    """Validate the options and event times of a fit and build its :class:`FitSetup`."""
    engine = resolve_engine(engine)
    events = prepare(streams, names, start, end, resolution)
    jitter = needs_jitter(events, ties)
    if jitter and (not isinstance(n_sims, int | np.integer) or n_sims < 1):
        raise InputError(f"n_sims must be a positive integer, not {n_sims!r}")
    origin = events[0].origin
    bg = Background(
        background, events[0].end, harmonics=harmonics, phase0=year_phase(origin), trend=trend
    )
    return FitSetup(
        events=events,
        bg=bg,
        engine=engine,
        jitter=jitter,
        n_sims=int(n_sims) if jitter else 1,
        rng=np.random.default_rng(seed) if jitter else None,
        ties=ties if jitter or ties == "raw" else "none",
    )
