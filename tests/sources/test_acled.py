"""ACLED adapter: every branch of the mapping table (docs/sources.md, ACLED) and bad input."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.sources import ingest_file, read_source
from analysis.sources.acled import actor_perpetrator

from ._sources import assert_balanced, by_id, fixture, reasons_by


@pytest.fixture(scope="module")
def acled():
    return by_id(read_source(fixture("acled.csv")))


def test_balanced(acled):
    s = read_source(fixture("acled.csv")).attrs["ingest"]
    assert s.format == "acled" and (s.rows_in, s.rows_mapped) == (7, 7)
    assert s.killed_in == 191 and s.wounded_in == 0
    assert_balanced(s)


def test_date_formats_and_time_precision(acled):
    iso = acled.loc["acled-AFG100"]
    assert (iso.date, iso.date_precision) == (pd.Timestamp("2021-08-26"), "day")
    week = acled.loc["acled-AFG101"]  # "15 March 2020", time_precision 2
    assert week.date == pd.Timestamp("2020-03-15") and week.date_precision == "week"
    assert (week.date_earliest, week.date_latest) == (pd.Timestamp("2020-03-12"), pd.Timestamp("2020-03-18"))
    month = acled.loc["acled-AFG102"]  # "15-06-2019", time_precision 3
    assert month.date_precision == "month"
    assert (month.date_earliest, month.date_latest) == (pd.Timestamp("2019-06-01"), pd.Timestamp("2019-06-30"))
    assert acled.loc["acled-AFG104", "date"] == pd.Timestamp("2022-04-03")  # "03 April 2022"


@pytest.mark.parametrize(
    ("eid", "perpetrator", "attribution"),
    [
        ("acled-AFG100", "ISKP", "attributed"),
        ("acled-AFG101", "Taliban", "attributed"),  # actor2: actor1 is the army
        ("acled-AFG102", "Taliban and/or ISKP", "suspected"),
        ("acled-AFG103", "unknown", "unknown"),  # Unidentified Armed Group (Afghanistan)
        ("acled-PAK100", "TTP", "attributed"),
        ("acled-AFG104", "other", "attributed"),
        ("acled-AFG105", "Taliban", "attributed"),  # both actors armed groups: actor1
    ],
)
def test_perpetrator(acled, eid, perpetrator, attribution):
    assert (acled.loc[eid, "perpetrator"], acled.loc[eid, "attribution"]) == (perpetrator, attribution)


def test_actor_rules():
    assert actor_perpetrator("Islamic State Khorasan Province (ISKP)") == "ISKP"
    assert actor_perpetrator("Taliban and/or Islamic State Khorasan Province (ISKP)") == "Taliban and/or ISKP"
    assert actor_perpetrator("Unidentified Armed Group (Afghanistan)") == "unknown"
    assert actor_perpetrator("Military Forces of Afghanistan (2004-2021)") is None
    assert actor_perpetrator("Civilians (Afghanistan)") is None
    assert actor_perpetrator("Haqqani Network") == "Haqqani Network"
    assert actor_perpetrator("Al Qaeda") == "al-Qaeda"
    assert actor_perpetrator("") is None


def test_fatalities_are_the_conservative_figure(acled):
    r = acled.loc["acled-AFG100"]
    assert r.killed_low == r.killed_best == 170 and pd.isna(r.killed_high)
    assert pd.isna(r.wounded_best)
    assert pd.isna(acled.loc["acled-AFG105", "killed_best"])  # blank = unknown


def test_civilian_targeting_and_attack_types(acled):
    assert acled.loc["acled-AFG100", "target_type"] == "civilians"
    assert "civilian_targeting=Civilian targeting" in acled.loc["acled-AFG100", "notes"]
    assert pd.isna(acled.loc["acled-AFG101", "target_type"])
    assert acled.loc["acled-AFG100", "attack_type"] == "suicide_bombing"
    assert acled.loc["acled-AFG103", "attack_type"] == "bombing"
    assert acled.loc["acled-AFG104", "attack_type"] == "indirect_fire"


def test_places(acled):
    assert acled.loc["acled-AFG103", "province"] == "Helmand"  # "Hilmand"
    assert acled.loc["acled-AFG104", "province_code"] == "AF-PAN"  # "Panjsher"
    assert acled.loc["acled-AFG101", "geo_precision"] == "district"
    assert acled.loc["acled-AFG102", "geo_precision"] == "province"
    pak = acled.loc["acled-PAK100"]
    assert pak.country == "PAK" and pd.isna(pak.province_code)


def test_bad_input(tmp_path):
    out = ingest_file(fixture("acled_bad.csv"))
    s = out.summary
    assert_balanced(s)
    kept = set(out.valid["incident_id"])
    # the quoted carriage return and the second date format are fine
    assert kept == {"acled-AFG200", "acled-AFG206"}
    assert "\r" in out.valid.set_index("incident_id").loc["acled-AFG200", "evidence"]
    reasons = reasons_by(out)
    assert reasons[2] == "event_date: date_unparseable"
    assert reasons[3] == "fatalities: count_not_a_number"
    assert reasons[4] == "admin1: province_unknown (Kandahr: did you mean Kandahar?)"
    assert reasons[5] == "time_precision: code_unknown"
    assert s.reasons["csv_structure"] == 2  # the unquoted carriage return splits a line
