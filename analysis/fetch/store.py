"""The local store: a canonical Parquet file, its history and its deletion log.

Three files, named after ``--store``:

* ``NAME.parquet``, **the store**: the source's records mapped to the canonical schema
  (every column of :data:`analysis.schema.COLUMNS`, read by ``load_incidents``,
  ``report --data`` and ``validate``), one row per source event id, sorted by date
  and id. What the fetcher needs to resume (source, country, window, dataset version,
  ACLED's last ``timestamp``) is kept in the Parquet file's metadata, so the data and
  the state change together, in one atomic rename.
* ``NAME.history.parquet``: every version a run replaced (``change = "revised"``) or
  removed (``change = "deleted"``), in the canonical columns plus ``change``,
  ``recorded_at`` (UTC) and ``dataset``. Nothing a source retracts is lost.
* ``NAME.deletions.csv``: one line per deleted event id, with when the source deleted
  it (when it says), when the run saw it and why.

The store is replaced only when its content changes, and last: the history and the
log are written first, so an interruption between them can leave a history entry for
a change the store has not taken yet, never the reverse (the next run detects the
same change again and does not repeat the entry). A store that did not change is not
rewritten at all, so its bytes, and the hash ``report --if-changed`` compares, stay
the same.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from .. import DataFileError, IncidentValidationError, load_incidents, validate_incidents
from ..io import unescape_frame, write_csv, write_parquet
from ..schema import COLUMNS
from .errors import FetchError, StoreError

__all__ = ["Changes", "StorePaths", "diff", "merge", "read_store", "write_changes"]

#: Key of the fetch state in the store's Parquet metadata (pandas ``attrs``).
STATE_KEY = "analysis_fetch"
HISTORY_EXTRA = ("change", "recorded_at", "dataset")
DELETION_COLUMNS = ("incident_id", "source_event_id", "deleted_at", "recorded_at", "reason", "killed_best")


@dataclass(frozen=True)
class StorePaths:
    """The store and the two files beside it."""

    store: Path
    history: Path
    deletions: Path

    @classmethod
    def for_store(cls, store: str | Path) -> StorePaths:
        store = Path(store)
        if store.suffix.lower() not in (".parquet", ".pq"):
            raise StoreError(f"--store {store}: the store is a Parquet file; give a name ending in .parquet")
        stem = store.with_suffix("")
        return cls(store, Path(f"{stem}.history.parquet"), Path(f"{stem}.deletions.csv"))


def empty_store() -> pd.DataFrame:
    """A store with no rows, in the canonical columns and dtypes."""
    return validate_incidents(pd.DataFrame(columns=list(COLUMNS))).valid


def read_state(path: Path) -> dict[str, Any] | None:
    """The fetch state kept in a Parquet file's metadata; None if it has none."""
    import pyarrow.parquet as pq

    try:
        meta = pq.read_schema(path).metadata or {}
        attrs = json.loads(meta.get(b"PANDAS_ATTRS", b"{}"))
    except Exception:  # pyarrow raises several types for a file that is not Parquet
        return None
    state = attrs.get(STATE_KEY) if isinstance(attrs, dict) else None
    return state if isinstance(state, dict) and "source" in state else None


def read_store(path: Path, source: str) -> tuple[pd.DataFrame, dict[str, Any] | None]:
    """The stored rows and state; an empty store and None when ``path`` does not exist."""
    if not path.exists() and not path.is_symlink():
        return empty_store(), None
    if not path.is_file():
        raise StoreError(f"--store {path} exists and is not a regular file")
    state = read_state(path)
    if state is None:
        raise StoreError(
            f"--store {path} exists but is not a store made by `analysis fetch`; "
            "fetch never replaces a file it did not make: give a new path"
        )
    if state["source"] != source:
        raise StoreError(
            f"--store {path} holds {state['source']} events; fetch {state['source']} into it, "
            "or give a new --store"
        )
    try:
        data = load_incidents(path)
    except (DataFileError, IncidentValidationError) as exc:
        first = str(exc).splitlines()[0]
        raise StoreError(f"--store {path} no longer holds valid incidents ({first})") from None
    data.attrs.clear()
    return data, state


def _check_history(path: Path) -> pd.DataFrame | None:
    if not path.exists():
        return None
    try:
        hist = pd.read_parquet(path)
    except Exception:
        hist = None
    if hist is None or not {"incident_id", *HISTORY_EXTRA} <= set(hist.columns):
        raise StoreError(f"{path} exists and is not a fetch history; move it away or give another --store")
    return hist


def _check_log(path: Path) -> pd.DataFrame | None:
    if not path.exists():
        return None
    try:
        log = pd.read_csv(path, dtype=str, keep_default_na=False)
    except Exception:
        log = None
    if log is None or tuple(log.columns) != DELETION_COLUMNS:
        raise StoreError(f"{path} exists and is not a fetch deletion log; move it away or give another --store")
    return unescape_frame(log)


def check_companions(paths: StorePaths) -> None:
    """Refuse a history or deletion log beside the store that this package did not write."""
    _check_history(paths.history)
    _check_log(paths.deletions)


def _text(s: pd.Series) -> pd.Series:
    if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
        s = s.astype("Float64")
    return s.astype("string")


def fingerprints(frame: pd.DataFrame) -> pd.Series:
    """One hash per row over the canonical columns (NA-aware), indexed by ``incident_id``."""
    text = pd.DataFrame({c: _text(frame[c]) if c in frame else pd.NA for c in COLUMNS}, index=frame.index)
    hashes = pd.util.hash_pandas_object(text.astype("string"), index=False)
    return pd.Series(hashes.to_numpy(), index=frame["incident_id"].astype(str).to_numpy())


