"""The power-law tail fit of Clauset, Shalizi & Newman (2009): :func:`fit_severity`."""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..._threads import single_threaded_blas
from ._checks import (
    MIN_RELIABLE_TAIL,
    MIN_TESTABLE_TAIL,
    UnreliableFitWarning,
    as_sizes,
    check_conf_level,
    check_models,
    check_xmin,
)
from .alternatives import ALTERNATIVES, compare
from .result import SeverityResult
from .sampling import gof_bootstrap, gof_p_value, parameter_bootstrap
from .scan import best, scan

__all__ = ["fit_severity"]


def fit_severity(
    data: Any,
    *,
    discrete: bool = True,
    xmin: str | float = "ks",
    alternatives: Sequence[str] = ALTERNATIVES,
    n_sims: int = 0,
    seed: Any = None,
    conf_level: float = 0.95,
    progress: bool | None = None,
) -> SeverityResult:
    r"""Fit a power-law tail to event sizes by the method of Clauset, Shalizi & Newman (2009).

    Above :math:`x_{\min}` the sizes follow :math:`p(x) = x^{-\alpha}/\zeta(\alpha, x_{\min})`
    (discrete) or :math:`(\alpha-1)x_{\min}^{\alpha-1}x^{-\alpha}` (continuous); :math:`\alpha`
    is the exact MLE at each candidate :math:`x_{\min}` and :math:`x_{\min}` minimises the
    Kolmogorov–Smirnov distance of the tail.

    Parameters
    ----------
    data : array-like or Series of event sizes (e.g. killed per attack). Zeros are allowed
        (they sit below every admissible x_min and count as part of the body); NA, negative
        and (when ``discrete``) fractional values raise :class:`SeverityInputError`.
    discrete : fit the discrete (Hurwitz-zeta) power law; right for counts of people.
    xmin : ``"ks"`` to choose x_min by minimum KS distance, or a fixed value.
    alternatives : tail models compared by likelihood-ratio tests (see :data:`ALTERNATIVES`).
    n_sims : bootstrap replicates; when > 0 both the non-parametric bootstrap of
        (alpha, x_min, n_tail) and the semi-parametric goodness-of-fit test are run with
        ``n_sims`` replicates each (CSN recommend 1000 or more for the p-value). With the
        default 0 there are no intervals and no goodness-of-fit p-value (NaN). The
        p-value :math:`(1 + \#\{D^* \ge D\})/(1 + B)` has the Monte Carlo standard error
        :math:`\sqrt{p(1-p)/B}`: 0.007 near p = 0.05 and 0.016 near 0.5 at ``n_sims=1000``,
        0.022 near 0.05 at 100.
    seed : seed or numpy Generator for the bootstraps.
    conf_level : level of the bootstrap percentile intervals.
    progress : show tqdm progress bars (None: only in an interactive session).

    Returns
    -------
    SeverityResult

    Notes
    -----
    Calibration (``benchmarks/results/calibration_tests.md``, data drawn from power laws
    fitted to the bundled data, GTD, RAND Afghanistan and CSN's terrorism sizes, with
    x_min estimated again on each): the goodness-of-fit p-value holds its size; the
    likelihood-ratio p-value against the truncated power law uses the boundary mixture
    (see :mod:`.alternatives`); the non-nested Vuong p-values, the bootstrap interval of
    alpha and alpha +- 1.96 ``alpha_se`` are reported there with their coverage.

    Warns
    -----
    UnreliableFitWarning
        When the fitted tail has fewer than 50 points. With at most 20 tail points the fit
        is not tested at all: the bootstraps are skipped and ``alpha_se``, the intervals,
        ``gof_p`` and the likelihood-ratio p-values are NaN (``notes`` says why).
    """
    # BLAS is only used by the optimisers of the alternatives and in the bootstraps
    pin = single_threaded_blas() if (n_sims or alternatives) else contextlib.nullcontext()
    with pin:
        return _fit_severity(data, discrete=discrete, xmin=xmin, alternatives=alternatives,
                             n_sims=n_sims, seed=seed, conf_level=conf_level, progress=progress)


def _fit_severity(data, *, discrete, xmin, alternatives, n_sims, seed, conf_level,
                  progress) -> SeverityResult:
    arr = as_sizes(data, discrete)
    check_models(alternatives, ALTERNATIVES, "alternatives")
    check_xmin(xmin)
    check_conf_level(conf_level)
    s = scan(arr, discrete, xmin)
    b = best(s)
    x_min, alpha, n_tail, D = float(s.xmins[b]), float(s.alphas[b]), int(s.n_tail[b]), float(s.ks[b])
    notes = _warn_small_tail(n_tail, x_min)
    comparisons, params = compare(arr[arr >= x_min], alpha, x_min, discrete, alternatives)
    boot = pd.DataFrame(columns=["alpha", "x_min", "n_tail"])
    gof_ks = np.array([])
    alpha_se = float(1.0 / np.sqrt(n_tail * s.info[b]))
    if notes:
        comparisons = comparisons.assign(p=np.nan, preferred="not estimable")
        alpha_se = np.nan
    elif n_sims:
        rng = np.random.default_rng(seed)  # one stream: the parameters, then the GOF test
        boot = parameter_bootstrap(arr, discrete, xmin, n_sims, rng, progress)
        gof_ks = gof_bootstrap(arr, x_min, alpha, n_tail, discrete, xmin, n_sims, rng, progress)
    scan_df = pd.DataFrame({"x_min": s.xmins, "alpha": s.alphas, "ks_distance": s.ks,
                            "n_tail": s.n_tail})
    return SeverityResult(
        alpha=alpha, alpha_se=alpha_se, x_min=x_min, n_tail=n_tail, n=arr.size, ks_distance=D,
        discrete=discrete, gof_p=gof_p_value(gof_ks, D), gof_ks=gof_ks, boot=boot,
        comparisons=comparisons, scan=scan_df, data=arr, alternative_params=params,
        seed=seed, conf_level=conf_level, notes=notes,
    )


def _warn_small_tail(n_tail: int, x_min: float) -> tuple[str, ...]:
    """Warn about a short tail; the reason no test is made when it is at most 20 points."""
    if n_tail >= MIN_RELIABLE_TAIL:
        return ()
    if n_tail < MIN_TESTABLE_TAIL:
        note = (f"only {n_tail} events in the power-law tail (x >= {x_min:g}); at least "
                f"{MIN_TESTABLE_TAIL} are needed for intervals and tests, which are NaN")
        warnings.warn(f"not estimable from these data: {note}.", UnreliableFitWarning,
                      stacklevel=5)
        return (note,)
    warnings.warn(
        f"the power-law tail has only {n_tail} points (x >= {x_min:g}); with fewer than "
        f"{MIN_RELIABLE_TAIL} the estimates of alpha and x_min and the tests are unreliable.",
        UnreliableFitWarning, stacklevel=5,
    )
    return ()
