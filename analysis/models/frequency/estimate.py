"""The estimation step of :func:`analysis.fit_frequency` for its two model classes:
the log-linear regression (NB2 or Poisson maximum likelihood) and the count
autoregression (tscount's quasi-likelihood). Each returns an :class:`Estimate`: the
coefficients and their covariance, the dispersion, the fitted means with their
confidence interval, counts simulated for the prediction interval, and the
overdispersion and seasonal tests."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from ..._glm import (
    coef_draws,
    count_loglik,
    cov_is_pd,
    draw_counts,
    fit_count_glm,
    predictor_se,
    z_crit,
)
from .diagnostics import (
    overdispersion_cameron_trivedi,
    overdispersion_lr,
    seasonal_columns,
    seasonal_lr,
    seasonal_lr_serial,
)
from .ingarch import fit_ingarch
from .inputs import FrequencyInputError
from .serial import lr_reference, residual_ar, serial_cov

__all__ = ["N_PATHS", "Estimate", "estimate_autoregression", "estimate_regression"]

#: Simulated counts per period behind the prediction interval of the fitted values.
N_PATHS = 1000


@dataclasses.dataclass(frozen=True, eq=False)
class Estimate:
    """What a fitting engine hands back to :func:`analysis.fit_frequency`."""

    params: pd.Series
    cov: pd.DataFrame
    llf: float
    llf_poisson: float
    alpha: float
    alpha_se: float
    mean: np.ndarray
    mean_low: np.ndarray
    mean_high: np.ndarray
    sims: np.ndarray
    tests: list
    notes: list
    converged: bool = True
    hessian_ok: bool = True
    serial: dict = dataclasses.field(default_factory=dict)


def estimate_regression(y, X: pd.DataFrame, offset, family, conf_level, rng) -> Estimate:
    """NB2 (dispersion estimated) or Poisson log-linear regression; intervals of the mean
    by the delta method on the log scale, prediction intervals from counts simulated with
    coefficients drawn from their asymptotic normal law."""
    fit = fit_count_glm(y, X, offset=offset, family=family)
    names = list(X.columns)
    notes = []
    if fit.boundary:
        notes.append("alpha estimated at 0 (no overdispersion): the NB2 MLE is the Poisson fit")
    Xa = X.to_numpy()
    eta = Xa @ fit.params + offset
    mu = np.exp(eta)
    phi, sd2 = residual_ar(y, mu)
    V = serial_cov(Xa, mu, fit.alpha, fit.cov, phi, sd2)
    if sd2 > 0:
        notes.append(f"intervals and the seasonal LR allow for residual autocorrelation "
                     f"(AR(1) on the log mean: lag-one {phi:.2f}, sd {np.sqrt(sd2):.2f})")
    params = pd.Series(fit.params, index=names)
    cov = pd.DataFrame(V, index=names, columns=names)
    if family == "negbin":
        tests = [overdispersion_lr(fit.llf, fit.llf_poisson)]
    else:
        tests = [overdispersion_cameron_trivedi(y, mu)]
    seasonal = seasonal_columns(names)
    if seasonal:
        reduced = fit_count_glm(y, X.drop(columns=seasonal), offset=offset, family=family)
        c, nu = lr_reference(Xa, mu, fit.alpha, [names.index(s) for s in seasonal], phi, sd2)
        tests.append(seasonal_lr_serial(fit.llf, reduced.llf, len(seasonal), c, nu))
    half = z_crit(conf_level) * predictor_se(Xa, V)
    draws = coef_draws(rng, fit.params, V, N_PATHS)
    mu_draws = np.exp(np.clip(draws @ Xa.T + offset, -30, 30))
    return Estimate(
        params=params, cov=cov, alpha=fit.alpha, alpha_se=fit.alpha_se, llf=fit.llf,
        llf_poisson=fit.llf_poisson, mean=mu, mean_low=np.exp(eta - half),
        mean_high=np.exp(eta + half), sims=draw_counts(rng, mu_draws, fit.alpha),
        tests=tests, notes=notes, converged=fit.converged, hessian_ok=fit.hessian_ok,
        serial={"ar": phi, "ar_sd": float(np.sqrt(sd2))} if sd2 > 0 else {},
    )


def autoregression_names(spec, columns) -> list[str]:
    """Coefficient names of a count autoregression: intercept, ``ar{k}``,
    ``mean_lag{k}``, then the regressors."""
    return (["intercept"] + [f"ar{k}" for k in spec.ar_lags]
            + [f"mean_lag{k}" for k in spec.mean_lags] + list(columns))


def estimate_autoregression(y, X: pd.DataFrame, spec, family, conf_level, rng) -> Estimate:
    """Count autoregression (INGARCH or log-linear); intervals of the conditional mean
    by the delta method, prediction intervals conditional on the estimates."""
    Xr = X.drop(columns=["const"], errors="ignore")
    if spec.link == "identity" and np.any(Xr.to_numpy() < 0):
        raise FrequencyInputError("the identity link needs non-negative regressors")
    lags = (spec.ar_lags, spec.mean_lags, spec.link, family)
    fit = fit_ingarch(y, np.ascontiguousarray(Xr.to_numpy(), dtype=float), *lags)
    notes = [] if fit.optimiser.success else [f"optimiser: {fit.optimiser.message}"]
    names = autoregression_names(spec, Xr.columns)
    mu = fit.lam
    llf_pois = count_loglik(y, mu, 0.0)
    tests = [overdispersion_lr(fit.llf, llf_pois, "sigma^2")] if family == "negbin" else []
    seasonal = seasonal_columns(Xr.columns)
    if seasonal:
        # quasi-LR: the NB log-likelihoods at the QMLE with and without the seasonal terms
        red = np.ascontiguousarray(Xr.drop(columns=seasonal).to_numpy(), dtype=float)
        tests.append(seasonal_lr(fit.llf, fit_ingarch(y, red, *lags).llf, len(seasonal),
                                 quasi=True))
    half = z_crit(conf_level) * predictor_se(fit.dlam, fit.cov)
    if spec.link == "log":
        low, high = mu * np.exp(-half / mu), mu * np.exp(half / mu)
    else:
        low, high = np.clip(mu - half, 0, None), mu + half
    return Estimate(
        params=pd.Series(fit.theta, index=names),
        cov=pd.DataFrame(fit.cov, index=names, columns=names), alpha=fit.sigmasq,
        alpha_se=float("nan"), llf=fit.llf, llf_poisson=llf_pois, mean=mu, mean_low=low,
        mean_high=high, sims=draw_counts(rng, np.tile(mu, (N_PATHS, 1)), fit.sigmasq),
        tests=tests, notes=notes, converged=bool(fit.optimiser.success),
        hessian_ok=cov_is_pd(fit.cov),
    )
