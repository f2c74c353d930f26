"""The report's collector: figures, tables and numbers a notebook hands to the report."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from analysis.report import FigureStyleError, Section


def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


# ------------------------------------------------------------------ Section
def _labelled_fig(title="Incidents per year"):
    fig, ax = plt.subplots()
    ax.bar([2019, 2020], [3, 5])
    ax.set_title(title)
    ax.set_xlabel("year")
    ax.set_ylabel("incidents per year")
    return fig


def test_section_writes_figures_tables_numbers(tmp_path):
    df = pd.DataFrame({"date": pd.to_datetime(["2019-01-05", "2020-12-30"])})
    rep = Section("01_test", out=tmp_path, data=df, source="test data")
    assert rep.period == "5 Jan 2019 to 30 Dec 2020"
    rep.show(_labelled_fig(), "bars", "Two bars")
    assert (tmp_path / "figures" / "01_test-bars.png").stat().st_size > 1000
    svg = (tmp_path / "figures" / "01_test-bars.svg").read_text()
    assert "<svg" in svg and "Two bars. Source: test data; 5 Jan 2019 to 30 Dec 2020." in svg
    assert "dc:date" not in svg  # no time stamp: same figure, same bytes
    rep.table(pd.DataFrame({"a": [1, 2], "b": [0.5, 1 / 3]}), "tab", "A table")
    text = (tmp_path / "tables" / "01_test-tab.csv").read_text()
    assert text.splitlines() == ["a,b", "1,0.5", "2,0.3333333333"]
    rep.number("n", 3, "Three things")
    rep.number("nan", float("nan"), "Missing thing")
    saved = json.loads((tmp_path / "numbers" / "01_test.json").read_text())
    assert [n["text"] for n in saved["numbers"]] == ["3", "not available"]
    with pytest.raises(ValueError, match="used twice"):
        rep.table(pd.DataFrame({"a": [1]}), "tab")
    with pytest.raises(ValueError, match="lower-case"):
        rep.number("Bad Key", 1, "x")


def test_section_rejects_figures_without_title_or_labels(tmp_path):
    rep = Section("01_test", out=tmp_path)
    fig, ax = plt.subplots()
    ax.plot([1, 2], [3, 4])
    ax.set_xlabel("year")
    ax.set_ylabel("incidents")
    with pytest.raises(FigureStyleError, match="no title"):
        rep.show(fig, "untitled", "x")
    ax.set_title("T")
    ax.set_ylabel("")
    with pytest.raises(FigureStyleError, match="no y axis label"):
        rep.show(fig, "unlabelled", "x")
    assert not list((tmp_path / "figures").iterdir())


def test_section_figures_are_deterministic(tmp_path):
    a, b = Section("01_a", out=tmp_path / "a"), Section("01_a", out=tmp_path / "b")
    a.show(_labelled_fig(), "f", "Caption")
    b.show(_labelled_fig(), "f", "Caption")
    for ext in ("png", "svg"):
        assert _sha(tmp_path / "a" / "figures" / f"01_a-f.{ext}") == _sha(
            tmp_path / "b" / "figures" / f"01_a-f.{ext}"
        )


def test_attempt_records_rejected_data_and_shows_warnings(tmp_path):
    import warnings

    rep = Section("01_test", out=tmp_path)

    def too_short():
        raise ValueError("series too short: 5 months, need 24")

    def cautious():
        warnings.warn("only 12 tail points: fit unreliable", UserWarning, stacklevel=1)
        return 42

    assert rep.attempt("Model A", too_short) is None
    assert rep.attempt("Model B", cautious) == 42
    assert rep.skipped() == [
        {"what": "Model A", "error": "ValueError", "reason": "series too short: 5 months, need 24"}
    ]
    with pytest.raises(ZeroDivisionError):  # a bug is not a data problem
        rep.attempt("Model C", lambda: 1 / 0)
    saved = json.loads((tmp_path / "numbers" / "01_test.json").read_text())
    assert saved["skipped"][0]["what"] == "Model A"


def test_attempt_records_a_model_the_data_cannot_estimate(tmp_path):
    from analysis.errors import EstimationError

    rep = Section("01_test", out=tmp_path)

    def runaway():
        raise EstimationError("the Hawkes forecast is not estimable: too few events")

    assert rep.attempt("Forecast", runaway) is None
    assert rep.skipped()[0]["error"] == "EstimationError"


def test_section_interactive_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.delenv("ANALYSIS_REPORT_OUT", raising=False)
    monkeypatch.chdir(tmp_path)
    rep = Section("01_test")
    rep.show(_labelled_fig(), "f", "c")
    rep.table(pd.DataFrame({"a": [1]}), "t")
    assert not rep.saving and list(tmp_path.iterdir()) == []


# ------------------------------------------------------------------ inputs


def _executed(cells_outputs):
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_markdown_cell("# Attack frequency\n\nIntro."))
    for outputs in cells_outputs:
        c = nbformat.v4.new_code_cell("pass")
        c.outputs = [nbformat.v4.new_output("display_data", data=d, metadata={"analysis": m}) for d, m in outputs]
        nb.cells.append(c)
    return nb


def test_findings_lead_the_report_and_link_back(tmp_path):
    import nbformat

    from analysis.report.html import render_report

    finding = ({"text/markdown": "Attacks rose by 12% a year (95% CI 4% to 21%)."},
               {"kind": "finding", "anchor": "finding-02_frequency-trend", "key": "trend"})
    details = ({"text/plain": "coef  se\nconst 1.0 0.1"},
               {"kind": "details", "title": "Count model: full model output", "format": "text"})
    hostile = ({"text/markdown": "Perpetrator <script>alert(1)</script> & co"}, {"kind": "text"})
    p = tmp_path / "02_frequency.ipynb"
    nbformat.write(_executed([[finding], [details], [hostile]]), str(p))
    out = render_report([p], tmp_path / "report.html")
    doc = out.read_text()
    top = doc.index("Key findings")
    assert top < doc.index("id='finding-02_frequency-trend'")
    assert "href='#finding-02_frequency-trend'" in doc and "(Attack frequency)" in doc
    assert "<details class='raw'><summary>Count model: full model output</summary><pre>coef" in doc
    assert "<script>" not in doc and "&lt;script&gt;alert(1)&lt;/script&gt;" in doc
    assert "href='#key-findings'" in doc  # in the table of contents


def test_section_records_findings_details_and_not_estimable(tmp_path):
    rep = Section("02_frequency", out=tmp_path)
    rep.finding("trend", "Attacks fell.")
    with pytest.raises(ValueError, match="twice"):
        rep.finding("trend", "again")
    rep.details("Raw table", pd.DataFrame({"a": [1]}))
    rep.not_estimable("Seasonal profile", "no events in May")
    saved = json.loads((tmp_path / "numbers" / "02_frequency.json").read_text())
    assert saved["findings"] == [
        {"key": "trend", "text": "Attacks fell.", "anchor": "finding-02_frequency-trend"}
    ]
    assert saved["skipped"][0]["reason"] == "no events in May"
