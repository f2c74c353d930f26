"""Each rule of the canonical schema rejects a crafted bad row, with the right reason."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import validate_incidents
from analysis.schema import COLUMNS, RULES, empty_incidents

from ._rows import frame, good_row


def reasons(**overrides) -> set[tuple[str, str]]:
    """(column, rule) pairs reported for one good row plus one row with the overrides."""
    out = validate_incidents(frame(good_row(incident_id="OK"), good_row(**overrides)))
    assert out.n_read == 2 == out.n_accepted + out.n_quarantined
    assert out.valid["incident_id"].tolist() in (["OK"], ["OK", overrides.get("incident_id", "T-0001")])
    return set(zip(out.report["column"], out.report["rule"], strict=True))


def test_good_row_is_valid():
    out = validate_incidents(frame(good_row()))
    assert out.n_quarantined == 0
    v = out.valid
    assert list(v.columns) == list(COLUMNS)
    assert str(v["killed_best"].dtype) == "Int64"
    assert pd.api.types.is_datetime64_any_dtype(v["date"])
    assert v.loc[0, "killed_best"] == 53


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"killed_low": "60"}, ("killed_best", "killed_ordered")),
        ({"killed_high": "50"}, ("killed_best", "killed_ordered")),
        ({"wounded_low": "200"}, ("wounded_best", "wounded_ordered")),
        ({"killed_best": "-1", "killed_low": "-1"}, ("killed_best", "greater_than_or_equal_to")),
        ({"wounded_high": "-5"}, ("wounded_high", "greater_than_or_equal_to")),
        ({"date": "2022-10-02"}, ("date", "date_window_contains_date")),
        ({"date_earliest": "2022-10-01"}, ("date", "date_window_contains_date")),
        (
            {"date": "1969-06-01", "date_earliest": "1969-06-01", "date_latest": "1969-06-01"},
            ("date", "date_not_before_1970"),
        ),
        (
            {"date": "2999-01-01", "date_earliest": "2999-01-01", "date_latest": "2999-01-01"},
            ("date", "date_not_in_future"),
        ),
        ({"date_latest": "2022-10-30"}, ("date_precision", "date_window_matches_precision")),
        ({"date_precision": "fortnight"}, ("date_precision", "isin")),
        ({"province": "Kabull", "province_code": ""}, ("province", "province_known")),
        ({"province_code": "AF-KAN"}, ("province_code", "province_code_matches_province")),
        ({"latitude": "51.5", "longitude": "-0.12"}, ("latitude", "coordinates_inside_afghanistan")),
        ({"longitude": ""}, ("latitude", "coordinates_paired")),
        ({"latitude": "95"}, ("latitude", "in_range")),
        ({"perpetrator": "Daesh"}, ("perpetrator", "isin")),
        ({"perpetrator": "unknown", "attribution": "claimed"}, ("attribution", "attribution_consistent")),
        ({"attribution": "rumoured"}, ("attribution", "isin")),
        ({"attack_type": "drone"}, ("attack_type", "isin")),
        ({"target_type": "mosque"}, ("target_type", "isin")),
        ({"geo_precision": "city"}, ("geo_precision", "isin")),
        ({"country": "Afghanistan"}, ("country", "str_matches")),
        ({"source_dataset": "twitter"}, ("source_dataset", "isin")),
        ({"sources": ""}, ("sources", "not_null")),
        ({"incident_id": ""}, ("incident_id", "not_null")),
        ({"civilians_killed_best": "40", "combatants_killed_best": "20"}, ("civilians_killed_best", "killed_breakdown_within_total")),
        ({"killed_best": "many"}, ("killed_best", "parse_integer")),
        ({"killed_best": "5.5"}, ("killed_best", "parse_integer")),
        ({"latitude": "north"}, ("latitude", "parse_number")),
        ({"date": "30/09/2022"}, ("date", "parse_date")),
    ],
)
def test_each_rule_rejects_a_crafted_row(overrides, expected):
    got = reasons(**overrides)
    assert expected in got, got
    assert expected[1] in RULES, f"rule {expected[1]} is not documented in RULES"


def test_duplicate_ids_quarantine_every_copy():
    out = validate_incidents(frame(good_row(), good_row(), good_row(incident_id="other")))
    assert out.n_quarantined == 2
    assert set(out.report["rule"]) == {"unique"}
    assert out.valid["incident_id"].tolist() == ["other"]


def test_unknown_counts_stay_missing_not_zero():
    out = validate_incidents(frame(good_row(killed_low="", killed_best="", killed_high="")))
    assert out.n_quarantined == 0
    assert out.valid["killed_best"].isna().all()


def test_non_afghan_rows_keep_their_country_without_province_code():
    row = good_row(country="PAK", province="Khyber Pakhtunkhwa", province_code="", latitude="34.0", longitude="71.5")
    out = validate_incidents(frame(row))
    assert out.n_quarantined == 0
    assert out.valid.loc[0, "country"] == "PAK"
    bad = validate_incidents(frame(good_row(country="PAK", province="Sindh", province_code="AF-KAB")))
    assert ("province_code", "province_code_matches_province") in set(zip(bad.report["column"], bad.report["rule"], strict=True))


def test_wide_window_needs_a_coarse_precision():
    row = good_row(date="2016-04-18", date_earliest="2015-01-01", date_latest="2025-12-31", date_precision="unknown")
    assert validate_incidents(frame(row)).n_quarantined == 0
    row["date_precision"] = "year"
    assert validate_incidents(frame(row)).n_quarantined == 1


def test_empty_frame_has_canonical_columns():
    e = empty_incidents()
    assert list(e.columns) == list(COLUMNS)
    out = validate_incidents(e.astype("str"))
    assert out.n_read == 0
