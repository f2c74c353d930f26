"""Heavy tails of attack severity: the power-law fit of Clauset, Shalizi & Newman (2009),
its bootstrap goodness-of-fit test, likelihood-ratio tests against other tails, and the
large-event probability of Clauset & Woodard (2013).

>>> import analysis
>>> res = analysis.fit_severity(df["killed_best"].dropna(), n_boot=1000, seed=1)  # doctest: +SKIP
>>> res.summary(); res.plot()                                                   # doctest: +SKIP
>>> analysis.large_event_probability(deaths, 2749, n_boot=1000, seed=1)         # doctest: +SKIP

Method
------
**Power law.** Above a threshold :math:`x_{\\min}` the sizes follow

.. math::
    p(x) = \\frac{x^{-\\alpha}}{\\zeta(\\alpha, x_{\\min})}, \\qquad x = x_{\\min}, x_{\\min}+1, \\dots

(discrete, the default for counts; :math:`\\zeta(\\alpha, q) = \\sum_{k\\ge 0}(k+q)^{-\\alpha}` is
the Hurwitz zeta function) or :math:`p(x) = (\\alpha-1)x_{\\min}^{\\alpha-1}x^{-\\alpha}` for
continuous data. For every candidate :math:`x_{\\min}` (each distinct observed value except
the largest) :math:`\\alpha` is the exact maximum-likelihood estimate (for discrete data the
root of :math:`\\overline{\\log x} = -\\partial_\\alpha \\log\\zeta(\\alpha, x_{\\min})`, found by a
vectorised safeguarded Newton iteration over all candidates at once); :math:`x_{\\min}` is
the candidate whose fit has the smallest Kolmogorov–Smirnov distance
:math:`D = \\sup_x |S_{\\rm data}(x) - S_{\\rm fit}(x)|` over the tail (for discrete data the
supremum runs over every integer :math:`\\ge x_{\\min}`, as in CSN's reference code).

**Goodness of fit** (CSN section 4.1): the semi-parametric bootstrap. Each synthetic
data set has :math:`n` values; each is, with probability :math:`n_{\\rm tail}/n`, drawn from the
fitted power law (discrete: exact inverse-CDF sampling on the Hurwitz-zeta CCDF, see
:func:`sample_power_law`) and otherwise resampled from the observed values below
:math:`x_{\\min}`. The whole fit (:math:`x_{\\min}` and :math:`\\alpha`) is repeated on each and
:math:`p` is the share of synthetic :math:`D` at least as large as the observed one.

**Alternatives** (fitted by maximum likelihood to the same tail :math:`x \\ge x_{\\min}`):
lognormal, exponential, power law with exponential cutoff ("truncated_power_law",
:math:`f \\propto x^{-\\alpha}e^{-\\lambda x}`) and stretched exponential (Weibull,
:math:`f \\propto x^{\\beta-1}e^{-c x^\\beta}` with :math:`c = \\lambda^\\beta`, the
parameterisation that stays well conditioned as :math:`\\beta \\to 0`). The exponential's
discrete version is the geometric distribution, fitted in closed form. For discrete data each is the *discrete
version* of the continuous density: :math:`p(k) = f(k) / \\sum_{j \\ge x_{\\min}} f(j)` on the
integers, the same construction as the discrete power law (so the cutoff model nests the
power law at :math:`\\lambda = 0`). The normalising sum is computed exactly for the first 100
terms and by Euler–Maclaurin (integral + two correction terms) beyond. Comparisons use
Vuong's test: :math:`\\mathcal R = \\sum_i (\\ell^{\\rm PL}_i - \\ell^{\\rm alt}_i)`, the normalised ratio
:math:`\\mathcal R / (\\sigma\\sqrt n)` and the two-sided p-value
:math:`\\operatorname{erfc}(|\\mathcal R| / \\sigma\\sqrt{2n})`; for the nested cutoff model the
p-value is the likelihood-ratio :math:`\\chi^2_1` one, as in CSN. Positive :math:`\\mathcal R`
favours the power law.

**Large-event probability** (Clauset & Woodard 2013): the probability that among
:math:`n` events at least one has size :math:`\\ge s` is :math:`1 - (1 - \\hat p)^n` with
:math:`\\hat p = \\Pr(X \\ge s)` from the fitted tail model (scaled by the tail share
:math:`n_{\\rm tail}/n`); its uncertainty comes from a non-parametric bootstrap of the events
in which :math:`x_{\\min}` and every tail model are re-estimated.
"""

from __future__ import annotations

import contextlib
import dataclasses
import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize, special, stats

from .._threads import single_threaded_blas
from ..errors import EstimationWarning, InputError
from ..results import Result, get_axes

__all__ = [
    "ALTERNATIVES",
    "LargeEventResult",
    "SeverityInputError",
    "SeverityResult",
    "UnreliableFitWarning",
    "fit_severity",
    "large_event_probability",
    "power_law_pmf",
    "power_law_sf",
    "sample_power_law",
]

#: Tail models that :func:`fit_severity` can compare with the power law.
ALTERNATIVES = ("lognormal", "exponential", "truncated_power_law", "stretched_exponential")
#: Fewer tail points than this and the fit is flagged as unreliable (CSN recommend ~50+).
MIN_RELIABLE_TAIL = 50
_HEAD_TERMS = 100  # exact terms of the discrete normalising sums before Euler-Maclaurin


class SeverityInputError(InputError):
    """The sizes cannot be fitted as given (empty, NA, negative, fractional, constant ...)."""


class UnreliableFitWarning(EstimationWarning):
    """The tail has too few points (or too few distinct values) for a trustworthy fit."""


