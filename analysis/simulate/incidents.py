"""Simulated incident tables with known truth: the fixtures of tests and documentation.

:func:`simulate_incidents` draws a canonical incident frame (it passes
:func:`analysis.validate_incidents`) from a count process whose parameters are stored
in ``attrs["truth"]``, so that every model in :mod:`analysis.models` can be checked
against the values that generated the data.

The monthly model
-----------------
For month :math:`m = 0, 1, \\dots` after ``start`` (calendar month :math:`c_m \\in 1..12`)
the expected number of incidents is

.. math::

    \\mu_m = \\text{base\\_rate}\\,
             \\exp\\!\\Big(\\text{trend}\\cdot\\frac{m}{12}
             + A\\cos\\frac{2\\pi (c_m - \\text{peak\\_month})}{12}\\Big)
             \\cdot \\frac{1}{D_m}\\sum_{d \\in m} \\exp\\Big(\\sum_j \\delta_j\\,[d \\ge \\tau_j]\\Big)

where :math:`D_m` is the number of days in the month and :math:`(\\tau_j, \\delta_j)` are
the ``breaks`` (date, log effect). With ``dispersion=alpha`` every month has its own
gamma multiplier :math:`G_m` (mean 1, variance alpha), so that the monthly count is
negative binomial with mean :math:`\\mu_m` and variance :math:`\\mu_m + \\alpha\\mu_m^2`
(NB2, the parametrisation of :func:`analysis.fit_frequency`). Inside a month incidents
fall on days in proportion to the daily intensity (uniformly, apart from a break).

With ``excitation=(branching, decay_days)`` the process above is the *immigrant*
stream, scaled by ``1 - branching``; each incident then triggers Poisson(``branching``)
further incidents after exponential delays with mean ``decay_days`` (a Hawkes process
with exponential kernel), so the long-run mean stays :math:`\\mu_m`.

The incidents
-------------
Casualties follow a discrete power law with tail exponent ``casualty_alpha``: among
incidents with a casualty, ``P(killed_best >= k) = k ** -(casualty_alpha - 1)`` for
k >= 1 (``floor`` of a Pareto draw), and 40% of incidents kill nobody; wounded are
drawn the same way (30% zero). About 5% of killed and 10% of wounded figures are
unknown (NA); low and high bracket best. The date window ``date_earliest..date_latest``
is the day, a 7-day week containing the day, the calendar month or the calendar year,
in the shares of ``precision_mix``; ``date`` is always the true day, so counting by
``date`` recovers the truth while the windows exercise the rules for imprecise dates.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from .. import config, gazetteer
from ..errors import InputError
from ..schema import ATTRIBUTIONS, COLUMNS, DATE_PRECISIONS, PERPETRATORS, canonical_dtype

__all__ = ["SimulationParameterError", "simulate_incidents"]

DEFAULT_PERPETRATORS = {"Taliban": 0.55, "ISKP": 0.25, "Taliban and/or ISKP": 0.05, "unknown": 0.15}
DEFAULT_ATTRIBUTION_MIX = {"claimed": 0.35, "attributed": 0.35, "suspected": 0.2, "disputed": 0.1}
DEFAULT_PRECISION_MIX = {"day": 0.81, "week": 0.08, "month": 0.08, "year": 0.03}
_ATTACK_TYPES = {
    "bombing": 0.3,
    "armed_assault": 0.25,
    "suicide_bombing": 0.1,
    "vehicle_bomb": 0.05,
    "complex_attack": 0.05,
    "assassination": 0.1,
    "indirect_fire": 0.1,
    "other": 0.05,
}
_TARGET_TYPES = {
    "security_forces": 0.4,
    "civilians": 0.2,
    "government": 0.15,
    "religious": 0.08,
    "education": 0.04,
    "transport": 0.05,
    "other": 0.08,
}
# Provinces more often hit get more weight; every province has some.
_PROVINCE_WEIGHTS = {"Kabul": 8.0, "Nangarhar": 6.0, "Kandahar": 5.0, "Helmand": 5.0, "Kunduz": 3.0,
                     "Ghazni": 3.0, "Herat": 2.0, "Balkh": 2.0, "Kunar": 2.0, "Faryab": 2.0}


class SimulationParameterError(InputError):
    """An argument of :func:`simulate_incidents` is out of range."""


def _shares(mix: Mapping[str, float], allowed, what: str) -> tuple[list[str], np.ndarray]:
    if not mix:
        raise SimulationParameterError(f"{what} must be a non-empty mapping of category -> share")
    keys = list(mix)
    bad = [k for k in keys if k not in allowed]
    if bad:
        raise SimulationParameterError(f"{what}: unknown categories {bad}; allowed: {list(allowed)}")
    p = np.asarray([float(mix[k]) for k in keys])
    if np.any(p < 0) or p.sum() <= 0:
        raise SimulationParameterError(f"{what}: shares must be non-negative with a positive sum")
    return keys, p / p.sum()


def simulate_incidents(
    n_years: float = 6,
    *,
    start: str | pd.Timestamp = "2016-01-01",
    base_rate: float = 30.0,
    trend: float = 0.1,
    seasonal_amplitude: float = 0.4,
    peak_month: float = 6,
    breaks: Mapping[str | pd.Timestamp, float] | None = None,
    dispersion: float | None = None,
    excitation: tuple[float, float] | None = None,
    casualty_alpha: float = 2.5,
    perpetrators: Mapping[str, float] | None = None,
    attribution_mix: Mapping[str, float] | None = None,
    precision_mix: Mapping[str, float] | None = None,
    seed: int = config.DEFAULT_SEED,
) -> pd.DataFrame:
    """Simulate a canonical incident table with known structure.

    Parameters
    ----------
    n_years : float
        Length of the simulated period in years (whole months: ``round(12 * n_years)``).
    start : date-like
        First day; moved to the first of its month.
    base_rate : float
        Expected incidents per month at ``start`` at the seasonal mean (before trend and
        breaks).
    trend : float
        Log change of the rate per year (the incidence-rate ratio per year is
        ``exp(trend)``).
    seasonal_amplitude : float
        Amplitude ``A`` of the annual cosine on the log scale (peak/trough ratio
        ``exp(2A)``).
    peak_month : float
        Calendar month (1-12, may be fractional) at which the seasonal cycle peaks.
    breaks : mapping date -> float, optional
        Regime shifts: from each date on the log rate changes by the value. Default
        ``{"2021-08-15": -0.5}`` (the Taliban takeover); pass ``{}`` for none.
    dispersion : float, optional
        NB2 dispersion ``alpha`` of the monthly counts (variance ``mu + alpha mu^2``);
        None for Poisson counts.
    excitation : (branching, decay_days), optional
        Self-excitation: mean number of incidents each incident triggers
        (``0 <= branching < 1``) and the mean delay in days. None for none.
    casualty_alpha : float
        Tail exponent (> 1) of the casualty distribution (see the module docstring).
    perpetrators : mapping, optional
        Share of incidents per perpetrator (schema vocabulary). Default
        Taliban 0.55, ISKP 0.25, "Taliban and/or ISKP" 0.05, unknown 0.15.
    attribution_mix : mapping, optional
        Shares of attribution for incidents with a named perpetrator (claimed,
        attributed, suspected, disputed); an unknown perpetrator is always "unclaimed".
    precision_mix : mapping, optional
        Shares of date precision (day 0.81, week 0.08, month 0.08, year 0.03; see the
        module docstring).
    seed : int
        Seed of the random generator; the same seed gives the same table.

    Returns
    -------
    pandas.DataFrame
        The canonical columns (:data:`analysis.schema.COLUMNS`), one row per incident,
        sorted by date, ``source_dataset = "simulated"`` and ``sources`` naming the
        simulator and seed. ``attrs["truth"]`` holds every parameter, the Fourier
        coefficients ``cos1``/``sin1`` of the seasonal term (month phase
        ``2 pi (month - 1) / 12``), and ``expected_monthly`` (the Series of
        :math:`\\mu_m`, before any gamma multiplier).

    Examples
    --------
    >>> import analysis
    >>> data = analysis.simulate_incidents(n_years=4, seed=1)
    >>> y = analysis.incident_counts(data, "MS")
    """
    start = pd.Timestamp(start).to_period("M").to_timestamp()
    n_months = round(12 * float(n_years))
    branching, decay = _check_parameters(n_months, base_rate, dispersion, casualty_alpha, excitation, peak_month)
    breaks = {config.TALIBAN_TAKEOVER: -0.5} if breaks is None else dict(breaks)
    break_list = sorted((pd.Timestamp(k), float(v)) for k, v in breaks.items())
    end = start + pd.DateOffset(months=n_months) - pd.Timedelta(days=1)
    if end >= pd.Timestamp.now().normalize():
        raise SimulationParameterError(
            f"the simulated period ends {end.date()}, in the future; move start earlier"
        )
    rng = np.random.default_rng(seed)
    log_mu = np.log(base_rate) + trend * np.arange(n_months) / 12
    days, month_of_day, day_rate = _daily_rates(start, end, n_months, log_mu, seasonal_amplitude, peak_month, break_list)
    multiplier = (
        rng.gamma(1 / dispersion, dispersion, size=n_months) if dispersion is not None else np.ones(n_months)
    )
    t = _event_times(rng, day_rate * multiplier[month_of_day] * (1 - branching), branching, decay)
    mixes = {
        "perpetrators": dict(perpetrators or DEFAULT_PERPETRATORS),
        "attribution_mix": dict(attribution_mix or DEFAULT_ATTRIBUTION_MIX),
        "precision_mix": dict(precision_mix or DEFAULT_PRECISION_MIX),
    }
    day = days[np.floor(t).astype(int)] if len(t) else pd.DatetimeIndex([])
    data = _incident_frame(day, rng, seed=seed, casualty_alpha=casualty_alpha, **mixes)
    phase = 2 * np.pi * (float(peak_month) - 1) / 12
    data.attrs["truth"] = {
        "start": start, "end": end, "n_months": n_months, "base_rate": float(base_rate),
        "intercept": float(np.log(base_rate)), "trend": float(trend),
        "seasonal_amplitude": float(seasonal_amplitude), "peak_month": float(peak_month),
        "cos1": float(seasonal_amplitude * np.cos(phase)), "sin1": float(seasonal_amplitude * np.sin(phase)),
        "breaks": {w.strftime("%Y-%m-%d"): e for w, e in break_list},
        "dispersion": None if dispersion is None else float(dispersion),
        "excitation": None if excitation is None else (branching, decay),
        "casualty_alpha": float(casualty_alpha), **mixes, "seed": seed,
        "expected_monthly": pd.Series(
            np.bincount(month_of_day, weights=day_rate, minlength=n_months),
            index=pd.date_range(start, periods=n_months, freq="MS"), name="expected",
        ),
    }  # fmt: skip
    return data


def _check_parameters(n_months, base_rate, dispersion, casualty_alpha, excitation, peak_month) -> tuple[float, float]:
    """:class:`SimulationParameterError` for an argument out of range; the branching
    ratio and mean delay of the excitation (0 and 1 without excitation)."""
    if n_months < 1:
        raise SimulationParameterError("n_years must cover at least one month")
    if base_rate <= 0 or not np.isfinite(base_rate):
        raise SimulationParameterError("base_rate must be a positive number of incidents per month")
    if dispersion is not None and dispersion <= 0:
        raise SimulationParameterError("dispersion (alpha) must be positive, or None for Poisson counts")
    if casualty_alpha <= 1:
        raise SimulationParameterError("casualty_alpha must be > 1")
    branching, decay = (0.0, 1.0) if excitation is None else map(float, excitation)
    if excitation is not None and (not (0 <= branching < 1) or decay <= 0):
        raise SimulationParameterError("excitation must be (branching in [0, 1), decay_days > 0)")
    if not 1 <= float(peak_month) < 13:
        raise SimulationParameterError("peak_month must lie in [1, 13)")
    return branching, decay


def _daily_rates(start, end, n_months, log_mu, amplitude, peak_month, break_list):
    """The days, the month of each day, and each day's expected incidents: the monthly
    mean (trend and season) spread evenly over the month's days, times the breaks."""
    days = pd.date_range(start, end, freq="D")
    month_of_day = (days.year - start.year) * 12 + days.month - start.month
    cal = pd.date_range(start, periods=n_months, freq="MS").month.to_numpy()
    log_mu_month = log_mu + amplitude * np.cos(2 * np.pi * (cal - float(peak_month)) / 12)
    break_effect = np.zeros(len(days))
    for when, eff in break_list:
        break_effect += eff * (days >= when)
    n_days = np.bincount(month_of_day, minlength=n_months)
    day_rate = np.exp(log_mu_month[month_of_day] + break_effect) / n_days[month_of_day]
    return days, month_of_day, day_rate


