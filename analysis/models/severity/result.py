"""The results of the severity models: :class:`SeverityResult` and :class:`LargeEventResult`."""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pandas as pd

from ...results import Result, get_axes
from ._checks import MIN_RELIABLE_TAIL
from .alternatives import MODELS, model_log_sf
from .power_law import power_law_sf
from .sampling import percentile_interval

__all__ = ["LargeEventResult", "SeverityResult"]


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
    gof_p, gof_ks : bootstrap p-value and the synthetic KS distances (NaN/empty if n_sims=0).
    comparisons : one row per alternative: parameters, R, normalised R, p, preferred model.
    scan : DataFrame of candidate x_min with alpha and KS distance.
    conf_level : level of the bootstrap percentile intervals.
    notes : why intervals and tests are missing (at most 20 tail points), else empty.
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
    conf_level: float = 0.95
    notes: tuple[str, ...] = ()

    @property
    def tail_share(self) -> float:
        """n_tail / n: the share of events in the power-law tail."""
        return self.n_tail / self.n

    @property
    def reliable(self) -> bool:
        """False when the tail has fewer than 50 points (CSN: estimates are then unstable)."""
        return self.n_tail >= MIN_RELIABLE_TAIL

    def _table(self) -> pd.DataFrame:
        rows = []
        for name, est, se in (
            ("alpha", self.alpha, self.alpha_se),
            ("x_min", self.x_min, np.nan),
            ("n_tail", float(self.n_tail), np.nan),
        ):
            v = self.boot[name].to_numpy(float) if not self.boot.empty else []
            lo, hi = percentile_interval(v, self.conf_level)
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
        se = f"se {self.alpha_se:.3f}" if np.isfinite(self.alpha_se) else "no interval"
        lines = [
            ("model", f"{kind} power law above x_min"),
            ("alpha", f"{self.alpha:.3f} ({se})"),
            ("x_min", f"{self.x_min:g}"),
            ("n_tail / n", f"{self.n_tail} / {self.n} ({self.tail_share:.1%})"),
            ("KS distance", f"{self.ks_distance:.4f}"),
        ]
        if np.isfinite(self.gof_p):
            verdict = "power law plausible" if self.gof_p > 0.1 else "power law ruled out (p <= 0.1)"
            mc = np.sqrt(self.gof_p * (1 - self.gof_p) / len(self.gof_ks))
            lines.append(("GOF p (bootstrap)", f"{self.gof_p:.3f} (Monte Carlo se {mc:.3f}) over "
                                               f"{len(self.gof_ks)} draws: {verdict}"))
        for note in self.notes:
            lines.append(("not estimable from these data", note))
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
            ls = [model_log_sf(m, theta, g, self.x_min, self.discrete) for g in grid]
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
    conf_level : level of the bootstrap percentile intervals.
    notes : why the intervals are missing (at most 20 tail points), else empty.
    """

    title = "Probability of a large event (Clauset-Woodard)"

    size: float
    n_events: int
    n: int
    table: pd.DataFrame
    boot: pd.DataFrame
    conf_level: float = 0.95
    seed: Any = None
    notes: tuple[str, ...] = ()

    def _table(self) -> pd.DataFrame:
        return self.table

    def summary_lines(self) -> list[tuple[str, str]]:
        lines = [("event size", f">= {self.size:g}"), ("events", f"{self.n_events} (data: {self.n})")]
        if not self.boot.empty:
            lines.append(("bootstrap replicates", str(len(self.boot))))
        for note in self.notes:
            lines.append(("not estimable from these data", note))
        for model, r in self.table.iterrows():
            lines.append((str(model), f"{r['estimate']:.3f} (boot mean {r['boot_mean']:.3f}, "
                          f"{self.conf_level:.0%} interval {r['ci_low']:.3f}-{r['ci_high']:.3f})"))
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
