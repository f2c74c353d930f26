"""Ingesting one export: read, map, validate, and account for every row.

Every row of the export is either returned (mapped and valid) or quarantined with its
reasons: ``rows_in == rows_mapped + rows_quarantined`` always, and the killed and
wounded totals of the source are shown to agree (:class:`~.summary.IngestSummary`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import DataFileError
from ..io import write_quarantine
from ..readers import ROW, read_header, read_raw, read_table
from ..validation import (
    IncidentValidationError,
    ValidationOutcome,
    reasons_by_row,
    structure_failures,
)
from ..validation.quarantine import REASONS, REPORT_COLUMNS
from .adapter import Adapter, unknown_columns, warn_unknown
from .chunks import Part, map_in_parts, unique_failures
from .detect import ADAPTERS, resolve_format
from .layout import Layout
from .summary import IngestSummary, canonical_totals, perpetrator_counts, total
from .text import text

__all__ = ["IngestError", "IngestOutcome", "ingest_file", "ingest_frame", "read_export", "read_source"]


class IngestError(IncidentValidationError):
    """Rows of a source export could not be mapped or failed validation, and no
    quarantine was given. ``.report`` lists every (row, column, rule); ``.ingest`` is
    the :class:`IngestSummary`; ``.quarantined`` holds the raw rows with reasons."""

    def __init__(self, outcome: ValidationOutcome, summary: IngestSummary):
        self.ingest = summary
        self.quarantined = outcome.quarantined
        super().__init__(outcome)


@dataclass(frozen=True)
class IngestOutcome:
    """Everything an ingest produced: valid canonical rows, quarantined raw rows
    (with ``row`` and ``reasons``), the per-failure report and the summary.
    ``figures`` holds the source's own killed and wounded figure of each valid row
    (same order), for the totals when rows are set aside later; ``duplicates`` lists
    the records dropped because an earlier file had them (``incident_id``,
    ``source_file``, ``first_file``; several files only)."""

    valid: pd.DataFrame
    quarantined: pd.DataFrame
    report: pd.DataFrame
    summary: IngestSummary
    figures: pd.DataFrame | None = None
    duplicates: pd.DataFrame | None = None


def _report(parts: list[Part], repeated: pd.DataFrame, bad_lines: pd.DataFrame) -> pd.DataFrame:
    """One report: mapping issues + schema failures (+ ids repeated anywhere) +
    malformed lines, sorted by row."""
    pieces = [r for p in parts for r in p.report]
    if len(repeated):
        pieces.append(repeated)
    if len(bad_lines):
        pieces.append(structure_failures(bad_lines))
    if not pieces:
        return pd.DataFrame({c: [] for c in REPORT_COLUMNS})
    report = pd.concat([p.astype({"value": "object"}) for p in pieces], ignore_index=True)
    return report[REPORT_COLUMNS].sort_values([ROW, "column", "rule"], kind="stable").reset_index(drop=True)


def _valid(parts: list[Part], repeated: pd.DataFrame) -> pd.DataFrame:
    valid = parts[0].valid if len(parts) == 1 else pd.concat([p.valid for p in parts], ignore_index=True)
    if len(repeated):
        valid_rows = np.concatenate([p.valid_rows for p in parts])
        valid = valid[~np.isin(valid_rows, repeated[ROW].to_numpy())].reset_index(drop=True)
    return valid


def _quarantined(table: pd.DataFrame, report: pd.DataFrame, bad_lines: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """The raw records of the failing rows as text, with ``row`` and ``reasons`` first,
    and which rows of ``table`` they are."""
    failed = table[ROW].isin(report.loc[report["rule"] != "csv_structure", ROW].unique()).to_numpy()
    raw_bad = table[failed]
    quarantined = pd.DataFrame({c: text(raw_bad[c]) for c in raw_bad.columns if c != ROW}, index=raw_bad.index)
    quarantined.insert(0, ROW, raw_bad[ROW].to_numpy())
    if len(bad_lines):
        lines = pd.DataFrame({ROW: bad_lines[ROW].to_numpy(), "raw_line": bad_lines["raw"].to_numpy()})
        quarantined = pd.concat([quarantined, lines], ignore_index=True)
    if len(report):
        quarantined[REASONS] = quarantined[ROW].map(reasons_by_row(report))
    else:
        quarantined[REASONS] = pd.Series([], dtype="str")
    quarantined = quarantined.sort_values(ROW).reset_index(drop=True)
    first = [ROW, REASONS]
    return quarantined[first + [c for c in quarantined.columns if c not in first]], failed


def _raw_figures(parts: list[Part]) -> tuple[pd.Series, pd.Series]:
    """The source's own killed and wounded figures of every row, in table order."""
    if len(parts) == 1:
        return parts[0].raw_killed, parts[0].raw_wounded
    return pd.concat([p.raw_killed for p in parts]), pd.concat([p.raw_wounded for p in parts])


