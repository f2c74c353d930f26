"""Every report notebook, executed headless through papermill (via the report build) on
the bundled dataset and on a simulated dataset; plus the notebook/script pairing."""

from __future__ import annotations

import json
from pathlib import Path

import jupytext
import nbformat
import pytest

import analysis
from analysis import config
from analysis.report import NOTEBOOKS, build_report

#: Light parameters so that the whole module runs in a few minutes.
#: (19 is the smallest Monte Carlo size that gives a 95% interval, e.g. for permutation tests.)
LIGHT = {"n_sims": 19, "backtest_periods": 6}
PARAMETERS = ("data_paths", "perpetrator", "start", "end", "freq", "seed", "n_sims", "report_dir")


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_is_paired_and_parameterised(name):
    ipynb = config.NOTEBOOKS_DIR / f"{name}.ipynb"
    script = config.NOTEBOOKS_DIR / f"{name}.py"
    assert ipynb.is_file() and script.is_file()
    nb = nbformat.read(str(ipynb), as_version=4)
    paired = jupytext.read(script)
    assert nb.metadata["jupytext"]["formats"] == "ipynb,py:percent"
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    assert code == [c.source for c in paired.cells if c.cell_type == "code"], (
        f"{name}.ipynb and {name}.py differ: run `jupytext --sync notebooks/{name}.py`"
    )
    params = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1
    for p in PARAMETERS:
        assert f"\n{p} = " in "\n" + params[0].source, f"{name}: parameter {p} missing"
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")
    assert not any(c.get("outputs") for c in nb.cells if c.cell_type == "code"), (
        f"{name}.ipynb is committed with outputs; clear them"
    )


def _check_report(out: Path) -> dict:
    """Common checks of a full report; returns the manifest."""
    m = json.loads((out / "manifest.json").read_text())
    assert m["notebooks"] == list(NOTEBOOKS)
    summary = (out / "summary.md").read_text()
    for name in NOTEBOOKS:
        nb = nbformat.read(str(out / "notebooks" / f"{name}.ipynb"), as_version=4)
        errors = [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
        assert not errors, name
        figs = list((out / "figures").glob(f"{name}-*.png"))
        assert figs, f"{name} produced no figure"
        assert all((out / "figures" / f"{f.stem}.svg").is_file() for f in figs)
        assert f"## {name}" in summary
        assert m["timings_s"][name] > 0
    html = (out / "report.html").read_text()
    assert html.count("data:image/png;base64,") == len(list((out / "figures").glob("*.png")))
    return m


def test_full_report_on_bundled_dataset(tmp_path):
    if not config.BUNDLED_INCIDENTS.is_file():
        pytest.skip("bundled dataset not present")
    out = tmp_path / "reports"
    res = build_report(out=out, parameters=LIGHT, echo=None)
    m = _check_report(out)
    assert res.fingerprint == m["fingerprint"]
    assert list(m["inputs"]["data"]) == ["<bundled>/incidents.csv"]
    html = (out / "report.html").read_text()
    # the selection caveat is shown where it matters
    assert "curated set of notable attacks" in html
    for name in ("02_frequency", "03_seasonality"):
        text = "".join(
            c.source
            for c in nbformat.read(str(out / "notebooks" / f"{name}.ipynb"), as_version=4).cells
        )
        assert "notable attacks" in text, name
    # the severity section shows the low/best/high band
    assert (out / "tables" / "04_severity-tail_band.csv").is_file()


def test_full_report_on_simulated_dataset(tmp_path):
    """A dataset with known structure and enough events: every model must run (nothing
    skipped), and the estimates must point at the truth."""
    df = analysis.simulate_incidents(
        n_years=9, start="2016-01-01", base_rate=8, dispersion=0.2, seed=3
    )
    data = tmp_path / "sim.csv"
    df.to_csv(data, index=False)
    out = tmp_path / "reports"
    build_report(data, out=out, parameters=LIGHT, echo=None)
    m = _check_report(out)
    assert m["skipped"] == {}, m["skipped"]
    numbers = {
        n["key"]: n
        for s in NOTEBOOKS
        for n in json.loads((out / "numbers" / f"{s}.json").read_text())["numbers"]
    }
    assert numbers["incidents"]["value"] == len(df)
    # simulated seasonal peak in June (peak_month=6): the profile's peak is near it
    assert numbers["peak_month"]["value"] in ("May", "Jun", "Jul")
    assert float(numbers["lr_pvalue"]["value"]) < 0.01


def test_report_for_one_perpetrator_and_window(tmp_path):
    """--perpetrator/--start/--end reach every notebook (checked on the data section)."""
    df = analysis.simulate_incidents(n_years=4, start="2018-01-01", base_rate=10, seed=5)
    data = tmp_path / "sim.csv"
    df.to_csv(data, index=False)
    out = tmp_path / "r"
    build_report(
        data,
        perpetrator="ISKP",
        start="2019-01-01",
        end="2020-12-31",
        out=out,
        notebooks=["01_data"],
        parameters=LIGHT,
        echo=None,
    )
    nums = json.loads((out / "numbers" / "01_data.json").read_text())["numbers"]
    n = next(x for x in nums if x["key"] == "incidents")["value"]
    sel = df[(df["perpetrator"] == "ISKP") & df["date"].between("2019-01-01", "2020-12-31")]
    assert n == len(sel)
    assert "Perpetrator: ISKP" in (out / "summary.md").read_text()
