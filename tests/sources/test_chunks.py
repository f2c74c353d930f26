"""Large exports are mapped and validated in parts on several threads: the parts must
give exactly what the whole table gives (valid rows, quarantine, report, summary)."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.sources import ingest_frame, read_export

from ._sources import FIXTURES, fixture

FILES = sorted(p.name for p in FIXTURES.glob("*.csv"))


def _both(table, fmt, bad, chunk_rows):
    whole = ingest_frame(table, fmt, source="x", bad_lines=bad)
    parts = ingest_frame(table, fmt, source="x", bad_lines=bad, chunk_rows=chunk_rows)
    return whole, parts


def assert_same(whole, parts):
    pd.testing.assert_frame_equal(parts.valid, whole.valid)
    pd.testing.assert_frame_equal(parts.quarantined, whole.quarantined)
    pd.testing.assert_frame_equal(parts.report, whole.report)
    assert parts.summary.to_dict() == whole.summary.to_dict()


@pytest.mark.parametrize("name", FILES)
@pytest.mark.parametrize("chunk_rows", [1, 3, 7])
def test_parts_equal_whole_on_every_fixture(name, chunk_rows):
    fmt, table, bad = read_export(fixture(name), None)
    assert_same(*_both(table, fmt, bad, chunk_rows))


def test_ids_repeated_across_parts_are_all_quarantined():
    fmt, table, bad = read_export(fixture("gtd_numeric.csv"), "gtd")
    assert len(table) >= 6
    table = table.copy()
    # the same event id in the first, a middle and the last row: three different parts
    last = len(table) - 1
    table.loc[[last // 2, last], "eventid"] = table.loc[0, "eventid"]
    whole, parts = _both(table, fmt, bad, 2)
    assert_same(whole, parts)
    flagged = parts.report.loc[parts.report["rule"] == "unique", "row"].tolist()
    assert flagged == sorted(table.loc[[0, last // 2, last], "row"].tolist())
    assert parts.summary.rows_in == parts.summary.rows_mapped + parts.summary.rows_quarantined


@pytest.mark.realdata
@pytest.mark.parametrize(
    "name", ["gtd_2012_2015_afg.csv", "ucdp_ged231_sample1000.csv", "rand_rdwti_afg.csv", "rand_rdwti.csv"]
)
def test_parts_equal_whole_on_real_extracts(realdata, name):
    fmt, table, bad = read_export(realdata(name), None)
    assert_same(*_both(table, fmt, bad, 997))


def test_threads_leave_warning_filters_as_they_were_and_leak_no_warning():
    import warnings

    fmt, table, _bad = read_export(fixture("gtd_bad.csv"), "gtd")
    table = pd.concat([table] * 40, ignore_index=True)  # many parts, two threads
    table["row"] = range(1, len(table) + 1)
    before = list(warnings.filters)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        inside = list(warnings.filters)
        ingest_frame(table, fmt, source="x", chunk_rows=5)
        assert list(warnings.filters) == inside
    assert list(warnings.filters) == before
    assert not [w for w in caught if issubclass(w.category, RuntimeWarning)], [str(w.message) for w in caught]


def test_parts_equal_whole_on_the_bundled_canonical_file():
    from analysis import config

    fmt, table, bad = read_export(config.BUNDLED_INCIDENTS, None)
    assert fmt == "canonical"
    assert_same(*_both(table, fmt, bad, 4))
