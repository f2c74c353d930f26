"""Command-line interface: ``python -m analysis COMMAND``.

Exit codes shared by the data commands (validate, ingest, draft):

* 0 - every row is valid;
* 1 - rows were quarantined or rejected;
* 2 - nothing could be done: an input cannot be used (missing, a folder or a FIFO, not
  CSV or Parquet, binary, a damaged ``.gz``, undecodable, cut short, required columns
  missing) or an output path is refused (it is an input, or another output, or not a
  regular file). One line on stderr names the file and the problem; paths are checked
  before anything is read or written.

These commands are meant to run unattended (cron, scripts): they never show a
traceback, warnings come as one ``warning:`` line each, and SIGTERM or Ctrl-C (exit
143 or 130) leave no temporary file behind: each output is either the earlier file, as
it was, or the new one, complete.
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Statistical analysis of insurgent and terrorist violence in Afghanistan.",
    pretty_exceptions_enable=False,
)

EXIT_OK, EXIT_ROWS_REJECTED, EXIT_UNUSABLE = 0, 1, 2


@app.callback()
def _root() -> None:
    """Statistical analysis of insurgent and terrorist violence in Afghanistan."""


def fail(message: str, code: int = EXIT_UNUSABLE) -> None:
    """Print a one-line error to stderr and exit with ``code``."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def _one_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


@contextlib.contextmanager
def _warnings_as_lines() -> Iterator[None]:
    """Show the package's warnings as one ``warning:`` line each on stderr."""
    from .errors import AnalysisWarning

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", AnalysisWarning)
        try:
            yield
        finally:
            seen = dict.fromkeys(
                _one_line(w.message) for w in caught if issubclass(w.category, AnalysisWarning)
            )
            for message in seen:
                typer.echo(f"warning: {message}", err=True)


class _Terminated(BaseException):
    """SIGTERM arrived during a data command (raised so that temporary files go)."""


@contextlib.contextmanager
def unattended() -> Iterator[None]:
    """Run a data command so that it ends with one clear line and exit code, never a
    traceback: SIGTERM raises (so temporary files are removed), the package's errors
    exit 2 with their message, and anything unexpected exits 2 as an internal error."""
    from .errors import AnalysisError
    from .io import sigterm_raises

    try:
        with sigterm_raises(_Terminated), _warnings_as_lines():
            yield
    except typer.Exit:
        raise
    except AnalysisError as exc:
        fail(_one_line(exc))
    except _Terminated:
        fail("terminated (SIGTERM); no partly written file was left", code=143)
    except KeyboardInterrupt:
        fail("interrupted; no partly written file was left", code=130)
    except OSError as exc:
        fail(f"{exc.filename or ''}: {exc.strerror or _one_line(exc)}".lstrip(": "))
    except Exception as exc:  # a bug: still one line for an unattended run
        fail(
            f"internal error ({type(exc).__name__}: {_one_line(exc)[:200]}); please report this bug"
        )


def check_output_paths(inputs: list[Path], outputs: list[tuple[str, Path | None]]) -> None:
    """Refuse, before anything is read, an output that is an input, another output, or
    an existing folder, FIFO or device; exit 2."""
    from .errors import InputError
    from .io import check_paths

    try:
        check_paths(inputs, outputs)
    except InputError as exc:
        fail(_one_line(exc))


@app.command()
def validate(
    path: Annotated[Path, typer.Argument(help="CSV or Parquet file in the canonical schema.")],
    quarantine: Annotated[
        Path | None,
        typer.Option("--quarantine", "-q", help="Write invalid rows here, with reasons."),
    ] = None,
) -> None:
    """Validate an incident file: rows read, accepted, quarantined, and failures per rule."""
    with unattended():
        check_output_paths([path], [("--quarantine", quarantine)])
        _validate(path, quarantine)


def _row_label(row: object) -> str:
    """A report's row number as text: ``"?"`` when it is missing (NaN, NA)."""
    import pandas as pd

    return "?" if pd.isna(row) else str(int(row))


def _validate(path: Path, quarantine: Path | None) -> None:
    from .io import write_quarantine
    from .loading import validate_file

    outcome = validate_file(path)
    typer.echo(outcome.summary())
    if not outcome.n_quarantined:
        raise typer.Exit(EXIT_OK)
    if quarantine is not None:
        try:
            write_quarantine(outcome.quarantined, quarantine)
        except OSError as exc:
            fail(f"{quarantine}: cannot write quarantine file ({exc.strerror})")
        typer.echo(f"  quarantined rows written to {quarantine}")
    else:
        for r in outcome.report.head(20).itertuples(index=False):
            typer.echo(f"  row {_row_label(r.row)} [{r.incident_id}] {r.column or 'row'}: {r.rule}")
        if len(outcome.report) > 20:
            typer.echo(f"  ... {len(outcome.report) - 20} more (use --quarantine OUT to keep them)")
    raise typer.Exit(EXIT_ROWS_REJECTED)


