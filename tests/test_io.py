"""Writers (analysis.io): canonical files round-trip through load_incidents, quarantines
keep every row with its reasons, and an output that is neither CSV nor Parquet is refused."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import DataFileError, load_incidents, validate_incidents
from analysis.io import write_incidents, write_quarantine

from ._rows import frame, good_row


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_incidents_round_trip(tmp_path, suffix):
    valid = validate_incidents(frame(good_row(), good_row(incident_id="T-0002", killed_best=""))).valid
    out = write_incidents(valid, tmp_path / "sub" / f"incidents{suffix}")
    again = load_incidents(out)
    pd.testing.assert_frame_equal(again, valid, check_like=False)
    if suffix == ".csv":
        assert "2022-09-30," in out.read_text()  # ISO dates, no time of day


def test_incidents_output_must_be_csv_or_parquet(tmp_path):
    with pytest.raises(DataFileError, match=r"must end in \.csv or \.parquet"):
        write_incidents(frame(good_row()), tmp_path / "incidents.xlsx")
    assert not (tmp_path / "incidents.xlsx").exists()


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_quarantine_keeps_rows_and_reasons(tmp_path, suffix):
    outcome = validate_incidents(frame(good_row(), good_row(incident_id="B", killed_low="99")))
    out = write_quarantine(outcome.quarantined, tmp_path / f"q{suffix}")
    back = pd.read_csv(out, dtype=str) if suffix == ".csv" else pd.read_parquet(out)
    assert back["incident_id"].tolist() == ["B"]
    assert back["reasons"].tolist() == ["killed_best: killed_ordered"]
    assert back["killed_low"].tolist() == ["99"]  # the row as read, as text
