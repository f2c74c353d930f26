r"""Count regressions shared by the seasonality, calendar-effect and lethality models.

* :func:`fit_nb_ml`: the NB2 regression :math:`y_i \sim \mathrm{NB}(\mu_i, \alpha)`,
  :math:`\mathrm{Var}(y_i) = \mu_i + \alpha\mu_i^2`, :math:`\log\mu_i = o_i + x_i^\top\beta`,
  with :math:`\alpha` estimated by maximum likelihood (statsmodels' discrete
  ``NegativeBinomial``); the Poisson fit when :math:`\hat\alpha` sits on the boundary 0.
* :func:`fit_nb_moment`: the same model with :math:`\alpha` from the degrees-of-freedom
  corrected Pearson equation :math:`\sum_i (y_i-\hat\mu_i)^2/(\hat\mu_i(1+\alpha\hat\mu_i)) = n-p`,
  iterated with the GLM fit of :math:`\beta`; :func:`f_test` compares two such fits by
  their deviance difference against :math:`F(q, n-p)`.
* :func:`wald`: the Wald interval and two-sided p-value of one coefficient.

Package-private: the GLM fitting, covariance and tests here overlap with the frequency
model's and are to be merged with them.
"""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np
from scipy import optimize, stats

__all__ = ["MomentFit", "NBFit", "f_test", "fit_nb_ml", "fit_nb_moment", "wald"]


@dataclasses.dataclass
class NBFit:
    """An NB2 (or Poisson, ``alpha == 0``) maximum-likelihood fit."""

    params: np.ndarray  # regression coefficients (without alpha)
    cov: np.ndarray  # their covariance
    alpha: float
    alpha_se: float
    llf: float
    converged: bool


def _nb_ml_raw(y, X, off, cov_type, cov_kwds):
    """statsmodels' NB2 from the Poisson fit: Newton first, BFGS as a fallback."""
    import statsmodels.api as sm
    from statsmodels.discrete.discrete_model import NegativeBinomial

    pois = sm.GLM(y, X, family=sm.families.Poisson(), offset=off).fit()
    mu = pois.fittedvalues
    a0 = max(float(np.mean(((y - mu) ** 2 - mu) / np.maximum(mu, 1e-8) ** 2)), 0.05)
    start = np.append(pois.params, a0)  # moment estimate of alpha as the start value
    model = NegativeBinomial(y, X, offset=off, loglike_method="nb2")
    kw = {"cov_type": cov_type, **({"cov_kwds": cov_kwds} if cov_kwds else {})}
    res = model.fit(start_params=start, method="newton", maxiter=100, disp=0, **kw)
    ok = bool(res.mle_retvals.get("converged", False)) and np.isfinite(res.llf)
    if not ok or not np.all(np.isfinite(res.bse)):
        res2 = model.fit(start_params=start, method="bfgs", maxiter=2000, disp=0, **kw)
        if np.isfinite(res2.llf) and (not np.isfinite(res.llf) or res2.llf >= res.llf - 1e-8):
            res = res2
        ok = bool(res.mle_retvals.get("converged", False)) and np.isfinite(res.llf)
    return pois, res, ok


def fit_nb_ml(
    y: np.ndarray,
    X: np.ndarray,
    offset: np.ndarray | None = None,
    *,
    cov_type: str = "nonrobust",
    cov_kwds: dict | None = None,
) -> NBFit:
    """NB2 regression with alpha estimated by maximum likelihood; Poisson at alpha = 0.

    The NB Hessian is singular at the Poisson boundary, so when alpha is below 1e-6 or the
    coefficient covariance is not finite the Poisson GLM fit is returned (``alpha = 0``).
    """
    from statsmodels.tools.sm_exceptions import ConvergenceWarning, HessianInversionWarning

    off = np.zeros(len(y)) if offset is None else offset
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.simplefilter("ignore", HessianInversionWarning)
        warnings.simplefilter("ignore", RuntimeWarning)
        pois, res, ok = _nb_ml_raw(y, X, off, cov_type, cov_kwds)
    k = X.shape[1]
    params = np.asarray(res.params)
    try:
        cov = np.asarray(res.cov_params())
    except ValueError:
        cov = np.full((k + 1, k + 1), np.nan)
    if not np.all(np.isfinite(np.diag(cov)[:k])) or params[k] < 1e-6:
        return NBFit(params=np.asarray(pois.params), cov=np.asarray(pois.cov_params()),
                     alpha=0.0, alpha_se=float("nan"), llf=float(pois.llf),
                     converged=bool(pois.converged))
    a_var = cov[k, k]
    return NBFit(params=params[:k], cov=cov[:k, :k], alpha=float(params[k]),
                 alpha_se=float(np.sqrt(a_var)) if np.isfinite(a_var) else float("nan"),
                 llf=float(res.llf), converged=ok)


