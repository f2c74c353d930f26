"""The entry point :func:`fit_frequency`: checks, design, estimation and diagnostics,
in that order."""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ..._periods import periods_per_year
from ..._trend import make_trend
from ...errors import EstimationWarning
from .degenerate import degenerate_terms
from .design import DesignSpec
from .diagnostics import ljung_box, tests_frame
from .estimate import Estimate, estimate_autoregression, estimate_regression
from .inputs import (
    Options,
    check_breaks,
    check_design,
    check_exposure,
    check_series,
    check_xreg,
)
from .result import FrequencyResult
from .trend import resolve_trend

__all__ = ["fit_frequency"]


def fit_frequency(
    series: pd.Series,
    *,
    trend: str | int | None = "auto",
    seasonal: str | None = "fourier",
    harmonics: int = 2,
    breaks: Sequence | Mapping = (),
    family: str = "negbin",
    exposure=None,
    ar_lags: Sequence[int] = (),
    mean_lags: Sequence[int] = (),
    link: str | None = None,
    xreg: pd.DataFrame | None = None,
    conf_level: float = 0.95,
    seed: int | np.random.Generator | None = 0,
) -> FrequencyResult:
    """Fit a count model of attack frequency to a regular count series.

    Parameters
    ----------
    series : Series
        Counts on a regular DatetimeIndex (D, W, MS, QS or YS), as returned by
        :func:`analysis.incident_counts`, without NA.
    trend : "auto", "linear", "none" or int
        The smooth trend :math:`f(\tau_t)` on the log scale. ``"auto"``: a natural
        cubic spline whose degrees of freedom (0 = none, 1 = a straight line, up to one
        per year of data) minimise the AIC of the model without its ``breaks`` (with
        breaks, at least a straight line); the AIC of each is in
        ``trend_aic`` (see :mod:`analysis.models.frequency.trend`). ``"linear"``: a
        straight line (the IRR per year); ``"none"`` (or None/False): no trend; an int:
        that many spline df. The trend is held at its end values beyond the data.
    seasonal : {"fourier", "dummies", None}
        Annual seasonality: Fourier terms or month/quarter dummies.
    harmonics : int
        Number of Fourier pairs (1 = annual; 2 adds the semi-annual cycle).
    breaks : sequence of dates, or mapping name -> date
        Regime steps, e.g. ``["2021-08-15"]``; the regressor is the share of each period
        on or after the date.
    family : {"negbin", "poisson"}
        NB2 with the dispersion estimated by maximum likelihood, or Poisson.
    exposure : Series or array, optional
        Positive exposure per period (e.g. days observed); enters as ``log`` offset.
    ar_lags, mean_lags : sequence of int
        Lags of past counts and of the past linear predictor (INGARCH ``past_obs`` and
        ``past_mean``), e.g. ``(1,)`` and ``(13,)``.
    link : {"log", "identity"}, optional
        Default "log". "identity" (the classical INGARCH) needs ``ar_lags``/
        ``mean_lags`` and non-negative regressors (no Fourier terms).
    xreg : DataFrame, optional
        Extra regressors aligned with ``series`` (e.g. a spike dummy).
    conf_level : float
        Level of the confidence and prediction intervals.
    seed : int, Generator or None
        Seed of the simulation behind the prediction intervals.

    Returns
    -------
    FrequencyResult

    Raises
    ------
    FrequencyInputError, IrregularSeriesError
        A series or options that cannot be fitted (the message says why).
    EstimationError
        No NB2 fit, or no autoregression in the stationarity region.

    Warns
    -----
    AnalysisWarning
        Seasonal terms fitted to fewer than two years of data.
    EstimationWarning
        A term the data cannot estimate (a regime without events, a dispersion on its
        boundary) or a fit that cannot be trusted (no convergence, a Hessian that is not
        positive definite): its intervals are NaN, ``not_estimable`` names the terms and
        ``notes`` says why (:mod:`analysis.models.frequency.degenerate`).

    Examples
    --------
    >>> y = analysis.incident_counts(analysis.simulate_incidents(seed=1), "MS")
    >>> analysis.fit_frequency(y, breaks=["2021-08-15"]).regime_effects()  # doctest: +SKIP
    """
    y_s, key = check_series(series)
    opts = Options.check(key, family=family, seasonal=seasonal, harmonics=harmonics,
                         ar_lags=ar_lags, mean_lags=mean_lags, link=link)
    idx, y = y_s.index, y_s.to_numpy()
    xreg_df = check_xreg(xreg, idx)
    exp_s = check_exposure(exposure, idx, opts)
    offset = np.zeros(len(y)) if exp_s is None else np.log(exp_s.to_numpy())
    spec, trend_aic = resolve_trend(y, _base_spec(idx, opts, breaks, xreg_df), trend, idx,
                                    offset, family, xreg_df)
    X = spec.design(idx, xreg_df)
    notes = check_design(y, X, spec.breaks, opts)
    est = _estimate(y, X, spec, offset, family, conf_level, np.random.default_rng(seed))
    terms, reasons = degenerate_terms(y, X, spec, est, family)
    for why in reasons:
        warnings.warn(why, EstimationWarning, stacklevel=2)
    return _result(y_s, X, spec, est, exp_s, family, conf_level, notes + est.notes + reasons,
                   trend_aic, terms)