# ====================================================================== input checks
def _as_sizes(x: Any, discrete: bool, what: str = "x") -> np.ndarray:
    """Validated float array of event sizes (non-negative; integers when discrete)."""
    if isinstance(x, pd.DataFrame):
        raise SeverityInputError(
            f"{what} must be one column of sizes, not a DataFrame; pass e.g. df['killed_best']."
        )
    if isinstance(x, pd.Series):
        if x.isna().any():
            raise SeverityInputError(
                f"{what} has {int(x.isna().sum())} missing values (NA). Missing casualty counts "
                "are unknown, not zero: drop them explicitly (x.dropna()) or analyse the "
                "killed_low / killed_high columns to see how much they matter."
            )
        try:
            arr = x.to_numpy(dtype=float)
        except (TypeError, ValueError) as exc:
            raise SeverityInputError(f"{what} must be numeric ({exc}).") from None
    else:
        try:
            arr = np.asarray(x, dtype=float)
        except (TypeError, ValueError) as exc:
            raise SeverityInputError(f"{what} must be numeric ({exc}).") from None
    arr = np.ravel(arr)
    if arr.size == 0:
        raise SeverityInputError(f"{what} is empty: there are no event sizes to fit.")
    if np.isnan(arr).any():
        raise SeverityInputError(
            f"{what} has {int(np.isnan(arr).sum())} missing values (NaN). Drop them explicitly "
            "or use the low/high casualty columns."
        )
    if not np.isfinite(arr).all():
        raise SeverityInputError(f"{what} contains infinite values.")
    if (arr < 0).any():
        raise SeverityInputError(
            f"{what} has {int((arr < 0).sum())} negative values (smallest {arr.min():g}); "
            "event sizes are counts of people and must be >= 0."
        )
    if discrete and not np.all(arr == np.round(arr)):
        raise SeverityInputError(
            f"{what} has non-integer values but discrete=True; counts must be whole numbers. "
            "Pass discrete=False for continuous sizes."
        )
    if not (arr > 0).any():
        raise SeverityInputError(
            f"{what} is all zeros: a power law needs positive sizes (e.g. attacks with at "
            "least one death)."
        )
    pos = arr[arr > 0]
    lo, hi = pos.min(), pos.max()
    if lo == hi or not ((pos > lo) & (pos < hi)).any():  # fewer than 3 distinct values
        raise SeverityInputError(
            f"{what} has fewer than three distinct positive values "
            f"({np.unique(pos).tolist()}); no tail can be fitted to (nearly) equal values."
        )
    return arr


# ====================================================================== power law
def _log_zeta(a: np.ndarray, q: np.ndarray) -> np.ndarray:
    return np.log(special.zeta(a, q))


def _mle_alpha_discrete(
    n: np.ndarray, sumlog: np.ndarray, q: np.ndarray, *, tol: float = 1e-11, maxiter: int = 200
) -> tuple[np.ndarray, np.ndarray]:
    """Exact discrete MLE of alpha for many (n, sum log x, x_min) at once.

    Solves mean(log x) + d/da log zeta(a, q) = 0 by Newton steps safeguarded by bisection
    (the log-likelihood is concave in a). Derivatives of log zeta are central differences
    (step 1e-4: error ~1e-9 in the score). Returns (alpha, Fisher information per point =
    Var_alpha(log X)).
    """
    n = np.asarray(n, float)
    q = np.asarray(q, float)
    m = np.asarray(sumlog, float) / n
    denom = m - np.log(np.maximum(q - 0.5, 0.5))
    a = 1.0 + 1.0 / np.maximum(denom, 1e-6)
    a = np.clip(a, 1.05, 40.0)
    lo = np.full_like(a, 1.0 + 1e-10)
    hi = np.full_like(a, 60.0)
    h = 1e-4
    g2 = np.ones_like(a)
    act = np.arange(a.size)  # candidates still iterating
    for _ in range(maxiter):
        aa, qq = a[act], q[act]
        lm, l0, lp = _log_zeta(aa - h, qq), _log_zeta(aa, qq), _log_zeta(aa + h, qq)
        g = (lp - lm) / (2 * h)
        gg = np.maximum((lp - 2 * l0 + lm) / h**2, 1e-12)
        g2[act] = gg
        score = -m[act] - g  # decreasing in a
        lo[act] = np.where(score > 0, aa, lo[act])
        hi[act] = np.where(score <= 0, aa, hi[act])
        new = aa + score / gg
        bad = ~np.isfinite(new) | (new <= lo[act]) | (new >= hi[act])
        new = np.where(bad, 0.5 * (lo[act] + hi[act]), new)
        a[act] = new
        act = act[np.abs(new - aa) >= tol]
        if act.size == 0:
            break
    return a, g2


def _mle_alpha_continuous(n: np.ndarray, sumlog: np.ndarray, q: np.ndarray) -> np.ndarray:
    return 1.0 + np.asarray(n, float) / (np.asarray(sumlog, float) - n * np.log(q))


def power_law_sf(k: Any, alpha: float, xmin: float, discrete: bool = True) -> np.ndarray:
    """P(X >= k | X >= x_min) of the fitted power law (0-dimensional input gives a 0-d array).

    Discrete: :math:`\\zeta(\\alpha, k)/\\zeta(\\alpha, x_{\\min})`; continuous:
    :math:`(k/x_{\\min})^{1-\\alpha}`. Values below ``xmin`` give 1.
    """
    k = np.maximum(np.asarray(k, float), xmin)
    if discrete:
        return special.zeta(alpha, k) / special.zeta(alpha, xmin)
    return (k / xmin) ** (1.0 - alpha)


def power_law_pmf(k: Any, alpha: float, xmin: int) -> np.ndarray:
    """Exact discrete power-law pmf :math:`k^{-\\alpha}/\\zeta(\\alpha, x_{\\min})` (0 below x_min)."""
    k = np.asarray(k, float)
    out = np.where(k >= xmin, np.maximum(k, 1.0) ** (-alpha) / special.zeta(alpha, xmin), 0.0)
    return out


