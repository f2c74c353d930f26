"""Loading files: unusable files get a one-line DataFileError; bad rows are quarantined
with their reasons; rows read = rows returned + rows quarantined, always."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import analysis
from analysis import DataFileError, IncidentValidationError, load_incidents
from analysis.loading import validate_file
from analysis.schema import COLUMNS, REQUIRED_COLUMNS

from ._rows import frame, good_row, write_csv


def test_valid_csv_round_trip(tmp_path):
    p = write_csv(tmp_path / "ok.csv", good_row(), good_row(incident_id="T-0002", killed_best=""))
    df = load_incidents(p)
    assert len(df) == 2
    v = df.attrs["validation"]
    assert (v["rows_read"], v["rows_accepted"], v["rows_quarantined"]) == (2, 2, 0)
    assert len(v["sha256"]) == 64


def test_parquet_is_read(tmp_path):
    p = tmp_path / "ok.parquet"
    frame(good_row()).to_parquet(p, index=False)
    df = load_incidents(p)
    assert df.loc[0, "killed_best"] == 53


def test_bad_rows_raise_with_a_report_naming_row_column_rule(tmp_path):
    p = write_csv(tmp_path / "bad.csv", good_row(), good_row(incident_id="B", killed_low="99"))
    with pytest.raises(IncidentValidationError) as err:
        load_incidents(p)
    rep = err.value.report
    assert rep[["row", "incident_id", "column", "rule"]].values.tolist() == [[2, "B", "killed_best", "killed_ordered"]]
    assert "bad.csv" in str(err.value) and "row 2" in str(err.value)


def test_quarantine_keeps_every_row(tmp_path):
    rows = [
        good_row(incident_id="A"),
        good_row(incident_id="B", killed_low="60"),  # low > best
        good_row(incident_id="C", wounded_best="-3"),  # negative
        good_row(incident_id="A"),  # duplicate id
        good_row(incident_id="D", province="Atlantis", province_code=""),  # unknown province
        good_row(incident_id="E", latitude="48.85", longitude="2.35"),  # outside Afghanistan
        good_row(incident_id="F", date="2099-01-01", date_earliest="2099-01-01", date_latest="2099-01-01"),
        good_row(incident_id="G", date="1960-01-01", date_earliest="1960-01-01", date_latest="1960-01-01"),
        good_row(incident_id="H"),
    ]
    p = write_csv(tmp_path / "mixed.csv", *rows)
    q = tmp_path / "out" / "quarantine.csv"
    df = load_incidents(p, quarantine=q)
    quarantined = pd.read_csv(q)
    assert len(df) + len(quarantined) == len(rows)
    assert sorted(df["incident_id"]) == ["H"]
    assert quarantined["row"].tolist() == [1, 2, 3, 4, 5, 6, 7, 8]
    by_row = dict(zip(quarantined["row"], quarantined["reasons"], strict=True))
    assert "killed_ordered" in by_row[2]
    assert "wounded_best: greater_than_or_equal_to" in by_row[3]
    assert "unique" in by_row[1] and "unique" in by_row[4]
    assert "province_known" in by_row[5]
    assert "coordinates_inside_afghanistan" in by_row[6]
    assert "date_not_in_future" in by_row[7]
    assert "date_not_before_1970" in by_row[8]
    # the quarantined row keeps its original text
    assert quarantined.loc[quarantined["row"] == 3, "wounded_best"].item() == -3


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "empty"),
        (b"\xff\xfe" + "incident_id\n".encode("utf-16-le"), "UTF-8"),
        ("incident_id,date\nCafé,2020\n".encode("latin-1"), "UTF-8"),
        (b"incident_id,date\nA,2020-01-01\n", "required columns missing"),
    ],
)
def test_unusable_files_raise_data_file_error(tmp_path, content, problem):
    p = tmp_path / "f.csv"
    p.write_bytes(content)
    with pytest.raises(DataFileError) as err:
        load_incidents(p)
    assert problem in str(err.value)
    assert str(p) in str(err.value)
    assert "\n" not in str(err.value)


def test_missing_file_and_wrong_extension(tmp_path):
    with pytest.raises(DataFileError, match="file not found"):
        load_incidents(tmp_path / "nope.csv")
    p = tmp_path / "data.xlsx"
    p.write_bytes(b"PK\x03\x04")
    with pytest.raises(DataFileError, match="not a CSV or Parquet"):
        load_incidents(p)
    p = tmp_path / "broken.parquet"
    p.write_bytes(b"not parquet at all")
    with pytest.raises(DataFileError, match="Parquet"):
        load_incidents(p)


def test_extra_columns_are_refused_not_dropped(tmp_path):
    df = frame(good_row()).assign(my_column="x")
    p = tmp_path / "extra.csv"
    df.to_csv(p, index=False)
    with pytest.raises(DataFileError, match="unknown columns my_column"):
        load_incidents(p)


def test_optional_columns_may_be_absent(tmp_path):
    df = frame(good_row())[list(REQUIRED_COLUMNS)]
    p = tmp_path / "minimal.csv"
    df.to_csv(p, index=False)
    out = load_incidents(p)
    assert list(out.columns) == list(COLUMNS)
    assert out.loc[0, "province_code"] == "AF-KAB"  # filled from the gazetteer
    assert out["wounded_best"].isna().all()  # unknown, not 0


def test_header_only_file_gives_empty_frame(tmp_path):
    p = tmp_path / "header.csv"
    p.write_text(",".join(COLUMNS) + "\n")
    df = load_incidents(p)
    assert len(df) == 0 and list(df.columns) == list(COLUMNS)


def test_utf8_bom_is_accepted(tmp_path):
    p = tmp_path / "bom.csv"
    frame(good_row()).to_csv(p, index=False, encoding="utf-8-sig")
    assert p.read_bytes()[:3] == b"\xef\xbb\xbf"
    assert len(load_incidents(p)) == 1


def test_ragged_rows_are_quarantined_with_their_line(tmp_path):
    p = write_csv(tmp_path / "ragged.csv", good_row(incident_id="A"), good_row(incident_id="B"))
    lines = p.read_text().splitlines()
    lines.insert(2, "X,2022-01-01,too,few,fields")
    p.write_text("\n".join(lines) + "\n")
    q = tmp_path / "q.csv"
    df = load_incidents(p, quarantine=q)
    qdf = pd.read_csv(q)
    assert df["incident_id"].tolist() == ["A", "B"]
    assert len(qdf) == 1 and "csv_structure" in qdf.loc[0, "reasons"]
    assert qdf.loc[0, "row"] == 2


def test_default_loads_bundled_dataset():
    df = analysis.load_incidents()
    assert len(df) > 0
    assert df.attrs["validation"]["rows_quarantined"] == 0


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=300))
def test_random_bytes_give_documented_errors_only(tmp_path, blob):
    p = tmp_path / "random.csv"
    p.write_bytes(blob)
    q = tmp_path / "q.csv"
    try:
        outcome = validate_file(p)
    except DataFileError as exc:
        assert str(p) in str(exc)
        return
    assert outcome.n_read == outcome.n_accepted + outcome.n_quarantined
    if outcome.n_quarantined:
        load_incidents(p, quarantine=q)


def test_hostile_text_round_trips_through_our_csv(tmp_path):
    """Free text that a spreadsheet would execute is escaped on disk and read back as it was."""
    from analysis.io import write_incidents

    from ._hostile import FREE_TEXT, HOSTILE_TEXT

    rows = [good_row(incident_id=f"H-{i}", **{c: t for c in FREE_TEXT}) for i, t in enumerate(HOSTILE_TEXT)]
    valid = analysis.validate_incidents(frame(*rows)).valid
    assert len(valid) == len(rows)
    out = write_incidents(valid, tmp_path / "ours.csv")
    assert "'=HYPERLINK" in out.read_text() and "''=already quoted" in out.read_text()
    pd.testing.assert_frame_equal(load_incidents(out), valid)