@app.command()
def report(
    data: Annotated[
        list[Path] | None,
        typer.Option(
            "--data", help="Incident file (CSV/Parquet): canonical, or a GTD, ACLED, UCDP or RAND export; repeat for several. Default: bundled."
        ),
    ] = None,
    perpetrator: Annotated[
        str | None, typer.Option("--perpetrator", help="Analyse one perpetrator, e.g. ISKP.")
    ] = None,
    start: Annotated[str | None, typer.Option("--start", help="First date, YYYY-MM-DD.")] = None,
    end: Annotated[str | None, typer.Option("--end", help="Last date, YYYY-MM-DD.")] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Report directory (replaced as a whole). Default: reports/."),
    ] = None,
    if_changed: Annotated[
        bool,
        typer.Option("--if-changed", help="Do nothing if inputs and parameters are unchanged."),
    ] = False,
    seed: Annotated[int | None, typer.Option("--seed", help="Random seed.")] = None,
    n_sims: Annotated[
        int | None,
        typer.Option("--n-sims", help="Monte Carlo size (bootstrap replicates, simulations)."),
    ] = None,
) -> None:
    """Run the notebooks headless and publish the HTML report, figures, tables, summary and manifest.

    The report is built in a temporary directory and moved into place only on success; a
    failed run leaves the previous report untouched and exits 1 naming the notebook and
    cell. Unusable data exits 2. Cron example (rebuild nightly only when inputs changed):
    ``0 3 * * * cd /path/to/repo && .venv/bin/python -m analysis report --if-changed >> reports.log 2>&1``
    """
    import pandas as pd

    from .errors import DataFileError
    from .report import (
        BuildInterrupted,
        ReportBuildError,
        ReportDataError,
        ReportOutputError,
        build_report,
    )
    from .validation import IncidentValidationError

    params = {}
    if seed is not None:
        params["seed"] = seed
    if n_sims is not None:
        params["n_sims"] = n_sims
    for label, value in (("--start", start), ("--end", end)):
        if value is not None:
            try:
                pd.Timestamp(value)
            except ValueError:
                fail(f"{label} {value!r} is not a date; use YYYY-MM-DD")
    try:
        with _warnings_as_lines():
            build_report(
                data or None,
                perpetrator=perpetrator,
                start=start,
                end=end,
                out=out,
                if_changed=if_changed,
                parameters=params,
            )
    except (DataFileError, IncidentValidationError, ReportDataError, ReportOutputError) as exc:
        fail(str(exc))
    except ReportBuildError as exc:
        fail(str(exc), code=1)
    except BuildInterrupted:
        fail("terminated (SIGTERM); the previous report is unchanged", code=143)
    except KeyboardInterrupt:
        fail("interrupted; the previous report is unchanged", code=130)


@app.command()
def ingest(
    inputs: Annotated[
        list[Path],
        typer.Argument(
            help="GTD, ACLED, UCDP GED, RAND or canonical exports (CSV or Parquet), in any mix."
        ),
    ],
    out: Annotated[
        Path, typer.Option("--out", "-o", help="The combined canonical file: .csv or .parquet.")
    ],
    format: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="gtd, acled, ucdp, rand or canonical (default: detected per file).",
        ),
    ] = None,
    quarantine: Annotated[
        Path | None,
        typer.Option(
            "--quarantine", "-q", help="Write rows that cannot be mapped here, with reasons."
        ),
    ] = None,
    mapping: Annotated[
        Path | None,
        typer.Option(
            "--mapping", help='Your own layout: a JSON file {"canonical name": "your column", ...}.'
        ),
    ] = None,
    dayfirst: Annotated[
        bool, typer.Option("--dayfirst", help="With --mapping: read 03/04/2021 as 3 April.")
    ] = False,
    victims_only: Annotated[
        bool,
        typer.Option(
            "--victims-only", help="Leave out the perpetrators killed where the source gives them."
        ),
    ] = False,
) -> None:
    """Map source exports to one canonical incident file: rows in, mapped, quarantined, totals.

    Without --quarantine, rows that cannot be mapped or validated exit 1 and nothing is written.

    With --quarantine, the valid rows go to OUTPUT and the others to the quarantine file.

    A record that an earlier input already holds is kept once; the summary counts the
    duplicates dropped.
    """
    with unattended():
        check_output_paths(list(inputs), [("--out", out), ("--quarantine", quarantine)])
        if out.suffix.lower() not in (".csv", ".parquet", ".pq"):
            fail(f"{out}: the output must end in .csv or .parquet")
        _ingest(inputs, out, format, quarantine, mapping, dayfirst, victims_only)


