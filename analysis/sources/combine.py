"""Several exports into one canonical table, each source record kept once.

A record whose ``incident_id`` already came from an earlier file (the same source
record in two extracts) is quarantined with the rule ``duplicate_across_inputs``, so
rows in = mapped + quarantined still holds over all the files.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from ..errors import InputError
from ..readers import ROW
from ..validation.quarantine import REASONS
from .ingest import IngestOutcome, ingest_file
from .summary import IngestSummary, add_up

__all__ = ["ingest_files"]

DUPLICATE = "duplicate_across_inputs"


def _as_quarantined(rows: pd.DataFrame, first: pd.Series) -> pd.DataFrame:
    """Canonical rows that repeat an earlier file's, as text quarantine rows."""
    out = rows.astype("object").where(rows.notna(), None).astype("str")
    out.insert(0, REASONS, (f"incident_id: {DUPLICATE} (first in " + first + ")").to_numpy())
    out.insert(0, ROW, pd.NA)
    return out


def _moved_to_quarantine(s: IngestSummary, rows: pd.DataFrame) -> IngestSummary:
    """``s`` with valid ``rows`` counted as quarantined instead of mapped."""
    n = len(rows)
    killed = float(rows["killed_best"].sum()) if n else 0.0
    wounded = float(rows["wounded_best"].sum()) if n else 0.0
    reasons = dict(s.reasons) | ({DUPLICATE: n} if n else {})
    return IngestSummary(
        source=s.source,
        format=s.format,
        rows_in=s.rows_in,
        rows_mapped=s.rows_mapped - n,
        rows_quarantined=s.rows_quarantined + n,
        reasons=reasons,
        killed_in=s.killed_in,
        killed_mapped=s.killed_mapped - killed,
        killed_quarantined=s.killed_quarantined + killed,
        wounded_in=s.wounded_in,
        wounded_mapped=s.wounded_mapped - wounded,
        wounded_quarantined=s.wounded_quarantined + wounded,
        perpetrators=s.perpetrators,
    )


def ingest_files(paths: Iterable[str | Path], format: str | None = None) -> IngestOutcome:
    """Ingest several exports (any mix of formats) into one canonical table.

    Each file is read with :func:`~.ingest.ingest_file`. A record whose ``incident_id``
    already came from an earlier file (the same source record in two extracts) is
    quarantined with the rule ``duplicate_across_inputs``, so rows in = mapped +
    quarantined still holds. The quarantined rows carry a ``source_file`` column. The
    summary adds up the files' summaries (``format`` lists the formats); the summary of
    each file is in ``valid.attrs["ingest_files"]``.

    Raises
    ------
    DataFileError
        When any file cannot be used (nothing is combined).
    InputError
        When no file is given.
    """
    outcomes = [ingest_file(p, format) for p in paths]
    if not outcomes:
        raise InputError("no input files given")
    valid_parts, q_parts, r_parts, summaries = [], [], [], []
    seen: dict[str, str] = {}
    for o in outcomes:
        src = o.summary.source
        ids = o.valid["incident_id"]
        dup = ids.isin(seen.keys()).to_numpy()
        valid_parts.append(o.valid[~dup])
        q = o.quarantined.assign(source_file=src)
        if dup.any():
            extra = _as_quarantined(o.valid[dup], ids[dup].map(seen)).assign(source_file=src)
            q = pd.concat([q, extra], ignore_index=True)
        q_parts.append(q)
        r_parts.append(o.report.assign(source_file=src))
        seen.update(dict.fromkeys(ids[~dup].tolist(), src))
        summaries.append(_moved_to_quarantine(o.summary, o.valid[dup]))
    valid = pd.concat(valid_parts, ignore_index=True)
    quarantined = pd.concat(q_parts, ignore_index=True)
    summary = add_up(summaries, valid, len(quarantined))
    valid.attrs["ingest"] = summary
    valid.attrs["ingest_files"] = summaries
    return IngestOutcome(valid=valid, quarantined=quarantined, report=pd.concat(r_parts, ignore_index=True), summary=summary)
