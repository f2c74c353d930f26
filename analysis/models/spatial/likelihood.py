"""Log-likelihood, score and observed Fisher information of the endemic–epidemic model.

With ``mu_it = e_it nu_t + lambda Y_i,t-1 + phi Z_it``, ``nu_t = exp(x_t' beta)``,
``lambda = exp(ar)``, ``phi = exp(ne)`` and ``Z_it = sum_j w_ji(d) Y_j,t-1``, the
negative-binomial log-likelihood of one cell, with size ``r = 1/psi = exp(eta)``, is

    lgamma(y + r) - lgamma(r) - lgamma(y + 1) - r log(1 + mu/r) - y log(1 + r/mu)

(Poisson: ``y log mu - mu - lgamma(y + 1)``). Everything is vectorised over periods and
units: derivatives with respect to the mean are formed cell by cell and contracted with
the derivatives of the mean, and the gamma-function terms, which depend on the counts
only through their distinct values, are summed over those values. The internal
parameter vector is ``(ar, ne, beta..., [d], [eta])``, as R surveillance's ``hhh4``
(whose ``-log(overdisp)`` is ``eta``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import digamma, gammaln, polygamma

from .design import Design

__all__ = ["Means", "evaluate", "means"]


@dataclass
class Means:
    """The three components of the mean at one parameter vector, cell by cell."""

    endemic: np.ndarray
    autoregressive: np.ndarray
    neighbourhood: np.ndarray
    nu: np.ndarray  # endemic rate per row, exp(x' beta)
    dne: tuple  # d(neighbourhood)/dd and d2/dd2 (empty without power-law weights)

    @property
    def total(self) -> np.ndarray:
        return self.endemic + self.autoregressive + self.neighbourhood


def unpack(theta: np.ndarray, design: Design):
    """(ar, ne, endemic coefficients, d or None, eta or None) from the parameter vector."""
    p = design.n_end
    beta = theta[2 : 2 + p]
    k = 2 + p
    d = None
    if design.powerlaw is not None:
        d, k = theta[k], k + 1
    eta = theta[k] if design.family == "negbin1" else None
    return theta[0], theta[1], beta, d, eta


def means(theta: np.ndarray, design: Design, derivatives: int = 0) -> Means:
    """The mean's components (and the neighbourhood part's derivatives in ``d``)."""
    a, b, beta, d, _ = unpack(theta, design)
    k = design.n_alpha
    nu = np.exp(design.x @ beta[k:])
    phi = np.exp(b)
    z = design.neighbour_sums(d, derivatives if d is not None else 0)
    endemic = design.expo * nu[:, None]
    if k:
        endemic = endemic * np.exp(beta[:k])[None, :]
    return Means(
        endemic=endemic,
        autoregressive=np.exp(a) * design.ylag,
        neighbourhood=phi * z[0],
        nu=nu,
        dne=tuple(phi * zk for zk in z[1:]),
    )


def _cell_terms(y, mu, r, obs):
    """Per-cell log-likelihood and its first two derivatives in mu (masked)."""
    if r is None:
        ll = y * np.log(mu) - mu
        s1 = y / mu - 1.0
        s2 = -y / mu**2
    else:
        rm = r + mu
        ll = -r * np.log1p(mu / r) - y * np.log1p(r / mu)
        s1 = y / mu - (y + r) / rm
        s2 = (y + r) / rm**2 - y / mu**2
    if obs is not None:
        ll, s1, s2 = ll * obs, s1 * obs, s2 * obs
    return ll, s1, s2


def evaluate(theta: np.ndarray, design: Design, order: int = 2):
    """Log-likelihood (order 0), with the score (1) and the observed Fisher information (2).

    Returns ``loglik``, ``(loglik, score)`` or ``(loglik, score, fisher)``.
    """
    *_, d, eta = unpack(theta, design)
    m = means(theta, design, derivatives=order if d is not None else 0)
    mu = m.total
    y, obs = design.y, design.observed
    obs = None if obs is None else obs.astype(float)
    r = None if eta is None else float(np.exp(eta))
    ll_c, s1, s2 = _cell_terms(y, mu, r, obs)
    vals, freqs = design.values, design.freqs
    ll = float(ll_c.sum()) - design.const
    if r is not None:
        ll += float(freqs @ (gammaln(vals + r) - gammaln(r)))
    if order == 0:
        return ll
    # derivatives of the mean: the non-endemic parameters cell by cell, the endemic
    # ones as (endemic part) × covariate of the row
    fields = [m.autoregressive, m.neighbourhood] + ([m.dne[0]] if d is not None else [])
    end = m.endemic
    g_f = np.array([np.sum(s1 * f) for f in fields])
    g_b = _endemic_contract(design, s1 * end)
    grads = [g_f, g_b]
    if r is not None:
        rm = r + mu
        dr_c = -np.log1p(mu / r) + (mu - y) / rm
        if obs is not None:
            dr_c = dr_c * obs
        g_r = float(freqs @ (digamma(vals + r) - digamma(r))) + float(dr_c.sum())
        grads.append(np.array([r * g_r]))
    # derivatives come as (ar, ne, [d], beta..., [eta]); theta is (ar, ne, beta..., [d], [eta])
    perm = _order(design)
    score = np.empty(len(perm))
    score[perm] = np.concatenate(grads)
    if order == 1:
        return ll, score
    fisher = np.empty((len(perm), len(perm)))
    fisher[np.ix_(perm, perm)] = -_hessian(design, m, fields, s1, s2, y, mu, r, obs, g_r if r is not None else 0.0)
    return ll, score, fisher


def _endemic_contract(design: Design, cells: np.ndarray) -> np.ndarray:
    """Sum of ``cells`` (already times the endemic part) against each endemic coefficient:
    per unit for unit intercepts, against the covariate of the row for the others."""
    shared = design.x.T @ cells.sum(axis=1)
    return np.concatenate([cells.sum(axis=0), shared]) if design.n_alpha else shared


def _endemic_block(design: Design, cells: np.ndarray) -> np.ndarray:
    """The endemic coefficients' block of second derivatives from ``s2 e**2 + s1 e``."""
    x = design.x
    shared = (x * cells.sum(axis=1)[:, None]).T @ x
    if not design.n_alpha:
        return shared
    cross = cells.T @ x
    return np.block([[np.diag(cells.sum(axis=0)), cross], [cross.T, shared]])


