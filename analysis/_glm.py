r"""Count regressions shared by the models: NB2 and Poisson fits with statsmodels (the
dispersion by maximum likelihood, :func:`fit_count_glm`, or by the Pearson moment
equation, :func:`fit_nb_moment`), Wald intervals and tables, likelihood-ratio and
quasi-likelihood F tests, the Pearson dispersion, the NB2 likelihood and draws of counts.

The NB2 model of a count :math:`Y` with mean :math:`\mu` and dispersion :math:`\alpha`:

.. math::

    P(Y = y) = \frac{\Gamma(y + r)}{\Gamma(r)\, y!}
        \Big(\frac{r}{r + \mu}\Big)^{r} \Big(\frac{\mu}{r + \mu}\Big)^{y},
    \qquad r = 1/\alpha,\qquad \operatorname{Var} Y = \mu + \alpha\mu^2,

with Poisson the limit :math:`\alpha \to 0`. In a log-linear regression
:math:`\log\mu_t = o_t + x_t'\beta` (offset :math:`o_t`, the log exposure).
"""

from __future__ import annotations

import contextlib
import dataclasses
import math
import warnings

import numpy as np
import pandas as pd
from scipy import optimize, special, stats

from .errors import EstimationError, InputError

__all__ = [
    "CountFit",
    "MomentFit",
    "cameron_trivedi",
    "coef_draws",
    "count_loglik",
    "cov_is_pd",
    "draw_counts",
    "f_test",
    "fit_count_glm",
    "fit_nb_moment",
    "log_interval",
    "lr_test",
    "nb_llf_fixed",
    "pearson_dispersion",
    "predictor_se",
    "std_errors",
    "wald",
    "wald_table",
    "z_crit",
]

FAMILIES = ("negbin", "poisson")


@dataclasses.dataclass(frozen=True, eq=False)
class CountFit:
    """A fitted log-linear count regression (see :func:`fit_count_glm`).

    ``params`` and ``cov`` are the regression coefficients and their covariance (the
    dispersion left out); ``alpha`` is the NB2 dispersion (0 for Poisson, and at the
    boundary, where ``boundary`` is True and the fit is the Poisson one); ``llf`` the
    maximised log-likelihood and ``llf_poisson`` that of the Poisson fit.
    """

    family: str
    params: np.ndarray
    cov: np.ndarray
    alpha: float
    alpha_se: float
    llf: float
    llf_poisson: float
    converged: bool
    boundary: bool = False

    @property
    def se(self) -> np.ndarray:
        """Standard errors of ``params`` (NaN where the variance is not positive)."""
        return std_errors(self.cov)

    @property
    def hessian_ok(self) -> bool:
        """Whether the covariance is finite and positive definite (the inverse Hessian of
        a proper maximum)."""
        return cov_is_pd(self.cov)


def z_crit(conf_level: float) -> float:
    """The standard normal quantile of a two-sided ``conf_level`` interval."""
    return float(stats.norm.ppf(0.5 + conf_level / 2))


def std_errors(cov) -> np.ndarray:
    """Square roots of the diagonal of ``cov``; NaN where a variance is negative or not
    finite (a Hessian that is not positive definite), never a zero that would give a
    zero-width interval."""
    d = np.diag(np.atleast_2d(np.asarray(cov, float)))
    with np.errstate(invalid="ignore"):
        return np.where(np.isfinite(d) & (d > 0), np.sqrt(np.abs(d)), np.nan)


def cov_is_pd(cov) -> bool:
    """Whether ``cov`` is finite, symmetric enough and positive definite."""
    c = np.atleast_2d(np.asarray(cov, float))
    if c.size == 0:
        return True
    if not np.all(np.isfinite(c)):
        return False
    try:
        np.linalg.cholesky((c + c.T) / 2)
    except np.linalg.LinAlgError:
        return False
    return True


def wald(estimate, se, conf_level: float, df: float | None = None):
    """Wald interval and two-sided p-value of ``estimate == 0``: ``(low, high, p)``.

    ``low, high = estimate -/+ c se`` with ``c`` the normal quantile, or Student's t on
    ``df`` degrees of freedom. Where ``se`` is not a positive finite number all three
    are NaN. Scalars in, floats out; arrays in, arrays out.
    """
    est, s = np.asarray(estimate, float), np.asarray(se, float)
    dist = stats.norm if df is None else stats.t(df)
    c = float(dist.ppf(0.5 + conf_level / 2))
    ok = np.isfinite(s) & (s > 0) & np.isfinite(est)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(ok, est / s, np.nan)
    low = np.where(ok, est - c * s, np.nan)
    high = np.where(ok, est + c * s, np.nan)
    p = np.where(ok, 2 * dist.sf(np.abs(z)), np.nan)
    if low.ndim == 0:
        return float(low), float(high), float(p)
    return low, high, p


