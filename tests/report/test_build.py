"""The report pipeline: collecting items, manifest, HTML, atomic publish, failure safety,
--if-changed and determinism. Builds here run only the data notebook (a few seconds);
tests/test_notebooks.py runs every notebook."""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

import matplotlib.pyplot as plt
import nbformat
import pandas as pd
import pytest
from typer.testing import CliRunner

import analysis
from analysis import config
from analysis.cli import app
from analysis.report import (
    ReportBuildError,
    ReportDataError,
    ReportOutputError,
    build_report,
    load_report_data,
)
from analysis.report import build as build_mod
from analysis.report import publish as publish_mod
from analysis.report.manifest import code_sha256, file_sha256

FAST = {"n_sims": 5}


def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def _tree(root: Path) -> dict[str, str]:
    """Every file under root with its hash (the state a failed build must not touch)."""
    return {p.relative_to(root).as_posix(): _sha(p) for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module", autouse=True)
def _frozen_code_hash():
    """Other work may edit the package while these tests run; hold the code hash fixed
    so that --if-changed decisions depend only on what each test changes."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(build_mod, "code_sha256", lambda: "0" * 64)
        yield


@pytest.fixture(scope="module")
def sim_csv(tmp_path_factory) -> Path:
    df = analysis.simulate_incidents(n_years=3, start="2019-01-01", base_rate=6, seed=7)
    p = tmp_path_factory.mktemp("data") / "sim.csv"
    df.to_csv(p, index=False)
    return p


@pytest.fixture(scope="module")
def built(tmp_path_factory, sim_csv):
    out = tmp_path_factory.mktemp("rep") / "report"
    res = build_report(sim_csv, out=out, notebooks=["01_data"], parameters=FAST, echo=None)
    return res


def test_source_exports_are_mapped_like_ingest(tmp_path):
    """A report takes GTD, ACLED, UCDP and RAND exports as they come, not only canonical
    files: each is mapped by its adapter, rows balance, and bad rows are quarantined."""
    from analysis.sources import read_source

    fixtures = Path(__file__).resolve().parents[1] / "fixtures" / "sources"
    for name, fmt in [("gtd_numeric.csv", "gtd"), ("acled.csv", "acled"), ("ucdp_ged.csv", "ucdp"),
                      ("rand.csv", "rand"), ("gtd_bad.csv", "gtd")]:
        q = tmp_path / name
        df = load_report_data(fixtures / name, quarantine_dir=q)
        v = df.attrs["validation"][0]
        assert v["format"] == fmt and v["rows_read"] == v["rows_accepted"] + v["rows_quarantined"]
        expected = read_source(fixtures / name, quarantine=tmp_path / f"{name}.q.csv")
        assert len(df) == v["rows_accepted"] == len(expected)
        assert v["rows_quarantined"] == expected.attrs["ingest"].rows_quarantined
    assert v["rows_quarantined"] > 0  # gtd_bad.csv: its bad rows are set aside, not fatal


def test_load_report_data_filters_and_checks(sim_csv):
    df = load_report_data(sim_csv, perpetrator="ISKP", start="2020-01-01", end="2020-12-31")
    assert len(df) > 0 and set(df["perpetrator"]) == {"ISKP"}
    assert df["date"].between("2020-01-01", "2020-12-31").all()
    assert df.attrs["selection"]["rows_selected"] == len(df)
    with pytest.raises(ReportDataError, match="Did you mean 'ISKP'"):
        load_report_data(sim_csv, perpetrator="iskp")
    with pytest.raises(ReportDataError, match="no incidents"):
        load_report_data(sim_csv, start="2030-01-01")
    with pytest.raises(ReportDataError, match="before start"):
        load_report_data(sim_csv, start="2020-01-01", end="2019-01-01")
    twice = load_report_data([sim_csv, sim_csv])  # the same file twice: each record once
    once = load_report_data(sim_csv)
    pd.testing.assert_frame_equal(twice, once)
    assert twice.attrs["selection"]["duplicates_dropped"] == len(once)


def test_load_report_data_refuses_different_records_under_one_id(sim_csv, tmp_path):
    other = pd.read_csv(sim_csv, dtype=str, keep_default_na=False)
    other.loc[0, "killed_best"] = str(int(other.loc[0, "killed_best"] or 0) + 1)
    other.loc[0, "killed_high"] = str(max(int(other.loc[0, "killed_high"] or 0), int(other.loc[0, "killed_best"])))
    other.loc[0, "source_event_id"] = "edited"
    path = tmp_path / "edited.csv"
    other.to_csv(path, index=False)
    with pytest.raises(ReportDataError, match="different records in more than one input file"):
        load_report_data([sim_csv, path])


# ------------------------------------------------------------------ the built report
def test_manifest_contents(built, sim_csv):
    m = json.loads((built.out / "manifest.json").read_text())
    assert m["fingerprint"] == built.fingerprint and len(m["fingerprint"]) == 64
    ((data_key, data_sha),) = m["inputs"]["data"].items()
    assert data_key.endswith("sim.csv") and data_sha == file_sha256(sim_csv)
    assert data_sha == hashlib.sha256(sim_csv.read_bytes()).hexdigest()
    nb = config.NOTEBOOKS_DIR / "01_data.ipynb"
    assert m["inputs"]["notebooks"] == {"01_data.ipynb": file_sha256(nb)}
    assert re.fullmatch(r"[0-9a-f]{64}", m["inputs"]["code"])  # the package source (frozen here)
    assert m["parameters"] == {
        "freq": "MS",
        "seed": config.DEFAULT_SEED,
        "n_sims": 5,
        "perpetrator": None,
        "start": None,
        "end": None,
    }
    for pkg in ("python", "numpy", "pandas", "statsmodels", "matplotlib", "papermill"):
        assert m["versions"][pkg]
    assert m["versions"]["pandas"] == pd.__version__
    commit = m["git"]["commit"]
    assert commit is None or re.fullmatch(r"[0-9a-f]{40}", commit)
    assert m["timings_s"]["01_data"] > 0 and m["timings_s"]["total"] >= m["timings_s"]["01_data"]
    assert m["selection"]["rows_selected"] == m["validation"][0]["rows_accepted"]
    assert m["notebooks"] == ["01_data"]
    # every exported file is listed with its hash
    for rel, sha in m["outputs"].items():
        assert _sha(built.out / rel) == sha
    assert "summary.md" in m["outputs"]
    assert any(r.startswith("figures/") and r.endswith(".svg") for r in m["outputs"])
    assert any(r.startswith("tables/") and r.endswith(".csv") for r in m["outputs"])


def test_report_outputs_and_html(built):
    out = built.out
    assert (out / "notebooks" / "01_data.ipynb").is_file()
    pngs = sorted((out / "figures").glob("*.png"))
    assert len(pngs) >= 3
    assert {p.stem for p in pngs} == {p.stem for p in (out / "figures").glob("*.svg")}
    html = (out / "report.html").read_text()
    imgs = re.findall(r"<img [^>]*src='([^']+)'", html)
    assert len(imgs) == len(pngs) and all(s.startswith("data:image/png;base64,") for s in imgs)
    assert "<script" not in html.lower()
    assert not re.search(r"""(src|href)=['"]https?://""", html)  # self-contained
    assert "open_section(" not in html and "import " not in html  # code hidden
    ids = set(re.findall(r"id=['\"]([^'\"]+)['\"]", html))
    toc = re.findall(r"<nav class='toc'>.*?</nav>", html, re.S)[0]
    links = re.findall(r"href='#([^']+)'", toc)
    assert links and set(links) <= ids
    summary = (out / "summary.md").read_text()
    assert "## 01_data" in summary and "Incidents analysed:" in summary
    assert "sim.csv" in summary


def test_cli_if_changed(built, sim_csv, monkeypatch):
    monkeypatch.setattr(build_mod, "NOTEBOOKS", ("01_data",))
    before = _tree(built.out)
    r = CliRunner().invoke(
        app,
        [
            "report",
            "--data",
            str(sim_csv),
            "--out",
            str(built.out),
            "--if-changed",
            "--n-sims",
            "5",
        ],
    )
    assert r.exit_code == 0, r.output
    assert "up to date" in r.output
    assert _tree(built.out) == before


def test_if_changed_does_nothing_when_inputs_match(built, sim_csv, tmp_path):
    before = _tree(built.out)
    again = build_report(
        sim_csv, out=built.out, notebooks=["01_data"], parameters=FAST, if_changed=True, echo=None
    )
    assert again.skipped and again.fingerprint == built.fingerprint
    assert _tree(built.out) == before
    # a different parameter or different data means a new fingerprint
    changed = build_mod.fingerprint(
        built.manifest["inputs"]["data"],
        built.manifest["inputs"]["notebooks"],
        {**built.manifest["parameters"], "seed": 1},
        built.manifest["inputs"]["code"],
    )
    assert changed != built.fingerprint
    other = tmp_path / "other.csv"
    lines = sim_csv.read_text().splitlines()
    other.write_text("\n".join(lines[:-1]) + "\n")
    rebuilt = build_report(
        other, out=built.out, notebooks=["01_data"], parameters=FAST, if_changed=True, echo=None
    )
    assert not rebuilt.skipped and rebuilt.fingerprint != built.fingerprint
    assert (
        _tree(built.out)["tables/01_data-validation.csv"] != before["tables/01_data-validation.csv"]
    )


def test_same_inputs_give_identical_tables_and_summary(built, sim_csv, tmp_path):
    second = build_report(
        sim_csv, out=tmp_path / "second", notebooks=["01_data"], parameters=FAST, echo=None
    )
    a = built.manifest["outputs"]  # as first built (a later test may rebuild built.out)
    b = second.manifest["outputs"]
    assert a == b  # tables, summary, PNG and SVG figures: byte-identical


# ------------------------------------------------------------------ failure safety
def _broken_notebooks(tmp_path: Path) -> Path:
    d = tmp_path / "nbs"
    d.mkdir()
    nb = nbformat.read(str(config.NOTEBOOKS_DIR / "01_data.ipynb"), as_version=4)
    nb.cells.insert(4, nbformat.v4.new_code_cell('raise RuntimeError("injected failure")'))
    nbformat.write(nb, str(d / "01_data.ipynb"))
    return d


def test_failed_build_keeps_previous_report(built, sim_csv, tmp_path, monkeypatch):
    before = _tree(built.out)
    nbs = _broken_notebooks(tmp_path)
    with pytest.raises(ReportBuildError) as info:
        build_report(
            sim_csv,
            out=built.out,
            notebooks=["01_data"],
            notebooks_dir=nbs,
            parameters=FAST,
            echo=None,
        )
    msg = str(info.value)
    assert "notebook 01_data.ipynb failed at cell 5" in msg
    assert "RuntimeError: injected failure" in msg
    assert info.value.notebook == "01_data" and info.value.cell == 5
    assert _tree(built.out) == before
    leftovers = [
        p.name for p in built.out.parent.iterdir() if ".build-" in p.name or ".old-" in p.name
    ]
    assert leftovers == []

    # the same through the CLI: exit code 1, message on stderr, report untouched
    monkeypatch.setattr(config, "NOTEBOOKS_DIR", nbs)
    monkeypatch.setattr(build_mod, "NOTEBOOKS", ("01_data",))
    r = CliRunner().invoke(app, ["report", "--data", str(sim_csv), "--out", str(built.out)])
    assert r.exit_code == 1
    assert "01_data.ipynb failed at cell 5" in r.output and "injected failure" in r.output
    assert _tree(built.out) == before


def test_bad_data_fails_before_running_and_keeps_report(built, tmp_path):
    before = _tree(built.out)
    runner = CliRunner()
    missing = tmp_path / "nope.csv"
    r = runner.invoke(app, ["report", "--data", str(missing), "--out", str(built.out)])
    assert r.exit_code == 2 and "nope.csv" in r.output
    for kind, path in (("a folder", tmp_path), ("a FIFO", tmp_path / "fifo.csv")):
        if kind == "a FIFO":
            os.mkfifo(path)
        r = runner.invoke(app, ["report", "--data", str(path), "--out", str(built.out)])
        assert r.exit_code == 2 and kind in r.output  # named, never opened (no hang)
    r = runner.invoke(app, ["report", "--perpetrator", "Talib", "--out", str(built.out)])
    assert r.exit_code == 2 and "unknown perpetrator" in r.output
    r = runner.invoke(app, ["report", "--start", "last year", "--out", str(built.out)])
    assert r.exit_code == 2 and "not a date" in r.output
    assert _tree(built.out) == before


def test_notebook_parameter_error_names_notebook(sim_csv, tmp_path):
    out = tmp_path / "r"
    with pytest.raises(ReportBuildError, match=r"notebook 02_frequency.ipynb failed at cell \d+"):
        build_report(
            sim_csv,
            out=out,
            notebooks=["02_frequency"],
            parameters={**FAST, "freq": "fortnightly"},
            echo=None,
        )
    assert not out.exists()


# ------------------------------------------------------------------ publishing
@pytest.mark.parametrize("atomic_exchange", [True, False])
def test_publish_replaces_old_report(tmp_path, monkeypatch, atomic_exchange):
    if not atomic_exchange:
        monkeypatch.setattr(publish_mod, "_exchange", lambda a, b: False)
    out, new = tmp_path / "reports", tmp_path / ".reports.build-x"
    out.mkdir()
    (out / "manifest.json").write_text(json.dumps({"manifest_version": 1, "fingerprint": "x"}))
    new.mkdir()
    (new / "report.html").write_text("new")
    publish_mod.publish(new, out)
    assert _tree(out) == {"report.html": hashlib.sha256(b"new").hexdigest()}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["reports"]


def test_out_folder_of_other_files_is_refused_untouched(sim_csv, tmp_path):
    mine = tmp_path / "thesis"
    mine.mkdir()
    (mine / "thesis.docx").write_bytes(b"years of work")
    (mine / "notes").mkdir()
    (mine / "notes" / "n.txt").write_text("keep")
    before = _tree(mine)
    with pytest.raises(ReportOutputError, match="does not hold a report"):
        build_report(sim_csv, out=mine, notebooks=["01_data"], parameters=FAST, echo=None)
    r = CliRunner().invoke(app, ["report", "--data", str(sim_csv), "--out", str(mine)])
    assert r.exit_code == 2 and "thesis" in r.output
    assert _tree(mine) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["thesis"]


def test_out_that_is_a_file_is_refused(sim_csv, tmp_path):
    f = tmp_path / "report.txt"
    f.write_text("mine")
    r = CliRunner().invoke(app, ["report", "--data", str(sim_csv), "--out", str(f)])
    assert r.exit_code == 2 and "not a folder" in r.output
    assert f.read_text() == "mine"


def test_empty_out_folder_is_accepted(built, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    publish_mod.check_out(empty)
    publish_mod.check_out(built.out)  # a previous report
    publish_mod.check_out(tmp_path / "new")


def test_symlinked_out_stays_a_link(built, sim_csv, tmp_path):
    target = tmp_path / "real"
    link = tmp_path / "link"
    link.symlink_to(target, target_is_directory=True)
    res = build_report(sim_csv, out=link, notebooks=["01_data"], parameters=FAST, echo=None)
    assert link.is_symlink() and link.resolve() == target.resolve()
    assert (target / "report.html").is_file() and res.html == link / "report.html"
    # rebuilding through the link replaces the target's report and keeps the link
    build_report(sim_csv, out=link, notebooks=["01_data"], parameters={**FAST, "seed": 3}, echo=None)
    assert link.is_symlink() and (target / "report.html").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == [".real.lock", "link", "real"]


def test_lock_is_taken_on_the_resolved_path(tmp_path):
    target = tmp_path / "real"
    link = tmp_path / "link"
    link.symlink_to(target, target_is_directory=True)
    assert publish_mod.resolve_out(link) == target.resolve()
    with publish_mod.lock(publish_mod.resolve_out(target), ReportBuildError):
        with pytest.raises(ReportBuildError, match="another report build"):
            with publish_mod.lock(publish_mod.resolve_out(link), ReportBuildError):
                pass


def test_code_hash_tracks_package_source(tmp_path):
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "a.py").write_text("x = 1\n")
    h1 = code_sha256(pkg)
    (pkg / "a.py").write_text("x = 2\n")
    assert code_sha256(pkg) != h1
    (pkg / "notes.txt").write_text("not code")
    assert code_sha256(pkg) == code_sha256(pkg)


def test_invalid_rows_are_quarantined_and_reported(sim_csv, tmp_path):
    df = pd.read_csv(sim_csv)
    df.loc[3, "province"] = "Atlantis"
    bad_id = df.loc[3, "incident_id"]
    data = tmp_path / "with_bad_row.csv"
    df.to_csv(data, index=False)
    out = tmp_path / "r"
    res = build_report(data, out=out, notebooks=["01_data"], parameters=FAST, echo=None)
    q = list((out / "quarantine").glob("*.csv"))
    assert len(q) == 1 and bad_id in q[0].read_text()
    assert res.manifest["validation"][0]["rows_quarantined"] == 1
    assert "- Rows quarantined by validation: 1" in (out / "summary.md").read_text()
    table = pd.read_csv(out / "tables" / "01_data-validation.csv")
    assert table.loc[0, "rows_accepted"] == len(df) - 1


def test_province_map_draws_user_boundaries(tmp_path):
    from matplotlib.collections import PolyCollection

    from analysis import plotting
    from analysis.report import tables

    gj = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [
                        [[69.0, 34.3], [69.5, 34.3], [69.5, 34.8], [69.0, 34.8], [69.0, 34.3]]
                    ],
                },
            },
            {
                "type": "Feature",
                "geometry": {
                    "type": "MultiPolygon",
                    "coordinates": [[[[70.0, 34.0], [71.0, 34.0], [71.0, 35.0], [70.0, 34.0]]]],
                },
            },
        ],
    }
    path = tmp_path / "b.geojson"
    path.write_text(json.dumps(gj))
    df = analysis.simulate_incidents(n_years=2, base_rate=5, seed=2)
    counts = tables.province_counts(df)
    assert len(counts) == 34 and counts["incidents"].sum() == len(df)
    ax = plotting.province_bubble_map(counts, boundaries=path)
    polys = [c for c in ax.collections if isinstance(c, PolyCollection)]
    assert len(polys) == 1 and len(polys[0].get_paths()) == 2
    plt.close(ax.figure)
    bad = tmp_path / "points.geojson"
    bad.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {"type": "Feature", "geometry": {"type": "Point", "coordinates": [69, 34]}}
                ],
            }
        )
    )
    with pytest.raises(ValueError, match="no Polygon"):
        plotting.province_bubble_map(counts, boundaries=bad)


