r"""Regular count series shaped like conflict data, with known truth: :func:`simulate_counts`.

Real weekly or monthly counts of attacks are overdispersed, seasonal, autocorrelated,
and they surge and collapse. A model whose defaults hold only on independent Poisson
counts misleads on them, so the calibration studies of :mod:`analysis.models` simulate
from this process, whose every parameter is kept in ``attrs["truth"]``.

The model
---------
Each day :math:`d` (at :math:`t_d` years after ``start``) has the intensity

.. math::

    \log\lambda_d = \log\frac{b}{L} + \beta t_d
        + A\cos\frac{2\pi\,(u_d - p + \tfrac12)}{12}
        + \sum_j \delta_j\,\mathbf 1[d \ge \tau_j]
        + \sum_k h_k \exp\Big(-\frac{(d - c_k)^2}{2 w_k^2}\Big),

with :math:`b` = ``base_rate`` (expected count in a period of average length :math:`L`
days), :math:`\beta` = ``trend`` (log change per year), :math:`A` =
``seasonal_amplitude`` peaking in the middle of month :math:`p` = ``peak_month``
(:math:`u_d` is the day's position in the year in months, 0 on 1 January), level shifts
:math:`\delta_j` from the ``breaks`` dates :math:`\tau_j`, and smooth surges of log
height :math:`h_k` centred on :math:`c_k` with width :math:`w_k` days (``surges``). The
expected count of period :math:`t` is :math:`m_t = \sum_{d \in t}\lambda_d`, so months
of 31 days hold more than months of 28.

A stationary Gaussian AR(1) on the log mean, :math:`a_t = \phi a_{t-1} + e_t` with
marginal standard deviation :math:`\sigma` (``ar``, ``ar_sd``), and a gamma mixing of
dispersion :math:`\alpha` (``dispersion``) give

.. math::

    \mu_t = m_t\,e^{a_t - \sigma^2/2}, \qquad
    Y_t \mid \mu_t \sim \mathrm{NB2}(\mu_t, \alpha),

so that :math:`E\,Y_t = m_t`, :math:`\operatorname{Var} Y_t = m_t + m_t^2\,[(1+\alpha)
e^{\sigma^2} - 1]` and :math:`\operatorname{Cov}(Y_t, Y_{t+k}) = m_t m_{t+k}
(e^{\sigma^2\phi^k} - 1)`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from .. import config
from .._periods import PERIODS_PER_YEAR, freq_key
from .incidents import SimulationParameterError

__all__ = ["simulate_counts"]

#: Anchored pandas aliases of the simulated frequencies (weeks start on Monday, as in
#: :func:`analysis.incident_counts`).
_ALIASES = {"D": "D", "W": "W-MON", "MS": "MS"}


def simulate_counts(
    start: str | pd.Timestamp = "2017-01-01",
    end: str | pd.Timestamp | None = None,
    *,
    periods: int | None = None,
    freq: str = "W",
    base_rate: float = 10.0,
    trend: float = 0.0,
    seasonal_amplitude: float = 0.4,
    peak_month: float = 7.0,
    dispersion: float | None = 0.1,
    ar: float = 0.5,
    ar_sd: float = 0.25,
    surges: Sequence[tuple] = (),
    breaks: Mapping[str | pd.Timestamp, float] | None = None,
    seed: int | np.random.Generator | None = config.DEFAULT_SEED,
) -> pd.Series:
    """Simulate a regular count series: NB2, seasonal, autocorrelated, with surges and
    level shifts (the model is in the module docstring).

    Parameters
    ----------
    start, end : date-like
        The first and last day covered; ``start`` moves back to the start of its period
        (a Monday for weeks, the first of the month for months).
    periods : int, optional
        Number of periods, instead of ``end``. With neither, eight years.
    freq : {"W", "MS", "D"}
        Weeks (starting on Monday), months or days.
    base_rate : float
        Expected count of a period of average length at ``start``, at the seasonal mean,
        before trend, breaks and surges.
    trend : float
        Log change of the rate per year.
    seasonal_amplitude, peak_month : float
        Amplitude of the annual cosine on the log scale (peak/trough ratio
        ``exp(2 * seasonal_amplitude)``) and the month (1-12, fractional allowed) in
        whose middle it peaks.
    dispersion : float or None
        NB2 dispersion ``alpha`` given the latent mean; 0 or None for Poisson.
    ar, ar_sd : float
        Lag-one correlation (``0 <= ar < 1``) and marginal standard deviation of the
        latent AR(1) on the log mean; ``ar_sd=0`` for none.
    surges : sequence of (date, float, float)
        Smooth bumps: centre date, log height (negative for a lull) and width in days
        (the standard deviation of the Gaussian bump).
    breaks : mapping date -> float, optional
        Level shifts: from each date on the log rate changes by the value.
    seed : int, Generator or None
        Seed of the random draws; the same seed gives the same series.

    Returns
    -------
    pandas.Series
        Integer counts named ``"incidents"`` on a regular period-start index.
        ``attrs["truth"]`` holds the parameters, ``mean`` (the expected counts
        :math:`m_t`), ``conditional_mean`` (:math:`\\mu_t`, given the latent AR path) and
        ``log_ar`` (:math:`a_t`).

    Raises
    ------
    SimulationParameterError
        An argument out of range (the message says which).

    Examples
    --------
    >>> import analysis
    >>> y = analysis.simulate_counts(breaks={"2021-08-15": -1.0}, seed=1)
    >>> y.attrs["truth"]["mean"].head(3)  # doctest: +SKIP
    """
    key = _check(freq, base_rate, dispersion, ar, ar_sd)
    index = _index(start, end, periods, key)
    surge_list = _surges(surges)
    break_list = sorted((pd.Timestamp(k), float(v)) for k, v in dict(breaks or {}).items())
    mean = _expected(index, key, base_rate, trend, seasonal_amplitude, peak_month,
                     break_list, surge_list)
    rng = np.random.default_rng(seed)
    log_ar = _ar_path(rng, len(index), float(ar), float(ar_sd))
    mu = mean * np.exp(log_ar - ar_sd**2 / 2)
    alpha = float(dispersion or 0.0)
    lam = rng.gamma(1 / alpha, alpha * mu) if alpha > 0 else mu
    y = pd.Series(rng.poisson(lam).astype("int64"), index=index, name="incidents")
    y.attrs["truth"] = {
        "freq": key, "base_rate": float(base_rate), "trend": float(trend),
        "seasonal_amplitude": float(seasonal_amplitude), "peak_month": float(peak_month),
        "dispersion": alpha, "ar": float(ar), "ar_sd": float(ar_sd),
        "breaks": {w.strftime("%Y-%m-%d"): e for w, e in break_list},
        "surges": [(c.strftime("%Y-%m-%d"), h, w) for c, h, w in surge_list],
        "seed": seed if not isinstance(seed, np.random.Generator) else None,
        "mean": pd.Series(mean, index=index, name="mean"),
        "conditional_mean": pd.Series(mu, index=index, name="conditional_mean"),
        "log_ar": pd.Series(log_ar, index=index, name="log_ar"),
    }  # fmt: skip
    return y


def _check(freq, base_rate, dispersion, ar, ar_sd) -> str:
    """The frequency key, or :class:`SimulationParameterError` for a bad argument."""
    key = freq_key(freq, period_starts=True, error=SimulationParameterError)
    if key not in _ALIASES:
        raise SimulationParameterError(f"freq must be 'W', 'MS' or 'D', not {freq!r}")
    if not (np.isfinite(base_rate) and base_rate > 0):
        raise SimulationParameterError("base_rate must be a positive expected count per period")
    if dispersion is not None and not dispersion >= 0:
        raise SimulationParameterError("dispersion must be >= 0 (0 or None for Poisson counts)")
    if not 0 <= ar < 1:
        raise SimulationParameterError("ar must lie in [0, 1)")
    if not ar_sd >= 0:
        raise SimulationParameterError("ar_sd must be >= 0")
    return key


def _index(start, end, periods, key: str) -> pd.DatetimeIndex:
    """The period starts from ``start`` to ``end`` (or ``periods`` of them)."""
    if end is not None and periods is not None:
        raise SimulationParameterError("give end or periods, not both")
    first = pd.Timestamp(start).normalize()
    if key == "MS":
        first = first.to_period("M").to_timestamp()
    elif key == "W":
        first = first - pd.Timedelta(days=first.day_of_week)
    if end is None:
        periods = round(8 * PERIODS_PER_YEAR[key]) if periods is None else int(periods)
        if periods < 1:
            raise SimulationParameterError("periods must be at least 1")
        return pd.date_range(first, periods=periods, freq=_ALIASES[key])
    index = pd.date_range(first, pd.Timestamp(end), freq=_ALIASES[key])
    if len(index) == 0:
        raise SimulationParameterError("end must not be before start")
    return index


def _surges(surges) -> list[tuple[pd.Timestamp, float, float]]:
    out = []
    for item in surges:
        try:
            centre, height, width = item
        except (TypeError, ValueError) as err:
            raise SimulationParameterError(
                f"each surge is (centre date, log height, width in days), not {item!r}"
            ) from err
        if not float(width) > 0:
            raise SimulationParameterError("a surge's width (days) must be positive")
        out.append((pd.Timestamp(centre), float(height), float(width)))
    return out


def _expected(index, key, base_rate, trend, amplitude, peak_month, break_list, surge_list):
    """The expected count of each period: the daily intensity summed over its days."""
    days = pd.date_range(index[0], index[-1] + index.freq - pd.Timedelta(days=1), freq="D")
    years = (days - index[0]).days.to_numpy(float) / 365.25
    u = days.month.to_numpy() - 1 + (days.day.to_numpy() - 0.5) / days.days_in_month.to_numpy()
    log_rate = (np.log(base_rate * PERIODS_PER_YEAR[key] / 365.25) + trend * years
                + amplitude * np.cos(2 * np.pi * (u - (float(peak_month) - 0.5)) / 12))
    for when, effect in break_list:
        log_rate += effect * (days >= when)
    for centre, height, width in surge_list:
        log_rate += height * np.exp(-0.5 * ((days - centre).days.to_numpy(float) / width) ** 2)
    period = np.searchsorted(index.to_numpy(), days.to_numpy(), side="right") - 1
    return np.bincount(period, weights=np.exp(log_rate), minlength=len(index))


def _ar_path(rng: np.random.Generator, n: int, phi: float, sd: float) -> np.ndarray:
    """A stationary Gaussian AR(1) path with lag-one correlation ``phi`` and marginal
    standard deviation ``sd``."""
    if sd == 0:
        return np.zeros(n)
    e = rng.normal(0.0, sd * np.sqrt(1 - phi**2), n)
    a = np.empty(n)
    a[0] = rng.normal(0.0, sd)
    for t in range(1, n):
        a[t] = phi * a[t - 1] + e[t]
    return a
