"""Findings follow the numbers: direction, size and uncertainty."""

from __future__ import annotations

import doctest

from analysis.report import phrases
from analysis.report.phrases import (
    breaks_sentence,
    change_sentence,
    ratio_sentence,
    season_sentence,
    share_sentence,
)


def test_doctests():
    assert doctest.testmod(phrases).failed == 0


def test_change_direction_follows_the_interval():
    assert change_sentence("Attacks", 1.3, 1.1, 1.5, per="a year").startswith("Attacks rose by 30%")
    fell = change_sentence("Attacks", 0.8, 0.7, 0.9, per="a year")
    assert fell == "Attacks fell by 20% a year (95% CI 10% to 30%)."
    assert "no clear trend" in change_sentence("Attacks", 1.3, 0.9, 1.8)
    assert "not estimable" in change_sentence("Attacks", float("nan"), float("nan"), float("nan"))


def test_ratio_share_season_breaks():
    assert "times as high" in ratio_sentence("Rate after the takeover", 2.0, 1.5, 2.6)
    assert "lower" in ratio_sentence("Rate after", 0.5, 0.3, 0.8)
    assert "no clear difference" in ratio_sentence("Rate after", 1.1, 0.8, 1.5)
    assert "more than the 58%" in share_sentence("Fighting season", 0.68, 0.64, 0.72, expected=0.583)
    assert "not clearly different" in share_sentence("Fighting season", 0.6, 0.5, 0.7, expected=0.583)
    assert "peaking in July" in season_sentence("Attacks", 0.001, peak_month=7.2)
    assert "no clear seasonal pattern" in season_sentence("Attacks", 0.4)
    assert "no change point" in breaks_sentence("Incidents per week", [])
    two = breaks_sentence("Incidents", ["2021-08-15", "2019-01-01"], [("2021-07-01", "2021-09-01"), None])
    assert "2 change points" in two and "August 2021 (between Jul 2021 and Sep 2021)" in two
