"""The fitted count model of frequency: :class:`FrequencyResult`."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd

from ..._glm import log_interval, wald, wald_table, z_crit
from ..._periods import periods_per_year
from ...results import Result, get_axes
from .design import DesignSpec
from .inputs import FrequencyInputError
from .predict import CountForecast, future_index, simulate_future

__all__ = ["FrequencyResult"]


@dataclasses.dataclass(frozen=True, repr=False, eq=False)
class FrequencyResult(Result):
    r"""A fitted count model of attack frequency.

    Log-linear regression (``ar_lags=()``), for period :math:`t`:

    .. math::

        Y_t \mid \mu_t \sim \mathrm{NB2}(\mu_t, \alpha),\quad
        \operatorname{Var} Y_t = \mu_t + \alpha\mu_t^2,

        \log\mu_t = \log E_t + \beta_0 + f(\tau_t)
            + \sum_{k=1}^{K} \big(\gamma_k \cos 2\pi k\,\phi_t + \delta_k \sin 2\pi k\,\phi_t\big)
            + \sum_j \eta_j\, s_j(t) + x_t'\zeta

    with :math:`E_t` the exposure, :math:`\tau_t` years since the first period,
    :math:`f` the trend (none, a straight line :math:`\beta_1\tau_t`, or a natural cubic
    spline, by default with the degrees of freedom of lowest AIC: ``trend_aic``),
    :math:`\phi_t` the position in the year (``(month - 1)/12`` for monthly series) and
    :math:`s_j(t)` the share of period :math:`t` on or after break date :math:`j`
    (0 before, 1 after). Poisson is :math:`\alpha = 0`. ``exp(beta)`` are
    incidence-rate ratios (IRR): per year for a linear trend, after/before for a regime;
    :meth:`trend_ratio` gives the change of the trend between two dates for any trend.
    The seasonal amplitude of harmonic 1 is :math:`\sqrt{\gamma_1^2 + \delta_1^2}`
    on the log scale (peak/trough rate ratio ``exp(2 A)``).

    Count autoregression (``ar_lags``/``mean_lags``, tscount's ``tsglm``):

    .. math::

        g(\lambda_t) = \nu_t = \beta_0 + \sum_{k \in P} b_k\, \tilde Y_{t-k}
            + \sum_{l \in Q} a_l\, \nu_{t-l} + \eta' X_t

    with the identity link (:math:`\tilde Y = Y`, INGARCH) or the log link
    (:math:`\tilde Y = \log(1 + Y)`), :math:`Y_t \mid \mathcal F_{t-1}` Poisson or
    NB2 with :math:`\operatorname{Var} = \lambda_t + \sigma^2\lambda_t^2`. The
    coefficients maximise the Poisson quasi-likelihood; :math:`\sigma^2` (reported as
    ``alpha``) solves the Pearson equation
    :math:`\sum (Y_t-\lambda_t)^2 / (\lambda_t(1+\sigma^2\lambda_t)) = n - m`.

    Attributes
    ----------
    params, cov : Series, DataFrame
        Coefficients on the link scale and their covariance.
    alpha : float
        NB2 dispersion (0 for Poisson).
    fitted : DataFrame
        ``observed``, ``mean``, ``mean_low``/``mean_high`` (confidence interval of the
        mean, delta method), ``pi_low``/``pi_high`` (prediction interval of a count;
        parameter uncertainty included for regression models, conditional on the
        estimates for autoregressions), ``pearson`` residuals.
    tests : DataFrame
        Overdispersion (LR of alpha = 0 against Poisson, with the half-chi-square
        boundary correction; Cameron-Trivedi for Poisson fits), the LR test of the
        seasonal terms (refit without them; a quasi-LR for autoregressions), Ljung-Box on Pearson
        residuals (lag min(10, n/5) and one year): ``statistic``, ``df``, ``p_value``.
    trend_aic : DataFrame or None
        With ``trend="auto"``: the AIC of the model for each trend df tried, and the
        ``chosen`` one; None when the trend was given.
    not_estimable : tuple of str
        Terms whose intervals are NaN because the data cannot estimate them (all of
        them when the fit did not converge); ``notes`` says why.
    serial : dict
        The residual AR(1) on the log mean the intervals and the seasonal test allow for
        (``ar``, ``ar_sd``; :mod:`analysis.models.frequency.serial`), empty when there is
        none or the series has under 150 periods.

    Methods
    -------
    to_frame, irr, regime_effects, seasonality, trend_ratio, summary, plot, forecast
    (alias predict).
    """

    title = "Count model of attack frequency"

    family: str
    link: str
    series: pd.Series
    design: pd.DataFrame
    params: pd.Series
    cov: pd.DataFrame
    alpha: float
    alpha_se: float
    llf: float
    llf_poisson: float
    nobs: int
    fitted: pd.DataFrame
    tests: pd.DataFrame
    spec: DesignSpec
    exposure: pd.Series | None
    conf_level: float
    notes: tuple[str, ...] = ()
    trend_aic: pd.DataFrame | None = None
    not_estimable: tuple[str, ...] = ()
    serial: dict = dataclasses.field(default_factory=dict)

    # ------------------------------------------------------------ derived tables
    @property
    def n_params(self) -> int:
        return len(self.params) + (1 if self.family == "negbin" else 0)

    @property
    def aic(self) -> float:
        return -2 * self.llf + 2 * self.n_params

    @property
    def bic(self) -> float:
        return -2 * self.llf + math.log(self.nobs) * self.n_params

    def _table(self) -> pd.DataFrame:
        """Coefficients: estimate, std_err, z, p_value, CI, and IRR with CI (log link)."""
        cov = self.cov.copy()
        cov.loc[list(self.not_estimable), :] = np.nan
        cov.loc[:, list(self.not_estimable)] = np.nan
        out = wald_table(self.params.to_numpy(), cov.to_numpy(), self.params.index,
                         self.conf_level, log_link=self.link == "log")
        if self.family == "negbin":
            lo, hi = log_interval(self.alpha, self.alpha_se, self.conf_level)
            out.loc["alpha"] = pd.Series({"estimate": self.alpha, "std_err": self.alpha_se,
                                          "z": np.nan, "p_value": np.nan, "ci_low": lo,
                                          "ci_high": hi})
        return out

    def irr(self) -> pd.DataFrame:
        """Incidence-rate ratios with confidence intervals (log-linear models)."""
        if self.link != "log":
            raise FrequencyInputError("IRRs exist for log-link models only")
        t = self.to_frame().drop(index="alpha", errors="ignore")
        return t[["irr", "irr_low", "irr_high", "p_value"]]

    def regime_effects(self) -> pd.DataFrame:
        """One row per break: IRR after/before with CI and p-value (log link), or the
        additive effect (identity link)."""
        names = [nm for nm, _ in self.spec.breaks]
        t = self.to_frame().loc[names]
        cols = ["estimate", "ci_low", "ci_high", "p_value"]
        if self.link == "log":
            cols = ["irr", "irr_low", "irr_high", *cols]
        out = t[cols].copy()
        out.insert(0, "date", [w for _, w in self.spec.breaks])
        return out

    def trend_ratio(self, start=None, end=None) -> pd.DataFrame:
        r"""The rate ratio of the trend alone between two dates (default: the first and
        the last period), :math:`\exp(f(\tau_{end}) - f(\tau_{start}))`, with its
        delta-method interval; season, breaks and regressors held fixed. One row:
        ``start``, ``end``, ``ratio``, ``ci_low``, ``ci_high``, ``p_value`` (of no
        change). A model without a trend gives 1 with a NaN interval."""
        idx = self.series.index
        when = pd.DatetimeIndex([pd.Timestamp(start or idx[0]), pd.Timestamp(end or idx[-1])])
        tr = self.spec.trend
        names = tr.names
        if not names or self.link != "log":
            row = {"ratio": 1.0 if not names else np.nan, "ci_low": np.nan, "ci_high": np.nan,
                   "p_value": np.nan}
        else:
            B = tr.basis(self.spec.years(when))
            g = B[1] - B[0]
            est = float(g @ self.params[names].to_numpy())
            se = float(np.sqrt(g @ self.cov.loc[names, names].to_numpy() @ g))
            lo, hi, p = wald(est, se, self.conf_level)
            row = {"ratio": math.exp(est), "ci_low": math.exp(lo), "ci_high": math.exp(hi),
                   "p_value": p}
        return pd.DataFrame([{"start": when[0], "end": when[1], **row}],
                            index=pd.Index([tr.label], name="trend"))

    def seasonality(self) -> pd.DataFrame:
        """Amplitude (log scale, delta-method CI) and peak of each Fourier harmonic."""
        rows = [self._harmonic(k) for k in range(1, self.spec.harmonics + 1)
                if f"cos{k}" in self.params.index]
        return pd.DataFrame(rows).set_index("harmonic") if rows else pd.DataFrame()

    def _harmonic(self, k: int) -> dict:
        c, s = f"cos{k}", f"sin{k}"
        bc = self.params[c]
        if s in self.params.index:
            bs, V = self.params[s], self.cov.loc[[c, s], [c, s]].to_numpy()
        else:  # the Nyquist harmonic has no sine
            bs, V = 0.0, np.array([[self.cov.loc[c, c], 0.0], [0.0, 0.0]])
        amp = math.hypot(bc, bs)
        g = np.array([bc, bs]) / amp if amp > 0 else np.zeros(2)
        se = float(np.sqrt(g @ V @ g))
        z = z_crit(self.conf_level)
        key = self.spec.key
        peak = (math.atan2(bs, bc) / (2 * math.pi * k)) % (1.0 / k) * periods_per_year(key)
        return {"harmonic": k, "amplitude": amp, "std_err": se,
                "ci_low": max(amp - z * se, 0.0), "ci_high": amp + z * se,
                "peak_to_trough_ratio": math.exp(2 * amp),
                "peak_period": peak + (1 if key in ("MS", "QS") else 0)}

    def summary_lines(self) -> list[tuple[str, str]]:
        sp = self.spec
        idx = self.series.index
        lines = [
            ("Family", f"{self.family} ({self.link} link)"),
            ("Observations", f"{self.nobs} ({idx[0]:%Y-%m-%d} to {idx[-1]:%Y-%m-%d}, {sp.key})"),
            ("Log-likelihood", f"{self.llf:.2f}"),
            ("AIC / BIC", f"{self.aic:.1f} / {self.bic:.1f}"),
            ("Trend", self._trend_label()),
        ]
        if self.family == "negbin":
            lines.append(("Dispersion alpha", f"{self.alpha:.4g} (se {self.alpha_se:.3g})"))
        for name, row in self.tests.iterrows():
            lines.append((str(name), f"stat {row['statistic']:.2f}, df {row['df']:g}, p = {row['p_value']:.3g}"))
        if self.link == "log":
            lines += self._effect_lines()
        lines += [("Note", n) for n in self.notes]
        return lines

    def _trend_label(self) -> str:
        label = self.spec.trend.label
        if self.trend_aic is None:
            return label + " (given)"
        grid = ", ".join(str(k) for k in self.trend_aic.index)
        return f"{label} (lowest AIC among df {grid})"

    def _effect_lines(self) -> list[tuple[str, str]]:
        """Trend and regime rate ratios and the first seasonal amplitude (log link)."""
        def ci(r, pre):
            return f"{r[pre]:.3f} [{r[pre + '_low']:.3f}, {r[pre + '_high']:.3f}]"

        lines = []
        if "trend" in self.params.index:
            lines.append(("Trend IRR / year", ci(self.to_frame().loc["trend"], "irr")))
        if self.spec.trend.df:
            r = self.trend_ratio().iloc[0]
            lines.append((f"Trend ratio {r['start']:%Y-%m} to {r['end']:%Y-%m}",
                          f"{r['ratio']:.3f} [{r['ci_low']:.3f}, {r['ci_high']:.3f}]"))
        for _, r in (self.regime_effects().iterrows() if self.spec.breaks else ()):
            lines.append((f"Regime {r['date']:%Y-%m-%d} IRR", ci(r, "irr")))
        if self.spec.seasonal == "fourier" and self.spec.harmonics >= 1:
            s = self.seasonality().iloc[0]
            lines.append(("Seasonal amplitude", f"{s['amplitude']:.3f} [{s['ci_low']:.3f}, "
                          f"{s['ci_high']:.3f}], peak at period {s['peak_period']:.1f}"))
        return lines

    def plot(self, ax=None):
        """Observed counts, fitted mean, prediction band and break dates."""
        ax = get_axes(ax, figsize=(9, 4))
        f = self.fitted
        ax.fill_between(f.index, f["pi_low"], f["pi_high"], alpha=0.2, step=None,
                        label=f"{self.conf_level:.0%} prediction interval")
        ax.plot(f.index, f["observed"], "o", ms=3, color="0.2", label="observed")
        ax.plot(f.index, f["mean"], lw=1.8, label="fitted mean")
        for _, when in self.spec.breaks:
            ax.axvline(when, ls="--", lw=1, color="0.4")
        ax.set_ylabel(str(self.series.name or "count"))
        ax.set_title(self.title)
        ax.legend(loc="best", frameon=False)
        return ax

    # ------------------------------------------------------------ prediction
    def forecast(
        self,
        horizon: int | pd.DatetimeIndex,
        *,
        exposure=None,
        xreg: pd.DataFrame | None = None,
        conf_level: float = 0.95,
        n_sims: int = 2000,
        parameter_uncertainty: bool = True,
        seed: int | np.random.Generator | None = 0,
    ) -> CountForecast:
        """Predictive distribution of future counts.

        Parameters
        ----------
        horizon : int or DatetimeIndex
            Number of periods after the last observation, or the future periods.
        exposure : array-like, optional
            Future exposure (needed when the model has one; default: the last value).
        xreg : DataFrame, optional
            Future values of extra regressors.
        conf_level : float
            Coverage of the ``lower``/``upper`` predictive interval.
        n_sims : int
            Simulated paths (used for the interval and, for autoregressive models, the
            mean).
        parameter_uncertainty : bool
            Draw the coefficients from their asymptotic normal distribution per path.
        seed : int, Generator or None
            Seed of the simulation.

        Returns
        -------
        CountForecast
            ``to_frame()``: indexed by the future periods, ``mean``, ``alpha``,
            ``lower``, ``upper``; ``samples`` holds the simulated counts
            (``n_sims`` x horizon).
        """
        idx = future_index(self.series, horizon)
        mean, samples = simulate_future(
            self, idx, exposure=exposure, xreg=xreg, n_sims=int(n_sims),
            parameter_uncertainty=parameter_uncertainty, rng=np.random.default_rng(seed),
        )
        lo, hi = np.quantile(samples, [(1 - conf_level) / 2, (1 + conf_level) / 2], axis=0)
        table = pd.DataFrame({"mean": mean, "alpha": self.alpha, "lower": lo, "upper": hi},
                             index=idx)
        return CountForecast(table=table, samples=samples, history=self.series,
                             family=self.family, conf_level=conf_level,
                             parameter_uncertainty=parameter_uncertainty)

    predict = forecast