def sample_power_law(
    n: int, alpha: float, xmin: float, *, discrete: bool = True, rng: Any = None
) -> np.ndarray:
    """Draw ``n`` values from the (discrete by default) power law above ``xmin``.

    The discrete sampler is exact inverse-CDF sampling: for :math:`u \\sim U(0, 1]` it returns
    the integer :math:`k \\ge x_{\\min}` with :math:`S(k+1) < u \\le S(k)`, where
    :math:`S(k) = \\zeta(\\alpha, k)/\\zeta(\\alpha, x_{\\min})` is the exact CCDF. The continuous
    approximation :math:`\\lfloor (x_{\\min}-\\tfrac12)u^{-1/(\\alpha-1)} + \\tfrac12 \\rfloor` is
    only the starting guess: it is accepted when it satisfies the exact inequality (most draws)
    and otherwise the draw is found by bracketing and integer bisection on the exact CCDF, so
    the frequencies are exact at every x_min, small or large (no rounding bias at x_min).
    Continuous: :math:`x_{\\min} u^{-1/(\\alpha-1)}`.
    """
    rng = np.random.default_rng(rng)
    if not alpha > 1:
        raise SeverityInputError(f"alpha must be > 1 for an unbounded power law (got {alpha}).")
    u = 1.0 - rng.random(int(n))  # in (0, 1]
    if not discrete:
        return xmin * u ** (-1.0 / (alpha - 1.0))
    xmin = float(xmin)
    if xmin < 1 or xmin != np.floor(xmin):
        raise SeverityInputError(f"a discrete power law needs an integer xmin >= 1 (got {xmin}).")
    zq = special.zeta(alpha, xmin)
    big = 2.0**53

    def S(k):  # exact P(X >= k)
        return special.zeta(alpha, k) / zq

    with np.errstate(over="ignore"):
        k = np.floor((xmin - 0.5) * u ** (-1.0 / (alpha - 1.0)) + 0.5)
    k = np.clip(k, xmin, big)
    s_k = S(k)
    s_next = s_k - k ** (-alpha) / zq  # P(X >= k + 1)
    low = s_k < u  # the draw is below the guess
    high = s_next >= u  # the draw is above the guess
    fix = np.flatnonzero(low | high)
    if fix.size:
        uf, kf, hf = u[fix], k[fix], high[fix]
        lo = np.where(hf, kf + 1.0, xmin)  # invariant: S(lo) >= u
        hi = np.where(hf, np.minimum(2.0 * (kf + 1.0), big), kf)  # want: S(hi) < u
        grow = hf.copy()
        while grow.any():  # double the upper bracket until it is above the draw
            g = np.flatnonzero(grow)
            above = S(hi[g]) >= uf[g]
            lo[g[above]] = hi[g[above]]
            hi[g[above]] = np.minimum(2.0 * hi[g[above]], big)
            grow[g] = above & (hi[g] < big)
        while True:  # integer bisection keeps S(lo) >= u > S(hi)
            act = np.flatnonzero(hi - lo > 1)
            if act.size == 0:
                break
            mid = np.floor(0.5 * (lo[act] + hi[act]))
            ge = S(mid) >= uf[act]
            lo[act[ge]] = mid[ge]
            hi[act[~ge]] = mid[~ge]
        k[fix] = lo
    return k


_ZETA_ASYMPTOTIC_FROM = 30.0


def _zeta(a: Any, q: Any) -> np.ndarray:
    """Hurwitz zeta: scipy's below q = 30, Euler–Maclaurin (4 Bernoulli terms) above.

    For q >= 30 and 1 < a <= 8 the truncation error of the expansion is below 1e-13
    relative (tested against scipy.special.zeta); it costs one power instead of scipy's
    direct summation.
    """
    a, q = np.broadcast_arrays(np.asarray(a, float), np.asarray(q, float))
    out = np.empty(a.shape)
    big = (q >= _ZETA_ASYMPTOTIC_FROM) & (a <= 8.0)
    if big.any():
        ab, qb = a[big], q[big]
        r = 1.0 / qb
        r2 = r * r
        p3 = ab * (ab + 1) * (ab + 2)
        p5 = p3 * (ab + 3) * (ab + 4)
        p7 = p5 * (ab + 5) * (ab + 6)
        series = (qb / (ab - 1) + 0.5 + r * (ab / 12.0 - r2 * (p3 / 720.0 - r2 * (
            p5 / 30240.0 - r2 * p7 / 1209600.0))))
        out[big] = qb ** (-ab) * series
    small = ~big
    if small.any():
        out[small] = special.zeta(a[small], q[small])
    return out


# ------------------------------------------------------------------ the x_min scan
@dataclasses.dataclass(frozen=True)
class _Scan:
    xmins: np.ndarray
    alphas: np.ndarray
    ks: np.ndarray
    n_tail: np.ndarray
    info: np.ndarray  # Fisher information per point at each candidate


