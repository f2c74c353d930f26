"""Change points in count series by PELT: :func:`change_points`, :class:`ChangePointResult`.

PELT (Killick, Fearnhead & Eckley 2012) finds the segmentation that minimises

.. math::

    \\sum_{i=0}^{m} C(y_{\\tau_i : \\tau_{i+1}}) + \\beta\\, m

exactly, pruning candidate change points that can never be optimal. The segment costs
are twice the negative maximised log-likelihood (constants dropped), computed in O(1)
from cumulative sums:

* ``"poisson"``: :math:`2\\,(S - S\\log(S/n))` for a segment of length :math:`n` and sum
  :math:`S` (rate :math:`S/n`);
* ``"negbin"``: NB2 with a common dispersion :math:`\\alpha` (``size`` :math:`r=1/\\alpha`)
  and the segment mean :math:`\\mu=S/n`:
  :math:`-2\\,[\\,n r\\log\\frac{r}{r+\\mu} + S\\log\\frac{\\mu}{r+\\mu}\\,]`;
* ``"l2"``: :math:`\\sum (y-\\bar y)^2` (the cost of ruptures' ``"l2"`` model).

The recursion runs in numba when it is installed and in vectorised NumPy otherwise;
both give the same breakpoints as ``ruptures.Pelt`` with the same ``min_size``/``jump``.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from ..errors import InputError
from ..results import Result, get_axes

__all__ = ["ChangePointError", "ChangePointResult", "change_points", "pelt"]

COSTS = ("poisson", "negbin", "l2")
_COST_CODE = {"l2": 0, "poisson": 1, "negbin": 2}


class ChangePointError(InputError):
    """The series or the options of :func:`change_points` cannot be used."""


# ====================================================================== segment costs
def _segment_cost_np(s1, s2, m, code, r):
    """Vectorised segment cost from sums s1 (y), s2 (y^2) and lengths m."""
    if code == 0:
        return s2 - s1 * s1 / m
    mu = s1 / m
    with np.errstate(divide="ignore", invalid="ignore"):
        if code == 1:
            out = 2.0 * (s1 - s1 * np.log(mu))
        else:
            out = -2.0 * (m * r * np.log(r / (r + mu)) + s1 * np.log(mu / (r + mu)))
    return np.where(s1 > 0, out, 0.0)


def _pelt_numpy(cs1, cs2, pos, code, r, pen, min_size):
    """PELT over candidate positions ``pos`` (0 first, n last). Returns last-change array."""
    k = len(pos)
    F = np.full(k, np.inf)
    F[0] = -pen
    last = np.zeros(k, dtype=np.int64)
    adm = np.empty(0, dtype=np.int64)
    nxt = 0
    for j in range(1, k):
        add = []
        while nxt < j and pos[j] - pos[nxt] >= min_size:
            add.append(nxt)
            nxt += 1
        if add:
            adm = np.concatenate([adm, np.asarray(add, dtype=np.int64)])
        if len(adm) == 0:
            continue
        ps = pos[adm]
        pe = pos[j]
        c = _segment_cost_np(cs1[pe] - cs1[ps], cs2[pe] - cs2[ps], (pe - ps).astype(np.float64), code, r)
        tot = F[adm] + c
        b = int(np.argmin(tot))
        F[j] = tot[b] + pen
        last[j] = adm[b]
        adm = adm[tot <= F[j]]
    return last, F


def _pelt_loop(cs1, cs2, pos, code, r, pen, min_size):  # compiled with numba when available
    k = pos.shape[0]
    F = np.empty(k)
    F[:] = np.inf
    F[0] = -pen
    last = np.zeros(k, dtype=np.int64)
    adm = np.empty(k, dtype=np.int64)
    tot = np.empty(k)
    n_adm = 0
    nxt = 0
    for j in range(1, k):
        while nxt < j and pos[j] - pos[nxt] >= min_size:
            adm[n_adm] = nxt
            n_adm += 1
            nxt += 1
        if n_adm == 0:
            continue
        pe = pos[j]
        best = np.inf
        bi = 0
        for a in range(n_adm):
            i = adm[a]
            ps = pos[i]
            s1 = cs1[pe] - cs1[ps]
            m = float(pe - ps)
            if code == 0:
                c = (cs2[pe] - cs2[ps]) - s1 * s1 / m
            elif s1 <= 0.0:
                c = 0.0
            elif code == 1:
                c = 2.0 * (s1 - s1 * math.log(s1 / m))
            else:
                mu = s1 / m
                c = -2.0 * (m * r * math.log(r / (r + mu)) + s1 * math.log(mu / (r + mu)))
            t = F[i] + c
            tot[a] = t
            if t < best:
                best = t
                bi = i
        F[j] = best + pen
        last[j] = bi
        w = 0
        for a in range(n_adm):
            if tot[a] <= F[j]:
                adm[w] = adm[a]
                w += 1
        n_adm = w
    return last, F


_FAST: list = []


def _pelt_compiled():
    """The numba-compiled PELT loop, or None without numba (compiled on first use, so
    that importing the package stays fast)."""
    if not _FAST:
        try:
            import numba

            _FAST.append(numba.njit(cache=True)(_pelt_loop))
        except Exception:  # pragma: no cover - numba missing or broken
            _FAST.append(None)
    return _FAST[0]


def pelt(
    y: np.ndarray,
    penalty: float,
    *,
    cost: str = "poisson",
    min_size: int = 2,
    jump: int = 1,
    alpha: float | None = None,
    engine: str = "auto",
) -> list[int]:
    """Exact PELT segmentation of a 1-d array; returns the change positions.

    Parameters
    ----------
    y : array
        The series (counts for "poisson"/"negbin").
    penalty : float
        Cost of one more change point (on the -2 log-likelihood scale for the count
        costs, on the sum-of-squares scale for "l2").
    cost : {"poisson", "negbin", "l2"}
    min_size : int
        Minimum segment length.
    jump : int
        Only positions that are multiples of ``jump`` may be change points (as in
        ruptures).
    alpha : float
        NB2 dispersion for ``cost="negbin"``.
    engine : {"auto", "numba", "numpy"}
        "auto" uses numba (when installed) for series longer than 5,000 points.

    Returns
    -------
    list of int
        Positions ``t`` where a new segment starts (``0 < t < n``), increasing.
        ``ruptures`` reports the same points followed by ``n``.
    """
    y = np.asarray(y, dtype=np.float64)
    n = len(y)
    code = _COST_CODE[cost]
    r = 1.0 / alpha if (cost == "negbin" and alpha) else 0.0
    if cost == "negbin" and not r > 0:
        raise ChangePointError("cost='negbin' needs a positive dispersion alpha")
    cs1 = np.concatenate([[0.0], np.cumsum(y)])
    cs2 = np.concatenate([[0.0], np.cumsum(y * y)])
    ends = [k for k in range(0, n, jump) if k >= min_size]
    pos = np.asarray([0, *ends, n], dtype=np.int64)
    pos = np.unique(pos)
    if engine not in ("auto", "numba", "numpy"):
        raise ChangePointError("engine must be 'auto', 'numba' or 'numpy'")
    # numba pays off beyond a few thousand points (compiling costs about a second once)
    want_fast = engine == "numba" or (engine == "auto" and n > 5000)
    fast = _pelt_compiled() if want_fast else None
    if fast is not None:
        last, _ = fast(cs1, cs2, pos, code, r, float(penalty), int(min_size))
    else:
        last, _ = _pelt_numpy(cs1, cs2, pos, code, r, float(penalty), int(min_size))
    out = []
    j = len(pos) - 1
    while j > 0:
        i = int(last[j])
        if i > 0:
            out.append(int(pos[i]))
        j = i
    return sorted(out)


# ====================================================================== the result
@dataclasses.dataclass(frozen=True, repr=False, eq=False)
class ChangePointResult(Result):
    r"""Change points of a count series found by PELT.

    The segmentation :math:`0=\tau_0<\tau_1<\dots<\tau_m<\tau_{m+1}=n` minimises

    .. math::

        \sum_{i=0}^{m} C(y_{\tau_i:\tau_{i+1}}) + \beta m,

    with :math:`C` twice the negative maximised log-likelihood of a segment with its
    own rate :math:`\lambda_i` (Poisson, or NB2 with a common dispersion
    :math:`\alpha`), or the within-segment sum of squares ("l2"). Within segment
    :math:`i`, :math:`E[Y_t] = \lambda_i`. The BIC penalty is
    :math:`\beta = 2\log n` (a rate and a location per change) on the -2 log-likelihood
    scale, :math:`2\hat\sigma^2\log n` for "l2" (:math:`\hat\sigma` from the MAD of
    first differences).

    Attributes
    ----------
    breakpoints : tuple of int
        Positions where new segments start.
    dates : tuple
        The index labels of those positions (the first period of each new regime).
    segments : DataFrame
        One row per segment: start, end, periods, total, rate (mean per period) and its
        confidence interval (exact Poisson; NB2 delta method on the log scale; t for
        "l2"), and the rate ratio to the previous segment.
    penalty_path : DataFrame
        One row per penalty tried: penalty, number of changes, total cost, BIC,
        breakpoints (dates).
    """

    title = "Change points (PELT)"

    series: pd.Series
    cost: str
    penalty: float
    penalty_rule: str
    min_size: int
    alpha: float | None
    breakpoints: tuple[int, ...]
    dates: tuple
    segments: pd.DataFrame
    penalty_path: pd.DataFrame
    conf_level: float = 0.95

    def _table(self) -> pd.DataFrame:
        """The segments with their rates and confidence intervals."""
        return self.segments

    def summary_lines(self) -> list[tuple[str, str]]:
        lab = [d.strftime("%Y-%m-%d") if hasattr(d, "strftime") else str(d) for d in self.dates]
        lines = [
            ("Cost", self.cost + (f" (alpha {self.alpha:.4g})" if self.alpha else "")),
            ("Penalty", f"{self.penalty:.4g} ({self.penalty_rule})"),
            ("Observations", str(len(self.series))),
            ("Change points", f"{len(self.breakpoints)}: {', '.join(lab) if lab else 'none'}"),
        ]
        if len(self.penalty_path) > 1:
            lines.append(("Penalties tried", str(len(self.penalty_path))))
        return lines

    def plot(self, ax=None):
        """The series with segment rates, their confidence bands and the change points."""
        ax = get_axes(ax, figsize=(9, 4))
        s = self.series
        ax.plot(s.index, s.to_numpy(), color="0.55", lw=0.8, label="observed")
        for k, (_, seg) in enumerate(self.segments.iterrows()):
            x = s.index[int(seg["start_pos"]) : int(seg["end_pos"])]
            ax.hlines(seg["rate"], x[0], x[-1], color="C1", lw=2, label="segment rate" if k == 0 else None)
            ax.fill_between([x[0], x[-1]], seg["rate_low"], seg["rate_high"], color="C1", alpha=0.2, lw=0)
        for d in self.dates:
            ax.axvline(d, ls="--", color="0.3", lw=1)
        ax.set_title(self.title)
        ax.legend(loc="best", frameon=False)
        return ax


# ====================================================================== entry point
def _as_series(series) -> pd.Series:
    if isinstance(series, pd.DataFrame):
        if series.shape[1] != 1:
            raise ChangePointError("change_points takes one series; select a column")
        series = series.iloc[:, 0]
    if isinstance(series, (np.ndarray, list, tuple)):
        series = pd.Series(np.asarray(series))
    if not isinstance(series, pd.Series):
        raise ChangePointError(f"series must be a pandas Series or a 1-d array, not {type(series).__name__}")
    if isinstance(series.index, pd.DatetimeIndex):
        if (series.index.freq is None and len(series) >= 3
                and pd.DatetimeIndex(series.index, freq="infer").freq is None):
            raise ChangePointError(
                "series index is irregular (uneven spacing or missing periods); build it with "
                "analysis.incident_counts so that every period is present"
            )
    values = pd.to_numeric(series, errors="coerce").astype("Float64")
    n_na = int(values.isna().sum())
    if n_na:
        raise ChangePointError(
            f"series has {n_na} missing values (periods outside the coverage?); segment a "
            "covered span (series.loc[start:end]) - gaps are never dropped silently"
        )
    return pd.Series(values.to_numpy(dtype="float64"), index=series.index, name=series.name)


def _bic_penalty(y: np.ndarray, cost: str) -> float:
    n = len(y)
    if cost == "l2":
        d = np.diff(y)
        sigma = stats.median_abs_deviation(d, scale="normal") / math.sqrt(2) if len(d) else 0.0
        if sigma <= 0:
            sigma = np.std(d) / math.sqrt(2) if len(d) else 1.0
        return 2.0 * sigma**2 * math.log(n)
    return 2.0 * math.log(n)


def _estimate_alpha(y: np.ndarray, bkps: Sequence[int]) -> float:
    """Moment estimate of a common NB2 dispersion around the segment means."""
    edges = [0, *bkps, len(y)]
    num = den = 0.0
    for a, b in itertools.pairwise(edges):
        seg = y[a:b]
        mu = seg.mean()
        if mu > 0:
            num += np.sum((seg - mu) ** 2 - seg)
            den += len(seg) * mu**2
    return max(num / den, 1e-4) if den > 0 else 1e-4


def _segments(series: pd.Series, bkps, cost: str, alpha, conf_level: float) -> pd.DataFrame:
    y = series.to_numpy()
    edges = [0, *bkps, len(y)]
    rows = []
    z = stats.norm.ppf(0.5 + conf_level / 2)
    prev = None
    for a, b in itertools.pairwise(edges):
        seg = y[a:b]
        m, tot = len(seg), float(seg.sum())
        rate = tot / m
        if cost == "poisson":
            q = (1 - conf_level) / 2
            lo = stats.chi2.ppf(q, 2 * tot) / (2 * m) if tot > 0 else 0.0
            hi = stats.chi2.ppf(1 - q, 2 * tot + 2) / (2 * m)
        elif cost == "negbin":
            if rate > 0:
                se_log = math.sqrt((1 / rate + alpha) / m)
                lo, hi = rate * math.exp(-z * se_log), rate * math.exp(z * se_log)
            else:
                lo, hi = 0.0, stats.chi2.ppf(conf_level, 2) / (2 * m)
        else:
            sd = seg.std(ddof=1) if m > 1 else np.nan
            tq = stats.t.ppf(0.5 + conf_level / 2, max(m - 1, 1))
            lo, hi = rate - tq * sd / math.sqrt(m), rate + tq * sd / math.sqrt(m)
        rows.append({
            "start": series.index[a], "end": series.index[b - 1], "start_pos": a, "end_pos": b,
            "periods": m, "total": tot, "rate": rate, "rate_low": lo, "rate_high": hi,
            "ratio_to_previous": rate / prev if prev else np.nan,
        })
        prev = rate
    out = pd.DataFrame(rows)
    out.index = pd.RangeIndex(1, len(out) + 1, name="segment")
    return out


def _total_cost(y, bkps, cost, alpha) -> float:
    edges = [0, *bkps, len(y)]
    code = _COST_CODE[cost]
    r = 1.0 / alpha if alpha else 0.0
    s1 = np.asarray([y[a:b].sum() for a, b in itertools.pairwise(edges)])
    s2 = np.asarray([(y[a:b] ** 2).sum() for a, b in itertools.pairwise(edges)])
    m = np.diff(edges).astype(float)
    return float(_segment_cost_np(s1, s2, m, code, r).sum())


def change_points(
    series,
    *,
    cost: str = "poisson",
    penalty: str | float | Sequence[float] = "bic",
    min_size: int = 2,
    jump: int = 1,
    alpha: float | None = None,
    conf_level: float = 0.95,
) -> ChangePointResult:
    """Find change points in a count series with PELT.

    Parameters
    ----------
    series : Series or 1-d array
        Counts on a regular index (e.g. from :func:`analysis.incident_counts`), no NA.
    cost : {"poisson", "negbin", "l2"}
        Segment model: exact Poisson or NB2 likelihood with a rate per segment, or the
        squared-error cost.
    penalty : "bic", float, or list of floats
        Cost of each change: ``"bic"`` (see :class:`ChangePointResult`), a number, or a
        grid. With a grid the breakpoints at every value are in ``penalty_path`` and the
        result uses the value whose segmentation has the lowest BIC.
    min_size : int
        Minimum number of periods per segment.
    jump : int
        Candidate change points every ``jump`` periods (1 = every period).
    alpha : float, optional
        NB2 dispersion for ``cost="negbin"``; default: estimated by moments around the
        segment means, alternating with BIC segmentations (starting from a Poisson one)
        until the segmentation no longer changes.
    conf_level : float
        Level of the segment-rate intervals.

    Returns
    -------
    ChangePointResult

    Examples
    --------
    >>> y = analysis.incident_counts(analysis.simulate_incidents(seed=1), "W")  # doctest: +SKIP
    >>> analysis.change_points(y, cost="negbin").dates                       # doctest: +SKIP
    """
    if cost not in COSTS:
        raise ChangePointError(f"cost must be one of {COSTS}, not {cost!r}")
    s = _as_series(series)
    y = s.to_numpy()
    n = len(y)
    if int(min_size) < 1 or int(jump) < 1:
        raise ChangePointError("min_size and jump must be positive integers")
    min_size, jump = int(min_size), int(jump)
    if n < 2 * min_size:
        raise ChangePointError(
            f"series too short: {n} periods cannot hold two segments of min_size={min_size}"
        )
    if cost in ("poisson", "negbin"):
        if np.any(y < 0) or np.any(np.abs(y - np.round(y)) > 1e-9):
            raise ChangePointError(f"cost={cost!r} needs non-negative whole counts; use cost='l2' otherwise")
        if np.all(y == 0):
            raise ChangePointError("series is all zeros: there is no rate to segment")
    if cost == "l2" and np.ptp(y) == 0:
        raise ChangePointError("series is constant: there is nothing to segment")
    if alpha is not None and not alpha > 0:
        raise ChangePointError("alpha must be positive")

    bic = _bic_penalty(y, cost)
    if isinstance(penalty, str):
        if penalty.lower() != "bic":
            raise ChangePointError("penalty must be 'bic', a number or a list of numbers")
        grid, rule = [bic], "BIC"
    elif np.ndim(penalty) == 0:
        grid, rule = [float(penalty)], "given"
    else:
        grid, rule = [float(p) for p in penalty], "grid, lowest BIC"
        if not grid:
            raise ChangePointError("penalty grid is empty")
    if any(not np.isfinite(p) or p < 0 for p in grid):
        raise ChangePointError("penalties must be non-negative numbers")

    if cost == "negbin" and alpha is None:
        # alternate: segment, estimate alpha around the segment means, re-segment with the
        # NB cost, until the segmentation stops changing (from a Poisson segmentation)
        seg = pelt(y, 2 * math.log(n), cost="poisson", min_size=min_size, jump=jump)
        for _ in range(10):
            alpha = _estimate_alpha(y, seg)
            new = pelt(y, 2 * math.log(n), cost="negbin", min_size=min_size, jump=jump, alpha=alpha)
            if new == seg:
                break
            seg = new
    a = alpha if cost == "negbin" else None

    path = []
    for pen in grid:
        b = pelt(y, pen, cost=cost, min_size=min_size, jump=jump, alpha=a)
        c = _total_cost(y, b, cost, a)
        crit = c + bic * len(b)
        path.append({"penalty": pen, "n_changes": len(b), "cost": c, "bic": crit,
                     "breakpoints": tuple(s.index[i] for i in b), "_pos": tuple(b)})
    path_df = pd.DataFrame(path)
    best = int(path_df["bic"].idxmin()) if len(grid) > 1 else 0
    bk = path_df.loc[best, "_pos"]
    path_df = path_df.drop(columns="_pos")
    return ChangePointResult(
        series=s, cost=cost, penalty=float(grid[best]), penalty_rule=rule, min_size=min_size,
        alpha=a, breakpoints=tuple(bk), dates=tuple(s.index[i] for i in bk),
        segments=_segments(s, bk, cost, a, conf_level), penalty_path=path_df, conf_level=conf_level,
    )
