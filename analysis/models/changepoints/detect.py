"""The entry point :func:`change_points`: checks, the penalty, the NB2 dispersion when
it is not given, PELT at each penalty, and the segments."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from .costs import bic_penalty, total_cost
from .inputs import ChangePointError, as_series, check_cost, check_options
from .result import ChangePointResult
from .search import pelt
from .segments import moment_dispersion, segment_table

__all__ = ["change_points"]


def _penalty_grid(penalty, bic: float) -> tuple[list[float], str]:
    """The penalties to try and the rule's name."""
    if isinstance(penalty, str):
        if penalty.lower() != "bic":
            raise ChangePointError("penalty must be 'bic', a number or a list of numbers")
        grid, rule = [bic], "BIC"
    elif np.ndim(penalty) == 0:
        grid, rule = [float(penalty)], "given"
    else:
        grid, rule = [float(p) for p in penalty], "grid, lowest BIC"
        if not grid:
            raise ChangePointError("penalty grid is empty")
    if any(not np.isfinite(p) or p < 0 for p in grid):
        raise ChangePointError("penalties must be non-negative numbers")
    return grid, rule


def _alternating_dispersion(y: np.ndarray, min_size: int, jump: int) -> float:
    """The NB2 dispersion by moments around the segment means, alternating with BIC
    segmentations under the NB2 cost (from a Poisson one) until the segmentation stops
    changing (at most ten rounds)."""
    pen = 2 * math.log(len(y))
    seg = pelt(y, pen, cost="poisson", min_size=min_size, jump=jump)
    for _ in range(10):
        alpha = moment_dispersion(y, seg)
        new = pelt(y, pen, cost="negbin", min_size=min_size, jump=jump, dispersion=alpha)
        if new == seg:
            break
        seg = new
    return alpha


def _penalty_path(s: pd.Series, grid, cost, dispersion, bic, **kw) -> pd.DataFrame:
    """PELT at each penalty: changes, total cost, BIC and the breakpoints."""
    y = s.to_numpy()
    path = []
    for pen in grid:
        b = pelt(y, pen, cost=cost, dispersion=dispersion, **kw)
        c = total_cost(y, b, cost, dispersion)
        path.append({"penalty": pen, "n_changes": len(b), "cost": c, "bic": c + bic * len(b),
                     "breakpoints": tuple(s.index[i] for i in b), "_pos": tuple(b)})
    return pd.DataFrame(path)


def change_points(
    series,
    *,
    cost: str = "poisson",
    penalty: str | float | Sequence[float] = "bic",
    min_size: int = 2,
    jump: int = 1,
    dispersion: float | None = None,
    conf_level: float = 0.95,
) -> ChangePointResult:
    """Find change points in a count series with PELT.

    Parameters
    ----------
    series : Series or 1-d array
        Counts on a regular index (e.g. from :func:`analysis.incident_counts`), no NA.
    cost : {"poisson", "negbin", "l2"}
        Segment model: exact Poisson or NB2 likelihood with a rate per segment, or the
        squared-error cost.
    penalty : "bic", float, or list of floats
        Cost of each change: ``"bic"`` (see :class:`ChangePointResult`), a number, or a
        grid. With a grid the breakpoints at every value are in ``penalty_path`` and the
        result uses the value whose segmentation has the lowest BIC.
    min_size : int
        Minimum number of periods per segment.
    jump : int
        Candidate change points every ``jump`` periods (1 = every period).
    dispersion : float, optional
        NB2 dispersion ``alpha`` for ``cost="negbin"``; default: estimated by moments
        around the segment means, alternating with BIC segmentations (starting from a
        Poisson one) until the segmentation no longer changes.
    conf_level : float
        Level of the segment-rate intervals.

    Returns
    -------
    ChangePointResult

    Raises
    ------
    ChangePointError
        Not one series; NA; an irregular date index; negative or fractional counts for
        a count cost; all zeros; too short for two segments; unknown cost or penalty.

    Examples
    --------
    >>> y = analysis.incident_counts(analysis.simulate_incidents(seed=1), "W")  # doctest: +SKIP
    >>> analysis.change_points(y, cost="negbin").dates                       # doctest: +SKIP
    """
    check_cost(cost)
    s = as_series(series)
    y = s.to_numpy()
    min_size, jump = check_options(y, cost, min_size, jump, dispersion)
    bic = bic_penalty(y, cost)
    grid, rule = _penalty_grid(penalty, bic)
    if cost == "negbin" and dispersion is None:
        dispersion = _alternating_dispersion(y, min_size, jump)
    alpha = dispersion if cost == "negbin" else None
    path = _penalty_path(s, grid, cost, alpha, bic, min_size=min_size, jump=jump)
    best = int(path["bic"].idxmin()) if len(grid) > 1 else 0
    bk = path.loc[best, "_pos"]
    return ChangePointResult(
        series=s, cost=cost, penalty=float(grid[best]), penalty_rule=rule, min_size=min_size,
        alpha=alpha, breakpoints=tuple(bk), dates=tuple(s.index[i] for i in bk),
        segments=segment_table(s, bk, cost, alpha, conf_level),
        penalty_path=path.drop(columns="_pos"), conf_level=conf_level,
    )
