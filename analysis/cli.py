"""Command-line interface: ``python -m analysis COMMAND``.

Exit codes shared by the data commands (validate, ingest):

* 0 - every row is valid;
* 1 - rows were quarantined or rejected;
* 2 - the file cannot be used (missing, not CSV or Parquet, undecodable, required
  columns missing); a one-line error names the file and the problem.
"""

from __future__ import annotations

import contextlib
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


@app.command()
def validate(
    path: Annotated[Path, typer.Argument(help="CSV or Parquet file in the canonical schema.")],
    quarantine: Annotated[
        Path | None, typer.Option("--quarantine", "-q", help="Write invalid rows here, with reasons.")
    ] = None,
) -> None:
    """Validate an incident file: rows read, accepted, quarantined, and failures per rule."""
    from .errors import DataFileError
    from .io import write_quarantine
    from .loading import validate_file

    try:
        outcome = validate_file(path)
    except DataFileError as exc:
        fail(str(exc))
        return
    typer.echo(outcome.summary())
    if outcome.n_quarantined:
        if quarantine is not None:
            try:
                write_quarantine(outcome.quarantined, quarantine)
            except OSError as exc:
                fail(f"{quarantine}: cannot write quarantine file ({exc.strerror})")
            typer.echo(f"  quarantined rows written to {quarantine}")
        else:
            for r in outcome.report.head(20).itertuples(index=False):
                typer.echo(f"  row {r.row} [{r.incident_id}] {r.column}: {r.rule}")
            if len(outcome.report) > 20:
                typer.echo(f"  ... {len(outcome.report) - 20} more (use --quarantine OUT to keep them)")
        raise typer.Exit(EXIT_ROWS_REJECTED)
    raise typer.Exit(EXIT_OK)


@app.command()
def report(
    data: Annotated[
        list[Path] | None,
        typer.Option("--data", help="Incident file (CSV/Parquet); repeat for several. Default: bundled."),
    ] = None,
    perpetrator: Annotated[
        str | None, typer.Option("--perpetrator", help="Analyse one perpetrator, e.g. ISKP.")
    ] = None,
    start: Annotated[str | None, typer.Option("--start", help="First date, YYYY-MM-DD.")] = None,
    end: Annotated[str | None, typer.Option("--end", help="Last date, YYYY-MM-DD.")] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="Report directory (replaced as a whole). Default: reports/.")
    ] = None,
    if_changed: Annotated[
        bool, typer.Option("--if-changed", help="Do nothing if inputs and parameters are unchanged.")
    ] = False,
    seed: Annotated[int | None, typer.Option("--seed", help="Random seed.")] = None,
    n_sims: Annotated[
        int | None, typer.Option("--n-sims", help="Monte Carlo size (bootstrap replicates, simulations).")
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
    inputs: Annotated[list[Path], typer.Argument(help="GTD, ACLED, UCDP GED, RAND or canonical exports (CSV or Parquet), in any mix.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="The combined canonical file: .csv or .parquet.")],
    format: Annotated[
        str | None, typer.Option("--format", "-f", help="gtd, acled, ucdp, rand or canonical (default: detected per file).")
    ] = None,
    quarantine: Annotated[
        Path | None, typer.Option("--quarantine", "-q", help="Write rows that cannot be mapped here, with reasons.")
    ] = None,
    mapping: Annotated[
        Path | None,
        typer.Option("--mapping", help='Your own layout: a JSON file {"canonical name": "your column", ...}.'),
    ] = None,
    dayfirst: Annotated[bool, typer.Option("--dayfirst", help="With --mapping: read 03/04/2021 as 3 April.")] = False,
    victims_only: Annotated[
        bool, typer.Option("--victims-only", help="Leave out the perpetrators killed where the source gives them.")
    ] = False,
) -> None:
    """Map source exports to one canonical incident file: rows in, mapped, quarantined, totals.

    Without --quarantine, rows that cannot be mapped or validated exit 1 and nothing is written.

    With --quarantine, the valid rows go to OUTPUT and the others to the quarantine file.

    A record that an earlier input already holds is kept once; the summary counts the
    duplicates dropped.
    """
    from .errors import DataFileError
    from .io import write_incidents, write_quarantine
    from .sources import ingest_files

    if out.suffix.lower() not in (".csv", ".parquet", ".pq"):
        fail(f"{out}: the output must end in .csv or .parquet")
    layout = read_mapping(mapping) if mapping is not None else None
    try:
        with warnings_as_lines():
            outcome = ingest_files(inputs, format, victims_only=victims_only, mapping=layout, dayfirst=dayfirst)
    except DataFileError as exc:
        fail(str(exc))
        return
    except ValueError as exc:  # an unknown --format
        fail(str(exc))
        return
    for s in outcome.valid.attrs.get("ingest_files", []):
        typer.echo(s.summary())
    if len(inputs) > 1:
        typer.echo(outcome.summary.summary())
    rejected = outcome.summary.rows_quarantined > 0
    if rejected and quarantine is None:
        for r in outcome.report.head(20).itertuples(index=False):
            typer.echo(f"  {r.source_file} row {r.row}: {r.column or 'row'}: {r.rule}")
        if len(outcome.report) > 20:
            typer.echo(f"  ... {len(outcome.report) - 20} more")
        typer.echo("  nothing written: use --quarantine FILE to keep the valid rows and set these aside")
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


@contextlib.contextmanager
def warnings_as_lines():
    """The package's warnings printed as ``warning: ...`` lines on stderr."""
    import warnings

    from .errors import AnalysisWarning

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", AnalysisWarning)
        try:
            yield
        finally:
            for w in caught:
                if issubclass(w.category, AnalysisWarning):
                    typer.echo(f"warning: {w.message}", err=True)
                else:
                    warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)


@app.command()
def draft(
    paths: Annotated[list[Path], typer.Argument(help="Report text/HTML files, or folders of them.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Write the drafts here (CSV).")],
    published: Annotated[
        str | None, typer.Option("--published", help="Publication date of the reports (YYYY-MM-DD).")
    ] = None,
) -> None:
    """Draft incident records from news reports, with the words behind every field."""
    from .coding.dates import to_date
    from .coding.draft import draft_files

    try:
        to_date(published)
        drafts = draft_files(paths, published=published)
    except (FileNotFoundError, ValueError) as exc:
        fail(str(exc))
        return
    try:
        drafts.to_csv(out, index=False, date_format="%Y-%m-%d")
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


def main() -> None:
    app()