@dataclass
class Changes:
    """What a run changes: new rows, revised rows (new and previous versions), deletions."""

    new: pd.DataFrame
    revised: pd.DataFrame
    previous: pd.DataFrame
    deleted: pd.DataFrame
    deleted_at: pd.Series  # source's deletion time (ISO text or NA), aligned on ``deleted``
    reasons: pd.Series  # why each row of ``deleted`` was deleted
    unchanged: int

    @property
    def any(self) -> bool:
        return bool(len(self.new) or len(self.revised) or len(self.deleted))


def diff(
    stored: pd.DataFrame,
    valid: pd.DataFrame,
    *,
    fetched_ids: set[str],
    deleted: dict[str, str | None],
    deleted_reason: str,
    window: tuple[pd.Timestamp | None, pd.Timestamp | None] | None,
    window_reason: str = "",
) -> Changes:
    """Compare the mapped records of a run with the store, by event id.

    ``fetched_ids`` are the source event ids of every record served (valid or not);
    ``deleted`` the ids the source lists as deleted, with when. With ``window`` (a
    complete fetch of that date window), a stored event wholly inside it that was not
    served is deleted too.
    """
    old_fp, new_fp = fingerprints(stored), fingerprints(valid)
    ids = valid["incident_id"].astype(str)
    known = ids.isin(old_fp.index).to_numpy()
    common = ids[known]
    changed = new_fp.loc[common.to_numpy()].to_numpy() != old_fp.reindex(common.to_numpy()).to_numpy()
    revised = valid[known][changed]
    previous = stored[stored["incident_id"].isin(revised["incident_id"])]

    src = stored["source_event_id"].astype(str)
    gone = pd.Series(False, index=stored.index)
    reasons = pd.Series("", index=stored.index, dtype=object)
    listed = src.isin(set(deleted) - fetched_ids)
    gone |= listed
    reasons[listed] = deleted_reason
    if window is not None:
        lo, hi = window
        inside = pd.Series(True, index=stored.index)
        if lo is not None:
            inside &= stored["date_earliest"] >= lo
        if hi is not None:
            inside &= stored["date_latest"] <= hi
        absent = inside & ~src.isin(fetched_ids) & ~gone
        gone |= absent
        reasons[absent] = window_reason
    removed = stored[gone]
    return Changes(
        new=valid[~known],
        revised=revised,
        previous=previous,
        deleted=removed,
        deleted_at=src[gone].map(lambda i: deleted.get(i)),
        reasons=reasons[gone],
        unchanged=int((~changed).sum()),
    )


def merge(stored: pd.DataFrame, changes: Changes, source: str) -> pd.DataFrame:
    """The store after ``changes``: validated, sorted by date and id."""
    drop = set(changes.revised["incident_id"]) | set(changes.deleted["incident_id"])
    kept = stored[~stored["incident_id"].isin(drop)]
    parts = [p for p in (kept, changes.revised, changes.new) if len(p)]
    merged = pd.concat(parts, ignore_index=True) if parts else empty_store()
    merged = merged.sort_values(["date", "incident_id"], kind="stable").reset_index(drop=True)
    outcome = validate_incidents(merged[list(COLUMNS)], source=source)
    if outcome.n_quarantined:  # cannot happen unless the store and the run disagree on ids
        rules = ", ".join(sorted(outcome.rule_counts))
        raise FetchError(f"the updated store would break canonical rules ({rules}); nothing was written")
    out = outcome.valid.reset_index(drop=True)
    out.attrs.clear()
    return out


def _history_rows(changes: Changes, when: str, dataset: str) -> pd.DataFrame:
    parts = [
        changes.previous.assign(change="revised"),
        changes.deleted.assign(change="deleted"),
    ]
    rows = pd.concat([p for p in parts if len(p)], ignore_index=True)
    return rows.assign(recorded_at=when, dataset=dataset)[[*COLUMNS, *HISTORY_EXTRA]]


def _append_history(path: Path, rows: pd.DataFrame) -> None:
    old = _check_history(path)
    both = rows if old is None else pd.concat([old, rows], ignore_index=True)
    key = pd.Series(fingerprints(both).to_numpy(), index=both.index).astype(str) + "|" + both["change"].astype(str)
    both = both[~key.duplicated()].reset_index(drop=True)  # a change seen again is not repeated
    both.attrs.clear()
    write_parquet(both, path, index=False)


def _append_log(path: Path, changes: Changes, when: str) -> None:
    d = changes.deleted
    rows = pd.DataFrame(
        {
            "incident_id": d["incident_id"].astype(str).to_numpy(),
            "source_event_id": d["source_event_id"].astype(str).to_numpy(),
            "deleted_at": changes.deleted_at.fillna("").astype(str).to_numpy(),
            "recorded_at": when,
            "reason": changes.reasons.astype(str).to_numpy(),
            "killed_best": d["killed_best"].astype("string").fillna("").to_numpy(),
        }
    )
    old = _check_log(path)
    both = rows if old is None else pd.concat([old, rows], ignore_index=True)
    both = both.drop_duplicates("incident_id", keep="first")
    write_csv(both[list(DELETION_COLUMNS)], path)


def write_changes(
    paths: StorePaths, merged: pd.DataFrame, changes: Changes, state: dict[str, Any], *, when: str, dataset: str
) -> None:
    """Write the history and the deletion log, then the store (the commit point)."""
    if len(changes.previous) or len(changes.deleted):
        _append_history(paths.history, _history_rows(changes, when, dataset))
    if len(changes.deleted):
        _append_log(paths.deletions, changes, when)
    merged = merged.copy(deep=False)
    merged.attrs = {STATE_KEY: state}
    write_parquet(merged, paths.store, index=False)