def _summary(source: str, fmt: str, valid: pd.DataFrame, report: pd.DataFrame, raw, failed, **extra) -> IngestSummary:
    """The summary of an ingest; ``raw`` holds the source's killed and wounded figures
    of every row and ``failed`` marks the quarantined ones; ``extra`` holds
    ``rows_in``, ``rows_quarantined`` and the options."""
    raw_killed, raw_wounded = raw
    rule_counts = report.drop_duplicates([ROW, "rule"])["rule"].value_counts()
    return IngestSummary(
        source=source,
        format=fmt,
        rows_mapped=len(valid),
        reasons={str(k): int(v) for k, v in rule_counts.items()},
        killed_in=total(raw_killed),
        killed_mapped=total(raw_killed[~failed]),
        killed_quarantined=total(raw_killed[failed]),
        wounded_in=total(raw_wounded),
        wounded_mapped=total(raw_wounded[~failed]),
        wounded_quarantined=total(raw_wounded[failed]),
        perpetrators=perpetrator_counts(valid),
        **canonical_totals(valid),
        **extra,
    )


def _adapter(table: pd.DataFrame, format: str | None, source: str, options: dict) -> tuple[str, Adapter]:
    """The format and adapter of an ingest: the user's ``mapping``, else the format
    given or detected."""
    columns = [c for c in table.columns if c != ROW]
    mapping = options.get("mapping")
    if mapping is not None:
        name = Path(source).name
        layout = Layout(mapping, columns, dayfirst=options.get("dayfirst", False), name=name)
        return Layout.NAME, Adapter(layout, options.get("victims_only", False))
    fmt = resolve_format(columns, format, source)
    return fmt, Adapter(ADAPTERS[fmt], options.get("victims_only", False))


def ingest_frame(
    table: pd.DataFrame,
    format: str | None = None,
    *,
    source: str = "<frame>",
    bad_lines: pd.DataFrame | None = None,
    chunk_rows: int | None = None,
    victims_only: bool = False,
    mapping: Mapping[str, str] | None = None,
    dayfirst: bool = False,
    header: Sequence[str] | None = None,
) -> IngestOutcome:
    """Map and validate an in-memory export (one row per source record).

    ``table`` may carry a ``row`` column (its data-row numbers); otherwise rows are
    numbered from 1. Nothing is dropped: every row ends in ``valid`` or ``quarantined``.
    Tables longer than ``chunk_rows`` (default :data:`~.chunks.CHUNK_ROWS`) are
    processed in parts on several threads, with the same result. ``victims_only``,
    ``mapping`` and ``dayfirst`` are those of :func:`read_source`; ``header`` lists the
    file's columns when ``table`` holds only those read, so that the columns its
    layout does not know are named (:class:`~.adapter.UnknownColumnWarning`).
    """
    table = table.reset_index(drop=True)
    if ROW not in table.columns:
        table.insert(0, ROW, range(1, len(table) + 1))
    options = {"victims_only": victims_only, "mapping": mapping, "dayfirst": dayfirst}
    fmt, adapter = _adapter(table, format, source, options)
    unknown = unknown_columns(header if header is not None else table.columns, adapter.KNOWN_COLUMNS)
    warn_unknown(unknown, source, fmt)
    parts = map_in_parts(adapter.prepare(table), adapter, fmt, source, chunk_rows)
    bad_lines = bad_lines if bad_lines is not None else pd.DataFrame({ROW: [], "raw": []})
    repeated = unique_failures(parts)
    report = _report(parts, repeated, bad_lines)
    valid = _valid(parts, repeated)
    raw = _raw_figures(parts)
    del parts  # the parts' frames are no longer needed: lower peak memory
    quarantined, failed = _quarantined(table, report, bad_lines)
    summary = _summary(
        source, fmt, valid, report, raw, failed, rows_in=len(table) + len(bad_lines),
        rows_quarantined=len(quarantined), victims_only=victims_only, unknown_columns=unknown,
    )  # fmt: skip
    figures = pd.DataFrame({"killed": raw[0][~failed].to_numpy(), "wounded": raw[1][~failed].to_numpy()})
    valid.attrs["ingest"] = summary
    return IngestOutcome(valid=valid, quarantined=quarantined, report=report, summary=summary, figures=figures)


