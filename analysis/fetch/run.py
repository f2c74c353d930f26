"""One incremental run: lock, fetch into the temporary area, map, compare, commit.

The steps, for either source:

1. Refuse clashing paths and a store, history or log this package did not make; take
   the store's lock (a second run on the same store exits at once).
2. Ask the source for a plan from the store's state (what to fetch: the window, and
   for a later run only what is new or changed), and fetch every page into the
   temporary :mod:`~analysis.fetch.pages` area.
3. Map the records through the source's adapter (``analysis.sources.ingest_frame``,
   the same mapping and quarantine as ``ingest``) and compare them with the store by
   event id: new, revised, unchanged, deleted.
4. Only when everything above succeeded: write the quarantine (if asked), the history
   and deletion log, then the store, each atomically. Any failure before leaves every
   file as it was; SIGTERM and Ctrl-C also remove the temporary pages.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import pandas as pd

from ..errors import InputError
from ..io import check_paths, file_lock, sigterm_raises, write_quarantine
from ..sources import IngestOutcome, ingest_frame
from . import store as st
from .countries import Country, resolve_country, same_country
from .errors import FetchError, FetchInterrupted, RowsQuarantinedError, StoreError
from .http import RetryPolicy
from .pages import PageArea, page_area

__all__ = ["FetchSummary", "Fetched", "Plan", "Source", "SourceOptions", "day", "run_fetch", "same_window"]


@dataclass(frozen=True)
class Plan:
    """What one run asks for: a line that says it, the dataset it reads (for the
    history), and the state to keep if it succeeds."""

    describe: str
    dataset: str
    state: dict[str, Any]


@dataclass
class Fetched:
    """Everything a source served in one run (its records and what it lists as deleted)."""

    records: list[dict[str, Any]]
    pages: int
    deleted: dict[str, str | None] = field(default_factory=dict)
    window: tuple[pd.Timestamp | None, pd.Timestamp | None] | None = None
    state: dict[str, Any] = field(default_factory=dict)


@dataclass(kw_only=True)
class SourceOptions:
    """What a run of either source is asked: the store, country and window, and how to
    reach the API. A source adds its own (credentials, version) and the three steps
    of :class:`Source`."""

    store: Path
    country: str | int | None
    start: Any
    end: Any
    api_url: str
    full: bool
    page_size: int
    retry: RetryPolicy | None
    echo: Callable[[str], None] | None

    def scope(self, state: dict[str, Any] | None, source: str) -> tuple[Country, str | None, str | None, str]:
        """The country, start and end of this run (given, else the store's), and the
        country as given; refuses those that differ from the store's."""
        held = state or {}
        given = self.country if self.country is not None else held.get("country_value", "Afghanistan")
        country = resolve_country(given, source)
        same_country(state and state.get("country"), country, self.store)
        start, end = day(self.start, "--start"), day(self.end, "--end")
        same_window(state, start, end, self.store)
        return country, start or held.get("start"), end or held.get("end"), str(given)


class Source(Protocol):
    """A source API: what it is called, how it plans a run and fetches its pages."""

    name: str
    id_field: str
    deleted_reason: str
    window_reason: str

    def plan(self, state: dict[str, Any] | None, stored: pd.DataFrame) -> Plan: ...

    def fetch(self, plan: Plan, pages: PageArea, progress: bool | None) -> Fetched: ...

    def settle(self, fetched: Fetched, outcome: IngestOutcome, state: dict[str, Any]) -> dict[str, Any]: ...


@dataclass(frozen=True)
class FetchSummary:
    """What a run did. ``fetched == new + revised + unchanged + quarantined + duplicates``
    and ``rows_after == rows_before + new - deleted``."""

    source: str
    store: Path
    plan: str
    pages: int
    fetched: int
    new: int
    revised: int
    deleted: int
    unchanged: int
    quarantined: int
    duplicates: int
    rows_before: int
    rows_after: int
    killed_before: int
    killed_after: int
    written: bool
    files: tuple[Path, ...] = ()
    ingest: Any = None

    def summary(self) -> str:
        lines = [
            f"{self.plan}",
            f"  pages fetched:   {self.pages}",
            f"  rows fetched:    {self.fetched}",
            f"  new:             {self.new}",
            f"  revised:         {self.revised}",
            f"  deleted:         {self.deleted}",
            f"  unchanged:       {self.unchanged}",
            f"  quarantined:     {self.quarantined}",
        ]
        if self.duplicates:
            lines.append(f"  duplicates:      {self.duplicates} (served twice, kept once)")
        lines += [
            f"  store rows:      {self.rows_before} -> {self.rows_after}",
            f"  killed (best):   {self.killed_before} -> {self.killed_after}",
        ]
        if self.ingest is not None:
            agree = "yes" if self.ingest.totals_agree else "NO"
            lines.append(
                f"  fetched killed:  {self.ingest.killed_in:g} = mapped {self.ingest.killed_mapped:g}"
                f" + quarantined {self.ingest.killed_quarantined:g} (agree: {agree})"
            )
        if self.written:
            lines.append("  written:         " + ", ".join(str(p) for p in self.files))
        else:
            lines.append(f"  store unchanged: {self.store}")
        return "\n".join(lines)

    __str__ = summary


def day(value: object, option: str) -> str | None:
    """``value`` as ``YYYY-MM-DD`` (None stays None); a time or a time zone is refused."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError):
        raise InputError(f"{option} {value!r} is not a date; use YYYY-MM-DD") from None
    if ts is pd.NaT or ts.tz is not None or ts != ts.normalize():
        raise InputError(f"{option} {value!r} is not a plain date; use YYYY-MM-DD")
    return ts.strftime("%Y-%m-%d")


def same_window(state: dict[str, Any] | None, start: str | None, end: str | None, store: object) -> None:
    """Refuse a later run whose ``start`` or ``end`` differs from the store's window."""
    if state is None:
        return
    for key, value in (("start", start), ("end", end)):
        if value is not None and value != state.get(key):
            held = f"{state.get('start') or 'the first event'} to {state.get('end') or 'the latest'}"
            raise StoreError(
                f"{store} holds events from {held}; --{key} {value} asks for another window: "
                "give a new --store for it"
            )


def _killed(data: pd.DataFrame) -> int:
    return int(data["killed_best"].sum(skipna=True)) if len(data) else 0


def _table(records: list[dict[str, Any]], id_field: str) -> tuple[pd.DataFrame, int]:
    """The served records as a table, exact repeats (the same record on two pages) dropped."""
    table = pd.DataFrame.from_records(records) if records else pd.DataFrame({id_field: []})
    if not len(table):
        return table, 0
    if id_field in table:  # ids as served (a missing one must not turn 1001 into 1001.0)
        table[id_field] = pd.Series([r.get(id_field) for r in records], dtype=object)
    text = table.astype("string")
    dup = text.duplicated()
    return table[~dup.to_numpy()].reset_index(drop=True), int(dup.sum())


def _busy(lock: Path) -> BaseException:
    return FetchError(f"another fetch is updating this store (lock {lock}); try again later")


def run_fetch(
    source: Source,
    store: str | Path,
    *,
    quarantine: str | Path | None = None,
    progress: bool | None = None,
) -> FetchSummary:
    """Run ``source`` once against ``store``; see the module docstring for the steps."""
    paths = st.StorePaths.for_store(store)
    quarantine = Path(quarantine) if quarantine is not None else None
    check_paths(
        [],
        [("--store", paths.store), ("the history", paths.history),
         ("the deletion log", paths.deletions), ("--quarantine", quarantine)],
    )  # fmt: skip
    with sigterm_raises(lambda: FetchInterrupted("the fetch was terminated (SIGTERM)")):
        paths.store.parent.mkdir(parents=True, exist_ok=True)
        with file_lock(paths.store, _busy):
            return _locked_run(source, paths, quarantine, progress)


def _locked_run(source: Source, paths: st.StorePaths, quarantine: Path | None, progress: bool | None) -> FetchSummary:
    stored, state = st.read_store(paths.store, source.name)
    st.check_companions(paths)
    plan = source.plan(state, stored)
    with page_area(paths.store) as pages:
        fetched = source.fetch(plan, pages, progress)
    table, duplicates = _table(fetched.records, source.id_field)
    outcome = ingest_frame(table, format=source.name, source=f"{source.name} API")
    fetched_ids = set(table[source.id_field].astype("string").dropna()) if len(table) else set()
    changes = st.diff(
        stored,
        outcome.valid,
        fetched_ids=fetched_ids,
        deleted=fetched.deleted,
        deleted_reason=source.deleted_reason,
        window=fetched.window,
        window_reason=source.window_reason,
    )
    merged = st.merge(stored, changes, str(paths.store)) if changes.any else stored
    n_q = outcome.summary.rows_quarantined
    written: list[Path] = []
    summary = FetchSummary(
        source=source.name, store=paths.store, plan=plan.describe, pages=fetched.pages,
        fetched=len(table) + duplicates, new=len(changes.new), revised=len(changes.revised),
        deleted=len(changes.deleted), unchanged=changes.unchanged, quarantined=n_q,
        duplicates=duplicates, rows_before=len(stored), rows_after=len(merged),
        killed_before=_killed(stored), killed_after=_killed(merged), written=False,
        ingest=outcome.summary,
    )  # fmt: skip
    if n_q and quarantine is None:
        raise RowsQuarantinedError(
            f"{n_q} of {len(table)} fetched records cannot be mapped or validated; nothing was "
            "written: give a quarantine file to keep the valid ones and set these aside",
            outcome.report,
            summary,
        )
    if quarantine is not None:
        write_quarantine(outcome.quarantined, quarantine)
        written.append(quarantine)
    commit = changes.any or state is None  # a new store is written even when empty
    if commit:
        when = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
        new_state = source.settle(fetched, outcome, {**plan.state, **fetched.state, "updated_at": when})
        st.write_changes(paths, merged, changes, new_state, when=when, dataset=plan.dataset)
        if len(changes.previous) or len(changes.deleted):
            written.append(paths.history)
        if len(changes.deleted):
            written.append(paths.deletions)
        written.append(paths.store)
    return dataclasses.replace(summary, written=commit, files=tuple(written))