def _order(design: Design) -> list[int]:
    """Positions in theta of the derivatives' order (ar, ne, [d], beta..., [eta])."""
    p = design.n_end
    pl = design.powerlaw is not None
    n = 2 + p + pl + (design.family == "negbin1")
    return [0, 1] + ([2 + p] if pl else []) + list(range(2, 2 + p)) + ([n - 1] if n > 2 + p + pl else [])


def _hessian(design, m, fields, s1, s2, y, mu, r, obs, g_r):
    """Second derivatives of the log-likelihood in the internal parameters."""
    end = m.endemic
    nf, p = len(fields), design.n_end
    n = nf + p + (r is not None)
    h = np.empty((n, n))
    for k in range(nf):
        for j in range(k, nf):
            h[k, j] = h[j, k] = np.sum(s2 * fields[k] * fields[j])
        h[k, nf : nf + p] = h[nf : nf + p, k] = _endemic_contract(design, s2 * fields[k] * end)
    # the mean's own second derivatives: d2/da2 = AR part, d2/db2 = NE part,
    # d2/db dd = dNE/dd, d2/dd2 = d2NE/dd2; endemic: x x' times the endemic part
    h[0, 0] += np.sum(s1 * fields[0])
    h[1, 1] += np.sum(s1 * fields[1])
    if nf == 3:
        h[1, 2] += np.sum(s1 * fields[2])
        h[2, 1] = h[1, 2]
        h[2, 2] += np.sum(s1 * m.dne[1])
    h[nf : nf + p, nf : nf + p] = _endemic_block(design, s2 * end**2 + s1 * end)
    if r is not None:
        rm = r + mu
        cross = (y - mu) / rm**2
        rr = 1.0 / r - 1.0 / rm - (mu - y) / rm**2
        if obs is not None:
            cross, rr = cross * obs, rr * obs
        vals, freqs = design.values, design.freqs
        h_rr = float(freqs @ (polygamma(1, vals + r) - polygamma(1, r))) + float(rr.sum())
        e = n - 1
        h[e, :nf] = h[:nf, e] = [r * np.sum(cross * f) for f in fields]
        h[e, nf : nf + p] = h[nf : nf + p, e] = r * _endemic_contract(design, cross * end)
        h[e, e] = r * r * h_rr + r * g_r
    return h
