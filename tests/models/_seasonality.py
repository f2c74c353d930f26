"""Simulated monthly counts with a known seasonal profile, for the seasonality tests."""

from __future__ import annotations

import numpy as np
import pandas as pd

# A fighting-season shape: high April-October, low in winter (geometric mean 1).
LOG_PROFILE = np.log([0.6, 0.6, 0.85, 1.15, 1.35, 1.4, 1.4, 1.3, 1.2, 1.05, 0.85, 0.7])
LOG_PROFILE = LOG_PROFILE - LOG_PROFILE.mean()
TRUE_RR = np.exp(LOG_PROFILE) / np.exp(LOG_PROFILE).mean()


def simulate_monthly(
    seed: int,
    n: int = 96,
    base: float = 20.0,
    alpha: float = 0.15,
    log_profile: np.ndarray | None = None,
    slope: float = 0.15,
    start: str = "2010-01-01",
) -> pd.Series:
    """NB2 monthly counts: base x exp(slope x years) x profile x days/30.44."""
    rng = np.random.default_rng(seed)
    idx = pd.date_range(start, periods=n, freq="MS")
    years = (np.arange(n) - (n - 1) / 2) / 12
    prof = np.zeros(12) if log_profile is None else np.asarray(log_profile)
    mu = base * np.exp(slope * years + prof[idx.month - 1]) * idx.days_in_month / 30.44
    lam = rng.gamma(1 / alpha, alpha * mu) if alpha > 0 else mu
    return pd.Series(rng.poisson(lam), index=idx, name="incidents")
