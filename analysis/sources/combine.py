"""Several files into one canonical table, each record kept once.

The same record often arrives in several files: an Afghanistan extract and the
worldwide file, two overlapping downloads, the same file given twice. A record is the
same when it has the same ``source_dataset`` and ``source_event_id``, or, for records
without a source id, when every canonical column is identical. Such a repeat is kept
once (from the first file that has it), and the others are dropped and counted
(``duplicates_dropped`` in the summary; :attr:`IngestOutcome.duplicates` lists them),
so rows in = mapped + quarantined + duplicates still holds over all the files.

A record whose ``incident_id`` is already taken by a *different* record of an earlier
file cannot be told apart from it: it is quarantined with the rule
``duplicate_across_inputs``. Records from different datasets that describe the same
attack are different records and stay separate rows; :func:`~.merge.merge_sources`
links them.

:func:`keep_once` is the step itself, shared by :func:`ingest_files` and the report's
data loading (:func:`analysis.report.load_report_data`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError
from ..readers import ROW
from ..schema import COLUMNS
from ..validation.quarantine import REASONS
from .ingest import IngestOutcome, ingest_file
from .summary import IngestSummary, add_up, total

__all__ = ["DUPLICATE", "Kept", "ingest_files", "keep_once", "record_keys"]

DUPLICATE = "duplicate_across_inputs"
_SEP = "\x1f"


def record_keys(data: pd.DataFrame) -> pd.Series:
    """What makes a record the same record: ``source_dataset`` and ``source_event_id``
    where both are known, else a hash of every canonical column."""
    has_id = (data["source_dataset"].notna() & data["source_event_id"].notna()).to_numpy()
    keys = pd.Series(None, index=data.index, dtype="str")
    if has_id.any():
        keys[has_id] = ("id" + _SEP + data["source_dataset"] + _SEP + data["source_event_id"])[has_id]
    if (~has_id).any():
        rows = data.loc[~has_id, list(COLUMNS)]
        hashed = pd.util.hash_pandas_object(rows, index=False).to_numpy()
        keys[~has_id] = [f"row{_SEP}{h:016x}" for h in hashed]
    return keys


@dataclass
class Kept:
    """The result of :func:`keep_once`: for each frame, which rows are kept, which repeat
    a record of an earlier frame (dropped), and which take an earlier frame's
    ``incident_id`` for a different record (conflicts); plus the names of the frames
    that had each repeated or conflicting record first."""

    keep: list[np.ndarray]
    repeat: list[np.ndarray]
    conflict: list[np.ndarray]
    first: list[pd.Series]  # per frame: the earlier frame's name, where repeat or conflict

    def duplicates(self, frames: Sequence[pd.DataFrame], names: Sequence[str]) -> pd.DataFrame:
        """The dropped repeats: ``incident_id``, ``source_file``, ``first_file``."""
        parts = [
            pd.DataFrame({"incident_id": f.loc[r, "incident_id"].to_numpy(), "source_file": n, "first_file": first[r].to_numpy()})
            for f, n, r, first in zip(frames, names, self.repeat, self.first, strict=True)
        ]
        return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["incident_id", "source_file", "first_file"])


def keep_once(frames: Sequence[pd.DataFrame], names: Sequence[str]) -> Kept:
    """Keep each record once over ``frames`` (canonical, in order; ``names`` name them).

    Within one frame nothing is dropped (its own repeated ids are the ``unique`` rule's
    business); across frames a repeated record is dropped and a different record under
    a taken ``incident_id`` is a conflict.
    """
    kept = Kept([], [], [], [])
    if len(frames) == 1:  # nothing to compare with
        n = len(frames[0])
        none = np.zeros(n, dtype=bool)
        return Kept([~none], [none], [none], [pd.Series(None, index=frames[0].index, dtype="str")])
    seen_keys: dict[str, str] = {}
    seen_ids: dict[str, str] = {}
    for frame, name in zip(frames, names, strict=True):
        keys = record_keys(frame)
        ids = frame["incident_id"]
        repeat = keys.isin(seen_keys.keys()).to_numpy()
        conflict = ~repeat & ids.isin(seen_ids.keys()).to_numpy()
        first = keys.map(seen_keys).where(repeat, ids.map(seen_ids)).where(repeat | conflict)
        keep = ~(repeat | conflict)
        kept.keep.append(keep)
        kept.repeat.append(repeat)
        kept.conflict.append(conflict)
        kept.first.append(first.astype("str"))
        seen_keys.update(dict.fromkeys(keys[keep].tolist(), name))
        seen_ids.update(dict.fromkeys(ids[keep].tolist(), name))
    return kept


def _as_quarantined(rows: pd.DataFrame, first: pd.Series) -> pd.DataFrame:
    """Canonical rows whose id an earlier file's different record holds, as text
    quarantine rows."""
    out = rows.astype("object").where(rows.notna(), None).astype("str")
    reason = f"incident_id: {DUPLICATE} (a different record under the same id is first in " + first + ")"
    out.insert(0, REASONS, reason.to_numpy())
    out.insert(0, ROW, pd.NA)
    return out


def _accounted(s: IngestSummary, figures: pd.DataFrame, repeat: np.ndarray, conflict: np.ndarray) -> IngestSummary:
    """``s`` with the repeated rows counted as duplicates and the conflicting rows as
    quarantined, instead of mapped (their source figures moved likewise)."""
    moved = dict(s)
    for stem in ("killed", "wounded"):
        rep, con = total(figures.loc[repeat, stem]), total(figures.loc[conflict, stem])
        moved[f"{stem}_mapped"] = s[f"{stem}_mapped"] - rep - con
        moved[f"{stem}_quarantined"] = s[f"{stem}_quarantined"] + con
        moved[f"{stem}_duplicates"] = s[f"{stem}_duplicates"] + rep
    n_rep, n_con = int(repeat.sum()), int(conflict.sum())
    moved["rows_mapped"] = s.rows_mapped - n_rep - n_con
    moved["rows_quarantined"] = s.rows_quarantined + n_con
    moved["duplicates_dropped"] = s.duplicates_dropped + n_rep
    moved["reasons"] = dict(s.reasons) | ({DUPLICATE: n_con} if n_con else {})
    moved.pop("totals_agree")
    return IngestSummary(**moved)


def ingest_files(
    paths: Iterable[str | Path],
    format: str | None = None,
    *,
    victims_only: bool = False,
    mapping: Mapping[str, str] | None = None,
    dayfirst: bool = False,
) -> IngestOutcome:
    """Ingest several exports (any mix of formats) into one canonical table.

    Each file is read with :func:`~.ingest.ingest_file` (``victims_only``, ``mapping``
    and ``dayfirst`` as in :func:`~.ingest.read_source`, for every file), then each
    record is kept once (:func:`keep_once`): a record repeated from an earlier file is
    dropped and counted (``summary.duplicates_dropped``, listed in ``duplicates``), a
    different record under an earlier file's ``incident_id`` is quarantined with the
    rule ``duplicate_across_inputs``. rows in = mapped + quarantined + duplicates. The
    quarantined rows carry a ``source_file`` column; the summary of each file is in
    ``valid.attrs["ingest_files"]``.

    Raises
    ------
    DataFileError
        When any file cannot be used (nothing is combined).
    InputError
        When no file is given.
    """
    options = {"victims_only": victims_only, "mapping": mapping, "dayfirst": dayfirst}
    outcomes = [ingest_file(p, format, **options) for p in paths]
    if not outcomes:
        raise InputError("no input files given")
    names = [o.summary.source for o in outcomes]
    kept = keep_once([o.valid for o in outcomes], names)
    valid_parts, q_parts, summaries = [], [], []
    for o, name, keep, rep, con, first in zip(outcomes, names, kept.keep, kept.repeat, kept.conflict, kept.first, strict=True):
        valid_parts.append(o.valid[keep])
        q = o.quarantined.assign(source_file=name)
        if con.any():
            q = pd.concat([q, _as_quarantined(o.valid[con], first[con]).assign(source_file=name)], ignore_index=True)
        q_parts.append(q)
        summaries.append(_accounted(o.summary, o.figures, rep, con))
    valid = pd.concat(valid_parts, ignore_index=True)
    quarantined = pd.concat(q_parts, ignore_index=True)
    report = pd.concat([o.report.assign(source_file=n) for o, n in zip(outcomes, names, strict=True)], ignore_index=True)
    summary = add_up(summaries, valid, len(quarantined))
    valid.attrs["ingest"] = summary
    valid.attrs["ingest_files"] = summaries
    duplicates = kept.duplicates([o.valid for o in outcomes], names)
    return IngestOutcome(valid=valid, quarantined=quarantined, report=report, summary=summary, duplicates=duplicates)
