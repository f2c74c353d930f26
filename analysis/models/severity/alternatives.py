r"""Other heavy tails, fitted to the same tail :math:`x \ge x_{\min}` as the power law, and
Vuong's likelihood-ratio test between them (Clauset, Shalizi & Newman 2009, section 5).

The alternatives: lognormal, exponential, power law with exponential cutoff
("truncated_power_law", :math:`f \propto x^{-\alpha}e^{-\lambda x}`) and stretched
exponential (Weibull, :math:`f \propto x^{\beta-1}e^{-c x^\beta}` with :math:`c = \lambda^\beta`,
the parameterisation that stays well conditioned as :math:`\beta \to 0`). For discrete data
each is the discrete version of the continuous density, :math:`p(k) = f(k) / \sum_{j \ge
x_{\min}} f(j)` on the integers, the construction of the discrete power law (so the cutoff
model nests the power law at :math:`\lambda = 0`). The normalising sum is exact for the first
100 terms and Euler–Maclaurin (integral + two correction terms) beyond. The exponential's
discrete version is the geometric distribution, fitted in closed form.

Vuong's test: :math:`\mathcal R = \sum_i (\ell^{\rm PL}_i - \ell^{\rm alt}_i)`, the normalised
ratio :math:`\mathcal R / (\sigma\sqrt n)` and the two-sided p-value
:math:`\operatorname{erfc}(|\mathcal R| / \sigma\sqrt{2n})`. The cutoff model nests the power
law at :math:`\lambda = 0`, the edge of its parameter space, so the likelihood ratio
:math:`2|\mathcal R|` follows under the power law the even mixture of 0 and
:math:`\chi^2_1` (Self & Liang 1987): :math:`p = \tfrac12 \Pr(\chi^2_1 \ge 2|\mathcal R|)`,
and 1 when the cutoff does not improve the fit. (The plain :math:`\chi^2_1` p-value that
CSN print rejected in 1% of data sets drawn from a power law fitted to RAND's Afghan
tolls at the 5% level; the mixture in 4%: ``benchmarks/results/calibration_tests.md``.)
Positive :math:`\mathcal R` favours the power law.
"""

from __future__ import annotations

import dataclasses
import warnings
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
from scipy import optimize, special, stats

from .power_law import power_law_loglik

__all__ = ["ALTERNATIVES", "MODELS", "compare", "fit_model", "log_norm", "model_log_sf"]

#: Tail models that :func:`~analysis.fit_severity` can compare with the power law.
ALTERNATIVES = ("lognormal", "exponential", "truncated_power_law", "stretched_exponential")
_HEAD_TERMS = 100  # exact terms of the discrete normalising sums before Euler-Maclaurin


def _log_upper_gamma(s: float, z: np.ndarray) -> np.ndarray:
    """log Gamma(s, z) for real s (any sign) and z > 0, without overflow/underflow."""
    z = np.asarray(z, float)
    if s > 0:
        with np.errstate(divide="ignore"):
            v = np.log(special.gammaincc(s, z)) + special.gammaln(s)
        big = ~np.isfinite(v)
        if big.any():
            zb = z[big]
            v[big] = (s - 1) * np.log(zb) - zb + np.log1p((s - 1) / zb + (s - 1) * (s - 2) / zb**2)
        return v
    # scaled G(s, z) = Gamma(s, z) e^z z^-s and the recurrence G(s) = (z G(s+1) - 1)/s
    m = int(np.ceil(-s)) if s != np.floor(s) else int(-s)
    s0 = s + m
    if s0 == 0:
        with np.errstate(over="ignore", invalid="ignore"):
            G = special.exp1(z) * np.exp(z)
        asym = ~np.isfinite(G) | (z > 50)
        za = z[asym]
        G[asym] = (1 - 1 / za + 2 / za**2 - 6 / za**3) / za
    else:
        with np.errstate(divide="ignore", over="ignore"):
            logG = np.log(special.gammaincc(s0, z)) + special.gammaln(s0) + z - s0 * np.log(z)
        G = np.exp(logG)
        asym = ~np.isfinite(G) | (z > 50)
        za = z[asym]
        G[asym] = (1 + (s0 - 1) / za + (s0 - 1) * (s0 - 2) / za**2) / za
    for i in range(m):
        G = (z * G - 1.0) / (s0 - 1 - i)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.log(G) + s * np.log(z) - z


