"""The univariate fit, :func:`fit_hawkes`: maximum likelihood per jitter draw, pooled."""

from __future__ import annotations

import dataclasses
import math
import warnings

import numpy as np
import pandas as pd
from scipy import stats

from ...errors import AnalysisWarning, EstimationWarning, InputError
from . import pooling
from ._kernels import decay_sums
from ._scale import LOG_BETA_BOUNDS, expit
from ._setup import FitSetup, setup_fit
from .background import Background
from .likelihood import UniModel
from .optimise import Optimum, maximise, maximise_newton
from .result import HawkesResult
from .ties import draws

_UNITS = {
    "mu": "events/day",
    "branching": "offspring/event",
    "decay": "per day",
    "mean_delay": "days",
}


@dataclasses.dataclass
class _Draw:
    """The fit to one jitter draw."""

    times: np.ndarray
    theta: np.ndarray
    cov: np.ndarray
    loglik: float
    converged: bool
    rescaled: np.ndarray
    share: float
    ks_stat: float
    ks_pvalue: float


def _fit_one(t: np.ndarray, bg: Background, engine: str, x0=None) -> tuple[UniModel, Optimum]:
    """Maximum likelihood from several starts (the previous draw's optimum ``x0``, a grid,
    and for a trend-seasonal background the Poisson fit); the best optimum wins."""
    model = UniModel(t, bg, engine)

    def fitter(x):
        if model.has_hessian:  # constant background: trust-region Newton, analytic Hessian
            return maximise_newton(model, x)
        return maximise(model.loglik_grad, x, model.bounds(), model.n)

    starts = [model.start() if x0 is None else x0]
    if x0 is not None:  # also try the grid start; keep the better optimum
        starts.append(model.start())
    if bg.kind != "constant":  # and a start from the Poisson background, little excitation
        starts.append(model.start(model.poisson_start() + math.log(0.9), eta0=0.1))
    best = fitter(starts[0])
    for s in starts[1:]:
        opt = fitter(s)
        if opt[1] > best[1] + 1e-9:
            best = opt
    return model, best


def _rescaled(model: UniModel, theta: np.ndarray) -> tuple[np.ndarray, float]:
    """Time-rescaled inter-event times ``Lambda(t_i) - Lambda(t_{i-1})`` and the expected
    triggered share ``mean_i (lambda_i - mu_i) / lambda_i``."""
    b = theta[: model.bg.p]
    eta, beta = expit(theta[-2]), math.exp(theta[-1])
    a, _ = decay_sums(model.t, np.ones(model.n), beta, model.engine)
    big = model.bg.cumulative(model.t, b) + eta * (np.arange(model.n) - a)
    resc = np.diff(np.concatenate([[0.0], big]))
    mu = model.bg.rate(model.t, b)
    lam = mu + eta * beta * a
    return resc, float(np.mean(1 - mu / lam))


def _fit_draws(setup: FitSetup, progress: bool | None) -> list[_Draw]:
    out: list[_Draw] = []
    x0 = None
    for (t,) in draws(setup.events, setup.rng, setup.n_sims, progress):
        model, (theta, ll, cov, conv) = _fit_one(t, setup.bg, setup.engine, x0)
        x0 = theta
        resc, share = _rescaled(model, theta)
        ks = stats.kstest(resc, "expon")
        out.append(_Draw(t, theta, cov, ll, conv, resc, share, ks.statistic, ks.pvalue))
    return out


def _params(bg: Background, pooled: pooling.Pooled) -> pd.DataFrame:
    """The table of estimates: background, branching ratio, decay and mean delay."""
    rows = pooling.background_rows(bg, pooled)
    eta = expit(pooled.theta[-2])
    ci = (expit(pooled.lo[-2]), expit(pooled.hi[-2]))
    rows.append(("branching", eta, eta * (1 - eta) * pooled.se[-2], *ci))
    rows += pooling.decay_rows(pooled)
    table = pd.DataFrame(rows, columns=pooling.COLUMNS).set_index("parameter")
    table["unit"] = [_UNITS.get(name, "log-rate") for name in table.index]
    return table


def _check_fit(pooled: pooling.Pooled, converged: bool, T: float) -> None:
    """Warn about a fit that cannot be trusted (its intervals become NaN) or that is
    probably misspecified."""
    eta, beta = expit(pooled.theta[-2]), math.exp(pooled.theta[-1])
    if not converged:
        warnings.warn(
            "the Hawkes optimiser did not converge on every draw; intervals are NaN",
            EstimationWarning,
            stacklevel=4,
        )
    if pooled.theta[-1] >= LOG_BETA_BOUNDS[1] - 1e-3:
        warnings.warn(
            "the decay estimate is at its upper bound (1e6 per day); intervals are NaN",
            EstimationWarning,
            stacklevel=4,
        )
    if not converged or pooled.theta[-1] >= LOG_BETA_BOUNDS[1] - 1e-3:
        pooled.nan_intervals()
    if 1.0 / beta > T / 10:
        warnings.warn(
            f"the mean delay ({1 / beta:.3g} days) is more than a tenth of the observation window "
            f"({T:.4g} days): excitation this slow cannot be told from a trend; "
            "try background='trend_seasonal'",
            AnalysisWarning,
            stacklevel=4,
        )
    if eta > 0.995:
        warnings.warn(
            f"branching ratio {eta:.4f} is at the stationarity limit 1: the background is probably "
            "misspecified (a surge read as contagion); try background='trend_seasonal'",
            AnalysisWarning,
            stacklevel=4,
        )


