r"""Calendar design columns shared by the seasonality and calendar-effect count models:
month-of-year dummies (January the reference), annual harmonics by calendar month and
day-of-week dummies (Monday the reference). Their smooth trends come from
:mod:`analysis._trend`."""

from __future__ import annotations

import numpy as np

__all__ = ["dow_dummies", "harmonics", "month_dummies"]


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
