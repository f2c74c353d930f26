"""Casualty tolls for the calibration studies: the real extracts (read through
``analysis.read_source``, skipped when absent), permutations of them, simulated
heavy-tailed tolls with known truth, and samplers of the fitted tail models.

Nothing here is written to the repository: the real files are read in place.
"""

from __future__ import annotations

import tempfile
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from _paths import REALDATA_DIR
from scipy import special

import analysis
from analysis.models.severity import alternatives as alt
from analysis.models.severity.sampling import sample_power_law

BANDS = ("killed_low", "killed_best", "killed_high")
REAL = {"gtd_2012_2015_afg": "gtd_2012_2015_afg.csv", "rand_afghanistan": "rand_rdwti_afg.csv"}


def real_frames() -> dict[str, pd.DataFrame]:
    """The bundled incidents and the real extracts present, as canonical frames."""
    frames = {"bundled": analysis.load_incidents()}
    for name, file in REAL.items():
        path = REALDATA_DIR / file
        if not path.exists():
            continue
        with tempfile.TemporaryDirectory() as tmp, warnings.catch_warnings():
            warnings.simplefilter("ignore")
            frames[name] = analysis.read_source(path, quarantine=Path(tmp) / "q.csv")
    return frames


def deadly(frame: pd.DataFrame) -> np.ndarray:
    """Best tolls of the incidents with at least one death (unknown tolls left out)."""
    k = frame["killed_best"].dropna().to_numpy(float)
    return k[k >= 1]


