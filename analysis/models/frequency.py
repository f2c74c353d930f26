"""Count models of attack frequency: :func:`fit_frequency` and :class:`FrequencyResult`.

Two model classes share one entry point:

* **log-linear regression** (``ar_lags=()``, the default): negative-binomial (NB2, the
  dispersion estimated by maximum likelihood with statsmodels' discrete
  ``NegativeBinomial``) or Poisson, with a trend, Fourier or dummy seasonality, regime
  steps at break dates, an exposure offset and extra regressors;
* **count autoregression** (``ar_lags`` and/or ``mean_lags``): the INGARCH / log-linear
  autoregressive models of tscount (Liboschik, Fokianos & Fried 2017), estimated the
  way tscount does: quasi-maximum likelihood with the Poisson score, the NB dispersion
  from the Pearson moment equation, and standard errors from the NB information.
"""

from __future__ import annotations

import dataclasses
import math
import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize, special, stats

from ..errors import InputError
from ..results import Result, get_axes

__all__ = [
    "FrequencyInputError",
    "FrequencyResult",
    "IrregularSeriesError",
    "fit_frequency",
]

PERIODS_PER_YEAR = {"D": 365.25, "W": 365.25 / 7, "MS": 12.0, "QS": 4.0, "YS": 1.0}


class FrequencyInputError(InputError):
    """The series or the arguments of :func:`fit_frequency` cannot be fitted."""


class IrregularSeriesError(FrequencyInputError):
    """The series index is not a regular DatetimeIndex."""


# ====================================================================== input checks
def _freq_key(index: pd.DatetimeIndex) -> str:
    f = index.freqstr or ""
    u = f.upper()
    if u == "D":
        return "D"
    if u.startswith("W"):
        return "W"
    if u in ("MS",):
        return "MS"
    if u.startswith("QS"):
        return "QS"
    if u.startswith("YS") or u.startswith("AS"):
        return "YS"
    raise IrregularSeriesError(
        f"series frequency {f!r} is not supported; use D, W, MS, QS or YS "
        "(analysis.incident_counts builds such series)"
    )


def _check_series(series) -> tuple[pd.Series, str]:
    if isinstance(series, pd.DataFrame):
        if series.shape[1] != 1:
            raise FrequencyInputError(
                "fit_frequency takes one count series; got a DataFrame with "
                f"{series.shape[1]} columns (select one, e.g. counts['ISKP'])"
            )
        series = series.iloc[:, 0]
    if not isinstance(series, pd.Series):
        raise FrequencyInputError(f"series must be a pandas Series of counts, not {type(series).__name__}")
    if not isinstance(series.index, pd.DatetimeIndex):
        raise IrregularSeriesError(
            "series must have a DatetimeIndex (build it with analysis.incident_counts)"
        )
    idx = series.index
    if not idx.is_monotonic_increasing or idx.has_duplicates:
        raise IrregularSeriesError("series index must be increasing without duplicate dates")
    if idx.freq is None:
        inferred = pd.DatetimeIndex(idx, freq="infer").freq if len(idx) >= 3 else None
        if inferred is None:
            raise IrregularSeriesError(
                "series index is irregular (uneven spacing or missing periods); build it with "
                "analysis.incident_counts, or regularise with series.asfreq('MS') and decide "
                "what the new periods hold"
            )
        series = series.copy()
        series.index = pd.DatetimeIndex(idx, freq=inferred)
    key = _freq_key(series.index)
    values = pd.to_numeric(series, errors="coerce").astype("Float64")
    n_na = int(values.isna().sum())
    if n_na:
        where = list(series.index[values.isna().to_numpy()][:5].strftime("%Y-%m-%d"))
        raise FrequencyInputError(
            f"series has {n_na} missing values (periods outside the data's coverage?), first at "
            f"{where}; fit a covered span (series.loc[start:end]) - missing periods are never "
            "dropped or filled silently"
        )
    y = values.to_numpy(dtype="float64")
    if np.any(y < 0):
        raise FrequencyInputError("counts must be non-negative")
    if np.any(np.abs(y - np.round(y)) > 1e-9):
        raise FrequencyInputError(
            "counts must be whole numbers (incident_counts(window='spread') gives fractional "
            "counts; use window='date' for modelling)"
        )
    if np.all(y == 0):
        raise FrequencyInputError("series is all zeros: there is nothing to model")
    out = pd.Series(np.round(y), index=series.index, name=series.name or "count")
    return out, key


def _season_phase(index: pd.DatetimeIndex, key: str) -> np.ndarray:
    """Position in the year in [0, 1): month-exact for MS and QS."""
    if key == "MS":
        return (index.month.to_numpy() - 1) / 12.0
    if key == "QS":
        return (index.quarter.to_numpy() - 1) / 4.0
    days_in_year = np.where(index.is_leap_year, 366.0, 365.0)
    return (index.day_of_year.to_numpy() - 1) / days_in_year


def _period_ends(index: pd.DatetimeIndex) -> pd.DatetimeIndex:
    return index + index.freq


def _break_regressor(index: pd.DatetimeIndex, when: pd.Timestamp) -> np.ndarray:
    """Share of each period on or after ``when`` (0 before, 1 after, a fraction inside)."""
    starts = index.to_numpy().astype("datetime64[s]").astype(np.int64)
    ends = _period_ends(index).to_numpy().astype("datetime64[s]").astype(np.int64)
    w = np.int64(pd.Timestamp(when).to_datetime64().astype("datetime64[s]").astype(np.int64))
    return np.clip((ends - w) / (ends - starts), 0.0, 1.0)


