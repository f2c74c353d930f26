r"""The choice of :math:`x_{\min}` (Clauset, Shalizi & Newman 2009, section 3.3).

For every candidate :math:`x_{\min}` (each distinct observed value except the largest)
:math:`\alpha` is the exact maximum-likelihood estimate, found for all candidates at once
(:func:`.power_law.mle_alpha_discrete`), and :math:`x_{\min}` is the candidate whose fit
has the smallest Kolmogorov–Smirnov distance over the tail,

.. math::
    D = \sup_{x \ge x_{\min}} |S_{\rm data}(x) - S_{\rm fit}(x)|,

where for discrete data the supremum runs over every integer :math:`\ge x_{\min}`, as in
CSN's reference code.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
from scipy import special

from ._checks import SeverityInputError
from .power_law import hurwitz_zeta, mle_alpha_continuous, mle_alpha_discrete

__all__ = ["Scan", "best", "fit_point", "scan"]


@dataclasses.dataclass(frozen=True)
class Scan:
    """The candidate thresholds with their exponents, KS distances and tail sizes."""

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


def _chunks(lengths: np.ndarray, cells: int):
    """Consecutive slices of candidates whose rows hold about ``cells`` cells in all."""
    start = 0
    while start < lengths.size:
        stop, total = start + 1, lengths[start]
        while stop < lengths.size and total + lengths[stop] <= cells:
            total += lengths[stop]
            stop += 1
        yield slice(start, stop), int(total)
        start = stop


def _ks_discrete(u, j_idx, qs, alphas, ntail, cum, chunk_cells: int = 2_000_000) -> np.ndarray:
    """KS distance of each candidate j over all integers >= x_min (CSN's definition).

    Only the triangle i >= j of (candidate, distinct value) pairs is evaluated, flattened,
    in chunks of about ``chunk_cells`` pairs. Between two distinct observed values the
    empirical CDF is flat and the fitted one rises, so the supremum over the integers is
    attained at an observed value or just below the next one.
    """
    D = np.empty(j_idx.size)
    lengths = u.size - j_idx
    for sl, total in _chunks(lengths, chunk_cells):
        js, L = j_idx[sl], lengths[sl]
        a, q, nt = alphas[sl], qs[sl], ntail[sl]
        offsets = np.r_[0, np.cumsum(L)[:-1]]
        row = np.repeat(np.arange(js.size), L)
        cols = js[row] + (np.arange(total) - offsets[row])
        zq = special.zeta(a, q)
        ar, uu = a[row], u[cols]
        s_ge = hurwitz_zeta(ar, uu) / zq[row]  # fitted P(X >= u_i)
        fit_le = 1.0 - (s_ge - uu ** (-ar) / zq[row])  # fitted P(X <= u_i)
        before = np.where(js > 0, cum[np.maximum(js - 1, 0)], 0)
        emp_le = (cum[cols] - before[row]) / nt[row]  # empirical P(X <= u_i)
        s_next = np.r_[s_ge[1:], 0.0]
        s_next[offsets + L - 1] = 0.0  # beyond the largest value the fit's CDF tends to 1
        d = np.maximum(np.abs(emp_le - fit_le), np.abs(1.0 - s_next - emp_le))
        # integers from x_min up to the first observed value (none unless x_min was fixed)
        first_gap = 1.0 - s_ge[offsets]
        D[sl] = np.maximum(np.maximum.reduceat(d, offsets), first_gap)
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


def _candidates(values: np.ndarray, xmin: Any, first: np.ndarray) -> np.ndarray:
    """Indices (into ``values``) of the candidate thresholds: ``first`` when scanning,
    else the first value at or above the given ``xmin``."""
    if isinstance(xmin, str):
        return first
    j_idx = np.flatnonzero(values >= float(xmin))[:1]
    if j_idx.size == 0:
        raise SeverityInputError(f"xmin={xmin} is above every observed value.")
    return j_idx


def _scan_discrete(pos: np.ndarray, xmin: Any) -> Scan:
    u, c = _unique_counts(pos)
    ntail_all = np.cumsum(c[::-1])[::-1]
    sumlog_all = np.cumsum((c * np.log(u))[::-1])[::-1]
    j_idx = _candidates(u, xmin, np.arange(u.size - 1))  # every distinct value but the largest
    q = u[j_idx] if isinstance(xmin, str) else np.array([float(xmin)])
    nt = ntail_all[j_idx]
    alphas, info = mle_alpha_discrete(nt, sumlog_all[j_idx], q)
    ks = _ks_discrete(u, j_idx, q, alphas, nt.astype(float), np.cumsum(c))
    return Scan(q, alphas, ks, nt, info)


def _scan_continuous(pos: np.ndarray, xmin: Any) -> Scan:
    pos = np.sort(pos)
    sumlog_suffix = np.cumsum(np.log(pos)[::-1])[::-1]
    first = np.flatnonzero(np.r_[True, pos[1:] != pos[:-1]])  # first index of each value
    j_idx = _candidates(pos, xmin, first[pos[first] < pos[-1]])
    nt = pos.size - j_idx
    q = pos[j_idx] if isinstance(xmin, str) else np.array([float(xmin)])
    alphas = mle_alpha_continuous(nt, sumlog_suffix[j_idx], q)
    ks = _ks_continuous(pos, j_idx, q, alphas)
    return Scan(q, alphas, ks, nt, 1.0 / (alphas - 1.0) ** 2)


def scan(x: np.ndarray, discrete: bool, xmin: Any = "ks") -> Scan:
    """Fit alpha at every candidate x_min (or the given one) and compute the KS distances."""
    pos = x[x > 0]
    return _scan_discrete(pos, xmin) if discrete else _scan_continuous(pos, xmin)


def best(s: Scan) -> int:
    """Index of the candidate with the smallest KS distance among valid fits (alpha > 1)."""
    ok = np.isfinite(s.ks) & (s.alphas > 1.0) & np.isfinite(s.alphas)
    if not ok.any():
        raise SeverityInputError("no candidate x_min gives a valid power-law fit (alpha > 1).")
    return int(np.flatnonzero(ok)[np.argmin(s.ks[ok])])


def fit_point(x: np.ndarray, discrete: bool, xmin: Any = "ks") -> tuple[float, float, int, float]:
    """(x_min, alpha, n_tail, D) of the full CSN procedure on ``x``."""
    s = scan(x, discrete, xmin)
    b = best(s)
    return float(s.xmins[b]), float(s.alphas[b]), int(s.n_tail[b]), float(s.ks[b])