def fit_count_glm(
    y,
    X,
    *,
    offset=None,
    family: str = "negbin",
    cov_type: str = "nonrobust",
    cov_kwds: dict | None = None,
) -> CountFit:
    """Maximum-likelihood Poisson or NB2 regression with the dispersion estimated.

    The NB2 fit is statsmodels' discrete ``NegativeBinomial`` (``alpha`` estimated
    jointly, unlike the GLM family, which holds it fixed), started from the Poisson fit
    and tried with Newton, BFGS and Nelder-Mead until one converges with finite
    standard errors. When the likelihood is maximised at ``alpha = 0`` the MLE is the
    Poisson fit, returned with ``boundary=True``.

    Parameters
    ----------
    y : array
        Counts.
    X : array or DataFrame
        Design matrix (with its constant column).
    offset : array, optional
        Log exposure per observation.
    family : {"negbin", "poisson"}
    cov_type, cov_kwds
        Covariance of the estimates, as statsmodels' ``fit`` takes them (for example
        ``"HAC"`` with ``{"maxlags": 7}``).

    Raises
    ------
    InputError
        An unknown family.
    EstimationError
        No NB2 fit with a finite likelihood, or none with standard errors.
    """
    import statsmodels.api as sm

    if family not in FAMILIES:
        raise InputError(f"family must be one of {FAMILIES}, not {family!r}")
    off = np.zeros(len(y)) if offset is None else np.asarray(offset, float)
    kw = {"cov_type": cov_type, **({"cov_kwds": cov_kwds} if cov_kwds else {})}
    with _quiet():
        pois = sm.Poisson(y, X, offset=off).fit(method="newton", maxiter=200, disp=0, **kw)
        if family == "poisson":
            return _as_fit("poisson", pois, float(pois.llf))
        nb, best = _fit_nb2(sm.NegativeBinomial(y, X, loglike_method="nb2", offset=off), pois, kw)
    if best is None:
        raise EstimationError("the negative-binomial fit failed; try family='poisson'")
    if float(np.asarray(best.params)[-1]) < 1e-5 or (nb is None and best.llf <= pois.llf + 1e-6):
        # the NB2 likelihood is maximised at alpha = 0: the MLE is the Poisson fit
        return dataclasses.replace(_as_fit("poisson", pois, float(pois.llf)), boundary=True)
    if nb is None:
        raise EstimationError("the negative-binomial fit has no standard errors; try family='poisson'")
    nb = best if np.all(np.isfinite(best.bse[:-1])) else nb
    return _as_fit("negbin", nb, float(pois.llf))


@contextlib.contextmanager
def _quiet():
    """Silence statsmodels' convergence and Hessian warnings (convergence is kept in
    :attr:`CountFit.converged`, for the caller to report)."""
    from statsmodels.tools.sm_exceptions import ConvergenceWarning, HessianInversionWarning

    with warnings.catch_warnings():
        for cat in (ConvergenceWarning, HessianInversionWarning, RuntimeWarning):
            warnings.simplefilter("ignore", cat)
        yield


def _fit_nb2(model, pois, kw):
    """(best fit with finite standard errors, best fit by likelihood) over the optimisers."""
    start = np.r_[np.asarray(pois.params), 0.1]
    nb = fallback = None
    for method in ("newton", "bfgs", "nm"):
        try:
            cand = model.fit(start_params=start, method=method,
                             maxiter=2000 if method == "nm" else 300, disp=0, **kw)
        except (np.linalg.LinAlgError, ValueError):
            continue
        if not np.isfinite(cand.llf):
            continue
        if fallback is None or cand.llf > fallback.llf:
            fallback = cand
        if np.all(np.isfinite(cand.bse[:-1])) and (nb is None or cand.llf > nb.llf + 1e-8):
            nb = cand
            if cand.mle_retvals.get("converged", True):
                break
    better = nb is None or (fallback is not None and fallback.llf > nb.llf + 1e-6)
    return nb, (fallback if better else nb)


def _as_fit(family: str, res, llf_poisson: float) -> CountFit:
    params = np.asarray(res.params, float)
    cov = np.asarray(res.cov_params(), float)
    converged = bool(res.mle_retvals.get("converged", True))
    if family == "poisson":
        return CountFit("poisson", params, cov, 0.0, float("nan"), float(res.llf), llf_poisson,
                        converged)
    k = len(params) - 1
    return CountFit("negbin", params[:k], cov[:k, :k], float(params[k]),
                    float(np.asarray(res.bse)[k]), float(res.llf), llf_poisson, converged)


