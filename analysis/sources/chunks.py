"""Mapping and validating a large export in parts, on several threads.

Tables longer than :data:`CHUNK_ROWS` are mapped and validated in parts of that many
rows, on up to :data:`WORKERS` threads (pyarrow, numpy and pandas release the GIL in the
heavy work). Every rule but ``incident_id`` unique is row by row, so the parts give the
same result as the whole; uniqueness is then checked across all parts
(:func:`unique_failures`). An adapter whose mapping looks across rows says so with
``ROW_WISE = False`` and is given the whole table at once.
"""

from __future__ import annotations

import contextvars
import os
import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..readers import ROW
from ..schema import RULES
from ..validation import duplicated_ids, validate_incidents
from .issues import MAPPING_RULES

__all__ = ["CHUNK_ROWS", "WORKERS", "Part", "map_in_parts", "unique_failures"]

CHUNK_ROWS = 200_000
WORKERS = max(1, min(4, os.cpu_count() or 1))


@dataclass
class Part:
    """One part of a table, mapped and validated (all but the uniqueness rule)."""

    valid: pd.DataFrame  # canonical rows that passed
    valid_rows: np.ndarray  # their data-row numbers
    checked_ids: pd.Series  # incident_id of every row that reached validation ...
    checked_rows: np.ndarray  # ... and its data-row number
    report: list[pd.DataFrame]  # mapping issues and schema failures, report form
    raw_killed: pd.Series
    raw_wounded: pd.Series


def _issue_report(issues: pd.DataFrame, rows: pd.Series, frame: pd.DataFrame) -> pd.DataFrame:
    """Mapping issues in report form (``row``, ``incident_id``, ``column``, ``rule``,
    ``message``, ``value``)."""
    return pd.DataFrame(
        {
            ROW: rows.loc[issues["_index"]].to_numpy(),
            "incident_id": frame["incident_id"].reindex(issues["_index"]).to_numpy(),
            "column": issues["column"].to_numpy(),
            "rule": issues["rule"].to_numpy(),
            "message": issues["rule"].map(MAPPING_RULES).fillna("cannot map").to_numpy(),
            "value": issues["value"].to_numpy(),
        }
    )


def map_and_validate(part: pd.DataFrame, module, fmt: str, source: str, *, own_copy: bool = False) -> Part:
    """Map one part with the adapter ``module`` (an :class:`~.adapter.Adapter` or any
    object with ``to_canonical``), set aside the rows with mapping issues, and validate
    the rest (all rules but uniqueness) with the vectorised executor."""
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
    outcome = validate_incidents(good, source=source, typed_text=fmt != "canonical", unique=False)
    report = [_issue_report(issues, rows, mapped.frame)] if len(issues) else []
    if len(outcome.report):
        report.append(outcome.report)
    checked_rows = good[ROW].to_numpy()
    failed = np.isin(checked_rows, outcome.report[ROW].to_numpy()) if len(outcome.report) else None
    return Part(
        valid=outcome.valid,
        valid_rows=checked_rows if failed is None else checked_rows[~failed],
        checked_ids=good["incident_id"],
        checked_rows=checked_rows,
        report=report,
        raw_killed=mapped.raw_killed,
        raw_wounded=mapped.raw_wounded,
    )


def _in_threads(pieces: list[pd.DataFrame], module, fmt: str, source: str) -> list[Part]:
    """:func:`map_and_validate` on each piece, :data:`WORKERS` at a time, in order.

    Each task runs in a copy of the caller's context (numpy error state, pandera
    configuration). pandas silences some numpy warnings with ``catch_warnings``, which
    is not thread-safe before Python 3.14: the caller's warning filters are restored
    afterwards, and the one numpy warning pandas means to silence stays silent.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "invalid value encountered in cast", RuntimeWarning)
        with ThreadPoolExecutor(max_workers=WORKERS) as pool:
            futures = [
                pool.submit(contextvars.copy_context().run, map_and_validate, p, module, fmt, source, own_copy=True)
                for p in pieces
            ]
            return [f.result() for f in futures]


def map_in_parts(table: pd.DataFrame, module, fmt: str, source: str, chunk_rows: int | None = None) -> list[Part]:
    """:func:`map_and_validate` of ``table`` in parts of ``chunk_rows`` (default
    :data:`CHUNK_ROWS`) rows, on threads when there are several parts."""
    size = max(1, int(chunk_rows or CHUNK_ROWS))
    if not getattr(module, "ROW_WISE", True):  # the adapter needs the whole table at once
        size = max(size, len(table))
    pieces = [table.iloc[a : a + size] for a in range(0, len(table), size)] or [table.iloc[0:0]]
    if len(pieces) == 1 or WORKERS == 1:
        return [map_and_validate(p, module, fmt, source) for p in pieces]
    return _in_threads(pieces, module, fmt, source)


def unique_failures(parts: list[Part]) -> pd.DataFrame:
    """The ``unique`` rule across all parts: every checked row whose id is repeated."""
    ids = pd.concat([p.checked_ids for p in parts], ignore_index=True)
    rows = np.concatenate([p.checked_rows for p in parts])
    dup = duplicated_ids(ids)
    return pd.DataFrame(
        {
            ROW: rows[dup],
            "incident_id": ids[dup].to_numpy(),
            "column": "incident_id",
            "rule": "unique",
            "message": RULES["unique"],
            "value": ids[dup].to_numpy(dtype=object),
        }
    )
