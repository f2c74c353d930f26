"""The argument handling shared by the univariate and the bivariate fit, and each
stream's observation window."""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np
import pandas as pd

from ..._trend import Trend, parse_trend
from ...errors import EstimationWarning, InputError
from ._kernels import resolve_engine
from ._scale import DAY, year_phase
from .background import Background, check_kind
from .events import Events, prepare
from .ties import needs_jitter

#: a stream whose empty stretch before its first event has a smaller chance than this,
#: at the rate of its first year, is taken as observed from its first event only
LATE_START_P = 1e-6
#: ... and the stretch must last at least this many days
LATE_START_DAYS = 30.0


@dataclasses.dataclass
class FitSetup:
    """Everything a fit needs besides its own model: the streams' dating windows and
    observation windows, the background's specification, the engine, and how many jitter
    draws with which generator."""

    events: list[Events]
    kind: str
    harmonics: int
    trend: str | int  # "auto" or degrees of freedom
    phase0: float
    lo: list[float]  # start of each stream's observation window (days since the origin)
    breaks: tuple[float, ...]  # regime breaks, days since the origin
    notes: list[str]
    engine: str
    jitter: bool
    n_sims: int  # draws actually made (1 without jitter)
    rng: np.random.Generator | None
    ties: str  # "jitter", "raw" or "none" (no ties, no windows)

    def background(self, j: int, trend: int | Trend) -> Background:
        """The background of stream ``j`` with the given trend."""
        return Background(self.kind, self.events[j].end, harmonics=self.harmonics,
                          phase0=self.phase0, trend=trend, lo=self.lo[j], breaks=self.breaks)


def _when(ev: Events, t: float) -> str:
    if ev.origin is None:
        return f"time {t:.4g}"
    return f"{ev.origin + pd.Timedelta(days=t):%Y-%m-%d}"


def observed_from(ev: Events, name: str) -> tuple[float, str | None]:
    """Start of the stream's observation window: the window's start, or the stream's
    first event when the empty stretch before it is too long for the rate the stream
    shows in the year after its first event (probability ``exp(-rate * gap)`` below
    :data:`LATE_START_P`, and a stretch of at least :data:`LATE_START_DAYS` days). The
    second value is the note that says so (None when the stream is observed on the whole
    window). A group that appears in the middle of the window is the typical case."""
    first = float(ev.lo.min())
    gap = first - ev.start
    if gap < LATE_START_DAYS:
        return ev.start, None
    year = min(365.25, ev.end - first)
    rate = float(np.count_nonzero(ev.lo < first + year)) / year
    p = float(np.exp(-rate * gap))
    if p >= LATE_START_P:
        return ev.start, None
    note = (
        f"{name}: the first event comes {gap:.0f} days after the window opens (an empty "
        f"stretch that long has probability {p:.2g} at the rate of the stream's first year), "
        f"so the stream is taken as observed from its first event ({_when(ev, first)}) and "
        "its background is fitted on that part of the window only"
    )
    return first, note


def break_days(breaks, ev: Events) -> tuple[float, ...]:
    """Regime-break dates (or numbers) as days since the events' origin."""
    if isinstance(breaks, str) or not hasattr(breaks, "__iter__"):
        breaks = [breaks]
    out = []
    for b in breaks:
        try:
            out.append(float(b) if ev.origin is None else (pd.Timestamp(b) - ev.origin) / DAY)
        except (TypeError, ValueError) as exc:
            raise InputError(f"breaks: {b!r} is not a {'number' if ev.origin is None else 'date'}"
                             f" ({exc})") from None
    if any(not np.isfinite(x) for x in out):
        raise InputError("breaks must be dates (or finite numbers of days)")
    return tuple(sorted(out))


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
    trend,
    seed,
    engine: str | None,
    breaks=(),
) -> FitSetup:
    """Validate the options and event times of a fit and build its :class:`FitSetup`
    (warning with :class:`EstimationWarning` for a stream observed over only part of
    the window)."""
    engine = resolve_engine(engine)
    check_kind(background, harmonics)
    trend = parse_trend(trend)
    events = prepare(streams, names, start, end, resolution)
    jitter = needs_jitter(events, ties)
    if jitter and (not isinstance(n_sims, int | np.integer) or n_sims < 1):
        raise InputError(f"n_sims must be a positive integer, not {n_sims!r}")
    lo, notes = [], []
    for ev, name in zip(events, names, strict=True):
        first, note = observed_from(ev, name)
        lo.append(first)
        if note is not None:
            notes.append(note)
            warnings.warn(note, EstimationWarning, stacklevel=4)
    return FitSetup(
        events=events,
        kind=background,
        harmonics=int(harmonics),
        trend=trend,
        phase0=year_phase(events[0].origin),
        lo=lo,
        breaks=break_days(breaks, events[0]),
        notes=notes,
        engine=engine,
        jitter=jitter,
        n_sims=int(n_sims) if jitter else 1,
        rng=np.random.default_rng(seed) if jitter else None,
        ties=ties if jitter or ties == "raw" else "none",
    )