def wald_table(params, cov, names, conf_level: float, *, log_link: bool = True) -> pd.DataFrame:
    """Coefficients with Wald statistics: ``estimate``, ``std_err``, ``z``, ``p_value``,
    ``ci_low``, ``ci_high`` and, on the log link, the rate ratios ``irr = exp(estimate)``
    with ``irr_low``/``irr_high``. NaN standard errors give NaN statistics."""
    est = np.atleast_1d(np.asarray(params, float))
    se = std_errors(cov)
    low, high, p = wald(est, se, conf_level)
    with np.errstate(divide="ignore", invalid="ignore"):
        zs = np.where(np.isfinite(se), est / se, np.nan)
    out = pd.DataFrame(
        {"estimate": est, "std_err": se, "z": zs, "p_value": p, "ci_low": low, "ci_high": high},
        index=pd.Index(list(names), name="term"),
    )
    if log_link:
        out["irr"] = np.exp(out["estimate"])
        out["irr_low"] = np.exp(out["ci_low"])
        out["irr_high"] = np.exp(out["ci_high"])
    return out


def lr_test(llf_full: float, llf_reduced: float, df: int, *, boundary: bool = False):
    """Likelihood-ratio test: ``(statistic, df, p_value)``, the statistic floored at 0.

    ``boundary=True`` is for one parameter on the edge of its space under the null (NB2
    against Poisson, ``alpha = 0``): the null law is the half-half mixture of a point
    mass at 0 and chi-square(1), so the p-value is half the chi-square one (and 1 for a
    zero statistic).
    """
    stat = max(2.0 * (llf_full - llf_reduced), 0.0)
    p = float(stats.chi2.sf(stat, df))
    if boundary:
        p = 0.5 * p if stat > 0 else 1.0
    return stat, df, p


def cameron_trivedi(y, mu) -> tuple[float, float]:
    """Cameron and Trivedi's regression test of Poisson against ``Var = mu + alpha mu^2``:
    ``(t statistic, one-sided p-value)``."""
    y, mu = np.asarray(y, float), np.asarray(mu, float)
    aux = ((y - mu) ** 2 - y) / mu
    t = float(np.sum(aux * mu) / np.sqrt(np.sum(mu**2)) / np.sqrt(np.mean((aux - aux.mean()) ** 2)))
    return t, float(stats.norm.sf(t))


def pearson_dispersion(y, mu, df_resid: float, *, xtol: float = 1e-12) -> float:
    r"""The NB2 dispersion solving the Pearson moment equation
    :math:`\sum_t (y_t - \mu_t)^2 / (\mu_t (1 + \alpha\mu_t)) = n - m`, or 0 when the
    counts are not overdispersed (the left side at :math:`\alpha = 0` is at most
    ``df_resid``)."""
    y, mu = np.asarray(y, float), np.asarray(mu, float)

    def f(a: float) -> float:
        return float(np.sum((y - mu) ** 2 / (mu * (1 + a * mu)))) - df_resid

    if df_resid <= 0 or f(0.0) <= 0:
        return 0.0
    hi = 1.0
    while f(hi) > 0 and hi < 1e8:
        hi *= 10
    return float(optimize.brentq(f, 0.0, hi, xtol=xtol))


def count_loglik(y, mu, alpha: float) -> float:
    """NB2 log-likelihood (``alpha > 0``) or Poisson (``alpha`` 0 or None), constants
    included."""
    y, mu = np.asarray(y, float), np.asarray(mu, float)
    if alpha and alpha > 0:
        r = 1.0 / alpha
        return float(np.sum(
            special.gammaln(y + r) - special.gammaln(r) - special.gammaln(y + 1)
            + r * np.log(r / (r + mu)) + y * np.log(mu / (r + mu))
        ))
    return float(np.sum(y * np.log(mu) - mu - special.gammaln(y + 1)))


def draw_counts(rng: np.random.Generator, mu, alpha: float) -> np.ndarray:
    """Counts drawn from NB2(``mu``, ``alpha``) as a gamma-Poisson mixture (Poisson when
    ``alpha`` is 0 or None); the shape of ``mu``."""
    mu = np.asarray(mu, float)
    if alpha and alpha > 0:
        r = 1.0 / alpha
        return rng.poisson(rng.gamma(r, mu / r))
    return rng.poisson(mu)


