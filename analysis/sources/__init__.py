"""Source adapters: GTD, ACLED, UCDP GED and RAND RDWTI exports -> the canonical,
validated incident table; plus multi-source merging.

>>> df = read_source("gtd_afghanistan.csv", quarantine="gtd_rejects.csv")   # doctest: +SKIP
>>> print(df.attrs["ingest"])                                               # doctest: +SKIP

Every row of the export is either returned (mapped and valid) or quarantined with its
reasons: ``rows_in == rows_mapped + rows_quarantined`` always, and the killed and
wounded totals of the source are shown to agree. The mapping rules of each source are
the tables in ``docs/sources.md``.
"""

from __future__ import annotations

import contextvars
import os
import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .. import loading
from ..loading import DataFileError, IncidentValidationError, ValidationOutcome
from ._common import MAPPING_RULES, ROW, IngestSummary, read_header, read_raw, text
from .detect import ADAPTERS, FORMATS, detect_file_format, detect_format
from .merge import merge_sources

__all__ = [
    "FORMATS",
    "IngestError",
    "IngestOutcome",
    "IngestSummary",
    "detect_file_format",
    "detect_format",
    "ingest_file",
    "ingest_files",
    "ingest_frame",
    "merge_sources",
    "read_source",
]

REASONS = "reasons"


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
    (with ``row`` and ``reasons``), the per-failure report and the summary."""

    valid: pd.DataFrame
    quarantined: pd.DataFrame
    report: pd.DataFrame
    summary: IngestSummary


def _resolve_format(columns, format: str | None, source: object) -> str:
    if format is None:
        return detect_format(columns, source=source)
    fmt = str(format).strip().lower()
    if fmt not in ADAPTERS:
        raise ValueError(f"unknown format {format!r}; use one of {', '.join(FORMATS)} (or None to detect)")
    missing = [c for c in ADAPTERS[fmt].SIGNATURE if c not in set(columns)]
    if missing:
        raise DataFileError(source, f"not a {fmt} layout: columns missing: {', '.join(missing)}")
    return fmt


#: Tables longer than this are mapped and validated in parts of this many rows, on
#: up to :data:`WORKERS` threads (pyarrow, numpy and pandas release the GIL in the
#: heavy work). Every rule but ``incident_id`` unique is row by row, so the parts give
#: the same result as the whole; uniqueness is then checked across all parts. An
#: adapter whose mapping looks across rows says so with ``ROW_WISE = False``.
CHUNK_ROWS = 200_000
WORKERS = max(1, min(4, os.cpu_count() or 1))


@dataclass
class _Part:
    """One part of a table, mapped and validated (all but the uniqueness rule)."""

    valid: pd.DataFrame  # canonical rows that passed
    valid_rows: np.ndarray  # their data-row numbers
    checked_ids: pd.Series  # incident_id of every row that reached validation ...
    checked_rows: np.ndarray  # ... and its data-row number
    report: list[pd.DataFrame]  # mapping issues and schema failures, report form
    raw_killed: pd.Series
    raw_wounded: pd.Series


def _map_and_validate(part: pd.DataFrame, module, fmt: str, source: str, *, own_copy: bool = False) -> _Part:
    if own_copy:  # a thread works on its own data, never on views shared with another
        part = part.copy()
    mapped = module.to_canonical(part)
    issues = mapped.issues
    rows = part[ROW]
    bad_idx = pd.Index(issues["_index"].unique()) if len(issues) else pd.Index([], dtype="int64")
    if len(bad_idx):
        good = mapped.frame.drop(index=bad_idx)
        good.insert(0, ROW, rows.loc[good.index].to_numpy())
    else:  # the usual case: same index as the table, no lookup needed
        good = mapped.frame
        good.insert(0, ROW, rows.to_numpy())
    # adapters hand over canonical dtypes with text already stripped; the canonical
    # "source" is the user's own text and is normalised like any file
    outcome = loading.validate_incidents(good, source=source, typed_text=fmt != "canonical", unique=False)
    report = []
    if len(issues):
        report.append(
            pd.DataFrame(
                {
                    ROW: rows.loc[issues["_index"]].to_numpy(),
                    "incident_id": mapped.frame["incident_id"].reindex(issues["_index"]).to_numpy(),
                    "column": issues["column"].to_numpy(),
                    "rule": issues["rule"].to_numpy(),
                    "message": issues["rule"].map(MAPPING_RULES).fillna("cannot map").to_numpy(),
                    "value": issues["value"].to_numpy(),
                }
            )
        )
    if len(outcome.report):
        report.append(outcome.report)
    checked_rows = good[ROW].to_numpy()
    failed = np.isin(checked_rows, outcome.report[ROW].to_numpy()) if len(outcome.report) else None
    return _Part(
        valid=outcome.valid,
        valid_rows=checked_rows if failed is None else checked_rows[~failed],
        checked_ids=good["incident_id"],
        checked_rows=checked_rows,
        report=report,
        raw_killed=mapped.raw_killed,
        raw_wounded=mapped.raw_wounded,
    )


def _in_threads(pieces: list[pd.DataFrame], module, fmt: str, source: str) -> list[_Part]:
    """:func:`_map_and_validate` on each piece, :data:`WORKERS` at a time, in order.

    Each task runs in a copy of the caller's context (numpy error state, pandera
    configuration). pandas silences some numpy warnings with ``catch_warnings``, which
    is not thread-safe before Python 3.14: the caller's warning filters are restored
    afterwards, and the one numpy warning pandas means to silence stays silent.
    """
    loading._schema(unique=False)  # built before the threads share it
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "invalid value encountered in cast", RuntimeWarning)
        with ThreadPoolExecutor(max_workers=WORKERS) as pool:
            futures = [
                pool.submit(contextvars.copy_context().run, _map_and_validate, p, module, fmt, source, own_copy=True)
                for p in pieces
            ]
            return [f.result() for f in futures]


def _unique_failures(parts: list[_Part]) -> pd.DataFrame:
    """The ``unique`` rule across all parts: every checked row whose id is repeated."""
    ids = pd.concat([p.checked_ids for p in parts], ignore_index=True)
    rows = np.concatenate([p.checked_rows for p in parts])
    dup = loading.duplicated_ids(ids)
    return pd.DataFrame(
        {
            ROW: rows[dup],
            "incident_id": ids[dup].to_numpy(),
            "column": "incident_id",
            "rule": "unique",
            "message": loading.RULES["unique"],
            "value": ids[dup].to_numpy(dtype=object),
        }
    )


def ingest_frame(
    table: pd.DataFrame,
    format: str | None = None,
    *,
    source: str = "<frame>",
    bad_lines: pd.DataFrame | None = None,
    chunk_rows: int | None = None,
) -> IngestOutcome:
    """Map and validate an in-memory export (one row per source record).

    ``table`` may carry a ``row`` column (its data-row numbers); otherwise rows are
    numbered from 1. Nothing is dropped: every row ends in ``valid`` or ``quarantined``.
    Tables longer than ``chunk_rows`` (default :data:`CHUNK_ROWS`) are processed in
    parts on several threads, with the same result.
    """
    table = table.reset_index(drop=True)
    if ROW not in table.columns:
        table.insert(0, ROW, range(1, len(table) + 1))
    fmt = _resolve_format([c for c in table.columns if c != ROW], format, source)
    module = ADAPTERS[fmt]
    rows = table[ROW]

    size = max(1, int(chunk_rows or CHUNK_ROWS))
    if not getattr(module, "ROW_WISE", True):  # the adapter needs the whole table at once
        size = max(size, len(table))
    bounds = list(range(0, len(table), size)) or [0]
    pieces = [table.iloc[a : a + size] for a in bounds]
    if len(pieces) == 1 or WORKERS == 1:
        parts = [_map_and_validate(p, module, fmt, source) for p in pieces]
    else:
        parts = _in_threads(pieces, module, fmt, source)
    del pieces

    # one report: mapping issues + schema failures (+ ids repeated anywhere) + malformed lines
    report_parts = [r for p in parts for r in p.report]
    unique_failures = _unique_failures(parts)
    if len(unique_failures):
        report_parts.append(unique_failures)
    bad_lines = bad_lines if bad_lines is not None else pd.DataFrame({ROW: [], "raw": []})
    if len(bad_lines):
        report_parts.append(
            pd.DataFrame(
                {
                    ROW: bad_lines[ROW].to_numpy(),
                    "incident_id": None,
                    "column": "",
                    "rule": "csv_structure",
                    "message": MAPPING_RULES["csv_structure"],
                    "value": bad_lines["raw"].to_numpy(),
                }
            )
        )
    report_cols = [ROW, "incident_id", "column", "rule", "message", "value"]
    report = (
        pd.concat([p.astype({"value": "object"}) for p in report_parts], ignore_index=True)
        if report_parts
        else pd.DataFrame({c: [] for c in report_cols})
    )
    report = report[report_cols].sort_values([ROW, "column", "rule"], kind="stable").reset_index(drop=True)

    valid = parts[0].valid if len(parts) == 1 else pd.concat([p.valid for p in parts], ignore_index=True)
    if len(unique_failures):
        valid_rows = np.concatenate([p.valid_rows for p in parts])
        valid = valid[~np.isin(valid_rows, unique_failures[ROW].to_numpy())].reset_index(drop=True)
    raw_killed = parts[0].raw_killed if len(parts) == 1 else pd.concat([p.raw_killed for p in parts])
    raw_wounded = parts[0].raw_wounded if len(parts) == 1 else pd.concat([p.raw_wounded for p in parts])
    del parts

    # quarantined rows: the raw record as text, with its reasons
    bad_rows = pd.Index(report.loc[report["rule"] != "csv_structure", ROW].unique())
    raw_bad = table[rows.isin(bad_rows)]
    quarantined = pd.DataFrame({c: text(raw_bad[c]) for c in raw_bad.columns if c != ROW}, index=raw_bad.index)
    quarantined.insert(0, ROW, raw_bad[ROW].to_numpy())
    if len(bad_lines):
        quarantined = pd.concat(
            [quarantined, pd.DataFrame({ROW: bad_lines[ROW].to_numpy(), "raw_line": bad_lines["raw"].to_numpy()})],
            ignore_index=True,
        )
    if len(report):
        reasons = (
            (report["column"].where(report["column"] != "", "row") + ": " + report["rule"])
            .groupby(report[ROW], sort=False)
            .agg(lambda s: "; ".join(dict.fromkeys(s)))
        )
        quarantined[REASONS] = quarantined[ROW].map(reasons)
    else:
        quarantined[REASONS] = pd.Series([], dtype="str")
    quarantined = quarantined.sort_values(ROW).reset_index(drop=True)
    first = [ROW, REASONS]
    quarantined = quarantined[first + [c for c in quarantined.columns if c not in first]]

    q_idx = table.index[rows.isin(bad_rows).to_numpy()]
    rule_counts = report.drop_duplicates([ROW, "rule"])["rule"].value_counts()

    def total(s: pd.Series) -> float:
        return float(s.sum(skipna=True)) if len(s) else 0.0

    summary = IngestSummary(
        source=source,
        format=fmt,
        rows_in=len(table) + len(bad_lines),
        rows_mapped=len(valid),
        rows_quarantined=len(quarantined),
        reasons={str(k): int(v) for k, v in rule_counts.items()},
        killed_in=total(raw_killed),
        killed_mapped=total(valid["killed_best"]),
        killed_quarantined=total(raw_killed.loc[q_idx]),
        wounded_in=total(raw_wounded),
        wounded_mapped=total(valid["wounded_best"]),
        wounded_quarantined=total(raw_wounded.loc[q_idx]),
        perpetrators={str(k): int(v) for k, v in valid["perpetrator"].value_counts().items()},
    )
    valid.attrs["ingest"] = summary
    return IngestOutcome(valid=valid, quarantined=quarantined, report=report, summary=summary)


def _read(path: Path, format: str | None) -> tuple[str, pd.DataFrame, pd.DataFrame]:
    fmt = _resolve_format(read_header(path), format, path)
    if fmt == "canonical":
        table, bad = loading.read_table(path)
        bad = bad[[ROW, "raw"]]
    else:
        module = ADAPTERS[fmt]
        table, bad = read_raw(path, text_columns=getattr(module, "TEXT_COLUMNS", ()), columns=module.COLUMNS_USED)
    return fmt, table, bad


def ingest_file(path: str | Path, format: str | None = None) -> IngestOutcome:
    """Read, map and validate one export; see :func:`read_source`."""
    path = Path(path)
    if not path.exists():
        raise DataFileError(path, "file not found")
    fmt, table, bad = _read(path, format)
    return ingest_frame(table, fmt, source=str(path), bad_lines=bad)


def write_quarantine(quarantined: pd.DataFrame, path: str | Path) -> Path:
    """Write quarantined raw rows (with ``row`` and ``reasons``) as CSV or Parquet."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() in (".parquet", ".pq"):
        quarantined.astype("str").to_parquet(path, index=False)
    else:
        quarantined.to_csv(path, index=False)
    return path


