"""Build the report: run the notebooks headless, render, publish atomically.

Steps of :func:`build_report`:

1. Check the output folder (new, empty, or a previous report; never a folder of other
   files; a symlink is followed to its target), resolve the inputs and compute the fingerprint (SHA-256 of the data files, the
   notebooks and the ``analysis`` source, plus the parameters). With
   ``if_changed=True`` and a previous report whose manifest has the same fingerprint,
   stop here: nothing is run and nothing is written.
2. Load and validate the data once in this process, so that an unusable file or an
   empty selection fails before any kernel starts.
3. Create a temporary directory next to the output directory and execute the
   notebooks there in warm kernels side by side (:mod:`analysis.report.execute`),
   printing one progress line per notebook. A failing cell stops the build with
   :class:`ReportBuildError`, whose message names the notebook, the cell and the error;
   the partly executed notebook is kept in the system temp folder for inspection.
4. Render ``report.html`` and ``summary.md``, write ``manifest.json``.
5. Swap the temporary directory into place (an atomic ``renameat2(RENAME_EXCHANGE)``
   on Linux; elsewhere two renames with roll-back), then delete the old report.

A failed or interrupted build (an error, Ctrl-C or SIGTERM) removes its temporary
directory, shuts its kernels down and leaves the previous report exactly as it was. A lock file stops two builds into the same directory from
running at once (for example overlapping cron jobs).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import config
from ..errors import AnalysisError
from ..filecheck import regular_file
from .collect import read_numbers
from .inputs import _as_paths, load_report_data, source_label
from .manifest import (
    code_sha256,
    environment,
    file_sha256,
    fingerprint,
    git_commit,
    package_versions,
    read_manifest,
    write_manifest,
)
from .publish import check_out, lock, publish, resolve_out, terminate_raises

__all__ = ["DEFAULT_PARAMETERS", "NOTEBOOKS", "BuildResult", "ReportBuildError", "build_report"]

#: The report's notebooks, in order (stems of ``notebooks/*.ipynb``).
NOTEBOOKS = (
    "01_data", "02_frequency", "03_seasonality", "04_severity", "05_contagion_forecast", "06_spatial",
)
#: Notebook parameters that the CLI does not set.
DEFAULT_PARAMETERS: dict[str, Any] = {"freq": "MS", "seed": config.DEFAULT_SEED, "n_sims": 200}
HTML_NAME, SUMMARY_NAME = "report.html", "summary.md"


class ReportBuildError(AnalysisError, RuntimeError):
    """The build failed; the previous report (if any) is untouched.

    Attributes
    ----------
    notebook : str or None
        The notebook that failed, when a notebook failed.
    cell : int or None
        The 1-based index of the failing cell in the source notebook.
    """

    def __init__(self, message: str, *, notebook: str | None = None, cell: int | None = None):
        super().__init__(message)
        self.notebook, self.cell = notebook, cell


@dataclass(frozen=True)
class BuildResult:
    """What a build did: ``skipped`` (up to date) or built into ``out``."""

    out: Path
    skipped: bool
    fingerprint: str
    timings: Mapping[str, float] = field(default_factory=dict)
    manifest: Mapping[str, Any] = field(default_factory=dict)

    @property
    def html(self) -> Path:
        return self.out / HTML_NAME


def _display_path(p: Path) -> str:
    """How an input file is named in the manifest: stable whatever the working folder."""
    p = p.resolve()
    try:
        return "<bundled>/" + p.relative_to(config.DATA_DIR.resolve()).as_posix()
    except ValueError:
        return str(p)


# ---------------------------------------------------------------- notebooks
def _failed_cell(exc, nb_path: Path) -> tuple[int | None, str]:
    """(1-based cell number in the source notebook, first line of its source)."""
    try:
        import nbformat

        nb = nbformat.read(str(nb_path), as_version=4)
        index = None
        for i, cell in enumerate(nb.cells):
            if any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
                index = i
                break
        if index is None:
            index = getattr(exc, "cell_index", None)
        if index is None:
            return None, ""
        # cells the build adds
        added = {"injected-parameters", "papermill-error-cell-tag", "report-reset"}
        injected = sum(
            1 for c in nb.cells[:index] if added & set(c.get("metadata", {}).get("tags", []))
        )
        cell = nb.cells[index]
        first = next((ln for ln in cell.source.splitlines() if ln.strip()), "").strip()
        if cell.get("execution_count"):
            first = f"In [{cell['execution_count']}]: {first}"
        return index + 1 - injected, first
    except Exception:  # pragma: no cover - best effort only
        return getattr(exc, "cell_index", None), ""


#: Relative cost of each notebook when no earlier build says (heaviest first in the queue).
COST_HINT = {"04_severity": 4.0, "05_contagion_forecast": 4.0, "06_spatial": 3.0}


def _execute(
    names: Sequence[str],
    paths: Sequence[Path],
    parameters: Mapping[str, Any],
    tmp: Path,
    last: Mapping[str, Any] | None,
    say: Callable[[str], None],
) -> dict[str, float]:
    """Run the notebooks in warm kernels side by side; seconds per notebook, in order."""
    from .execute import NotebookFailure, NotebookJob, execute_notebooks

    before = (last or {}).get("timings_s", {})
    jobs = [
        NotebookJob(name, src, tmp / "notebooks" / src.name, float(before.get(name) or COST_HINT.get(name, 1.0)))
        for name, src in zip(names, paths, strict=True)
    ]
    n = len(jobs)
    order = {job.name: i for i, job in enumerate(jobs, 1)}

    def started(job):
        say(f"[{order[job.name]}/{n}] {job.name} ...")

    def done(job, seconds):
        say(f"[{order[job.name]}/{n}] {job.name} done in {seconds:.1f} s")
        for block in read_numbers(tmp, [job.name]):
            for s in block.get("skipped", []):
                say(f"    not estimated: {s['what']}: {s['reason']}")

    try:
        timings = execute_notebooks(jobs, parameters, cwd=tmp, on_start=started, on_done=done)
    except NotebookFailure as failure:
        raise _notebook_failure(failure.job.name, failure.error, failure.job.dst) from failure.error
    return {name: timings[name] for name in names}


def _echo(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def write_summary(out: Path, sections: Sequence[str], manifest: Mapping[str, Any]) -> Path:
    """``summary.md``: the key numbers each notebook recorded, without time stamps."""
    p = manifest["parameters"]
    lines = ["# Report summary", ""]
    for path, sha in manifest["inputs"]["data"].items():
        lines.append(f"- Data: `{path}` (sha256 `{sha[:16]}`)")
    lines += [
        f"- Perpetrator: {p.get('perpetrator') or 'all'}",
        f"- Window: {p.get('start') or 'first incident'} to {p.get('end') or 'last incident'}",
        f"- Frequency: {p.get('freq')}; seed: {p.get('seed')}; Monte Carlo size: {p.get('n_sims')}",
        "",
    ]
    for block in read_numbers(out, sections):
        lines += [f"## {block['section']}", ""]
        lines += [f"- {n['label']}: {n['text']}" for n in block["numbers"]]
        lines += [f"- Not estimated: {s['what']} ({s['reason']})" for s in block.get("skipped", [])]
        lines.append("")
    path = out / SUMMARY_NAME
    path.write_text("\n".join(lines).rstrip() + "\n", encoding="utf-8")
    return path


def build_report(
    data: str | Path | Sequence[str | Path] | None = None,
    *,
    perpetrator: str | None = None,
    start=None,
    end=None,
    out: str | Path | None = None,
    if_changed: bool = False,
    parameters: Mapping[str, Any] | None = None,
    notebooks: Sequence[str] | None = None,
    notebooks_dir: str | Path | None = None,
    echo: Callable[[str], None] | None = _echo,
) -> BuildResult:
    """Execute the report notebooks and publish the report into ``out``.

    Parameters
    ----------
    data : path or list of paths, optional
        Canonical incident files. Default: the bundled dataset.
    perpetrator : str, optional
        Analyse only this perpetrator (exact value of the ``perpetrator`` column).
    start, end : date-like, optional
        The analysis window (on the incident's best ``date``).
    out : path, optional
        The report directory (default ``reports/``). The build owns it: it is replaced
        as a whole.
    if_changed : bool
        Do nothing when the last manifest in ``out`` has the same fingerprint.
    parameters : mapping, optional
        Overrides of :data:`DEFAULT_PARAMETERS` (``freq``, ``seed``, ``n_sims``) or any
        other notebook parameter.
    notebooks, notebooks_dir
        Which notebooks to run (default :data:`NOTEBOOKS`, all five), and where they are
        (default ``notebooks/``).
    echo : callable or None
        Where progress lines go (stderr by default; None for silence).

    Returns
    -------
    BuildResult

    Raises
    ------
    ReportBuildError
        A notebook failed (the message names the notebook, cell and error) or the
        output cannot be written. The previous report is left untouched.
    analysis.DataFileError, analysis.report.ReportDataError
        The data cannot be used; raised before any notebook runs.
    """
    say = echo or (lambda _m: None)
    t_start = time.perf_counter()
    out = Path(out).absolute() if out is not None else config.reports_dir().absolute()
    target = resolve_out(out)
    check_out(target)
    plan = _plan(data, perpetrator, start, end, parameters, notebooks, notebooks_dir)
    if if_changed:
        last = read_manifest(target)
        if last and last.get("fingerprint") == plan.fingerprint and (target / HTML_NAME).is_file():
            say(f"report in {out} is up to date (same inputs and parameters); nothing to do")
            return BuildResult(out=out, skipped=True, fingerprint=plan.fingerprint, manifest=last)

    target.parent.mkdir(parents=True, exist_ok=True)
    with terminate_raises(), lock(target, ReportBuildError):
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.build-", dir=target.parent))
        try:
            manifest = _build_into(tmp, plan, target, out, say)
            manifest["timings_s"]["total"] = round(time.perf_counter() - t_start, 3)
            write_manifest(tmp, manifest)
            publish(tmp, target)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    timings = manifest["timings_s"]
    say(f"report written to {out / HTML_NAME} ({timings['total']:.1f} s)")
    return BuildResult(
        out=out, skipped=False, fingerprint=plan.fingerprint, timings=timings, manifest=manifest
    )


@dataclass(frozen=True)
class _Plan:
    """What a build will run: inputs, parameters and their fingerprint."""

    data_paths: list[Path]
    notebooks: tuple[str, ...]
    nb_paths: list[Path]
    params: dict[str, Any]
    inputs: dict[str, Any]
    fingerprint: str


def _plan(data, perpetrator, start, end, parameters, notebooks, notebooks_dir) -> _Plan:
    nb_dir = Path(notebooks_dir) if notebooks_dir is not None else config.NOTEBOOKS_DIR
    notebooks = tuple(NOTEBOOKS if notebooks is None else notebooks)
    data_paths = [p.absolute() for p in _as_paths(data)]
    for p in data_paths:  # a folder, FIFO or device is named as such, never opened
        regular_file(p)
    nb_paths = []
    for name in notebooks:
        p = nb_dir / f"{name}.ipynb"
        if not p.is_file():
            raise ReportBuildError(f"notebook {p} not found", notebook=name)
        nb_paths.append(p)
    params: dict[str, Any] = {**DEFAULT_PARAMETERS, **(parameters or {})}
    params.update(
        perpetrator=perpetrator or None,
        start=None if start in (None, "") else str(start),
        end=None if end in (None, "") else str(end),
    )
    inputs = {
        "data": {_display_path(p): file_sha256(p) for p in data_paths},
        "notebooks": {p.name: file_sha256(p) for p in nb_paths},
        "code": code_sha256(),
    }
    fp = fingerprint(inputs["data"], inputs["notebooks"], params, inputs["code"])
    return _Plan(data_paths, notebooks, nb_paths, params, inputs, fp)


def _build_into(tmp: Path, plan: _Plan, target: Path, out: Path, say) -> dict[str, Any]:
    """Validate the data, run the notebooks and render everything into ``tmp``."""
    p = plan.params
    # Validate once here so bad data fails before any kernel starts.
    df = load_report_data(
        plan.data_paths, perpetrator=p["perpetrator"], start=p["start"], end=p["end"],
        quarantine_dir=tmp / "quarantine",
    )
    selection, validation = dict(df.attrs["selection"]), list(df.attrs["validation"])
    del df
    n_bad = sum(int(v.get("rows_quarantined") or 0) for v in validation)
    if n_bad:
        say(
            f"warning: {n_bad} invalid rows set aside; they are listed, with the rules "
            f"they break, in {out / 'quarantine'} once the report is published"
        )
    nb_params = {
        **p,
        "data_paths": [str(x) for x in plan.data_paths],
        "report_dir": str(tmp),
        "source": source_label(plan.data_paths),
    }
    (tmp / "notebooks").mkdir()
    timings = _execute(plan.notebooks, plan.nb_paths, nb_params, tmp, read_manifest(target), say)
    t0 = time.perf_counter()
    manifest: dict[str, Any] = {
        "manifest_version": 1,
        "fingerprint": plan.fingerprint,
        "built_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "parameters": p,
        "inputs": plan.inputs,
        "selection": selection,
        "validation": validation,
        "notebooks": list(plan.notebooks),
        "versions": package_versions(),
        "git": git_commit(),
        "environment": environment(),
        "out": str(out),
    }
    from .html import render_report

    write_summary(tmp, list(plan.notebooks), manifest)
    render_report([tmp / "notebooks" / x.name for x in plan.nb_paths], tmp / HTML_NAME, manifest=manifest)
    timings["render"] = round(time.perf_counter() - t0, 3)
    manifest["timings_s"] = timings
    manifest["skipped"] = {
        b["section"]: b.get("skipped", [])
        for b in read_numbers(tmp, list(plan.notebooks))
        if b.get("skipped")
    }
    manifest["outputs"] = {
        rel: file_sha256(tmp / rel)
        for rel in sorted(
            x.relative_to(tmp).as_posix()
            for x in tmp.rglob("*")
            if x.is_file() and x.suffix in (".csv", ".png", ".svg", ".md")
        )
    }
    return manifest


def _notebook_failure(name: str, exc: Exception, executed: Path) -> ReportBuildError:
    """A :class:`ReportBuildError` naming the notebook and cell, keeping the notebook."""
    kept = None
    if executed.exists():
        kept = Path(tempfile.gettempdir()) / f"analysis-report-failed-{name}.ipynb"
        with contextlib.suppress(OSError):
            shutil.copyfile(executed, kept)
    cell, first = _failed_cell(exc, executed) if executed.exists() else (None, "")
    ename = getattr(exc, "ename", type(exc).__name__)
    evalue = getattr(exc, "evalue", str(exc))
    evalue = (evalue or "").strip().splitlines()
    where = f"cell {cell}" if cell is not None else "start-up"
    if first:
        where += f" ({first[:80]})"
    msg = f"notebook {name}.ipynb failed at {where}: {ename}: {evalue[0] if evalue else ''}"
    if len(evalue) > 1:
        msg += "\n  " + "\n  ".join(evalue[1:8])
    if kept is not None:
        msg += f"\n  the partly executed notebook is in {kept}"
    return ReportBuildError(msg, notebook=name, cell=cell)
