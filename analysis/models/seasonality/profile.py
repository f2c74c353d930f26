r"""The month-of-year profile: the rate ratio of each month to the mean of the twelve
monthly rates, :math:`RR_m = e^{\gamma_m} / \tfrac{1}{12}\sum_k e^{\gamma_k}` (the twelve
ratios average to 1), with Wald intervals from the delta method on :math:`\log RR_m`."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._input import MONTH_NAMES

__all__ = ["month_profile", "profile_from_effects"]


def profile_from_effects(
    g: np.ndarray, V: np.ndarray, z: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Rate ratios exp(g_m) / mean_k exp(g_k) with delta-method CIs on the log scale.

    ``g`` holds the 12 month effects (January = 0), ``V`` their 12 x 12 covariance.
    Returns (ratio, low, high, se of log ratio).
    """
    w = np.exp(g - g.max())
    w = w / w.sum()
    log_rr = g - (g.max() + np.log(np.mean(np.exp(g - g.max()))))
    G = np.eye(12) - w[None, :]
    se = np.sqrt(np.clip(np.einsum("ij,jk,ik->i", G, V, G), 0, None))
    return np.exp(log_rr), np.exp(log_rr - z * se), np.exp(log_rr + z * se), se


def month_profile(params: np.ndarray, cov: np.ndarray, cols: slice, z: float) -> pd.DataFrame:
    """The profile table of the 11 month effects (February..December, January the
    reference) at positions ``cols`` of a fit's coefficients."""
    g = np.concatenate([[0.0], params[cols]])
    V = np.zeros((12, 12))
    V[1:, 1:] = cov[cols, cols]
    rr, lo, hi, se = profile_from_effects(g, V, z)
    return pd.DataFrame(
        {
            "month": np.arange(1, 13),
            "month_name": list(MONTH_NAMES),
            "rate_ratio": rr,
            "ci_low": lo,
            "ci_high": hi,
            "se_log": se,
        }
    )
