"""Simulation of the endemic–epidemic model: from a fit, or with known coefficients.

Each period is drawn given the last: ``Y_t ~ NegBin(mu_t, psi)`` (a gamma-Poisson
mixture with shape ``1/psi``) or Poisson, with
``mu_it = e_it nu_t + lambda Y_i,t-1 + phi sum_j w_ji Y_j,t-1``.
"""

from __future__ import annotations

import dataclasses
import re

import numpy as np
import pandas as pd

from ...errors import InputError
from ...results import Result, get_axes
from .design import endemic_covariates
from .weights import PowerLawWeights, fixed_weights

__all__ = ["EndemicEpidemicSimulation", "simulate_endemic_epidemic", "simulate_fit"]


def _paths(endemic, lam, phi, w, size, y0, n_sims, rng) -> np.ndarray:
    """``n_sims`` paths (n_sims × periods × units) following the start counts ``y0``."""
    n_t, n_u = endemic.shape
    out = np.empty((n_sims, n_t, n_u), dtype=np.int64)
    prev = np.broadcast_to(np.asarray(y0, dtype=float), (n_sims, n_u))
    for t in range(n_t):
        mu = endemic[t] + lam * prev + phi * (prev @ w)
        if size is not None:
            mu = rng.gamma(size, mu / size)
        prev = rng.poisson(mu).astype(float)
        out[:, t] = prev
    return out


@dataclasses.dataclass(frozen=True, repr=False, eq=False)
class EndemicEpidemicSimulation(Result):
    """Panels simulated from a fitted endemic–epidemic model.

    ``paths`` is n_sims × periods × units. ``to_frame()`` gives, per unit, the observed
    total over the periods and the simulated totals' mean and 5%, 50% and 95%
    quantiles; :meth:`totals` the same per period, over all units.
    """

    paths: np.ndarray
    index: pd.DatetimeIndex
    units: pd.Index
    observed: pd.DataFrame

    title = "Simulations from the endemic–epidemic model"

    @staticmethod
    def _band(observed, sims: np.ndarray, index) -> pd.DataFrame:
        q = np.quantile(sims, [0.05, 0.5, 0.95], axis=0)
        return pd.DataFrame(
            {"observed": observed, "mean": sims.mean(axis=0), "q05": q[0], "median": q[1], "q95": q[2]},
            index=index,
        )

    def _table(self) -> pd.DataFrame:
        obs = self.observed.astype("Float64").sum(axis=0).to_numpy(dtype=float)
        return self._band(obs, self.paths.sum(axis=1), pd.Index(self.units, name="unit"))

    def totals(self) -> pd.DataFrame:
        """Per period: the observed total over units and the simulated totals' band."""
        obs = self.observed.astype("Float64").sum(axis=1, min_count=1).to_numpy(dtype=float, na_value=np.nan)
        return self._band(obs, self.paths.sum(axis=2), self.index)

    def summary_lines(self) -> list[tuple[str, str]]:
        totals = self.paths.sum(axis=(1, 2))
        lo, hi = np.quantile(totals, [0.05, 0.95])
        return [
            ("simulations", f"{len(self.paths)}"),
            ("observed total", f"{np.nansum(self.observed.to_numpy(dtype=float)):.0f}"),
            ("simulated total", f"mean {totals.mean():.1f} (90% range {lo:.0f} to {hi:.0f})"),
        ]

    def plot(self, ax=None):
        """The simulated totals' 90% band and median, with the observed totals."""
        ax = get_axes(ax, figsize=(9, 4))
        t = self.totals()
        ax.fill_between(t.index, t["q05"], t["q95"], color="#56B4E9", alpha=0.4, label="90% of simulations")
        ax.plot(t.index, t["median"], color="#0072B2", label="median simulation")
        ax.plot(t.index, t["observed"].astype(float), "o", ms=2.5, color="#000000", label="observed")
        ax.set_xlabel("period")
        ax.set_ylabel("counts per period, all units")
        ax.set_title(self.title)
        ax.legend(loc="upper left", fontsize=8)
        return ax


