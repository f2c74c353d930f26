"""``python -m analysis ingest``: several inputs in several formats, one canonical file,
the exit codes of ``validate``."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pandas as pd
import pytest
from typer.testing import CliRunner

import analysis
from analysis.cli import EXIT_OK, EXIT_ROWS_REJECTED, EXIT_UNUSABLE, app

from ._cli import assert_clean_exit, assert_one_line_error, digest, invoke, run
from ._hostile import CORPUS, FREE_TEXT, HOSTILE_TEXT, executable_cells, unusable_files
from ._rows import frame, good_row
from .sources._sources import fixture

runner = CliRunner()


def test_mixed_formats_to_parquet(tmp_path):
    out = tmp_path / "all.parquet"
    res = runner.invoke(
        app, ["ingest", str(fixture("gtd_numeric.csv")), str(fixture("acled.csv")), "-o", str(out)]
    )
    assert res.exit_code == EXIT_OK, res.output
    df = pd.read_parquet(out)
    assert len(df) == 17 and set(df["source_dataset"]) == {"gtd", "acled"}
    assert "rows in:          17" in res.output and "totals agree:     yes" in res.output
    again = analysis.read_source(out)  # the output is a valid canonical file
    assert len(again) == 17


def test_rejected_rows_need_a_quarantine(tmp_path):
    out = tmp_path / "all.csv"
    res = runner.invoke(app, ["ingest", str(fixture("rand.csv")), "-o", str(out)])
    assert res.exit_code == EXIT_ROWS_REJECTED
    assert not out.exists() and "--quarantine" in res.output
    q = tmp_path / "q.csv"
    res = runner.invoke(
        app,
        [
            "ingest",
            str(fixture("rand.csv")),
            str(fixture("ucdp_ged.csv")),
            "-o",
            str(out),
            "--quarantine",
            str(q),
        ],
    )
    assert res.exit_code == EXIT_ROWS_REJECTED
    written = analysis.read_source(out)
    rejects = pd.read_csv(q, dtype=str)
    assert len(written) + len(rejects) == 8 + 10
    assert set(rejects["source_file"]) == {str(fixture("rand.csv")), str(fixture("ucdp_ged.csv"))}


def test_the_same_file_twice_is_counted_once(tmp_path):
    out, q = tmp_path / "o.csv", tmp_path / "q.csv"
    path = str(fixture("acled.csv"))
    res = runner.invoke(app, ["ingest", path, path, "-o", str(out), "-q", str(q)])
    assert res.exit_code == EXIT_OK, res.output
    assert len(pd.read_csv(out)) == 7
    assert len(pd.read_csv(q)) == 0
    assert "duplicates dropped: 7" in res.output and "totals agree:     yes" in res.output


def test_unusable_input_exits_2(tmp_path):
    bad = tmp_path / "x.csv"
    bad.write_text("a,b\n1,2\n")
    res = runner.invoke(
        app, ["ingest", str(fixture("acled.csv")), str(bad), "-o", str(tmp_path / "o.csv")]
    )
    assert res.exit_code == EXIT_UNUSABLE
    assert "x.csv" in res.output
    res = runner.invoke(app, ["ingest", str(fixture("acled.csv")), "-o", str(tmp_path / "o.xlsx")])
    assert res.exit_code == EXIT_UNUSABLE
    res = runner.invoke(
        app,
        ["ingest", str(fixture("acled.csv")), "--format", "gdelt", "-o", str(tmp_path / "o.csv")],
    )
    assert res.exit_code == EXIT_UNUSABLE and "unknown format" in res.output


# ------------------------------------------------------------------ unattended runs (issue 19)
def test_unusable_inputs_exit_2_with_one_line(tmp_path):
    out, q = tmp_path / "o.csv", tmp_path / "q.csv"
    for path, problem in unusable_files(tmp_path / "in"):
        assert_one_line_error(invoke("ingest", path, "-o", out, "-q", q), str(path), problem)
    assert not out.exists() and not q.exists()


def test_a_fifo_is_refused_at_once_not_read(tmp_path):
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    r = run("ingest", fifo, "-o", tmp_path / "o.csv", timeout=30)
    assert r.returncode == 2 and "FIFO" in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_outputs_that_clash_are_refused_before_anything_is_read_or_written(tmp_path):
    src = tmp_path / "in.csv"
    src.write_bytes(fixture("acled.csv").read_bytes())
    before = digest(src)
    x = tmp_path / "x.csv"
    assert_one_line_error(
        invoke("ingest", src, "-o", x, "-q", x), "--out and --quarantine are the same file"
    )
    assert not x.exists()
    link = tmp_path / "link.csv"
    link.symlink_to(src)
    for args in (["-o", src], ["-o", link], ["-o", x, "-q", src], ["-o", x, "-q", link]):
        assert_one_line_error(invoke("ingest", src, *args), "is the input file")
    assert digest(src) == before and not x.exists()
    folder = tmp_path / "folder.csv"
    folder.mkdir()
    assert_one_line_error(invoke("ingest", src, "-o", folder), "not a regular file")


def test_hostile_text_round_trips_and_cannot_execute(tmp_path):
    out, q = tmp_path / "o.csv", tmp_path / "q.csv"
    r = invoke("ingest", CORPUS / "formula_every_field.csv", "-o", out, "-q", q)
    assert_clean_exit(r)
    assert r.exit_code == 1  # three rows have hostile text where a vocabulary or date is expected
    assert executable_cells(out) == [] and executable_cells(q) == []
    assert "'=HYPERLINK(1)" in q.read_text()
    back = analysis.load_incidents(out).set_index("incident_id")
    for i, text in enumerate(HOSTILE_TEXT):
        # as validated (stripped); a leading quote in the input file is the spreadsheets'
        # "text" mark, which reading a canonical CSV takes off
        expected = (text[1:] if text.startswith("'") else text).strip()
        assert back.loc[f"H-{i:02d}", list(FREE_TEXT)].tolist() == [expected] * len(FREE_TEXT)


@pytest.mark.parametrize("name", ["formula_gtd.csv", "formula_acled.csv"])
def test_hostile_text_in_source_exports_cannot_execute(tmp_path, name):
    out, q = tmp_path / "o.csv", tmp_path / "q.csv"
    r = invoke("ingest", CORPUS / name, "-o", out, "-q", q)
    assert_clean_exit(r)
    assert executable_cells(out) == [] and executable_cells(q) == []
    assert summary_rows(out) + summary_rows(q) == len(pd.read_csv(CORPUS / name, dtype=str))


def summary_rows(path) -> int:
    return len(pd.read_csv(path, dtype=str)) if path.exists() else 0


def test_dates_with_zones_end_in_one_line_never_a_traceback(tmp_path):
    r = invoke("ingest", CORPUS / "tz_dates.csv", "-o", tmp_path / "o.csv")
    assert r.exit_code in (0, 1, 2) and "Traceback" not in r.output
    assert r.exception is None or isinstance(r.exception, SystemExit)
    assert len(r.stderr.strip().splitlines()) <= 1


def test_unknown_column_is_named(tmp_path):
    r = invoke("ingest", CORPUS / "header_typo.csv", "-o", tmp_path / "o.csv")
    assert_clean_exit(r)
    assert "geo_precison" in r.output and "geo_precision" in r.output.replace("geo_precison", "")


def test_package_warnings_are_one_line_each(tmp_path, monkeypatch):
    import warnings

    from analysis.errors import AnalysisWarning
    from analysis.sources import combine

    original = combine.ingest_file

    def noisy(path, format=None, **kwargs):
        warnings.warn(
            "column geo_precison is not in the layout\nsecond line", AnalysisWarning, stacklevel=2
        )
        return original(path, format, **kwargs)

    monkeypatch.setattr(combine, "ingest_file", noisy)
    r = invoke("ingest", fixture("acled.csv"), "-o", tmp_path / "o.csv")
    assert r.exit_code == EXIT_OK
    assert r.stderr.strip().splitlines() == ["warning: column geo_precison is not in the layout"]


def _canonical_file(path, n: int):
    rows = frame(good_row())
    big = rows.loc[rows.index.repeat(n)].reset_index(drop=True)
    big["incident_id"] = [f"T-{i:06d}" for i in range(n)]
    big.to_csv(path, index=False)
    return path


def test_sigterm_during_a_real_ingest_leaves_no_debris_and_the_old_output(tmp_path):
    """Kill a real run once it has said what it will write: no temporary file is left,
    and the output from an earlier run is either untouched or wholly replaced."""
    src = _canonical_file(tmp_path / "in.csv", 40_000)
    out = tmp_path / "out" / "all.csv"
    out.parent.mkdir()
    out.write_text("an earlier output\n")
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "analysis", "ingest", str(src), "-o", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:  # the summary is printed before the output is written
        line = proc.stdout.readline()
        if not line or "totals agree" in line:
            break
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert list(out.parent.iterdir()) == [out], "temporary files left behind"
    if proc.returncode == 0:  # finished before the signal came
        assert len(pd.read_csv(out)) == 40_000
    else:
        assert proc.returncode == 143, err
        assert err.strip().splitlines() == [
            "error: terminated (SIGTERM); no partly written file was left"
        ]
        assert out.read_text() == "an earlier output\n"


def test_a_loop_of_symbolic_links_is_one_line(tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.symlink_to(b)
    b.symlink_to(a)
    assert_one_line_error(invoke("ingest", a, "-o", tmp_path / "o.csv"), "a.csv")
    assert_one_line_error(invoke("ingest", fixture("acled.csv"), "-o", a), "loop of symbolic links")
