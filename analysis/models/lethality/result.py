"""The results of the lethality models: :class:`CasualtyTrendResult` and
:class:`CasualtyBandResult`."""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import numpy as np
import pandas as pd

from ...results import Result, get_axes
from .inputs import BAND_LEVELS

__all__ = ["CasualtyBandResult", "CasualtyTrendResult"]


@dataclasses.dataclass(frozen=True, repr=False, eq=False)
class CasualtyTrendResult(Result):
    r"""Lethality over time, per group and per casualty count band, tested per incident.

    Models, on the incidents with a known toll :math:`y_i` at time :math:`t_i` (years):
    :math:`y_i \sim \mathrm{NB2}(\mu_i, \alpha)` with :math:`\log\mu_i = \beta_0 + \beta_1 t_i`
    (killed per attack, rate ratio per year :math:`e^{\beta_1}`); Kendall's :math:`\tau_b`
    between date and toll (Mann–Kendall); :math:`\mathrm{logit}\Pr(y_i \ge T) = \gamma_0 +
    \gamma_1 t_i` (mass-casualty share, odds ratio per year :math:`e^{\gamma_1}`). The two
    regressions have sandwich standard errors, permutation p-values and intervals.

    Attributes
    ----------
    periods : one row per group x band x period: attacks with a known toll, killed,
        observed and fitted killed per attack (with interval), median, mass-casualty count
        and share (Wilson interval), attacks with an unknown count (``n_missing``).
    tests : one row per group x test x band: estimate, interval, p-value, conclusion,
        ``n`` (incidents with a known toll), ``note`` (why a test is not estimable, else
        empty) and ``conclusion_stable`` (False when the conclusion changes between the
        low, best and high counts).
    n_sims, seed : permutations per test and the seed they were drawn with.
    notes : one line per group and band whose tests could not be estimated, with the reason.
    """

    title = "Lethality trends (killed per attack, rank trend, mass-casualty share)"

    periods: pd.DataFrame
    tests: pd.DataFrame
    freq: str
    by: str | None
    value: str
    mass_threshold: int
    conf_level: float
    n_sims: int = 999
    seed: Any = None
    notes: tuple[str, ...] = ()

    def _table(self) -> pd.DataFrame:
        return self.tests

    @property
    def unstable(self) -> pd.DataFrame:
        """The tests whose conclusion flips within the low-best-high band."""
        return self.tests[~self.tests["conclusion_stable"]]

    def summary_lines(self) -> list[tuple[str, str]]:
        mc = math.sqrt(0.05 * 0.95 / self.n_sims)
        lines = [
            ("periods", f"{self.periods['period'].nunique()} ({self.freq})"),
            ("groups", ", ".join(map(str, self.periods["group"].unique()))),
            ("bands", ", ".join(self.periods["band"].unique())),
            ("mass casualty", f">= {self.mass_threshold} {self.value.split('_')[0]}"),
            ("p-values", f"{self.n_sims} permutations (Monte Carlo s.e. {mc:.3f} near "
                         "p = 0.05); Kendall's tau: normal approximation"),
        ]
        n_flip = int((~self.tests.drop_duplicates(["group", "test"])["conclusion_stable"]).sum())
        lines.append(("conclusions that flip within the count band",
                      "none" if n_flip == 0 else f"{n_flip} (see .unstable)"))
        n_bad = int((self.tests["note"] != "").sum())
        if n_bad:
            lines.append(("not estimable from these data", f"{n_bad} tests (see .notes)"))
        return lines

    def plot(self, ax=None):
        """Killed per attack over time: observed (best) with fitted NB trend, low-high band."""
        ax = get_axes(ax)
        for g, sub in self.periods.groupby("group", sort=False):
            best = sub[sub["band"] == ("best" if "best" in set(sub["band"]) else sub["band"].iloc[0])]
            line = ax.plot(best["period"], best["killed_per_attack_obs"], "o", ms=4, label=f"{g}")[0]
            ax.plot(best["period"], best["killed_per_attack"], "-", color=line.get_color(), lw=1.5)
            if {"low", "high"} <= set(sub["band"]):
                lo = sub[sub["band"] == "low"].set_index("period")["killed_per_attack_obs"]
                hi = sub[sub["band"] == "high"].set_index("period")["killed_per_attack_obs"]
                lo, hi = lo.align(hi)
                ax.fill_between(lo.index, lo.to_numpy(float), hi.to_numpy(float),
                                color=line.get_color(), alpha=0.2, lw=0)
        ax.set_ylabel(f"{self.value.split('_')[0]} per attack")
        ax.set_xlabel("period")
        ax.legend(fontsize="small", title=self.by)
        return ax


@dataclasses.dataclass(frozen=True, repr=False, eq=False)
class CasualtyBandResult(Result):
    r"""A statistic computed on the low, best and high casualty counts.

    For a statistic :math:`T` and the counts :math:`x^{(b)}` of band
    :math:`b \in \{\text{low}, \text{best}, \text{high}\}`, the reported band is
    :math:`[\min_b T(x^{(b)}),\ \max_b T(x^{(b)})]`; with a decision rule :math:`d`, the
    conclusion is stable when :math:`d(T(x^{(b)}))` is the same for every band.

    For each quantity the table gives the value on each band, the band's range
    (``band_min``, ``band_max``) and, when a decision rule was given, the conclusion on each
    band and ``conclusion_stable`` (False: the conclusion flips within the reported range).
    The range is not a confidence interval: it shows how much the statistic depends on
    which count is believed. ``notes`` names the bands that had no known count (NaN).
    """

    title = "Statistic across the casualty count band (low / best / high)"

    table: pd.DataFrame
    value: str
    notes: tuple[str, ...] = ()

    def _table(self) -> pd.DataFrame:
        return self.table

    def summary_lines(self) -> list[tuple[str, str]]:
        lines = [("counts", ", ".join(f"{self.value}_{b}" for b in BAND_LEVELS))]
        if "conclusion_stable" in self.table:
            flips = self.table.index[~self.table["conclusion_stable"].astype(bool)]
            lines.append(("conclusion flips within band",
                          "no" if len(flips) == 0 else "YES: " + ", ".join(map(str, flips))))
        for note in self.notes:
            lines.append(("not estimable", note))
        return lines

    def plot(self, ax=None):
        """Each quantity's value on the best count with the low-high range as an error bar."""
        ax = get_axes(ax)
        tb = self.table
        y = np.arange(len(tb))
        best = tb["best"].to_numpy(float)
        ax.errorbar(best, y, xerr=[best - tb["band_min"].to_numpy(float),
                                   tb["band_max"].to_numpy(float) - best], fmt="o", capsize=3)
        ax.set_yticks(y, [str(i) for i in tb.index])
        ax.set_xlabel(f"value (best; bar: range over {self.value} low-high)")
        return ax
