"""The change points found by PELT: :class:`ChangePointResult`."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from ...results import Result, get_axes

__all__ = ["ChangePointResult"]


@dataclasses.dataclass(frozen=True, repr=False, eq=False)
class ChangePointResult(Result):
    r"""Change points in the level of a count series found by PELT.

    The segmentation :math:`0=\tau_0<\tau_1<\dots<\tau_m<\tau_{m+1}=n` minimises

    .. math::

        \sum_{i=0}^{m} C(y_{\tau_i:\tau_{i+1}}) + \beta m,

    with :math:`C` twice the negative maximised log-likelihood of a segment with its
    own level :math:`\lambda_i` (NB2 with a common dispersion :math:`\alpha`, or
    Poisson), or the within-segment sum of squares ("l2"). Within segment :math:`i`,
    :math:`E[Y_t] = \lambda_i s_t` with :math:`s_t` the seasonal baseline (mean 1; 1
    without one). The default penalty :math:`\beta` is calibrated by simulation from the
    fitted no-break model (level, season, dispersion, AR(1) noise) so that a series of
    this length without a break shows one with probability ``1 - conf_level``; "bic" is
    :math:`2\log n` (:math:`2\hat\sigma^2\log n` for "l2").

    Attributes
    ----------
    breakpoints : tuple of int
        Positions where new segments start.
    dates : tuple
        The index labels of those positions (the first period of each new regime).
    locations : DataFrame
        One row per change: ``position``, ``date``, ``date_low``/``date_high`` (the
        ``conf_level`` interval of the date, by parametric bootstrap) and ``ratio`` (level
        after over level before).
    alpha : float or None
        The NB2 dispersion of the "negbin" cost (given, or estimated).
    segments : DataFrame
        One row per segment: start, end, periods, total, rate (count per period at the
        average season) and its confidence interval (exact Poisson; NB2 delta method on
        the log scale, allowing for the autocorrelation; t for "l2"), and the rate ratio
        to the previous segment.
    seasonal : Series or None
        The seasonal baseline :math:`s_t`.
    noise : dict
        The noise model behind the penalty and the intervals: ``dispersion`` (total NB2
        dispersion around the running median), ``ar`` and ``ar_sd`` (lag-one correlation
        and standard deviation of the AR(1) log mean), ``nb_dispersion`` (the dispersion
        given the AR path), ``level`` and ``window``.
    null_penalties : ndarray
        The largest penalty giving a change in each simulated no-break series (the
        calibrated penalty is their quantile); empty for other penalties.
    penalty_path : DataFrame
        One row per penalty tried: penalty, number of changes, total cost, BIC,
        breakpoints (dates).
    notes : tuple of str
        What the fit could not do (for example no seasonal baseline, and why).
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
    locations: pd.DataFrame | None = None
    seasonal: pd.Series | None = None
    noise: dict = dataclasses.field(default_factory=dict)
    null_penalties: np.ndarray = dataclasses.field(default_factory=lambda: np.empty(0))
    notes: tuple[str, ...] = ()

    def _table(self) -> pd.DataFrame:
        """The segments with their rates and confidence intervals."""
        return self.segments

    def _change_labels(self) -> list[str]:
        def fmt(d):
            return d.strftime("%Y-%m-%d") if hasattr(d, "strftime") else str(d)

        loc = self.locations
        if loc is None or len(loc) != len(self.dates):
            return [fmt(d) for d in self.dates]
        return [f"{fmt(r.date)} [{fmt(r.date_low)}, {fmt(r.date_high)}]" for r in loc.itertuples()]

    def summary_lines(self) -> list[tuple[str, str]]:
        lab = self._change_labels()
        lines = [
            ("Cost", self.cost + (f" (alpha {self.alpha:.4g})" if self.alpha else "")),
            ("Penalty", f"{self.penalty:.4g} ({self.penalty_rule})"),
            ("Observations", str(len(self.series))),
            ("Change points", (f"{len(lab)}: " + "; ".join(lab)) if lab else "none"),
        ]
        if self.noise:
            lines.append(("Noise", f"dispersion {self.noise['dispersion']:.3g}, AR(1) "
                          f"{self.noise['ar']:.2f} with sd {self.noise['ar_sd']:.2f} "
                          "(around the running median)"))
        if self.seasonal is not None:
            s = self.seasonal
            lines.append(("Seasonal baseline", f"{s.min():.2f} to {s.max():.2f} times the level"))
        if len(self.penalty_path) > 1:
            lines.append(("Penalties tried", str(len(self.penalty_path))))
        lines += [("Note", n) for n in self.notes]
        return lines

    def fitted(self) -> pd.Series:
        """The fitted mean of each period: its segment's rate times the seasonal baseline."""
        rate = np.repeat(self.segments["rate"].to_numpy(), self.segments["periods"].to_numpy())
        s = 1.0 if self.seasonal is None else self.seasonal.to_numpy()
        return pd.Series(rate * s, index=self.series.index, name="fitted")

    def plot(self, ax=None):
        """The series, the fitted mean, the segment rates with their confidence bands and
        the change points with their date intervals shaded."""
        ax = get_axes(ax, figsize=(9, 4))
        s = self.series
        ax.plot(s.index, s.to_numpy(), color="0.55", lw=0.8, label="observed")
        if self.seasonal is not None:
            ax.plot(s.index, self.fitted().to_numpy(), color="C0", lw=1, label="fitted mean")
        for k, (_, seg) in enumerate(self.segments.iterrows()):
            x = s.index[int(seg["start_pos"]) : int(seg["end_pos"])]
            ax.hlines(seg["rate"], x[0], x[-1], color="C1", lw=2, label="segment rate" if k == 0 else None)
            ax.fill_between([x[0], x[-1]], seg["rate_low"], seg["rate_high"], color="C1", alpha=0.2, lw=0)
        for d in self.dates:
            ax.axvline(d, ls="--", color="0.3", lw=1)
        if self.locations is not None:
            for r in self.locations.itertuples():
                ax.axvspan(r.date_low, r.date_high, color="0.3", alpha=0.12, lw=0)
        ax.set_title(self.title)
        ax.legend(loc="best", frameon=False)
        return ax
