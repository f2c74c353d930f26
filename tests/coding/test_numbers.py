"""analysis.coding.numbers: numbers in digits and words, qualifiers, vague words."""

from __future__ import annotations

import pytest

from analysis.coding.numbers import find_quantities, parse_number


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("53", 53),
        ("1,100", 1100),
        ("fifty-three", 53),
        ("Fifty three", 53),
        ("two hundred and five", 205),
        ("a hundred", 100),
        ("one thousand two hundred", 1200),
        ("twelve", 12),
        ("2.5 thousand", 2500),
        ("nonsense", None),
        ("", None),
    ],
)
def test_parse_number(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize(
    ("text", "triple", "qualifier"),
    [
        ("at least 53 people", (53, 53, 53), "at least"),
        ("more than 50 men", (51, 51, 51), "more than"),
        ("over 30 hurt", (31, 31, 31), "over"),
        ("killed nearly 1,100 others", (1100, 1100, 1100), "nearly"),
        ("up to 1,700 militants", (None, 1700, 1700), "up to"),
        ("more than a dozen", (13, 13, 13), "more than"),
        ("dozens dead", (24, 24, 24), ""),
        ("between 1,000 and 1,500 fighters", (1000, 1250, 1500), ""),
        ("10-15 people", (10, 12, 15), ""),
        ("fewer than ten", (9, 9, 9), "fewer than"),
    ],
)
def test_qualifiers_follow_the_codebook(text, triple, qualifier):
    q = find_quantities(text)[0]
    assert (q.low, q.best, q.high) == triple
    assert q.qualifier == qualifier
    assert text[q.start : q.end] == q.text


def test_word_numbers_are_not_split_into_ranges():
    q = find_quantities("fifty-three dead")
    assert [(x.best, x.text) for x in q] == [(53, "fifty-three")]


def test_vague_words_are_marked():
    assert find_quantities("scores of people")[0].vague
    assert not find_quantities("12 people")[0].vague


def test_single_figures_match_the_bundled_codebook():
    """Every one-figure phrase the coder recorded ("at least 80", "more than 30",
    "about 40", "ten") codes to the same figure as in data/incident_sources.csv."""
    import re

    import pandas as pd

    from analysis import config

    if not config.BUNDLED_INCIDENT_SOURCES.exists():
        pytest.skip("bundled dataset not available")
    src = pd.read_csv(config.BUNDLED_INCIDENT_SOURCES)
    single = re.compile(r"^(?:(?:at least|more than|over|about|around|nearly|some)\s+)?[\w,-]+$", re.I)
    checked = 0
    for stem in ("killed", "wounded"):
        rows = src.dropna(subset=[f"{stem}_as_reported", f"{stem}_best"])
        for phrase, best in zip(rows[f"{stem}_as_reported"], rows[f"{stem}_best"], strict=True):
            phrase = phrase.strip()
            if not single.match(phrase):
                continue
            q = find_quantities(phrase)
            if not q:
                continue
            assert q[0].best == int(best), (phrase, best)
            checked += 1
    assert checked >= 20
