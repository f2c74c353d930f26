"""The frozen results of the Hawkes fits: :class:`HawkesResult` and
:class:`BivariateHawkesResult`."""

from __future__ import annotations

import dataclasses
import functools

import numpy as np
import pandas as pd
from scipy import stats

from ...errors import InputError
from ...results import Result, get_axes
from ._kernels import decay_sums, resolve_engine
from .background import Background


@dataclasses.dataclass(frozen=True, repr=False, eq=False)
class HawkesResult(Result):
    r"""A fitted exponential Hawkes process.

    Conditional intensity (events per day)

    .. math::

        \lambda(t) = \mu(t) + \eta \beta \sum_{t_i < t} e^{-\beta (t - t_i)},

    with branching ratio :math:`\eta`, decay :math:`\beta` per day (mean delay
    :math:`1/\beta`) and background :math:`\mu(t)` either constant or
    :math:`\log \mu(t) = b_0 + f(t) + \sum_k a_k \sin(2\pi k y) + c_k \cos(2\pi k y)`
    (calendar-year fraction :math:`y`; :math:`f` none, a line or a natural cubic spline
    with ``trend`` degrees of freedom, held flat outside ``[start, end]``).

    Attributes
    ----------
    params : DataFrame
        Estimates on the natural scale with standard errors and 95% intervals. Intervals
        are Wald intervals on the optimiser's scale (logit for the branching ratio, which
        is kept in the stationary range (0, 1); log for the decay and a constant ``mu``),
        transformed back; standard errors by the delta method. NaN when the fit cannot
        be trusted (an :class:`analysis.EstimationWarning` says why, and so do ``notes``).
    branching, branching_ci, decay, decay_ci, mean_delay, mean_delay_ci
        Headline quantities; delay in days.
    triggered_share : float
        Expected share of events that were triggered, ``mean_i (lambda_i - mu_i)/lambda_i``.
    loglik, aic : float
        Log-likelihood at the optimum (mean over jitter draws) and ``2k - 2 loglik``.
    ks_stat, ks_pvalue : float
        Time-rescaling goodness of fit: Kolmogorov-Smirnov test of the rescaled
        inter-event times against Exp(1) (median over jitter draws).
    rescaled : ndarray
        Rescaled inter-event times of the first draw (for the QQ plot).
    times : ndarray
        Event times (days since ``origin``) of the first draw, used by forecasts.
    start, end : float
        The observation window in days since ``origin`` (``start`` is later than 0 when
        the stream was taken as observed from its first event).
    n_sims : int
        Number of jitter draws pooled (1 without jitter).
    trend : int
        Degrees of freedom of the background's trend (0 none, 1 linear, more: spline).
    breaks : tuple of float
        Regime breaks of the background (days since ``origin``; coefficients ``break_1``...).
    trend_aic : DataFrame or None
        With ``trend="auto"``: AIC by degrees of freedom on the first jitter draw
        (``inf`` for a fit whose background collapsed onto single events), and ``chosen``.
    notes : tuple of str
        Why numbers are not estimable or should be read with care (empty for a clean fit).
    """

    title = "Hawkes process (exponential kernel)"

    background: str
    harmonics: int
    coef: np.ndarray  # natural-scale background coefficients (log scale for mu)
    coef_names: tuple[str, ...]
    branching: float
    branching_ci: tuple[float, float]
    decay: float
    decay_ci: tuple[float, float]
    mu_mean: float
    params: pd.DataFrame
    loglik: float
    aic: float
    n_events: int
    start: float
    end: float
    origin: pd.Timestamp | None
    triggered_share: float
    ks_stat: float
    ks_pvalue: float
    rescaled: np.ndarray
    times: np.ndarray
    ties: str
    n_sims: int
    converged: bool
    theta: np.ndarray  # pooled optimiser-scale estimate
    cov: np.ndarray  # pooled covariance on the optimiser scale
    phase0: float = 0.0
    trend: int = 1
    breaks: tuple[float, ...] = ()
    trend_aic: pd.DataFrame | None = None
    notes: tuple[str, ...] = ()

    @property
    def mean_delay(self) -> float:
        """Mean delay between a trigger and its offspring, in days (``1/decay``)."""
        return 1.0 / self.decay

    @property
    def mean_delay_ci(self) -> tuple[float, float]:
        return (1.0 / self.decay_ci[1], 1.0 / self.decay_ci[0])

    @property
    def n_params(self) -> int:
        return len(self.theta)

    @property
    def estimable(self) -> bool:
        """Whether the branching ratio has an interval (False: see ``notes``)."""
        return bool(np.all(np.isfinite(self.branching_ci)))

    @functools.cached_property
    def _background(self) -> Background:
        return Background(self.background, self.end, harmonics=self.harmonics,
                          phase0=self.phase0, trend=self.trend, lo=self.start,
                          breaks=self.breaks)

    def background_rate(self, t, coef=None) -> np.ndarray:
        """Background rate ``mu(t)`` (events/day) at days ``t`` since ``origin``.

        ``coef``: background coefficients on the log scale (default: the estimates,
        ``theta[:len(coef_names)]``); a 2-D array gives one row of rates per row of
        coefficients. Beyond ``[start, end]`` the trend is held at its end value.
        """
        b = self.theta[: len(self.coef_names)] if coef is None else np.asarray(coef, float)
        return self._background.rate(np.asarray(t, float), b)

    def simulate_counts(self, edges, *, history=None, n_sims: int = 1000,
                        parameter_uncertainty: bool = True, seed=0) -> np.ndarray:
        """Simulated counts of events in the bins ``edges`` (days since ``origin``, from
        ``end`` on) given the events before them; see
        :func:`analysis.models.hawkes.predict.simulate_counts`."""
        from .predict import simulate_counts

        return simulate_counts(self, edges, history=history, n_sims=n_sims,
                               parameter_uncertainty=parameter_uncertainty, seed=seed)

    def intensity(self, t) -> np.ndarray:
        """Conditional intensity at days ``t`` given the fitted (first-draw) event times."""
        t = np.atleast_1d(np.asarray(t, float))
        out = self.background_rate(t)
        # merge query points (weight 0) after events (weight 1) and run the O(n) recursion
        allt = np.concatenate([self.times, t])
        w = np.concatenate([np.ones(self.times.size), np.zeros(t.size)])
        order = np.lexsort((w, allt))  # queries first at equal times: only t_i < t counts
        a, _ = decay_sums(allt[order], w[order], self.decay, resolve_engine(None))
        a_q = np.empty(t.size)
        is_q = w[order] == 0
        a_q[order[is_q] - self.times.size] = a[is_q]
        return out + self.branching * self.decay * a_q

    def _table(self) -> pd.DataFrame:
        return self.params

    def summary_lines(self) -> list[tuple[str, str]]:
        lo, hi = self.branching_ci
        dlo, dhi = self.mean_delay_ci
        lines = [
            ("Background", self._background_label()),
            ("Events", f"{self.n_events}"),
            ("Branching ratio", f"{self.branching:.3f} (95% CI {lo:.3f}–{hi:.3f})"),
            ("Mean delay (days)", f"{self.mean_delay:.3g} (95% CI {dlo:.3g}–{dhi:.3g})"),
            ("Triggered share", f"{self.triggered_share:.3f}"),
            ("Mean background rate/day", f"{self.mu_mean:.4g}"),
            ("Log-likelihood", f"{self.loglik:.3f}"),
            ("AIC", f"{self.aic:.2f}"),
            ("KS (time rescaling)", f"D={self.ks_stat:.4f}, p={self.ks_pvalue:.3g}"),
            ("Ties", f"{self.ties} ({self.n_sims} draw{'s' if self.n_sims > 1 else ''})"),
        ]
        lines += [("Note", note) for note in self.notes]
        return lines

    def _background_label(self) -> str:
        if self.background == "constant":
            return "constant"
        how = " (chosen by AIC)" if self.trend_aic is not None else ""
        trend = {0: "no trend", 1: "linear trend"}.get(
            self.trend, f"natural cubic spline trend, {self.trend} df")
        return f"{trend}{how}, {self.harmonics} annual harmonics"

    def plot(self, ax=None, kind: str = "qq"):
        """Draw the fit on ``ax`` (a new figure when None) and return the axes.

        ``kind="qq"``: rescaled inter-event times against Exp(1) quantiles, with a 95%
        pointwise band; ``kind="intensity"``: background and conditional intensity.
        """
        if kind == "qq":
            return self._plot_qq(get_axes(ax))
        if kind == "intensity":
            return self._plot_intensity(get_axes(ax))
        raise InputError(f"kind must be 'qq' or 'intensity', not {kind!r}")

    def _plot_qq(self, ax):
        r = np.sort(self.rescaled)
        n = r.shape[0]
        q = -np.log1p(-(np.arange(1, n + 1) - 0.5) / n)
        ax.plot(q, r, ".", ms=3, alpha=0.6, label="rescaled inter-event times")
        m = max(q.max(), r.max())
        ax.plot([0, m], [0, m], "k--", lw=1, label="Exp(1)")
        # 95% pointwise band from order statistics of Exp(1) (beta quantiles)
        i = np.arange(1, n + 1)
        lo = -np.log1p(-stats.beta.ppf(0.025, i, n - i + 1))
        hi = -np.log1p(-stats.beta.ppf(0.975, i, n - i + 1))
        ax.fill_between(q, lo, hi, color="grey", alpha=0.2, lw=0, label="95% band")
        ax.set_xlabel("Exp(1) quantile")
        ax.set_ylabel("rescaled inter-event time")
        ax.set_title(f"Time-rescaling QQ plot (KS p={self.ks_pvalue:.3g})")
        ax.legend(loc="upper left")
        return ax

    def _plot_intensity(self, ax):
        grid = np.linspace(self.start, self.end, 2000)
        lam = self.intensity(grid)
        mu = self.background_rate(grid)
        x = grid if self.origin is None else self.origin + pd.to_timedelta(grid, unit="D")
        ax.plot(x, lam, lw=0.8, label="conditional intensity")
        ax.plot(x, mu, lw=1.5, label="background")
        ax.set_ylabel("events per day")
        ax.legend(loc="upper left")
        return ax