def _ingest(
    inputs: list[Path],
    out: Path,
    format: str | None,
    quarantine: Path | None,
    mapping: Path | None,
    dayfirst: bool,
    victims_only: bool,
) -> None:
    from .io import write_incidents, write_quarantine
    from .sources import ingest_files

    layout = read_mapping(mapping) if mapping is not None else None
    outcome = ingest_files(
        inputs, format, victims_only=victims_only, mapping=layout, dayfirst=dayfirst
    )
    for s in outcome.valid.attrs.get("ingest_files", []):
        typer.echo(s.summary())
    if len(inputs) > 1:
        typer.echo(outcome.summary.summary())
    rejected = outcome.summary.rows_quarantined > 0
    if rejected and quarantine is None:
        for r in outcome.report.head(20).itertuples(index=False):
            typer.echo(f"  {r.source_file} row {_row_label(r.row)}: {r.column or 'row'}: {r.rule}")
        if len(outcome.report) > 20:
            typer.echo(f"  ... {len(outcome.report) - 20} more")
        typer.echo(
            "  nothing written: use --quarantine FILE to keep the valid rows and set these aside"
        )
        raise typer.Exit(EXIT_ROWS_REJECTED)
    try:
        write_incidents(outcome.valid, out)
        if quarantine is not None:
            write_quarantine(outcome.quarantined, quarantine)
    except OSError as exc:
        fail(f"cannot write output ({exc.strerror}: {exc.filename})")
    typer.echo(f"  {outcome.summary.rows_mapped} rows written to {out}")
    if rejected:
        typer.echo(f"  {outcome.summary.rows_quarantined} rows quarantined in {quarantine}")
        raise typer.Exit(EXIT_ROWS_REJECTED)
    raise typer.Exit(EXIT_OK)


def read_mapping(path: Path) -> dict[str, str]:
    """The ``--mapping`` JSON file: an object of canonical names to your columns (exit 2
    with one line when it cannot be used)."""
    import json

    try:
        mapping = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        fail(f"{path}: not a readable JSON mapping ({type(exc).__name__}: {exc})")
    if not isinstance(mapping, dict):
        fail(f'{path}: the mapping must be a JSON object {{"canonical name": "your column", ...}}')
    return mapping


@app.command()
def draft(
    paths: Annotated[
        list[Path], typer.Argument(help="Report text/HTML files, or folders of them.")
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="Write the drafts here (CSV).")],
    published: Annotated[
        str | None,
        typer.Option("--published", help="Publication date of the reports (YYYY-MM-DD)."),
    ] = None,
) -> None:
    """Draft incident records from news reports, with the words behind every field."""
    from .filecheck import regular_file

    with unattended():
        check_output_paths(list(paths), [("--out", out)])
        if out.suffix.lower() != ".csv":
            fail(f"{out}: the output must end in .csv")
        for p in paths:
            if p.exists() and not p.is_dir():
                regular_file(p)  # a FIFO or device is refused before it is opened
        _draft(paths, out, published)


def _draft(paths: list[Path], out: Path, published: str | None) -> None:
    from .coding.dates import to_date
    from .coding.draft import draft_files
    from .io import write_csv

    try:
        to_date(published)
        drafts = draft_files(paths, published=published)
    except (FileNotFoundError, ValueError) as exc:
        fail(_one_line(exc))
        return
    try:
        write_csv(drafts, out, date_format="%Y-%m-%d")
    except OSError as exc:
        fail(f"{out}: cannot write drafts ({exc.strerror})")
    counts = drafts["kind"].value_counts().to_dict() if len(drafts) else {}
    n_files = drafts["source_file"].nunique() if len(drafts) else 0
    typer.echo(
        f"{len(drafts)} draft rows from {n_files} report(s): "
        + ", ".join(f"{counts.get(k, 0)} {k}" for k in ("attack", "aggregate", "counter_terrorism"))
        + f"; written to {out}"
    )
    raise typer.Exit(EXIT_OK)


# ------------------------------------------------------------------ fetch
fetch_app = typer.Typer(
    no_args_is_help=True,
    help="Keep a local incident store current from the UCDP and ACLED APIs.",
)
app.add_typer(fetch_app, name="fetch")

