"""One name per concept: the glossary in docs/api.md is enforced here.

Walks every public function and result class reachable from ``analysis`` (the
advertised ``__all__`` and the classes re-exported beside it), the command-line
options and the notebooks' parameter cells, and fails when a parameter uses a synonym
of a glossary name.
"""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

import pytest

import analysis
from analysis import config

#: synonym -> the glossary name to use instead (docs/api.md)
SYNONYMS = {
    **dict.fromkeys(["df", "frame", "incidents"], "data"),
    **dict.fromkeys(["measure", "column", "col", "count_column"], "value"),
    **dict.fromkeys(["since", "until", "begin", "stop", "from_date", "to_date"], "start/end"),
    **dict.fromkeys(["ci", "level", "confidence", "conf"], "conf_level"),
    **dict.fromkeys(
        ["n_boot", "n_draws", "n_samples", "n_sim", "nsim", "n_reps", "n_bootstrap", "n_replicates"],
        "n_sims",
    ),
    **dict.fromkeys(["random_state", "rng", "random_seed"], "seed"),
    **dict.fromkeys(["verbose", "show_progress", "progress_bar"], "progress"),
    **dict.fromkeys(["x_min", "threshold"], "xmin"),
    **dict.fromkeys(["trend_df", "trend_degree"], "trend"),
    **dict.fromkeys(["n_harmonics", "fourier_terms"], "harmonics"),
    **dict.fromkeys(["season_length"], "period"),
    **dict.fromkeys(["steps"], "horizon"),
    **dict.fromkeys(["offset"], "exposure"),
    **dict.fromkeys(["output", "dest"], "out"),
    **dict.fromkeys(["backend", "impl"], "engine"),
    **dict.fromkeys(["random_seed"], "seed"),
    **dict.fromkeys(["groupby"], "by"),
}


def _public_callables():
    names = sorted(set(analysis.__all__) | set(analysis._ALSO))
    for name in names:
        obj = getattr(analysis, name)
        if inspect.isfunction(obj):
            yield name, obj
        elif inspect.isclass(obj) and not issubclass(obj, BaseException | Warning):
            for meth_name, meth in inspect.getmembers(obj, inspect.isfunction):
                if meth_name.startswith("_") or meth.__qualname__.split(".")[0] == "object":
                    continue
                yield f"{name}.{meth_name}", meth


CALLABLES = list(_public_callables())


def test_walks_the_whole_public_api():
    walked = {n.split(".")[0] for n, _ in CALLABLES}
    assert {"fit_frequency", "fit_hawkes", "build_report", "incident_counts"} <= walked
    assert len(CALLABLES) > 40


@pytest.mark.parametrize("name,func", CALLABLES, ids=[n for n, _ in CALLABLES])
def test_parameters_use_glossary_names(name, func):
    bad = {
        p: SYNONYMS[p] for p in inspect.signature(func).parameters if p in SYNONYMS
    }
    assert not bad, f"{name} uses synonyms: " + ", ".join(f"{k} -> {v}" for k, v in bad.items())


def test_cli_options_use_glossary_names():
    import typer.main

    from analysis.cli import app

    cmd = typer.main.get_command(app)
    bad = []
    for sub_name, sub in cmd.commands.items():
        for param in sub.params:
            if getattr(param, "param_type_name", "") != "option":
                continue
            for opt in param.opts:
                word = opt.lstrip("-").replace("-", "_")
                if word in SYNONYMS:
                    bad.append(f"{sub_name} {opt} -> --{SYNONYMS[word].replace('_', '-')}")
    assert not bad, "CLI options use synonyms: " + "; ".join(bad)


def _parameter_names(script: Path) -> list[str]:
    text = script.read_text(encoding="utf-8")
    m = re.search(r"# %% tags=\[\"parameters\"\]\n(.*?)(?=\n# %%)", text, re.S)
    assert m, f"{script.name} has no parameters cell"
    tree = ast.parse(m.group(1))
    return [t.id for node in tree.body if isinstance(node, ast.Assign) for t in node.targets
            if isinstance(t, ast.Name)]


@pytest.mark.parametrize("script", sorted(config.NOTEBOOKS_DIR.glob("*.py")), ids=lambda p: p.stem)
def test_notebook_parameters_use_glossary_names(script):
    bad = [f"{n} -> {SYNONYMS[n]}" for n in _parameter_names(script) if n in SYNONYMS]
    assert not bad, f"{script.name} parameters use synonyms: " + ", ".join(bad)


def test_glossary_document_lists_every_canonical_name():
    text = (Path(__file__).resolve().parents[1] / "docs" / "api.md").read_text(encoding="utf-8")
    for canonical in set(SYNONYMS.values()):
        for word in canonical.split("/"):
            assert f"`{word}`" in text, f"docs/api.md does not define {word}"
