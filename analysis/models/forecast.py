"""Forecasts of incident counts with full predictive distributions, and rolling-origin
backtests scored by proper scoring rules.

Models (``model=`` / ``models=``):

``"negbin"``
    The count model of :func:`analysis.fit_frequency` (NB2 with trend and annual
    Fourier seasonality by default; options via ``model_kw``); samples from its
    ``forecast`` (parameter uncertainty included).
``"hawkes"``
    :func:`analysis.fit_hawkes` on the event times up to the forecast origin (background
    ``"trend_seasonal"`` by default), then exact simulation of the future by the branching
    construction: a new background process plus the offspring still due from past events.
    Each sample path uses parameters drawn from the fit's asymptotic normal distribution.
``"naive_last"``
    Random walk: the last count plus resampled historical one-period changes (summed
    over the horizon), floored at 0.
``"seasonal_naive"``
    The count one year earlier plus resampled historical year-on-year changes, floored
    at 0 (``m`` = 12 for MS, 4 for QS, 52 for W, 7 for D, 1 for YS).
``"historical_mean"``
    Climatology: the empirical distribution of all past counts (its mean is the
    historical mean).

Every predictive distribution is represented by ``n_samples`` integer samples per future
period. Scores:

* **CRPS** from the samples with ``scoringrules.crps_ensemble`` (the unbiased "pwm"
  estimator, O(N log N));
* **log score** ``-log p(y)`` with ``p`` the empirical pmf of the samples smoothed by one
  pseudo-sample from a negative binomial with the samples' mean and variance (Poisson
  when under-dispersed): ``p(y) = (#{s = y} + g(y)) / (N + 1)``, never zero, normalised;
* **randomised PIT** for counts: ``u = F(y - 1) + V (F(y) - F(y - 1))``, ``V ~ U(0, 1)``,
  with ``F`` the empirical CDF of the samples; uniform when the forecasts are calibrated.
"""

from __future__ import annotations

import dataclasses
import math
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from ..errors import InputError
from ..results import Result, get_axes

__all__ = [
    "BacktestResult",
    "ForecastInputError",
    "ForecastResult",
    "backtest",
    "forecast",
    "score_samples",
]

MODELS = ("negbin", "hawkes", "naive_last", "seasonal_naive", "historical_mean")
SEASON = {"D": 7, "W": 52, "MS": 12, "QS": 4, "YS": 1}
DEFAULT_QUANTILES = (0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95)


class ForecastInputError(InputError):
    """Data or options that a forecast or backtest cannot use, and what to do."""


# =============================================================================================
# Data handling
# =============================================================================================
def _freq_key(freq: str) -> str:
    f = str(freq).upper()
    if f.startswith("W"):
        return "W"
    if f in ("M", "MS"):
        return "MS"
    if f in ("Q", "QS") or f.startswith("QS"):
        return "QS"
    if f in ("Y", "YS", "A", "AS") or f.startswith("YS"):
        return "YS"
    if f == "D":
        return "D"
    raise ForecastInputError(f"freq={freq!r} is not supported; use one of D, W, MS, QS, YS")


@dataclasses.dataclass
class _Data:
    counts: pd.Series  # regular, float-free ints, index = period starts with freq
    frame: pd.DataFrame | None  # incident frame (for Hawkes), or None for a count series
    key: str


