"""The result of :func:`~analysis.models.spatial.fit_endemic_epidemic`."""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pandas as pd

from ...results import Result
from .likelihood import means

__all__ = ["EndemicEpidemicResult"]

COMPONENTS = ("endemic", "autoregressive", "neighbourhood")


@dataclasses.dataclass(frozen=True, repr=False, eq=False)
class EndemicEpidemicResult(Result):
    r"""A fitted endemic–epidemic model.

    ``mu_it = e_it nu_t + lambda Y_i,t-1 + phi sum_j w_ji Y_j,t-1`` with
    ``log nu_t = alpha + beta t + sum_k (gamma_k sin(k omega t) + delta_k cos(k omega t))``
    and ``Y_it | past ~ NegBin(mu_it, psi)`` (``Var = mu (1 + psi mu)``) or Poisson.

    Attributes
    ----------
    coefficients : DataFrame
        ``estimate``, ``std_err``, ``ci_low``, ``ci_high`` per term (``to_frame()``).
    loglik : float
        Log-likelihood over periods 2..T.
    n_obs : int
        Cells (period × unit) in the likelihood.
    converged : bool
        The optimiser converged and the intervals can be trusted.
    counts, neighbours, population
        The inputs.
    theta, cov
        Internal parameters ``(ar, ne, beta..., [d], [-log psi])`` and their covariance
        (None when the fit cannot be trusted).
    """

    coefficients: pd.DataFrame
    loglik: float
    n_obs: int
    converged: bool
    conf_level: float
    family: str
    weights: str
    trend: bool
    harmonics: int
    period: float
    unit_intercepts: bool
    counts: pd.DataFrame
    neighbours: pd.DataFrame
    population: Any
    theta: np.ndarray
    cov: np.ndarray | None
    _design: Any = dataclasses.field(repr=False)
    _weights: Any = dataclasses.field(repr=False)

    title = "Endemic–epidemic model (hhh4)"

    def _table(self) -> pd.DataFrame:
        return self.coefficients

    @property
    def aic(self) -> float:
        """Akaike's information criterion, ``-2 loglik + 2 k``."""
        return -2.0 * self.loglik + 2.0 * len(self.theta)

    def fitted_components(self) -> dict[str, pd.DataFrame]:
        """The fitted mean's three parts, each a periods × units frame (periods 2..T).

        Cells left out of the likelihood (missing counts or lags) are NaN.
        """
        m = means(self.theta, self._design)
        index, units = self.counts.index[1:], self.counts.columns
        obs = self._design.observed
        parts = {}
        for name, arr in zip(COMPONENTS, (m.endemic, m.autoregressive, m.neighbourhood), strict=True):
            arr = arr if obs is None else np.where(obs, arr, np.nan)
            parts[name] = pd.DataFrame(arr, index=index, columns=units)
        return parts

    def component_shares(self) -> pd.DataFrame:
        """Each unit's fitted mean split into its parts, as shares summing to 1.

        One row per unit, columns ``endemic``, ``autoregressive``, ``neighbourhood``
        (the sums over periods of each part divided by the sum of the fitted mean).
        """
        parts = self.fitted_components()
        table = pd.DataFrame({k: v.sum() for k, v in parts.items()})
        table.index.name = "unit"
        return table.div(table.sum(axis=1), axis=0)

    def decompose(self, units=None):
        """The decomposition of the fitted mean, summed over ``units`` (default all).

        Returns a :class:`EndemicEpidemicDecomposition`, whose ``plot()`` is the stacked-area
        figure of R's ``plot(fit, type = "fitted")``.
        """
        from .decompose import decompose

        return decompose(self, units)

    def plot(self, ax=None, *, units=None):
        """Stacked areas of the fitted mean's parts, with the observed counts as dots."""
        return self.decompose(units).plot(ax=ax)

    def one_step_ahead(self, start, *, refit: bool = True):
        """One-step-ahead predictions for the periods from ``start`` on, with scores.

        With ``refit=True`` (R's ``oneStepAhead(type = "rolling")``) the model is
        refitted on the periods before each predicted one; with ``refit=False`` the final
        fit predicts every period (R's ``type = "final"``). Returns a
        :class:`OneStepAheadResult` with the log score, ranked probability score,
        Dawid-Sebastiani score and squared error of each prediction.
        """
        from .predict import one_step_ahead

        return one_step_ahead(self, start, refit=refit)

    def simulate(self, n_sims: int = 100, *, seed=None):
        """Simulate ``n_sims`` panels from the fit over periods 2..T, from the observed first.

        Returns a :class:`EndemicEpidemicSimulation` (``paths``: n_sims × periods × units).
        """
        from .simulate import simulate_fit

        return simulate_fit(self, n_sims, seed=seed)

    def summary_lines(self) -> list[tuple[str, str]]:
        shares = self.decompose().shares()
        units, periods = self.counts.shape[1], self.counts.shape[0]
        return [
            ("family", self.family),
            ("weights", self.weights),
            ("units × periods", f"{units} × {periods} (fit on periods 2..{periods})"),
            ("log-likelihood", f"{self.loglik:.4f}"),
            ("AIC", f"{self.aic:.2f}"),
            ("converged", "yes" if self.converged else "no: intervals are NaN"),
            ("share of fitted mean", ", ".join(f"{k} {v:.1%}" for k, v in shares.items())),
        ]