@dataclasses.dataclass(frozen=True, repr=False, eq=False)
class BivariateHawkesResult(Result):
    r"""A fitted bivariate exponential Hawkes process with a shared decay.

    .. math::

        \lambda_j(t) = \mu_j(t) + \beta \sum_{i \in \{a, b\}} \alpha_{ij}
        \sum_{t^i_k < t} e^{-\beta (t - t^i_k)}, \qquad j \in \{a, b\},

    where :math:`\alpha_{ij}` is the expected number of stream-*j* events directly
    triggered by one stream-*i* event ("i to j") and :math:`\mu_j(t)` is a constant or
    the log-linear trend-seasonal background of :func:`fit_hawkes`, one per stream. The
    likelihood-ratio test of no cross-excitation compares the fit with
    :math:`\alpha_{ab} = \alpha_{ba} = 0`; as the null lies on the boundary of the
    parameter space its p-value uses the
    :math:`\tfrac14\chi^2_0 + \tfrac12\chi^2_1 + \tfrac14\chi^2_2` mixture (Self & Liang
    1987). Intervals for :math:`\alpha` are Wald intervals truncated at zero, NaN for an
    excitation estimated on its bound 0.

    Attributes
    ----------
    trend : tuple of int
        Degrees of freedom of each stream's background trend.
    observed_from : tuple of float
        Start of each stream's observation window (days since ``origin``): 0, or the
        first event of a stream that starts late.
    notes : tuple of str
        Why numbers are not estimable or should be read with care.
    """

    title = "Bivariate Hawkes process (exponential kernel, shared decay)"

    names: tuple[str, str]
    background: str
    mu: np.ndarray  # mean background rate of each stream (events/day)
    excitation: np.ndarray
    excitation_ci_low: np.ndarray
    excitation_ci_high: np.ndarray
    decay: float
    decay_ci: tuple[float, float]
    params: pd.DataFrame
    loglik: float
    loglik_null: float
    lr_stat: float
    lr_pvalue: float
    aic: float
    n_events: tuple[int, int]
    end: float
    origin: pd.Timestamp | None
    n_sims: int
    converged: bool
    trend: tuple[int, int] = (0, 0)
    observed_from: tuple[float, float] = (0.0, 0.0)
    notes: tuple[str, ...] = ()

    @property
    def mean_delay(self) -> float:
        """Mean delay between a trigger and its offspring, in days."""
        return 1.0 / self.decay

    @property
    def spectral_radius(self) -> float:
        """Largest absolute eigenvalue of the excitation matrix (the process is
        stationary when it is below 1)."""
        return float(np.max(np.abs(np.linalg.eigvals(self.excitation))))

    def _table(self) -> pd.DataFrame:
        return self.params

    def summary_lines(self) -> list[tuple[str, str]]:
        a, b = self.names
        E = self.excitation
        return [
            ("Streams", f"{a} ({self.n_events[0]} events), {b} ({self.n_events[1]} events)"),
            (f"{a} -> {a}", f"{E[0, 0]:.3f}"),
            (f"{a} -> {b}", f"{E[0, 1]:.3f}"),
            (f"{b} -> {a}", f"{E[1, 0]:.3f}"),
            (f"{b} -> {b}", f"{E[1, 1]:.3f}"),
            ("Mean delay (days)", f"{self.mean_delay:.3g}"),
            ("Spectral radius", f"{self.spectral_radius:.3f} (< 1: stationary)"),
            ("LR test, no cross-excitation", f"LR={self.lr_stat:.3f}, p={self.lr_pvalue:.3g}"),
            ("Log-likelihood", f"{self.loglik:.3f}"),
            ("AIC", f"{self.aic:.2f}"),
            ("Background", self._background_label()),
        ] + [("Note", note) for note in self.notes]

    def _background_label(self) -> str:
        if self.background == "constant":
            return "constant per stream"
        return "per stream: trend df " + ", ".join(
            f"{n} {k}" for n, k in zip(self.names, self.trend, strict=True))

    def plot(self, ax=None):
        """Heat map of the excitation matrix with its intervals, on ``ax`` (a new figure
        when None); returns the axes."""
        ax = get_axes(ax)
        E = self.excitation
        im = ax.imshow(E, cmap="viridis", vmin=0)
        for i in range(2):
            for j in range(2):
                lo, hi = self.excitation_ci_low[i, j], self.excitation_ci_high[i, j]
                ax.text(
                    j,
                    i,
                    f"{E[i, j]:.2f}\n[{lo:.2f}, {hi:.2f}]",
                    ha="center",
                    va="center",
                    color="w" if E[i, j] < E.max() / 2 else "k",
                )
        ax.set_xticks([0, 1], [f"to {n}" for n in self.names])
        ax.set_yticks([0, 1], [f"from {n}" for n in self.names])
        ax.set_title(f"Excitation (LR no-cross p={self.lr_pvalue:.3g})")
        ax.figure.colorbar(im, ax=ax, label="expected offspring")
        return ax
