"""``python -m analysis validate``: exit codes 0 / 1 / 2, and no traceback for bad files."""

from __future__ import annotations

import os
import subprocess
import sys

import pandas as pd

from ._cli import assert_clean_exit, assert_one_line_error, digest, invoke
from ._hostile import CORPUS, executable_cells, unusable_files
from ._rows import good_row, write_csv


def run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "analysis", *args], capture_output=True, text=True, timeout=timeout
    )


def test_exit_0_when_all_rows_valid(tmp_path):
    p = write_csv(tmp_path / "ok.csv", good_row())
    r = run("validate", str(p))
    assert r.returncode == 0, r.stderr
    assert "rows read:        1" in r.stdout and "rows quarantined: 0" in r.stdout


def test_exit_1_and_quarantine_file(tmp_path):
    p = write_csv(tmp_path / "bad.csv", good_row(), good_row(incident_id="X", killed_high="1"))
    q = tmp_path / "q.csv"
    r = run("validate", str(p), "--quarantine", str(q))
    assert r.returncode == 1
    assert "rows quarantined: 1" in r.stdout
    assert "killed_ordered" in r.stdout
    assert pd.read_csv(q)["incident_id"].tolist() == ["X"]


def test_exit_2_one_line_no_traceback(tmp_path):
    for path, problem in [
        (tmp_path / "missing.csv", "file not found"),
        (tmp_path / "notes.docx", "not a CSV or Parquet"),
    ]:
        if path.suffix == ".docx":
            path.write_text("x")
        r = run("validate", str(path))
        assert r.returncode == 2
        assert "Traceback" not in r.stderr
        assert problem in r.stderr and str(path) in r.stderr
        assert len(r.stderr.strip().splitlines()) == 1
    latin = tmp_path / "latin.csv"
    latin.write_bytes("incident_id\nCafé\n".encode("latin-1"))
    r = run("validate", str(latin))
    assert r.returncode == 2 and "UTF-8" in r.stderr and "Traceback" not in r.stderr


# ------------------------------------------------------------------ unattended runs (issue 19)
def test_unusable_inputs_exit_2_with_one_line(tmp_path):
    for path, problem in unusable_files(tmp_path):
        assert_one_line_error(invoke("validate", path), str(path), problem)
        assert_one_line_error(
            invoke("validate", path, "-q", tmp_path / "q.csv"), str(path), problem
        )
    assert not (tmp_path / "q.csv").exists()


def test_a_fifo_is_refused_at_once_not_read(tmp_path):
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)  # reading it would wait for a writer forever
    r = run("validate", str(fifo), timeout=30)
    assert r.returncode == 2 and "FIFO" in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_quarantine_onto_the_input_is_refused_before_reading(tmp_path):
    p = write_csv(tmp_path / "in.csv", good_row(), good_row(incident_id="X", killed_high="1"))
    before = digest(p)
    alias = tmp_path / "alias.csv"
    alias.symlink_to(p)
    hard = tmp_path / "hard.csv"
    os.link(p, hard)
    for q in (p, alias, hard):
        assert_one_line_error(invoke("validate", p, "--quarantine", q), "--quarantine", "input")
    assert digest(p) == before
    assert_one_line_error(invoke("validate", p, "-q", tmp_path), "not a regular file")


def test_hostile_text_in_the_quarantine_cannot_execute(tmp_path):
    q = tmp_path / "q.csv"
    r = invoke("validate", CORPUS / "formula_every_field.csv", "-q", q)
    assert_clean_exit(r)
    assert r.exit_code == 1
    text = q.read_text()
    assert "'=HYPERLINK(1)" in text and "'+cmd" in text  # escaped, not dropped
    assert executable_cells(q) == []


def test_unknown_column_is_named():
    assert_one_line_error(
        invoke("validate", CORPUS / "header_typo.csv"), "unknown columns geo_precison"
    )


def test_unknown_column_gets_the_nearest_known_name():
    message = invoke("validate", CORPUS / "header_typo.csv").stderr
    assert "geo_precision" in message.replace("geo_precison", "")


def test_dates_with_zones_end_in_one_line_never_a_traceback():
    r = invoke("validate", CORPUS / "tz_dates.csv")
    assert r.exit_code in (0, 1, 2) and "Traceback" not in r.output
    assert r.exception is None or isinstance(r.exception, SystemExit)
    assert len(r.stderr.strip().splitlines()) <= 1


def test_dates_with_zones_are_read():
    r = invoke("validate", CORPUS / "tz_dates.csv")
    assert_clean_exit(r)
    assert r.exit_code == 0