def _as_data(data, freq: str) -> _Data:
    from ..series import incident_counts

    if isinstance(data, pd.Series) and not pd.api.types.is_datetime64_any_dtype(data):
        idx = data.index
        if not isinstance(idx, pd.DatetimeIndex) or idx.freq is None:
            raise ForecastInputError(
                "a count series needs a regular DatetimeIndex with a frequency "
                "(use analysis.incident_counts)"
            )
        if data.isna().any():
            raise ForecastInputError(
                f"the count series has {int(data.isna().sum())} NA periods (outside the "
                "coverage); forecast a stretch without gaps"
            )
        y = data.astype(float)
        if (y < 0).any() or (y != np.round(y)).any():
            raise ForecastInputError("counts must be non-negative integers")
        return _Data(y.astype("int64"), None, _freq_key(idx.freqstr))
    if isinstance(data, pd.DataFrame):
        if "date" not in data.columns:
            raise ForecastInputError("an incident frame needs a 'date' column")
        frame = data
    else:
        try:
            ts = pd.DatetimeIndex(data)
        except (TypeError, ValueError) as exc:
            raise ForecastInputError(
                f"data must be an incident frame, event timestamps or a count series ({exc})"
            ) from None
        frame = pd.DataFrame({"date": ts.sort_values()})
    if frame["date"].isna().any():
        raise ForecastInputError("some incidents have no date (NaT); drop or date them first")
    key = _freq_key(freq)
    y = incident_counts(frame, key)
    if y.isna().any():
        raise ForecastInputError("the count series has NA periods; forecast a covered stretch")
    return _Data(y.astype("int64"), frame, key)


def _period_end(idx: pd.DatetimeIndex, i: int) -> pd.Timestamp:
    return idx[i] + idx.freq


# =============================================================================================
# Scores
# =============================================================================================
def _smoothing_pmf(samples: np.ndarray, y: np.ndarray) -> np.ndarray:
    m = samples.mean()
    v = samples.var()
    if v > m > 0:
        n = m * m / (v - m)
        return stats.nbinom.pmf(y, n, n / (n + m))
    return stats.poisson.pmf(y, max(m, 1e-3))


def score_samples(
    samples: np.ndarray, observed: float, rng: np.random.Generator | None = None
) -> dict[str, float]:
    """CRPS, log score and randomised PIT of one observed count given predictive samples
    (the rules are in the module docstring)."""
    try:
        import scoringrules as sr
    except ImportError:  # pragma: no cover - scoringrules is in the ``forecast`` extra
        raise ImportError(
            "scores need scoringrules: pip install 'afghan-violence-analysis[forecast]'"
        ) from None

    s = np.asarray(samples, float)
    y = float(observed)
    crps = float(sr.crps_ensemble(np.array([y]), s[None, :], estimator="pwm")[0])
    n = s.shape[0]
    p = (np.count_nonzero(s == y) + float(_smoothing_pmf(s, np.array([y]))[0])) / (n + 1)
    rng = rng if rng is not None else np.random.default_rng(0)
    f_hi = np.count_nonzero(s <= y) / n
    f_lo = np.count_nonzero(s <= y - 1) / n
    pit = f_lo + rng.random() * (f_hi - f_lo)
    return {"crps": crps, "log_score": -math.log(p), "pit": float(pit)}


# =============================================================================================
# Model samplers: each returns an (n_samples, horizon) integer array
# =============================================================================================
def _bootstrap(rng, pool: np.ndarray, size) -> np.ndarray:
    return rng.choice(pool, size=size, replace=True)


def _sample_naive_last(y: np.ndarray, h: int, n: int, rng, key: str) -> np.ndarray:
    d = np.diff(y)
    if d.size == 0:
        raise ForecastInputError("naive_last needs at least 2 periods")
    steps = _bootstrap(rng, d, (n, h)).cumsum(axis=1)
    return np.clip(y[-1] + steps, 0, None)


def _sample_seasonal_naive(y: np.ndarray, h: int, n: int, rng, key: str) -> np.ndarray:
    m = SEASON[key]
    if y.size < m + 2:
        raise ForecastInputError(
            f"seasonal_naive needs more than one season ({m} periods) of history"
        )
    d = y[m:] - y[:-m]
    out = np.empty((n, h))
    for j in range(h):
        # y[T + j + 1 - m]; beyond one season, repeat the last season's value
        base_idx = y.size + j - m
        while base_idx >= y.size:
            base_idx -= m
        out[:, j] = y[base_idx] + _bootstrap(rng, d, n)
    return np.clip(out, 0, None)


def _sample_historical_mean(y: np.ndarray, h: int, n: int, rng, key: str) -> np.ndarray:
    return _bootstrap(rng, y.astype(float), (n, h))


