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
    "breaks_sentence",
    "change_sentence",
    "pct",
    "ratio_sentence",
    "season_sentence",
    "share_sentence",
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
    what: str, ratio: float, low: float, high: float, *, conf_level: float = 0.95
) -> str:
    """A ratio between two situations ("after/before", "in Ramadan/outside"), in words."""
    lvl = f"{conf_level:.0%} CI"
    if not _finite(ratio, low, high):
        return f"{what}: not estimable from these data."
    rng = f"({lvl} {low:.2f} to {high:.2f})"
    if low > 1:
        return f"{what} was {ratio:.2f} times as high {rng}."
    if high < 1:
        return f"{what} was {ratio:.2f} times as high, that is lower {rng}."
    return f"{what}: no clear difference, ratio {ratio:.2f} {rng}, an interval that includes 1."


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
    what: str, p_value: float, *, peak_month: float | None = None, alpha: float = 0.05
) -> str:
    """Whether a seasonal test found a season, and where it peaks."""
    if not _finite(p_value):
        return f"{what}: the seasonal pattern is not estimable from these data."
    if p_value < alpha:
        peak = ""
        if peak_month is not None and _finite(peak_month):
            peak = f", peaking in {MONTHS[round(peak_month - 1) % 12]}"
        return f"{what} follow a seasonal cycle (test p = {_p(p_value)}){peak}."
    return f"{what} show no clear seasonal cycle (test p = {_p(p_value)})."


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


def _p(p: float) -> str:
    return f"{p:.2g}" if p >= 0.001 else "< 0.001"
