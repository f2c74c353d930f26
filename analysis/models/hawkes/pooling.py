"""Pooling of jitter draws by Rubin's rules, and the intervals that follow.

With ``m`` draws of estimates ``theta_k`` (on the optimiser's scale) and covariances
``W_k``, the pooled estimate is ``mean_k theta_k`` and its covariance

    T = mean_k W_k + (1 + 1/m) B,     B = the between-draw covariance of theta_k.

Intervals are Wald intervals on the optimiser's scale with Student-t critical values on
Rubin's degrees of freedom ``(m - 1) (1 + 1/r)^2``, ``r = (1 + 1/m) B_jj / W_jj``, then
transformed back to the natural scale.
"""

from __future__ import annotations

import dataclasses

import numpy as np
from scipy import stats

from ._scale import safe_exp
from .background import Background

CONF_LEVEL = 0.95
COLUMNS = ["parameter", "estimate", "std_err", "ci_low", "ci_high"]


@dataclasses.dataclass
class Pooled:
    """Pooled estimate, covariance, standard errors and interval ends (optimiser scale)."""

    theta: np.ndarray
    cov: np.ndarray
    se: np.ndarray
    lo: np.ndarray
    hi: np.ndarray

    def nan_intervals(self) -> None:
        """Blank the intervals (a fit that cannot be trusted)."""
        self.lo = np.full_like(self.lo, np.nan)
        self.hi = np.full_like(self.hi, np.nan)


def rubin(thetas: np.ndarray, covs: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pool draws: mean, total covariance and per-parameter degrees of freedom."""
    m = thetas.shape[0]
    qbar = thetas.mean(axis=0)
    W = covs.mean(axis=0)
    if m == 1:
        return qbar, W, np.full(qbar.shape, np.inf)
    B = np.cov(thetas, rowvar=False, ddof=1).reshape(W.shape)
    Tm = W + (1 + 1 / m) * B
    with np.errstate(divide="ignore", invalid="ignore"):
        r = (1 + 1 / m) * np.diag(B) / np.diag(W)
        df = (m - 1) * (1 + 1 / r) ** 2
    df = np.where(np.isfinite(df), df, np.inf)
    return qbar, Tm, df


def critical_value(df: float, conf_level: float = CONF_LEVEL) -> float:
    """Two-sided critical value: normal for infinite ``df``, else Student-t."""
    q = 0.5 + conf_level / 2
    return float(stats.norm.ppf(q) if not np.isfinite(df) else stats.t.ppf(q, df))


def pool(thetas: list[np.ndarray], covs: list[np.ndarray]) -> Pooled:
    """Rubin-pooled estimate with its standard errors and Wald interval ends."""
    qbar, cov, df = rubin(np.array(thetas), np.array(covs))
    se = np.sqrt(np.clip(np.diag(cov), 0, None))
    crit = np.array([critical_value(d) for d in df])
    return Pooled(qbar, cov, se, qbar - crit * se, qbar + crit * se)


def decay_rows(pooled: Pooled) -> list[tuple]:
    """Rows for the decay (the last parameter, log scale) and the mean delay ``1/decay``."""
    beta, s = safe_exp(pooled.theta[-1]), pooled.se[-1]
    lo, hi = safe_exp(pooled.lo[-1]), safe_exp(pooled.hi[-1])
    return [("decay", beta, beta * s, lo, hi), ("mean_delay", 1 / beta, s / beta, 1 / hi, 1 / lo)]


def background_rows(bg: Background, pooled: Pooled, first: int = 0, label: str = "") -> list:
    """Rows for background coefficients ``first .. first + bg.p - 1``: the rate itself
    for a constant background, log-rate coefficients otherwise; names get ``[label]``."""
    rows = []
    suffix = f"[{label}]" if label else ""
    for k, name in enumerate(bg.names):
        q = first + k
        est, se, lo, hi = pooled.theta[q], pooled.se[q], pooled.lo[q], pooled.hi[q]
        if name == "log_mu":
            mu = safe_exp(est)
            rows.append((f"mu{suffix}", mu, mu * se, safe_exp(lo), safe_exp(hi)))
        else:
            rows.append((f"{name}{suffix}", est, se, lo, hi))
    return rows