def _base_spec(idx: pd.DatetimeIndex, opts: Options, breaks, xreg_df) -> DesignSpec:
    """The design specification without a trend (:func:`resolve_trend` sets it)."""
    return DesignSpec(
        key=opts.key, origin=idx[0], trend=make_trend([0.0], 0), seasonal=opts.seasonal,
        harmonics=opts.harmonics, breaks=check_breaks(breaks, idx),
        xreg_names=tuple(map(str, xreg_df.columns)) if xreg_df is not None else (),
        link=opts.link, ar_lags=opts.ar_lags, mean_lags=opts.mean_lags,
    )


def _estimate(y, X, spec: DesignSpec, offset, family, conf_level, rng) -> Estimate:
    """The estimate of the model class that ``spec`` asks for."""
    if spec.autoregressive:
        return estimate_autoregression(y, X, spec, family, conf_level, rng)
    return estimate_regression(y, X, offset, family, conf_level, rng)


def _result(y_s, X, spec, est: Estimate, exp_s, family, conf_level, notes,
            trend_aic, terms) -> FrequencyResult:
    """The result: fitted values with their intervals (NaN where a term in ``terms`` is
    not estimable), and the tests with Ljung-Box."""
    y = y_s.to_numpy()
    mu = est.mean
    pearson = (y - mu) / np.sqrt(mu + est.alpha * mu**2)
    lo, hi = np.quantile(est.sims, [(1 - conf_level) / 2, (1 + conf_level) / 2], axis=0)
    cols = [c for c in terms if c in X.columns]
    unsure = (X[cols].to_numpy() != 0).any(axis=1) if cols else np.zeros(len(y), bool)
    if len(terms) == len(est.params):
        unsure[:] = True
    fitted = pd.DataFrame(
        {"observed": y, "mean": mu, "mean_low": np.where(unsure, np.nan, est.mean_low),
         "mean_high": np.where(unsure, np.nan, est.mean_high),
         "pi_low": np.where(unsure, np.nan, lo), "pi_high": np.where(unsure, np.nan, hi),
         "pearson": pearson},
        index=y_s.index,
    )
    tests = tests_frame(est.tests + ljung_box(pearson, periods_per_year(spec.key)))
    return FrequencyResult(
        family=family, link=spec.link, series=y_s, design=X, params=est.params, cov=est.cov,
        alpha=float(est.alpha), alpha_se=est.alpha_se, llf=float(est.llf),
        llf_poisson=float(est.llf_poisson), nobs=len(y), fitted=fitted, tests=tests,
        spec=spec, exposure=exp_s, conf_level=conf_level, notes=tuple(notes),
        trend_aic=trend_aic, not_estimable=tuple(terms), serial=est.serial,
    )
