"""``python -m analysis validate``: exit codes 0 / 1 / 2, and no traceback for bad files."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd

from ._rows import good_row, write_csv


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "analysis", *args], capture_output=True, text=True, timeout=120)


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