def permute_tolls(frame: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """The frame with its (low, best, high) toll triples shuffled across the incidents."""
    out = frame[["date", *BANDS]].copy()
    idx = rng.permutation(len(out))
    for c in BANDS:
        out[c] = out[c].to_numpy()[idx]
    return out


def _frame(days: np.ndarray, best: np.ndarray, rng: np.random.Generator) -> pd.DataFrame:
    """Incidents on ``days`` after 2015-01-01 with low <= best <= high around ``best``."""
    best = np.asarray(best, float)
    low = np.floor(best * rng.uniform(0.6, 1.0, best.size))
    high = np.ceil(best * rng.uniform(1.0, 1.5, best.size))
    dates = pd.Timestamp("2015-01-01") + pd.to_timedelta(np.round(days), "D")
    d = {"date": dates}
    for c, v in zip(BANDS, (low, best, high), strict=True):
        d[c] = pd.array(v.astype(int), dtype="Int64")
    return pd.DataFrame(d).sort_values("date", ignore_index=True)


def _days(n: int, shape: str, rng: np.random.Generator) -> np.ndarray:
    """Dates over nine years: uniform, a surge (more incidents late) or seasonal bunches."""
    span = 9 * 365.25
    if shape == "surge":
        return span * rng.beta(3.0, 1.0, n)
    if shape == "seasonal":
        years = rng.integers(0, 9, n)
        return 365.25 * years + np.clip(rng.normal(200, 40, n), 0, 364)
    return span * rng.uniform(0, 1, n)


#: Scenarios of tolls with no trend: (incidents, dates, toll law).
NULL_SCENARIOS = {
    "poisson-lognormal sigma 1.5, 30 incidents, uniform dates": (30, "uniform", "lognormal"),
    "power law alpha 2.1 with 40% zeros, 150 incidents, surge": (150, "surge", "powerlaw"),
    "negative binomial size 0.2 mean 4, 800 incidents, seasonal": (800, "seasonal", "negbin"),
}


def null_tolls(scenario: str, rng: np.random.Generator) -> pd.DataFrame:
    """Tolls independent of the date, from one of :data:`NULL_SCENARIOS`."""
    n, shape, law = NULL_SCENARIOS[scenario]
    if law == "lognormal":
        best = rng.poisson(rng.lognormal(0.0, 1.5, n))
    elif law == "powerlaw":
        best = np.where(rng.random(n) < 0.4, 0, sample_power_law(n, 2.1, 1, seed=rng))
    else:
        best = rng.negative_binomial(0.2, 0.2 / 4.2, n)
    return _frame(_days(n, shape, rng), best, rng)


def trend_tolls(n: int, rate_ratio: float, rng: np.random.Generator, sigma: float = 1.2):
    """Poisson-lognormal tolls whose mean is ``3 * rate_ratio ** (years since 2019-07-02)``.

    Returns the frame and the true mean killed per attack as a function of the date.
    """
    days = _days(n, "uniform", rng)
    t = (days - 4.5 * 365.25) / 365.25
    g = rng.lognormal(-sigma**2 / 2, sigma, n)  # mean 1
    best = rng.poisson(g * 3.0 * rate_ratio**t)
    origin = pd.Timestamp("2015-01-01") + pd.Timedelta(days=4.5 * 365.25)

    def mean(dates) -> np.ndarray:
        yrs = (pd.DatetimeIndex(dates) - origin).total_seconds() / (86400 * 365.25)
        return 3.0 * rate_ratio ** np.asarray(yrs, float)

    return _frame(days, best, rng), mean


def mass_tolls(n: int, odds_ratio: float, rng: np.random.Generator):
    """Tolls with ``logit P(toll >= 10) = -1.5 + log(odds_ratio) * years`` (centred)."""
    days = _days(n, "uniform", rng)
    t = (days - 4.5 * 365.25) / 365.25
    p = special.expit(-1.5 + np.log(odds_ratio) * t)
    mass = rng.random(n) < p
    best = np.where(mass, 10 + rng.geometric(0.1, n) - 1, np.minimum(rng.poisson(2.5, n), 9))
    frame = pd.DataFrame({"date": pd.Timestamp("2015-01-01") + pd.to_timedelta(np.round(days), "D"),
                          "p": p})
    k = pd.array(best.astype(int), dtype="Int64")
    for c in BANDS:  # the mass indicator must not depend on the band here
        frame[c] = k
    return frame.sort_values("date", ignore_index=True)


# ------------------------------------------------------------------ tail samplers
def tail_sampler(model: str, theta: np.ndarray, q: float, grid: int = 200_000):
    """A sampler of ``model`` (discrete version, above ``q``) with parameters ``theta``.

    The power law is sampled exactly; the other models by inverse CDF on the integers from
    ``q`` to ``q + grid``, and beyond that (a mass below 1e-6 for the fits used here) from
    the continuous tail, rounded down.
    """
    if model == "power_law":
        return lambda n, rng: sample_power_law(n, float(theta[0]), q, seed=rng)
    m = alt.MODELS[model]
    k = q + np.arange(grid, dtype=float)
    logp = m.logf(k, theta) - alt.log_norm(m, theta, q, True)
    cdf = np.cumsum(np.exp(logp - logp.max())) * np.exp(logp.max())
    beyond = float(np.exp(alt.model_log_sf(m, theta, q + grid, q, True)))

    def draw(n: int, rng: np.random.Generator) -> np.ndarray:
        u = rng.random(n)
        out = k[np.minimum(np.searchsorted(cdf, u * cdf[-1] / (1 - beyond)), grid - 1)]
        far = u * cdf[-1] / (1 - beyond) > cdf[-1]
        if far.any():  # continuous tail beyond the grid: x with S(x)/S(K) = v
            out[far] = np.floor(_continuous_beyond(model, theta, q + grid, rng.random(far.sum())))
        return out

    return draw


def _continuous_beyond(model: str, theta: np.ndarray, K: float, v: np.ndarray) -> np.ndarray:
    if model == "lognormal":
        mu, s = theta
        return np.exp(mu + s * special.ndtri(1 - v * special.ndtr(-(np.log(K) - mu) / s)))
    if model == "stretched_exponential":
        beta, c = theta
        return (K**beta - np.log(v) / c) ** (1 / beta)
    if model == "exponential":
        return K - np.log(v) / theta[0]
    return np.full(v.shape, K)  # truncated power law: the cutoff leaves no mass out there


def semi_parametric(body: np.ndarray, n: int, share: float, tail, rng) -> np.ndarray:
    """``n`` sizes: each from the tail model with probability ``share``, else resampled
    from ``body`` (the observed sizes below x_min), as in CSN (2009)."""
    k = rng.binomial(n, share) if body.size else n
    t = tail(k, rng)
    return np.concatenate([rng.choice(body, n - k, replace=True), t]) if n - k else t
