"""Maximum-likelihood fit of the endemic–epidemic model: :func:`fit_endemic_epidemic`."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy import stats

from ..._threads import single_threaded_blas
from ...errors import EstimationError, EstimationWarning, InputError
from .design import Design, build_design
from .likelihood import evaluate, means

__all__ = ["fit_endemic_epidemic", "maximise"]

#: A component whose share of the fitted mean is below this sits on its boundary (zero).
BOUNDARY_SHARE = 1e-6


def _initial(design: Design) -> np.ndarray:
    """Starting values: modest epidemic parts, the endemic level from the mean count."""
    obs = design.observed
    y = design.y if obs is None else design.y[obs]
    e = design.expo if obs is None else design.expo[obs]
    level = np.log(max(y.mean(), 1e-3) / e.mean()) - np.log(2.0)
    if design.n_alpha:
        yo = np.where(obs, design.y, np.nan) if obs is not None else design.y
        unit = np.log(np.maximum(np.nanmean(yo, axis=0), 1e-3) / design.expo.mean(axis=0)) - np.log(2.0)
        end = list(unit) + [0.0] * design.x.shape[1]
    else:
        end = [level] + [0.0] * (design.x.shape[1] - 1)
    theta = [np.log(0.2), np.log(0.05), *end]
    theta += [1.0] if design.powerlaw is not None else []
    theta += [np.log(2.0)] if design.family == "negbin1" else []
    return np.array(theta)


def maximise(design: Design, theta0: np.ndarray | None = None, max_iter: int = 300):
    """Maximise the log-likelihood by Newton's method with Marquardt damping.

    Each step solves ``(F + lam diag(F)) step = score`` with the observed Fisher
    information ``F``; a step that does not raise the log-likelihood is retried with
    more damping, a successful one lowers it. Converged when a full Newton step would
    gain less than 1e-8 in log-likelihood. Returns ``(theta, loglik, fisher, converged)``.
    """
    theta = _initial(design) if theta0 is None else np.asarray(theta0, dtype=float)
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        ll, g, fisher = evaluate(theta, design, order=2)
        if not np.isfinite(ll):
            theta = _initial(design)
            ll, g, fisher = evaluate(theta, design, order=2)
        lam, converged = 0.0, False
        for _ in range(max_iter):
            if lam == 0.0 and _newton_step_gain(g, fisher) < 1e-8:
                converged = True
                break
            step = _damped_step(g, fisher, lam)
            new = theta + step if step is not None else theta
            ll_new = evaluate(new, design, order=0) if step is not None else -np.inf
            if np.isfinite(ll_new) and ll_new >= ll - 1e-12 * abs(ll):
                theta, lam = new, (0.0 if lam < 1e-6 else lam / 10.0)
                gained = ll_new - ll
                ll, g, fisher = evaluate(theta, design, order=2)
                if 0 <= gained < 1e-12 * max(1.0, abs(ll)) and lam == 0.0:
                    converged = _newton_step_gain(g, fisher) < 1e-6
                    break
            else:
                lam = max(lam * 10.0, 1e-4)
                if lam > 1e12:
                    break
    if not np.isfinite(ll):
        raise EstimationError("the endemic–epidemic likelihood is not finite at the optimiser's end")
    return theta, ll, fisher, converged


def _damped_step(score: np.ndarray, fisher: np.ndarray, lam: float) -> np.ndarray | None:
    """The Newton step with Marquardt damping ``lam`` (None when it cannot be solved)."""
    a = fisher + lam * np.diag(np.maximum(np.abs(np.diag(fisher)), 1e-8))
    try:
        c = np.linalg.cholesky(a)
    except np.linalg.LinAlgError:
        # not positive definite: damp harder through the caller, or take a tiny gradient step
        return None if lam < 1e12 else score * 1e-8
    step = np.linalg.solve(c.T, np.linalg.solve(c, score))
    return step if np.isfinite(step).all() else None


def _newton_step_gain(score: np.ndarray, fisher: np.ndarray) -> float:
    """The log-likelihood a further Newton step would gain (inf if the step is undefined)."""
    try:
        gain = 0.5 * float(score @ np.linalg.solve(fisher, score))
    except np.linalg.LinAlgError:
        return np.inf
    return gain if np.isfinite(gain) and gain >= 0 else np.inf


def _boundary_notes(theta: np.ndarray, design: Design, fisher: np.ndarray) -> list[str]:
    """Reasons why the fit's intervals cannot be trusted (empty when they can)."""
    notes = []
    m = means(theta, design)
    obs = design.observed if design.observed is not None else np.ones(design.y.shape, bool)
    total = m.total[obs].sum()
    for label, part in (("autoregressive", m.autoregressive), ("neighbourhood", m.neighbourhood)):
        if part[obs].sum() < BOUNDARY_SHARE * total:
            notes.append(f"the {label} component is estimated as zero (on its boundary)")
    if design.family == "negbin1" and np.exp(-theta[-1]) < BOUNDARY_SHARE:
        notes.append("the overdispersion is estimated as zero; use family='poisson'")
    if design.powerlaw is not None and abs(theta[-1 - (design.family == "negbin1")]) > 50:
        notes.append("the power-law decay runs off to infinity")
    try:
        np.linalg.cholesky(fisher)
    except np.linalg.LinAlgError:
        notes.append("the Fisher information is not positive definite")
    return notes