def read_source(
    path: str | Path, format: str | None = None, *, quarantine: str | Path | None = None
) -> pd.DataFrame:
    """Read a GTD, ACLED, UCDP GED, RAND RDWTI or canonical export as canonical incidents.

    Parameters
    ----------
    path : str or Path
        A CSV (``.csv``, ``.csv.gz``) or Parquet export.
    format : {"gtd", "acled", "ucdp", "rand", "canonical"}, optional
        The source layout; detected from the columns when omitted.
    quarantine : str or Path, optional
        Where to write the rows that cannot be mapped or fail validation, as the raw
        record plus ``row`` (data-row number in the file) and ``reasons``; the file is
        written even when empty. Without it, any such row raises :class:`IngestError`.

    Returns
    -------
    pandas.DataFrame
        The canonical, validated incidents (columns ``analysis.schema.COLUMNS``).
        ``df.attrs["ingest"]`` is the :class:`IngestSummary`: rows in / mapped /
        quarantined with reasons, and killed and wounded totals before and after
        mapping (``print(df.attrs["ingest"])``).

    Raises
    ------
    DataFileError
        The file cannot be used (missing, unreadable, unrecognisable layout).
    IngestError
        Rows could not be mapped or are invalid and no quarantine was given.
    """
    outcome = ingest_file(path, format)
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