@pytest.mark.parametrize("sig", ["SIGTERM", "SIGINT"])
def test_killed_build_leaves_no_debris_and_keeps_previous_report(built, sim_csv, tmp_path, sig):
    """A real ``python -m analysis report`` killed while its notebooks run."""
    import shutil
    import signal
    import subprocess
    import sys
    import time

    out = tmp_path / "report"
    shutil.copytree(built.out, out)
    before = _tree(out)
    proc = subprocess.Popen(
        [sys.executable, "-m", "analysis", "report", "--data", str(sim_csv), "--out", str(out),
         "--n-sims", "5"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:  # wait until a kernel is executing a notebook
        builds = list(tmp_path.glob(".report.build-*/notebooks"))
        if builds or proc.poll() is not None:
            break
        time.sleep(0.1)
    assert proc.poll() is None, proc.communicate()[0]
    time.sleep(1.5)
    proc.send_signal(getattr(signal, sig))
    output, _ = proc.communicate(timeout=60)
    assert proc.returncode == (143 if sig == "SIGTERM" else 130), output
    assert "previous report is unchanged" in output
    assert "Traceback" not in output
    assert sorted(p.name for p in tmp_path.iterdir()) == [".report.lock", "report"]
    assert _tree(out) == before
    # the lock was released: a new build may start at once
    with publish_mod.lock(out, ReportBuildError):
        pass

