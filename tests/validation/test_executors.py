"""The two executors of the rule table make identical decisions.

The pandera schema (``engine="pandera"``, the reference) and the vectorised executor
(``engine="numpy"``, used in bulk) are generated from the same rule table. Frames are
built that break every rule, alone, in every pair and in random combinations drawn by
hypothesis (with random garbage on top), and both executors must accept the same rows,
quarantine the same rows, and give the same reasons and values.
"""

from __future__ import annotations

import itertools
import string

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import analysis
from analysis.schema import COLUMN_RULES, COLUMNS, COUNT_COLUMNS, ROW_RULES, RULES
from analysis.validation import vectorised

from .._rows import frame, good_row

_DAY = {"date": "1969-06-01", "date_earliest": "1969-06-01", "date_latest": "1969-06-01"}
_FUTURE = {"date": "2999-01-01", "date_earliest": "2999-01-01", "date_latest": "2999-01-01"}

#: A change to a good row that breaks one rule (the key says which).
BREAKERS: dict[str, dict[str, str]] = {
    **{f"not_null:{c}": {c: ""} for c, r in COLUMN_RULES.items() if not r.nullable},
    "unique": {"incident_id": "DUP"},
    "isin:date_precision": {"date_precision": "fortnight"},
    "isin:geo_precision": {"geo_precision": "city"},
    "isin:perpetrator": {"perpetrator": "Daesh"},
    "isin:attribution": {"attribution": "rumoured"},
    "isin:attack_type": {"attack_type": "drone"},
    "isin:target_type": {"target_type": "mosque"},
    "isin:source_dataset": {"source_dataset": "twitter"},
    "str_matches:country": {"country": "Afghanistan"},
    "str_matches:province_code": {"province_code": "AF_KAB"},
    **{f"ge:{c}": {c: "-1"} for c in COUNT_COLUMNS},
    "in_range:latitude": {"latitude": "95"},
    "in_range:longitude": {"longitude": "200"},
    "date_window_contains_date": {"date": "2022-10-02"},
    "date_not_before_1970": _DAY,
    "date_not_in_future": _FUTURE,
    "date_window_matches_precision": {"date_latest": "2022-10-30"},
    "killed_ordered": {"killed_low": "60"},
    "wounded_ordered": {"wounded_low": "200"},
    "killed_breakdown_within_total": {"civilians_killed_best": "40", "combatants_killed_best": "20"},
    "province_known": {"province": "Kabull", "province_code": ""},
    "province_code_matches_province": {"province_code": "AF-KAN"},
    "coordinates_paired": {"longitude": ""},
    "coordinates_inside_afghanistan": {"latitude": "51.5", "longitude": "-0.12"},
    "attribution_consistent": {"perpetrator": "unknown", "attribution": "claimed"},
    "other_country": {"country": "PAK", "province": "Sindh", "province_code": ""},
    "parse_integer": {"killed_best": "many"},
    "parse_number": {"latitude": "north"},
    "parse_date": {"date": "30/09/2022"},
    "timestamp_with_zone": {"date": "2022-09-30T23:30:00+04:30"},
}
NAMES = sorted(BREAKERS)


def _row(i: int, names) -> dict[str, object]:
    row = good_row(incident_id=f"R{i}")
    for name in names:
        row.update(BREAKERS[name])
    return row


def _same_value(a, b) -> bool:
    if pd.isna(a) and pd.isna(b):
        return True
    return str(a) == str(b)


def assert_same_decisions(data: pd.DataFrame) -> None:
    ref = analysis.validate_incidents(data, engine="pandera")
    fast = analysis.validate_incidents(data, engine="numpy")
    key = ["row", "column", "rule"]
    r = ref.report.sort_values(key).reset_index(drop=True)
    f = fast.report.sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(r[key], f[key], check_dtype=False)
    bad = [(a, b) for a, b in zip(r["value"], f["value"], strict=True) if not _same_value(a, b)]
    assert not bad, bad[:5]
    pd.testing.assert_frame_equal(ref.valid, fast.valid)
    pd.testing.assert_frame_equal(ref.quarantined, fast.quarantined)
    assert ref.rule_counts == fast.rule_counts


def test_every_rule_alone_and_in_every_pair():
    combos = [()] + [(n,) for n in NAMES] + list(itertools.combinations(NAMES, 2))
    data = frame(*(_row(i, c) for i, c in enumerate(combos)))
    assert_same_decisions(data)
    # every rule of the table (and every parse rule) was broken somewhere
    reported = set(analysis.validate_incidents(data).report["rule"])
    table_rules = {"not_null", "unique", "isin", "str_matches", "greater_than_or_equal_to", "in_range"}
    assert table_rules | set(ROW_RULES) | {"parse_date", "parse_integer", "parse_number"} <= reported
    assert reported <= set(RULES)


_garbage = st.one_of(
    st.just(""),
    st.text(alphabet=string.printable, max_size=10),
    st.integers(-1000, 10**6).map(str),
    st.sampled_from(["2022-09-30", "2022-09-30T10:00:00Z", "1969-12-31", "AFG", "PAK", "Kabul", "AF-KAB", "nan", "-"]),
)


@st.composite
def broken_frames(draw):
    n = draw(st.integers(0, 8))
    rows = []
    for i in range(n):
        row = _row(i, draw(st.sets(st.sampled_from(NAMES), max_size=6)))
        for col in draw(st.lists(st.sampled_from(COLUMNS), max_size=2, unique=True)):
            row[col] = draw(_garbage)
        rows.append(row)
    return frame(*rows) if rows else frame(good_row()).iloc[0:0]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(broken_frames())
def test_random_combinations_give_identical_decisions(data):
    assert_same_decisions(data)


def test_uniqueness_can_be_left_to_the_caller():
    data = frame(good_row(), good_row())
    for engine in ("numpy", "pandera"):
        assert analysis.validate_incidents(data, engine=engine, unique=False).n_quarantined == 0
        assert analysis.validate_incidents(data, engine=engine).n_quarantined == 2


def test_duplicated_ids_leaves_missing_ids_to_not_null():
    ids = pd.Series(["a", None, "b", None, "a", "c"], dtype="str")
    assert vectorised.duplicated_ids(ids).tolist() == [True, False, False, False, True, False]
    assert not vectorised.duplicated_ids(pd.Series(["a", "b"], dtype="str")).any()


def test_unknown_engine_is_refused():
    with pytest.raises(analysis.InputError, match="unknown engine"):
        analysis.validate_incidents(frame(good_row()), engine="polars")


def test_vectorised_executor_needs_the_canonical_columns():
    with pytest.raises(analysis.InputError):
        vectorised.failures(pd.DataFrame({"x": np.arange(3)}))