def coef_draws(rng: np.random.Generator, mean, cov, n: int) -> np.ndarray:
    """``n`` draws of the coefficients from their asymptotic normal law (SVD of ``cov``),
    or ``n`` copies of ``mean`` when ``cov`` is not finite."""
    mean = np.asarray(mean, float)
    cov = np.asarray(cov, float)
    if not np.all(np.isfinite(cov)):
        return np.tile(mean, (n, 1))
    return rng.multivariate_normal(mean, cov, size=n, method="svd")


def predictor_se(X, cov) -> np.ndarray:
    """Standard error of each row's linear predictor ``x_t' beta``: ``sqrt(x_t' V x_t)``."""
    X = np.asarray(X, float)
    with np.errstate(invalid="ignore"):
        return np.sqrt(np.einsum("ij,jk,ik->i", X, np.asarray(cov, float), X))


def log_interval(estimate: float, se: float, conf_level: float) -> tuple[float, float]:
    """Wald interval of a positive quantity on the log scale (delta method):
    ``estimate * exp(-/+ z se / estimate)``; NaN when it cannot be formed."""
    if not (estimate > 0 and math.isfinite(se)):
        return float("nan"), float("nan")
    z = z_crit(conf_level)
    return estimate * math.exp(-z * se / estimate), estimate * math.exp(z * se / estimate)


@dataclasses.dataclass(frozen=True, eq=False)
class MomentFit:
    """An NB2 regression with the Pearson moment estimate of the dispersion (a
    quasi-likelihood fit, :func:`fit_nb_moment`)."""

    params: np.ndarray
    cov: np.ndarray
    alpha: float
    deviance: float
    mu: np.ndarray
    resid_pearson: np.ndarray
    df_resid: int


def _glm_nb(y, X, offset, alpha: float, start=None):
    """The statsmodels GLM of the NB2 family with ``alpha`` held fixed."""
    import statsmodels.api as sm

    fam = sm.families.NegativeBinomial(alpha=max(alpha, 1e-10))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return sm.GLM(y, X, family=fam, offset=offset).fit(start_params=start)


def nb_llf_fixed(y, X, offset, alpha: float) -> float:
    """The NB2 log-likelihood (constants included) maximised over the coefficients with
    the dispersion held at ``alpha`` (one IRLS fit; a quick criterion for choosing
    among designs that share a dispersion); ``-inf`` when the fit fails."""
    try:
        res = _glm_nb(np.asarray(y, float), np.asarray(X, float), offset, alpha)
    except (np.linalg.LinAlgError, ValueError):
        return float("-inf")
    llf = float(res.llf)
    return llf if np.isfinite(llf) else float("-inf")


def fit_nb_moment(y, X, offset=None, alpha: float | None = None) -> MomentFit:
    r"""NB2 regression with :math:`\alpha` from the degrees-of-freedom corrected Pearson
    equation :math:`\sum_i (y_i-\hat\mu_i)^2/(\hat\mu_i(1+\alpha\hat\mu_i)) = n-p`
    (:func:`pearson_dispersion`), iterated with the GLM fit of the coefficients until it
    settles.

    With short series and many terms the maximum-likelihood :math:`\alpha` is biased
    low; the moment estimate with an F reference (:func:`f_test`) keeps the size of
    tests of many terms. With ``alpha`` given only the coefficients are fitted (the null
    model of a test shares the alternative's :math:`\alpha`).
    """
    y = np.asarray(y, float)
    X = np.asarray(X, float)
    off = np.zeros(len(y)) if offset is None else np.asarray(offset, float)
    p = X.shape[1]
    if alpha is None:
        a, res = 0.1, None
        for _ in range(50):
            res = _glm_nb(y, X, off, a, None if res is None else res.params)
            a_new = pearson_dispersion(y, res.fittedvalues, len(y) - p, xtol=1e-8)
            done = abs(a_new - a) <= 1e-6 + 1e-5 * a
            a = a_new
            if done:
                break
        alpha = a
    res = _glm_nb(y, X, off, alpha)
    return MomentFit(
        params=np.asarray(res.params), cov=np.asarray(res.cov_params()), alpha=float(alpha),
        deviance=float(res.deviance), mu=np.asarray(res.fittedvalues),
        resid_pearson=np.asarray(res.resid_pearson), df_resid=len(y) - p,
    )


def f_test(full: MomentFit, null: MomentFit, q: int) -> tuple[float, int, float]:
    """Quasi-likelihood F test of ``q`` terms: the deviance difference of the null and
    the full fit (at the full fit's dispersion) over ``q``, against ``F(q, n - p)``.
    Returns ``(deviance difference, q, p-value)``."""
    dev = max(0.0, null.deviance - full.deviance)
    return dev, q, float(stats.f.sf(dev / q, q, full.df_resid))