@dataclasses.dataclass(frozen=True)
class _Spec:
    """What is needed to rebuild the design for any dates (fit and forecast)."""

    key: str
    origin: pd.Timestamp
    trend: bool
    seasonal: str | None
    harmonics: int
    breaks: tuple[tuple[str, pd.Timestamp], ...]
    xreg_names: tuple[str, ...]
    link: str
    ar_lags: tuple[int, ...]
    mean_lags: tuple[int, ...]

    def design(self, index: pd.DatetimeIndex, xreg: pd.DataFrame | None = None) -> pd.DataFrame:
        cols: dict[str, np.ndarray] = {}
        n = len(index)
        if self.link == "log" or not (self.ar_lags or self.mean_lags):
            cols["const"] = np.ones(n)
        if self.trend:
            steps = _steps_between(self.origin, index, self.key)
            cols["trend"] = steps / PERIODS_PER_YEAR[self.key]
        if self.seasonal == "fourier":
            ph = _season_phase(index, self.key)
            per = {"MS": 12, "QS": 4}.get(self.key)
            for k in range(1, self.harmonics + 1):
                cols[f"cos{k}"] = np.cos(2 * np.pi * k * ph)
                if not (per is not None and 2 * k == per):
                    cols[f"sin{k}"] = np.sin(2 * np.pi * k * ph)
        elif self.seasonal == "dummies":
            if self.key == "MS":
                lab = index.month.to_numpy()
                names = [f"month_{m:02d}" for m in range(2, 13)]
                for m, nm in zip(range(2, 13), names, strict=True):
                    cols[nm] = (lab == m).astype(float)
            elif self.key == "QS":
                lab = index.quarter.to_numpy()
                for q in range(2, 5):
                    cols[f"quarter_{q}"] = (lab == q).astype(float)
            else:
                raise FrequencyInputError("seasonal='dummies' needs a monthly or quarterly series")
        for name, when in self.breaks:
            cols[name] = _break_regressor(index, when)
        if self.xreg_names:
            if xreg is None:
                raise FrequencyInputError(
                    f"the model has extra regressors {list(self.xreg_names)}; pass their values"
                )
            for c in self.xreg_names:
                cols[c] = np.asarray(xreg[c], dtype=float)
        return pd.DataFrame(cols, index=index)


def _steps_between(origin: pd.Timestamp, index: pd.DatetimeIndex, key: str) -> np.ndarray:
    if key == "MS":
        return ((index.year - origin.year) * 12 + index.month - origin.month).to_numpy(float)
    if key == "QS":
        return ((index.year - origin.year) * 4 + (index.month - origin.month) / 3).to_numpy(float)
    if key == "YS":
        return (index.year - origin.year).to_numpy(float)
    days = (index - origin).days.to_numpy(float)
    return days if key == "D" else days / 7.0


# ====================================================================== INGARCH engine
def _ingarch_recursion(theta, y, X, p_lags, q_lags, log_link, want_grad):
    """Linear predictor nu_t and d nu_t / d theta of the tscount recursion.

    theta = (intercept, b_1..b_p, a_1..a_q, eta_1..eta_r);
    nu_t = intercept + sum_k b_k z_{t-k} + sum_l a_l nu_{t-l} + eta' X_t,
    z = y (identity link) or log(1 + y) (log link); pre-sample nu and z are the
    stationary mean intercept / (1 - sum b - sum a) ("marginal" initialisation).
    """
    n = y.shape[0]
    p = p_lags.shape[0]
    q = q_lags.shape[0]
    r = X.shape[1]
    m = 1 + p + q + r
    pmax = 0 if p == 0 else p_lags.max()
    qmax = 0 if q == 0 else q_lags.max()
    b0 = theta[0]
    denom = 1.0 - theta[1 : 1 + p + q].sum()
    stat = b0 / denom
    z = np.empty(n + pmax)
    z[:pmax] = stat
    for t in range(n):
        z[pmax + t] = math.log1p(y[t]) if log_link else y[t]
    nu = np.empty(n + qmax)
    nu[:qmax] = stat
    d = np.zeros((n + qmax, m))
    if want_grad:
        for i in range(qmax):
            d[i, 0] = 1.0 / denom
            for j in range(1, 1 + p + q):
                d[i, j] = b0 / (denom * denom)
    for t in range(n):
        v = b0
        for k in range(p):
            v += theta[1 + k] * z[pmax + t - p_lags[k]]
        for k in range(q):
            v += theta[1 + p + k] * nu[qmax + t - q_lags[k]]
        for k in range(r):
            v += theta[1 + p + q + k] * X[t, k]
        nu[qmax + t] = v
        if want_grad:
            row = qmax + t
            d[row, 0] = 1.0
            for k in range(p):
                d[row, 1 + k] = z[pmax + t - p_lags[k]]
            for k in range(q):
                d[row, 1 + p + k] = nu[qmax + t - q_lags[k]]
            for k in range(r):
                d[row, 1 + p + q + k] = X[t, k]
            for k in range(p):
                if t - p_lags[k] < 0:  # pre-sample z is the stationary mean: it moves too
                    d[row, 0] += theta[1 + k] / denom
                    for j in range(1, 1 + p + q):
                        d[row, j] += theta[1 + k] * b0 / (denom * denom)
            for k in range(q):
                a = theta[1 + p + k]
                src = qmax + t - q_lags[k]
                for j in range(m):
                    d[row, j] += a * d[src, j]
    return nu[qmax:], d[qmax:]


_FAST: list = []


def _compiled():
    """numba-compiled recursion (fast for long daily series), compiled on first use;
    the plain Python function is the fallback."""
    if not _FAST:
        try:
            import numba

            _FAST.append(numba.njit(cache=True)(_ingarch_recursion))
        except Exception:  # pragma: no cover - numba missing or broken
            _FAST.append(_ingarch_recursion)
    return _FAST[0]


def _run_recursion(theta, y, X, p_lags, q_lags, log_link, want_grad=True):
    if y.shape[0] < 2000:  # short series: plain Python is quicker than compiling
        return _ingarch_recursion(theta, y, X, p_lags, q_lags, log_link, want_grad)
    try:
        return _compiled()(
            np.ascontiguousarray(theta, dtype=np.float64), y, X, p_lags, q_lags, log_link, want_grad
        )
    except Exception:  # pragma: no cover - numba typing problem: use Python
        return _ingarch_recursion(theta, y, X, p_lags, q_lags, log_link, want_grad)