def _sample_negbin(data: _Data, h: int, n: int, seed: int, model_kw: dict) -> np.ndarray:
    from .frequency import fit_frequency

    kw = {"trend": True, "seasonal": "fourier" if data.key not in ("YS",) else None}
    kw.update(model_kw)
    if data.key == "YS" and kw.get("seasonal") is not None:
        kw["seasonal"] = None
    res = fit_frequency(data.counts, **kw)
    fc = res.forecast(h, n_sims=n, seed=seed)
    return np.asarray(fc.attrs["samples"], float)


def _sample_hawkes(
    data: _Data, origin_end: pd.Timestamp, h: int, n: int, seed: int, model_kw: dict
) -> np.ndarray:
    from .hawkes import fit_hawkes, simulate_hawkes

    if data.frame is None:
        raise ForecastInputError(
            "model='hawkes' needs event dates (an incident frame or timestamps), not a count series"
        )
    idx = data.counts.index
    start = idx[0]
    frame = data.frame[pd.to_datetime(data.frame["date"]) < origin_end]
    kw: dict[str, Any] = {"background": "trend_seasonal", "harmonics": 2, "n_sims": 5}
    kw.update(model_kw)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        res = fit_hawkes(frame, start=start, end=origin_end - pd.Timedelta(days=1), seed=seed, **kw)
    T = res.end
    future = pd.date_range(origin_end, periods=h + 1, freq=idx.freq)
    edges = np.asarray((future - res.origin) / pd.Timedelta(days=1), float)
    rng = np.random.default_rng(seed)
    theta = res.theta
    cov = res.cov
    ok = np.all(np.isfinite(cov)) and np.all(np.linalg.eigvalsh((cov + cov.T) / 2) > -1e-12)
    draws = (
        rng.multivariate_normal(theta, cov, size=n, method="svd") if ok else np.tile(theta, (n, 1))
    )
    bg = res._bg()
    p = len(res.coef_names)
    out = np.empty((n, h))
    for i in range(n):
        th = draws[i]
        eta = 1.0 / (1.0 + math.exp(-th[-2]))
        beta = math.exp(th[-1])
        b = th[:p]
        mu_max = float(bg.rate(np.linspace(T, edges[-1], 400), b).max()) * 1.05

        def mu(t, b=b):
            return bg.rate(t, b)

        ev = simulate_hawkes(
            mu, eta, beta, edges[-1], start=T, history=res.times, mu_max=mu_max, seed=rng
        )
        out[i] = np.histogram(ev, bins=edges)[0]
    return out


def _samples(model: str, data: _Data, origin: int, h: int, n: int, seed: int, model_kw: dict):
    """Samples for the ``h`` periods after index position ``origin`` (inclusive history)."""
    y = data.counts.to_numpy()[: origin + 1].astype(float)
    rng = np.random.default_rng(seed)
    if model == "naive_last":
        return _sample_naive_last(y, h, n, rng, data.key)
    if model == "seasonal_naive":
        return _sample_seasonal_naive(y, h, n, rng, data.key)
    if model == "historical_mean":
        return _sample_historical_mean(y, h, n, rng, data.key)
    sub = _Data(data.counts.iloc[: origin + 1], data.frame, data.key)
    if model == "negbin":
        return _sample_negbin(sub, h, n, seed, model_kw)
    if model == "hawkes":
        return _sample_hawkes(sub, _period_end(data.counts.index, origin), h, n, seed, model_kw)
    raise ForecastInputError(f"unknown model {model!r}; choose from {MODELS}")


