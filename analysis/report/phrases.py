"""Sentences computed from numbers: the report's findings are written here, not typed.

Every function takes estimates and their interval and returns one plain sentence whose
direction, size and uncertainty follow the numbers: an interval that includes "no
change" says so rather than claiming a rise or a fall. The report's notebooks call
these with attributes of result objects, so a report on other data says other things.

>>> change_sentence("Incidents", 1.12, 1.04, 1.21, per="a year")
'Incidents rose by 12% a year (95% CI 4% to 21%).'
>>> change_sentence("Incidents", 0.97, 0.90, 1.05, per="a year")
'Incidents show no clear trend: -3% a year, with a 95% CI from -10% to 5% that includes no change.'
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd

__all__ = [
    "branching_sentence",
    "breaks_sentence",
    "change_sentence",
    "components_sentence",
    "coverage_sentence",
    "forecast_sentence",
    "pct",
    "province_sentence",
    "ratio_sentence",
    "season_sentence",
    "share_sentence",
    "tail_sentence",
    "test_sentence",
    "toll_sentence",
]

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


def _finite(*xs) -> bool:
    return all(x is not None and isinstance(x, int | float) and math.isfinite(x) for x in xs)


def pct(ratio: float, digits: int = 0) -> str:
    """A rate ratio as a signed percentage change: 1.12 -> "12%", 0.8 -> "-20%"."""
    return f"{(ratio - 1) * 100:.{digits}f}%"


def change_sentence(
    what: str, ratio: float, low: float, high: float, *, per: str = "", conf_level: float = 0.95
) -> str:
    """A multiplicative change (a rate ratio) and its interval, in words.

    Rose / fell when the interval excludes 1; otherwise "no clear trend".
    """
    lvl = f"{conf_level:.0%} CI"
    per = f" {per}" if per else ""
    if not _finite(ratio, low, high):
        return f"{what}: the change{per} is not estimable from these data."
    if low > 1:
        return f"{what} rose by {pct(ratio)}{per} ({lvl} {pct(low)} to {pct(high)})."
    if high < 1:
        return f"{what} fell by {_fall(ratio)}{per} ({lvl} {_fall(high)} to {_fall(low)})."
    return (f"{what} show no clear trend: {pct(ratio)}{per}, with a {lvl} from {pct(low)} "
            f"to {pct(high)} that includes no change.")


def _fall(ratio: float) -> str:
    return f"{(1 - ratio) * 100:.0f}%"


def ratio_sentence(
    what: str, ratio: float, low: float, high: float, *, than: str = "",
    conf_level: float = 0.95,
) -> str:
    """A ratio between two situations ("after/before", "in Ramadan/outside"), in words;
    ``than`` names the reference ("as before").

    >>> ratio_sentence("From 15 August 2021 the rate", 0.6, 0.45, 0.8, than="as before")
    'From 15 August 2021 the rate was 0.60 times as high as before, that is lower (95% CI 0.45 to 0.80).'
    """
    lvl = f"{conf_level:.0%} CI"
    if not _finite(ratio, low, high):
        return f"{what}: not estimable from these data."
    rng = f"({lvl} {_x(low)} to {_x(high)})"
    than = f" {than}" if than else ""
    if low > 1:
        return f"{what} was {_x(ratio)} times as high{than} {rng}."
    if high < 1:
        return f"{what} was {_x(ratio)} times as high{than}, that is lower {rng}."
    return f"{what}: no clear difference, ratio {_x(ratio)} {rng}, an interval that includes 1."


def _x(v: float) -> str:
    """A ratio with two decimals, or two significant digits when smaller than 0.01."""
    return f"{v:.2f}" if abs(v) >= 0.01 or v == 0 else f"{v:.2g}"


def share_sentence(
    what: str, share: float, low: float, high: float, *, expected: float | None = None,
    conf_level: float = 0.95,
) -> str:
    """A share with its interval, against an expected share when given."""
    lvl = f"{conf_level:.0%} CI"
    if not _finite(share, low, high):
        return f"{what}: not estimable from these data."
    text = f"{what}: {share:.0%} ({lvl} {low:.0%} to {high:.0%})"
    if expected is None:
        return text + "."
    if low > expected:
        return text + f", more than the {expected:.0%} expected without a season."
    if high < expected:
        return text + f", less than the {expected:.0%} expected without a season."
    return text + f", not clearly different from the {expected:.0%} expected without a season."


def season_sentence(
    what: str, p_value: float, *, peak_month: float | None = None,
    peak_ratio: Sequence[float] | None = None, alpha: float = 0.05, conf_level: float = 0.95,
) -> str:
    """Whether a seasonal test found a season, where it peaks and how strongly.

    ``peak_ratio`` is ``(ratio, low, high)``: the peak month's rate against the annual
    mean with its interval.

    >>> season_sentence("Incidents", 0.002, peak_month=7, peak_ratio=(1.6, 1.2, 2.1))
    'Incidents follow a seasonal pattern (test p = 0.002), peaking in July at 1.60 times the annual mean (95% CI 1.20 to 2.10).'
    >>> season_sentence("Incidents", 0.4)
    'Incidents show no clear seasonal pattern (test p = 0.4).'
    """
    if not _finite(p_value):
        return f"{what}: the seasonal pattern is not estimable from these data."
    if p_value >= alpha:
        return f"{what} show no clear seasonal pattern (test p {_p(p_value)})."
    peak = ""
    if peak_month is not None and _finite(peak_month):
        peak = f", peaking in {MONTHS[round(peak_month - 1) % 12]}"
        if peak_ratio is not None and _finite(*peak_ratio):
            r, lo, hi = peak_ratio
            peak += (f" at {r:.2f} times the annual mean ({conf_level:.0%} CI {lo:.2f} "
                     f"to {hi:.2f})")
    return f"{what} follow a seasonal pattern (test p {_p(p_value)}){peak}."


def breaks_sentence(what: str, dates: Sequence, intervals: Sequence | None = None) -> str:
    """The change points found, with an interval for each date when given."""
    dates = [pd.Timestamp(d) for d in dates]
    if not dates:
        return f"{what}: no change point; the rate is consistent with one level throughout."
    parts = []
    for i, d in enumerate(dates):
        text = f"{d:%B %Y}"
        if intervals is not None and i < len(intervals) and intervals[i] is not None:
            lo, hi = (pd.Timestamp(x) for x in intervals[i])
            if lo != hi:
                text += f" (between {lo:%b %Y} and {hi:%b %Y})"
        parts.append(text)
    n = len(dates)
    listed = parts[0] if n == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"{what}: {n} change point{'s' if n > 1 else ''}, in {listed}."


def test_sentence(effect: str, p_value: float, *, test: str = "test", alpha: float = 0.05) -> str:
    """Whether a test shows ``effect`` (a noun phrase), with its p-value.

    >>> test_sentence("cross-excitation between the two groups", 0.003, test="LR test")
    'The data show cross-excitation between the two groups (LR test p = 0.003).'
    >>> test_sentence("cross-excitation between the two groups", 0.31, test="LR test")
    'The data do not clearly show cross-excitation between the two groups (LR test p = 0.31).'
    """
    if not _finite(p_value):
        return f"{effect[:1].upper()}{effect[1:]}: not estimable from these data."
    verb = "show" if p_value < alpha else "do not clearly show"
    return f"The data {verb} {effect} ({test} p {_p(p_value)})."


def tail_sentence(
    what: str, alpha: float, low: float, high: float, *, x_min: float, n_tail: int,
    gof_p: float | None = None, conf_level: float = 0.95, plausible_p: float = 0.1,
    reliable: bool = True,
) -> str:
    """A power-law tail: exponent with its interval, where it starts, and whether the
    goodness-of-fit test leaves the power law plausible (p > ``plausible_p``).
    ``reliable=False`` adds that so short a tail gives an unstable estimate.

    >>> tail_sentence("Deaths per attack", 2.4, 2.1, 2.9, x_min=10, n_tail=40, gof_p=0.35)
    'Deaths per attack: from 10 up, the tail (40 attacks) falls off as a power law with exponent 2.40 (95% CI 2.10 to 2.90); the power law is plausible (goodness-of-fit p = 0.35).'
    """
    if not _finite(alpha):
        return f"{what}: the tail is not estimable from these data."
    rng = (f"({conf_level:.0%} CI {low:.2f} to {high:.2f})" if _finite(low, high)
           else "(no interval: too few tail events)")
    text = (f"{what}: from {x_min:g} up, the tail ({n_tail} attacks) falls off as a power law "
            f"with exponent {alpha:.2f} {rng}")
    if gof_p is None or not _finite(gof_p):
        text += "; no goodness-of-fit test was run"
    else:
        verdict = "plausible" if gof_p > plausible_p else "rejected"
        text += f"; the power law is {verdict} (goodness-of-fit p = {gof_p:.2g})"
    if not reliable:
        text += f". With only {n_tail} attacks in the tail, the estimate is unstable"
    return text + "."


def branching_sentence(
    branching: float, low: float, high: float, *, background: str = "",
    mean_delay: float | None = None, conf_level: float = 0.95,
) -> str:
    """The Hawkes branching ratio (expected offspring per event) in words.

    >>> branching_sentence(0.3, 0.2, 0.45, background="a trend and season", mean_delay=2.5)
    'Each incident triggers on average 0.30 further incidents (95% CI 0.20 to 0.45) beyond a background with a trend and season, after a mean delay of 2.5 days.'
    """
    if not _finite(branching, low, high):
        return "Self-excitation: the branching ratio is not estimable from these data."
    bg = f" beyond a background with {background}" if background else ""
    delay = (f", after a mean delay of {mean_delay:.2g} days"
             if mean_delay is not None and _finite(mean_delay) else "")
    return (f"Each incident triggers on average {branching:.2f} further incidents "
            f"({conf_level:.0%} CI {low:.2f} to {high:.2f}){bg}{delay}.")


def forecast_sentence(
    what: str, mean: float, low: float, high: float, *, model: str, conf_level: float = 0.9
) -> str:
    """A count forecast with its predictive interval.

    >>> forecast_sentence("Incidents in March 2025", 4.2, 1, 9, model="negbin")
    'Incidents in March 2025: 4.2 expected (90% predictive interval 1 to 9; negbin model).'
    """
    if not _finite(mean, low, high):
        return f"{what}: not estimable from these data."
    return (f"{what}: {mean:.1f} expected ({conf_level:.0%} predictive interval {low:g} to "
            f"{high:g}; {model} model).")


def coverage_sentence(model: str, crps: float, coverage_90: float, coverage_50: float, n: int) -> str:
    """The backtest's best model and how often its intervals held the observed count.

    >>> coverage_sentence("ingarch", 1.234, 0.875, 0.5, 24)
    'The best forecast model in the backtest is ingarch (mean CRPS 1.23 over 24 one-step forecasts); its 90% intervals held the observed count in 88% of them and its 50% intervals in 50%.'
    """
    if not _finite(crps, coverage_90, coverage_50):
        return "Forecast calibration: not estimable from these data."
    return (f"The best forecast model in the backtest is {model} (mean CRPS {crps:.3g} over "
            f"{n} one-step forecasts); its 90% intervals held the observed count in "
            f"{coverage_90:.0%} of them and its 50% intervals in {coverage_50:.0%}.")


def province_sentence(
    n_with: int, n_all: int, top: str, top_n: int, total: int, *, missing: int = 0
) -> str:
    """How incidents spread over provinces: how many have any, and the largest.

    >>> province_sentence(20, 34, "Kabul", 30, 77, missing=2)
    'Incidents occurred in 20 of 34 provinces; Kabul had the most (30 of 77, 39%). 2 incidents have no province.'
    """
    if total == 0 or top_n == 0:
        return "No incident in the selection has a province."
    text = (f"Incidents occurred in {n_with} of {n_all} provinces; {top} had the most "
            f"({top_n} of {total}, {top_n / total:.0%}).")
    if missing:
        text += f" {missing} incident{'s have' if missing > 1 else ' has'} no province."
    return text


def toll_sentence(what: str, best: float, low: float, high: float, *, unknown: int = 0) -> str:
    """A casualty total with its low-high range and the incidents left out.

    >>> toll_sentence("people killed", 1520, 1400, 1710, unknown=3)
    '1,520 people killed in total (best estimate; 1,400 to 1,710 from the low and high figures); 3 incidents with no known figure are left out.'
    """
    if not _finite(float(best), float(low), float(high)):
        return f"Total {what}: not known for these data."
    text = (f"{best:,.0f} {what} in total (best estimate; {low:,.0f} to {high:,.0f} from the "
            "low and high figures)")
    if unknown:
        return text + f"; {unknown:,} incident{'s' if unknown > 1 else ''} with no known figure are left out."
    return text + "."


def components_sentence(
    shares, ar: Sequence[float], ne: Sequence[float], *, unit: str = "week",
    conf_level: float = 0.95,
) -> str:
    """The endemic-epidemic split of the fitted mean, with the carry-over and spill-over
    rates (expected incidents per incident of the previous period) and their intervals.

    >>> components_sentence({"endemic": 0.7, "autoregressive": 0.2, "neighbourhood": 0.1},
    ...                     (0.15, 0.1, 0.22), (0.02, 0.01, 0.04))
    "Of the fitted mean over all provinces and weeks, 70% is endemic, 20% carries over from the same province's previous week (0.15 incidents per incident, 95% CI 0.10 to 0.22) and 10% spills over from neighbouring provinces (0.02 per incident, 95% CI 0.01 to 0.04)."
    """
    def rate(x, prefix):
        if not _finite(*x):
            return "not estimable"
        return f"{x[0]:.2f} {prefix}per incident, {conf_level:.0%} CI {x[1]:.2f} to {x[2]:.2f}"

    return (f"Of the fitted mean over all provinces and {unit}s, {shares['endemic']:.0%} is "
            f"endemic, {shares['autoregressive']:.0%} carries over from the same province's "
            f"previous {unit} ({rate(ar, 'incidents ')}) and {shares['neighbourhood']:.0%} "
            f"spills over from neighbouring provinces ({rate(ne, '')}).")


def _p(p: float) -> str:
    """``= 0.012`` or ``< 0.001``: the relation and the p-value, to follow "p"."""
    return f"= {p:.2g}" if p >= 0.001 else "< 0.001"