def _event_times(rng: np.random.Generator, lam: np.ndarray, branching: float, decay: float) -> np.ndarray:
    """Sorted event times in days: Poisson immigrants at daily rate ``lam``, uniform
    within their day, and (``branching > 0``) their offspring, generation by
    generation, after exponential delays with mean ``decay``."""
    per_day = rng.poisson(lam)
    t = np.repeat(np.arange(len(lam)), per_day).astype(float) + rng.random(per_day.sum())
    if branching > 0:
        parents = t
        all_t = [t]
        while len(parents):
            k = rng.poisson(branching, size=len(parents))
            kids = np.repeat(parents, k) + rng.exponential(decay, size=k.sum())
            kids = kids[kids < len(lam)]
            all_t.append(kids)
            parents = kids
        t = np.concatenate(all_t)
    t.sort()
    return t


def _pareto_counts(rng: np.random.Generator, n: int, alpha: float, p_zero: float) -> np.ndarray:
    """0 with probability p_zero, else floor of a Pareto(x_min=1, tail alpha) draw."""
    u = rng.random(n)
    x = np.floor((1.0 - u) ** (-1.0 / (alpha - 1.0)))
    x = np.minimum(x, 1e6)
    return np.where(rng.random(n) < p_zero, 0, x).astype("int64")


