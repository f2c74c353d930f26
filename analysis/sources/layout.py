"""A researcher's own spreadsheet, read through a mapping of canonical names to its columns.

``read_source(path, mapping={"date": "Date of attack", "province": "Where", "killed":
"Deaths", "wounded": "Injuries", "perpetrator": "Group"}, dayfirst=True)`` reads a file
whose layout no adapter knows. The keys are canonical column names (see
:data:`analysis.schema.COLUMNS`) or ``killed`` / ``wounded``, a single count that fills
low, best and high; the values are the file's own column names. The mapped values go
through the same mapping step, validation and quarantine as any export:

* ``date`` (day first with ``dayfirst=True``: ``26/08/2021``, ``26.08.2021``, ``26
  August 2021``; ISO dates and timestamps always) is the day, ``day`` precision, unless
  ``date_earliest``/``date_latest``/``date_precision`` are mapped too;
* ``province`` goes through the gazetteer, and a city or district in it (``Jalalabad``)
  gives its province; without a mapped ``country``, a record whose province or place
  the gazetteer knows is in Afghanistan, and coordinates locate the others;
* ``perpetrator`` is read with the common spellings (``IS-K``, ``Islamic State
  Khorasan``, ``Taleban``, ``TTP`` ...); another name is ``other``, kept in ``notes``;
* unmapped columns take the defaults of sources that do not say: ``attribution``
  ``attributed`` for a named perpetrator (else ``unknown``), ``geo_precision``
  ``province`` or ``country``, ``source_dataset`` ``other``, ``sources`` the file and
  row; without a mapped id, the id is a hash of the mapped values, so the same record
  has the same id in every file.

A mapping that leaves a required column unmapped, names a column the file does not
have, or uses a key that is not a canonical name raises :class:`~analysis.InputError`
naming it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from .. import gazetteer
from ..errors import InputError
from ..schema import (
    ATTACK_TYPES,
    ATTRIBUTIONS,
    COLUMNS,
    DATE_PRECISIONS,
    GEO_PRECISIONS,
    MAX_WINDOW_DAYS,
    PERPETRATORS,
    TARGET_TYPES,
)
from .adapter import closest_name
from .mapping import Mapped, RawExport, attributed, first_match, toll, window
from .notes import join_notes
from .text import apply_unique, text

__all__ = ["ALIASES", "REQUIRED", "Layout", "perpetrator"]

#: Keys that fill several canonical columns: a single count is low, best and high.
ALIASES = {"killed": ("killed_low", "killed_best", "killed_high"), "wounded": ("wounded_low", "wounded_best", "wounded_high")}
#: What a mapping must give: each entry is satisfied by any one of its keys.
REQUIRED: dict[str, tuple[str, ...]] = {
    "date": ("date", "date_earliest"),
    "perpetrator": ("perpetrator",),
    "killed": ("killed", "killed_best", "killed_low", "killed_high"),
    "place": ("country", "province", "latitude"),
}
DAYFIRST_FORMATS = ("ISO8601", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y", "%d/%m/%y", "%d.%m.%y", "%d %B %Y",
                    "%d %b %Y", "%d-%b-%Y", "%d-%b-%y", "%B %d, %Y", "%b %d, %Y")  # fmt: skip
MONTHFIRST_FORMATS = ("ISO8601", "%m/%d/%Y", "%m-%d-%Y", "%m/%d/%y", "%B %d, %Y", "%b %d, %Y", "%d %B %Y",
                      "%d %b %Y", "%d-%b-%Y", "%d-%b-%y")  # fmt: skip

GROUP_RULES: tuple[tuple[str, str], ...] = (
    (r"^taliban and/or iskp$", "Taliban and/or ISKP"),
    (r"^is-?kp?$|^isis-?k$|khorasan|^daesh-?k$", "ISKP"),
    (r"haqqani", "Haqqani Network"),
    (r"^ttp$|tehr[ei]e?k-?[ei]-?taliban|pakistani taliban", "TTP"),
    (r"tal[ei]ban", "Taliban"),
    (r"^al[- ]?qa['e]?i?da", "al-Qaeda"),
    (r"^hizb|^hezb", "Hizb-e-Islami"),
    (r"^is$|^isis$|^isil$|^daesh$|islamic state", "IS"),  # resolved by country below
    (r"^(unknown|unidentified|unclaimed|none|n/?a|-|\?)$", "unknown"),
)
_GROUPS = first_match(GROUP_RULES, blank="unknown")


def perpetrator(names: pd.Series, country: pd.Series) -> pd.Series:
    """Canonical perpetrators from names as people write them (an Islamic State name in
    Afghanistan is ISKP; elsewhere Islamic State)."""
    exact = {p.casefold(): p for p in PERPETRATORS}
    perp = apply_unique(text(names), lambda n: exact.get(str(n).casefold()) or _GROUPS(n)).fillna("unknown")
    afg = (country == "AFG").to_numpy(dtype=bool, na_value=False)
    return perp.where(perp != "IS", np.where(afg, "ISKP", "Islamic State")).astype("str")


def _province_or_place(name: str) -> dict | None:
    """A province of the gazetteer, else a city or district of its place table."""
    code = gazetteer.try_province_code(name)
    if code is not None:
        return {"name": name, "kind": "province", "province": gazetteer.code_to_name(code)}
    return gazetteer.lookup_place(name)


def _check_keys(mapping: Mapping[str, object]) -> None:
    for key, value in mapping.items():
        if key not in COLUMNS and key not in ALIASES:
            near = closest_name(key, [*COLUMNS, *ALIASES])
            hint = f"; did you mean {near!r}?" if near else ""
            raise InputError(f"mapping key {key!r} is not a canonical column{hint}")
        if not isinstance(value, str) or not value.strip():
            raise InputError(f"mapping[{key!r}] must be the name of one of your columns, not {value!r}")
    for need, keys in REQUIRED.items():
        if not any(k in mapping for k in keys):
            options = " or ".join(repr(k) for k in keys)
            raise InputError(f"the mapping leaves the required column {need!r} unmapped: map {options} to one of your columns")


def _resolve(mapping: Mapping[str, str], columns: Sequence[str]) -> dict[str, str]:
    """Each mapped key with the file's column (exact, else the one differing in case or
    spaces); an InputError naming a column the file does not have."""
    by_key = {str(c).strip().casefold(): str(c) for c in columns}
    out = {}
    for key, theirs in mapping.items():
        found = theirs if theirs in columns else by_key.get(theirs.strip().casefold())
        if found is None:
            near = closest_name(theirs, [str(c) for c in columns])
            hint = f"; did you mean {near!r}?" if near else ""
            raise InputError(f"mapping[{key!r}]: the file has no column {theirs!r}{hint}")
        out[key] = found
    return out


class Layout:
    """The adapter of one user's layout: the mapping checked against the file's columns.

    Parameters
    ----------
    mapping : mapping of str to str
        ``{canonical name: the file's column}`` (``killed``/``wounded`` for one count).
    columns : sequence of str
        The file's columns.
    dayfirst : bool
        Read ``03/04/2021`` as 3 April (True) or 4 March (False).
    name : str
        The file's name, for ``sources``.
    """

    NAME = "mapping"
    SIGNATURE: tuple[str, ...] = ()
    ROW_WISE = False  # identical records are told apart by their order in the file

    def __init__(self, mapping: Mapping[str, str], columns: Sequence[str], *, dayfirst: bool = False, name: str = "own file"):
        mapping = dict(mapping)
        _check_keys(mapping)
        self.map = _resolve(mapping, list(columns))
        self.dayfirst = bool(dayfirst)
        self.name = name
        self.COLUMNS_USED = tuple(dict.fromkeys(self.map.values()))
        self.KNOWN_COLUMNS = self.COLUMNS_USED

    def _text(self, ex: RawExport, key: str) -> pd.Series | None:
        c = self.map.get(key)
        return None if c is None else ex.text(c)

    def _window(self, ex: RawExport) -> dict:
        formats = DAYFIRST_FORMATS if self.dayfirst else MONTHFIRST_FORMATS
        day = {k: ex.dates(self.map[k], formats, required=k != "date_latest") for k in ("date", "date_earliest", "date_latest") if k in self.map}
        start = day.get("date_earliest", day.get("date"))
        end = day.get("date_latest", start)
        end = end.where(end.notna(), start)
        best = day.get("date", start)
        if "date_precision" in self.map:
            precision = self._vocabulary(ex, "date_precision", DATE_PRECISIONS)
        else:
            width = (end - start).dt.days
            limits = [(MAX_WINDOW_DAYS[p], p) for p in ("day", "week", "month", "year")]
            precision = pd.Series(np.select([width <= lim for lim, _ in limits], [p for _, p in limits], "unknown"), index=ex.index, dtype="str")
        return window(start, end, precision, best=best)

    def _vocabulary(self, ex: RawExport, key: str, words) -> pd.Series:
        """A mapped text column, in the canonical vocabulary when it matches one of
        ``words`` up to case and spaces (otherwise as written, for validation to judge)."""
        t = self._text(ex, key)
        table = {w.casefold(): w for w in words}
        return apply_unique(t, lambda v: table.get(str(v).strip().casefold().replace(" ", "_"), v)).astype("str")

    def _where(self, ex: RawExport) -> dict:
        """Country and province (a city or district gives its province), then the place
        columns of :meth:`RawExport.place`."""
        notes = {}
        where = self._text(ex, "province")
        province_col = self.map.get("province")
        place = self._text(ex, "place")
        if where is not None:
            found = apply_unique(where, _province_or_place)
            town = found.map(lambda h: isinstance(h, dict) and h["kind"] != "province").astype(bool)
            resolved = found.map(lambda h: h["province"] if isinstance(h, dict) else None).astype("str")
            ex.raw = ex.raw.assign(**{province_col: resolved.where(resolved.notna(), where)})
            if place is None:
                place = where.where(town)
        if "country" in self.map:
            country = ex.countries(self.map["country"], blank_ok=True)
        else:
            country = pd.Series(None, index=ex.index, dtype="str")
            if where is not None:
                known = resolved.notna()
                country = country.where(~known, "AFG")
                notes["country"] = pd.Series(np.where(known, "from province", None), index=ex.index, dtype="str")
        geo = self._vocabulary(ex, "geo_precision", GEO_PRECISIONS) if "geo_precision" in self.map else None
        xy = (self.map.get("latitude"), self.map.get("longitude"))
        detail = {"district": self._text(ex, "district"), "place": place}
        out = ex.place(country, province_col, geo, country_column=self.map.get("country"), coordinate_columns=xy, **detail)
        if where is not None and "country" not in self.map:  # an Afghan name misspelt, most likely
            ex.flag(out["country"].isna() & where.notna() & resolved.isna(), province_col, "province_unknown", where)
        if geo is None:
            out["geo_precision"] = pd.Series(np.where(out["province"].notna(), "province", "country"), index=ex.index, dtype="str")
        ex.notes = notes | ex.notes
        return out

    def _tolls(self, ex: RawExport) -> tuple[dict, pd.Series, pd.Series | None]:
        out, raws = {}, {}
        for stem in ("killed", "wounded"):
            if stem in self.map:
                count, raws[stem] = ex.count_raw(self.map[stem])
                out |= toll(stem, count)
                continue
            given = {k: ex.count_raw(self.map[f"{stem}_{k}"]) for k in ("low", "best", "high") if f"{stem}_{k}" in self.map}
            if given:
                one = next(iter(given.values()))
                raws[stem] = given["best"][1] if "best" in given else one[1]
                counts = {k: v[0] for k, v in given.items()}
                single = counts.get("best", one[0])
                out |= {f"{stem}_{k}": counts.get(k, single if len(counts) == 1 else None) for k in ("low", "best", "high")}
        return out, raws.get("killed", pd.Series(pd.NA, index=ex.index, dtype="Float64")), raws.get("wounded")

    def _content_ids(self, raw: pd.DataFrame) -> pd.Series:
        hashed = pd.util.hash_pandas_object(raw[list(self.COLUMNS_USED)].astype("str"), index=False).to_numpy()
        ids = pd.Series([f"{h:016x}" for h in hashed], index=raw.index, dtype="str")
        n = ids.groupby(ids).cumcount()
        return ids.where(n == 0, ids + "-" + (n + 1).astype("str"))

    def to_canonical(self, raw: pd.DataFrame, *, victims_only: bool = False) -> Mapped:
        """Map the file's records to canonical columns (``victims_only`` does not apply:
        the mapping names the counts to use)."""
        ex = RawExport(raw, "other")
        when = self._window(ex)
        where = self._where(ex)
        group = self._text(ex, "perpetrator")
        perp = perpetrator(group, where["country"])
        tolls, killed_raw, wounded_raw = self._tolls(ex)
        own_id = self._text(ex, "incident_id")
        event_id = self._text(ex, "source_event_id")
        event_id = event_id if event_id is not None else (own_id if own_id is not None else self._content_ids(raw))
        attribution = self._vocabulary(ex, "attribution", ATTRIBUTIONS) if "attribution" in self.map else attributed(perp)
        row = raw["row"].astype("str") if "row" in raw.columns else pd.Series((np.arange(len(raw)) + 1).astype(str), index=raw.index)
        sources = self._text(ex, "sources")
        fallback = (self.name + ", row " + row).astype("str")
        notes = {"": self._text(ex, "notes"), "group": group.where(perp != group) if group is not None else None}
        counts = {k: ex.count(self.map[k]) for k in ("civilians_killed_best", "combatants_killed_best") if k in self.map}
        optional = {k: self._vocabulary(ex, k, v) for k, v in (("attack_type", ATTACK_TYPES), ("target_type", TARGET_TYPES)) if k in self.map}
        return ex.finish(
            event_id,
            incident_id=own_id,
            source_dataset=self._text(ex, "source_dataset") if "source_dataset" in self.map else None,
            killed_raw=killed_raw,
            wounded_raw=wounded_raw,
            **when,
            **where,
            perpetrator=perp,
            attribution=attribution,
            **optional,
            **tolls,
            **counts,
            sources=sources.where(sources.notna(), fallback) if sources is not None else fallback,
            evidence=self._text(ex, "evidence"),
            notes=join_notes({k: v for k, v in notes.items() if v is not None}, ex.index),
        )

