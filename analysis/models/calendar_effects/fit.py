"""The Ramadan model: :func:`ramadan_effect`, its design (Ramadan flag, month, trend and
day-of-week terms), the trend chosen by AIC, and the checks that say when the data cannot
estimate the rate ratio."""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..._glm import fit_count_glm, nb_llf_fixed, std_errors, wald, z_crit
from ..._trend import choose_trend, make_trend, parse_trend, trend_grid
from ...errors import AnalysisError, EstimationWarning
from ...results import irr_table
from .._terms import dow_dummies, month_dummies
from ..seasonality._input import SeasonalityInputError, check_conf_level
from .daily import daily_counts, daily_input
from .hijri import ramadan_days, ramadan_periods
from .result import RamadanResult

__all__ = ["ramadan_effect"]

_ADJUSTMENTS = ("month", "trend", "dow")


def ramadan_effect(
    data: pd.DataFrame | pd.Series,
    *,
    adjust: Sequence[str] = ("month", "trend"),
    start=None,
    end=None,
    trend: str | int | None = "auto",
    conf_level: float = 0.95,
    cov_type: str = "HAC",
    hac_lags: int = 30,
) -> RamadanResult:
    r"""Incidence-rate ratio of Ramadan days against other days, with a CI.

    The NB2 model :math:`\log \mu_d = \beta_0 + \beta_R\,\mathrm{Ram}_d + \text{adjustments}`
    on daily counts; the result is :math:`e^{\beta_R}` (see :class:`RamadanResult`).

    Parameters
    ----------
    data : DataFrame or Series
        A canonical incident frame (``analysis.load_incidents()``), or a regular daily
        count Series with a DatetimeIndex. From a frame, incidents are counted on their
        ``date``; incidents whose window (``date_earliest``..``date_latest``) covers more
        than one calendar day are **excluded** (their Ramadan status may be unknown) and
        their number is reported as ``n_excluded``.
    adjust : sequence of {"month", "trend", "dow"}
        Terms in the model besides the Ramadan indicator: Gregorian month-of-year
        dummies, a smooth trend, day-of-week dummies. ``()`` gives the crude ratio with
        its CI.
    start, end : date-like, optional
        Coverage of a frame (days without incidents inside it are 0). Default: the first
        and last counted incident.
    trend : "auto", "linear", "none" or int
        The trend of ``"trend"`` in ``adjust``: ``"auto"`` (a natural cubic spline whose
        degrees of freedom, 0 to one per year, minimise the AIC; table ``trend_aic``), a
        straight line, none, or that many spline df.
    conf_level : float
        Confidence level.
    cov_type : {"HAC", "nonrobust"}
        ``"HAC"`` (the default) gives Newey–West standard errors with ``hac_lags`` lags
        (default 30, about one Ramadan), for serially dependent counts: waves of attacks
        that last weeks. ``"nonrobust"`` assumes independent days; on RAND's Afghan
        attacks 2002-2009 it rejected at the 5% level for 3 of 11 placebo Ramadans
        (the dates moved by 30k days), HAC with 30 lags for none of them
        (``benchmarks/calibration_counts.py``).
    hac_lags : int
        Lags of the Newey–West estimator.

    Returns
    -------
    RamadanResult

    Raises
    ------
    SeasonalityInputError
        Bad adjust terms, NA, irregular or non-daily index, negative or fractional counts,
        all zeros, under two years of days with the month adjustment.
    HijriRangeError
        Dates outside 1924-08-01 to 2077-11-16 (the range hijridate supports).

    Warns
    -----
    EstimationWarning
        The ratio cannot be estimated from these data (see :class:`RamadanResult`); the
        interval is NaN and ``notes`` says why.
    """
    adjust = tuple(adjust)
    trend = _check_options(adjust, trend, conf_level, cov_type)
    daily, n_excluded = daily_input(data, start, end)
    idx = daily.index
    y = daily_counts(daily, adjust)
    ram = ramadan_days(idx)
    periods = ramadan_periods(idx[0], idx[-1])
    why = _not_estimable(y, ram, periods)
    design = _Design(idx, ram, adjust)
    df, trend_aic = (0, None) if why else design.trend_df(y, trend)
    X, names = design.matrix(df)
    kw = {"maxlags": int(hac_lags)} if cov_type == "HAC" else None
    fit = None if why else _fit(y, X, cov_type, kw)
    if fit is not None:
        why = _fit_problems(fit)
    notes = (why,) if why else ()
    if why:
        warnings.warn(f"Ramadan effect not estimable: {why}", EstimationWarning, stacklevel=2)
    return _result(y, ram, idx, daily, periods, fit, X, names, adjust, df, trend_aic,
                   conf_level, n_excluded, cov_type, notes)