def coefficient_table(theta, cov, names, conf_level: float) -> pd.DataFrame:
    """Estimates, standard errors and Wald intervals on the reported scales.

    ``ar``, ``ne``, the endemic coefficients and ``ne_decay`` are reported as estimated;
    ``overdispersion`` is ``psi = exp(-eta)``, with the delta-method standard error and
    the interval transformed from the ``eta`` scale.
    """
    z = stats.norm.ppf(0.5 + conf_level / 2.0)
    se = np.sqrt(np.diag(cov)) if cov is not None else np.full(len(theta), np.nan)
    est = np.array(theta, dtype=float)
    lo, hi = est - z * se, est + z * se
    if names[-1] == "overdispersion":
        eta, s = est[-1], se[-1]
        est[-1], se[-1] = np.exp(-eta), np.exp(-eta) * s
        lo[-1], hi[-1] = np.exp(-(eta + z * s)), np.exp(-(eta - z * s))
    return pd.DataFrame(
        {"estimate": est, "std_err": se, "ci_low": lo, "ci_high": hi},
        index=pd.Index(names, name="term"),
    )


def _covariance(theta, design, fisher, converged) -> np.ndarray | None:
    notes = _boundary_notes(theta, design, fisher)
    if not converged:
        notes.insert(0, "the optimiser did not converge")
    if notes:
        warnings.warn(
            "endemic–epidemic fit cannot be trusted: " + "; ".join(notes)
            + ". Its intervals are NaN.", EstimationWarning, stacklevel=3,
        )
        return None
    return np.linalg.inv(fisher)


def _check_support(design: Design) -> None:
    """Refuse data that cannot identify the model, saying why."""
    obs = design.observed if design.observed is not None else np.ones(design.y.shape, bool)
    y = np.where(obs, design.y, 0.0)
    if y.sum() == 0:
        raise InputError("not estimable from these data: every count is zero")
    if design.n_alpha and (y.sum(axis=0) == 0).any():
        empty = [n.removeprefix("end_intercept_") for n, z in zip(design.names[2:], y.sum(axis=0) == 0, strict=False) if z]
        raise InputError(
            f"not estimable from these data: units {empty[:5]} have no counts, so their "
            "endemic intercepts would be minus infinity; leave them out or use "
            "unit_intercepts=False"
        )
    if (y * design.ylag).sum() == 0:
        raise InputError(
            "not estimable from these data: no unit has counts in two consecutive periods, "
            "so the autoregressive component cannot be told from zero"
        )
    z = design.neighbour_sums(1.0)[0] if design.powerlaw is not None else design.ne_lag
    if (y * z).sum() == 0:
        raise InputError(
            "not estimable from these data: no count follows a count in a neighbouring unit "
            "one period earlier, so the neighbourhood component cannot be told from zero"
        )


