r"""Drawing from the power law, and the bootstraps of the severity models.

**Sampler.** Exact inverse-CDF sampling of the discrete power law (:func:`sample_power_law`).

**Goodness of fit** (CSN 2009, section 4.1): the semi-parametric bootstrap. Each synthetic
data set has :math:`n` values; each is, with probability :math:`n_{\rm tail}/n`, drawn from the
fitted power law and otherwise resampled from the observed values below :math:`x_{\min}`.
The whole fit (:math:`x_{\min}` and :math:`\alpha`) is repeated on each, and
:math:`p = (1 + \#\{D^*_b \ge D\}) / (1 + B)` over the :math:`B` synthetic KS distances
:math:`D^*_b` (the Monte Carlo p-value, never 0; CSN's share :math:`\#\{D^*_b \ge D\}/B` is
slightly liberal).

**Parameters.** The non-parametric bootstrap: resample the events with replacement and
repeat the whole fit.

Every bootstrap runs through :func:`replicate`: one generator, replicates in order, a
progress bar, and a replicate whose data cannot be fitted marked as missing.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np
import pandas as pd
from scipy import special

from ._checks import SeverityInputError, UnreliableFitWarning
from .scan import fit_point

__all__ = [
    "gof_bootstrap",
    "gof_p_value",
    "parameter_bootstrap",
    "percentile_interval",
    "replicate",
    "sample_power_law",
]

T = TypeVar("T")


def _bracket_and_bisect(u, k, high, S, xmin):
    """The exact draws for the ``u`` whose first guess ``k`` was wrong (``high``: the draw
    is above the guess): bracket by doubling, then integer bisection on the CCDF ``S``."""
    big = 2.0**53
    lo = np.where(high, k + 1.0, xmin)  # invariant: S(lo) >= u
    hi = np.where(high, np.minimum(2.0 * (k + 1.0), big), k)  # want: S(hi) < u
    grow = high.copy()
    while grow.any():  # double the upper bracket until it is above the draw
        g = np.flatnonzero(grow)
        above = S(hi[g]) >= u[g]
        lo[g[above]] = hi[g[above]]
        hi[g[above]] = np.minimum(2.0 * hi[g[above]], big)
        grow[g] = above & (hi[g] < big)
    while True:  # integer bisection keeps S(lo) >= u > S(hi)
        act = np.flatnonzero(hi - lo > 1)
        if act.size == 0:
            return lo
        mid = np.floor(0.5 * (lo[act] + hi[act]))
        ge = S(mid) >= u[act]
        lo[act[ge]] = mid[ge]
        hi[act[~ge]] = mid[~ge]


def sample_power_law(
    n: int, alpha: float, xmin: float, *, discrete: bool = True, seed: Any = None
) -> np.ndarray:
    """Draw ``n`` values from the (discrete by default) power law above ``xmin``.

    The discrete sampler is exact inverse-CDF sampling: for :math:`u \\sim U(0, 1]` it returns
    the integer :math:`k \\ge x_{\\min}` with :math:`S(k+1) < u \\le S(k)`, where
    :math:`S(k) = \\zeta(\\alpha, k)/\\zeta(\\alpha, x_{\\min})` is the exact CCDF. The continuous
    approximation :math:`\\lfloor (x_{\\min}-\\tfrac12)u^{-1/(\\alpha-1)} + \\tfrac12 \\rfloor` is
    only the starting guess: it is accepted when it satisfies the exact inequality (most draws)
    and otherwise the draw is found by bracketing and integer bisection on the exact CCDF, so
    the frequencies are exact at every x_min, small or large (no rounding bias at x_min).
    Continuous: :math:`x_{\\min} u^{-1/(\\alpha-1)}`. ``seed`` is an int, a numpy Generator
    or None.
    """
    rng = np.random.default_rng(seed)
    if not alpha > 1:
        raise SeverityInputError(f"alpha must be > 1 for an unbounded power law (got {alpha}).")
    u = 1.0 - rng.random(int(n))  # in (0, 1]
    if not discrete:
        return xmin * u ** (-1.0 / (alpha - 1.0))
    xmin = float(xmin)
    if xmin < 1 or xmin != np.floor(xmin):
        raise SeverityInputError(f"a discrete power law needs an integer xmin >= 1 (got {xmin}).")
    zq = special.zeta(alpha, xmin)

    def S(k):  # exact P(X >= k)
        return special.zeta(alpha, k) / zq

    with np.errstate(over="ignore"):
        k = np.floor((xmin - 0.5) * u ** (-1.0 / (alpha - 1.0)) + 0.5)
    k = np.clip(k, xmin, 2.0**53)
    s_k = S(k)
    low = s_k < u  # the draw is below the guess
    high = s_k - k ** (-alpha) / zq >= u  # P(X >= k + 1) >= u: the draw is above the guess
    fix = np.flatnonzero(low | high)
    if fix.size:
        k[fix] = _bracket_and_bisect(u[fix], k[fix], high[fix], S, xmin)
    return k


def _progress(iterable, total: int, desc: str, progress: bool | None):
    """A tqdm bar: shown when ``progress`` is True, hidden when False, and when None only
    in an interactive session (a terminal or a notebook)."""
    from tqdm.auto import tqdm

    disable = (not progress) if progress is not None else None
    return tqdm(iterable, total=total, desc=desc, disable=disable, leave=False)


def replicate(draw: Callable[[np.random.Generator], T], n_sims: int, seed: Any, *, desc: str,
              progress: bool | None, quiet: type[Warning] = UnreliableFitWarning) -> list[T | None]:
    """Run ``draw(rng)`` ``n_sims`` times in order on one generator, behind a progress bar.

    ``seed`` is an int, None or a Generator (used as is, so that two bootstraps can share one
    stream). A replicate whose data cannot be fitted (:class:`SeverityInputError`) gives
    None; warnings of class ``quiet`` are silenced.
    """
    rng = np.random.default_rng(seed)
    out: list[T | None] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", quiet)
        for _ in _progress(range(n_sims), n_sims, desc, progress):
            try:
                out.append(draw(rng))
            except SeverityInputError:
                out.append(None)
    return out


def percentile_interval(values: Any, conf_level: float) -> tuple[float, float]:
    """The bootstrap percentile interval; NaN when there are no values."""
    v = np.asarray(values, float)
    if v.size == 0:
        return (np.nan, np.nan)
    a = (1 - conf_level) / 2
    return float(np.quantile(v, a)), float(np.quantile(v, 1 - a))


def _semi_parametric_sample(body: np.ndarray, n: int, n_tail: int, alpha: float, xmin: float,
                            discrete: bool, rng: np.random.Generator) -> np.ndarray:
    k = rng.binomial(n, n_tail / n) if body.size else n
    tail = sample_power_law(k, alpha, xmin, discrete=discrete, seed=rng)
    if n - k:
        return np.concatenate([rng.choice(body, n - k, replace=True), tail])
    return tail


def gof_bootstrap(arr: np.ndarray, x_min: float, alpha: float, n_tail: int, discrete: bool,
                  xmin: Any, n_sims: int, seed: Any, progress: bool | None) -> np.ndarray:
    """KS distances of ``n_sims`` semi-parametric synthetic data sets, each refitted in full
    (``xmin`` as given to the fit: ``"ks"`` rescans); an unfittable one counts as infinite."""
    body = arr[arr < x_min]

    def draw(rng):
        xs = _semi_parametric_sample(body, arr.size, n_tail, alpha, x_min, discrete, rng)
        return fit_point(xs, discrete, xmin)[3]

    ks = replicate(draw, n_sims, seed, desc="bootstrap (goodness of fit)", progress=progress)
    return np.array([np.inf if d is None else d for d in ks], dtype=float).reshape(-1)


def gof_p_value(gof_ks: np.ndarray, ks: float) -> float:
    r"""The Monte Carlo p-value :math:`(1 + \#\{D^* \ge D\}) / (1 + B)` (NaN when B = 0)."""
    gof_ks = np.asarray(gof_ks, float)
    if gof_ks.size == 0:
        return float("nan")
    return float((1 + np.sum(gof_ks >= ks)) / (1 + gof_ks.size))


def parameter_bootstrap(arr: np.ndarray, discrete: bool, xmin: Any, n_sims: int, seed: Any,
                        progress: bool | None) -> pd.DataFrame:
    """(alpha, x_min, n_tail) refitted on ``n_sims`` resamples of the events; replicates that
    cannot be fitted are dropped."""

    def draw(rng):
        x_min, alpha, n_tail, _ = fit_point(rng.choice(arr, arr.size, replace=True), discrete, xmin)
        return alpha, x_min, n_tail

    reps = replicate(draw, n_sims, seed, desc="bootstrap (parameters)", progress=progress)
    rows = [(np.nan,) * 3 if r is None else r for r in reps]
    return pd.DataFrame(np.array(rows, float).reshape(-1, 3), columns=["alpha", "x_min", "n_tail"]).dropna()
