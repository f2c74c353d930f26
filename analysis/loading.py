"""Loading canonical incident files: read, validate, and quarantine what fails.

The pipeline for a file is:

1. **read** (CSV or Parquet) as text, so that no value is lost to type inference
   (:func:`analysis.readers.read_table`); a file that cannot be used at all (missing,
   not a regular file, not CSV/Parquet, binary or a damaged ``.gz``, undecodable,
   empty, cut short inside a quoted field, required columns missing, unknown columns)
   raises :class:`DataFileError`. A text cell of a CSV loses one leading single quote,
   the mark :func:`analysis.io.write_csv` puts before text a spreadsheet would execute,
   so the package's own CSV files read back exactly;
2. **validate** against :class:`analysis.schema.IncidentSchema` (:mod:`analysis.validation`:
   coerce each column, run the rules lazily so that every failure of every row is
   reported at once);
3. **split**: valid rows are returned; invalid rows either go to a quarantine file with
   their reasons or, without a quarantine, raise :class:`IncidentValidationError`.

Invariant, always: rows read = rows returned + rows quarantined.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from . import config
from .errors import DataFileError
from .io import write_quarantine
from .readers import read_table, sha256
from .validation import (
    IncidentValidationError,
    ValidationOutcome,
    validate_incidents,
    validate_table,
)

__all__ = [
    "DataFileError",
    "IncidentValidationError",
    "ValidationOutcome",
    "load_incidents",
    "read_table",
    "validate_file",
    "validate_incidents",
]


def validate_file(path: str | Path) -> ValidationOutcome:
    """Read and validate a file; raises :class:`DataFileError` if it cannot be used."""
    path = Path(path)
    table, bad = read_table(path)
    return validate_table(table, source=str(path), sha256=sha256(path), bad_lines=bad)


def load_incidents(
    path: str | Path | None = None, *, quarantine: str | Path | None = None
) -> pd.DataFrame:
    """Load a validated incident table.

    Parameters
    ----------
    path : str or Path, optional
        A CSV or Parquet file in the canonical schema. Default: the bundled dataset
        (``data/incidents.csv``).
    quarantine : str or Path, optional
        Where to write invalid rows, each with its source row number and the rules it
        broke. When given, the valid rows are returned. When omitted, any invalid row
        raises :class:`IncidentValidationError`, whose ``report`` lists every failing
        row, column and rule.

    Returns
    -------
    pandas.DataFrame
        The valid rows, typed (dates as ``datetime64``, counts as nullable ``Int64``).
        ``data.attrs["validation"]`` holds rows read / accepted / quarantined, the
        failure count for each rule, and the file's SHA-256.

    Raises
    ------
    DataFileError
        The file cannot be used at all (missing, not a regular file, not CSV/Parquet,
        binary, a damaged ``.gz``, undecodable, empty, cut short inside a quoted field,
        required columns missing, unknown columns).
    IncidentValidationError
        Rows are invalid and no quarantine was given.
    """
    path = Path(path) if path is not None else config.BUNDLED_INCIDENTS
    outcome = validate_file(path)
    if outcome.n_quarantined:
        if quarantine is None:
            raise IncidentValidationError(outcome)
        write_quarantine(outcome.quarantined, quarantine)
    data = outcome.valid
    data.attrs["validation"] = {
        "source": str(path),
        "sha256": outcome.sha256,
        "rows_read": outcome.n_read,
        "rows_accepted": outcome.n_accepted,
        "rows_quarantined": outcome.n_quarantined,
        "rule_counts": outcome.rule_counts,
    }
    return data