def _result(setup: FitSetup, fits: list[_Draw]) -> HawkesResult:
    bg, ev = setup.bg, setup.events[0]
    pooled = pooling.pool([f.theta for f in fits], [f.cov for f in fits])
    converged = all(f.converged for f in fits)
    _check_fit(pooled, converged, ev.end)
    params = _params(bg, pooled)
    loglik = float(np.mean([f.loglik for f in fits]))
    return HawkesResult(
        background=bg.kind,
        harmonics=bg.harmonics,
        coef=pooled.theta[: bg.p].copy(),
        coef_names=tuple(bg.names),
        branching=float(params.at["branching", "estimate"]),
        branching_ci=tuple(params.loc["branching", ["ci_low", "ci_high"]].astype(float)),
        decay=float(params.at["decay", "estimate"]),
        decay_ci=tuple(params.loc["decay", ["ci_low", "ci_high"]].astype(float)),
        mu_mean=float(bg.mean_rate(pooled.theta[: bg.p])),
        params=params,
        loglik=loglik,
        aic=2 * len(pooled.theta) - 2 * loglik,
        n_events=int(ev.lo.shape[0]),
        start=0.0,
        end=float(ev.end),
        origin=ev.origin,
        triggered_share=float(np.mean([f.share for f in fits])),
        ks_stat=float(np.median([f.ks_stat for f in fits])),
        ks_pvalue=float(np.median([f.ks_pvalue for f in fits])),
        rescaled=fits[0].rescaled,
        times=fits[0].times,
        ties=setup.ties,
        n_sims=setup.n_sims,
        converged=converged,
        theta=pooled.theta,
        cov=pooled.cov,
        phase0=bg.phase0,
        trend=bg.trend,
    )


def fit_hawkes(
    times,
    *,
    background: str = "constant",
    kernel: str = "exponential",
    start=None,
    end=None,
    ties: str = "jitter",
    n_sims: int = 10,
    resolution: float | None = None,
    harmonics: int = 2,
    trend: int = 1,
    seed: int | None = None,
    engine: str | None = None,
    progress: bool | None = None,
) -> HawkesResult:
    """Fit a self-exciting point process with an exponential kernel by maximum likelihood.

    ``lambda(t) = mu(t) + eta * beta * sum_{t_i < t} exp(-beta (t - t_i))``: branching
    ratio ``eta`` (kept in ``(0, 1)``), decay ``beta`` per day, background ``mu(t)``.

    Parameters
    ----------
    times
        Event times: timestamps (DatetimeIndex, Series or array), numbers (days since
        ``start``), or a canonical incident frame (its ``date_earliest``/``date_latest``
        windows are jittered; rows are sorted by ``date``). Sequences must be sorted.
    background : {"constant", "trend_seasonal"}
        Constant ``mu``, or log-linear ``mu(t)`` with a trend and ``harmonics`` annual
        Fourier pairs (:mod:`analysis.models.hawkes.background`).
    kernel : {"exponential"}
        The only kernel implemented.
    start, end
        Observation window. None: midnight of the first event's day (0 for numbers), and
        the end of the last event's dating window. A date as ``end`` for day-precision
        data means the end of that day; an ``end`` before the last event is an error.
    ties : {"jitter", "raw"}
        ``"jitter"``: spread each event uniformly inside its dating window in ``n_sims``
        seeded draws and pool the fits by Rubin's rules (exact numbers with ties are
        rejected unless ``resolution`` gives a window). ``"raw"``: the times as they are.
    n_sims : int
        Number of jitter draws (ignored when no event has a window).
    resolution : float, optional
        Recording resolution in days of numeric times (window ``[t, t + resolution)``).
    harmonics : int
        Annual Fourier pairs of the trend-seasonal background.
    trend : int
        Degrees of freedom of the log-trend: 1 is log-linear, ``k > 1`` piecewise linear
        with ``k - 1`` equally spaced knots (for surges that are not exponential).
    seed : int, optional
        Seed of the jitter draws.
    engine : {"auto", "numba", "numpy"}
        Likelihood kernel (identical results); "auto" uses numba when installed.
    progress : bool, optional
        Show a progress bar over jitter draws (None: only on a terminal).

    Returns
    -------
    HawkesResult

    Raises
    ------
    HawkesInputError
        Fewer than 10 events, unsorted times, NaT/NaN, all events on one day, ``end``
        before the last event, or raw ties without ``ties="raw"``.

    Examples
    --------
    >>> res = analysis.fit_hawkes(df, background="trend_seasonal", seed=1)  # doctest: +SKIP
    >>> res.branching, res.branching_ci, res.mean_delay                     # doctest: +SKIP
    """
    if kernel != "exponential":
        raise InputError(f"kernel={kernel!r} is not implemented; use kernel='exponential'")
    setup = setup_fit(
        [times],
        ["times"],
        background=background,
        start=start,
        end=end,
        ties=ties,
        n_sims=n_sims,
        resolution=resolution,
        harmonics=harmonics,
        trend=trend,
        seed=seed,
        engine=engine,
    )
    return _result(setup, _fit_draws(setup, progress))
