r"""The three trend tests of one group and count band, each on the incidents whose toll is
known in that band (incident :math:`i` at time :math:`t_i` in years, toll :math:`y_i`):

* **rate ratio**: :math:`y_i \sim \mathrm{NB2}(\mu_i, \alpha)`,
  :math:`\log\mu_i = \beta_0 + \beta_1 t_i`; estimate :math:`e^{\beta_1}` (killed per attack,
  ratio per year), sandwich standard error, permutation p-value and interval
  (:mod:`.permutation`); :math:`\alpha` is the dispersion of the no-trend fit;
* **rank trend**: the Mann–Kendall test of the tolls in date order, Kendall's
  :math:`\tau_b` between :math:`t_i` and :math:`y_i` (ties in both corrected; scipy's
  ``kendalltau``), which asks whether tolls tend to rise or fall, whatever their tail;
* **mass-casualty share**: :math:`\mathrm{logit}\,\Pr(y_i \ge T) = \gamma_0 + \gamma_1 t_i`;
  estimate the odds ratio per year :math:`e^{\gamma_1}`, sandwich standard error,
  permutation p-value and interval.

A band with at most 20 known tolls, with one toll value only, or with every incident on
one date is not estimable: its tests are NaN with the reason in ``note``.
"""

from __future__ import annotations

import dataclasses

import numpy as np
from scipy import stats

from .permutation import critical_value, fit_trend, null_dispersion, permutation_p, permuted_z

__all__ = ["MIN_INCIDENTS", "BandFit", "band_tests", "conclusion", "not_estimable"]

#: Fewer known tolls than this in a band and its tests are not estimable.
MIN_INCIDENTS = 21


@dataclasses.dataclass(frozen=True)
class BandFit:
    """The test rows of one band, and the rate model for the fitted curve (None: no fit)."""

    rows: list[dict]
    params: np.ndarray | None = None
    cov: np.ndarray | None = None
    crit: float = float("nan")


def conclusion(sign: float, p: float, conf_level: float) -> str:
    """'increasing' / 'decreasing' when ``p <= 1 - conf_level``, else 'no significant trend'."""
    if not np.isfinite(p):
        return "not estimable"
    if p > 1 - conf_level:
        return "no significant trend"
    return "increasing" if sign > 0 else "decreasing"


def _row(test: str, model: str, n: int, *, estimate=np.nan, lo=np.nan, hi=np.nan, p=np.nan,
         sign=np.nan, note: str = "", conf_level: float = 0.95) -> dict:
    return {"test": test, "estimate": estimate, "ci_low": lo, "ci_high": hi, "p": p,
            "model": model, "conclusion": conclusion(sign, p, conf_level), "n": n, "note": note}


def not_estimable(t: np.ndarray, y: np.ndarray) -> str:
    """Why a band cannot be tested ('' when it can)."""
    n = y.size
    if n == 0:
        return "no incident has a known toll"
    if n < MIN_INCIDENTS:
        return f"only {n} incidents with a known toll (at least {MIN_INCIDENTS} needed)"
    if np.ptp(y) == 0:
        return f"every known toll is {y[0]:g}: nothing varies"
    if np.ptp(t) == 0:
        return "every incident is on the same date"
    return ""


def _names(measure: str) -> tuple[str, str, str]:
    return (f"{measure} per attack (NB rate ratio per year)",
            f"rank trend of {measure} (Mann-Kendall tau)",
            "mass-casualty share (logit odds ratio per year)")


_MODELS = ("NB2 GLM per incident, sandwich s.e., permutation p",
           "Kendall tau-b of toll vs date, per incident",
           "logistic GLM per incident, sandwich s.e., permutation p")


def _slope_row(name, model, fit, z_perm, n, conf_level, note=""):
    """Ratio per year exp(beta_1) with its permutation interval and p-value."""
    if note or not fit.converged[0]:
        return _row(name, model, n, note=note or "the fit did not converge", conf_level=conf_level)
    b, se, z = fit.params[0, 1], float(np.sqrt(fit.cov[0, 1, 1])), float(fit.z[0])
    c = critical_value(z_perm, conf_level)
    p = permutation_p(z, z_perm)
    return _row(name, model, n, estimate=float(np.exp(b)), lo=float(np.exp(b - c * se)),
                hi=float(np.exp(b + c * se)), p=p, sign=b, conf_level=conf_level)


def _mass_note(m: np.ndarray, threshold: int) -> str:
    if not m.any():
        return f"no attack with {threshold} or more"
    if m.all():
        return f"every attack has {threshold} or more"
    return ""


def band_tests(t: np.ndarray, y: np.ndarray, *, measure: str, mass_threshold: int,
               n_sims: int, rng: np.random.Generator, conf_level: float) -> BandFit:
    """The three tests of one band (see the module docstring)."""
    names, n = _names(measure), y.size
    why = not_estimable(t, y)
    if why:
        return BandFit([_row(nm, md, n, note=why) for nm, md in zip(names, _MODELS, strict=True)])
    m = (y >= mass_threshold).astype(float)
    alpha = null_dispersion(y)
    rate = fit_trend(y, t, "negbin", alpha)
    mass_note = _mass_note(m, mass_threshold)
    mass = None if mass_note else fit_trend(m, t, "binomial")
    cols = {"rate": (y, "negbin", alpha)}
    if mass is not None and mass.converged[0]:
        cols["mass"] = (m, "binomial", 0.0)
    z_perm = permuted_z(cols, t, n_sims, rng)
    tau, p_tau = stats.kendalltau(t, y)
    rows = [
        _slope_row(names[0], _MODELS[0] + f" (alpha={alpha:.3g})", rate, z_perm["rate"], n,
                   conf_level),
        _row(names[1], _MODELS[1], n, estimate=float(tau), p=float(p_tau), sign=tau,
             conf_level=conf_level),
        _slope_row(names[2], _MODELS[2], mass, z_perm.get("mass"), n, conf_level, mass_note),
    ]
    if not rate.converged[0]:
        return BandFit(rows)
    return BandFit(rows, rate.params[0], rate.cov[0], critical_value(z_perm["rate"], conf_level))