def read_export(
    path: Path, format: str | None, *, mapping: Mapping[str, str] | None = None
) -> tuple[str, pd.DataFrame, pd.DataFrame]:
    """The format of an export, its records (with ``row``) and its malformed lines.
    With a ``mapping`` (a user's own layout) only the mapped columns are read."""
    header = read_header(path)
    if mapping is not None:
        layout = Layout(mapping, header)
        table, bad = read_raw(path, columns=layout.COLUMNS_USED)
        return Layout.NAME, table, bad
    fmt = resolve_format(header, format, path)
    if fmt == "canonical":
        table, bad = read_table(path)
        return fmt, table, bad[[ROW, "raw"]]
    module = ADAPTERS[fmt]
    table, bad = read_raw(path, text_columns=getattr(module, "TEXT_COLUMNS", ()), columns=module.COLUMNS_USED)
    return fmt, table, bad


def ingest_file(
    path: str | Path,
    format: str | None = None,
    *,
    victims_only: bool = False,
    mapping: Mapping[str, str] | None = None,
    dayfirst: bool = False,
) -> IngestOutcome:
    """Read, map and validate one export; see :func:`read_source`."""
    path = Path(path)
    if not path.exists():
        raise DataFileError(path, "file not found")
    fmt, table, bad = read_export(path, format, mapping=mapping)
    return ingest_frame(
        table, None if mapping is not None else fmt, source=str(path), bad_lines=bad, header=read_header(path),
        victims_only=victims_only, mapping=mapping, dayfirst=dayfirst,
    )  # fmt: skip


def read_source(
    path: str | Path,
    format: str | None = None,
    *,
    quarantine: str | Path | None = None,
    victims_only: bool = False,
    mapping: Mapping[str, str] | None = None,
    dayfirst: bool = False,
) -> pd.DataFrame:
    """Read a GTD, ACLED, UCDP GED, RAND RDWTI or canonical export, or a file in your
    own layout, as canonical incidents.

    Parameters
    ----------
    path : str or Path
        A CSV (``.csv``, ``.csv.gz``, ``.tsv``; comma, semicolon, tab or pipe
        delimited, a decimal comma in semicolon files) or Parquet export.
    format : {"gtd", "acled", "ucdp", "rand", "canonical"}, optional
        The source layout; detected from the columns when omitted.
    quarantine : str or Path, optional
        Where to write the rows that cannot be mapped or fail validation, as the raw
        record plus ``row`` (data-row number in the file) and ``reasons``; the file is
        written even when empty. Without it, any such row raises :class:`IngestError`.
    victims_only : bool
        Count the victims only: subtract the perpetrators killed where the source gives
        them (GTD ``nkillter``; RAND where the description counts the attacker among
        the dead). The summary records the choice (``victims_only``).
    mapping : mapping of str to str, optional
        Your own layout: ``{canonical name: your column}``, for example
        ``{"date": "Date of attack", "province": "Where", "killed": "Deaths",
        "wounded": "Injuries", "perpetrator": "Group"}`` (``killed``/``wounded``: one
        count for low, best and high). See :mod:`analysis.sources.layout`.
    dayfirst : bool
        With ``mapping``: read ``03/04/2021`` as 3 April.

    Returns
    -------
    pandas.DataFrame
        The canonical, validated incidents (columns ``analysis.schema.COLUMNS``).
        ``data.attrs["ingest"]`` is the :class:`IngestSummary`: rows in / mapped /
        quarantined with reasons, the source's killed and wounded totals before and
        after mapping, the canonical low/best/high totals, and the columns the layout
        does not know (``print(data.attrs["ingest"])``).

    Raises
    ------
    DataFileError
        The file cannot be used (missing, unreadable, unrecognisable layout).
    InputError
        The mapping leaves a required column unmapped or names a column the file lacks.
    IngestError
        Rows could not be mapped or are invalid and no quarantine was given.

    Warns
    -----
    UnknownColumnWarning
        The file has columns its layout does not know (a misspelt header); they are
        named, with the closest known name, and not used.
    """
    outcome = ingest_file(path, format, victims_only=victims_only, mapping=mapping, dayfirst=dayfirst)
    if quarantine is not None:  # written even when empty, so a stale file never misleads
        write_quarantine(outcome.quarantined, quarantine)
    elif outcome.summary.rows_quarantined:
        vo = ValidationOutcome(
            source=str(path),
            valid=outcome.valid,
            quarantined=outcome.quarantined,
            report=outcome.report,
            rule_counts=dict(outcome.summary.reasons),
        )
        raise IngestError(vo, outcome.summary)
    return outcome.valid
