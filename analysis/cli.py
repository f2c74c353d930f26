"""Command-line interface: ``python -m analysis COMMAND``.

Exit codes shared by the data commands (validate, ingest):

* 0 - every row is valid;
* 1 - rows were quarantined or rejected;
* 2 - the file cannot be used (missing, not CSV or Parquet, undecodable, required
  columns missing); a one-line error names the file and the problem.
"""

from __future__ import annotations

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
    from .loading import DataFileError, validate_file, write_quarantine

    try:
        outcome = validate_file(path)
    except DataFileError as exc:
        fail(str(exc))
        return
    typer.echo(outcome.summary())
    if outcome.n_quarantined:
        if quarantine is not None:
            try:
                write_quarantine(outcome, quarantine)
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


def main() -> None:
    app()
