"""The ``fetch`` command group: glossary names for every option, and a friendly message
when the optional dependencies are missing."""

from __future__ import annotations

import sys

import typer.main
from typer.testing import CliRunner

import analysis
from analysis.cli import app

from ..test_glossary import SYNONYMS


def test_fetch_options_use_glossary_names():
    group = typer.main.get_command(app).commands["fetch"]
    assert set(group.commands) == {"ucdp", "acled"}
    for name, cmd in group.commands.items():
        words = {o.lstrip("-").replace("-", "_") for p in cmd.params for o in p.opts}
        assert {"store", "country", "start", "end", "quarantine", "progress", "api_url"} <= words, name
        assert not words & set(SYNONYMS), f"fetch {name} uses synonyms: {words & set(SYNONYMS)}"


def test_a_missing_extra_is_one_line_naming_it(monkeypatch, tmp_path):
    for mod in [m for m in sys.modules if m == "analysis.fetch" or m.startswith("analysis.fetch.")]:
        monkeypatch.delitem(sys.modules, mod)
    monkeypatch.delattr(analysis, "fetch", raising=False)
    monkeypatch.setitem(sys.modules, "stamina", None)  # as if not installed
    r = CliRunner().invoke(app, ["fetch", "ucdp", "--store", str(tmp_path / "u.parquet")])
    assert r.exit_code == 2 and r.output.count("\n") == 1
    assert "pip install 'afghan-violence-analysis[fetch]'" in r.output
