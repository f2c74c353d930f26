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
