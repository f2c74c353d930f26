"""``python -m analysis ingest``: several inputs in several formats, one canonical file,
the exit codes of ``validate``."""

from __future__ import annotations

import pandas as pd
from typer.testing import CliRunner

import analysis
from analysis.cli import EXIT_OK, EXIT_ROWS_REJECTED, EXIT_UNUSABLE, app

from .sources._sources import fixture

runner = CliRunner()


def test_mixed_formats_to_parquet(tmp_path):
    out = tmp_path / "all.parquet"
    res = runner.invoke(app, ["ingest", str(fixture("gtd_numeric.csv")), str(fixture("acled.csv")), "-o", str(out)])
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
    res = runner.invoke(app, ["ingest", str(fixture("rand.csv")), str(fixture("ucdp_ged.csv")), "-o", str(out), "--quarantine", str(q)])
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
    res = runner.invoke(app, ["ingest", str(fixture("acled.csv")), str(bad), "-o", str(tmp_path / "o.csv")])
    assert res.exit_code == EXIT_UNUSABLE
    assert "x.csv" in res.output
    res = runner.invoke(app, ["ingest", str(fixture("acled.csv")), "-o", str(tmp_path / "o.xlsx")])
    assert res.exit_code == EXIT_UNUSABLE
    res = runner.invoke(app, ["ingest", str(fixture("acled.csv")), "--format", "gdelt", "-o", str(tmp_path / "o.csv")])
    assert res.exit_code == EXIT_UNUSABLE and "unknown format" in res.output