@dataclasses.dataclass(frozen=True)
class _Model:
    """A tail family: unnormalised log-density, log of its integral beyond N, d log f."""

    name: str
    params: tuple[str, ...]
    logf: Callable[[np.ndarray, np.ndarray], np.ndarray]
    logS: Callable[[np.ndarray, np.ndarray], np.ndarray]
    dlogf: Callable[[np.ndarray, np.ndarray], np.ndarray]
    to_theta: Callable[[np.ndarray], np.ndarray]  # unconstrained -> parameters
    start: Callable[[np.ndarray, float], list[np.ndarray]]  # tail, x_min -> starting points


def _ln_logf(x, t):
    mu, sig = t
    return -np.log(x) - np.log(sig) - 0.5 * np.log(2 * np.pi) - 0.5 * ((np.log(x) - mu) / sig) ** 2


def _ln_logS(x, t):
    mu, sig = t
    return special.log_ndtr(-(np.log(x) - mu) / sig)


def _ln_dlogf(x, t):
    mu, sig = t
    return -1.0 / x - (np.log(x) - mu) / (sig**2 * x)


def _ln_start(tail, q):
    lx = np.log(tail)
    return [np.array([lx.mean(), np.log(max(lx.std(), 0.1))]), np.array([0.0, np.log(2.0)])]


def _ex_logf(x, t):
    (lam,) = t
    return np.log(lam) - lam * x


def _ex_logS(x, t):
    (lam,) = t
    return -lam * x


def _ex_dlogf(x, t):
    (lam,) = t
    return np.full_like(np.asarray(x, float), -lam)


def _ex_start(tail, q):
    return [np.array([np.log(1.0 / max(tail.mean() - q + 0.5, 1e-3))])]


def _se_logf(x, t):
    beta, c = t  # c = lambda**beta keeps the fit well conditioned when beta is small
    return np.log(beta) + np.log(c) + (beta - 1) * np.log(x) - c * x**beta


def _se_logS(x, t):
    beta, c = t
    return -c * np.asarray(x, float) ** beta


def _se_dlogf(x, t):
    beta, c = t
    return (beta - 1) / x - c * beta * x ** (beta - 1)


def _se_start(tail, q):
    m = tail.mean()
    return [np.array([np.log(0.5), 0.5 * np.log(2.0 / m)]), np.array([np.log(0.2), 0.2 * np.log(1.0 / m)])]


def _tpl_logf(x, t):
    alpha, lam = t
    return -alpha * np.log(x) - lam * x


def _tpl_logS(x, t):
    alpha, lam = t
    x = np.asarray(x, float)
    if lam <= 0:
        return (1 - alpha) * np.log(x) - np.log(alpha - 1) if alpha > 1 else np.full(x.shape, np.inf)
    return (alpha - 1) * np.log(lam) + _log_upper_gamma(1 - alpha, lam * x)


def _tpl_dlogf(x, t):
    alpha, lam = t
    return -alpha / x - lam


def _tpl_start(tail, q):
    lx = np.log(tail / max(q - 0.5, 0.5))
    a0 = 1 + tail.size / max(lx.sum(), 1e-9)
    m = tail.mean()
    return [np.array([a0, np.log(1e-3 / m)]), np.array([max(a0 - 0.5, 0.5), np.log(0.3 / m)])]