def _fit_ingarch(y, X, p_lags, q_lags, link, family):
    """tscount-style fit. Returns theta, lambda, dlambda, sigmasq, llf, cov."""
    log_link = link == "log"
    p, q, r = len(p_lags), len(q_lags), X.shape[1]
    m = 1 + p + q + r
    pl = np.asarray(p_lags, dtype=np.int64)
    ql = np.asarray(q_lags, dtype=np.int64)
    eps = 1e-6

    def lam_of(theta, grad=True):
        nu, dnu = _run_recursion(theta, y, X, pl, ql, log_link, grad)
        if log_link:
            lam = np.exp(np.clip(nu, -30, 30))
            return lam, dnu * lam[:, None]
        return nu, dnu

    def negll(theta):
        if not log_link and theta[1 : 1 + p + q].sum() >= 1 - eps:
            return 1e10, np.zeros(m)  # outside the stationarity region
        with np.errstate(all="ignore"):
            lam, dlam = lam_of(theta)
        if np.any(lam <= 0) or not np.all(np.isfinite(lam)):
            return 1e10, np.zeros(m)
        ll = np.sum(y * np.log(lam) - lam)
        g = ((y / lam - 1.0)[:, None] * dlam).sum(axis=0)
        return -ll, -g

    ybar = max(y.mean(), 0.5)
    starts = []
    for dep in (0.3, 0.6, 0.1):
        th = np.zeros(m)
        if p + q:
            th[1 : 1 + p] = dep * 0.7 / max(p, 1) if p else 0
            th[1 + p : 1 + p + q] = dep * 0.3 / max(q, 1) if q else 0
            if p == 0:
                th[1 + p : 1 + p + q] = dep / q
        tot = th[1 : 1 + p + q].sum()
        th[0] = (np.log(ybar) if log_link else ybar) * (1 - tot)
        th[1 + p + q :] = 0.1 if not log_link else 0.0
        starts.append(th)
    if log_link:
        bounds = [(None, None)] + [(-1 + eps, 1 - eps)] * (p + q) + [(None, None)] * r
        cons = [
            {"type": "ineq", "fun": lambda th: 1 - eps - th[1 : 1 + p + q].sum()},
            {"type": "ineq", "fun": lambda th: 1 - eps + th[1 : 1 + p + q].sum()},
        ]
    else:
        bounds = [(eps, None)] + [(0.0, 1.0)] * (p + q) + [(0.0, None)] * r
        cons = [{"type": "ineq", "fun": lambda th: 1 - eps - th[1 : 1 + p + q].sum(),
                 "jac": lambda th: np.r_[0.0, -np.ones(p + q), np.zeros(r)]}]
    def feasible(th):
        return all(c["fun"](th) >= 0 for c in cons)

    best = None
    for th0 in starts:
        # bounds-only quasi-Newton first (fast, precise); the stationarity constraint is
        # rarely active, and SLSQP enforces it when it is
        res = optimize.minimize(negll, th0, jac=True, method="L-BFGS-B", bounds=bounds,
                                options={"maxiter": 1000, "ftol": 1e-14, "gtol": 1e-9})
        if not feasible(res.x):
            res = optimize.minimize(negll, th0, jac=True, method="SLSQP", bounds=bounds,
                                    constraints=cons, options={"maxiter": 300, "ftol": 1e-12})
        if feasible(res.x) and (best is None or res.fun < best.fun):
            best = res
    if best is None:
        raise FrequencyInputError("the count autoregression could not be fitted within the "
                                  "stationarity region; try fewer lags or link='log'")
    theta = _fisher_polish(best.x, lam_of, y, bounds, feasible)
    lam, dlam = lam_of(theta)
    n_eff = len(y)
    if family == "negbin":
        pearson0 = np.sum((y - lam) ** 2 / lam)
        target = n_eff - m
        if pearson0 <= target:
            sigmasq = 0.0
        else:
            f = lambda s2: np.sum((y - lam) ** 2 / (lam * (1 + s2 * lam))) - target  # noqa: E731
            hi = 1.0
            while f(hi) > 0 and hi < 1e8:
                hi *= 10
            sigmasq = optimize.brentq(f, 0.0, hi, xtol=1e-12)
    else:
        sigmasq = 0.0
    llf = _loglik(y, lam, sigmasq)
    # information: H = sum dlam dlam' / lam; score variance under NB2: (1/lam + s2) dlam dlam'
    H = (dlam / lam[:, None]).T @ dlam
    G = (dlam * (1.0 / lam + sigmasq)[:, None]).T @ dlam
    try:
        Hi = np.linalg.inv(H)
        cov = Hi @ G @ Hi
    except np.linalg.LinAlgError:
        cov = np.full((m, m), np.nan)
    return theta, lam, dlam, sigmasq, llf, cov, best


def _fisher_polish(theta, lam_of, y, bounds, feasible, max_iter=100):
    """Fisher-scoring steps from the optimiser's answer: the quasi-likelihood is flat
    along some directions, where quasi-Newton methods stop early."""

    def ql(th):
        with np.errstate(all="ignore"):
            lam, _ = lam_of(th)
        return float(np.sum(y * np.log(lam) - lam)) if np.all(lam > 0) else -np.inf

    lo = np.array([-np.inf if b[0] is None else b[0] for b in bounds])
    hi = np.array([np.inf if b[1] is None else b[1] for b in bounds])
    cur = ql(theta)
    for _ in range(max_iter):
        lam, dlam = lam_of(theta)
        score = ((y / lam - 1.0)[:, None] * dlam).sum(axis=0)
        info = (dlam / lam[:, None]).T @ dlam
        try:
            step = np.linalg.solve(info, score)
        except np.linalg.LinAlgError:
            break
        t = 1.0
        while t > 1e-6:
            cand = np.clip(theta + t * step, lo, hi)
            val = ql(cand)
            if feasible(cand) and val >= cur - 1e-12:
                break
            t /= 2
        else:
            break
        moved = np.max(np.abs(cand - theta))
        theta, cur = cand, max(val, cur)
        if moved < 1e-10:
            break
    return theta


def _loglik(y, mu, alpha):
    """NB2 (alpha > 0) or Poisson log-likelihood."""
    if alpha and alpha > 0:
        size = 1.0 / alpha
        return float(np.sum(
            special.gammaln(y + size) - special.gammaln(size) - special.gammaln(y + 1)
            + size * np.log(size / (size + mu)) + y * np.log(mu / (size + mu))
        ))
    return float(np.sum(y * np.log(mu) - mu - special.gammaln(y + 1)))