def _brackets(rng, best: np.ndarray, p_unknown: float):
    low = np.floor(best * rng.uniform(0.5, 1.0, len(best))).astype("int64")
    high = np.ceil(best * rng.uniform(1.0, 2.0, len(best))).astype("int64")
    unknown = rng.random(len(best)) < p_unknown
    out = []
    for a in (low, best, high):
        s = pd.array(a, dtype="Int64")
        s[unknown] = pd.NA
        out.append(s)
    return out


def _categories(rng, n: int, perpetrators, attribution_mix, precision_mix):
    """Perpetrator, attribution (an unknown perpetrator is "unclaimed") and date
    precision of each incident, drawn in the given shares."""
    perp_keys, perp_p = _shares(perpetrators, PERPETRATORS, "perpetrators")
    attr_keys, attr_p = _shares(attribution_mix, ATTRIBUTIONS, "attribution_mix")
    prec_keys, prec_p = _shares(precision_mix, DATE_PRECISIONS[:4], "precision_mix")
    perp = np.asarray(perp_keys, dtype=object)[rng.choice(len(perp_keys), n, p=perp_p)]
    attr = np.asarray(attr_keys, dtype=object)[rng.choice(len(attr_keys), n, p=attr_p)]
    attr = np.where(perp == "unknown", "unclaimed", attr)
    prec = np.asarray(prec_keys, dtype=object)[rng.choice(len(prec_keys), n, p=prec_p)]
    return perp, attr, prec