# =============================================================================================
# Forecast
# =============================================================================================
@dataclasses.dataclass(frozen=True, repr=False, eq=False)
class ForecastResult(Result):
    r"""Predictive distributions of the counts of the next ``horizon`` periods.

    For ``model="negbin"``: :math:`Y_{T+h} \sim \mathrm{NB2}(\mu_{T+h}, \alpha)` with
    :math:`\log \mu_t` the trend-seasonal linear predictor of :func:`analysis.fit_frequency`
    (coefficients drawn from their asymptotic normal law). For ``model="hawkes"``:
    :math:`Y_{T+h} = N(\text{period } T+h)` of the fitted Hawkes process
    :math:`\lambda(t) = \mu(t) + \eta\beta\sum_{t_i<t} e^{-\beta(t-t_i)}` simulated forward
    from the observed history. Baselines: see :mod:`analysis.models.forecast`.

    Attributes
    ----------
    table : DataFrame
        One row per future period: ``mean``, ``sd`` and the requested quantiles.
    samples : ndarray
        ``(n_samples, horizon)`` simulated counts.
    history : Series
        The observed counts the forecast conditions on.
    """

    title = "Count forecast"

    model: str
    freq: str
    table: pd.DataFrame
    samples: np.ndarray
    history: pd.Series
    seed: int | None

    def _table(self) -> pd.DataFrame:
        return self.table.copy()

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
        hist = self.history.iloc[-history:]
        ax.plot(hist.index, hist.to_numpy(float), "k-", lw=1, label="observed")
        x = self.table.index
        q = np.quantile(self.samples, [0.05, 0.25, 0.5, 0.75, 0.95], axis=0)
        ax.fill_between(x, q[0], q[4], alpha=0.2, lw=0, label="90% interval")
        ax.fill_between(x, q[1], q[3], alpha=0.35, lw=0, label="50% interval")
        ax.plot(x, self.table["mean"], "o-", ms=3, label=f"{self.model} mean")
        ax.set_ylabel("incidents per period")
        ax.set_title(f"Forecast ({self.model})")
        ax.legend(loc="upper left")
        return ax


def forecast(
    data,
    *,
    horizon: int = 3,
    model: str = "negbin",
    freq: str = "MS",
    n_samples: int = 1000,
    quantiles: Sequence[float] = DEFAULT_QUANTILES,
    seed: int | None = 0,
    model_kw: dict | None = None,
) -> ForecastResult:
    """Predictive distribution of incident counts for the next ``horizon`` periods.

    Parameters
    ----------
    data
        A canonical incident frame, event timestamps, or a regular count series (as
        from :func:`analysis.incident_counts`; not for ``model="hawkes"``, which needs
        event dates). Frames and timestamps are counted per ``freq`` period; the last
        period is taken as complete (cut the data at a period boundary if it is not).
    horizon : int
        Number of future periods.
    model : {"negbin", "hawkes", "naive_last", "seasonal_naive", "historical_mean"}
        See the module docstring.
    freq : {"D", "W", "MS", "QS", "YS"}
        Period length (ignored for a count series, which carries its own).
    n_samples : int
        Number of simulated futures.
    quantiles : sequence of float
        Quantiles reported in the table.
    seed : int, optional
        Seed of all simulation.
    model_kw : dict, optional
        Options passed to :func:`analysis.fit_frequency` (negbin) or
        :func:`analysis.fit_hawkes` (hawkes), e.g. ``{"background": "constant"}``.

    Returns
    -------
    ForecastResult

    Examples
    --------
    >>> df = analysis.simulate_incidents(seed=1, dispersion=0.1)    # doctest: +SKIP
    >>> fc = analysis.forecast(df, horizon=3, model="negbin")       # doctest: +SKIP
    >>> fc.table[["mean", "q0.05", "q0.95"]]                         # doctest: +SKIP
    """
    if model not in MODELS:
        raise ForecastInputError(f"unknown model {model!r}; choose from {MODELS}")
    if int(horizon) < 1:
        raise ForecastInputError("horizon must be at least 1 period")
    if n_samples < 10:
        raise ForecastInputError("n_samples must be at least 10")
    d = _as_data(data, freq)
    if len(d.counts) < 3:
        raise ForecastInputError(f"only {len(d.counts)} periods of history; need at least 3")
    from .._threads import single_threaded_blas

    with single_threaded_blas():
        s = _samples(
            model,
            d,
            len(d.counts) - 1,
            int(horizon),
            n_samples,
            0 if seed is None else seed,
            model_kw or {},
        )
    idx = pd.date_range(
        d.counts.index[-1] + d.counts.index.freq,
        periods=int(horizon),
        freq=d.counts.index.freq,
        name="period",
    )
    table = pd.DataFrame({"mean": s.mean(axis=0), "sd": s.std(axis=0, ddof=1)}, index=idx)
    for q in quantiles:
        table[f"q{q:g}"] = np.quantile(s, q, axis=0)
    return ForecastResult(
        model=model, freq=d.key, table=table, samples=s, history=d.counts, seed=seed
    )


