r"""The per-period table of a casualty trend: attacks with a known toll, the toll, killed
per attack observed and fitted, the median, and the mass-casualty share with Wilson
intervals.

The fitted killed per attack of period :math:`p` is :math:`e^{\hat\beta_0 + \hat\beta_1 t_p}`
at the period's midpoint :math:`t_p`, from the per-incident rate model, with the interval
:math:`e^{\hat\eta_p \pm c^*\mathrm{se}(\hat\eta_p)}` (sandwich covariance, permutation
critical value :math:`c^*`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..._glm import predictor_se
from .trend_tests import BandFit

__all__ = ["PERIOD_COLUMNS", "aggregate", "period_table", "wilson", "years"]

PERIOD_COLUMNS = [
    "group", "band", "column", "period", "attacks", "n_missing", "killed",
    "killed_per_attack_obs", "killed_per_attack", "ci_low", "ci_high", "median", "n_mass",
    "mass_share", "mass_ci_low", "mass_ci_high",
]


def years(dates, origin: pd.Timestamp) -> np.ndarray:
    """Time in years (of 365.25 days) since ``origin``."""
    delta = pd.DatetimeIndex(dates) - origin
    return np.asarray(delta.total_seconds(), float) / (86400.0 * 365.25)


def wilson(k: np.ndarray, n: np.ndarray, conf_level: float) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score intervals of k successes in n (NaN where n = 0)."""
    from statsmodels.stats.proportion import proportion_confint

    k = np.asarray(k, float)
    n = np.asarray(n, float)
    lo = np.full(k.shape, np.nan)
    hi = np.full(k.shape, np.nan)
    ok = n > 0
    if ok.any():
        lo[ok], hi[ok] = proportion_confint(k[ok], n[ok], alpha=1 - conf_level, method="wilson")
    return lo, hi


def aggregate(dates: pd.Series, tolls: pd.Series, freq: str, periods: pd.DatetimeIndex,
              threshold: int) -> pd.DataFrame:
    """Per period: attacks with a known toll, unknown tolls, the sum, median and mass count."""
    frame = pd.DataFrame({
        "date": dates.to_numpy(),
        "k": tolls.to_numpy(dtype=float, na_value=np.nan),
        "known": tolls.notna().to_numpy(bool),
    })
    frame["mass"] = (frame["k"] >= threshold) & frame["known"]
    g = frame.groupby(pd.Grouper(key="date", freq=freq))
    agg = pd.DataFrame({
        "attacks": g["known"].sum(),
        "n_missing": g["known"].count() - g["known"].sum(),
        "killed": g["k"].sum(min_count=0),
        "median": g["k"].median(),
        "n_mass": g["mass"].sum(),
    })
    agg = agg.reindex(periods, fill_value=0)
    agg["median"] = agg["median"].where(agg["attacks"] > 0)
    return agg


def _fitted(t: np.ndarray, fit: BandFit):
    """Fitted killed per attack at times ``t`` with its interval (NaN without a fit)."""
    if fit.params is None or not np.isfinite(fit.crit):
        nan = np.full(t.size, np.nan)
        return nan, nan.copy(), nan.copy()
    X = np.column_stack([np.ones_like(t), t])
    eta = X @ fit.params
    se = predictor_se(X, fit.cov)
    return np.exp(eta), np.exp(eta - fit.crit * se), np.exp(eta + fit.crit * se)


def period_table(agg: pd.DataFrame, t_mid: np.ndarray, fit: BandFit,
                 conf_level: float) -> pd.DataFrame:
    """The period rows of one group and band."""
    A = agg["attacks"].to_numpy(float)
    y = agg["killed"].to_numpy(float)
    n_mass = agg["n_mass"].to_numpy(float)
    mlo, mhi = wilson(n_mass, A, conf_level)
    fitted, flo, fhi = _fitted(t_mid, fit)
    with np.errstate(invalid="ignore", divide="ignore"):
        obs = np.where(A > 0, y / A, np.nan)
        share = np.where(A > 0, n_mass / A, np.nan)
    return pd.DataFrame({
        "period": agg.index, "attacks": A.astype(int), "n_missing": agg["n_missing"].to_numpy(int),
        "killed": y, "killed_per_attack_obs": obs, "killed_per_attack": fitted,
        "ci_low": flo, "ci_high": fhi, "median": agg["median"].to_numpy(float),
        "n_mass": n_mass.astype(int), "mass_share": share, "mass_ci_low": mlo, "mass_ci_high": mhi,
    })
