"""Checks of a fitted Hawkes model: which numbers cannot be trusted, and why.

A fit is degenerate when the optimiser did not converge on every jitter draw, when a
parameter sits on its bound in some draw (a branching ratio of 0 or 1, a decay of
``1e-6`` or ``1e6`` per day, a background coefficient on ``+-COEF_BOUND``, a bivariate
excitation of 0), or when the observed information is not positive definite. Each such
finding becomes a plain-language note, is issued as an
:class:`analysis.EstimationWarning`, and the affected intervals become NaN (never
zero-width). The notes are kept on the result so that a report can say why a number is
not estimable from the data.
"""

from __future__ import annotations

import math
import warnings

import numpy as np

from ...errors import AnalysisWarning, EstimationWarning
from ._scale import log_beta_bounds, slowest_delay
from .background import COEF_BOUND, Background

#: a branching ratio within this distance of 0 or 1 is on its bound
ETA_EDGE = 1e-6


def _decay_notes(log_betas: np.ndarray, length: float) -> list[str]:
    lo, hi = log_beta_bounds(length)
    notes = []
    if np.any(log_betas >= hi - 0.01):
        notes.append("the decay is on its upper bound (1e6 per day): events on the same "
                     "instant drive it")
    if np.any(log_betas <= lo + 0.01):
        notes.append(f"the mean delay is on its bound ({slowest_delay(length):.3g} days): "
                     "excitation this slow cannot be told from a trend of the background")
    return notes


def background_notes(bgs: list[Background], thetas: list[np.ndarray], label=None) -> list[str]:
    """Notes for background coefficients on their bound, per stream (``bgs``) over the
    draws' estimates ``thetas`` (the backgrounds' coefficients first, stream by stream)."""
    notes = []
    for j, bg in enumerate(bgs):
        first = sum(b.p for b in bgs[:j])
        names = sorted({nm for th in thetas for nm in bg.at_bound(th[first:first + bg.p])})
        if names:
            who = f" of {label[j]}" if label else ""
            notes.append(
                f"the background{who} collapses onto single events ({', '.join(names)} on "
                f"the bound +-{COEF_BOUND:g}): too few events for this background; use fewer "
                "harmonics, a smaller trend or background='constant'"
            )
    return notes


def univariate_notes(thetas: list[np.ndarray], covs: list[np.ndarray], converged: bool,
                     bg: Background) -> list[str]:
    """Why the univariate fit cannot be trusted (an empty list when it can)."""
    notes = [] if converged else ["the optimiser did not converge on every jitter draw"]
    etas = np.array([1.0 / (1.0 + math.exp(-th[-2])) for th in thetas])
    if np.any(etas < ETA_EDGE):
        notes.append("the branching ratio is on its lower bound 0 (no self-excitation found "
                     "in some draw): its interval and the decay's are not estimable")
    # without excitation the decay is not identified: judge it where there is some
    notes += _decay_notes(np.array([th[-1] for th, e in zip(thetas, etas, strict=True)
                                    if e >= ETA_EDGE]), bg.length)
    if np.any(etas > 1 - ETA_EDGE):
        notes.append("the branching ratio is on its upper bound 1: the background cannot "
                     "carry the events (a surge read as contagion)")
    notes += background_notes([bg], thetas)
    if not notes and any(not np.all(np.isfinite(c)) for c in covs):
        notes.append("the log-likelihood's curvature is not positive definite at the "
                     "optimum (a flat or saddle direction): intervals are not estimable")
    return notes


def bivariate_notes(thetas, covs, converged: bool, bgs: list[Background], names,
                    alpha_at: int) -> tuple[list[str], list[int]]:
    """Why the bivariate fit cannot be trusted, and the positions of excitation
    parameters on their bound 0 (their intervals alone become NaN)."""
    notes = [] if converged else ["the optimiser did not converge on every jitter draw"]
    notes += _decay_notes(np.array([th[-1] for th in thetas]), max(b.length for b in bgs))
    notes += background_notes(bgs, thetas, label=names)
    zero = sorted({alpha_at + k for th in thetas for k in range(4) if th[alpha_at + k] < ETA_EDGE})
    if not notes and any(not np.all(np.isfinite(c)) for c in covs):
        notes.append("the log-likelihood's curvature is not positive definite at the "
                     "optimum (a flat or saddle direction): intervals are not estimable")
    return notes, zero


def warn_all(notes: list[str], what: str, stacklevel: int = 4) -> None:
    """Issue every note as an :class:`EstimationWarning`."""
    for note in notes:
        warnings.warn(f"{what}: {note}; intervals are NaN", EstimationWarning,
                      stacklevel=stacklevel)


def misspecification_notes(eta: float) -> list[str]:
    """Soft warning (:class:`analysis.AnalysisWarning`) of a probably misspecified fit:
    a branching ratio at the stationarity limit."""
    notes = []
    if 0.995 < eta <= 1 - ETA_EDGE:
        notes.append(
            f"branching ratio {eta:.4f} is at the stationarity limit 1: the background is "
            "probably misspecified (a surge read as contagion); use a flexible background "
            "(background='trend_seasonal', trend='auto')"
        )
    for note in notes:
        warnings.warn(note, AnalysisWarning, stacklevel=5)
    return notes
