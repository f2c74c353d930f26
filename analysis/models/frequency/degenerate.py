"""What a count model of frequency cannot estimate from its data, named.

* A regime whose own periods (those wholly after its break and before the next) hold no
  event: its rate ratio is on the boundary of its space (0, or infinite for the regime
  before the first break), so its interval is not estimable.
* An optimiser that did not converge, or a covariance that is not positive definite:
  no interval of the fit can be trusted.
* A dispersion on its boundary (``alpha = 0``): the NB2 fit is the Poisson fit, and
  ``alpha`` has no interval.

:func:`degenerate_terms` returns the terms whose intervals must be NaN and the reasons;
:func:`analysis.fit_frequency` warns with :class:`analysis.EstimationWarning` for each.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["degenerate_terms"]


def _zero_regimes(y: np.ndarray, X: pd.DataFrame, breaks) -> list[tuple[str, str]]:
    names = [nm for nm, _ in breaks]
    out = []
    for j, name in enumerate(names):
        inside = X[name].to_numpy() >= 1
        if j + 1 < len(names):
            inside &= X[names[j + 1]].to_numpy() <= 0
        if inside.any() and y[inside].sum() == 0:
            out.append((name, f"{name}: no event in the {int(inside.sum())} periods of the "
                              "regime, so its rate ratio (0) has no interval"))
    if names:
        before = X[names[0]].to_numpy() <= 0
        if before.any() and y[before].sum() == 0 and names[0] not in dict(out):
            out.append((names[0], f"{names[0]}: no event before the break, so its rate ratio "
                                  "(infinite) has no interval"))
    return out


def degenerate_terms(y: np.ndarray, X: pd.DataFrame, spec, est, family: str
                     ) -> tuple[tuple[str, ...], list[str]]:
    """The terms whose intervals are not estimable (all of them when the fit as a whole
    cannot be trusted) and the reasons to report."""
    reasons, terms = [], []
    if not est.converged:
        reasons.append("the optimiser did not converge: no interval can be trusted")
    elif not est.hessian_ok:
        reasons.append("the Hessian is not positive definite: no interval can be trusted")
    if reasons:
        terms = list(est.params.index)
    for term, why in _zero_regimes(y, X, spec.breaks):
        reasons.append(why)
        if term not in terms:
            terms.append(term)
    if family == "negbin" and est.alpha == 0 and not spec.autoregressive:
        reasons.append("the dispersion is on its boundary (alpha = 0): the NB2 fit is the "
                       "Poisson fit and alpha has no interval")
    return tuple(terms), reasons