# ====================================================================== regression engine
def _fit_glm(y, X: pd.DataFrame, offset, family):
    """Poisson or NB2 regression with statsmodels' discrete models (alpha estimated)."""
    import statsmodels.api as sm
    from statsmodels.tools.sm_exceptions import ConvergenceWarning, HessianInversionWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.simplefilter("ignore", HessianInversionWarning)
        warnings.simplefilter("ignore", RuntimeWarning)
        pois = sm.Poisson(y, X, offset=offset).fit(method="newton", maxiter=200, disp=0)
        if family == "poisson":
            return pois, pois
        start = np.r_[pois.params.to_numpy(), 0.1]
        nb = fallback = None
        for method in ("newton", "bfgs", "nm"):
            try:
                cand = sm.NegativeBinomial(y, X, loglike_method="nb2", offset=offset).fit(
                    start_params=start, method=method, maxiter=2000 if method == "nm" else 300, disp=0
                )
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
        best = fallback if nb is None or (fallback is not None and fallback.llf > nb.llf + 1e-6) else nb
        if best is None:
            raise FrequencyInputError("the negative-binomial fit failed; try family='poisson'")
        if float(np.asarray(best.params)[-1]) < 1e-5 or (nb is None and best.llf <= pois.llf + 1e-6):
            # the NB2 likelihood is maximised at alpha = 0: the MLE is the Poisson fit
            return None, pois
        if nb is None:
            raise FrequencyInputError("the negative-binomial fit has no standard errors; try family='poisson'")
        nb = best if np.all(np.isfinite(best.bse[:-1])) else nb
    return nb, pois