def fit_endemic_epidemic(
    counts: pd.DataFrame,
    *,
    neighbours: pd.DataFrame,
    population=None,
    trend: bool = False,
    harmonics: int = 0,
    period: float = 52,
    family: str = "negbin1",
    weights="adjacent",
    unit_intercepts: bool = False,
    conf_level: float = 0.95,
):
    r"""Fit the endemic–epidemic (``hhh4``) model to a panel of counts.

    .. math::

        Y_{it} \mid \text{past} \sim \operatorname{NegBin}(\mu_{it}, \psi), \quad
        \operatorname{Var} = \mu_{it} (1 + \psi \mu_{it}), \quad
        \mu_{it} = e_{it} \nu_{it} + \lambda Y_{i,t-1} + \phi \sum_{j} w_{ji} Y_{j,t-1},

        \log \nu_{it} = \alpha_{(i)} + \beta t + \sum_{k=1}^{K}
        \left(\gamma_k \sin(k \omega t) + \delta_k \cos(k \omega t)\right),
        \quad \omega = 2\pi / \text{period},

    with ``t = 0`` in the first period: an endemic part (population, season, trend), an
    autoregressive part (the unit's own last count) and a neighbourhood part (its
    neighbours' last counts). As R surveillance's ``hhh4``, whose estimates it
    reproduces, the fit conditions on the first period and uses periods 2..T.

    Parameters
    ----------
    counts : DataFrame
        Periods × units with a regular ``DatetimeIndex``, e.g.
        ``incident_counts(data, "W", by="province_code")``. A missing count (NA) leaves
        the likelihood, with the cells that use it as a lag.
    neighbours : DataFrame
        Units × units adjacency orders (0 itself, 1 shared border, 2 a neighbour's
        neighbour, ...), e.g. :func:`analysis.province_adjacency`.
    population : Series or DataFrame, optional
        Population fractions per unit (or period and unit): the offset ``e_it``.
    trend, harmonics, period
        A linear trend ``beta t``; ``harmonics`` sine-cosine pairs of cycle ``period``.
    family : {"negbin1", "poisson"}
        One overdispersion ``psi`` shared by all units, or Poisson.
    weights : {"adjacent", "powerlaw"} or DataFrame
        ``w_ji = 1`` for a shared border; or ``o_ji**(-d)`` up to order 5 with each row
        normalised, ``d`` estimated (R's ``W_powerlaw(maxlag = 5)``); or fixed weights.
    unit_intercepts : bool
        One endemic intercept per unit (``end_intercept_<unit>``; R's
        ``fe(1, unitSpecific = TRUE)``); every unit then needs a count.
    conf_level : float
        Level of the Wald intervals.

    Returns
    -------
    EndemicEpidemicResult
        ``to_frame()`` indexed by ``ar``, ``ne`` (``log lambda``, ``log phi``),
        ``end_intercept``, ``end_trend``, ``end_sin_1``, ``end_cos_1``, ...,
        ``ne_decay`` and ``overdispersion`` (``psi``), with ``estimate``, ``std_err``,
        ``ci_low``, ``ci_high``.

    Raises
    ------
    InputError
        Malformed inputs, or data that cannot identify the model (the message then
        starts "not estimable from these data").

    Warns
    -----
    EstimationWarning
        No convergence, a part or the overdispersion on its boundary (zero), or a
        singular information matrix; the intervals are then NaN.
    """
    from .result import EndemicEpidemicResult

    if not 0 < conf_level < 1:
        raise InputError(f"conf_level must be in (0, 1), not {conf_level!r}")
    design = build_design(
        counts, neighbours, population, trend=trend, harmonics=harmonics, period=period,
        family=family, weights=weights, unit_intercepts=unit_intercepts,
    )
    _check_support(design)
    with single_threaded_blas():  # small matrix products: one BLAS thread is faster
        theta, ll, fisher, converged = maximise(design)
    cov = _covariance(theta, design, fisher, converged)
    kind = weights if isinstance(weights, str) else "fixed"
    return EndemicEpidemicResult(
        coefficients=coefficient_table(theta, cov, design.names, conf_level),
        loglik=ll, n_obs=design.n_obs, converged=converged and cov is not None,
        conf_level=conf_level, family=family, weights=kind, trend=bool(trend),
        harmonics=int(harmonics), period=float(period), unit_intercepts=bool(unit_intercepts),
        counts=counts.copy(),
        neighbours=neighbours.copy(), population=population, theta=theta, cov=cov,
        _design=design, _weights=weights,
    )
