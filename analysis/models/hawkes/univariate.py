"""The univariate fit, :func:`fit_hawkes`: maximum likelihood per jitter draw, pooled."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd
from scipy import stats

from ..._trend import choose_trend, trend_grid
from ...errors import InputError
from . import checks, pooling
from ._kernels import decay_sums
from ._scale import expit
from ._setup import FitSetup, setup_fit
from .background import Background, trend_years
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
    and for a trend-seasonal background the Poisson fit with branching ratios 0.1 and
    0.01); the best optimum wins."""
    model = UniModel(t, bg, engine)

    def fitter(x):
        if model.has_hessian:  # constant background: trust-region Newton, analytic Hessian
            return maximise_newton(model, x)
        return maximise(model.loglik_grad, x, model.bounds(), model.n)

    starts = [model.start() if x0 is None else x0]
    if x0 is not None:  # also try the grid start; keep the better optimum
        starts.append(model.start())
    if bg.kind != "constant":  # and starts from the Poisson background, little excitation
        b = model.poisson_start()
        starts += [model.start(b + np.r_[math.log(1 - eta0), np.zeros(bg.p - 1)], eta0=eta0)
                   for eta0 in (0.1, 0.01)]
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


def fit_background(t: np.ndarray, setup: FitSetup, j: int = 0):
    """The background of stream ``j``: the given trend, or with ``trend="auto"`` the one
    of :func:`analysis._trend.choose_trend`'s grid whose univariate Hawkes fit to the
    stream's times ``t`` has the lowest AIC (fits whose background collapses onto single
    events are left out). Returns the background and the AIC table (None unless auto)."""
    if setup.kind == "constant":
        return setup.background(j, 0), None
    if setup.trend != "auto":
        return setup.background(j, setup.trend), None

    def aic(trend) -> float:
        bg = setup.background(j, trend)
        model, (theta, ll, _, _) = _fit_one(t, bg, setup.engine)
        if bg.at_bound(theta[: bg.p]) or not np.isfinite(ll):
            return float("inf")
        return 2 * model.p - 2 * ll

    years = trend_years(setup.lo[j], setup.events[j].end)
    try:
        trend, table = choose_trend(years, aic, grid=trend_grid(years, n_obs=t.shape[0]))
    except InputError:  # every trend collapses onto single events: keep the level only
        return setup.background(j, 0), None
    return setup.background(j, trend), table


def _fit_draws(setup: FitSetup, progress: bool | None):
    """The background (chosen on the first draw) and the fit to every jitter draw."""
    out: list[_Draw] = []
    x0, bg, table = None, None, None
    for (t,) in draws(setup.events, setup.rng, setup.n_sims, progress):
        if bg is None:
            bg, table = fit_background(t, setup)
        model, (theta, ll, cov, conv) = _fit_one(t, bg, setup.engine, x0)
        x0 = theta
        resc, share = _rescaled(model, theta)
        ks = stats.kstest(resc, "expon")
        out.append(_Draw(t, theta, cov, ll, conv, resc, share, ks.statistic, ks.pvalue))
    return bg, table, out


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


def _result(setup: FitSetup, bg: Background, table, fits: list[_Draw]) -> HawkesResult:
    ev = setup.events[0]
    pooled = pooling.pool([f.theta for f in fits], [f.cov for f in fits])
    converged = all(f.converged for f in fits)
    notes = checks.univariate_notes([f.theta for f in fits], [f.cov for f in fits], converged, bg)
    checks.warn_all(notes, "Hawkes fit")
    if notes:
        pooled.nan_intervals()
    params = _params(bg, pooled)
    eta = float(params.at["branching", "estimate"])
    soft = checks.misspecification_notes(eta)
    loglik = float(np.mean([f.loglik for f in fits]))
    return HawkesResult(
        background=bg.kind,
        harmonics=bg.harmonics,
        coef=pooled.theta[: bg.p].copy(),
        coef_names=tuple(bg.names),
        branching=eta,
        branching_ci=tuple(params.loc["branching", ["ci_low", "ci_high"]].astype(float)),
        decay=float(params.at["decay", "estimate"]),
        decay_ci=tuple(params.loc["decay", ["ci_low", "ci_high"]].astype(float)),
        mu_mean=float(bg.mean_rate(pooled.theta[: bg.p])),
        params=params,
        loglik=loglik,
        aic=2 * len(pooled.theta) - 2 * loglik,
        n_events=int(ev.lo.shape[0]),
        start=float(bg.lo),
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
        breaks=bg.breaks,
        trend_aic=table,
        notes=tuple(setup.notes + notes + soft),
    )


