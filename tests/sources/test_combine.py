"""Several files, each record once: repeats dropped and counted, different records under
one id quarantined, the same attack in two datasets kept as two records."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.sources import ingest_file, ingest_files
from analysis.sources.combine import keep_once, record_keys

from .._rows import frame, good_row
from ._sources import assert_balanced, fixture


def test_the_same_file_twice_is_counted_once():
    path = fixture("gtd_numeric.csv")
    out = ingest_files([path, path])
    s = out.summary
    assert (s.rows_in, s.rows_mapped, s.rows_quarantined, s.duplicates_dropped) == (20, 10, 0, 10)
    assert_balanced(s)
    assert s.killed_duplicates == s.killed_mapped == 17
    assert out.valid["incident_id"].is_unique and len(out.valid) == 10
    assert set(out.duplicates["first_file"]) == {str(path)} and len(out.duplicates) == 10
    second = out.valid.attrs["ingest_files"][1]
    assert (second.rows_mapped, second.duplicates_dropped) == (0, 10) and second.totals_agree
    assert "duplicates dropped: 10" in s.summary()


def test_records_of_different_datasets_stay_separate():
    out = ingest_files([fixture("gtd_numeric.csv"), fixture("acled.csv")])
    assert out.summary.duplicates_dropped == 0 and len(out.valid) == 17


def test_a_different_record_under_a_taken_id_is_quarantined(tmp_path):
    a = tmp_path / "a.csv"
    b = tmp_path / "b.csv"
    frame(good_row(incident_id="X1"), good_row(incident_id="X2", killed_best="5", killed_low="5", killed_high="5")).to_csv(a, index=False)
    frame(good_row(incident_id="X2", killed_best="9", killed_low="9", killed_high="9"), good_row(incident_id="X1")).to_csv(b, index=False)
    out = ingest_files([a, b])
    s = out.summary
    assert (s.rows_mapped, s.duplicates_dropped, s.rows_quarantined) == (2, 1, 1)
    assert_balanced(s)
    (reason,) = out.quarantined["reasons"]
    assert reason.startswith("incident_id: duplicate_across_inputs (a different record under the same id")


def test_record_keys_use_the_source_id_else_the_whole_row():
    data = ingest_file(fixture("acled.csv")).valid
    keys = record_keys(data)
    assert keys.str.startswith("id\x1facled\x1f").all()
    curated = analysis_rows()
    k = record_keys(curated)
    assert k.str.startswith("row").all() and k.iloc[0] != k.iloc[1]


def analysis_rows() -> pd.DataFrame:
    import analysis

    return analysis.validate_incidents(frame(good_row(incident_id="A"), good_row(incident_id="B"))).valid


def test_keep_once_leaves_a_single_frame_alone():
    data = analysis_rows()
    kept = keep_once([data], ["one"])
    assert kept.keep[0].all() and not kept.repeat[0].any()


@pytest.mark.realdata
def test_real_overlapping_extracts(realdata):
    afg, world = realdata("rand_rdwti_afg.csv"), realdata("rand_rdwti.csv")
    alone = ingest_file(world)
    out = ingest_files([afg, world])
    s = out.summary
    assert_balanced(s)
    first = out.valid.attrs["ingest_files"][0]
    assert s.duplicates_dropped == first.rows_mapped > 1900  # every Afghan record again
    assert len(out.valid) == len(alone.valid)
    assert set(out.valid["incident_id"]) == set(alone.valid["incident_id"])
