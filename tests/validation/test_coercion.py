"""Coercion of the values users write: province names as people spell them, and dates
with times and zones, which are read as the calendar day in their own offset."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import analysis
from analysis.validation.dates import calendar_dates

from .._rows import frame, good_row

SPELLINGS = {
    "kabul": "AF-KAB",
    "KABUL": "AF-KAB",
    "Hilmand": "AF-HEL",
    "Kandahar Province": "AF-KAN",
    " Nangarhar ": "AF-NAN",
    "Urozgan": "AF-URU",
}


def test_province_names_as_users_write_them_resolve_to_their_codes():
    rows = [good_row(incident_id=f"P{i}", province=name, province_code="") for i, name in enumerate(SPELLINGS)]
    data = frame(*rows)
    data["province"] = list(SPELLINGS)  # keep the spaces: frame() does not strip
    out = analysis.validate_incidents(data.drop(columns="province_code"))
    assert out.n_quarantined == 0, out.report
    assert out.valid["province_code"].tolist() == list(SPELLINGS.values())
    assert out.valid["province"].tolist() == ["Kabul", "Kabul", "Helmand", "Kandahar", "Nangarhar", "Uruzgan"]


def test_a_given_code_is_checked_against_the_resolved_name():
    out = analysis.validate_incidents(frame(good_row(province="kandahar province", province_code="AF-KAN")))
    assert out.n_quarantined == 0 and out.valid.loc[0, "province"] == "Kandahar"
    bad = analysis.validate_incidents(frame(good_row(province="kandahar", province_code="AF-KAB")))
    assert bad.report["rule"].tolist() == ["province_code_matches_province"]


@pytest.mark.parametrize("engine", ["numpy", "pandera"])
def test_misspelt_and_invented_names_are_quarantined_with_a_suggestion(engine):
    data = frame(
        good_row(incident_id="A", province="Kandahr", province_code=""),
        good_row(incident_id="B", province="Atlantis", province_code=""),
    )
    out = analysis.validate_incidents(data, engine=engine)
    reasons = dict(zip(out.quarantined["incident_id"], out.quarantined["reasons"], strict=True))
    assert reasons["A"] == "province: province_known (Kandahr: did you mean Kandahar?)"
    assert reasons["B"].startswith("province: province_known (Atlantis: not an Afghan province")


def test_provinces_outside_afghanistan_stay_as_written():
    out = analysis.validate_incidents(frame(good_row(country="PAK", province="kabul", province_code="")))
    assert out.n_quarantined == 0 and out.valid.loc[0, "province"] == "kabul"


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2021-08-26", "2021-08-26"),
        ("2021-08-26 10:30", "2021-08-26"),
        ("2021-08-26T23:59:59.123", "2021-08-26"),
        ("2021-08-26T10:30:00Z", "2021-08-26"),
        ("2021-08-26T01:00:00+04:30", "2021-08-26"),  # 25 August in UTC: the writer's day counts
        ("2021-08-26T23:00:00-05:00", "2021-08-26"),  # 27 August in UTC
        ("2021-08-26 23:00:00 +0430", "2021-08-26"),
        ("20210826", "2021-08-26"),
    ],
)
def test_timestamps_give_the_calendar_day_in_their_own_offset(text, day):
    got = calendar_dates(pd.Series([text], dtype="str"))
    assert got.iloc[0] == pd.Timestamp(day)


def test_mixed_offsets_in_one_column_do_not_raise():
    texts = ["2021-08-26T01:00:00+04:30", "2021-08-26T10:00:00Z", "2021-08-27", None, "26/08/2021", "2021-02-30T10:00Z"]
    got = calendar_dates(pd.Series(texts, dtype="str"))
    expected = ["2021-08-26", "2021-08-26", "2021-08-27", None, None, None]
    assert [None if pd.isna(g) else str(g.date()) for g in got] == expected


def test_a_canonical_row_with_zoned_timestamps_validates():
    row = good_row(date="2022-09-30T08:30:00+04:30", date_earliest="2022-09-30T00:00:00Z", date_latest="2022-09-30 23:00")
    out = analysis.validate_incidents(frame(row))
    assert out.n_quarantined == 0, out.report
    assert out.valid.loc[0, "date"] == pd.Timestamp("2022-09-30")
    zoned = frame(good_row()).astype({"date": "str"})
    zoned["date"] = pd.to_datetime(["2022-09-30T22:00:00"]).tz_localize("Asia/Kabul")
    assert analysis.validate_incidents(zoned).valid.loc[0, "date"] == pd.Timestamp("2022-09-30")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(max_size=30), st.datetimes().map(lambda d: d.isoformat() + "+05:45")), max_size=8))
def test_dates_never_raise(texts):
    got = calendar_dates(pd.Series(texts, dtype="str"))
    assert len(got) == len(texts)
    assert pd.api.types.is_datetime64_dtype(got)
