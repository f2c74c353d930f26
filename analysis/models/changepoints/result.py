"""The change points found by PELT: :class:`ChangePointResult`."""

from __future__ import annotations

import dataclasses

import pandas as pd

from ...results import Result, get_axes

__all__ = ["ChangePointResult"]


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
    alpha : float or None
        The NB2 dispersion of the "negbin" cost (given, or estimated).
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