MODELS: dict[str, _Model] = {
    "lognormal": _Model(
        "lognormal", ("mu", "sigma"), _ln_logf, _ln_logS, _ln_dlogf,
        lambda v: np.array([v[0], np.exp(v[1])]), _ln_start,
    ),
    "exponential": _Model(
        "exponential", ("lambda",), _ex_logf, _ex_logS, _ex_dlogf,
        lambda v: np.array([np.exp(v[0])]), _ex_start,
    ),
    "stretched_exponential": _Model(
        "stretched_exponential", ("beta", "c"), _se_logf, _se_logS, _se_dlogf,
        lambda v: np.array([np.exp(v[0]), np.exp(v[1])]), _se_start,
    ),
    "truncated_power_law": _Model(
        "truncated_power_law", ("alpha", "lambda"), _tpl_logf, _tpl_logS, _tpl_dlogf,
        lambda v: np.array([v[0], np.exp(v[1])]), _tpl_start,
    ),
}


def log_norm(model: _Model, theta: np.ndarray, q: float, discrete: bool) -> float:
    """log of sum_{k >= q} f(k) (discrete) or of the integral of f beyond q (continuous)."""
    if not discrete:
        return float(model.logS(np.array([q]), theta)[0])
    head = q + np.arange(_HEAD_TERMS, dtype=float)
    N = np.array([q + _HEAD_TERMS])
    lf_head = model.logf(head, theta)
    lfN = model.logf(N, theta)[0]
    corr = 0.5 - model.dlogf(N, theta)[0] / 12.0
    tail = model.logS(N, theta)[0]
    if corr > 0:
        tail = np.logaddexp(tail, lfN + np.log(corr))
    mx = lf_head.max()
    return float(np.logaddexp(mx + np.log(np.exp(lf_head - mx).sum()), tail))


def _model_loglik(model, theta, tail, q, discrete) -> np.ndarray:
    return model.logf(tail, theta) - log_norm(model, theta, q, discrete)


def model_log_sf(model: _Model, theta: np.ndarray, k: float, q: float, discrete: bool) -> float:
    """log P(X >= k | X >= q) under the model."""
    if k <= q:
        return 0.0
    return log_norm(model, theta, float(k), discrete) - log_norm(model, theta, q, discrete)


def _fit_exponential(tail: np.ndarray, q: float, discrete: bool) -> np.ndarray:
    """Closed form: the geometric rate (discrete) or the shifted exponential's."""
    m = float(tail.mean() - q)
    lam = np.log1p(1.0 / m) if discrete else 1.0 / m
    return np.array([lam if m > 0 else np.inf])


def _fit_numerically(model: _Model, tail: np.ndarray, q: float, discrete: bool,
                     start: np.ndarray | None = None) -> np.ndarray:
    """L-BFGS-B from each of the model's starting points and from ``start`` (on the
    optimiser's scale); the best optimum wins. The lognormal's likelihood has one
    optimum, so a warm ``start`` is its only start; the stretched exponential's can
    have several (a bootstrap from a warm start alone missed the best in some
    replicates), so it keeps its first own start too (which gave the same intervals as
    both, on the bundled data and on GTD Afghanistan 2012-2015). Returns the optimum on the
    optimiser's scale (``model.to_theta`` gives the parameters)."""
    vals, wts = np.unique(tail, return_counts=True)  # few distinct sizes: weight them

    def nll(v):
        theta = model.to_theta(v)
        if not np.all(np.isfinite(theta)):
            return 1e300
        with np.errstate(all="ignore"):
            ll = _model_loglik(model, theta, vals, q, discrete)
        s = -(wts * ll).sum()
        return s if np.isfinite(s) else 1e300

    best = None
    opts = {"ftol": 1e-12, "gtol": 1e-8, "maxiter": 500}
    starts = model.start(tail, q)
    if start is not None:  # a warm start replaces the model's own only where one optimum
        starts = [start] if model.name == "lognormal" else [start, starts[0]]
    for v0 in starts:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            r = optimize.minimize(nll, v0, method="L-BFGS-B", options=opts)
        if best is None or r.fun < best.fun:
            best = r
    return best.x


