"""The results of :func:`analysis.forecast` and :func:`analysis.backtest`."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from ...results import Result, get_axes
from ..frequency.predict import plot_fan
from .data import ForecastInputError

__all__ = ["BacktestResult", "ForecastResult"]


@dataclasses.dataclass(frozen=True, repr=False, eq=False)
class ForecastResult(Result):
    r"""Predictive distributions of the counts of the next ``horizon`` periods.

    For ``model="negbin"``: :math:`Y_{T+h} \sim \mathrm{NB2}(\mu_{T+h}, \alpha)` with
    :math:`\log \mu_t` the trend-seasonal linear predictor of :func:`analysis.fit_frequency`
    (coefficients drawn from their asymptotic normal law). For ``model="hawkes"``:
    :math:`Y_{T+h} = N(\text{period } T+h)` of the fitted Hawkes process
    :math:`\lambda(t) = \mu(t) + \eta\beta\sum_{t_i<t} e^{-\beta(t-t_i)}` simulated forward
    from the observed history. Baselines: see :mod:`analysis.models.forecast.models`.

    Attributes
    ----------
    table : DataFrame
        One row per future period: ``mean``, ``sd`` and the requested quantiles.
    samples : ndarray
        ``(n_sims, horizon)`` simulated counts.
    history : Series
        The observed counts the forecast conditions on.
    seed : int
        The seed of the simulation (pass it again to reproduce the forecast).
    """

    title = "Count forecast"

    model: str
    freq: str
    table: pd.DataFrame
    samples: np.ndarray
    history: pd.Series
    seed: int

    def _table(self) -> pd.DataFrame:
        return self.table

    def summary_lines(self) -> list[tuple[str, str]]:
        return [
            ("Model", self.model),
            ("Periods", f"{len(self.table)} x {self.freq} from {self.table.index[0].date()}"),
            ("Samples", f"{self.samples.shape[0]}"),
            ("History", f"{len(self.history)} periods to {self.history.index[-1].date()}"),
        ]

    def plot(self, ax=None, history: int = 36):
        """The last ``history`` observed periods and the forecast with 50% and 90% bands."""
        ax = get_axes(ax)
        plot_fan(ax, self.history, self.samples, self.table["mean"], levels=(0.9, 0.5),
                 n_history=history, label=f"{self.model} mean")
        ax.set_title(f"Forecast ({self.model})")
        return ax


def _common(table: pd.DataFrame, models) -> pd.DataFrame:
    """The rows of the (origin, step) pairs that every model with any forecast scored."""
    present = [m for m in models if (table["model"] == m).any()]
    t = table[table["model"].isin(present)]
    n = t.groupby(["origin", "step"])["model"].transform("nunique")
    return t[n == len(present)]


def best_model(table: pd.DataFrame, models) -> str:
    """The model with the lowest mean CRPS over the (origin, step) pairs that every
    model forecast (all of a model's forecasts if no pair is shared)."""
    common = _common(table, models)
    use = common if len(common) else table
    return str(use.groupby("model")["crps"].mean().idxmin())


def _covered(t: pd.DataFrame, lo: str, hi: str) -> pd.Series:
    return (t["observed"] >= t[lo]) & (t["observed"] <= t[hi])


@dataclasses.dataclass(frozen=True, repr=False, eq=False)
class BacktestResult(Result):
    r"""Rolling-origin evaluation of count forecasts.

    At each origin :math:`T` (every period from ``start``), each model forecasts
    :math:`Y_{T+1..T+H}` from the counts (or events) up to :math:`T`, refitted every
    ``refit`` origins. Scores per forecast: CRPS :math:`\mathrm{E}|X - y| - \tfrac12
    \mathrm{E}|X - X'|` (unbiased ensemble estimator), log score :math:`-\log \hat p(y)`
    and the randomised PIT (see :mod:`analysis.models.forecast.scores`); lower scores are
    better. The central 50% and 90% intervals are ``[F^-1(0.25), F^-1(0.75)]`` and
    ``[F^-1(0.05), F^-1(0.95)]`` of the samples; for counts they cover at least their
    level when the forecasts are calibrated (the randomised PIT's ``pit_90`` is exact).

    Attributes
    ----------
    table : DataFrame
        Tidy: one row per (origin, step, model) with ``target`` period, ``observed``,
        ``mean``, ``q05``, ``q25``, ``median``, ``q75``, ``q95``, ``crps``,
        ``log_score``, ``pit``.
    failures : DataFrame
        One row per model that failed to fit at an origin: ``origin``, ``model``,
        ``error``.
    refit : int
        Origins between refits.
    best_model : str
        The model with the lowest mean CRPS over all the origins (and steps) where every
        model forecast: the one a report should use.
    """

    title = "Rolling-origin forecast backtest"

    table: pd.DataFrame
    models: tuple[str, ...]
    horizon: int
    freq: str
    n_sims: int
    failures: pd.DataFrame
    refit: int = 1
    best_model: str = ""

    def scores(self) -> pd.DataFrame:
        """Per model and step: ``n`` forecasts, mean ``crps`` and ``log_score``, the
        empirical coverage of the central 50% and 90% intervals (``coverage_50``,
        ``coverage_90``) and the share of randomised PIT values in [0.05, 0.95]
        (``pit_90``)."""
        t = self.table.assign(c50=_covered(self.table, "q25", "q75"),
                              c90=_covered(self.table, "q05", "q95"))
        g = t.groupby(["model", "step"], sort=False)
        return g.agg(
            n=("crps", "size"),
            crps=("crps", "mean"),
            log_score=("log_score", "mean"),
            coverage_50=("c50", "mean"),
            coverage_90=("c90", "mean"),
            pit_90=("pit", lambda u: float(np.mean((u >= 0.05) & (u <= 0.95)))),
        )

    def _table(self) -> pd.DataFrame:
        s = self.scores()
        best = s["crps"].groupby(level="step").transform("min")
        s["crps_rel_best"] = s["crps"] / best
        return s

    def summary_lines(self) -> list[tuple[str, str]]:
        s1 = self.scores().xs(1, level="step")
        b = s1.loc[self.best_model]
        lines = [
            ("Models", ", ".join(self.models)),
            ("Origins", f"{self.table['origin'].nunique()} ({self.freq}), horizon "
                        f"{self.horizon}, refit every {self.refit}"),
            ("Best model (mean CRPS)", f"{self.best_model} ({b['crps']:.3f} at step 1)"),
            ("Its interval coverage (step 1)",
             f"50%: {b['coverage_50']:.0%}, 90%: {b['coverage_90']:.0%} of {int(b['n'])}"),
            ("Best log score (step 1)", f"{s1['log_score'].idxmin()} ({s1['log_score'].min():.3f})"),
        ]
        if len(self.failures):
            lines.append(("Failed fits", f"{len(self.failures)} (see .failures)"))
        return lines

    def pit_histogram(self, model: str, bins: int = 10, step: int | None = None) -> np.ndarray:
        """Counts of PIT values in ``bins`` equal bins (flat when calibrated), for one
        ``step`` ahead or all steps (None)."""
        sel = self.table["model"] == model
        if step is not None:
            sel &= self.table["step"] == step
        u = self.table.loc[sel, "pit"].to_numpy()
        return np.histogram(u, bins=bins, range=(0, 1))[0]

    def plot(self, ax=None, kind: str = "scores"):
        """``kind="scores"``: mean CRPS by model and step; ``"pit"``: PIT histograms
        (one step line per model); ``"forecasts"``: observed counts and each model's
        step-1 median and 90% interval."""
        draw = {"scores": self._plot_scores, "pit": self._plot_pit,
                "forecasts": self._plot_forecasts}.get(kind)
        if draw is None:
            raise ForecastInputError("kind must be 'scores', 'pit' or 'forecasts'")
        return draw(get_axes(ax))

    def _plot_scores(self, ax):
        self.scores()["crps"].unstack("step").plot.bar(ax=ax, rot=0)
        ax.set(xlabel="", ylabel="mean CRPS (lower is better)", title="Backtest: CRPS by model")
        ax.legend(title="step")
        return ax

    def _plot_pit(self, ax):
        edges = np.linspace(0, 1, 11)
        for m in self.models:
            h = self.pit_histogram(m)
            if h.sum():
                ax.stairs(h / h.sum() * 10, edges, label=m)
        ax.axhline(1.0, color="k", ls="--", lw=1)
        ax.set(xlabel="randomised PIT", ylabel="density", title="PIT histograms (flat = calibrated)")
        ax.legend(loc="best")
        return ax

    def _plot_forecasts(self, ax):
        t1 = self.table[self.table["step"] == 1]
        obs = t1.drop_duplicates("target").set_index("target")["observed"]
        ax.plot(obs.index, obs.to_numpy(float), "k.-", lw=1, label="observed")
        for m in self.models:
            tm = t1[t1["model"] == m].set_index("target")
            ax.plot(tm.index, tm["median"], lw=1, label=m)
            ax.fill_between(tm.index, tm["q05"], tm["q95"], alpha=0.12, lw=0)
        ax.set_ylabel("incidents per period")
        ax.legend(loc="upper left")
        return ax
