"""analysis.coding.dates: relative dates resolved against the publication date."""

from __future__ import annotations

import csv
import datetime as dt

import pytest

from analysis.coding.dates import (
    find_dates,
    infer_publication_date,
    precision_for,
    publication_bounds,
)

P = dt.date(2022, 12, 5)  # a Monday


def one(text: str, published=P, bounds=None):
    ds = [d for d in find_dates(text, published, bounds) if d.role == "event"]
    assert len(ds) == 1, ds
    return ds[0]


@pytest.mark.parametrize(
    ("text", "earliest", "latest", "precision"),
    [
        ("around 4:00 p.m. on Saturday, an explosion", "2022-12-03", "2022-12-03", "day"),
        ("an armed attack three days ago (Friday, December 2nd).", "2022-12-02", "2022-12-02", "day"),
        ("on Wednesday, a blast", "2022-11-30", "2022-11-30", "day"),
        ("bombings last December", "2021-12-01", "2021-12-31", "month"),
        ("in June this year", "2022-06-01", "2022-06-30", "month"),
        ("two months and seven days ago, attackers", "2022-09-25", "2022-10-01", "week"),
        ("last week two bombers", "2022-11-28", "2022-12-04", "week"),
        ("yesterday's attack", "2022-12-04", "2022-12-04", "day"),
        ("the previous day (Sunday)", "2022-12-04", "2022-12-04", "day"),
        ("In October 2015, the general", "2015-10-01", "2015-10-31", "month"),
        ("on December 2, 2017", "2017-12-02", "2017-12-02", "day"),
        ("last year", "2021-01-01", "2021-12-31", "year"),
    ],
)
def test_relative_dates(text, earliest, latest, precision):
    d = one(text)
    assert (d.earliest.isoformat(), d.latest.isoformat(), d.precision) == (earliest, latest, precision)
    assert d.earliest <= d.best <= d.latest
    assert text[d.start : d.end] == d.text


def test_gloss_is_one_mention_with_exact_span():
    d = one("came an armed attack three days ago (Friday, December 2nd). It was")
    assert d.text == "three days ago (Friday, December 2nd)"


def test_weekday_never_after_publication():
    for k in range(7):
        p = P + dt.timedelta(days=k)
        d = one("on Tuesday", p)
        assert d.best <= p and (p - d.best).days < 7 and d.best.weekday() == 1


def test_statement_dates_are_not_event_dates():
    ds = find_dates("officials said on Sunday", P)
    assert [d.role for d in ds] == ["report"]
    ds = find_dates("The Taliban had on Sunday denied any involvement", P)
    assert [d.role for d in ds] == ["report"]
    ds = find_dates("The media said Friday that forces had launched an operation", P)
    assert [d.role for d in ds] == ["report"]


def test_periods_and_since():
    (d,) = find_dates("Only in the last two months, at least 96 people", P)
    assert d.role == "period" and d.earliest == dt.date(2022, 10, 5) and d.latest == P
    (s,) = find_dates("since March", P)
    assert s.role == "since"


def test_without_publication_date_windows_are_wide_and_say_so():
    bounds = (dt.date(2017, 1, 1), dt.date(2017, 12, 31))
    d = one("on Saturday", None, bounds)
    assert not d.anchored and "no publication date" in d.note
    assert d.earliest <= dt.date(2017, 1, 1) and d.latest >= dt.date(2017, 12, 30)
    assert d.precision == "year"


def test_explicit_dates_need_no_anchor():
    d = one("on December 2, 2017", None, (dt.date(1970, 1, 1), dt.date(2030, 1, 1)))
    assert d.anchored and d.precision == "day"


def test_deterministic():
    a = find_dates("three days ago (Friday, December 2nd) and last December", P)
    b = find_dates("three days ago (Friday, December 2nd) and last December", P)
    assert a == b


def test_publication_date_in_text():
    text = "A version of this article appeared in the print edition of The Times on December 02, 2017, with the headline X."
    assert infer_publication_date(text)[0] == dt.date(2017, 12, 2)
    assert infer_publication_date("KABUL, Dec. 5, 2022 (Reuters) - A blast")[0] == dt.date(2022, 12, 5)
    assert infer_publication_date("Published: 2023-03-20\n\nText")[0] == dt.date(2023, 3, 20)
    assert infer_publication_date("No date here.")[0] is None


def test_publication_bounds_from_latest_date_printed():
    lo, hi = publication_bounds("Photo taken Aug. 15, 2023. The group rose in August 2021.", today=dt.date(2024, 1, 1))
    assert lo == dt.date(2023, 8, 15) and hi == dt.date(2024, 1, 1)


def test_precision_limits_match_schema():
    d0 = dt.date(2020, 1, 1)
    assert [precision_for(d0, d0 + dt.timedelta(days=n)) for n in (0, 1, 7, 31, 366, 367)] == [
        "day", "day", "week", "month", "year", "unknown",
    ]


def test_real_report_phrases(shared_dir):
    """Dates as real reports state them (../shared/reports/reports.csv): a weekday
    phrase resolves to a day within the week before publication."""
    path = shared_dir / "reports" / "reports.csv"
    if not path.exists():
        pytest.skip("reports corpus not available")
    checked = 0
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            phrase, pub = row["incident_date_as_reported"], row["published"]
            if pub in ("", "unknown") or not phrase:
                continue
            p = dt.date.fromisoformat(pub[:10])
            ds = [d for d in find_dates(phrase, p) if d.role in ("event", "report")]
            if not ds:
                continue
            d = min(ds, key=lambda d: d.width)
            assert d.earliest <= d.best <= d.latest, phrase
            if phrase.split()[0].rstrip(",") in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"):
                assert 0 <= (p - d.best).days <= 7, (phrase, pub, d)
            checked += 1
    assert checked >= 30