_StoreOpt = Annotated[
    Path, typer.Option("--store", help="The Parquet store to create or update (canonical schema).")
]
_CountryOpt = Annotated[
    str | None,
    typer.Option(
        "--country",
        help="A name or ISO alpha-3 code, or a number (Gleditsch-Ward for UCDP, ISO numeric for ACLED). Default: the store's, else Afghanistan.",
    ),
]
_StartOpt = Annotated[
    str | None,
    typer.Option("--start", help="First event date of the store's window, YYYY-MM-DD (first run)."),
]
_EndOpt = Annotated[
    str | None,
    typer.Option("--end", help="Last event date of the store's window, YYYY-MM-DD (first run)."),
]
_ApiOpt = Annotated[
    str | None, typer.Option("--api-url", help="The API's base address (mirrors, tests).")
]
_QuarantineOpt = Annotated[
    Path | None,
    typer.Option(
        "--quarantine", "-q", help="Write records that cannot be mapped here, with reasons."
    ),
]
_FullOpt = Annotated[
    bool, typer.Option("--full", help="Re-fetch the whole window, not only what is new or changed.")
]
_PageSizeOpt = Annotated[
    int | None,
    typer.Option("--page-size", help="Records per page (default: UCDP 1000, ACLED 5000)."),
]
_ProgressOpt = Annotated[
    bool | None,
    typer.Option("--progress/--no-progress", help="Bar of pages fetched (default: on a terminal)."),
]


def _fetch(run_name: str, **kw) -> None:
    """Run ``analysis.fetch.<run_name>`` and map its outcome to the exit codes."""
    import logging

    from .errors import InputError

    logging.getLogger("stamina").addHandler(logging.NullHandler())  # retries are echoed below
    try:
        from . import fetch
    except ImportError as exc:
        fail(str(exc))
        return
    try:
        summary = getattr(fetch, run_name)(**kw, echo=lambda line: typer.echo(line, err=True))
    except fetch.RowsQuarantinedError as exc:
        typer.echo(exc.summary.summary())
        for r in exc.report.head(20).itertuples(index=False):
            typer.echo(f"  row {r.row} [{r.incident_id}] {r.column or 'row'}: {r.rule}")
        if len(exc.report) > 20:
            typer.echo(f"  ... {len(exc.report) - 20} more")
        fail(str(exc), code=EXIT_ROWS_REJECTED)
        return
    except InputError as exc:  # missing or rejected credentials, unusable store, bad options
        fail(str(exc))
        return
    except fetch.FetchError as exc:
        fail(f"{exc}; the store is unchanged", code=1)
        return
    except OSError as exc:
        fail(f"cannot write ({exc.strerror}: {exc.filename}); the store is unchanged")
        return
    except fetch.FetchInterrupted:
        fail("terminated (SIGTERM); the store is unchanged", code=143)
    except KeyboardInterrupt:
        fail("interrupted; the store is unchanged", code=130)
    typer.echo(summary.summary())
    raise typer.Exit(EXIT_ROWS_REJECTED if summary.quarantined else EXIT_OK)


@fetch_app.command("ucdp")
def fetch_ucdp(
    store: _StoreOpt,
    country: _CountryOpt = None,
    start: _StartOpt = None,
    end: _EndOpt = None,
    dataset_version: Annotated[
        str | None,
        typer.Option(
            "--dataset-version",
            help="UCDP GED version: yearly (25.1) or Candidate (25.0.9). Needed the first time.",
        ),
    ] = None,
    api_url: _ApiOpt = None,
    quarantine: _QuarantineOpt = None,
    overlap_days: Annotated[
        int,
        typer.Option(
            "--overlap-days", help="A later run starts this many days before the last stored date."
        ),
    ] = 28,
    full: _FullOpt = False,
    page_size: _PageSizeOpt = None,
    progress: _ProgressOpt = None,
) -> None:
    """Fetch UCDP GED events (token in UCDP_ACCESS_TOKEN) into the store: new, revised, deleted.

    Exit 0 done (store updated or already current), 1 the run failed or records were
    quarantined (the store is unchanged on failure), 2 unusable options, store or
    credentials. Cron: ``analysis fetch ucdp --store data/ucdp.parquet && analysis
    report --data data/ucdp.parquet --if-changed``.
    """
    _fetch(
        "fetch_ucdp", store=store, country=country, start=start, end=end,
        dataset_version=dataset_version, api_url=api_url, quarantine=quarantine,
        overlap_days=overlap_days, full=full, progress=progress,
        **({"page_size": page_size} if page_size is not None else {}),
    )  # fmt: skip


@fetch_app.command("acled")
def fetch_acled(
    store: _StoreOpt,
    country: _CountryOpt = None,
    start: _StartOpt = None,
    end: _EndOpt = None,
    api_url: _ApiOpt = None,
    quarantine: _QuarantineOpt = None,
    full: _FullOpt = False,
    page_size: _PageSizeOpt = None,
    progress: _ProgressOpt = None,
) -> None:
    """Fetch ACLED events (ACLED_USERNAME, ACLED_PASSWORD) into the store, revisions and deletions applied.

    Exit codes as for ``fetch ucdp``.
    """
    _fetch(
        "fetch_acled", store=store, country=country, start=start, end=end, api_url=api_url,
        quarantine=quarantine, full=full, progress=progress,
        **({"page_size": page_size} if page_size is not None else {}),
    )  # fmt: skip


def main() -> None:
    app()
