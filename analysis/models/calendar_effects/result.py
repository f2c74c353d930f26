"""The result of the Ramadan model: :class:`RamadanResult`."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from ...results import Result, get_axes

__all__ = ["RamadanResult"]


@dataclasses.dataclass(frozen=True, repr=False, eq=False)
class RamadanResult(Result):
    r"""Incidence-rate ratio of Ramadan days against other days.

    Negative-binomial (NB2) regression on daily counts, dispersion estimated by maximum
    likelihood (statsmodels' discrete ``NegativeBinomial``):

    .. math::

        y_d \sim \mathrm{NB}(\mu_d, \alpha), \qquad
        \log \mu_d = \beta_0 + \beta_R\,\mathrm{Ram}_d + \gamma_{m(d)}
                     + f(u_d) \;[+ \omega_{w(d)}],

    with :math:`\mathrm{Ram}_d = 1` on days of Hijri month 9 (Umm al-Qura, hijridate),
    :math:`\gamma_m` Gregorian month-of-year effects (``"month"`` in ``adjust``),
    :math:`f` a smooth trend in years :math:`u_d` (``"trend"``: none, a line or a natural
    cubic spline of ``trend`` df, by default the df of lowest AIC, table ``trend_aic``) and
    :math:`\omega_w` day-of-week effects (``"dow"``). The result is
    :math:`\mathrm{IRR} = e^{\beta_R}` with a Wald interval; ``crude_irr`` is the ratio
    of mean daily counts without adjustment. Because Ramadan drifts ~11 days a year
    through the Gregorian calendar, :math:`\beta_R` is separated from :math:`\gamma_m` only
    over several years; short spans give wide intervals.

    When the data cannot estimate the ratio (no Ramadan day in the window, Ramadan in
    fewer than two Hijri years, no event on any Ramadan day, a fit that did not converge
    or whose Hessian is not positive definite) the function warns
    (:class:`analysis.EstimationWarning`), the interval and p-value are NaN, and
    ``notes`` says why; ``estimable`` is then False.
    """

    title = "Ramadan effect on daily counts"

    irr: float
    ci_low: float
    ci_high: float
    p_value: float
    crude_irr: float
    conf_level: float
    adjust: tuple[str, ...]
    alpha: float
    daily: pd.Series
    ramadan: pd.Series
    periods: pd.DataFrame
    coefficients: pd.DataFrame
    trend: int
    n_excluded: int = 0
    cov_type: str = "nonrobust"
    trend_aic: pd.DataFrame | None = None
    notes: tuple[str, ...] = ()

    @property
    def estimable(self) -> bool:
        """Whether the adjusted rate ratio has an interval (see ``notes`` when not)."""
        return bool(np.isfinite(self.ci_low) and np.isfinite(self.ci_high))

    def _table(self) -> pd.DataFrame:
        """The adjusted and crude rate ratios (one row each)."""
        r = self.ramadan.to_numpy()
        y = self.daily.to_numpy()
        in_r = y[r].mean() if r.any() else np.nan
        out_r = y[~r].mean() if (~r).any() else np.nan
        return pd.DataFrame(
            {
                "irr": [self.irr, self.crude_irr],
                "ci_low": [self.ci_low, np.nan],
                "ci_high": [self.ci_high, np.nan],
                "p_value": [self.p_value, np.nan],
                "mean_ramadan": [in_r, in_r],
                "mean_other": [out_r, out_r],
            },
            index=pd.Index(
                [f"Ramadan, adjusted for {', '.join(self.adjust) or 'nothing'}", "Ramadan, crude"],
                name="estimate",
            ),
        )

    def summary_lines(self) -> list[tuple[str, str]]:
        d = self.daily.index
        r = self.ramadan.to_numpy()
        pct = f"{100 * self.conf_level:.0f}%"
        lines = [
            ("Days", f"{len(d)} ({d[0].date()} to {d[-1].date()}), {int(self.daily.sum())} events"),
            ("Ramadan days", f"{int(r.sum())} in {len(self.periods)} Hijri years"),
            (
                "IRR Ramadan vs other days",
                f"{self.irr:.3f} ({pct} CI {self.ci_low:.3f}-{self.ci_high:.3f}), p = {self.p_value:.3g}",
            ),
            ("Crude IRR", f"{self.crude_irr:.3f}"),
            ("Adjusted for", ", ".join(self.adjust) or "nothing"),
            ("NB dispersion alpha", f"{self.alpha:.3g}"),
        ]
        if "trend" in self.adjust:
            how = "given" if self.trend_aic is None else "lowest AIC among df " + ", ".join(
                map(str, self.trend_aic.index))
            lines.append(("Trend df", f"{self.trend} ({how})"))
        if self.n_excluded:
            lines.append(("Excluded (date window > 1 day)", str(self.n_excluded)))
        if not self.estimable:
            lines.append(("Interval", "not estimable from these data"))
        lines += [("Note", n) for n in self.notes]
        return lines

    def plot(self, ax=None):
        """Weekly sums of the daily counts with the Ramadan periods shaded."""
        ax = get_axes(ax, figsize=(9, 3.5))
        weekly = self.daily.resample("W").sum()
        ax.plot(weekly.index, weekly.to_numpy(), lw=1)
        for i, row in enumerate(self.periods.itertuples()):
            ax.axvspan(
                row.start,
                row.end + pd.Timedelta(days=1),
                color="#009E73",
                alpha=0.25,
                lw=0,
                label="Ramadan" if i == 0 else None,
            )
        ax.set_ylabel("events per week")
        ax.set_title(
            f"Ramadan IRR {self.irr:.2f} ({100 * self.conf_level:.0f}% CI "
            f"{self.ci_low:.2f}-{self.ci_high:.2f})"
        )
        ax.legend(frameon=False, fontsize=8)
        return ax
