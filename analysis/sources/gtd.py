"""Global Terrorism Database (START, University of Maryland) -> canonical incidents.

Both layouts are read: the numeric-code layout (``attacktype1``, ``targtype1``,
``weaptype1`` ...) and the layout with ``_txt`` label columns
(``attacktype1_txt`` ...). Labels are translated back to codes with the codebook
tables below; the mapping rules are in ``docs/sources.md`` (section GTD).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._common import (
    Issues,
    Mapped,
    _take_text,
    canonical_frame,
    code,
    col,
    count,
    count_raw,
    countries,
    distinct_text,
    join_notes,
    map_values,
    number,
    provinces,
    text,
    where_text,
)

NAME = "gtd"
#: Columns that identify a GTD export (either layout).
SIGNATURE = ("eventid", "iyear", "imonth", "iday", "provstate", "gname", "nkill")
#: The columns the adapter reads (others are not loaded).
COLUMNS_USED = (
    "eventid", "iyear", "imonth", "iday", "country", "country_txt", "provstate", "city", "latitude",
    "longitude", "specificity", "suicide", "attacktype1", "attacktype1_txt", "targtype1", "targtype1_txt",
    "weaptype1", "weaptype1_txt", "weapsubtype1", "weapsubtype1_txt", "gname", "guncertain1", "claimed",
    "nkill", "nkillter", "nwound",
)  # fmt: skip

# GTD codebook tables (code -> label).
ATTACK_TYPES = {
    1: "Assassination",
    2: "Armed Assault",
    3: "Bombing/Explosion",
    4: "Hijacking",
    5: "Hostage Taking (Barricade Incident)",
    6: "Hostage Taking (Kidnapping)",
    7: "Facility/Infrastructure Attack",
    8: "Unarmed Assault",
    9: "Unknown",
}
TARGET_TYPES = {
    1: "Business",
    2: "Government (General)",
    3: "Police",
    4: "Military",
    5: "Abortion Related",
    6: "Airports & Aircraft",
    7: "Government (Diplomatic)",
    8: "Educational Institution",
    9: "Food or Water Supply",
    10: "Journalists & Media",
    11: "Maritime",
    12: "NGO",
    13: "Other",
    14: "Private Citizens & Property",
    15: "Religious Figures/Institutions",
    16: "Telecommunication",
    17: "Terrorists/Non-State Militia",
    18: "Tourists",
    19: "Transportation",
    20: "Unknown",
    21: "Utilities",
    22: "Violent Political Party",
}
WEAPON_TYPES = {
    1: "Biological",
    2: "Chemical",
    3: "Radiological",
    4: "Nuclear",
    5: "Firearms",
    6: "Explosives",
    7: "Fake Weapons",
    8: "Incendiary",
    9: "Melee",
    10: "Vehicle",
    11: "Sabotage Equipment",
    12: "Other",
    13: "Unknown",
}
#: Explosive weapon subtypes used by the attack-type rule.
WEAPON_SUBTYPE_PROJECTILE = 11  # "Projectile (rockets, mortars, RPGs, etc.)"
WEAPON_SUBTYPE_VEHICLE = 15  # "Vehicle" (car or truck bomb)
_SUBTYPE_LABELS = {
    "projectile (rockets, mortars, rpgs, etc.)": WEAPON_SUBTYPE_PROJECTILE,
    "vehicle": WEAPON_SUBTYPE_VEHICLE,
}
#: Older GTD releases used longer labels for some codes.
_LABEL_ALIASES = {
    "explosives/bombs/dynamite": 6,
    "vehicle (not to include vehicle-borne explosives, i.e., car or truck bombs)": 10,
    "maritime (includes ports and maritime facilities)": 11,
}

# canonical vocabularies from the codes
_ATTACK = {1: "assassination", 2: "armed_assault", 3: "bombing", 4: "hostage_taking", 5: "hostage_taking",
           6: "hostage_taking", 7: "other", 8: "other", 9: "unknown"}  # fmt: skip
_TARGET = {1: "business", 2: "government", 3: "security_forces", 4: "security_forces", 5: "other",
           6: "transport", 7: "diplomatic", 8: "education", 9: "other", 10: "media", 11: "transport",
           12: "aid_health", 13: "other", 14: "civilians", 15: "religious", 16: "other", 17: "other",
           18: "civilians", 19: "transport", 20: "unknown", 21: "other", 22: "political"}  # fmt: skip

#: gname -> canonical perpetrator ("ISIL" depends on the country, see perpetrator()).
GROUPS = {
    "Taliban": "Taliban",
    "Khorasan Chapter of the Islamic State": "ISKP",
    "Haqqani Network": "Haqqani Network",
    "Tehrik-i-Taliban Pakistan (TTP)": "TTP",
    "Hizb-I-Islami": "Hizb-e-Islami",
    "Al-Qaida": "al-Qaeda",
    "Al-Qaida in the Indian Subcontinent": "al-Qaeda",
    "Unknown": "unknown",
}
ISIL = "Islamic State of Iraq and the Levant (ISIL)"

#: GTD country codes recognised without ``country_txt`` (the region's countries).
COUNTRY_CODES = {4: "AFG", 92: "IND", 94: "IRN", 95: "IRQ", 153: "PAK", 200: "SYR"}

# specificity -> geo_precision
_GEO = {1: "place", 2: "district", 3: "district", 4: "province", 5: "country"}


def _codes_from(raw: pd.DataFrame, name: str, table: dict[int, str], issues: Issues) -> pd.Series:
    """The code column, from ``name`` or (label layout) from ``name_txt``."""
    if name in raw.columns:
        return code(raw[name], name, issues, known=table)
    label_col = f"{name}_txt"
    if label_col in raw.columns:
        lookup = {v.casefold(): k for k, v in table.items()} | _LABEL_ALIASES
        labels = text(raw[label_col])
        codes = pd.to_numeric(map_values(labels.str.casefold(), lookup))
        issues.add(labels.notna() & codes.isna(), label_col, "code_unknown", labels)
        return codes.astype("Float64").astype("Int64")
    return pd.Series(pd.NA, index=raw.index, dtype="Int64")


def _subtype(raw: pd.DataFrame, issues: Issues) -> pd.Series:
    if "weapsubtype1" in raw.columns:
        return code(raw["weapsubtype1"], "weapsubtype1", issues)
    if "weapsubtype1_txt" in raw.columns:
        labels = text(raw["weapsubtype1_txt"]).str.casefold()
        return pd.to_numeric(map_values(labels, _SUBTYPE_LABELS)).astype("Float64").astype("Int64")
    return pd.Series(pd.NA, index=raw.index, dtype="Int64")


def _not_unknown(s: pd.Series) -> pd.Series:
    """:func:`text` of ``s``, with "Unknown" (any case) as missing."""
    codes, stripped = distinct_text(s)
    return _take_text([None if v is None or v.lower() == "unknown" else v for v in stripped], codes, s.index)


def perpetrator(gname: pd.Series, country: pd.Series) -> pd.Series:
    """Canonical perpetrator from ``gname`` (ISIL in Afghanistan is ISKP)."""
    codes, names = distinct_text(gname)
    return _perpetrator(codes, names, country, gname.index)


def _perpetrator(codes: np.ndarray, names: list[str | None], country: pd.Series, index: pd.Index) -> pd.Series:
    # distinct names first (missing -> "unknown"), then ISIL as "ISKP" / "Islamic State"
    n = len(names)
    values = [GROUPS.get(u, "other") if u is not None else "unknown" for u in names]
    values += ["unknown", "ISKP", "Islamic State"]
    codes = np.where(codes < 0, n, codes)
    isil = np.isin(codes, [k for k, u in enumerate(names) if u == ISIL])
    afg = np.asarray((country == "AFG").fillna(False), dtype=bool)
    codes = np.where(isil & afg, n + 1, np.where(isil, n + 2, codes))
    return _take_text(values, codes, index)


def _blank(s: pd.Series) -> pd.Series:
    """Missing or blank (a number column read as numbers has no blanks but NaN)."""
    if pd.api.types.is_numeric_dtype(s):
        return s.isna()
    return text(s).isna()


def to_canonical(raw: pd.DataFrame) -> Mapped:
    """Map a GTD table (either layout) to canonical columns; see docs/sources.md."""
    issues = Issues()
    idx = raw.index

    # ---- date: iday/imonth 0 = unknown -> a window, never a made-up day
    year = code(col(raw, "iyear"), "iyear", issues)
    month = code(col(raw, "imonth"), "imonth", issues, known=range(13))
    day = code(col(raw, "iday"), "iday", issues, known=range(32))
    issues.add(year.isna() & _blank(col(raw, "iyear")), "iyear", "date_missing")
    m0 = month.fillna(0).astype("int64")
    d0 = day.fillna(0).astype("int64")
    known_month = (m0 > 0).to_numpy()
    known_day = known_month & (d0 > 0).to_numpy()
    year_ok = year.between(1678, 2261).fillna(False).to_numpy(dtype=bool)  # the datetime64[ns] range
    y = np.where(year_ok, year.fillna(2000).to_numpy(dtype="int64"), 2000)
    mm = np.where(known_month, m0.to_numpy(), 1)
    dd = np.where(known_day, d0.to_numpy(), 1)
    # calendar arithmetic in numpy: first of the month, then the day; a day past the
    # month's end (30 February) spills into the next month and is caught below
    first = (y - 1970).astype("datetime64[Y]").astype("datetime64[M]") + (mm - 1)
    start_d = first.astype("datetime64[D]") + (dd - 1)
    spilled = start_d.astype("datetime64[M]") != first
    month_last = (first + 1).astype("datetime64[D]") - 1
    year_last = ((y - 1970) + 1).astype("datetime64[Y]").astype("datetime64[D]") - 1
    end_d = np.where(known_day, start_d, np.where(known_month, month_last, year_last))
    valid = year_ok & ~spilled
    start = pd.Series(np.where(valid, start_d, np.datetime64("NaT")), index=idx).astype("datetime64[ns]")
    end = pd.Series(np.where(valid, end_d, np.datetime64("NaT")), index=idx).astype("datetime64[ns]")
    bad_year = year.notna() & ~year_ok
    issues.add(bad_year, "iyear", "date_impossible", lambda: text(col(raw, "iyear")))
    impossible = year.notna() & pd.Series(year_ok & spilled, index=idx)
    issues.add(impossible, "iday", "date_impossible", lambda: text(col(raw, "iday")))
    precision = _take_text(["day", "month", "year"], np.where(known_day, 0, np.where(known_month, 1, 2)), idx)

    # ---- place
    if "country_txt" in raw.columns:
        country = countries(raw["country_txt"], "country_txt", issues)
    else:
        ccode = code(col(raw, "country"), "country", issues)
        country = map_values(ccode, COUNTRY_CODES).astype("str")
        issues.add(ccode.notna() & country.isna(), "country", "country_unknown", lambda: text(col(raw, "country")))
        issues.add(ccode.isna(), "country", "country_unknown")
    province, province_code = provinces(col(raw, "provstate"), country, "provstate", issues)
    lat = number(col(raw, "latitude"), "latitude", issues)
    lon = number(col(raw, "longitude"), "longitude", issues)
    spec = code(col(raw, "specificity"), "specificity", issues, known=_GEO)
    geo = map_values(spec, _GEO).astype("str")
    geo = where_text(~(province.isna() & (country == "AFG")), geo, "country")

    # ---- who, and how sure
    gcodes, gnames = distinct_text(col(raw, "gname"))
    perp = _perpetrator(gcodes, gnames, country, idx)
    claimed = code(col(raw, "claimed"), "claimed", issues, known=(-9, 0, 1))
    uncertain = code(col(raw, "guncertain1"), "guncertain1", issues, known=(0, 1))
    named = perp != "unknown"
    is_claimed = (claimed == 1).fillna(False).astype(bool)
    is_uncertain = (uncertain == 1).fillna(False).astype(bool)
    attribution = _take_text(
        ["disputed", "claimed", "suspected", "attributed", "unclaimed", "unknown"],
        np.select(
            [named & is_claimed & is_uncertain, named & is_claimed, named & is_uncertain, named,
             (claimed == 0).fillna(False).astype(bool)],
            [0, 1, 2, 3, 4],
            default=5,
        ),
        idx,
    )  # fmt: skip

    # ---- what
    atk = _codes_from(raw, "attacktype1", ATTACK_TYPES, issues)
    tgt = _codes_from(raw, "targtype1", TARGET_TYPES, issues)
    wpn = _codes_from(raw, "weaptype1", WEAPON_TYPES, issues)
    sub = _subtype(raw, issues)
    suicide = (code(col(raw, "suicide"), "suicide", issues, known=(0, 1)) == 1).fillna(False).astype(bool)
    a = atk.fillna(0).to_numpy(dtype="int64")
    sb = sub.fillna(0).to_numpy(dtype="int64")
    w = wpn.fillna(0).to_numpy(dtype="int64")
    bombing = a == 3
    attack_values = [None, *(_ATTACK[k] for k in range(1, 10)), "indirect_fire", "vehicle_bomb", "suicide_bombing", "arson"]
    acode = np.where((a >= 1) & (a <= 9), a, 0)
    acode = np.where(bombing & (sb == WEAPON_SUBTYPE_PROJECTILE), 10, acode)
    acode = np.where(bombing & (sb == WEAPON_SUBTYPE_VEHICLE), 11, acode)
    acode = np.where(bombing & suicide.to_numpy(), 12, acode)
    acode = np.where((a == 7) & (w == 8), 13, acode)
    attack = _take_text(attack_values, acode, idx)
    target = map_values(tgt, _TARGET).astype("str")

    # ---- how many: blank = unknown; nkill includes perpetrators (nkillter)
    killed, killed_raw = count_raw(col(raw, "nkill"), "nkill", issues)
    wounded, wounded_raw = count_raw(col(raw, "nwound"), "nwound", issues)
    killed_perp = count(col(raw, "nkillter"), "nkillter", issues)

    eventid = text(col(raw, "eventid"))
    issues.add(eventid.isna(), "eventid", "id_missing")
    # the group's own name, when the perpetrator vocabulary does not say it already
    # (ISIL is always noted: it becomes "ISKP" or "Islamic State")
    gname_note = [None if g is None or g == "Unknown" or GROUPS.get(g, "other") == g else g for g in gnames]
    notes = join_notes(
        {
            "gname": _take_text(gname_note, gcodes, idx),
            "nkillter": killed_perp.where(killed_perp > 0),
        },
        idx,
    )
    frame = canonical_frame(
        idx,
        incident_id="gtd-" + eventid,
        date=start,
        date_earliest=start,
        date_latest=end,
        date_precision=precision,
        country=country,
        province=province,
        province_code=province_code,
        place=_not_unknown(col(raw, "city")),
        latitude=lat,
        longitude=lon,
        geo_precision=geo,
        perpetrator=perp,
        attribution=attribution,
        attack_type=attack,
        target_type=target,
        killed_low=killed,
        killed_best=killed,
        killed_high=killed,
        wounded_low=wounded,
        wounded_best=wounded,
        wounded_high=wounded,
        source_dataset="gtd",
        source_event_id=eventid,
        sources="GTD eventid " + eventid.fillna("?"),
        notes=notes,
    )
    return Mapped(frame, issues.frame(), killed_raw, wounded_raw)