def fit_model(name: str, tail: np.ndarray, q: float, discrete: bool,
              start: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """MLE of an alternative on the tail; returns (parameters, per-point log-likelihoods).

    ``start``: the optimiser's starting point (see :func:`optimiser_start`), e.g. the fit
    to the original data for a bootstrap replicate; default: the model's own starts."""
    model = MODELS[name]
    if name == "exponential":
        theta = _fit_exponential(tail, q, discrete)
    else:
        theta = model.to_theta(_fit_numerically(model, tail, q, discrete, start))
    with np.errstate(all="ignore"):
        return theta, _model_loglik(model, theta, tail, q, discrete)


def optimiser_start(name: str, theta: np.ndarray) -> np.ndarray | None:
    """The optimiser's point for the parameters ``theta`` of an alternative (the inverse
    of ``to_theta``), to warm-start a fit; None where the fit is in closed form."""
    theta = np.asarray(theta, float)
    if name == "exponential" or not np.all(np.isfinite(theta)):
        return None
    if name == "lognormal":
        return np.array([theta[0], np.log(theta[1])])
    if name == "stretched_exponential":
        return np.log(theta)
    if name == "truncated_power_law":
        return np.array([theta[0], np.log(max(theta[1], 1e-300))])
    return None


def vuong(ll1: np.ndarray, ll2: np.ndarray, nested: bool) -> tuple[float, float, float]:
    """Vuong's test of model 1 against model 2: (R, normalised R, two-sided p)."""
    d = ll1 - ll2
    n = d.size
    R = float(d.sum())
    sd = float(d.std())
    norm_R = R / (sd * np.sqrt(n)) if sd > 0 else 0.0
    if nested:  # the alternative can only fit better: boundary mixture, 1/2 chi2(1)
        p = float(0.5 * stats.chi2.sf(2 * abs(R), 1)) if R < 0 else 1.0
    else:
        p = float(special.erfc(abs(R) / (sd * np.sqrt(2 * n)))) if sd > 0 else 1.0
    return R, norm_R, p


_COLUMNS = ["alternative", "nested", "params", "loglik_power_law", "loglik_alternative", "R",
            "normalized_R", "p", "preferred"]


def _comparison_row(name, theta, ll_pl, ll_alt, nested) -> dict:
    R, nR, p = vuong(ll_pl, ll_alt, nested)
    pref = "inconclusive" if p > 0.1 else ("power law" if R > 0 else name.replace("_", " "))
    params = zip(MODELS[name].params, theta, strict=True)
    return {
        "alternative": name, "nested": nested,
        "params": ", ".join(f"{k}={v:.4g}" for k, v in params),
        "loglik_power_law": float(ll_pl.sum()), "loglik_alternative": float(ll_alt.sum()),
        "R": R, "normalized_R": nR, "p": p, "preferred": pref,
    }


def compare(tail: np.ndarray, alpha: float, x_min: float, discrete: bool,
            names: Sequence[str]) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """Fit each alternative to the tail and test it against the power law.

    Returns the comparison table (one row per alternative) and the fitted parameters.
    """
    ll_pl = power_law_loglik(tail, alpha, x_min, discrete) if names else None
    rows, params = [], {}
    for name in names:
        theta, ll_alt = fit_model(name, tail, x_min, discrete)
        nested = name == "truncated_power_law"
        if nested and ll_alt.sum() < ll_pl.sum():  # optimiser stuck: lambda -> 0 is the PL
            theta, ll_alt = np.array([alpha, 0.0]), ll_pl.copy()
        params[name] = theta
        rows.append(_comparison_row(name, theta, ll_pl, ll_alt, nested))
    return pd.DataFrame(rows, columns=_COLUMNS), params
