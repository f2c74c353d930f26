"""Decomposition of the fitted mean into endemic, autoregressive and neighbourhood parts."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from ...errors import InputError
from ...results import Result, get_axes

__all__ = ["EndemicEpidemicDecomposition", "decompose"]

#: Okabe-Ito colours of the three parts (endemic, autoregressive, neighbourhood).
COLOURS = ("#999999", "#0072B2", "#E69F00")


@dataclasses.dataclass(frozen=True, repr=False, eq=False)
class EndemicEpidemicDecomposition(Result):
    """The fitted mean ``mu_t = endemic_t + autoregressive_t + neighbourhood_t`` summed
    over a set of units, beside the observed counts.

    ``components`` is periods × parts; ``observed`` the observed counts summed over the
    same units. ``to_frame()`` gives each part's total over the periods and its share.
    """

    components: pd.DataFrame
    observed: pd.Series
    units: tuple

    title = "Decomposition of the fitted mean"

    def shares(self) -> pd.Series:
        """Each part's share of the fitted mean over all periods."""
        tot = self.components.sum()
        return tot / tot.sum()

    def _table(self) -> pd.DataFrame:
        tot = self.components.sum()
        frame = pd.DataFrame({"total": tot, "share": tot / tot.sum()})
        frame.index.name = "component"
        return frame

    def summary_lines(self) -> list[tuple[str, str]]:
        label = "all" if len(self.units) > 3 else ", ".join(map(str, self.units))
        return [
            ("units", f"{label} ({len(self.units)})"),
            ("periods", f"{len(self.components)}"),
            ("observed total", f"{self.observed.sum():.0f}"),
            ("fitted total", f"{self.components.to_numpy().sum():.1f}"),
        ]

    def plot(self, ax=None):
        """Stacked areas of the three parts over time, observed counts as dots."""
        ax = get_axes(ax, figsize=(9, 4))
        comp = self.components
        x = comp.index
        ax.stackplot(
            x, *(comp[c].to_numpy() for c in comp.columns), labels=list(comp.columns),
            colors=COLOURS, alpha=0.85, linewidth=0,
        )
        ax.plot(x, self.observed.to_numpy(), "o", ms=2.5, color="#000000", label="observed")
        ax.set_xlabel("period")
        ax.set_ylabel("counts per period")
        ax.set_title(self.title if len(self.units) != 1 else f"Fitted mean: {self.units[0]}")
        ax.legend(loc="upper left", fontsize=8)
        return ax


def decompose(fit, units=None) -> EndemicEpidemicDecomposition:
    """Sum the fit's components over ``units`` (all units when None)."""
    parts = fit.fitted_components()
    all_units = list(fit.counts.columns)
    chosen = all_units if units is None else ([units] if np.ndim(units) == 0 else list(units))
    unknown = [u for u in chosen if u not in all_units]
    if unknown or not chosen:
        raise InputError(f"units not in the fit: {unknown or chosen}")
    comp = pd.DataFrame({k: v[chosen].sum(axis=1, min_count=1) for k, v in parts.items()})
    observed = fit.counts.iloc[1:][chosen].astype("Float64").sum(axis=1).astype(float)
    return EndemicEpidemicDecomposition(components=comp, observed=observed, units=tuple(chosen))