def ingest_files(paths, format: str | None = None) -> IngestOutcome:
    """Ingest several exports (any mix of formats) into one canonical table.

    Each file is read with :func:`ingest_file`. A record whose ``incident_id`` already
    came from an earlier file (the same source record in two extracts) is quarantined
    with the rule ``duplicate_across_inputs``, so rows in = mapped + quarantined still
    holds. The quarantined rows carry a ``source_file`` column. The summary adds up
    the files' summaries (``format`` lists the formats).

    Raises
    ------
    DataFileError
        When any file cannot be used (nothing is combined).
    """
    outcomes = [ingest_file(p, format) for p in paths]
    if not outcomes:
        raise ValueError("no input files given")
    valid_parts, q_parts, r_parts, dup_summaries = [], [], [], []
    seen: dict[str, str] = {}
    for o in outcomes:
        src = o.summary.source
        ids = o.valid["incident_id"]
        dup = ids.isin(seen.keys()).to_numpy()
        first = ids[dup].map(seen)
        valid_parts.append(o.valid[~dup])
        q = o.quarantined.assign(source_file=src)
        if dup.any():
            extra = o.valid[dup].astype("object").where(o.valid[dup].notna(), None).astype("str")
            extra.insert(0, REASONS, ("incident_id: duplicate_across_inputs (first in " + first + ")").to_numpy())
            extra.insert(0, ROW, pd.NA)
            q = pd.concat([q, extra.assign(source_file=src)], ignore_index=True)
        q_parts.append(q)
        r_parts.append(o.report.assign(source_file=src))
        seen.update(dict.fromkeys(ids[~dup].tolist(), src))
        n_dup = int(dup.sum())
        killed_dup = float(o.valid.loc[dup, "killed_best"].sum()) if n_dup else 0.0
        wounded_dup = float(o.valid.loc[dup, "wounded_best"].sum()) if n_dup else 0.0
        reasons = dict(o.summary.reasons)
        if n_dup:
            reasons["duplicate_across_inputs"] = n_dup
        dup_summaries.append(
            IngestSummary(
                source=src,
                format=o.summary.format,
                rows_in=o.summary.rows_in,
                rows_mapped=o.summary.rows_mapped - n_dup,
                rows_quarantined=o.summary.rows_quarantined + n_dup,
                reasons=reasons,
                killed_in=o.summary.killed_in,
                killed_mapped=o.summary.killed_mapped - killed_dup,
                killed_quarantined=o.summary.killed_quarantined + killed_dup,
                wounded_in=o.summary.wounded_in,
                wounded_mapped=o.summary.wounded_mapped - wounded_dup,
                wounded_quarantined=o.summary.wounded_quarantined + wounded_dup,
                perpetrators=o.summary.perpetrators,
            )
        )
    valid = pd.concat(valid_parts, ignore_index=True)
    quarantined = pd.concat(q_parts, ignore_index=True)
    report = pd.concat(r_parts, ignore_index=True)
    totals: dict[str, int] = {}
    for s_ in dup_summaries:
        for k, v in s_.reasons.items():
            totals[k] = totals.get(k, 0) + v

    def add(attr: str):
        return sum(getattr(s_, attr) for s_ in dup_summaries)

    summary = IngestSummary(
        source=", ".join(s_.source for s_ in dup_summaries),
        format=", ".join(dict.fromkeys(s_.format for s_ in dup_summaries)),
        rows_in=add("rows_in"),
        rows_mapped=len(valid),
        rows_quarantined=len(quarantined),
        reasons=totals,
        killed_in=add("killed_in"),
        killed_mapped=add("killed_mapped"),
        killed_quarantined=add("killed_quarantined"),
        wounded_in=add("wounded_in"),
        wounded_mapped=add("wounded_mapped"),
        wounded_quarantined=add("wounded_quarantined"),
        perpetrators={str(k): int(v) for k, v in valid["perpetrator"].value_counts().items()},
    )
    valid.attrs["ingest"] = summary
    valid.attrs["ingest_files"] = dup_summaries
    return IngestOutcome(valid=valid, quarantined=quarantined, report=report, summary=summary)


def write_incidents(df: pd.DataFrame, path: str | Path) -> Path:
    """Write a canonical frame as CSV (ISO dates) or Parquet, chosen by the suffix."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".parquet", ".pq"):
        raise DataFileError(path, "output must end in .csv or .parquet")
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".csv":
        df.to_csv(path, index=False, date_format="%Y-%m-%d")
    else:
        df.to_parquet(path, index=False)
    return path

