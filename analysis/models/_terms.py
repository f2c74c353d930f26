r"""Design columns shared by the seasonality and calendar-effect count models.

* a smooth trend: Legendre polynomials :math:`P_1, \dots, P_p` of time rescaled to
  :math:`[-1, 1]` (no constant), of default degree about one per two years;
* the calendar: month-of-year dummies (January the reference), annual harmonics by
  calendar month, day-of-week dummies (Monday the reference).
"""

from __future__ import annotations

import numpy as np

__all__ = ["default_degree", "dow_dummies", "harmonics", "legendre_trend", "month_dummies"]


def default_degree(n_years: float) -> int:
    """Polynomial degree of the smooth trend: about one per two years, 1 to 10."""
    return int(np.clip(round(n_years / 2), 1, 10))


def legendre_trend(t: np.ndarray, degree: int) -> np.ndarray:
    """Legendre polynomials 1..degree of ``t`` rescaled to [-1, 1] (no constant)."""
    if degree < 1:
        return np.empty((len(t), 0))
    lo, hi = float(t.min()), float(t.max())
    u = np.zeros_like(t, dtype=float) if hi == lo else 2 * (t - lo) / (hi - lo) - 1
    return np.polynomial.legendre.legvander(u, degree)[:, 1:]


def harmonics(months: np.ndarray, k: int) -> np.ndarray:
    """sin/cos pairs of the annual cycle, harmonics 1..k, by calendar month."""
    w = 2 * np.pi * (months - 1) / 12
    return np.column_stack([f(j * w) for j in range(1, k + 1) for f in (np.sin, np.cos)])


def month_dummies(months: np.ndarray) -> np.ndarray:
    """11 dummies for February..December (January is the reference)."""
    return (months[:, None] == np.arange(2, 13)[None, :]).astype(float)


def dow_dummies(dow: np.ndarray) -> np.ndarray:
    """6 dummies for Tuesday..Sunday (Monday, day 0, is the reference)."""
    return (dow[:, None] == np.arange(1, 7)[None, :]).astype(float)
