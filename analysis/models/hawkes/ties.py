"""Tied event times and the jitter draws that resolve them.

Incidents are usually dated to the day, so many share a timestamp. With tied times the
likelihood grows without bound as the decay rises (a tied pair looks like an
instantaneous trigger), so raw ties are rejected unless ``ties="raw"`` is asked for.
With ``ties="jitter"`` every event is placed uniformly at random inside its dating
window, in ``n_sims`` seeded draws whose fits are pooled (:mod:`.pooling`).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator

import numpy as np

from ...errors import AnalysisWarning, InputError
from .events import Events, HawkesInputError

TIES = ("jitter", "raw")


def has_ties(x: np.ndarray) -> bool:
    """Whether two of the times ``x`` are equal."""
    return bool(len(x) > 1 and np.any(np.diff(np.sort(x)) <= 0))


def needs_jitter(events: list[Events], ties: str) -> bool:
    """Validate ``ties`` and return whether jitter draws are needed.

    Raises :class:`HawkesInputError` for exact times with ties under ``ties="jitter"``
    (there is no window to jitter them in) and warns for ties under ``ties="raw"``.
    """
    if ties not in TIES:
        raise InputError(f"ties must be 'jitter' or 'raw', not {ties!r}")
    merged = np.concatenate([ev.lo for ev in events])
    if ties == "raw":
        if has_ties(merged):
            warnings.warn(
                "ties='raw' with tied times: the likelihood grows without bound as the decay "
                "rises; the decay will run to its upper bound and the branching ratio is not "
                "meaningful.",
                AnalysisWarning,
                stacklevel=4,
            )
        return False
    if any(np.any(ev.width > 0) for ev in events):
        return True
    if has_ties(merged):
        raise HawkesInputError(
            "event times have ties (identical times). With raw ties the likelihood grows without "
            "bound as the decay rises. Give the recording resolution to jitter within it (e.g. "
            "resolution=1.0 for whole days), pass day-precision dates, or ask for ties='raw'."
        )
    return False


def draw_times(ev: Events, rng: np.random.Generator | None) -> np.ndarray:
    """Sorted event times: uniform inside each window, or the window starts when ``rng``
    is None or no event has a window."""
    if rng is None or not np.any(ev.width > 0):
        lo = ev.lo
        return lo.copy() if lo.size < 2 or np.all(np.diff(lo) >= 0) else np.sort(lo)
    t = ev.lo + rng.random(ev.lo.shape[0]) * ev.width
    return np.sort(t)


def draws(
    events: list[Events], rng: np.random.Generator | None, n_sims: int, progress: bool | None
) -> Iterator[list[np.ndarray]]:
    """``n_sims`` draws of every stream's times, with single-threaded BLAS inside the loop
    and a progress bar when ``progress`` (None: only on a terminal)."""
    from tqdm.auto import tqdm

    from ..._threads import single_threaded_blas

    bar = tqdm(
        range(n_sims),
        disable=(not progress) if progress is not None else None,
        desc="Hawkes jitter draws",
        leave=False,
    )
    with single_threaded_blas():
        for _ in bar:
            yield [draw_times(ev, rng) for ev in events]