def _windows(rng, day: pd.DatetimeIndex, prec: np.ndarray) -> tuple[pd.DatetimeIndex, pd.DatetimeIndex]:
    """The date window of each incident: its day, a 7-day week holding it, its month or
    its year, by precision; never reaching today."""
    earliest, latest = day.copy(), day.copy()
    is_week = prec == "week"
    offset = pd.to_timedelta(rng.integers(0, 7, len(day)), unit="D")
    earliest = earliest.where(~is_week, day - offset)
    latest = latest.where(~is_week, day - offset + pd.Timedelta(days=6))
    for precision, period, end in (("month", "M", pd.offsets.MonthEnd(0)), ("year", "Y", pd.offsets.YearEnd(0))):
        inside = prec == precision
        first = day.to_period(period).to_timestamp()
        earliest = earliest.where(~inside, first)
        latest = latest.where(~inside, first + end)
    today = pd.Timestamp.now().normalize()
    return earliest, latest.where(latest < today, today - pd.Timedelta(days=1))


def _casualties(rng, n: int, alpha: float) -> dict[str, object]:
    """Killed and wounded low/best/high (see the module docstring)."""
    killed = _pareto_counts(rng, n, alpha, 0.4)
    wounded = _pareto_counts(rng, n, alpha, 0.3)
    k_lo, k_best, k_hi = _brackets(rng, killed, 0.05)
    w_lo, w_best, w_hi = _brackets(rng, wounded, 0.10)
    return {"killed_low": k_lo, "killed_best": k_best, "killed_high": k_hi,
            "wounded_low": w_lo, "wounded_best": w_best, "wounded_high": w_hi}  # fmt: skip


