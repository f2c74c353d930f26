"""RAND Database of Worldwide Terrorism Incidents (RDWTI) -> canonical incidents.

Columns: Date, City, Country, Perpetrator, Weapon, Injuries, Fatalities, Description.
Rules in ``docs/sources.md`` (section RAND). RDWTI has no event identifier; the
incident id is a hash of the record's content, so the same record gets the same id in
the worldwide file and in an Afghanistan extract of it.

RDWTI has no column for the perpetrators killed; its description says so when they are
counted in ``Fatalities`` ("... were killed, including the suicide bomber"), and
``victims_only=True`` subtracts them where it does (:func:`perpetrators_in_toll`).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from .. import gazetteer
from .mapping import Mapped, RawExport, attributed, first_match, toll, window
from .text import apply_unique, map_values, number_text

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
_GROUPS = first_match(GROUP_RULES, blank="unknown")

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


#: "including the bomber", "including two of the attackers", "including both gunmen":
#: perpetrators counted in the toll (not after "not": "not including the bomber").
_INCLUDED = re.compile(
    r"(?<!not )\bincluding\s+(?:(?P<both>both)\s+|the\s+|(?P<n>one|two|three|four|five|six|\d+)\s+(?:of\s+the\s+)?)?"
    r"(?:suicide\s+)?(?P<who>bombers?|attackers?|assailants?|gunm[ae]n|perpetrators?)\b",
    re.IGNORECASE,
)
_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}


def perpetrators_in_toll(description: object) -> float:
    """How many perpetrators a description says are counted among the dead: 1 for
    "including the bomber", the number for "including two attackers", 2 for "both";
    NaN when it does not say, or says "the attackers" without a number."""
    m = _INCLUDED.search(str(description)) if isinstance(description, str) else None
    if m is None:
        return np.nan
    if m["both"]:
        return 2.0
    if m["n"]:
        return float(_NUMBERS.get(m["n"].lower()) or int(m["n"]))
    plural = m["who"].lower().endswith("s") or m["who"].lower() == "gunmen"
    return np.nan if plural else 1.0


def _victims(ex: RawExport, killed: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Fatalities minus the perpetrators the description counts in them (where that is
    no more than the toll), and the number subtracted (for the notes)."""
    counted = apply_unique(ex.text("Description"), perpetrators_in_toll).astype("float64")
    fatal = killed.astype("float64")
    use = counted.notna() & fatal.notna() & (counted <= fatal)
    victims = fatal.where(~use, fatal - counted)
    return victims.round().astype("Int64"), counted.where(use)


def group_perpetrator(name: object) -> str:
    """Canonical perpetrator of one RDWTI ``Perpetrator`` value."""
    return _GROUPS(name)


def _place(city: str) -> tuple[str | None, str | None, str]:
    hit = gazetteer.lookup_place(city)
    if hit is None:
        return None, None, "country"
    code = gazetteer.province_code(hit["province"])
    return gazetteer.code_to_name(code), code, "province" if hit["kind"] == "province" else "place"


def _where(ex: RawExport, country: pd.Series) -> dict:
    """Afghan cities through the gazetteer (province, and place or province precision)."""
    city = ex.text("City")
    city = city.where(city.str.casefold() != "unknown")
    afg = (country == "AFG").fillna(False).astype(bool)
    looked = apply_unique(city.where(afg), _place)
    part = {k: looked.map(lambda x, k=k: x[k] if isinstance(x, tuple) else None).astype("str") for k in range(3)}
    geo = part[2].where(afg, pd.Series(np.where(city.notna(), "place", "country"), index=ex.index, dtype="str"))
    return {
        "country": country,
        "province": part[0].where(afg),
        "province_code": part[1].where(afg),
        "place": city,
        "geo_precision": geo.where(~(afg & city.isna()), "country"),
    }


def _content_ids(raw: pd.DataFrame) -> pd.Series:
    """A hash of each record's content, so the same record has the same id in every
    extract of the database; identical records get ``-2``, ``-3`` in file order."""
    key_cols = [c for c in COLUMNS_USED if c in raw.columns]
    hashed = pd.util.hash_pandas_object(raw[key_cols].astype("str"), index=False).to_numpy()
    ids = pd.Series([f"{h:016x}" for h in hashed], index=raw.index, dtype="str")
    dup_n = ids.groupby(ids).cumcount()
    return ids.where(dup_n == 0, ids + "-" + (dup_n + 1).astype("str"))


def to_canonical(raw: pd.DataFrame, *, victims_only: bool = False) -> Mapped:
    """Map an RDWTI table to canonical columns; see docs/sources.md.

    ``victims_only`` subtracts the perpetrators that the description counts among the
    dead (:func:`perpetrators_in_toll`), noted as ``perpetrators_killed=N``."""
    ex = RawExport(raw, NAME)
    day = ex.dates("Date", DATE_FORMATS)
    where = _where(ex, ex.countries("Country"))
    perp_raw = ex.text("Perpetrator")
    perp = apply_unique(perp_raw, group_perpetrator).fillna("unknown").astype("str")
    weapon = ex.text("Weapon")
    attack = map_values(weapon.str.casefold(), _WEAPON, default="other").where(weapon.notna(), "unknown")
    killed, killed_raw = ex.count_raw("Fatalities")
    wounded, wounded_raw = ex.count_raw("Injuries")
    notes = ("perpetrator=" + perp_raw).where(perp_raw.notna() & (perp_raw != perp) & (perp != "unknown"))
    weapon_note = "weapon=" + weapon
    notes = notes.where(weapon_note.isna(), (notes + "; ").fillna("") + weapon_note)
    if victims_only:
        killed, subtracted = _victims(ex, killed)
        note = "perpetrators_killed=" + number_text(subtracted)
        notes = notes.where(note.isna(), (notes + "; ").fillna("") + note)
    return ex.finish(
        _content_ids(raw),
        killed_raw=killed_raw,
        wounded_raw=wounded_raw,
        **window(day, day, "day"),
        **where,
        perpetrator=perp,
        attribution=attributed(perp),
        attack_type=attack.astype("str"),
        **toll("killed", killed),
        **toll("wounded", wounded),
        sources="RAND Database of Worldwide Terrorism Incidents",
        evidence=ex.text("Description"),
        notes=notes.astype("str"),
    )
