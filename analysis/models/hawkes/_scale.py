"""Units and the optimiser's parameter scale.

Times are in days. The optimiser works on an unconstrained scale: log background
coefficients, logit branching ratio, log decay; the bounds below keep it away from the
edges where the likelihood is flat or overflows.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import special

DAY = pd.Timedelta(days=1)
YEAR_DAYS = 365.25
LOG_BETA_BOUNDS = (math.log(1e-6), math.log(1e6))
LOGIT_ETA_BOUNDS = (-25.0, 25.0)
#: the slowest excitation a fit allows: a mean delay of at most this many days and this
#: share of the observation window. Slower excitation cannot be told from the background's
#: trend and season (on Poisson surges it fits year-to-year noise as "contagion").
MAX_DELAY_DAYS = 30.0
MAX_DELAY_SHARE = 0.1


def slowest_delay(length: float) -> float:
    """The longest mean delay (days) a fit allows on a window of ``length`` days."""
    return min(MAX_DELAY_DAYS, MAX_DELAY_SHARE * length)


def log_beta_bounds(length: float) -> tuple[float, float]:
    """Bounds of ``log beta`` for a window of ``length`` days: a mean delay of at most
    :func:`slowest_delay` and at least ``1e-6`` days."""
    return (max(LOG_BETA_BOUNDS[0], -math.log(slowest_delay(length))), LOG_BETA_BOUNDS[1])


def expit(x: float) -> float:
    """The logistic function ``1 / (1 + exp(-x))`` as a float."""
    return float(special.expit(x))


def logit(p: float) -> float:
    """``log(p / (1 - p))`` as a float."""
    return float(special.logit(p))


def safe_exp(x: float) -> float:
    """``exp(x)`` without OverflowError (inf beyond the float range)."""
    return float(np.exp(np.clip(x, -745.0, 709.0))) if np.isfinite(x) else float(np.exp(x))


def year_phase(origin: pd.Timestamp | None) -> float:
    """Fraction of the calendar year elapsed at ``origin`` (0 when times are numbers)."""
    if origin is None:
        return 0.0
    return (origin - pd.Timestamp(year=origin.year, month=1, day=1)) / DAY / YEAR_DAYS
