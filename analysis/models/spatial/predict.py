"""One-step-ahead predictions of the endemic–epidemic model, with proper scores.

For each predicted period ``t`` the predictive distribution of ``Y_it`` is the model's
``NegBin(mu_it, psi)`` (or Poisson) given the counts up to ``t-1``, with the
coefficients of a fit on the periods before ``t`` (rolling) or of the final fit. Each
prediction is scored as R surveillance's ``scores()`` does (smaller is better):

- ``logs``: the logarithmic score ``-log P(Y = y)``;
- ``rps``: the ranked probability score ``sum_k (F(k) - 1{y <= k})**2``;
- ``dss``: the Dawid-Sebastiani score ``((y - mu) / sigma)**2 + 2 log sigma``;
- ``ses``: the squared error ``(y - mu)**2``.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
from scipy import stats

from ..._threads import single_threaded_blas
from ...errors import InputError
from ...results import Result, get_axes
from .design import build_design
from .likelihood import means, unpack

__all__ = ["OneStepAheadResult", "one_step_ahead", "scores"]

SCORES = ("logs", "rps", "dss", "ses")


def scores(y: np.ndarray, mu: np.ndarray, size: float | None) -> dict[str, np.ndarray]:
    """The four scores of count predictions ``NegBin(mu, size)`` (Poisson when size is None)."""
    y, mu = np.asarray(y, float), np.asarray(mu, float)
    if size is None:
        dist, var = stats.poisson(mu), mu
    else:
        dist, var = stats.nbinom(size, size / (size + mu)), mu * (1.0 + mu / size)
    sd = np.sqrt(var)
    kmax = int(np.ceil(np.nanmax(np.concatenate([y, mu + 40.0 * sd + 10.0]))))
    k = np.arange(kmax + 1)
    cdf = dist.cdf(k[:, None]) if np.ndim(mu) else dist.cdf(k)
    below = (y[None, :] <= k[:, None]) if np.ndim(y) else (y <= k)
    return {
        "logs": -dist.logpmf(y),
        "rps": ((cdf - below) ** 2).sum(axis=0),
        "dss": ((y - mu) / sd) ** 2 + 2.0 * np.log(sd),
        "ses": (y - mu) ** 2,
    }


@dataclasses.dataclass(frozen=True, repr=False, eq=False)
class OneStepAheadResult(Result):
    """One-step-ahead predictions and their scores.

    ``predictions`` has one row per (period, unit): ``observed``, the predictive
    ``mean`` and the scores ``logs``, ``rps``, ``dss``, ``ses``. ``to_frame()`` gives
    the mean of each score over all predictions.
    """

    predictions: pd.DataFrame
    refit: bool
    n_not_converged: int

    title = "One-step-ahead predictions of the endemic–epidemic model"

    def _table(self) -> pd.DataFrame:
        frame = self.predictions[list(SCORES)].mean().to_frame("mean")
        frame.index.name = "score"
        return frame

    def scores(self, by: str = "unit") -> pd.DataFrame:
        """Mean scores per ``"unit"`` or per ``"period"``."""
        if by not in ("unit", "period"):
            raise InputError(f"by must be 'unit' or 'period', not {by!r}")
        return self.predictions.groupby(by)[list(SCORES)].mean()

    def summary_lines(self) -> list[tuple[str, str]]:
        p = self.predictions
        return [
            ("predicted periods", f"{p['period'].nunique()} ({p['period'].min():%Y-%m-%d} on)"),
            ("coefficients", "refitted before each period" if self.refit else "final fit"),
            ("refits not converged", f"{self.n_not_converged}"),
        ]

    def plot(self, ax=None):
        """Observed totals over units and the predicted means, per period."""
        ax = get_axes(ax, figsize=(9, 4))
        tot = self.predictions.groupby("period")[["observed", "mean"]].sum(min_count=1)
        ax.plot(tot.index, tot["observed"], "o", ms=3, color="#000000", label="observed")
        ax.plot(tot.index, tot["mean"], color="#0072B2", label="one-step-ahead mean")
        ax.set_xlabel("period")
        ax.set_ylabel("counts per period, all units")
        ax.set_title(self.title)
        ax.legend(loc="upper left", fontsize=8)
        return ax


def _spec(fit) -> dict:
    return {
        "trend": fit.trend, "harmonics": fit.harmonics, "period": fit.period,
        "family": fit.family, "weights": fit._weights, "unit_intercepts": fit.unit_intercepts,
    }


def one_step_ahead(fit, start, *, refit: bool = True) -> OneStepAheadResult:
    """Predict each period from ``start`` on from the periods before it."""
    index = fit.counts.index
    first = int(index.searchsorted(pd.Timestamp(start)))
    if first < 3 or first >= len(index):
        raise InputError(
            f"start must leave at least 3 periods before it and 1 after; got {start!r}"
        )
    with single_threaded_blas():
        rows, failed = _predict_rows(fit, first, refit)
    return OneStepAheadResult(
        predictions=pd.concat(rows, ignore_index=True), refit=refit, n_not_converged=failed,
    )


def _predict_rows(fit, first: int, refit: bool) -> tuple[list[pd.DataFrame], int]:
    """One frame of predictions and scores per period from ``first`` on."""
    from .fit import maximise

    index, design = fit.counts.index, fit._design
    theta, rows, failed = fit.theta, [], 0
    for t in range(first, len(index)):
        if refit:
            part = build_design(fit.counts.iloc[:t], fit.neighbours, _part(fit.population, t), **_spec(fit))
            theta, _, _, ok = maximise(part, theta)
            failed += not ok
        mu = means(theta, design).total[t - 1]
        eta = unpack(theta, design)[4]
        y = fit.counts.iloc[t].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
        sc = scores(np.nan_to_num(y), mu, None if eta is None else float(np.exp(eta)))
        frame = pd.DataFrame({"period": index[t], "unit": fit.counts.columns, "observed": y, "mean": mu})
        for name in SCORES:
            frame[name] = np.where(np.isnan(y), np.nan, sc[name])
        rows.append(frame)
    return rows, failed


def _part(population, t: int):
    """The population offset for the first ``t`` periods."""
    return population.iloc[:t] if isinstance(population, pd.DataFrame) else population
