"""Two streams that excite themselves and each other: :func:`fit_hawkes_bivariate`.

    lambda_j(t) = mu_j(t) + beta * sum_i alpha[i, j] * sum_{t^i_k < t} exp(-beta (t - t^i_k))

``alpha[i, j]`` is the expected number of stream-j events directly triggered by one
stream-i event; the two streams share the decay ``beta`` and each has its own
background (constant or trend-seasonal) and its own observation window (the shared
window, or from its first event for a stream that starts late). The no-cross-excitation null
``alpha[a, b] = alpha[b, a] = 0`` is fitted beside the full model for a
likelihood-ratio test.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

from . import checks, pooling
from ._kernels import decay_sums
from ._scale import log_beta_bounds
from ._setup import FitSetup, setup_fit
from .background import Background
from .optimise import maximise
from .result import BivariateHawkesResult
from .ties import draws
from .univariate import fit_background


class BiModel:
    """Log-likelihood of two streams with a shared decay. Parameters
    ``(b_a, b_b, alpha_aa, alpha_ab, alpha_ba, alpha_bb, log beta)``, where ``b_k`` are
    the coefficients of stream k's background ``bgs[k]`` (``log mu_k`` when constant).
    Stream k is observed on ``[bgs[k].lo, T]``: its background and the excitation it
    receives are integrated over that window only."""

    def __init__(self, ta: np.ndarray, tb: np.ndarray, bgs: list[Background], engine: str,
                 cross: bool = True):
        t = np.concatenate([ta, tb])
        k = np.concatenate([np.zeros(len(ta), int), np.ones(len(tb), int)])
        o = np.argsort(t, kind="stable")
        self.t, self.k = t[o], k[o]
        self.w = [(self.k == 0).astype(float), (self.k == 1).astype(float)]
        self.sel = [self.k == 0, self.k == 1]
        self.n = len(t)
        self.nk = (len(ta), len(tb))
        self.bgs = bgs
        self.first = [0, bgs[0].p]  # where each stream's background coefficients start
        self.X = [bgs[j].design(self.t[self.sel[j]]) for j in range(2)]
        self.T = bgs[0].T
        self.engine = engine
        self.cross = cross
        self.ia = bgs[0].p + bgs[1].p  # index of alpha_aa
        self.size = self.ia + 5

    def unpack(self, x):
        pa = self.bgs[0].p
        alpha = x[self.ia : self.ia + 4].reshape(2, 2)
        return [x[:pa], x[pa : self.ia]], alpha, math.exp(x[-1])

    def _compensators(self, beta: float):
        """``C[i][j] = sum_{k in i} (exp(-beta (lo_j - t_k)^+) - exp(-beta (T - t_k)))``
        (the excitation stream i sends into stream j's window) and its beta-derivative."""
        C, dC = np.zeros((2, 2)), np.zeros((2, 2))
        for i in range(2):
            ti = self.t[self.sel[i]]
            d_t = self.T - ti
            e_t = np.exp(-beta * d_t)
            for j in range(2):
                d_lo = np.clip(self.bgs[j].lo - ti, 0.0, None)
                e_lo = np.exp(-beta * d_lo)
                C[i, j] = float((e_lo - e_t).sum())
                dC[i, j] = float((d_t * e_t - d_lo * e_lo).sum())
        return C, dC

    def loglik_grad(self, x):
        """Log-likelihood and its gradient (``-inf`` where an intensity is not positive)."""
        b, alpha, beta = self.unpack(x)
        ia = self.ia
        sums = [decay_sums(self.t, w, beta, self.engine) for w in self.w]
        A, B = [s[0] for s in sums], [s[1] for s in sums]
        g = np.zeros(self.size)
        ll = 0.0
        for j in range(2):  # target stream
            sel, bg, f = self.sel[j], self.bgs[j], self.first[j]
            mu = np.exp(np.clip(self.X[j] @ b[j], -500, 500))
            lam = mu + beta * (alpha[0, j] * A[0][sel] + alpha[1, j] * A[1][sel])
            if np.any(lam <= 0):
                return -np.inf, g
            inv = 1.0 / lam
            m_int, m_grad = bg.integral(b[j])
            ll += float(np.log(lam).sum()) - m_int
            g[f : f + bg.p] = self.X[j].T @ (mu * inv) - m_grad
            for i in range(2):
                g[ia + 2 * i + j] += beta * float((A[i][sel] * inv).sum())
                g[-1] += alpha[i, j] * beta * float(((A[i][sel] + beta * B[i][sel]) * inv).sum())
        C, dC = self._compensators(beta)
        ll -= float((alpha * C).sum())
        g[ia : ia + 4] -= C.ravel()
        g[-1] -= float((alpha * dC).sum()) * beta
        return ll, g

    def bounds(self):
        cb = (0.0, None) if self.cross else (0.0, 0.0)
        bgb = self.bgs[0].bounds() + self.bgs[1].bounds()
        beta = log_beta_bounds(max(bg.length for bg in self.bgs))
        return [*bgb, (0.0, None), cb, cb, (0.0, None), beta]

    def free(self) -> list[int]:
        """Indices of the free parameters (the cross terms are fixed at 0 under the null)."""
        drop = set() if self.cross else {self.ia + 1, self.ia + 2}
        return [i for i in range(self.size) if i not in drop]

    def start(self):
        """Half the events to the background, 0.4 self-excitation, the best decay on a grid."""
        b = []
        for j, bg in enumerate(self.bgs):
            if bg.kind == "constant":
                b.append(np.array([math.log(0.5 * self.nk[j] / bg.length)]))
            else:
                b.append(bg.poisson_coef(self.X[j], self.nk[j]) + np.r_[math.log(0.5),
                                                                        np.zeros(bg.p - 1)])
        best = None
        c = 0.05 if self.cross else 0.0
        for mult in (0.1, 0.3, 1.0, 3.0, 10.0, 30.0):
            x = np.concatenate([b[0], b[1], [0.4, c, c, 0.4, math.log(self.n / self.T * mult)]])
            ll = self.loglik_grad(x)[0]
            if np.isfinite(ll) and (best is None or ll > best[0]):
                best = (ll, x)
        return best[1]


def _fit_bi(ta, tb, bgs, engine, cross):
    """Maximum likelihood of the full model (``cross``) or the no-cross null."""
    model = BiModel(ta, tb, bgs, engine, cross)
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
    """Backgrounds (chosen on the first draw), then the full and null fits per jitter draw:
    ``(bgs, xs, covs, logliks, null logliks, converged)``."""
    xs, covs, lls, ll0s, convs = [], [], [], [], []
    bgs = None
    for ta, tb in draws(setup.events, setup.rng, setup.n_sims, progress=False):
        if bgs is None:
            bgs = [fit_background(t, setup, j)[0] for j, t in enumerate((ta, tb))]
        x, ll, cov, conv = _fit_bi(ta, tb, bgs, setup.engine, True)
        _, ll0, _, conv0 = _fit_bi(ta, tb, bgs, setup.engine, False)
        xs.append(x)
        covs.append(cov)
        lls.append(ll)
        ll0s.append(min(ll0, ll))
        convs.append(conv and conv0)
    return bgs, xs, covs, lls, ll0s, all(convs)


def _params(bgs: list[Background], pooled: pooling.Pooled, names) -> pd.DataFrame:
    """Backgrounds of both streams, the excitation matrix (intervals truncated at 0),
    the decay and the mean delay."""
    rows = []
    for j, nm in enumerate(names):
        rows += pooling.background_rows(bgs[j], pooled, first=sum(b.p for b in bgs[:j]), label=nm)
    ia = bgs[0].p + bgs[1].p
    for i, src in enumerate(names):
        for j, dst in enumerate(names):
            q = ia + 2 * i + j
            lo = float(np.clip(pooled.lo[q], 0.0, None))  # NaN stays NaN
            rows.append((f"{src} -> {dst}", pooled.theta[q], pooled.se[q], lo, pooled.hi[q]))
    rows += pooling.decay_rows(pooled)
    return pd.DataFrame(rows, columns=pooling.COLUMNS).set_index("parameter")


def _lr_test(ll: float, ll0: float) -> tuple[float, float]:
    """LR statistic and its p-value under the chi-bar-squared mixture of the boundary."""
    lr = max(0.0, 2 * (ll - ll0))
    pval = 0.5 * stats.chi2.sf(lr, 1) + 0.25 * stats.chi2.sf(lr, 2) if lr > 0 else 1.0
    return lr, float(pval)


def _checked(pooled: pooling.Pooled, bgs, names, xs, covs, converged) -> list[str]:
    """Warn about what cannot be trusted and blank those intervals: everything for a
    degenerate fit, one excitation's interval when it sits on its bound 0."""
    ia = bgs[0].p + bgs[1].p
    notes, zero = checks.bivariate_notes(xs, covs, converged, bgs, names, ia)
    checks.warn_all(notes, "bivariate Hawkes fit")
    if notes:
        pooled.nan_intervals()
    labels = [f"{a} -> {b}" for a in names for b in names]
    for q in zero:
        note = (f"the excitation {labels[q - ia]} is on its bound 0 in some draw: no such "
                "excitation found; its interval is not estimable (the LR test allows for "
                "the bound)")
        checks.warn_all([note], "bivariate Hawkes fit")
        pooled.lo[q] = pooled.hi[q] = np.nan
        notes.append(note)
    return notes


def _result(setup: FitSetup, names, bgs, xs, covs, lls, ll0s, converged):
    ev_a, ev_b = setup.events
    pooled = pooling.pool(xs, covs)
    notes = _checked(pooled, bgs, names, xs, covs, converged)
    params = _params(bgs, pooled, names)
    ia = bgs[0].p + bgs[1].p
    exc = params.iloc[ia : ia + 4]
    ll, ll0 = float(np.mean(lls)), float(np.mean(ll0s))
    lr, pval = _lr_test(ll, ll0)
    return BivariateHawkesResult(
        names=tuple(names),
        background=bgs[0].kind,
        mu=np.array([bgs[j].mean_rate(pooled.theta[sum(b.p for b in bgs[:j]):][: bgs[j].p])
                     for j in range(2)]),
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
        trend=(bgs[0].trend, bgs[1].trend),
        observed_from=(bgs[0].lo, bgs[1].lo),
        notes=tuple(setup.notes + notes),
    )


def fit_hawkes_bivariate(
    times_a,
    times_b,
    *,
    names: tuple[str, str] = ("a", "b"),
    background: str = "trend_seasonal",
    start=None,
    end=None,
    ties: str = "jitter",
    n_sims: int = 10,
    resolution: float | None = None,
    harmonics: int = 2,
    trend: str | int | None = "auto",
    breaks=(),
    seed: int | None = None,
    engine: str | None = None,
) -> BivariateHawkesResult:
    """Fit a bivariate exponential Hawkes process with a shared decay.

    ``lambda_j(t) = mu_j(t) + beta * sum_i alpha[i, j] sum_{t^i_k < t} exp(-beta (t - t^i_k))``
    for streams ``j`` in ``names``. Inputs, windows, ties and the background options
    (``background``, ``harmonics``, ``trend``, ``breaks``) follow :func:`fit_hawkes`; each stream has
    its own background, and with ``trend="auto"`` its own trend, chosen by the AIC of
    the stream's univariate fit. Both streams share ``start`` and ``end``, except that a
    stream whose first event comes implausibly late for its rate (a group that appears
    in the middle of the window) is fitted over its own window, from its first event,
    with an ``EstimationWarning``. ``n_sims`` jitter draws are pooled by Rubin's rules.

    Returns
    -------
    BivariateHawkesResult
        The 2x2 excitation matrix ``alpha[i, j]`` (stream i triggers stream j) with 95%
        intervals (NaN for an excitation on its bound 0, and all NaN for a degenerate
        fit; ``notes`` say why) and a likelihood-ratio test of ``alpha_ab = alpha_ba = 0``.
        With ``background="constant"`` a surge is read as (cross-)excitation.
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
        breaks=breaks,
    )
    return _result(setup, names, *_fit_draws(setup))
