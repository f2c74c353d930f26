"""The mapping step every adapter shares: from a raw export to canonical columns.

An adapter wraps its raw table (one row per source record) in a :class:`RawExport`,
reads each source column through it by name (the column is parsed, and every value
that cannot be used is recorded under that name as an issue), and hands the canonical
columns to :meth:`RawExport.finish`. That builds the canonical frame (the incident id
``<dataset>-<event id>``, ``source_dataset``, ``source_event_id``, canonical dtypes for
every column, missing for what the source does not give) and returns a :class:`Mapped`.
An adapter module therefore declares only what differs between sources: its name,
signature columns, codebooks and the rules that turn its fields into canonical values.

:func:`analysis.sources.read_source` then quarantines the rows with issues and validates
the rest through :func:`analysis.validation.validate_incidents`, so that the canonical
rules live in one place.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import InputError
from ..schema import COLUMNS, canonical_dtype
from . import coordinates, parse, places
from .issues import Issues
from .notes import join_notes
from .text import map_values, text, where_text

__all__ = ["Mapped", "RawExport", "attributed", "canonical_frame", "first_match", "toll", "window"]


@dataclass
class Mapped:
    """What an adapter returns: canonical columns, the issues, and the raw totals."""

    frame: pd.DataFrame
    issues: pd.DataFrame
    raw_killed: pd.Series
    raw_wounded: pd.Series


def _typed(c: str, v: object, index: pd.Index) -> pd.Series:
    """Column ``c`` in its canonical dtype (missing when ``v`` is None)."""
    dtype = canonical_dtype(c)
    if v is None:
        return pd.Series(None, index=index, dtype=dtype)
    if dtype != "str":
        return pd.Series(v, index=index).astype(dtype)
    if isinstance(v, pd.Series):
        return v if v.dtype == "str" else v.astype("str")
    return pd.Series(v, index=index, dtype="str")


def canonical_frame(index: pd.Index, **columns: object) -> pd.DataFrame:
    """Assemble the canonical columns with canonical dtypes; absent columns are missing."""
    unknown = set(columns) - set(COLUMNS)
    if unknown:
        raise InputError(f"not canonical columns: {sorted(unknown)}")
    data = {c: _typed(c, columns.get(c), index) for c in COLUMNS}
    return pd.DataFrame(data, index=index, copy=False)  # columns may share arrays (copy-on-write)


def window(start: pd.Series, end: pd.Series, precision: pd.Series | str, *, best: pd.Series | None = None) -> dict:
    """The date columns: the window ``start .. end``, its precision, and the best single
    date (``start`` unless given)."""
    return {
        "date": start if best is None else best,
        "date_earliest": start,
        "date_latest": end,
        "date_precision": precision,
    }


_SAME = object()


def toll(stem: str, best: pd.Series | None, *, low: object = _SAME, high: object = _SAME) -> dict:
    """The ``low``/``best``/``high`` columns of ``stem`` (``"killed"`` or ``"wounded"``).

    A source that gives one figure gives it for all three; ``low``/``high`` (a Series,
    or None for unknown) say otherwise.
    """
    return {
        f"{stem}_low": best if low is _SAME else low,
        f"{stem}_best": best,
        f"{stem}_high": best if high is _SAME else high,
    }


def first_match(rules: Sequence[tuple[str, object]], *, blank: object = None, default: object = "other") -> Callable:
    """A function of one name: the value of the first rule whose pattern (a regular
    expression, case-insensitive) is found in the stripped name; ``default`` when none
    matches, ``blank`` for a missing or blank name."""
    compiled = tuple((re.compile(p, re.IGNORECASE), v) for p, v in rules)

    def match(name: object) -> object:
        if name is None or (isinstance(name, float) and name != name) or not str(name).strip():
            return blank
        name = str(name).strip()
        for pattern, value in compiled:
            if pattern.search(name):
                return value
        return default

    return match


def attributed(perpetrator: pd.Series) -> pd.Series:
    """``attributed`` where a perpetrator is named, else ``unknown`` (sources that do not
    say how sure the attribution is)."""
    return pd.Series(np.where(perpetrator != "unknown", "attributed", "unknown"), index=perpetrator.index, dtype="str")


class RawExport:
    """A raw export being mapped: its columns by name, and the issues found so far.

    Each reader takes a source column's name (an absent column reads as all missing),
    parses it, and records every value it cannot use under that name.
    """

    def __init__(self, raw: pd.DataFrame, name: str):
        self.raw = raw
        self.name = name
        self.index = raw.index
        self.issues = Issues()
        #: Notes added by the shared steps (places from coordinates), by key.
        self.notes: dict[str, pd.Series] = {}

    def has(self, column: str) -> bool:
        return column in self.raw.columns

    def column(self, column: str) -> pd.Series:
        return parse.col(self.raw, column)

    def text(self, column: str) -> pd.Series:
        return text(self.column(column))

    def flag(self, mask: pd.Series, column: str, rule: str, values=None) -> None:
        """Record ``rule`` for ``column`` in the rows where ``mask`` holds."""
        self.issues.add(mask, column, rule, values)

    def number(self, column: str) -> pd.Series:
        return parse.number(self.column(column), column, self.issues)

    def code(self, column: str, known: Iterable[int] | None = None) -> pd.Series:
        return parse.code(self.column(column), column, self.issues, known=known)

    def count(self, column: str) -> pd.Series:
        return parse.count(self.column(column), column, self.issues)

    def count_raw(self, column: str) -> tuple[pd.Series, pd.Series]:
        return parse.count_raw(self.column(column), column, self.issues)

    def share(self, column: str) -> tuple[np.ndarray, pd.Series]:
        return parse.share(self.column(column), column, self.issues)

    def dates(self, column: str, formats: Iterable[str], *, required: bool = True) -> pd.Series:
        return parse.dates(self.raw, column, formats, self.issues, required=required)

    def lookup(self, column: str, table: Mapping[int, str]) -> pd.Series:
        """The text that ``table`` gives each code of ``column`` (a code not in it is an issue)."""
        return map_values(self.code(column, known=table), table).astype("str")

    def countries(self, column: str, *, blank_ok: bool = False) -> pd.Series:
        """ISO3 codes of a country-name column; ``blank_ok`` leaves blanks missing
        without an issue (for :meth:`place`, which may find them from coordinates)."""
        return places.countries(self.column(column), column, self.issues, blank_ok=blank_ok)

    def provinces(self, column: str, country: pd.Series) -> tuple[pd.Series, pd.Series]:
        return places.provinces(self.column(column), country, column, self.issues)

    def event_id(self, column: str) -> pd.Series:
        """The source's event identifier (text); a missing one is ``id_missing``."""
        ids = self.text(column)
        self.flag(ids.isna(), column, "id_missing")
        return ids

    def _coordinates(self, columns: tuple[str | None, str | None]) -> dict[str, pd.Series]:
        named = zip(("latitude", "longitude"), columns, strict=True)
        return {k: self.number(c) for k, c in named if c is not None and self.has(c)}

    def place(
        self,
        country: pd.Series,
        province_column: str | None,
        geo_precision: pd.Series,
        *,
        country_column: str | None = None,
        coordinate_columns: tuple[str | None, str | None] = ("latitude", "longitude"),
        **detail: pd.Series,
    ) -> dict:
        """The place columns: ``country`` (ISO3), the province of ``province_column`` and
        its code (through the gazetteer), ``geo_precision``, ``latitude`` and
        ``longitude`` (from the columns of that name, where present), and ``detail``
        (``district``, ``place``); ``coordinate_columns`` names the latitude and longitude
        columns when the source calls them otherwise.

        Coordinates are evidence (:mod:`.coordinates`): a missing country, and the
        province of an Afghan record that gives none, come from the point where it
        lies (not from a point the source places only at country precision, a
        centroid). A country still missing is ``country_unknown`` (on ``country_column``).
        """
        xy = self._coordinates(coordinate_columns)
        lat, lon = xy.get("latitude"), xy.get("longitude")
        found = coordinates.locate_missing(country, pd.Series(True, index=self.index), lat, lon)
        country, notes = found.country, dict(found.notes)
        self.flag(country.isna(), country_column or "country", "country_unknown")
        if province_column is None:  # the source gives no province
            province = province_code = pd.Series(None, index=self.index, dtype="str")
            given = pd.Series(False, index=self.index)
        else:
            province, province_code = self.provinces(province_column, country)
            given = self.text(province_column)
            given = given.notna() & (given.str.lower() != "unknown")
        # a point given at country precision is the country's centroid: no province
        coarse = (geo_precision == "country") if geo_precision is not None else False
        known = province_code.notna() | given | coarse
        inside = coordinates.locate_missing(country, known, lat, lon)
        if len(inside.notes):
            got = inside.province_code.notna()
            province_code = where_text(~got, province_code, inside.province_code)
            province = where_text(~got, province, coordinates.province_names(inside.province_code))
            notes |= inside.notes
        self.notes |= notes
        return {
            "country": country,
            "province": province,
            "province_code": province_code,
            "geo_precision": geo_precision,
            **xy,
            **detail,
        }

    def finish(
        self,
        event_id: pd.Series,
        *,
        killed_raw: pd.Series,
        wounded_raw: pd.Series | None = None,
        incident_id: pd.Series | None = None,
        source_dataset: pd.Series | None = None,
        **columns,
    ) -> Mapped:
        """The canonical frame of the export and its issues.

        ``event_id`` is the source's own identifier (``incident_id`` is
        ``<dataset>-<event_id>`` unless given); ``killed_raw``/``wounded_raw`` are the
        source's own figures, for the ingest totals (None: the source gives none);
        ``columns`` are the other canonical columns.
        """
        columns["notes"] = self.with_notes(columns.get("notes"))
        ids = self.name + "-" + event_id
        frame = canonical_frame(
            self.index,
            incident_id=ids if incident_id is None else incident_id.where(incident_id.notna(), ids),
            source_dataset=self.name if source_dataset is None else source_dataset,
            source_event_id=event_id,
            **columns,
        )
        if wounded_raw is None:
            wounded_raw = pd.Series(pd.NA, index=self.index, dtype="Float64")
        return Mapped(frame, self.issues.frame(), killed_raw, wounded_raw)

    def with_notes(self, notes: pd.Series | None) -> pd.Series | None:
        """``notes`` followed by the notes of the shared steps (``key=value; ...``)."""
        if not self.notes:
            return notes
        parts = {"": notes} if notes is not None else {}
        return join_notes(parts | self.notes, self.index)