def _check_options(adjust: tuple[str, ...], trend, conf_level: float, cov_type: str):
    bad = [a for a in adjust if a not in _ADJUSTMENTS]
    if bad:
        raise SeasonalityInputError(f"unknown adjust term(s) {bad}; choose from {_ADJUSTMENTS}.")
    if cov_type not in ("nonrobust", "HAC"):
        raise SeasonalityInputError(f"cov_type must be 'nonrobust' or 'HAC', not {cov_type!r}")
    check_conf_level(conf_level)
    try:
        return parse_trend(trend)
    except AnalysisError as err:
        raise SeasonalityInputError(str(err)) from err


def _not_estimable(y: np.ndarray, ram: np.ndarray, periods: pd.DataFrame) -> str:
    """Why the data cannot estimate the ratio ("" when they can)."""
    if not ram.any():
        return "no Ramadan day in the window"
    if ram.all():
        return "every day of the window is in Ramadan: nothing to compare with"
    if len(periods) < 2:
        return ("Ramadan falls in one Hijri year only; it is separated from the season only "
                "over several years")
    if y[ram].sum() == 0:
        return "no event on any Ramadan day: the ratio is on its boundary (0)"
    return ""


class _Design:
    """The columns const, ramadan and the adjustments, for any trend df."""

    def __init__(self, idx: pd.DatetimeIndex, ram: np.ndarray, adjust: tuple[str, ...]):
        self.adjust = adjust
        self.years = np.arange(len(idx), dtype=float) / 365.25
        cols = [np.ones((len(idx), 1)), ram.astype(float)[:, None]]
        self.names = ["const", "ramadan"]
        if "month" in adjust:
            cols.append(month_dummies(idx.month.to_numpy()))
            self.names += [f"month[{m}]" for m in range(2, 13)]
        if "dow" in adjust:
            cols.append(dow_dummies(idx.day_of_week.to_numpy()))
            self.names += [f"dow[{d}]" for d in ("Tue", "Wed", "Thu", "Fri", "Sat", "Sun")]
        self.base = np.hstack(cols)

    def matrix(self, df: int) -> tuple[np.ndarray, list[str]]:
        tr = make_trend(self.years, df)
        return np.hstack([self.base, tr.basis(self.years)]), self.names + tr.names

    def trend_df(self, y: np.ndarray, trend) -> tuple[int, pd.DataFrame | None]:
        """The trend df: given, or ``"auto"``'s lowest AIC (the dispersion of every
        candidate is the maximum-likelihood one of the most flexible)."""
        if "trend" not in self.adjust:
            return 0, None
        if trend != "auto":
            return int(trend), None
        grid = trend_grid(self.years, len(y), n_events=float(np.nansum(y)))
        try:
            alpha = fit_count_glm(y, self.matrix(max(grid))[0]).alpha
        except AnalysisError:
            alpha = 0.0
        # chosen without the Ramadan flag, so that the trend is not picked for how it
        # sets off the flag (the choice would then bias the flag's test)
        def aic(tr) -> float:
            X = np.delete(self.matrix(tr.df)[0], 1, axis=1)
            return -2 * nb_llf_fixed(y, X, None, alpha) + 2 * (X.shape[1] + 1)

        chosen, table = choose_trend(self.years, aic, grid=grid)
        return chosen.df, table


def _fit(y, X, cov_type, cov_kwds):
    try:
        return fit_count_glm(y, X, cov_type=cov_type, cov_kwds=cov_kwds)
    except AnalysisError:
        return None


def _fit_problems(fit) -> str:
    """Why a fitted model's interval cannot be trusted ("" when it can)."""
    if not fit.converged:
        return "the optimiser did not converge"
    if not fit.hessian_ok:
        return "the Hessian is not positive definite"
    return ""


def _result(y, ram, idx, daily, periods, fit, X, names, adjust, df, trend_aic, conf_level,
            n_excluded, cov_type, notes) -> RamadanResult:
    other = y[~ram].mean() if (~ram).any() else np.nan
    crude = float(y[ram].mean() / other) if ram.any() and other > 0 else float("nan")
    if fit is None:
        b = -np.inf if ram.any() and not ram.all() and y[ram].sum() == 0 else np.nan
        lo = hi = p = alpha = np.nan
        coefficients = irr_table([], [], [], 1.96)
    else:
        se = std_errors(fit.cov) if not notes else np.full(len(fit.params), np.nan)
        b, alpha = float(fit.params[1]), fit.alpha
        lo, hi, p = wald(b, float(se[1]), conf_level)
        coefficients = irr_table(fit.params, se, names, z_crit(conf_level))
    return RamadanResult(
        irr=float(np.exp(b)), ci_low=float(np.exp(lo)), ci_high=float(np.exp(hi)), p_value=p,
        crude_irr=crude, conf_level=conf_level, adjust=adjust, alpha=float(alpha),
        daily=pd.Series(y.astype("int64"), index=idx, name=daily.name or "count"),
        ramadan=pd.Series(ram, index=idx, name="ramadan"), periods=periods,
        coefficients=coefficients, trend=int(df), n_excluded=n_excluded, cov_type=cov_type,
        trend_aic=trend_aic, notes=notes,
    )
