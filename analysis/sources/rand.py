"""RAND Database of Worldwide Terrorism Incidents (RDWTI) -> canonical incidents.

Columns: Date, City, Country, Perpetrator, Weapon, Injuries, Fatalities, Description.
Rules in ``docs/sources.md`` (section RAND). RDWTI has no event identifier; the
incident id is a hash of the record's content, so the same record gets the same id in
the worldwide file and in an Afghanistan extract of it.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from .. import gazetteer
from ._common import (
    Issues,
    Mapped,
    apply_unique,
    canonical_frame,
    col,
    count_raw,
    countries,
    dates,
    map_values,
    text,
)

NAME = "rand"
#: Identical records are told apart by their order in the whole export (``-2``, ``-3``
#: on the id), so the mapping cannot run on parts of the table.
ROW_WISE = False
SIGNATURE = ("Date", "City", "Country", "Perpetrator", "Weapon", "Injuries", "Fatalities")
#: The columns the adapter reads.
COLUMNS_USED = ("Date", "City", "Country", "Perpetrator", "Weapon", "Injuries", "Fatalities", "Description")

DATE_FORMATS = ("%Y-%m-%d", "%d-%b-%y", "%d-%b-%Y", "%m/%d/%Y", "%d %B %Y", "ISO8601")

#: Perpetrator spellings (misspellings included) -> canonical perpetrator.
GROUP_RULES: tuple[tuple[str, str], ...] = (
    (r"^unknown$", "unknown"),
    (r"pakistani taliban|tehr[ei]e?k-[ei]-taliban", "TTP"),
    (r"^tal+i?b[ai]+n$|^talbian$|^afghan taliban$", "Taliban"),
    (r"haqqani", "Haqqani Network"),
    (r"hizbul-i-islami|hezb-e[ -]eslami|hezb-e[ -]islami|hizb-[ie]-islami|^hekmatyar$", "Hizb-e-Islami"),
    (r"^al[- ]?qa['e]?i?da$", "al-Qaeda"),
    (r"islamic state", "Islamic State"),
)
_COMPILED = tuple((re.compile(p, re.IGNORECASE), v) for p, v in GROUP_RULES)

_WEAPON = {
    "explosives": "bombing",
    "remote-detonated explosive": "bombing",
    "firearms": "armed_assault",
    "knives & sharp objects": "armed_assault",
    "fire or firebomb": "arson",
    "chemical agent": "other",
    "biological agent": "other",
    "other": "other",
    "unknown": "unknown",
}


def group_perpetrator(name: object) -> str:
    """Canonical perpetrator of one RDWTI ``Perpetrator`` value."""
    if name is None or (isinstance(name, float) and name != name) or not str(name).strip():
        return "unknown"
    for pattern, value in _COMPILED:
        if pattern.search(str(name).strip()):
            return value
    return "other"


def _place(city: str) -> tuple[str | None, str | None, str]:
    hit = gazetteer.lookup_place(city)
    if hit is None:
        return None, None, "country"
    code = gazetteer.province_code(hit["province"])
    return gazetteer.code_to_name(code), code, "province" if hit["kind"] == "province" else "place"


def to_canonical(raw: pd.DataFrame) -> Mapped:
    """Map an RDWTI table to canonical columns; see docs/sources.md."""
    issues = Issues()
    idx = raw.index
    day = dates(raw, "Date", DATE_FORMATS, issues)

    country = countries(col(raw, "Country"), "Country", issues)
    city = text(col(raw, "City"))
    city = city.where(city.str.casefold() != "unknown")
    afg = (country == "AFG").fillna(False).astype(bool)
    looked = apply_unique(city.where(afg), _place)
    province = looked.map(lambda x: x[0] if isinstance(x, tuple) else None).astype("str")
    province_code = looked.map(lambda x: x[1] if isinstance(x, tuple) else None).astype("str")
    geo = looked.map(lambda x: x[2] if isinstance(x, tuple) else None).astype("str")
    geo = geo.where(afg, pd.Series(np.where(city.notna(), "place", "country"), index=idx, dtype="str"))
    geo = geo.where(~(afg & city.isna()), "country")

    perp_raw = text(col(raw, "Perpetrator"))
    perp = apply_unique(perp_raw, group_perpetrator).fillna("unknown").astype("str")
    attribution = np.where(perp != "unknown", "attributed", "unknown")
    weapon = text(col(raw, "Weapon"))
    attack = map_values(weapon.str.casefold(), _WEAPON, default="other").where(weapon.notna(), "unknown")

    killed, killed_raw = count_raw(col(raw, "Fatalities"), "Fatalities", issues)
    wounded, wounded_raw = count_raw(col(raw, "Injuries"), "Injuries", issues)

    # content hash: the same record has the same id in every extract of the database
    key_cols = [c for c in ("Date", "City", "Country", "Perpetrator", "Weapon", "Injuries", "Fatalities", "Description") if c in raw.columns]
    hashed = pd.util.hash_pandas_object(raw[key_cols].astype("str"), index=False).to_numpy()
    ids = pd.Series([f"rand-{h:016x}" for h in hashed], index=idx, dtype="str")
    dup_n = ids.groupby(ids).cumcount()
    ids = ids.where(dup_n == 0, ids + "-" + (dup_n + 1).astype("str"))

    notes = ("perpetrator=" + perp_raw).where(perp_raw.notna() & (perp_raw != perp) & (perp != "unknown"))
    weapon_note = "weapon=" + weapon
    notes = notes.where(weapon_note.isna(), (notes + "; ").fillna("") + weapon_note)
    frame = canonical_frame(
        idx,
        incident_id=ids,
        date=day,
        date_earliest=day,
        date_latest=day,
        date_precision="day",
        country=country,
        province=province.where(afg),
        province_code=province_code.where(afg),
        place=city,
        geo_precision=geo,
        perpetrator=perp,
        attribution=pd.Series(attribution, index=idx, dtype="str"),
        attack_type=attack.astype("str"),
        killed_low=killed,
        killed_best=killed,
        killed_high=killed,
        wounded_low=wounded,
        wounded_best=wounded,
        wounded_high=wounded,
        source_dataset="rand",
        source_event_id=ids.str.slice(5),
        sources="RAND Database of Worldwide Terrorism Incidents",
        evidence=text(col(raw, "Description")),
        notes=notes.astype("str"),
    )
    return Mapped(frame, issues.frame(), killed_raw, wounded_raw)
