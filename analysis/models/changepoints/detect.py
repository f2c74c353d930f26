"""The entry point :func:`change_points`: checks, the seasonal baseline and the noise
model, the penalty (calibrated by simulation, BIC or given), PELT, the segments and
the intervals of the change dates."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from .baseline import MIN_DISPERSION, default_window, estimate_noise, seasonal_exposure
from .calibrate import calibrated_penalty
from .costs import bic_penalty, total_cost
from .inputs import (
    ChangePointError,
    as_series,
    check_calibration,
    check_cost,
    check_options,
    default_sizes,
    series_key,
)
from .locate import location_table
from .result import ChangePointResult
from .search import pelt
from .segments import segment_table

__all__ = ["change_points"]


def _penalty_grid(penalty, bic: float) -> tuple[list[float] | None, str]:
    """The penalties to try and the rule's name (None for the calibrated penalty)."""
    if isinstance(penalty, str):
        key = penalty.lower()
        if key == "calibrated":
            return None, "calibrated"
        if key != "bic":
            raise ChangePointError(
                "penalty must be 'calibrated', 'bic', a number or a list of numbers")
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


def _penalty_path(s: pd.Series, grid, cost, dispersion, bic, exposure, **kw) -> pd.DataFrame:
    """PELT at each penalty: changes, total cost, BIC and the breakpoints."""
    y = s.to_numpy()
    path = []
    for pen in grid:
        b = pelt(y, pen, cost=cost, dispersion=dispersion, exposure=exposure, **kw)
        c = total_cost(y, b, cost, dispersion, exposure)
        path.append({"penalty": pen, "n_changes": len(b), "cost": c, "bic": c + bic * len(b),
                     "breakpoints": tuple(s.index[i] for i in b), "_pos": tuple(b)})
    return pd.DataFrame(path)


def change_points(
    series,
    *,
    cost: str = "negbin",
    penalty: str | float | Sequence[float] = "calibrated",
    harmonics: int = 2,
    min_size: int | None = None,
    jump: int | None = None,
    dispersion: float | None = None,
    n_sims: int = 200,
    conf_level: float = 0.95,
    seed: int | np.random.Generator | None = 0,
) -> ChangePointResult:
    """Find change points in the level of a count series with PELT.

    By default the segments are compared with a seasonal negative-binomial baseline,
    the dispersion and autocorrelation of the counts are estimated around a running
    median (which a break does not inflate), and the penalty of a change is chosen by
    simulation from the fitted no-break model so that a series like this one without a
    break shows one with probability ``1 - conf_level``. Each change gets an interval
    for its date (see :class:`ChangePointResult`).

    Parameters
    ----------
    series : Series or 1-d array
        Counts on a regular index (e.g. from :func:`analysis.incident_counts`), no NA.
    cost : {"negbin", "poisson", "l2"}
        Segment model: NB2 likelihood with a level per segment and a common dispersion,
        Poisson, or the squared-error cost (no seasonal baseline).
    penalty : "calibrated", "bic", float, or list of floats
        Cost of each change: calibrated by simulation (the default), the BIC
        (``2 log n``), a number, or a grid (the breakpoints at every value are in
        ``penalty_path``, and the value whose segmentation has the lowest BIC is used).
    harmonics : int
        Fourier pairs of the seasonal baseline (0: none). It needs two years of a daily,
        weekly, monthly or quarterly series.
    min_size, jump : int, optional
        Minimum periods per segment, and candidate changes every ``jump`` periods.
        Default: 4 and 1 for weekly counts, 28 and 7 for daily, 2 and 1 otherwise.
    dispersion : float, optional
        NB2 dispersion ``alpha`` of the "negbin" cost; default: estimated around the
        running median.
    n_sims : int
        Simulated series for the penalty and for the date intervals.
    conf_level : float
        Level of the rate and date intervals; ``1 - conf_level`` is the probability of
        a false change the calibrated penalty allows.
    seed : int, Generator or None
        Seed of the simulations.

    Returns
    -------
    ChangePointResult

    Raises
    ------
    ChangePointError
        Not one series; NA; an irregular date index; negative or fractional counts for
        a count cost or the calibrated penalty; all zeros; too short for two segments;
        unknown cost or penalty.

    Examples
    --------
    >>> y = analysis.simulate_counts(breaks={"2021-08-15": -1.1}, seed=1)  # doctest: +SKIP
    >>> analysis.change_points(y).locations                            # doctest: +SKIP
    """
    check_cost(cost)
    s = as_series(series)
    y = s.to_numpy()
    key = series_key(s)
    min_size, jump = check_options(y, cost, *default_sizes(key, min_size, jump), dispersion)
    grid, rule = _penalty_grid(penalty, bic_penalty(y, cost))
    if grid is None:
        check_calibration(y, n_sims, conf_level, harmonics)
    counts = cost != "l2" or grid is None
    exposure, note = seasonal_exposure(s, key, harmonics) if counts and cost != "l2" else (None, "")
    noise = estimate_noise(y, exposure, default_window(key)) if counts else None
    alpha = None
    if cost == "negbin":
        alpha = dispersion if dispersion is not None else max(noise.dispersion, MIN_DISPERSION)
    rng = np.random.default_rng(seed)
    kw = {"min_size": min_size, "jump": jump}
    null = None
    if grid is None:
        pen, null = calibrated_penalty(y, exposure, noise, cost, dispersion, false_alarm=1 - conf_level,
                                       n_sims=int(n_sims), rng=rng, **kw)
        grid, rule = [pen], f"calibrated: a false change in {1 - conf_level:.0%} of {n_sims} null series"
    path = _penalty_path(s, grid, cost, alpha, 2 * math.log(len(y)), exposure, **kw)
    bk = list(path.loc[int(path["bic"].idxmin()) if len(grid) > 1 else 0, "_pos"])
    return _result(s, bk, cost, alpha, exposure, noise, path, grid, rule, min_size, conf_level,
                   int(n_sims), rng, null, note)


def _result(s, bk, cost, alpha, exposure, noise, path, grid, rule, min_size, conf_level,
            n_sims, rng, null, note) -> ChangePointResult:
    best = int(path["bic"].idxmin()) if len(grid) > 1 else 0
    located = bk if noise is not None else []  # intervals need the noise model of counts
    locations = location_table(s, located, exposure, noise, cost, alpha, min_size, conf_level,
                               n_sims, rng)
    return ChangePointResult(
        series=s, cost=cost, penalty=float(grid[best]), penalty_rule=rule, min_size=min_size,
        alpha=alpha, breakpoints=tuple(bk), dates=tuple(s.index[i] for i in bk),
        segments=segment_table(s, bk, cost, alpha, conf_level, exposure, noise),
        penalty_path=path.drop(columns="_pos"), conf_level=conf_level, locations=locations,
        seasonal=None if exposure is None else pd.Series(exposure, index=s.index, name="seasonal"),
        noise=noise.as_dict() if noise is not None else {},
        null_penalties=null if null is not None else np.empty(0),
        notes=(note,) if note else (),
    )