# =============================================================================================
# Backtest
# =============================================================================================
@dataclasses.dataclass(frozen=True, repr=False, eq=False)
class BacktestResult(Result):
    r"""Rolling-origin evaluation of count forecasts.

    At each origin :math:`T` (every period from ``start``), each model is refitted on the
    counts (or events) up to :math:`T` and forecasts :math:`Y_{T+1..T+H}`. Scores per
    forecast: CRPS :math:`\mathrm{E}|X - y| - \tfrac12 \mathrm{E}|X - X'|` (unbiased ensemble
    estimator), log score :math:`-\log \hat p(y)` and the randomised PIT (see
    :mod:`analysis.models.forecast`). Lower scores are better.

    Attributes
    ----------
    table : DataFrame
        Tidy: one row per (origin, step, model) with ``target`` period, ``observed``,
        ``mean``, ``median``, ``q05``, ``q95``, ``crps``, ``log_score``, ``pit``.
    """

    title = "Rolling-origin forecast backtest"

    table: pd.DataFrame
    models: tuple[str, ...]
    horizon: int
    freq: str
    n_samples: int
    failures: pd.DataFrame

    def scores(self) -> pd.DataFrame:
        """Mean CRPS and log score per model and step, with the PIT coverage of the central
        90% (share of PIT values in [0.05, 0.95])."""
        g = self.table.groupby(["model", "step"], sort=False)
        out = g.agg(
            n=("crps", "size"),
            crps=("crps", "mean"),
            log_score=("log_score", "mean"),
            pit_90=("pit", lambda u: float(np.mean((u >= 0.05) & (u <= 0.95)))),
        )
        return out

    def _table(self) -> pd.DataFrame:
        s = self.scores()
        best = s["crps"].groupby(level="step").transform("min")
        s["crps_rel_best"] = s["crps"] / best
        return s

    def summary_lines(self) -> list[tuple[str, str]]:
        s = self.scores()
        lines = [
            ("Models", ", ".join(self.models)),
            ("Origins", f"{self.table['origin'].nunique()} ({self.freq}), horizon {self.horizon}"),
        ]
        s1 = s.xs(1, level="step")
        lines.append(("Best CRPS (step 1)", f"{s1['crps'].idxmin()} ({s1['crps'].min():.3f})"))
        lines.append(
            ("Best log score (step 1)", f"{s1['log_score'].idxmin()} ({s1['log_score'].min():.3f})")
        )
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
        ax = get_axes(ax)
        if kind == "scores":
            s = self.scores()["crps"].unstack("step")
            s.plot.bar(ax=ax, rot=0)
            ax.set_ylabel("mean CRPS (lower is better)")
            ax.set_xlabel("")
            ax.set_title("Backtest: CRPS by model")
            ax.legend(title="step")
            return ax
        if kind == "pit":
            edges = np.linspace(0, 1, 11)
            for m in self.models:
                h = self.pit_histogram(m)
                if h.sum():
                    ax.stairs(h / h.sum() * 10, edges, label=m)
            ax.axhline(1.0, color="k", ls="--", lw=1)
            ax.set_xlabel("randomised PIT")
            ax.set_ylabel("density")
            ax.set_title("PIT histograms (flat = calibrated)")
            ax.legend(loc="best")
            return ax
        if kind == "forecasts":
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
        raise ValueError("kind must be 'scores', 'pit' or 'forecasts'")