# ====================================================================== the result
@dataclasses.dataclass(frozen=True, repr=False, eq=False)
class FrequencyResult(Result):
    r"""A fitted count model of attack frequency.

    Log-linear regression (``ar_lags=()``), for period :math:`t`:

    .. math::

        Y_t \mid \mu_t \sim \mathrm{NB2}(\mu_t, \alpha),\quad
        \operatorname{Var} Y_t = \mu_t + \alpha\mu_t^2,

        \log\mu_t = \log E_t + \beta_0 + \beta_1 \tau_t
            + \sum_{k=1}^{K} \big(\gamma_k \cos 2\pi k\,\phi_t + \delta_k \sin 2\pi k\,\phi_t\big)
            + \sum_j \eta_j\, s_j(t) + x_t'\zeta

    with :math:`E_t` the exposure, :math:`\tau_t` years since the first period,
    :math:`\phi_t` the position in the year (``(month - 1)/12`` for monthly series) and
    :math:`s_j(t)` the share of period :math:`t` on or after break date :math:`j`
    (0 before, 1 after). Poisson is :math:`\alpha = 0`. ``exp(beta)`` are
    incidence-rate ratios (IRR): per year for the trend, after/before for a regime.
    The seasonal amplitude of harmonic 1 is :math:`\sqrt{\gamma_1^2 + \delta_1^2}`
    on the log scale (peak/trough rate ratio ``exp(2 A)``).

    Count autoregression (``ar_lags``/``mean_lags``, tscount's ``tsglm``):

    .. math::

        g(\lambda_t) = \nu_t = \beta_0 + \sum_{k \in P} b_k\, \tilde Y_{t-k}
            + \sum_{l \in Q} a_l\, \nu_{t-l} + \eta' X_t

    with the identity link (:math:`\tilde Y = Y`, INGARCH) or the log link
    (:math:`\tilde Y = \log(1 + Y)`), :math:`Y_t \mid \mathcal F_{t-1}` Poisson or
    NB2 with :math:`\operatorname{Var} = \lambda_t + \sigma^2\lambda_t^2`. The
    coefficients maximise the Poisson quasi-likelihood; :math:`\sigma^2` (reported as
    ``alpha``) solves the Pearson equation
    :math:`\sum (Y_t-\lambda_t)^2 / (\lambda_t(1+\sigma^2\lambda_t)) = n - m`.

    Attributes
    ----------
    params, cov : Series, DataFrame
        Coefficients on the link scale and their covariance.
    alpha : float
        NB2 dispersion (0 for Poisson).
    fitted : DataFrame
        ``observed``, ``mean``, ``mean_low``/``mean_high`` (confidence interval of the
        mean, delta method), ``pi_low``/``pi_high`` (prediction interval of a count;
        parameter uncertainty included for regression models, conditional on the
        estimates for autoregressions), ``pearson`` residuals.
    tests : DataFrame
        Overdispersion (LR of alpha = 0 against Poisson, with the half-chi-square
        boundary correction; Cameron-Trivedi for Poisson fits), the LR test of the
        seasonal terms (refit without them; a quasi-LR for autoregressions), Ljung-Box on Pearson
        residuals (lag min(10, n/5) and one year): ``statistic``, ``df``, ``p_value``.

    Methods
    -------
    to_frame, irr, regime_effects, seasonality, summary, plot, forecast (alias predict).
    """

    title = "Count model of attack frequency"

    family: str
    link: str
    series: pd.Series
    design: pd.DataFrame
    params: pd.Series
    cov: pd.DataFrame
    alpha: float
    alpha_se: float
    llf: float
    llf_poisson: float
    nobs: int
    fitted: pd.DataFrame
    tests: pd.DataFrame
    spec: Any
    exposure: pd.Series | None
    conf_level: float
    notes: tuple[str, ...] = ()

    # ------------------------------------------------------------ derived tables
    @property
    def n_params(self) -> int:
        return len(self.params) + (1 if self.family == "negbin" else 0)

    @property
    def aic(self) -> float:
        return -2 * self.llf + 2 * self.n_params

    @property
    def bic(self) -> float:
        return -2 * self.llf + math.log(self.nobs) * self.n_params

    @property
    def _z(self) -> float:
        return float(stats.norm.ppf(0.5 + self.conf_level / 2))

    def _table(self) -> pd.DataFrame:
        """Coefficients: estimate, std_err, z, p_value, CI, and IRR with CI (log link)."""
        se = np.sqrt(np.clip(np.diag(self.cov.to_numpy()), 0, None))
        est = self.params.to_numpy()
        z = self._z
        with np.errstate(divide="ignore", invalid="ignore"):
            zs = est / se
        out = pd.DataFrame(
            {
                "estimate": est,
                "std_err": se,
                "z": zs,
                "p_value": 2 * stats.norm.sf(np.abs(zs)),
                "ci_low": est - z * se,
                "ci_high": est + z * se,
            },
            index=pd.Index(self.params.index, name="term"),
        )
        if self.link == "log":
            out["irr"] = np.exp(out["estimate"])
            out["irr_low"] = np.exp(out["ci_low"])
            out["irr_high"] = np.exp(out["ci_high"])
        if self.family == "negbin":
            a, s = self.alpha, self.alpha_se
            row = {"estimate": a, "std_err": s, "z": np.nan, "p_value": np.nan,
                   "ci_low": a * math.exp(-z * s / a) if a > 0 and np.isfinite(s) else np.nan,
                   "ci_high": a * math.exp(z * s / a) if a > 0 and np.isfinite(s) else np.nan}
            out.loc["alpha"] = pd.Series(row)
        return out

    def irr(self) -> pd.DataFrame:
        """Incidence-rate ratios with confidence intervals (log-linear models)."""
        if self.link != "log":
            raise FrequencyInputError("IRRs exist for log-link models only")
        t = self.to_frame().drop(index="alpha", errors="ignore")
        return t[["irr", "irr_low", "irr_high", "p_value"]]

    def regime_effects(self) -> pd.DataFrame:
        """One row per break: IRR after/before with CI and p-value (log link), or the
        additive effect (identity link)."""
        names = [nm for nm, _ in self.spec.breaks]
        t = self.to_frame().loc[names]
        cols = ["estimate", "ci_low", "ci_high", "p_value"]
        if self.link == "log":
            cols = ["irr", "irr_low", "irr_high", *cols]
        out = t[cols].copy()
        out.insert(0, "date", [w for _, w in self.spec.breaks])
        return out

    def seasonality(self) -> pd.DataFrame:
        """Amplitude (log scale, delta-method CI) and peak of each Fourier harmonic."""
        rows = []
        z = self._z
        for k in range(1, self.spec.harmonics + 1):
            c, s = f"cos{k}", f"sin{k}"
            if c not in self.params.index:
                continue
            bc = self.params[c]
            bs = self.params[s] if s in self.params.index else 0.0
            V = self.cov.loc[[c, s], [c, s]].to_numpy() if s in self.params.index else np.array(
                [[self.cov.loc[c, c], 0.0], [0.0, 0.0]])
            amp = math.hypot(bc, bs)
            g = np.array([bc, bs]) / amp if amp > 0 else np.zeros(2)
            se = float(np.sqrt(g @ V @ g))
            per = {"MS": 12.0, "QS": 4.0, "W": 365.25 / 7, "D": 365.25}[self.spec.key]
            peak = (math.atan2(bs, bc) / (2 * math.pi * k)) % (1.0 / k) * per
            rows.append({"harmonic": k, "amplitude": amp, "std_err": se,
                         "ci_low": max(amp - z * se, 0.0), "ci_high": amp + z * se,
                         "peak_to_trough_ratio": math.exp(2 * amp),
                         "peak_period": peak + (1 if self.spec.key in ("MS", "QS") else 0)})
        return pd.DataFrame(rows).set_index("harmonic") if rows else pd.DataFrame()

    def summary_lines(self) -> list[tuple[str, str]]:
        sp = self.spec
        lines = [
            ("Family", f"{self.family} ({self.link} link)"),
            ("Observations", f"{self.nobs} ({self.series.index[0]:%Y-%m-%d} to {self.series.index[-1]:%Y-%m-%d}, {sp.key})"),
            ("Log-likelihood", f"{self.llf:.2f}"),
            ("AIC / BIC", f"{self.aic:.1f} / {self.bic:.1f}"),
        ]
        if self.family == "negbin":
            lines.append(("Dispersion alpha", f"{self.alpha:.4g} (se {self.alpha_se:.3g})"))
        for name, row in self.tests.iterrows():
            lines.append((str(name), f"stat {row['statistic']:.2f}, df {row['df']:g}, p = {row['p_value']:.3g}"))
        if "trend" in self.params.index and self.link == "log":
            r = self.to_frame().loc["trend"]
            lines.append(("Trend IRR / year", f"{r['irr']:.3f} [{r['irr_low']:.3f}, {r['irr_high']:.3f}]"))
        if sp.breaks:
            for _, r in self.regime_effects().iterrows():
                if self.link == "log":
                    lines.append((f"Regime {r['date']:%Y-%m-%d} IRR", f"{r['irr']:.3f} [{r['irr_low']:.3f}, {r['irr_high']:.3f}]"))
        if sp.seasonal == "fourier" and sp.harmonics >= 1 and self.link == "log":
            s = self.seasonality().iloc[0]
            lines.append(("Seasonal amplitude", f"{s['amplitude']:.3f} [{s['ci_low']:.3f}, {s['ci_high']:.3f}], peak at period {s['peak_period']:.1f}"))
        for n in self.notes:
            lines.append(("Note", n))
        return lines

    def plot(self, ax=None):
        """Observed counts, fitted mean, prediction band and break dates."""
        ax = get_axes(ax, figsize=(9, 4))
        f = self.fitted
        ax.fill_between(f.index, f["pi_low"], f["pi_high"], alpha=0.2, step=None,
                        label=f"{self.conf_level:.0%} prediction interval")
        ax.plot(f.index, f["observed"], "o", ms=3, color="0.2", label="observed")
        ax.plot(f.index, f["mean"], lw=1.8, label="fitted mean")
        for _, when in self.spec.breaks:
            ax.axvline(when, ls="--", lw=1, color="0.4")
        ax.set_ylabel(str(self.series.name or "count"))
        ax.set_title(self.title)
        ax.legend(loc="best", frameon=False)
        return ax

    # ------------------------------------------------------------ prediction
    def forecast(
        self,
        horizon: int | pd.DatetimeIndex,
        *,
        exposure=None,
        xreg: pd.DataFrame | None = None,
        level: float = 0.9,
        n_sims: int = 2000,
        parameter_uncertainty: bool = True,
        seed: int = 0,
    ) -> pd.DataFrame:
        """Predictive distribution of future counts.

        Parameters
        ----------
        horizon : int or DatetimeIndex
            Number of periods after the last observation, or the future periods.
        exposure : array-like, optional
            Future exposure (needed when the model has one; default: the last value).
        xreg : DataFrame, optional
            Future values of extra regressors.
        level : float
            Coverage of the ``lower``/``upper`` predictive interval.
        n_sims : int
            Simulated paths (used for the interval and, for autoregressive models, the
            mean).
        parameter_uncertainty : bool
            Draw the coefficients from their asymptotic normal distribution per path.
        seed : int
            Seed of the simulation.

        Returns
        -------
        DataFrame
            Indexed by the future periods: ``mean`` (plug-in predictive mean; for
            autoregressive models the mean of the simulated paths), ``alpha`` (NB2
            dispersion of the one-step conditional distribution, so that
            ``Var = mean + alpha * mean**2`` for regression models), ``lower``,
            ``upper``. ``attrs["samples"]`` holds the simulated counts
            (``n_sims`` x horizon) for sample-based scores (CRPS, PIT).
        """
        idx = self._future_index(horizon)
        h = len(idx)
        rng = np.random.default_rng(seed)
        sp = self.spec
        X = sp.design(idx, xreg)
        beta = self.params.to_numpy()
        draws = (
            rng.multivariate_normal(beta, self.cov.to_numpy(), size=n_sims, method="svd")
            if parameter_uncertainty and np.all(np.isfinite(self.cov.to_numpy()))
            else np.tile(beta, (n_sims, 1))
        )
        off = np.zeros(h)
        if self.exposure is not None:
            e = np.full(h, float(self.exposure.iloc[-1])) if exposure is None else np.asarray(exposure, float)
            off = np.log(e)
        a = self.alpha
        if not (sp.ar_lags or sp.mean_lags):
            eta = draws @ X.to_numpy().T + off
            mu_paths = np.exp(np.clip(eta, -30, 30))
            mean = np.exp(X.to_numpy() @ beta + off)
            samples = _draw_counts(rng, mu_paths, a)
        else:
            samples, mu_paths = self._simulate_ar(draws, X.to_numpy(), h, rng)
            mean = mu_paths.mean(axis=0)
        lo, hi = np.quantile(samples, [(1 - level) / 2, (1 + level) / 2], axis=0)
        out = pd.DataFrame({"mean": mean, "alpha": a, "lower": lo, "upper": hi}, index=idx)
        out.attrs["samples"] = samples
        return out

    predict = forecast

    def _future_index(self, horizon) -> pd.DatetimeIndex:
        last = self.series.index[-1]
        freq = self.series.index.freq
        if isinstance(horizon, pd.DatetimeIndex):
            if len(horizon) == 0 or horizon[0] <= last:
                raise FrequencyInputError("forecast dates must lie after the last observation")
            return pd.DatetimeIndex(horizon, freq=freq)
        if int(horizon) < 1:
            raise FrequencyInputError("horizon must be at least 1 period")
        return pd.date_range(last + freq, periods=int(horizon), freq=freq)

    def _simulate_ar(self, draws, Xf, h, rng):
        sp = self.spec
        y = self.series.to_numpy(float)
        X_hist = self.design.drop(columns=["const"], errors="ignore").to_numpy()
        Xf = Xf[:, [i for i, c in enumerate(self.design.columns) if c != "const"]] if "const" in self.design.columns else Xf
        log_link = sp.link == "log"
        p, q = len(sp.ar_lags), len(sp.mean_lags)
        n_sims = draws.shape[0]
        pl = np.asarray(sp.ar_lags, np.int64)
        ql = np.asarray(sp.mean_lags, np.int64)
        samples = np.empty((n_sims, h))
        mus = np.empty((n_sims, h))
        for i in range(n_sims):
            th = draws[i]
            if not log_link:
                th = np.clip(th, 0, None)
                s = th[1 : 1 + p + q].sum()
                if s >= 1:
                    th[1 : 1 + p + q] *= 0.999 / s
            nu, _ = _run_recursion(th, y, X_hist, pl, ql, log_link, False)
            ys = list(y)
            nus = list(nu)
            for t in range(h):
                v = th[0]
                for k in range(p):
                    yy = ys[len(ys) - pl[k]]
                    v += th[1 + k] * (math.log1p(yy) if log_link else yy)
                for k in range(q):
                    v += th[1 + p + k] * nus[len(nus) - ql[k]]
                v += float(th[1 + p + q :] @ Xf[t]) if Xf.shape[1] else 0.0
                lam = math.exp(min(v, 30)) if log_link else max(v, 1e-10)
                draw = _draw_counts(rng, np.array([lam]), self.alpha)[0]
                ys.append(draw)
                nus.append(v)
                samples[i, t] = draw
                mus[i, t] = lam
        return samples, mus


