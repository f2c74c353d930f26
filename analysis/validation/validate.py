"""Validating a canonical incident table: coerce, run the rule table, split.

1. **coerce** each column to its canonical type, recording every value that does not
   parse (:mod:`~analysis.validation.coercion`);
2. **check** the typed frame against the rule table with an executor, which reports
   every failure of every row at once: the vectorised one
   (:mod:`~analysis.validation.vectorised`, ``engine="numpy"``, the default) or the
   pandera reference (:mod:`~analysis.validation.reference`, ``engine="pandera"``); the
   two make identical decisions;
3. **split** valid rows from quarantined ones, each with its reasons
   (:mod:`~analysis.validation.quarantine`).
"""

from __future__ import annotations

import pandas as pd

from ..errors import InputError
from ..readers import ROW
from . import reference, vectorised
from .coercion import check_columns, coerce_incidents
from .outcome import ValidationOutcome
from .quarantine import split
from .vectorised import duplicated_ids

__all__ = ["ENGINES", "duplicated_ids", "validate_incidents", "validate_table"]

#: The executors of the rule table, by ``engine`` name.
ENGINES = {"numpy": vectorised.failures, "pandera": reference.failures}


def _executor(engine: str):
    try:
        return ENGINES[engine]
    except KeyError:
        raise InputError(f"unknown engine {engine!r}; use one of {', '.join(ENGINES)}") from None


def validate_incidents(
    data: pd.DataFrame,
    *,
    source: str = "<frame>",
    sha256: str | None = None,
    typed_text: bool = False,
    unique: bool = True,
    engine: str = "numpy",
) -> ValidationOutcome:
    """Validate a frame against the canonical schema, splitting valid and invalid rows.

    Parameters
    ----------
    data : DataFrame
        Incidents as text (as read from a file) or typed. Columns must be the canonical
        ones (optional columns may be absent). The frame is not modified.
    source : str
        The name shown in messages and summaries.
    sha256 : str, optional
        The SHA-256 of the file the frame came from, kept in the outcome.
    typed_text : bool
        True (for source adapters) when the ``str`` columns are already stripped, with
        blanks as missing, so they are not normalised again; they are still validated.
    unique : bool
        False leaves out the one rule that is not row by row (``incident_id`` unique),
        for a caller that validates a large table in parts and checks the ids across all
        parts itself (see :func:`duplicated_ids`).
    engine : {"numpy", "pandera"}
        The executor of the rule table: ``"numpy"`` (vectorised, for bulk work) or
        ``"pandera"`` (the reference, :data:`analysis.schema.IncidentSchema`). Both
        accept and quarantine the same rows for the same reasons.

    Returns
    -------
    ValidationOutcome
        Nothing is dropped: every input row is either in ``outcome.valid`` or in
        ``outcome.quarantined``, and ``outcome.report`` names each failing row, column
        and rule.
    """
    table = data.copy(deep=False)  # copy-on-write: the caller's frame is never modified
    if ROW not in table.columns:
        table.insert(0, ROW, range(1, len(table) + 1))
    return validate_table(
        table, source=source, sha256=sha256, typed_text=typed_text, unique=unique, engine=engine
    )


def _without_shadowed_nulls(failures: pd.DataFrame, parse_failures: pd.DataFrame) -> pd.DataFrame:
    """A value that did not parse is also missing: report the parse failure only."""
    if not len(parse_failures):
        return failures
    key = pd.MultiIndex.from_frame(failures[["_index", "column"]])
    shadowed = key.isin(pd.MultiIndex.from_frame(parse_failures[["_index", "column"]]))
    return failures[~(shadowed & (failures["rule"] == "not_null").to_numpy())]


def validate_table(
    table: pd.DataFrame,
    *,
    source: str,
    sha256: str | None = None,
    bad_lines: pd.DataFrame | None = None,
    typed_text: bool = False,
    unique: bool = True,
    engine: str = "numpy",
) -> ValidationOutcome:
    """:func:`validate_incidents` of a table that carries its ``row`` numbers, with the
    malformed lines of its file (``bad_lines``, from :func:`analysis.readers.read_table`)
    quarantined beside the rows that fail.

    Raises
    ------
    DataFileError
        The columns are not the canonical ones (see
        :func:`~analysis.validation.coercion.check_columns`).
    """
    execute = _executor(engine)
    table = check_columns(table, source).reset_index(drop=True)
    typed, errors = coerce_incidents(table, typed_text=typed_text)
    parsed = pd.DataFrame(errors, columns=reference.FAILURE_COLUMNS)
    parts = [f for f in (parsed, execute(typed, unique=unique)) if len(f)]
    failures = pd.concat(parts, ignore_index=True) if parts else parsed
    failures = _without_shadowed_nulls(failures, parsed)
    return split(table, typed, failures, source=source, sha256=sha256, bad_lines=bad_lines)
