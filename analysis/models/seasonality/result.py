"""The result of the seasonality model: :class:`SeasonalityResult`."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from ...results import Result, get_axes
from ._input import MONTH_NAMES
from .fighting import window_months

__all__ = ["SeasonalityResult"]


@dataclasses.dataclass(frozen=True, repr=False, eq=False)
class SeasonalityResult(Result):
    r"""Seasonality of a monthly count series.

    **STL decomposition** of :math:`x_t = \log(1 + y_t)`:
    :math:`x_t = T_t + S_t + R_t` (trend, seasonal, remainder). The seasonal strength of
    Wang, Smith & Hyndman (2006) is :math:`F_S = \max(0, 1 - \mathrm{Var}(R)/\mathrm{Var}(S+R))`
    (0 = no seasonality, near 1 = strong).

    **Seasonal count model** (negative binomial, NB2):

    .. math::

        y_t \sim \mathrm{NB}(\mu_t, \alpha),\quad \mathrm{Var}(y_t) = \mu_t + \alpha\mu_t^2,

        \log \mu_t = \log d_t + \beta_{r(t)} + f_{r(t)}(u_t)
                     + \gamma_{m(t)}, \qquad \gamma_{\mathrm{Jan}} = 0,

    with :math:`d_t` the days in month *t* (exposure, so months are compared per day),
    :math:`r(t)` the regime, :math:`f_r` the smooth trend of regime :math:`r` in years
    :math:`u_t` (none, a line or a natural cubic spline; its degrees of freedom are in
    ``trend``, chosen by AIC with ``trend="auto"``, table ``trend_aic``) and :math:`m(t)` the
    calendar month. :math:`\alpha` is estimated by the degrees-of-freedom-corrected
    Pearson equation :math:`\sum_t (y_t-\hat\mu_t)^2/(\hat\mu_t(1+\alpha\hat\mu_t)) = n-p`,
    iterated with the coefficient fit. The **profile** is the rate ratio of each month to
    the mean of the twelve monthly rates,
    :math:`RR_m = e^{\gamma_m} / \tfrac{1}{12}\sum_k e^{\gamma_k}` (the twelve ratios
    average to 1), with Wald intervals from the delta method on :math:`\log RR_m`.

    **Tests.** The count-model tests compare the deviances of the alternative and the
    null model at the alternative's alpha: :math:`\Delta D / q` against
    :math:`F(q, n - p)` (a quasi-likelihood F test; ``*_stat`` holds :math:`\Delta D`,
    ``*_df`` holds q).

    * ``harmonic_lr_*`` (the focused test): :math:`a_j = b_j = 0` in the model with
      :math:`\sum_{j=1}^{K} a_j \sin(2\pi j (m-1)/12) + b_j \cos(2\pi j (m-1)/12)` in
      place of the month effects (K = ``harmonics``, q = 2K). It is the more powerful test
      against a smooth annual cycle such as a fighting season.
    * ``lr_*`` (the omnibus test): :math:`\gamma_2 = \dots = \gamma_{12} = 0`, q = 11,
      against any shape. It is somewhat liberal (7-11% at the 5% level) for short, sparse
      series with under about 5 events a month.
    * ``kw_*``: Kruskal–Wallis test across calendar months of the detrended data, the
      Pearson residuals :math:`(y_t - \hat\mu_t)/\sqrt{\hat\mu_t + \hat\alpha\hat\mu_t^2}`
      of the trend-only model (no month terms).
    * ``regime_lr_*``: regime-specific month effects :math:`\gamma_{r,m}` against common
      ones, q = 11 (R - 1).

    **Fighting-season share** (table ``fighting``, one row for incidents and one for
    deaths): the NB model with the trend and an indicator :math:`F_t` of months in the
    window, :math:`\log \mu_t = \log d_t + \text{trend} + \delta F_t`, gives the share of
    a year's events inside the window at a constant trend level,
    :math:`s = D_W e^\delta / (D_W e^\delta + D_O)`, where :math:`D_W, D_O` are the mean
    days per year inside and outside the window. The interval maps the Wald interval of
    :math:`\delta` with t quantiles on n - p df; ``expected_share`` is the no-seasonality
    value :math:`s_0 = D_W / (D_W + D_O)`, ``p_value`` tests :math:`\delta = 0` and
    ``observed_share`` is the raw share in the data.

    The intervals assume the counts are independent given trend and season; with strong
    residual autocorrelation they are too narrow.
    """

    title = "Seasonality of monthly counts"

    series: pd.Series
    decomposition: pd.DataFrame
    profile: pd.DataFrame
    peak_month: int
    trough_month: int
    seasonal_strength: float
    lr_stat: float
    lr_df: int
    lr_pvalue: float
    harmonic_lr_stat: float
    harmonic_lr_df: int
    harmonic_lr_pvalue: float
    kw_stat: float
    kw_pvalue: float
    fighting_season: tuple[int, int]
    fighting: pd.DataFrame
    alpha: float
    coefficients: pd.DataFrame
    trend: tuple[int, ...]
    conf_level: float
    robust: bool
    trend_aic: pd.DataFrame | None = None
    regimes: tuple[str, ...] = ()
    regime_profiles: pd.DataFrame | None = None
    regime_lr_stat: float | None = None
    regime_lr_df: int | None = None
    regime_lr_pvalue: float | None = None

    # ------------------------------------------------------------------ tables
    def _table(self) -> pd.DataFrame:
        """The month-of-year profile: one row per (regime, month); regime "all" is pooled."""
        frames = [self.profile.assign(regime="all")]
        if self.regime_profiles is not None:
            frames.append(self.regime_profiles)
        out = pd.concat(frames, ignore_index=True)
        return out[["regime", "month", "month_name", "rate_ratio", "ci_low", "ci_high"]]

    def summary_lines(self) -> list[tuple[str, str]]:
        idx = self.series.index
        pct = f"{100 * self.conf_level:.0f}%"
        lines = [
            (
                "Months",
                f"{len(idx)} ({idx[0]:%Y-%m} to {idx[-1]:%Y-%m}), total {self.series.sum():.0f}",
            ),
            (
                "Peak / trough",
                f"{MONTH_NAMES[self.peak_month - 1]} / {MONTH_NAMES[self.trough_month - 1]}",
            ),
            ("Trend (df per regime)", self._trend_label()),
            ("Seasonal strength F_S", f"{self.seasonal_strength:.3f}"),
            (
                "Test of month effects",
                f"dev. diff. {self.lr_stat:.2f} on {self.lr_df} df, p = {self.lr_pvalue:.3g}",
            ),
            (
                "Test of annual harmonics",
                f"dev. diff. {self.harmonic_lr_stat:.2f} on {self.harmonic_lr_df} df, "
                f"p = {self.harmonic_lr_pvalue:.3g}",
            ),
            ("Kruskal-Wallis (detrended)", f"H = {self.kw_stat:.2f}, p = {self.kw_pvalue:.3g}"),
        ]
        a, b = self.fighting_season
        for what, row in self.fighting.iterrows():
            lines.append(
                (
                    f"Share of {what} in {MONTH_NAMES[a - 1]}-{MONTH_NAMES[b - 1]}",
                    f"{row['share']:.3f} ({pct} CI {row['ci_low']:.3f}-{row['ci_high']:.3f}; "
                    f"observed {row['observed_share']:.3f}; no season {row['expected_share']:.3f}; "
                    f"p = {row['p_value']:.3g})",
                )
            )
        lines.append(("NB dispersion alpha", f"{self.alpha:.3g}"))
        if self.regime_lr_stat is not None:
            lines.append(
                (
                    "Seasonal pattern differs by regime",
                    f"dev. diff. {self.regime_lr_stat:.2f} on {self.regime_lr_df} df, "
                    f"p = {self.regime_lr_pvalue:.3g}",
                )
            )
        return lines

    def _trend_label(self) -> str:
        dfs = ", ".join(str(k) for k in self.trend)
        if self.trend_aic is None:
            return f"{dfs} (given)"
        return f"{dfs} (lowest AIC among df {', '.join(map(str, self.trend_aic.index))})"

    # ------------------------------------------------------------------ plots
    def plot(self, ax=None):
        """The month-of-year rate ratios with their intervals (one line per regime),
        the fighting season shaded and the no-seasonality line at 1."""
        ax = get_axes(ax, figsize=(7, 4))
        a, b = self.fighting_season
        months = np.arange(1, 13)
        for m in months[window_months((a, b))]:
            ax.axvspan(m - 0.5, m + 0.5, color="#E69F00", alpha=0.12, lw=0)
        groups = [("all", self.profile)]
        if self.regime_profiles is not None:
            groups += list(self.regime_profiles.groupby("regime", sort=False))
        n = len(groups)
        for i, (name, prof) in enumerate(groups):
            dx = (i - (n - 1) / 2) * 0.12
            rr = prof["rate_ratio"].to_numpy()
            err = np.vstack([rr - prof["ci_low"].to_numpy(), prof["ci_high"].to_numpy() - rr])
            ax.errorbar(
                months + dx,
                rr,
                yerr=err,
                marker="o",
                capsize=3,
                lw=1.2,
                label="pooled" if name == "all" else str(name),
            )
        ax.axhline(1.0, color="#555555", lw=0.8, ls="--")
        ax.set_xticks(months, MONTH_NAMES)
        ax.set_ylabel("rate ratio vs annual mean")
        ax.set_title(
            f"Month-of-year profile (F_S = {self.seasonal_strength:.2f}, "
            f"harmonic test p = {self.harmonic_lr_pvalue:.2g})"
        )
        if n > 1:
            ax.legend(frameon=False, fontsize=8)
        return ax

    def plot_decomposition(self, fig=None):
        """The STL decomposition (log1p scale) in four stacked panels; returns the figure."""
        import matplotlib.pyplot as plt

        if fig is None:
            fig = plt.figure(figsize=(8, 7))
        axes = fig.subplots(4, 1, sharex=True)
        for ax, col in zip(axes, ["observed", "trend", "seasonal", "resid"], strict=True):
            d = self.decomposition[col]
            if col == "resid":
                ax.axhline(0, color="#555555", lw=0.8)
                ax.plot(d.index, d.to_numpy(), marker=".", ls="none")
            else:
                ax.plot(d.index, d.to_numpy())
            ax.set_ylabel(col)
        axes[0].set_title(
            f"STL decomposition of log(1 + count), F_S = {self.seasonal_strength:.2f}"
        )
        return fig

