"""The seasonality model of a monthly count series: :func:`seasonality`."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..._glm import z_crit
from ...results import irr_table
from .._terms import month_dummies
from ._input import (
    MONTH_NAMES,
    SeasonalityInputError,
    as_counts,
    check_conf_level,
    check_monthly,
    empty_months,
)
from .decomposition import stl_decomposition
from .fighting import fighting_shares, window_months
from .hypothesis_tests import seasonal_tests
from .profile import month_profile
from .regimes import compare_regimes, parse_breaks, regime_labels
from .result import SeasonalityResult
from .trend import trend_design

__all__ = ["seasonality"]


def seasonality(
    series: pd.Series,
    *,
    period: int = 12,
    robust: bool = True,
    by_regime: Sequence | None = None,
    fighting_season: tuple[int, int] = (4, 10),
    deaths: pd.Series | None = None,
    harmonics: int = 1,
    trend: str | int | None = "auto",
    conf_level: float = 0.95,
) -> SeasonalityResult:
    r"""Seasonality of a monthly count series: decomposition, profile, shares and tests.

    The count model is :math:`y_t \sim \mathrm{NB}(\mu_t, \alpha)` with
    :math:`\log \mu_t = \log d_t + \beta_{r(t)} + f_{r(t)}(u_t) + \gamma_{m(t)}`
    (days in the month as exposure, a level and a smooth trend per regime, month effects);
    see :class:`SeasonalityResult` for the decomposition, the profile and the tests.

    Parameters
    ----------
    series : pandas.Series
        Regular monthly counts (incidents, or deaths) with a DatetimeIndex on month
        starts (or month ends), as ``analysis.incident_counts(df, freq="MS")`` returns.
        At least 24 months, no missing values, not all zero.
    period : int
        The seasonal period in observations; only 12 (monthly data, annual cycle) is
        supported. Aggregate daily or weekly series to months first.
    robust : bool
        Robust STL (downweights outlying months in the decomposition).
    by_regime : sequence of dates, optional
        Break dates, e.g. ``["2021-08-15"]``. A month belongs to the regime in force on
        its first day. Adds per-regime profiles and a test of whether the seasonal pattern
        differs between regimes; every model then has a level and a trend per regime.
        Each regime needs at least 24 months.
    fighting_season : (int, int)
        First and last month of the window (inclusive; may wrap, e.g. (11, 2)).
    deaths : pandas.Series, optional
        Monthly deaths on the same index; adds the fighting-season share of deaths.
    harmonics : int
        Number of annual harmonics in the focused test (1 = one smooth peak and trough
        per year, 2 df; at most 5).
    trend : "auto", "linear", "none" or int
        The trend of each regime: ``"auto"`` (a natural cubic spline whose degrees of
        freedom, 0 to one per year, minimise the AIC of the month-effects model; the
        table is ``trend_aic``), a straight line, none, or that many spline df.
    conf_level : float
        Confidence level of the intervals.

    Returns
    -------
    SeasonalityResult
        See its docstring for the model equations.

    Raises
    ------
    SeasonalityInputError
        Too short, all zeros, missing values, non-monthly or irregular index, a calendar
        month with no events in any year, bad regime breaks.
    """
    _check_options(period, harmonics, conf_level)
    window_months(fighting_season)
    counts = _monthly_counts(series, period)
    y_deaths = None if deaths is None else _deaths(deaths, counts.index)
    return _fit(counts, y_deaths, period=period, robust=robust, breaks=parse_breaks(by_regime),
                fighting_season=fighting_season, harmonics=harmonics, trend=trend,
                conf_level=conf_level)


def _check_options(period: int, harmonics: int, conf_level: float) -> None:
    if period != 12:
        raise SeasonalityInputError(
            f"period={period} is not supported: seasonality() models the annual cycle of "
            "monthly counts (period=12). Aggregate to months first (series.resample('MS').sum())."
        )
    if not (isinstance(harmonics, int | np.integer) and 1 <= harmonics <= 5):
        raise SeasonalityInputError(f"harmonics must be an integer from 1 to 5; got {harmonics!r}")
    check_conf_level(conf_level)


def _monthly_counts(series: pd.Series, period: int) -> pd.Series:
    """The checked counts on a regular month-start index (float values)."""
    s = check_monthly(series, "series")
    y = as_counts(s, "series")
    if len(y) < 2 * period:
        raise SeasonalityInputError(
            f"series has {len(y)} months; seasonality needs at least two full cycles (24 months)."
        )
    if y.sum() == 0:
        raise SeasonalityInputError("series is all zeros; there is no seasonality to estimate.")
    empty = empty_months(y, s.index.month.to_numpy())
    if empty:
        raise SeasonalityInputError(
            f"no events in {', '.join(empty)} in any year, so the month effect is not "
            "estimable (its rate would be 0). Use a longer series or pool categories."
        )
    return pd.Series(y, index=s.index, name=s.name if s.name is not None else "count")


def _deaths(deaths: pd.Series, idx: pd.DatetimeIndex) -> np.ndarray:
    d = check_monthly(deaths, "deaths")
    if not d.index.equals(idx):
        raise SeasonalityInputError(
            "deaths must cover exactly the same months as series "
            f"({idx[0]:%Y-%m} to {idx[-1]:%Y-%m}); align them with deaths.reindex(series.index)."
        )
    y_deaths = as_counts(d, "deaths")
    if y_deaths.sum() == 0:
        raise SeasonalityInputError("deaths is all zeros.")
    return y_deaths


def _fit(counts: pd.Series, y_deaths: np.ndarray | None, *, period, robust, breaks,
         fighting_season, harmonics, trend, conf_level) -> SeasonalityResult:
    """The steps: STL, design, month-effects model and tests, regimes, fighting season."""
    y, idx = counts.to_numpy(), counts.index
    months = idx.month.to_numpy()
    z = z_crit(conf_level)
    decomposition, f_s = stl_decomposition(y, idx, period, robust)
    regime, labels = regime_labels(idx, breaks)
    M = month_dummies(months)
    offset = np.log(idx.days_in_month.to_numpy().astype(float))
    T, trend_names, dfs, trend_aic = trend_design(y, M, offset, regime, labels, trend)
    if T.shape[1] + 11 + 1 >= len(y):
        raise SeasonalityInputError(
            f"too many parameters ({T.shape[1] + 12}) for {len(y)} months; lower trend."
        )
    tests = seasonal_tests(y, T, M, offset, months, harmonics)
    full, k = tests.full, T.shape[1]
    profile = month_profile(full.params, full.cov, slice(k, k + 11), z)
    names = trend_names + [f"month[{m}]" for m in MONTH_NAMES[1:]]
    coefficients = irr_table(full.params, np.sqrt(np.clip(np.diag(full.cov), 0, None)), names, z)
    regime_profiles, reg = None, (None, None, None)
    if len(labels) > 1:
        regime_profiles, reg = compare_regimes(y, T, M, offset, regime, labels, months, z)
    fighting = fighting_shares({"incidents": y, "deaths": y_deaths}, T, offset, months,
                               fighting_season, conf_level)
    rr = profile["rate_ratio"].to_numpy()
    return SeasonalityResult(
        series=counts, decomposition=decomposition, profile=profile,
        peak_month=int(np.argmax(rr) + 1), trough_month=int(np.argmin(rr) + 1),
        seasonal_strength=f_s,
        lr_stat=tests.omnibus[0], lr_df=tests.omnibus[1], lr_pvalue=tests.omnibus[2],
        harmonic_lr_stat=tests.harmonic[0], harmonic_lr_df=tests.harmonic[1],
        harmonic_lr_pvalue=tests.harmonic[2],
        kw_stat=tests.kruskal[0], kw_pvalue=tests.kruskal[1],
        fighting_season=(int(fighting_season[0]), int(fighting_season[1])), fighting=fighting,
        alpha=full.alpha, coefficients=coefficients, trend=tuple(dfs), trend_aic=trend_aic,
        conf_level=conf_level, robust=robust, regimes=tuple(labels) if len(labels) > 1 else (),
        regime_profiles=regime_profiles,
        regime_lr_stat=reg[0], regime_lr_df=reg[1], regime_lr_pvalue=reg[2],
    )