def fit_hawkes(
    times,
    *,
    background: str = "trend_seasonal",
    kernel: str = "exponential",
    start=None,
    end=None,
    ties: str = "jitter",
    n_sims: int = 10,
    resolution: float | None = None,
    harmonics: int = 2,
    trend: str | int | None = "auto",
    breaks=(),
    seed: int | None = None,
    engine: str | None = None,
    progress: bool | None = None,
) -> HawkesResult:
    """Fit a self-exciting point process with an exponential kernel by maximum likelihood.

    ``lambda(t) = mu(t) + eta * beta * sum_{t_i < t} exp(-beta (t - t_i))``: branching
    ratio ``eta`` (kept in ``(0, 1)``), decay ``beta`` per day, and by default the
    flexible background ``log mu(t) = b0 + f(t) + sum_k a_k sin(2 pi k y) + c_k cos(2 pi k
    y)``, ``f`` a natural cubic spline in time whose degrees of freedom the AIC chooses.
    The mean delay ``1 / beta`` is kept below 30 days (and a tenth of the window):
    slower excitation cannot be told from the background, and a fit on that bound says so.

    Parameters
    ----------
    times
        Event times: timestamps (DatetimeIndex, Series or array), numbers (days since
        ``start``), or a canonical incident frame (its ``date_earliest``/``date_latest``
        windows are jittered; rows are sorted by ``date``). Sequences must be sorted.
    background : {"trend_seasonal", "constant"}
        ``"trend_seasonal"``: ``log mu(t)`` has the trend ``trend`` and ``harmonics``
        annual Fourier pairs (:mod:`analysis.models.hawkes.background`). ``"constant"``:
        one rate; ``trend`` and ``harmonics`` are then ignored. A constant background
        reads a surge of violence as contagion.
    kernel : {"exponential"}
        The only kernel implemented.
    start, end
        Observation window. None: midnight of the first event's day (0 for numbers), and
        the end of the last event's dating window. A date as ``end`` for day-precision
        data means the end of that day. A stream whose first event comes implausibly late
        for its rate is fitted from its first event (``EstimationWarning``).
    ties : {"jitter", "raw"}
        ``"jitter"``: spread each event uniformly inside its dating window in ``n_sims``
        seeded draws and pool the fits by Rubin's rules (exact numbers with ties are
        rejected unless ``resolution`` gives a window). ``"raw"``: the times as they are.
    n_sims : int
        Number of jitter draws (ignored when no event has a window).
    resolution : float, optional
        Recording resolution in days of numeric times (window ``[t, t + resolution)``).
    harmonics : int
        Annual Fourier pairs of the background (0: no season).
    trend : "auto", "linear", "none" or int
        Log-trend of the background (:func:`analysis._trend.parse_trend`): ``"auto"``
        fits each degree of freedom of the grid ``analysis._trend.TREND_GRID`` (at most
        one per year and one per 10 events) on the first jitter draw and keeps the lowest
        AIC; an int ``k >= 2`` is a natural cubic spline with ``k`` df. Held flat beyond
        the window.
    breaks : sequence of dates (numbers for numeric times)
        Known regime breaks (e.g. ``["2021-08-15"]``): a step in ``log mu`` at each, which
        a smooth trend cannot follow and excitation would otherwise absorb.
    seed : int, optional
        Seed of the jitter draws.
    engine : {"auto", "numba", "numpy"}
        Likelihood kernel (identical results); "auto" uses numba when installed.
    progress : bool, optional
        Show a progress bar over jitter draws (None: only on a terminal).

    Returns
    -------
    HawkesResult
        Degenerate fits (no convergence, a parameter on its bound, a curvature that is
        not positive definite) warn with ``EstimationWarning``, have NaN intervals and
        say why in ``notes``.

    Raises
    ------
    HawkesInputError
        Fewer than 10 events, unsorted times, NaT/NaN, all events on one day, ``end``
        before the last event, or raw ties without ``ties="raw"``.

    Examples
    --------
    >>> res = analysis.fit_hawkes(df, seed=1)                       # doctest: +SKIP
    >>> res.branching, res.branching_ci, res.trend, res.notes       # doctest: +SKIP
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
        breaks=breaks,
    )
    return _result(setup, *_fit_draws(setup, progress))
