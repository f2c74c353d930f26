"""Two streams that excite themselves and each other: :func:`fit_hawkes_bivariate`.

    lambda_j(t) = mu_j(t) + beta * sum_i alpha[i, j] * sum_{t^i_k < t} exp(-beta (t - t^i_k))

``alpha[i, j]`` is the expected number of stream-j events directly triggered by one
stream-i event; the two streams share the decay ``beta`` and each has its own
background (constant or trend-seasonal). The no-cross-excitation null
``alpha[a, b] = alpha[b, a] = 0`` is fitted beside the full model for a
likelihood-ratio test.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
from scipy import stats

from ...errors import EstimationWarning
from . import pooling
from ._kernels import decay_sums
from ._scale import LOG_BETA_BOUNDS
from ._setup import FitSetup, setup_fit
from .background import Background
from .optimise import maximise
from .result import BivariateHawkesResult
from .ties import draws


class BiModel:
    """Log-likelihood of two streams with a shared decay. Parameters
    ``(b_a, b_b, alpha_aa, alpha_ab, alpha_ba, alpha_bb, log beta)``, where ``b_k`` are
    the background coefficients of stream k (``log mu_k`` when constant)."""

    def __init__(
        self, ta: np.ndarray, tb: np.ndarray, bg: Background, engine: str, cross: bool = True
    ):
        t = np.concatenate([ta, tb])
        k = np.concatenate([np.zeros(len(ta), int), np.ones(len(tb), int)])
        o = np.argsort(t, kind="stable")
        self.t, self.k = t[o], k[o]
        self.w = [(self.k == 0).astype(float), (self.k == 1).astype(float)]
        self.sel = [self.k == 0, self.k == 1]
        self.n = len(t)
        self.nk = (len(ta), len(tb))
        self.bg = bg
        self.p = bg.p
        self.X = [bg.design(self.t[self.sel[j]]) for j in range(2)]
        self.T = bg.T
        self.engine = engine
        self.cross = cross
        self.ia = 2 * self.p  # index of alpha_aa
        self.size = 2 * self.p + 5

    def unpack(self, x):
        p = self.p
        alpha = x[self.ia : self.ia + 4].reshape(2, 2)
        return [x[:p], x[p : 2 * p]], alpha, math.exp(x[-1])

    def loglik_grad(self, x):
        """Log-likelihood and its gradient (``-inf`` where an intensity is not positive)."""
        b, alpha, beta = self.unpack(x)
        p, ia = self.p, self.ia
        sums = [decay_sums(self.t, w, beta, self.engine) for w in self.w]
        A, B = [s[0] for s in sums], [s[1] for s in sums]
        g = np.zeros(self.size)
        ll = 0.0
        for j in range(2):  # target stream
            sel = self.sel[j]
            mu = np.exp(self.X[j] @ b[j])
            lam = mu + beta * (alpha[0, j] * A[0][sel] + alpha[1, j] * A[1][sel])
            if np.any(lam <= 0):
                return -np.inf, g
            inv = 1.0 / lam
            m_int, m_grad = self.bg.integral(b[j])
            ll += float(np.log(lam).sum())
            ll -= m_int
            g[j * p : (j + 1) * p] = self.X[j].T @ (mu * inv) - m_grad
            for i in range(2):
                g[ia + 2 * i + j] += beta * float((A[i][sel] * inv).sum())
                g[-1] += alpha[i, j] * beta * float(((A[i][sel] + beta * B[i][sel]) * inv).sum())
        for i in range(2):  # excitation part of the compensator
            d = self.T - self.t[self.sel[i]]
            e = np.exp(-beta * d)
            comp = float((1 - e).sum())
            dcomp = float((d * e).sum())  # d/dbeta of sum(1 - e)
            for j in range(2):
                ll -= alpha[i, j] * comp
                g[ia + 2 * i + j] -= comp
                g[-1] -= alpha[i, j] * dcomp * beta
        return ll, g

    def bounds(self):
        cb = (0.0, None) if self.cross else (0.0, 0.0)
        return [(None, None)] * (2 * self.p) + [(0.0, None), cb, cb, (0.0, None), LOG_BETA_BOUNDS]

    def free(self) -> list[int]:
        """Indices of the free parameters (the cross terms are fixed at 0 under the null)."""
        drop = set() if self.cross else {self.ia + 1, self.ia + 2}
        return [i for i in range(self.size) if i not in drop]

    def start(self):
        """Half the events to the background, 0.4 self-excitation, the best decay on a grid."""
        b = []
        for j in range(2):
            if self.bg.kind == "constant":
                bj = np.array([math.log(0.5 * self.nk[j] / self.T)])
            else:
                bj = self.bg.poisson_coef(self.X[j], self.nk[j]) + math.log(0.5)
            b.append(bj)
        best = None
        c = 0.05 if self.cross else 0.0
        for mult in (0.1, 0.3, 1.0, 3.0, 10.0, 30.0):
            x = np.concatenate([b[0], b[1], [0.4, c, c, 0.4, math.log(self.n / self.T * mult)]])
            ll = self.loglik_grad(x)[0]
            if np.isfinite(ll) and (best is None or ll > best[0]):
                best = (ll, x)
        return best[1]


def _fit_bi(ta, tb, bg, engine, cross):
    """Maximum likelihood of the full model (``cross``) or the no-cross null."""
    model = BiModel(ta, tb, bg, engine, cross)
    x0 = model.start()
    bounds = model.bounds()
    idx = model.free()

    def lg(z):
        x = x0.copy()
        if not cross:
            x[[model.ia + 1, model.ia + 2]] = 0.0
        x[idx] = z
        ll, g = model.loglik_grad(x)
        return ll, g[idx]

    z, ll, cov_z, conv = maximise(lg, x0[idx], [bounds[i] for i in idx], model.n)
    x = np.zeros(model.size)
    x[idx] = z
    cov = np.zeros((model.size, model.size))
    cov[np.ix_(idx, idx)] = cov_z
    return x, ll, cov, conv


def _fit_draws(setup: FitSetup):
    """Full and null fits per jitter draw: ``(xs, covs, logliks, null logliks, converged)``."""
    xs, covs, lls, ll0s, convs = [], [], [], [], []
    for ta, tb in draws(setup.events, setup.rng, setup.n_sims, progress=False):
        x, ll, cov, conv = _fit_bi(ta, tb, setup.bg, setup.engine, True)
        _, ll0, _, conv0 = _fit_bi(ta, tb, setup.bg, setup.engine, False)
        xs.append(x)
        covs.append(cov)
        lls.append(ll)
        ll0s.append(min(ll0, ll))
        convs.append(conv and conv0)
    return xs, covs, lls, ll0s, all(convs)


def _params(bg: Background, pooled: pooling.Pooled, names) -> pd.DataFrame:
    """Backgrounds of both streams, the excitation matrix (intervals truncated at 0),
    the decay and the mean delay."""
    rows = []
    for j, nm in enumerate(names):
        rows += pooling.background_rows(bg, pooled, first=j * bg.p, label=nm)
    for i, src in enumerate(names):
        for j, dst in enumerate(names):
            q = 2 * bg.p + 2 * i + j
            lo = float(np.clip(pooled.lo[q], 0.0, None))  # NaN stays NaN
            rows.append((f"{src} -> {dst}", pooled.theta[q], pooled.se[q], lo, pooled.hi[q]))
    rows += pooling.decay_rows(pooled)
    return pd.DataFrame(rows, columns=pooling.COLUMNS).set_index("parameter")


def _lr_test(ll: float, ll0: float) -> tuple[float, float]:
    """LR statistic and its p-value under the chi-bar-squared mixture of the boundary."""
    lr = max(0.0, 2 * (ll - ll0))
    pval = 0.5 * stats.chi2.sf(lr, 1) + 0.25 * stats.chi2.sf(lr, 2) if lr > 0 else 1.0
    return lr, float(pval)


def _result(setup: FitSetup, names, xs, covs, lls, ll0s, converged) -> BivariateHawkesResult:
    bg, (ev_a, ev_b) = setup.bg, setup.events
    pooled = pooling.pool(xs, covs)
    if not converged:
        warnings.warn(
            "the bivariate Hawkes optimiser did not converge on every draw; intervals are NaN",
            EstimationWarning,
            stacklevel=3,
        )
        pooled.nan_intervals()
    params = _params(bg, pooled, names)
    exc = params.iloc[2 * bg.p : 2 * bg.p + 4]
    ll, ll0 = float(np.mean(lls)), float(np.mean(ll0s))
    lr, pval = _lr_test(ll, ll0)
    return BivariateHawkesResult(
        names=tuple(names),
        background=bg.kind,
        mu=np.array([bg.mean_rate(pooled.theta[j * bg.p : (j + 1) * bg.p]) for j in range(2)]),
        excitation=exc["estimate"].to_numpy().reshape(2, 2),
        excitation_ci_low=exc["ci_low"].to_numpy().reshape(2, 2),
        excitation_ci_high=exc["ci_high"].to_numpy().reshape(2, 2),
        decay=float(params.at["decay", "estimate"]),
        decay_ci=(float(params.at["decay", "ci_low"]), float(params.at["decay", "ci_high"])),
        params=params,
        loglik=ll,
        loglik_null=ll0,
        lr_stat=lr,
        lr_pvalue=pval,
        aic=2 * len(pooled.theta) - 2 * ll,
        n_events=(len(ev_a.lo), len(ev_b.lo)),
        end=float(ev_a.end),
        origin=ev_a.origin,
        n_sims=setup.n_sims,
        converged=converged,
    )


def fit_hawkes_bivariate(
    times_a,
    times_b,
    *,
    names: tuple[str, str] = ("a", "b"),
    background: str = "constant",
    start=None,
    end=None,
    ties: str = "jitter",
    n_sims: int = 10,
    resolution: float | None = None,
    harmonics: int = 2,
    trend: int = 1,
    seed: int | None = None,
    engine: str | None = None,
) -> BivariateHawkesResult:
    """Fit a bivariate exponential Hawkes process with a shared decay.

    ``lambda_j(t) = mu_j(t) + beta * sum_i alpha[i, j] sum_{t^i_k < t} exp(-beta (t - t^i_k))``
    for streams ``j`` in ``names``. Inputs, windows, ties and the background options
    (``background``, ``harmonics``, ``trend``; each stream gets its own background
    coefficients) follow :func:`fit_hawkes`; both streams share ``start`` and ``end``,
    and ``n_sims`` jitter draws are pooled by Rubin's rules.

    Returns
    -------
    BivariateHawkesResult
        The 2x2 excitation matrix ``alpha[i, j]`` (stream i triggers stream j) with 95%
        intervals and a likelihood-ratio test of ``alpha_ab = alpha_ba = 0``. With surging
        violence use ``background="trend_seasonal"``, or the surge is read as
        (cross-)excitation.
    """
    setup = setup_fit(
        [times_a, times_b],
        list(names),
        background=background,
        start=start,
        end=end,
        ties=ties,
        n_sims=n_sims,
        resolution=resolution,
        harmonics=harmonics,
        trend=trend,
        seed=seed,
        engine=engine,
    )
    return _result(setup, names, *_fit_draws(setup))
