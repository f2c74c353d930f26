"""Notebook parameters reach the kernel as Python literals, never as code: a value from
the command line (``--perpetrator``, a data path) that holds quotes, backslashes, line
breaks or Python code comes back equal when the injected cell is read as literals."""

from __future__ import annotations

import ast

from analysis import config
from analysis.report.execute import NotebookJob, _prepare

HOSTILE = [
    'x"); import os; os.system("echo owned"); ("',
    "x'''; __import__('os').system('id') #",
    "a\\\"b\\\\\n\r\t\x00 end",
    "=HYPERLINK(\"http://example.invalid\")",
    "{0.__class__}",
]


def test_parameters_are_injected_as_literals(tmp_path):
    params = {
        "perpetrator": HOSTILE[0],
        "data_paths": [str(tmp_path / h.replace("\x00", "")) for h in HOSTILE],
        "source": HOSTILE[1],
        "start": HOSTILE[2],
        "end": None,
        "seed": 7,
        "n_sims": 200,
        "notes": {"k": HOSTILE[3], "f": HOSTILE[4]},
    }
    job = NotebookJob("01_data", config.NOTEBOOKS_DIR / "01_data.ipynb", tmp_path / "out.ipynb")
    nb = _prepare(job, params)
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1
    assigned = {}
    for node in ast.parse(injected[0].source).body:  # comments aside, only assignments
        assert isinstance(node, ast.Assign) and len(node.targets) == 1, ast.dump(node)
        assigned[node.targets[0].id] = ast.literal_eval(node.value)  # raises for anything but a literal
    assert assigned == params
