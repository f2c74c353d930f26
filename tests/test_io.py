"""Writers (analysis.io): formula escaping round-trips, atomic replacement, path guards;
canonical files round-trip through load_incidents, quarantines keep every row with its
reasons, and an output that is neither CSV nor Parquet is refused."""

from __future__ import annotations

import csv
import os

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import DataFileError, io, load_incidents, validate_incidents
from analysis.errors import AnalysisError
from analysis.io import write_incidents, write_quarantine

from ._hostile import HOSTILE_TEXT
from ._rows import frame, good_row

HOSTILE = [*HOSTILE_TEXT, "'plain quote", "ordinary text", ""]


def _cells(path):
    with open(path, newline="", encoding="utf-8") as fh:
        return [cell for row in csv.reader(fh) for cell in row]


def test_no_written_cell_can_execute(tmp_path):
    df = pd.DataFrame({"text": HOSTILE, "n": range(len(HOSTILE)), "x": [-1.5] * len(HOSTILE)})
    p = io.write_csv(df, tmp_path / "out.csv")
    for cell in _cells(p):
        assert cell[:1] not in ("=", "+", "@", "\t", "\r"), cell
        if cell.startswith("-"):  # only numbers may start with a minus
            float(cell)


def test_number_text_stays_as_it_is(tmp_path):
    for text in ("-3", "+1.5", "-2e3", ".5"):
        assert io.escape_cell(text) == text
    for text in ("-3+4", "+A1", "-", "@1"):
        assert io.escape_cell(text) == "'" + text


def test_numbers_stay_numbers(tmp_path):
    df = pd.DataFrame({"n": [-3, 4], "x": [-1.25, 2.0]})
    back = pd.read_csv(io.write_csv(df, tmp_path / "n.csv"))
    pd.testing.assert_frame_equal(back, df)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12), min_size=1, max_size=8))
def test_round_trip_restores_every_text_exactly(tmp_path_factory, texts):
    df = pd.DataFrame({"text": texts})
    p = tmp_path_factory.mktemp("rt") / "t.csv"
    io.write_csv(df, p)
    back = pd.read_csv(p, dtype=str, keep_default_na=False)
    back = io.unescape_frame(back)
    # CSV itself cannot tell "" from a missing cell, nor keep a lone CR; compare the rest
    expected = [t.replace("\r\n", "\n") for t in texts]
    got = [t.replace("\r\n", "\n") for t in back["text"].tolist()]
    assert got == expected


def test_escape_and_unescape_are_inverse_per_cell():
    for v in [*HOSTILE, None, 3, 2.5]:
        assert io.unescape_cell(io.escape_cell(v)) == v


def test_column_names_are_escaped_too(tmp_path):
    p = io.write_csv(pd.DataFrame({"=cmd": [1]}), tmp_path / "h.csv")
    assert _cells(p)[0] == "'=cmd"


def test_atomic_write_keeps_the_old_file_on_failure(tmp_path):
    p = tmp_path / "f.txt"
    p.write_text("old")
    with pytest.raises(RuntimeError), io.atomic_write(p) as fh:
        fh.write("half of the new")
        raise RuntimeError("boom")
    assert p.read_text() == "old"
    assert [x.name for x in tmp_path.iterdir()] == ["f.txt"]


def test_atomic_write_through_a_symlink_keeps_the_link(tmp_path):
    real = tmp_path / "real.txt"
    real.write_text("old")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    io.write_text("new", link)
    assert link.is_symlink() and real.read_text() == "new"


def test_atomic_write_refuses_a_folder(tmp_path):
    with pytest.raises(IsADirectoryError):
        io.write_text("x", tmp_path)


def test_check_paths_refuses_output_equal_to_input(tmp_path):
    src = tmp_path / "in.csv"
    src.write_text("a\n1\n")
    with pytest.raises(io.PathClashError, match="input"):
        io.check_paths([src], [("--out", src)])
    link = tmp_path / "alias.csv"
    os.symlink(src, link)
    with pytest.raises(AnalysisError):
        io.check_paths([src], [("--out", link)])


def test_check_paths_refuses_two_outputs_on_one_file(tmp_path):
    with pytest.raises(io.PathClashError, match="same file"):
        io.check_paths([], [("--out", tmp_path / "x.csv"), ("--quarantine", tmp_path / "x.csv")])
    io.check_paths([], [("--out", tmp_path / "a.csv"), ("--quarantine", tmp_path / "b.csv")])


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


def test_check_paths_names_a_loop_of_symbolic_links(tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.symlink_to(b)
    b.symlink_to(a)
    with pytest.raises(AnalysisError, match="loop of symbolic links"):
        io.check_paths([tmp_path / "in.csv"], [("--out", a)])


def test_check_paths_refuses_an_output_that_is_not_a_regular_file(tmp_path):
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    for out in (tmp_path, fifo):
        with pytest.raises(AnalysisError, match="not a regular file"):
            io.check_paths([], [("--out", out)])
