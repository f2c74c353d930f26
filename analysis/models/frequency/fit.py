"""The entry point :func:`fit_frequency`: checks, design, estimation and diagnostics,
in that order."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ..._periods import periods_per_year
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

__all__ = ["fit_frequency"]


def fit_frequency(
    series: pd.Series,
    *,
    trend: bool = True,
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
    trend : bool
        Log-linear trend in years since the first period (IRR per year).
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

    Examples
    --------
    >>> y = analysis.incident_counts(analysis.simulate_incidents(seed=1), "MS")
    >>> analysis.fit_frequency(y, breaks=["2021-08-15"]).regime_effects()  # doctest: +SKIP
    """
    y_s, key = check_series(series)
    opts = Options.check(key, family=family, seasonal=seasonal, harmonics=harmonics,
                         ar_lags=ar_lags, mean_lags=mean_lags, link=link)
    spec, X = _design(y_s.index, opts, trend, breaks, xreg)
    exp_s = check_exposure(exposure, y_s.index, opts)
    notes = check_design(y_s.to_numpy(), X, spec.breaks, opts)
    est = _estimate(y_s.to_numpy(), X, spec, exp_s, family, conf_level, np.random.default_rng(seed))
    return _result(y_s, X, spec, est, exp_s, family, conf_level, notes + est.notes)


def _design(idx: pd.DatetimeIndex, opts: Options, trend, breaks, xreg):
    """The design specification and its matrix at the observed periods."""
    xreg_df = check_xreg(xreg, idx)
    spec = DesignSpec(
        key=opts.key, origin=idx[0], trend=bool(trend), seasonal=opts.seasonal,
        harmonics=opts.harmonics, breaks=check_breaks(breaks, idx),
        xreg_names=tuple(map(str, xreg_df.columns)) if xreg_df is not None else (),
        link=opts.link, ar_lags=opts.ar_lags, mean_lags=opts.mean_lags,
    )
    return spec, spec.design(idx, xreg_df)


def _estimate(y, X, spec: DesignSpec, exp_s, family, conf_level, rng) -> Estimate:
    """The estimate of the model class that ``spec`` asks for."""
    if spec.autoregressive:
        return estimate_autoregression(y, X, spec, family, conf_level, rng)
    offset = np.zeros(len(y)) if exp_s is None else np.log(exp_s.to_numpy())
    return estimate_regression(y, X, offset, family, conf_level, rng)


def _result(y_s, X, spec, est: Estimate, exp_s, family, conf_level, notes) -> FrequencyResult:
    """The result: fitted values with their intervals, and the tests with Ljung-Box."""
    y = y_s.to_numpy()
    mu = est.mean
    pearson = (y - mu) / np.sqrt(mu + est.alpha * mu**2)
    lo, hi = np.quantile(est.sims, [(1 - conf_level) / 2, (1 + conf_level) / 2], axis=0)
    fitted = pd.DataFrame(
        {"observed": y, "mean": mu, "mean_low": est.mean_low, "mean_high": est.mean_high,
         "pi_low": lo, "pi_high": hi, "pearson": pearson},
        index=y_s.index,
    )
    tests = tests_frame(est.tests + ljung_box(pearson, periods_per_year(spec.key)))
    return FrequencyResult(
        family=family, link=spec.link, series=y_s, design=X, params=est.params, cov=est.cov,
        alpha=float(est.alpha), alpha_se=est.alpha_se, llf=float(est.llf),
        llf_poisson=float(est.llf_poisson), nobs=len(y), fitted=fitted, tests=tests,
        spec=spec, exposure=exp_s, conf_level=conf_level, notes=tuple(notes),
    )