@dataclasses.dataclass
class MomentFit:
    """An NB2 fit with the Pearson moment estimate of alpha (a quasi-likelihood fit)."""

    params: np.ndarray
    cov: np.ndarray
    alpha: float
    deviance: float
    mu: np.ndarray
    resid_pearson: np.ndarray
    df_resid: int


def pearson_alpha(y: np.ndarray, mu: np.ndarray, df_resid: int) -> float:
    """alpha solving sum (y - mu)^2 / (mu (1 + alpha mu)) = n - p (0 if underdispersed)."""

    def f(a: float) -> float:
        return float(np.sum((y - mu) ** 2 / (mu * (1 + a * mu)))) - df_resid

    if df_resid <= 0 or f(0.0) <= 0:
        return 0.0
    hi = 1.0
    while f(hi) > 0 and hi < 1e6:
        hi *= 10
    return float(optimize.brentq(f, 0.0, hi, xtol=1e-8))


def _glm_nb(y, X, offset, alpha, start=None):
    import statsmodels.api as sm

    fam = sm.families.NegativeBinomial(alpha=max(alpha, 1e-10))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return sm.GLM(y, X, family=fam, offset=offset).fit(start_params=start)


def fit_nb_moment(
    y: np.ndarray, X: np.ndarray, offset: np.ndarray, alpha: float | None = None
) -> MomentFit:
    """NB2 regression with alpha estimated by the degrees-of-freedom-corrected Pearson
    moment equation, iterated with the GLM fit of the coefficients to convergence.

    With ``alpha`` given, only the coefficients are fitted (used for the null model of a
    test, which shares the alternative's alpha)."""
    p = X.shape[1]
    if alpha is None:
        a = 0.1
        res = None
        for _ in range(50):
            res = _glm_nb(y, X, offset, a, None if res is None else res.params)
            a_new = pearson_alpha(y, res.fittedvalues, len(y) - p)
            done = abs(a_new - a) <= 1e-6 + 1e-5 * a
            a = a_new
            if done:
                break
        alpha = a
    res = _glm_nb(y, X, offset, alpha)
    return MomentFit(
        params=np.asarray(res.params),
        cov=np.asarray(res.cov_params()),
        alpha=float(alpha),
        deviance=float(res.deviance),
        mu=np.asarray(res.fittedvalues),
        resid_pearson=np.asarray(res.resid_pearson),
        df_resid=len(y) - p,
    )


def f_test(full: MomentFit, null: MomentFit, q: int) -> tuple[float, int, float]:
    """Deviance-difference test at the alternative's alpha, F(q, n - p) reference.
    Returns (deviance difference, q, p-value)."""
    dev = max(0.0, null.deviance - full.deviance)
    return dev, q, float(stats.f.sf(dev / q, q, full.df_resid))


def wald(coef: float, se: float, conf_level: float,
         df: int | None = None) -> tuple[float, float, float]:
    """Wald interval of a coefficient and the two-sided p-value of ``coef == 0``.

    ``(coef - c se, coef + c se, p)`` with ``c`` the normal quantile, or Student's t on
    ``df`` degrees of freedom; the p-value is NaN when ``se`` is not positive.
    """
    dist = stats.norm if df is None else stats.t(df)
    c = float(dist.ppf(0.5 + conf_level / 2))
    p = float(2 * dist.sf(abs(coef / se))) if se > 0 else float("nan")
    return coef - c * se, coef + c * se, p