def simulate_fit(fit, n_sims: int = 100, *, seed=None) -> EndemicEpidemicSimulation:
    """Simulate ``n_sims`` panels from a fit over its periods 2..T."""
    from .likelihood import means, unpack

    if int(n_sims) != n_sims or n_sims < 1:
        raise InputError(f"n_sims must be a whole number >= 1, not {n_sims!r}")
    design = fit._design
    a, b, _, d, eta = unpack(fit.theta, design)
    w = design.fixed_w if design.powerlaw is None else design.powerlaw(d)
    endemic = means(fit.theta, design).endemic
    y0 = np.nan_to_num(fit.counts.iloc[0].astype("Float64").to_numpy(dtype=float, na_value=np.nan))
    size = None if eta is None else float(np.exp(eta))
    rng = np.random.default_rng(seed)
    paths = _paths(endemic, np.exp(a), np.exp(b), w, size, y0, int(n_sims), rng)
    return EndemicEpidemicSimulation(
        paths=paths, index=fit.counts.index[1:], units=fit.counts.columns,
        observed=fit.counts.iloc[1:].copy(),
    )


def _harmonics(coefficients: dict) -> int:
    ks = [int(m.group(2)) for k in coefficients if (m := re.fullmatch(r"end_(sin|cos)_(\d+)", k))]
    k = max(ks, default=0)
    for j in range(1, k + 1):
        for f in ("sin", "cos"):
            if f"end_{f}_{j}" not in coefficients:
                raise InputError(f"coefficients has harmonics up to {k} but lacks end_{f}_{j}")
    return k


def simulate_endemic_epidemic(
    neighbours: pd.DataFrame,
    coefficients: dict,
    *,
    periods: int,
    population=None,
    weights="adjacent",
    period: float = 52,
    freq: str = "W-MON",
    start="2001-01-01",
    seed=None,
) -> pd.DataFrame:
    """Simulate a panel of counts from the endemic–epidemic model with known coefficients.

    ``coefficients`` uses the names of ``fit_endemic_epidemic(...).to_frame()``: ``ar``
    and ``ne`` (log scale), ``end_intercept``, optionally ``end_trend`` and
    ``end_sin_k``/``end_cos_k`` pairs, ``ne_decay`` (with ``weights="powerlaw"``) and
    ``overdispersion`` (``psi``; without it the counts are Poisson). The first period
    is drawn from the endemic part alone; each later one given the one before:
    ``Y_it ~ NegBin(e_i nu_t + lambda Y_i,t-1 + phi sum_j w_ji Y_j,t-1, psi)``.

    Returns a periods × units frame (the units of ``neighbours``) of int64 counts,
    indexed by ``pd.date_range(start, periods=periods, freq=freq)``.
    """
    units = neighbours.index
    if "ar" not in coefficients or "ne" not in coefficients or "end_intercept" not in coefficients:
        raise InputError("coefficients needs at least 'ar', 'ne' and 'end_intercept'")
    k = _harmonics(coefficients)
    trend = "end_trend" in coefficients
    beta = [coefficients["end_intercept"]] + ([coefficients["end_trend"]] if trend else [])
    for j in range(1, k + 1):
        beta += [coefficients[f"end_sin_{j}"], coefficients[f"end_cos_{j}"]]
    x = endemic_covariates(np.arange(periods, dtype=float), trend, k, period)
    e = np.ones(len(units)) if population is None else pd.Series(population).reindex(units).to_numpy(float)
    endemic = np.exp(x @ np.asarray(beta, float))[:, None] * e[None, :]
    orders = neighbours.loc[units, units].to_numpy()
    if isinstance(weights, str) and weights == "powerlaw":
        if "ne_decay" not in coefficients:
            raise InputError("weights='powerlaw' needs the decay 'ne_decay' in coefficients")
        w = PowerLawWeights(orders)(float(coefficients["ne_decay"]))
    else:
        w = fixed_weights(orders, weights)
    psi = coefficients.get("overdispersion")
    size = None if psi is None else 1.0 / float(psi)
    rng = np.random.default_rng(seed)
    first = _paths(endemic[:1], 0.0, 0.0, w, size, np.zeros(len(units)), 1, rng)[0, 0]
    rest = _paths(
        endemic[1:], np.exp(coefficients["ar"]), np.exp(coefficients["ne"]), w, size, first, 1, rng
    )[0]
    index = pd.date_range(start, periods=periods, freq=freq, name="period")
    return pd.DataFrame(np.vstack([first, rest]), index=index, columns=units)
