r"""Predictive distributions of future counts from a fitted count model of frequency:
:class:`CountForecast` and the simulation behind it.

Each of ``n_sims`` paths draws the coefficients from their asymptotic normal law (or
keeps the estimates), rebuilds the design at the future periods and draws the counts:
for a log-linear regression :math:`Y_{T+h} \sim \mathrm{NB2}(\mu^{(s)}_{T+h}, \alpha)` with
:math:`\log\mu^{(s)}_{T+h} = o_{T+h} + x_{T+h}'\beta^{(s)}`; for a count autoregression
the recursion runs on from the observed history, each step fed with the path's own
simulated counts.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from ..._glm import coef_draws, draw_counts
from ..._periods import next_periods
from ...results import Result, get_axes
from .ingarch import simulate_paths
from .inputs import FrequencyInputError

__all__ = ["CountForecast", "future_index", "plot_fan", "simulate_future"]


def future_index(series: pd.Series, horizon) -> pd.DatetimeIndex:
    """The forecast periods: ``horizon`` periods after the last observation, or the
    given future dates."""
    last = series.index[-1]
    freq = series.index.freq
    if isinstance(horizon, pd.DatetimeIndex):
        if len(horizon) == 0 or horizon[0] <= last:
            raise FrequencyInputError("forecast dates must lie after the last observation")
        return pd.DatetimeIndex(horizon, freq=freq)
    if int(horizon) < 1:
        raise FrequencyInputError("horizon must be at least 1 period")
    return next_periods(series.index, horizon)


def _future_offset(fit, h: int, exposure) -> np.ndarray:
    if fit.exposure is None:
        return np.zeros(h)
    if exposure is None:
        return np.full(h, np.log(float(fit.exposure.iloc[-1])))
    return np.log(np.asarray(exposure, float))


def simulate_future(fit, idx: pd.DatetimeIndex, *, exposure, xreg, n_sims: int,
                    parameter_uncertainty: bool, rng) -> tuple[np.ndarray, np.ndarray]:
    """``(mean, samples)`` at the periods ``idx`` for a :class:`FrequencyResult` ``fit``:
    the plug-in predictive mean (the mean of the simulated conditional means for
    autoregressions) and the ``(n_sims, len(idx))`` simulated counts."""
    spec = fit.spec
    X = spec.design(idx, xreg).to_numpy()
    beta = fit.params.to_numpy()
    if parameter_uncertainty:
        # terms the data cannot estimate stay at their estimates (their variance is
        # meaningless, and draws from it would be absurd)
        cov = fit.cov.copy()
        cov.loc[list(fit.not_estimable), :] = 0.0
        cov.loc[:, list(fit.not_estimable)] = 0.0
        draws = coef_draws(rng, beta, cov.to_numpy(), n_sims)
    else:
        draws = np.tile(beta, (n_sims, 1))
    if not spec.autoregressive:
        off = _future_offset(fit, len(idx), exposure)
        mu_paths = np.exp(np.clip(draws @ X.T + off, -30, 30))
        return np.exp(X @ beta + off), draw_counts(rng, mu_paths, fit.alpha)
    keep = [i for i, c in enumerate(fit.design.columns) if c != "const"]
    X_hist = fit.design.iloc[:, keep].to_numpy()
    samples, means = simulate_paths(
        draws, fit.series.to_numpy(float), X_hist, X[:, keep], spec.ar_lags, spec.mean_lags,
        spec.link, fit.alpha, rng,
    )
    return means.mean(axis=0), samples


def plot_fan(ax, history: pd.Series, samples: np.ndarray, mean: pd.Series, *,
             levels=(0.9, 0.5), n_history: int = 36, label: str = "mean"):
    """The last ``n_history`` observed counts, then the predictive mean and one band per
    central interval in ``levels`` (from the sample quantiles), widest first."""
    hist = history.iloc[-n_history:]
    ax.plot(hist.index, hist.to_numpy(float), "k-", lw=1, label="observed")
    x = mean.index
    for level, alpha in zip(sorted(levels, reverse=True), (0.2, 0.35, 0.5), strict=False):
        lo, hi = np.quantile(samples, [(1 - level) / 2, (1 + level) / 2], axis=0)
        ax.fill_between(x, lo, hi, alpha=alpha, lw=0, label=f"{level:.0%} interval")
    ax.plot(x, mean.to_numpy(float), "o-", ms=3, label=label)
    ax.set_ylabel("incidents per period")
    ax.legend(loc="upper left")
    return ax


@dataclasses.dataclass(frozen=True, repr=False, eq=False)
class CountForecast(Result):
    r"""Predictive distribution of future counts from :meth:`FrequencyResult.forecast`.

    For a log-linear regression, period :math:`T+h` after the last observation:

    .. math::

        Y_{T+h} \sim \mathrm{NB2}(\mu_{T+h}, \alpha),\qquad
        \log\mu_{T+h} = \log E_{T+h} + x_{T+h}'\beta,

    with :math:`\beta` drawn per path from its asymptotic normal law (when
    ``parameter_uncertainty``); for a count autoregression the recursion of
    :class:`FrequencyResult` runs on from the observed history.

    Attributes
    ----------
    table : DataFrame
        Indexed by the future periods: ``mean`` (plug-in predictive mean; for
        autoregressions the mean of the simulated conditional means), ``alpha`` (NB2
        dispersion of the one-step conditional distribution, so that
        ``Var = mean + alpha * mean**2`` for regressions), ``lower`` and ``upper`` (the
        central ``conf_level`` interval of the simulated counts).
    samples : ndarray
        ``(n_sims, horizon)`` simulated counts, for sample-based scores (CRPS, PIT).
    history : Series
        The observed counts the forecast follows.
    """

    title = "Count forecast"

    table: pd.DataFrame
    samples: np.ndarray
    history: pd.Series
    family: str
    conf_level: float
    parameter_uncertainty: bool

    def _table(self) -> pd.DataFrame:
        return self.table

    def summary_lines(self) -> list[tuple[str, str]]:
        idx = self.table.index
        uncertainty = "included" if self.parameter_uncertainty else "left out"
        return [
            ("Family", self.family),
            ("Periods", f"{len(idx)} x {idx.freqstr} from {idx[0]:%Y-%m-%d}"),
            ("Simulations", f"{self.samples.shape[0]} (parameter uncertainty {uncertainty})"),
            ("Interval", f"{self.conf_level:.0%} of the simulated counts"),
            ("History", f"{len(self.history)} periods to {self.history.index[-1]:%Y-%m-%d}"),
        ]

    def plot(self, ax=None, history: int = 36):
        """The last ``history`` observed periods, the predictive mean and its
        ``conf_level`` and 50% intervals."""
        ax = get_axes(ax)
        plot_fan(ax, self.history, self.samples, self.table["mean"],
                 levels=(self.conf_level, 0.5), n_history=history, label=f"{self.family} mean")
        ax.set_title(self.title)
        return ax