def _draw(rng, shares: Mapping[str, float], n: int) -> np.ndarray:
    keys, p = list(shares), np.asarray(list(shares.values()))
    return np.asarray(keys, dtype=object)[rng.choice(len(keys), n, p=p / p.sum())]


def _incident_frame(day, rng, *, seed, casualty_alpha, perpetrators, attribution_mix, precision_mix):
    """The canonical incident table of the simulated days (random draws in a fixed
    order, so that a seed always gives the same table)."""
    n = len(day)
    perp, attr, prec = _categories(rng, n, perpetrators, attribution_mix, precision_mix)
    day = pd.DatetimeIndex(day).astype("datetime64[ns]")
    earliest, latest = _windows(rng, day, prec)
    names = [p.name for p in gazetteer.PROVINCES]
    w = np.asarray([_PROVINCE_WEIGHTS.get(nm, 1.0) for nm in names])
    provs = [gazetteer.PROVINCES[i] for i in rng.choice(len(names), n, p=w / w.sum())]
    casualties = _casualties(rng, n, casualty_alpha)
    data = {
        "incident_id": [f"SIM{seed}-{i:06d}" for i in range(n)],
        "date": day,
        "date_earliest": earliest,
        "date_latest": latest,
        "date_precision": prec,
        "country": "AFG",
        "province": [p.name for p in provs],
        "province_code": [p.code for p in provs],
        "latitude": np.asarray([p.latitude for p in provs], dtype="float64"),
        "longitude": np.asarray([p.longitude for p in provs], dtype="float64"),
        "geo_precision": "province",
        "perpetrator": perp,
        "attribution": attr,
        "attack_type": _draw(rng, _ATTACK_TYPES, n),
        "target_type": _draw(rng, _TARGET_TYPES, n),
        **casualties,
        "source_dataset": "simulated",
        "sources": f"analysis.simulate_incidents(seed={seed})",
    }
    frame = pd.DataFrame({c: data.get(c) for c in COLUMNS}, index=pd.RangeIndex(n))
    return frame.astype({c: canonical_dtype(c) for c in COLUMNS})
