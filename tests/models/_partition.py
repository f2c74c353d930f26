"""Exhaustive optimal partitioning, the reference that PELT must match in the tests."""

from __future__ import annotations

import math
from collections.abc import Callable


def optimal_partition(n: int, seg_cost: Callable[[int, int], float], pen: float,
                      min_size: int) -> list[int]:
    """The change points minimising sum of ``seg_cost(a, b)`` over segments plus ``pen``
    per change, every segment at least ``min_size`` long, by trying every split."""
    F = [-pen] + [math.inf] * n
    last = [0] * (n + 1)
    for t in range(min_size, n + 1):
        for a in range(0, t - min_size + 1):
            if a != 0 and a < min_size:
                continue
            v = F[a] + seg_cost(a, t) + pen
            if v < F[t] - 1e-9:
                F[t], last[t] = v, a
    out, t = [], n
    while t > 0:
        t = last[t]
        if t > 0:
            out.append(t)
    return sorted(out)