def backtest(
    data,
    *,
    models: Sequence[str] = MODELS,
    start=None,
    horizon: int = 1,
    freq: str = "MS",
    n_samples: int = 500,
    seed: int = 0,
    model_kw: dict[str, dict] | None = None,
    progress: bool | None = None,
) -> BacktestResult:
    """Rolling-origin backtest of count forecasts with proper scores.

    Parameters
    ----------
    data
        As for :func:`forecast`.
    models : sequence of str
        Any of ``"negbin", "hawkes", "naive_last", "seasonal_naive", "historical_mean"``.
    start : date-like or int, optional
        The first forecast origin (the last period of the first training window), as a
        date inside that period or a position. Default: two years of history (or half
        the series, whichever is later).
    horizon : int
        Steps ahead forecast from each origin (every step is scored).
    freq, n_samples, seed
        As for :func:`forecast`.
    model_kw : dict, optional
        Per-model options, e.g. ``{"hawkes": {"n_sims": 3}, "negbin": {"harmonics": 1}}``.
    progress : bool, optional
        Progress bar over origins (None: only on a terminal).

    Returns
    -------
    BacktestResult
        A model that fails to fit at an origin is recorded in ``failures`` (with the
        error message) and that forecast is left out; it is never silently scored.

    Examples
    --------
    >>> bt = analysis.backtest(df, start="2020-01-01", horizon=2)    # doctest: +SKIP
    >>> bt.to_frame()               # mean CRPS / log score by model and step  # doctest: +SKIP
    >>> bt.plot(kind="pit")                                          # doctest: +SKIP
    """
    from tqdm.auto import tqdm

    from .._threads import single_threaded_blas

    models = tuple(models)
    bad = [m for m in models if m not in MODELS]
    if bad:
        raise ForecastInputError(f"unknown models {bad}; choose from {MODELS}")
    if not models:
        raise ForecastInputError("give at least one model")
    if int(horizon) < 1:
        raise ForecastInputError("horizon must be at least 1 period")
    h = int(horizon)
    d = _as_data(data, freq)
    y = d.counts
    n = len(y)
    per_year = SEASON[d.key] if d.key != "D" else 365
    if start is None:
        o0 = max(2 * per_year, n // 2) - 1
    elif isinstance(start, int | np.integer):
        o0 = int(start)
    else:
        ts = pd.Timestamp(start)
        o0 = int(y.index.searchsorted(ts, side="right")) - 1
    if o0 < 2:
        raise ForecastInputError("start leaves fewer than 3 periods of history")
    if o0 > n - 2:
        raise ForecastInputError(
            f"start leaves no period to forecast (the series ends {y.index[-1].date()})"
        )
    mk = model_kw or {}
    rows = []
    fails = []
    rng = np.random.default_rng(seed)
    origins = range(o0, n - 1)
    with single_threaded_blas():
        for o in tqdm(
            origins,
            disable=(not progress) if progress is not None else None,
            desc="backtest origins",
        ):
            steps = min(h, n - 1 - o)
            for j, m in enumerate(models):
                sd = int(np.random.SeedSequence([seed, o, j]).generate_state(1)[0])
                try:
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        s = _samples(m, d, o, steps, n_samples, sd, mk.get(m, {}))
                except (ValueError, np.linalg.LinAlgError, RuntimeError) as exc:
                    fails.append({"origin": y.index[o], "model": m, "error": str(exc)})
                    continue
                for k in range(steps):
                    obs = float(y.iloc[o + 1 + k])
                    sc = score_samples(s[:, k], obs, rng)
                    q = np.quantile(s[:, k], [0.05, 0.5, 0.95])
                    rows.append(
                        {
                            "origin": y.index[o],
                            "step": k + 1,
                            "target": y.index[o + 1 + k],
                            "model": m,
                            "observed": obs,
                            "mean": float(s[:, k].mean()),
                            "median": q[1],
                            "q05": q[0],
                            "q95": q[2],
                            **sc,
                        }
                    )
    table = pd.DataFrame(rows)
    if table.empty:
        raise ForecastInputError(
            "no forecast could be made; see the errors: " + "; ".join(f["error"] for f in fails[:3])
        )
    return BacktestResult(
        table=table,
        models=models,
        horizon=h,
        freq=d.key,
        n_samples=n_samples,
        failures=pd.DataFrame(fails, columns=["origin", "model", "error"]),
    )