def _draw_counts(rng, mu, alpha):
    if alpha and alpha > 0:
        size = 1.0 / alpha
        return rng.poisson(rng.gamma(size, mu / size))
    return rng.poisson(mu)


# ====================================================================== entry point
def fit_frequency(
    series: pd.Series,
    *,
    trend: bool = True,
    seasonal: str | None = "fourier",
    harmonics: int = 2,
    breaks: Sequence | Mapping = (),
    family: str = "negbin",
    exposure=None,
    ar_lags: Sequence[int] = (),
    mean_lags: Sequence[int] = (),
    link: str | None = None,
    xreg: pd.DataFrame | None = None,
    conf_level: float = 0.95,
    seed: int = 0,
) -> FrequencyResult:
    """Fit a count model of attack frequency to a regular count series.

    Parameters
    ----------
    series : Series
        Counts on a regular DatetimeIndex (D, W, MS, QS or YS), as returned by
        :func:`analysis.incident_counts`, without NA.
    trend : bool
        Log-linear trend in years since the first period (IRR per year).
    seasonal : {"fourier", "dummies", None}
        Annual seasonality: Fourier terms (``harmonics`` pairs) or month/quarter
        dummies.
    harmonics : int
        Number of Fourier pairs (1 = annual; 2 adds the semi-annual cycle).
    breaks : sequence of dates, or mapping name -> date
        Regime steps, e.g. ``["2021-08-15"]``. The regressor is the share of each period
        on or after the date, so a break inside a month counts for part of it.
    family : {"negbin", "poisson"}
        NB2 with the dispersion estimated (statsmodels' discrete ``NegativeBinomial``,
        not the GLM family with a fixed alpha), or Poisson.
    exposure : Series or array, optional
        Positive exposure per period (e.g. days observed); enters as ``log`` offset.
    ar_lags : sequence of int
        Lags of past counts (INGARCH ``past_obs``), e.g. ``(1,)``.
    mean_lags : sequence of int
        Lags of the past linear predictor (INGARCH ``past_mean``), e.g. ``(13,)``.
    link : {"log", "identity"}, optional
        Default "log". "identity" (the classical INGARCH) needs ``ar_lags``/
        ``mean_lags`` and non-negative regressors (no Fourier terms).
    xreg : DataFrame, optional
        Extra regressors aligned with ``series`` (e.g. a spike dummy).
    conf_level : float
        Level of the confidence and prediction intervals.
    seed : int
        Seed of the simulation behind the prediction intervals.

    Returns
    -------
    FrequencyResult

    Raises
    ------
    FrequencyInputError, IrregularSeriesError
        Not a regular count series; NA; negative, fractional or all-zero counts; too
        short for the number of parameters; unknown options; breaks outside the series.

    Examples
    --------
    >>> df = analysis.simulate_incidents(seed=1)
    >>> y = analysis.incident_counts(df, "MS")
    >>> res = analysis.fit_frequency(y, breaks=["2021-08-15"])      # doctest: +SKIP
    >>> res.regime_effects()                                        # doctest: +SKIP
    """
    y_s, key = _check_series(series)
    idx = y_s.index
    y = y_s.to_numpy()
    n = len(y)
    notes: list[str] = []
    if family not in ("negbin", "poisson"):
        raise FrequencyInputError(f"family must be 'negbin' or 'poisson', not {family!r}")
    if seasonal is False:
        seasonal = None
    if seasonal not in (None, "fourier", "dummies"):
        raise FrequencyInputError(f"seasonal must be 'fourier', 'dummies' or None, not {seasonal!r}")
    ar_lags = tuple(sorted({int(k) for k in ar_lags}))
    mean_lags = tuple(sorted({int(k) for k in mean_lags}))
    if any(k < 1 for k in ar_lags + mean_lags):
        raise FrequencyInputError("ar_lags and mean_lags must be positive integers")
    autoreg = bool(ar_lags or mean_lags)
    link = link or "log"
    if link not in ("log", "identity"):
        raise FrequencyInputError("link must be 'log' or 'identity'")
    if link == "identity" and not autoreg:
        raise FrequencyInputError("link='identity' is for INGARCH models; give ar_lags/mean_lags")
    if seasonal and key == "YS":
        raise FrequencyInputError("a yearly series has no seasonality: use seasonal=None")
    if seasonal == "fourier":
        max_h = {"MS": 6, "QS": 2, "W": 26, "D": 182}[key]
        if not 1 <= int(harmonics) <= max_h:
            raise FrequencyInputError(f"harmonics must be between 1 and {max_h} for a {key} series")
        if link == "identity":
            raise FrequencyInputError(
                "the identity link needs non-negative regressors; Fourier terms are negative "
                "half the time: use link='log' (the log-linear count autoregression)"
            )
    harmonics = int(harmonics) if seasonal == "fourier" else 0
    per_year = PERIODS_PER_YEAR[key]

    # breaks
    if isinstance(breaks, Mapping):
        items = [(str(k), pd.Timestamp(v)) for k, v in breaks.items()]
    else:
        items = [(None, pd.Timestamp(b)) for b in ([breaks] if isinstance(breaks, (str, pd.Timestamp)) else breaks)]
    br: list[tuple[str, pd.Timestamp]] = []
    for name, when in sorted(items, key=lambda kv: kv[1]):
        if not (idx[0] < when <= idx[-1] + idx.freq - pd.Timedelta(days=1)) or when >= idx[-1] + idx.freq:
            raise FrequencyInputError(
                f"break {when.date()} is outside the series ({idx[0].date()} to {idx[-1].date()}); "
                "a regime needs data on both sides"
            )
        br.append((name or f"regime {when:%Y-%m-%d}", when))

    xreg_df = None
    if xreg is not None:
        xreg_df = pd.DataFrame(xreg).copy()
        if len(xreg_df) != n:
            raise FrequencyInputError(f"xreg has {len(xreg_df)} rows, the series {n}")
        xreg_df.index = idx
        if xreg_df.isna().any().any():
            raise FrequencyInputError("xreg has missing values")

    spec = _Spec(key=key, origin=idx[0], trend=bool(trend), seasonal=seasonal, harmonics=harmonics,
                 breaks=tuple(br), xreg_names=tuple(map(str, xreg_df.columns)) if xreg_df is not None else (),
                 link=link, ar_lags=ar_lags, mean_lags=mean_lags)
    X = spec.design(idx, xreg_df)
    for name, _ in br:
        col = X[name]
        if col.sum() < 1 or (1 - col).sum() < 1:
            raise FrequencyInputError(f"{name}: less than one period on one side of the break")

    offset = np.zeros(n)
    exp_s = None
    if exposure is not None:
        e = np.asarray(exposure, dtype=float)
        if e.shape != (n,) or np.any(~np.isfinite(e)) or np.any(e <= 0):
            raise FrequencyInputError("exposure must be positive and finite, one value per period")
        if autoreg:
            raise FrequencyInputError("exposure is not supported with ar_lags/mean_lags; add it to xreg")
        offset = np.log(e)
        exp_s = pd.Series(e, index=idx, name="exposure")

    k = X.shape[1] + len(ar_lags) + len(mean_lags) + (1 if family == "negbin" else 0)
    if n < k + 5:
        raise FrequencyInputError(
            f"series too short: {n} periods for {k} parameters (need at least {k + 5}); "
            "use fewer terms (trend=False, seasonal=None, fewer harmonics) or more data"
        )
    if seasonal and n < 2 * per_year:
        notes.append("fewer than two years of data: seasonal estimates are weak")
        warnings.warn(
            f"series covers {n} periods, fewer than two years: seasonal terms are poorly "
            "identified (consider seasonal=None)", UserWarning, stacklevel=2)
    if autoreg and n <= max(ar_lags + mean_lags) + 5:
        raise FrequencyInputError("series too short for the requested lags")
    if np.count_nonzero(y) < 3:
        raise FrequencyInputError("series has fewer than 3 non-zero counts: too little to fit a model")
    for c in X.columns:
        if c != "const" and np.ptp(X[c].to_numpy()) == 0:
            raise FrequencyInputError(f"regressor {c!r} is constant over the series; drop it")

    rng = np.random.default_rng(seed)
    tests = []
    if not autoreg:
        res, pois = _fit_glm(y, X, offset, family)
        boundary = family == "negbin" and res is None
        if boundary:
            res = pois
            notes.append("alpha estimated at 0 (no overdispersion): the NB2 MLE is the Poisson fit")
        names = list(X.columns)
        params = pd.Series(np.asarray(res.params)[: len(names)], index=names)
        cov = pd.DataFrame(np.asarray(res.cov_params())[: len(names), : len(names)], index=names, columns=names)
        if family == "negbin" and not boundary:
            alpha = float(np.asarray(res.params)[-1])
            alpha_se = float(np.asarray(res.bse)[-1])
        else:
            alpha, alpha_se = 0.0, float("nan")
        llf = float(res.llf)
        llf_pois = float(pois.llf)
        mu = np.exp(X.to_numpy() @ params.to_numpy() + offset)
        if family == "negbin":
            lr = max(2 * (llf - llf_pois), 0.0)
            tests.append(("Overdispersion (LR, alpha = 0)", lr, 1, 0.5 * stats.chi2.sf(lr, 1) if lr > 0 else 1.0))
        else:
            # Cameron-Trivedi regression test of Var = mu + alpha mu^2
            aux = ((y - mu) ** 2 - y) / mu
            tstat = float(np.sum(aux * mu) / np.sqrt(np.sum(mu**2)) / np.sqrt(np.mean((aux - aux.mean()) ** 2)))
            tests.append(("Overdispersion (Cameron-Trivedi)", tstat, 1, float(stats.norm.sf(tstat))))
        seas_cols = [c for c in names if c.startswith(("cos", "sin", "month_", "quarter_"))]
        if seas_cols:
            red = X.drop(columns=seas_cols)
            res_r, pois_r = _fit_glm(y, red, offset, family)
            lr = max(2 * (llf - float((res_r or pois_r).llf)), 0.0)
            tests.append(("Seasonality (LR)", lr, len(seas_cols), float(stats.chi2.sf(lr, len(seas_cols)))))
        lin_se = np.sqrt(np.einsum("ij,jk,ik->i", X.to_numpy(), cov.to_numpy(), X.to_numpy()))
        eta = X.to_numpy() @ params.to_numpy() + offset
        zq = stats.norm.ppf(0.5 + conf_level / 2)
        mean_low, mean_high = np.exp(eta - zq * lin_se), np.exp(eta + zq * lin_se)
        draws = rng.multivariate_normal(params.to_numpy(), cov.to_numpy(), size=1000, method="svd")
        mu_draws = np.exp(np.clip(draws @ X.to_numpy().T + offset, -30, 30))
        sims = _draw_counts(rng, mu_draws, alpha)
    else:
        Xr = X.drop(columns=["const"], errors="ignore")
        if link == "identity" and np.any(Xr.to_numpy() < 0):
            raise FrequencyInputError("the identity link needs non-negative regressors")
        theta, mu, dmu, alpha, llf, cov_m, opt = _fit_ingarch(
            y, np.ascontiguousarray(Xr.to_numpy(), dtype=float), ar_lags, mean_lags, link, family
        )
        if not opt.success:
            notes.append(f"optimiser: {opt.message}")
        names = (["intercept"] + [f"ar{k}" for k in ar_lags] + [f"mean_lag{k}" for k in mean_lags]
                 + list(Xr.columns))
        params = pd.Series(theta, index=names)
        cov = pd.DataFrame(cov_m, index=names, columns=names)
        alpha_se = float("nan")
        llf_pois = _loglik(y, mu, 0.0)
        if family == "negbin":
            lr = max(2 * (llf - llf_pois), 0.0)
            tests.append(("Overdispersion (LR, sigma^2 = 0)", lr, 1, 0.5 * stats.chi2.sf(lr, 1) if lr > 0 else 1.0))
        seas_cols = [c for c in Xr.columns if c.startswith(("cos", "sin", "month_", "quarter_"))]
        if seas_cols:
            # quasi-LR: the NB log-likelihoods at the QMLE with and without the seasonal terms
            red = np.ascontiguousarray(Xr.drop(columns=seas_cols).to_numpy(), dtype=float)
            llf_r = _fit_ingarch(y, red, ar_lags, mean_lags, link, family)[4]
            lr = max(2 * (llf - llf_r), 0.0)
            tests.append(("Seasonality (quasi-LR)", lr, len(seas_cols), float(stats.chi2.sf(lr, len(seas_cols)))))
        # confidence interval of the conditional mean by the delta method
        zq = stats.norm.ppf(0.5 + conf_level / 2)
        with np.errstate(invalid="ignore"):
            se_mu = np.sqrt(np.einsum("ij,jk,ik->i", dmu, cov_m, dmu))
        if link == "log":
            se_nu = se_mu / mu
            mean_low, mean_high = mu * np.exp(-zq * se_nu), mu * np.exp(zq * se_nu)
        else:
            mean_low, mean_high = np.clip(mu - zq * se_mu, 0, None), mu + zq * se_mu
        sims = _draw_counts(rng, np.tile(mu, (1000, 1)), alpha)
    pearson = (y - mu) / np.sqrt(mu + alpha * mu**2)
    lags = [lag for lag in sorted({min(10, n // 5), round(per_year) if per_year < n / 3 else 0}) if lag > 0]
    if lags:
        from statsmodels.stats.diagnostic import acorr_ljungbox

        lb = acorr_ljungbox(pearson, lags=lags, return_df=True)
        for lag, row in lb.iterrows():
            tests.append((f"Ljung-Box (lag {lag}, Pearson)", float(row["lb_stat"]), int(lag), float(row["lb_pvalue"])))
    lo_q, hi_q = np.quantile(sims, [(1 - conf_level) / 2, (1 + conf_level) / 2], axis=0)
    fitted = pd.DataFrame(
        {"observed": y, "mean": mu, "mean_low": mean_low, "mean_high": mean_high,
         "pi_low": lo_q, "pi_high": hi_q, "pearson": pearson},
        index=idx,
    )
    tests_df = pd.DataFrame(tests, columns=["test", "statistic", "df", "p_value"]).set_index("test")
    return FrequencyResult(
        family=family, link=link, series=y_s, design=X, params=params, cov=cov,
        alpha=float(alpha), alpha_se=alpha_se, llf=float(llf), llf_poisson=float(llf_pois), nobs=n,
        fitted=fitted, tests=tests_df, spec=spec, exposure=exp_s, conf_level=conf_level,
        notes=tuple(notes),
    )