def _unique_counts(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct values and counts of non-negative integers: a linear-time bincount for the
    bulk of the values and a sort only for the few very large ones."""
    cap = 1 << 20
    small = x < cap
    if x.size < 10_000 or not small.any():
        return np.unique(x, return_counts=True)
    bc = np.bincount(x[small].astype(np.int64))
    u1 = np.flatnonzero(bc)
    u2, c2 = np.unique(x[~small], return_counts=True)
    return np.concatenate([u1.astype(float), u2]), np.concatenate([bc[u1], c2])


def _ks_discrete(u, j_idx, qs, alphas, ntail, cum, chunk_cells: int = 2_000_000) -> np.ndarray:
    """KS distance of each candidate j over all integers >= x_min (CSN's definition).

    Only the triangle i >= j of (candidate, distinct value) pairs is evaluated, flattened,
    in chunks of about ``chunk_cells`` pairs. Between two distinct observed values the
    empirical CDF is flat and the fitted one rises, so the supremum over the integers is
    attained at an observed value or just below the next one.
    """
    U = u.size
    D = np.empty(j_idx.size)
    lengths = U - j_idx
    start = 0
    while start < j_idx.size:
        stop = start + 1
        total = lengths[start]
        while stop < j_idx.size and total + lengths[stop] <= chunk_cells:
            total += lengths[stop]
            stop += 1
        js, L = j_idx[start:stop], lengths[start:stop]
        a, q, nt = alphas[start:stop], qs[start:stop], ntail[start:stop]
        offsets = np.r_[0, np.cumsum(L)[:-1]]
        row = np.repeat(np.arange(js.size), L)
        cols = js[row] + (np.arange(total) - offsets[row])
        zq = special.zeta(a, q)
        ar, uu = a[row], u[cols]
        s_ge = _zeta(ar, uu) / zq[row]  # fitted P(X >= u_i)
        fit_le = 1.0 - (s_ge - uu ** (-ar) / zq[row])  # fitted P(X <= u_i)
        before = np.where(js > 0, cum[np.maximum(js - 1, 0)], 0)
        emp_le = (cum[cols] - before[row]) / nt[row]  # empirical P(X <= u_i)
        s_next = np.r_[s_ge[1:], 0.0]
        s_next[offsets + L - 1] = 0.0  # beyond the largest value the fit's CDF tends to 1
        d = np.maximum(np.abs(emp_le - fit_le), np.abs(1.0 - s_next - emp_le))
        # integers from x_min up to the first observed value (none unless x_min was fixed)
        first_gap = 1.0 - s_ge[offsets]
        D[start:stop] = np.maximum(np.maximum.reduceat(d, offsets), first_gap)
        start = stop
    return D


def _ks_continuous(x_sorted, j_idx, qs, alphas, chunk_cells: int = 2_000_000) -> np.ndarray:
    n = x_sorted.size
    D = np.empty(j_idx.size)
    start = 0
    while start < j_idx.size:
        i0 = j_idx[start]
        rows = max(1, chunk_cells // max(n - i0, 1))
        sl = slice(start, min(start + rows, j_idx.size))
        js = j_idx[sl]
        cols = np.arange(js[0], n)
        xx = x_sorted[cols][None, :]
        q = qs[sl][:, None]
        a = alphas[sl][:, None]
        valid = cols[None, :] >= js[:, None]
        nt = (n - js)[:, None]
        rank = cols[None, :] - js[:, None]
        F = 1.0 - (np.maximum(xx, q) / q) ** (1.0 - a)
        d = np.maximum(np.abs((rank + 1) / nt - F), np.abs(F - rank / nt))
        D[sl] = np.where(valid, d, 0.0).max(axis=1)
        start = sl.stop
    return D


def _scan(x: np.ndarray, discrete: bool, xmin: Any = "ks") -> _Scan:
    """Fit alpha at every candidate x_min (or the given one) and compute the KS distances."""
    pos = x[x > 0]
    if discrete:
        u, c = _unique_counts(pos)
        ntail_all = np.cumsum(c[::-1])[::-1]
        sumlog_all = np.cumsum((c * np.log(u))[::-1])[::-1]
        cum = np.cumsum(c)
        if isinstance(xmin, str):
            j_idx = np.arange(u.size - 1)  # every distinct value but the largest
        else:
            j_idx = np.flatnonzero(u >= float(xmin))[:1]
            if j_idx.size == 0:
                raise SeverityInputError(f"xmin={xmin} is above every observed value.")
        q = u[j_idx] if isinstance(xmin, str) else np.array([float(xmin)])
        nt = ntail_all[j_idx]
        alphas, info = _mle_alpha_discrete(nt, sumlog_all[j_idx], q)
        ks = _ks_discrete(u, j_idx, q, alphas, nt.astype(float), cum)
        return _Scan(q, alphas, ks, nt, info)
    pos = np.sort(pos)
    n = pos.size
    sumlog_suffix = np.cumsum(np.log(pos)[::-1])[::-1]
    if isinstance(xmin, str):
        # first index of each distinct value, all but the largest value
        first = np.flatnonzero(np.r_[True, pos[1:] != pos[:-1]])
        j_idx = first[pos[first] < pos[-1]]
    else:
        j_idx = np.flatnonzero(pos >= float(xmin))[:1]
        if j_idx.size == 0:
            raise SeverityInputError(f"xmin={xmin} is above every observed value.")
    nt = n - j_idx
    q = pos[j_idx] if isinstance(xmin, str) else np.array([float(xmin)])
    alphas = _mle_alpha_continuous(nt, sumlog_suffix[j_idx], q)
    ks = _ks_continuous(pos, j_idx, q, alphas)
    info = 1.0 / (alphas - 1.0) ** 2
    return _Scan(q, alphas, ks, nt, info)


def _best(scan: _Scan) -> int:
    ok = np.isfinite(scan.ks) & (scan.alphas > 1.0) & np.isfinite(scan.alphas)
    if not ok.any():
        raise SeverityInputError("no candidate x_min gives a valid power-law fit (alpha > 1).")
    return int(np.flatnonzero(ok)[np.argmin(scan.ks[ok])])


def _fit_point(x: np.ndarray, discrete: bool, xmin: Any = "ks") -> tuple[float, float, int, float]:
    """(x_min, alpha, n_tail, D) of the full CSN procedure on ``x``."""
    s = _scan(x, discrete, xmin)
    b = _best(s)
    return float(s.xmins[b]), float(s.alphas[b]), int(s.n_tail[b]), float(s.ks[b])


# ====================================================================== alternatives
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
        si = s0 - 1 - i
        G = (z * G - 1.0) / si
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


def _log_norm(model: _Model, theta: np.ndarray, q: float, discrete: bool) -> float:
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
    return model.logf(tail, theta) - _log_norm(model, theta, q, discrete)


def _model_log_sf(model, theta, k, q, discrete) -> float:
    """log P(X >= k | X >= q) under the model."""
    if k <= q:
        return 0.0
    return _log_norm(model, theta, float(k), discrete) - _log_norm(model, theta, q, discrete)


def _fit_model(name: str, tail: np.ndarray, q: float, discrete: bool) -> tuple[np.ndarray, np.ndarray]:
    """MLE of an alternative on the tail; returns (parameters, per-point log-likelihoods)."""
    model = MODELS[name]
    vals, wts = np.unique(tail, return_counts=True)  # few distinct sizes: weight them

    def nll(v):
        theta = model.to_theta(v)
        if not np.all(np.isfinite(theta)):
            return 1e300
        with np.errstate(all="ignore"):
            ll = _model_loglik(model, theta, vals, q, discrete)
        s = -(wts * ll).sum()
        return s if np.isfinite(s) else 1e300

    if name == "exponential":  # closed form: geometric (discrete) / shifted exponential
        m = float(tail.mean() - q)
        lam = np.log1p(1.0 / m) if discrete else 1.0 / m
        theta = np.array([lam if m > 0 else np.inf])
        with np.errstate(all="ignore"):
            return theta, _model_loglik(model, theta, tail, q, discrete)
    best = None
    for v0 in model.start(tail, q):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            r = optimize.minimize(nll, v0, method="L-BFGS-B", options={"ftol": 1e-12, "gtol": 1e-8, "maxiter": 500})
        if best is None or r.fun < best.fun:
            best = r
    theta = model.to_theta(best.x)
    with np.errstate(all="ignore"):
        ll = _model_loglik(model, theta, tail, q, discrete)
    return theta, ll


def _pl_loglik(tail: np.ndarray, alpha: float, q: float, discrete: bool) -> np.ndarray:
    if discrete:
        return -alpha * np.log(tail) - np.log(special.zeta(alpha, q))
    return np.log(alpha - 1) - np.log(q) - alpha * np.log(tail / q)


def _vuong(ll1: np.ndarray, ll2: np.ndarray, nested: bool) -> tuple[float, float, float]:
    d = ll1 - ll2
    n = d.size
    R = float(d.sum())
    sd = float(d.std())
    norm_R = R / (sd * np.sqrt(n)) if sd > 0 else 0.0
    if nested:
        p = float(stats.chi2.sf(2 * abs(R), 1))
    else:
        p = float(special.erfc(abs(R) / (sd * np.sqrt(2 * n)))) if sd > 0 else 1.0
    return R, norm_R, p


# ====================================================================== results
@dataclasses.dataclass(frozen=True, repr=False, eq=False)
class SeverityResult(Result):
    """Power-law tail fit of event sizes (Clauset, Shalizi & Newman 2009).

    Model: for :math:`x \\ge x_{\\min}`, :math:`p(x) = x^{-\\alpha}/\\zeta(\\alpha, x_{\\min})` (discrete)
    or :math:`(\\alpha-1)x_{\\min}^{\\alpha-1}x^{-\\alpha}` (continuous); :math:`x_{\\min}` minimises the
    KS distance, :math:`\\alpha` is the exact MLE. ``gof_p`` is the semi-parametric bootstrap
    p-value (large p: the power law is plausible); ``comparisons`` holds Vuong likelihood-ratio
    tests (positive R favours the power law).

    Attributes
    ----------
    alpha, alpha_se : the exponent and its asymptotic standard error
        :math:`1/\\sqrt{n_{\\rm tail} I(\\alpha)}` (discrete Fisher information).
    x_min, n_tail, n, ks_distance : threshold, tail size, all events, KS distance.
    boot : DataFrame of bootstrap replicates (alpha, x_min, n_tail) or empty.
    gof_p, gof_ks : bootstrap p-value and the synthetic KS distances (NaN/empty if n_boot=0).
    comparisons : one row per alternative: parameters, R, normalised R, p, preferred model.
    scan : DataFrame of candidate x_min with alpha and KS distance.
    """

    title = "Power-law tail of event sizes (Clauset-Shalizi-Newman)"

    alpha: float
    alpha_se: float
    x_min: float
    n_tail: int
    n: int
    ks_distance: float
    discrete: bool
    gof_p: float
    gof_ks: np.ndarray
    boot: pd.DataFrame
    comparisons: pd.DataFrame
    scan: pd.DataFrame
    data: np.ndarray
    alternative_params: dict
    seed: Any = None
    ci_level: float = 0.95

    @property
    def tail_share(self) -> float:
        """n_tail / n: the share of events in the power-law tail."""
        return self.n_tail / self.n

    @property
    def reliable(self) -> bool:
        """False when the tail has fewer than 50 points (CSN: estimates are then unstable)."""
        return self.n_tail >= MIN_RELIABLE_TAIL

    def _ci(self, col: str) -> tuple[float, float]:
        if self.boot.empty:
            return (np.nan, np.nan)
        a = (1 - self.ci_level) / 2
        v = self.boot[col].to_numpy(float)
        return float(np.quantile(v, a)), float(np.quantile(v, 1 - a))

    def _table(self) -> pd.DataFrame:
        rows = []
        for name, est, se in (
            ("alpha", self.alpha, self.alpha_se),
            ("x_min", self.x_min, np.nan),
            ("n_tail", float(self.n_tail), np.nan),
        ):
            lo, hi = self._ci(name)
            bse = float(self.boot[name].std(ddof=1)) if not self.boot.empty else np.nan
            rows.append(
                {"quantity": name, "estimate": est, "std_err": se, "boot_std": bse,
                 "ci_low": lo, "ci_high": hi}
            )
        rows.append({"quantity": "ks_distance", "estimate": self.ks_distance})
        rows.append({"quantity": "gof_p", "estimate": self.gof_p})
        return pd.DataFrame(rows).set_index("quantity")

    def summary_lines(self) -> list[tuple[str, str]]:
        kind = "discrete" if self.discrete else "continuous"
        lines = [
            ("model", f"{kind} power law above x_min"),
            ("alpha", f"{self.alpha:.3f} (se {self.alpha_se:.3f})"),
            ("x_min", f"{self.x_min:g}"),
            ("n_tail / n", f"{self.n_tail} / {self.n} ({self.tail_share:.1%})"),
            ("KS distance", f"{self.ks_distance:.4f}"),
        ]
        if np.isfinite(self.gof_p):
            verdict = "power law plausible" if self.gof_p > 0.1 else "power law ruled out (p <= 0.1)"
            lines.append(("GOF p (bootstrap)", f"{self.gof_p:.3f} over {len(self.gof_ks)} draws: {verdict}"))
        if not self.reliable:
            lines.append(("warning", f"only {self.n_tail} tail points: fit unreliable"))
        for _, r in self.comparisons.iterrows():
            lines.append(
                (f"vs {r['alternative']}",
                 f"R={r['R']:.2f}, normalised {r['normalized_R']:.2f}, p={r['p']:.3f} -> {r['preferred']}")
            )
        return lines

    def plot(self, ax=None):
        """Empirical CCDF of all events, with the fitted tails from x_min (log-log axes)."""
        ax = get_axes(ax)
        x = np.sort(self.data[self.data > 0])
        u, c = np.unique(x, return_counts=True)
        ccdf = (np.cumsum(c[::-1])[::-1]) / self.n
        ax.loglog(u, ccdf, "o", ms=3, color="0.3", label="data")
        grid = np.unique(np.geomspace(self.x_min, max(x.max(), self.x_min + 1), 200))
        if self.discrete:
            grid = np.unique(np.round(grid))
        share = self.tail_share
        ax.loglog(grid, share * power_law_sf(grid, self.alpha, self.x_min, self.discrete),
                  "-", lw=2, label=f"power law, α={self.alpha:.2f}")
        for name, theta in self.alternative_params.items():
            m = MODELS[name]
            ls = [_model_log_sf(m, theta, g, self.x_min, self.discrete) for g in grid]
            ax.loglog(grid, share * np.exp(ls), "--", lw=1, label=name.replace("_", " "))
        ax.axvline(self.x_min, color="0.6", lw=0.8, ls=":")
        ax.set_xlabel("event size x")
        ax.set_ylabel("P(X ≥ x)")
        ax.legend(fontsize="small")
        return ax


@dataclasses.dataclass(frozen=True, repr=False, eq=False)
class LargeEventResult(Result):
    """Probability of at least one event of size >= ``size`` among ``n_events`` (Clauset &
    Woodard 2013).

    Model: :math:`\\Pr(\\text{at least one}) = 1 - (1 - \\hat p)^{n}` with
    :math:`\\hat p = [\\#\\{s \\le x_i < x_{\\min}\\} + n_{\\rm tail} S_m(s)]/N`, :math:`S_m` the fitted
    tail model's :math:`\\Pr(X \\ge s \\mid X \\ge x_{\\min})`; the bootstrap refits x_min and every
    model on resampled events.

    Attributes
    ----------
    table : one row per tail model: estimate (full data), bootstrap mean/median, interval.
    boot : bootstrap replicates (one column per model, plus x_min and n_tail).
    """

    title = "Probability of a large event (Clauset-Woodard)"

    size: float
    n_events: int
    n: int
    table: pd.DataFrame
    boot: pd.DataFrame
    ci_level: float = 0.95
    seed: Any = None

    def _table(self) -> pd.DataFrame:
        return self.table

    def summary_lines(self) -> list[tuple[str, str]]:
        lines = [("event size", f">= {self.size:g}"), ("events", f"{self.n_events} (data: {self.n})")]
        if not self.boot.empty:
            lines.append(("bootstrap replicates", str(len(self.boot))))
        for model, r in self.table.iterrows():
            lines.append((str(model), f"{r['estimate']:.3f} (boot mean {r['boot_mean']:.3f}, "
                          f"{self.ci_level:.0%} interval {r['ci_low']:.3f}-{r['ci_high']:.3f})"))
        return lines

    def plot(self, ax=None):
        """Bootstrap distributions of the probability under each tail model."""
        ax = get_axes(ax)
        models = list(self.table.index)
        if self.boot.empty:
            ax.bar(models, self.table["estimate"])
        else:
            ax.violinplot([self.boot[m].dropna().to_numpy() for m in models], showmedians=True)
            ax.set_xticks(np.arange(1, len(models) + 1), [m.replace("_", " ") for m in models])
            ax.plot(np.arange(1, len(models) + 1), self.table["estimate"], "k_", ms=20)
        ax.set_ylabel(f"P(at least one event ≥ {self.size:g} in {self.n_events})")
        ax.set_ylim(0, 1)
        return ax


# ====================================================================== entry points
def _progress(iterable, total: int, desc: str, progress: bool):
    from tqdm.auto import tqdm

    return tqdm(iterable, total=total, desc=desc, disable=None if progress else True, leave=False)


def _semi_parametric_sample(body: np.ndarray, n: int, n_tail: int, alpha: float, xmin: float,
                            discrete: bool, rng: np.random.Generator) -> np.ndarray:
    k = rng.binomial(n, n_tail / n) if body.size else n
    tail = sample_power_law(k, alpha, xmin, discrete=discrete, rng=rng)
    if n - k:
        return np.concatenate([rng.choice(body, n - k, replace=True), tail])
    return tail


def _gof_bootstrap(arr: np.ndarray, x_min: float, alpha: float, n_tail: int, discrete: bool,
                   xmin: Any, n_boot: int, rng: np.random.Generator, progress: bool) -> np.ndarray:
    """KS distances of ``n_boot`` semi-parametric synthetic data sets, each refitted in full."""
    body = arr[arr < x_min]
    out = np.empty(n_boot)
    n = arr.size
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnreliableFitWarning)
        for i in _progress(range(n_boot), n_boot, "bootstrap (goodness of fit)", progress):
            xs = _semi_parametric_sample(body, n, n_tail, alpha, x_min, discrete, rng)
            try:
                out[i] = _fit_point(xs, discrete, xmin)[3]
            except SeverityInputError:
                out[i] = np.inf
    return out


def fit_severity(
    x: Any,
    *,
    discrete: bool = True,
    xmin: str | float = "ks",
    alternatives: Sequence[str] = ALTERNATIVES,
    n_boot: int = 0,
    seed: Any = None,
    ci: float = 0.95,
    progress: bool = True,
) -> SeverityResult:
    """Fit a power-law tail to event sizes by the method of Clauset, Shalizi & Newman (2009).

    Parameters
    ----------
    x : array-like or Series of event sizes (e.g. killed per attack). Zeros are allowed (they
        sit below every admissible x_min and count as part of the body); NA, negative and
        (when ``discrete``) fractional values raise :class:`SeverityInputError`.
    discrete : fit the discrete (Hurwitz-zeta) power law; right for counts of people.
    xmin : ``"ks"`` to choose x_min by minimum KS distance, or a fixed value.
    alternatives : tail models compared by likelihood-ratio tests (see :data:`ALTERNATIVES`).
    n_boot : bootstrap replicates; when > 0 both the non-parametric bootstrap of
        (alpha, x_min, n_tail) and the semi-parametric goodness-of-fit test are run with
        ``n_boot`` replicates each (CSN recommend 1000 or more for the p-value).
    seed : seed or numpy Generator for the bootstraps.
    ci : level of the bootstrap percentile intervals.
    progress : show tqdm progress bars (only when attached to a terminal/notebook).

    Returns
    -------
    SeverityResult

    Warns
    -----
    UnreliableFitWarning
        When the fitted tail has fewer than 50 points.
    """
    # BLAS is only used by the optimisers of the alternatives and in the bootstraps
    pin = single_threaded_blas() if (n_boot or alternatives) else contextlib.nullcontext()
    with pin:
        return _fit_severity(x, discrete=discrete, xmin=xmin, alternatives=alternatives,
                             n_boot=n_boot, seed=seed, ci=ci, progress=progress)


def _fit_severity(x, *, discrete, xmin, alternatives, n_boot, seed, ci, progress) -> SeverityResult:
    arr = _as_sizes(x, discrete)
    unknown = set(alternatives) - set(MODELS)
    if unknown:
        raise SeverityInputError(
            f"unknown alternatives {sorted(unknown)}; choose from {list(ALTERNATIVES)}."
        )
    if not (isinstance(xmin, str) and xmin == "ks"):
        if isinstance(xmin, str):
            raise SeverityInputError(f"xmin must be 'ks' or a number (got {xmin!r}).")
        if not xmin > 0:
            raise SeverityInputError(f"xmin must be positive (got {xmin}).")
    n = arr.size
    scan = _scan(arr, discrete, xmin)
    b = _best(scan)
    x_min, alpha, n_tail, D = (float(scan.xmins[b]), float(scan.alphas[b]),
                               int(scan.n_tail[b]), float(scan.ks[b]))
    alpha_se = float(1.0 / np.sqrt(n_tail * scan.info[b]))
    if n_tail < MIN_RELIABLE_TAIL:
        warnings.warn(
            f"the power-law tail has only {n_tail} points (x >= {x_min:g}); with fewer than "
            f"{MIN_RELIABLE_TAIL} the estimates of alpha and x_min and the tests are unreliable.",
            UnreliableFitWarning, stacklevel=4,
        )
    tail = arr[arr >= x_min]
    ll_pl = _pl_loglik(tail, alpha, x_min, discrete) if alternatives else None
    rows, params = [], {}
    for name in alternatives:
        theta, ll_alt = _fit_model(name, tail, x_min, discrete)
        nested = name == "truncated_power_law"
        if nested and ll_alt.sum() < ll_pl.sum():  # optimiser stuck: lambda -> 0 is the PL
            theta, ll_alt = np.array([alpha, 0.0]), ll_pl.copy()
        R, nR, p = _vuong(ll_pl, ll_alt, nested)
        if p > 0.1:
            pref = "inconclusive"
        else:
            pref = "power law" if R > 0 else name.replace("_", " ")
        params[name] = theta
        rows.append({
            "alternative": name, "nested": nested,
            "params": ", ".join(f"{k}={v:.4g}" for k, v in zip(MODELS[name].params, theta, strict=True)),
            "loglik_power_law": float(ll_pl.sum()), "loglik_alternative": float(ll_alt.sum()),
            "R": R, "normalized_R": nR, "p": p, "preferred": pref,
        })
    comparisons = pd.DataFrame(rows, columns=[
        "alternative", "nested", "params", "loglik_power_law", "loglik_alternative", "R",
        "normalized_R", "p", "preferred"])

    boot = pd.DataFrame(columns=["alpha", "x_min", "n_tail"])
    gof_ks = np.array([])
    gof_p = np.nan
    if n_boot:
        rng = np.random.default_rng(seed)
        bvals = np.empty((n_boot, 3))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UnreliableFitWarning)
            for i in _progress(range(n_boot), n_boot, "bootstrap (parameters)", progress):
                xb = rng.choice(arr, n, replace=True)
                try:
                    xm, al, nt, _ = _fit_point(xb, discrete, xmin)
                except SeverityInputError:
                    xm, al, nt = np.nan, np.nan, np.nan
                bvals[i] = (al, xm, nt)
        gof_ks = _gof_bootstrap(arr, x_min, alpha, n_tail, discrete, xmin, n_boot, rng, progress)
        boot = pd.DataFrame(bvals, columns=["alpha", "x_min", "n_tail"]).dropna()
        gof_p = float(np.mean(gof_ks >= D))
    scan_df = pd.DataFrame({"x_min": scan.xmins, "alpha": scan.alphas, "ks_distance": scan.ks,
                            "n_tail": scan.n_tail})
    return SeverityResult(
        alpha=alpha, alpha_se=alpha_se, x_min=x_min, n_tail=n_tail, n=n, ks_distance=D,
        discrete=discrete, gof_p=gof_p, gof_ks=gof_ks, boot=boot, comparisons=comparisons,
        scan=scan_df, data=arr, alternative_params=params, seed=seed, ci_level=ci,
    )


def _large_event_probs(arr: np.ndarray, size: float, n_events: int, models: Sequence[str],
                       discrete: bool, xmin: Any) -> dict[str, float]:
    x_min, alpha, n_tail, _ = _fit_point(arr, discrete, xmin)
    n = arr.size
    below = float(np.sum((arr >= size) & (arr < x_min)))
    s = max(float(size), x_min)
    tail = arr[arr >= x_min]
    out = {"x_min": x_min, "n_tail": float(n_tail)}
    for m in models:
        if m == "power_law":
            sf = float(power_law_sf(s, alpha, x_min, discrete))
        else:
            theta, _ = _fit_model(m, tail, x_min, discrete)
            sf = float(np.exp(_model_log_sf(MODELS[m], theta, s, x_min, discrete)))
        p1 = (below + n_tail * sf) / n
        out[m] = float(-np.expm1(n_events * np.log1p(-min(p1, 1.0)))) if p1 < 1 else 1.0
    return out


def large_event_probability(
    x: Any,
    size: float,
    *,
    n_events: int | None = None,
    n_boot: int = 1000,
    seed: Any = None,
    models: Sequence[str] = ("power_law", "stretched_exponential", "lognormal"),
    discrete: bool = True,
    xmin: str | float = "ks",
    ci: float = 0.95,
    progress: bool = True,
) -> LargeEventResult:
    """Probability of at least one event of size >= ``size`` among ``n_events`` events.

    The method of Clauset & Woodard (2013): fit x_min (by the power law's KS criterion) and
    each tail model, compute :math:`\\hat p = \\Pr(X \\ge s)` and
    :math:`1 - (1-\\hat p)^{n_{\\rm events}}`; repeat on ``n_boot`` resamples of the events (x_min
    and all models re-estimated) for the bootstrap distribution and percentile interval.

    Parameters
    ----------
    x : event sizes (see :func:`fit_severity` for what is accepted).
    size : the event size of interest (e.g. 2749, the deaths of 11 September 2001).
    n_events : number of future/hypothetical events (default: the number of events in ``x``).
    n_boot : bootstrap replicates (0: point estimates only).
    seed : seed or numpy Generator.
    models : tail models, any of ``"power_law"`` and :data:`ALTERNATIVES`.
    discrete, xmin, ci, progress : as in :func:`fit_severity`.

    Returns
    -------
    LargeEventResult
    """
    with single_threaded_blas():
        return _large_event_probability(x, size, n_events=n_events, n_boot=n_boot, seed=seed,
                                        models=models, discrete=discrete, xmin=xmin, ci=ci,
                                        progress=progress)


def _large_event_probability(x, size, *, n_events, n_boot, seed, models, discrete, xmin, ci,
                             progress) -> LargeEventResult:
    arr = _as_sizes(x, discrete)
    if not np.isfinite(size) or size <= 0:
        raise SeverityInputError(f"size must be a positive number (got {size}).")
    bad = [m for m in models if m != "power_law" and m not in MODELS]
    if bad or not models:
        raise SeverityInputError(f"unknown models {bad}; choose from power_law and {list(ALTERNATIVES)}.")
    n = arr.size
    n_events = n if n_events is None else int(n_events)
    if n_events < 1:
        raise SeverityInputError(f"n_events must be >= 1 (got {n_events}).")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnreliableFitWarning)
        point = _large_event_probs(arr, size, n_events, models, discrete, xmin)
    if point["n_tail"] < MIN_RELIABLE_TAIL:
        warnings.warn(f"the tail has only {int(point['n_tail'])} points; the probabilities are "
                      "unreliable.", UnreliableFitWarning, stacklevel=4)
    reps = []
    if n_boot:
        rng = np.random.default_rng(seed)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for _ in _progress(range(n_boot), n_boot, "bootstrap (large events)", progress):
                xb = rng.choice(arr, n, replace=True)
                try:
                    reps.append(_large_event_probs(xb, size, n_events, models, discrete, xmin))
                except SeverityInputError:
                    continue
    boot = pd.DataFrame(reps, columns=["x_min", "n_tail", *models])
    a = (1 - ci) / 2
    rows = []
    for m in models:
        v = boot[m].dropna().to_numpy(float) if len(boot) else np.array([])
        rows.append({
            "model": m, "estimate": point[m],
            "boot_mean": float(v.mean()) if v.size else np.nan,
            "boot_median": float(np.median(v)) if v.size else np.nan,
            "ci_low": float(np.quantile(v, a)) if v.size else np.nan,
            "ci_high": float(np.quantile(v, 1 - a)) if v.size else np.nan,
        })
    table = pd.DataFrame(rows).set_index("model")
    return LargeEventResult(size=float(size), n_events=n_events, n=n, table=table, boot=boot,
                            ci_level=ci, seed=seed)
