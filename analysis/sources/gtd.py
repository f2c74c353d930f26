"""Global Terrorism Database (START, University of Maryland) -> canonical incidents.

Both layouts are read: the numeric-code layout (``attacktype1``, ``targtype1``,
``weaptype1`` ...) and the layout with ``_txt`` label columns
(``attacktype1_txt`` ...). Labels are translated back to codes with the codebook
tables below; the mapping rules are in ``docs/sources.md`` (section GTD).

GTD divides the toll of a multi-part attack among its parts, so ``nkill`` and
``nwound`` may be fractional: such a record gets the range floor..ceiling and a best
figure apportioned within its ``related`` group (:mod:`.apportion`), which needs the
whole table (:func:`prepare`). ``nkill`` includes the perpetrators killed
(``nkillter``); ``victims_only=True`` subtracts them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import apportion
from .issues import Issues
from .mapping import Mapped, RawExport, window
from .notes import join_notes
from .parse import col, int_range, share
from .text import distinct_text, map_values, number_text, take_text, text, where_text

NAME = "gtd"
#: Columns that identify a GTD export (either layout).
SIGNATURE = ("eventid", "iyear", "imonth", "iday", "provstate", "gname", "nkill")
#: The columns the adapter reads (others are not loaded).
COLUMNS_USED = (
    "eventid", "iyear", "imonth", "iday", "country", "country_txt", "provstate", "city", "latitude",
    "longitude", "specificity", "suicide", "attacktype1", "attacktype1_txt", "targtype1", "targtype1_txt",
    "weaptype1", "weaptype1_txt", "weapsubtype1", "weapsubtype1_txt", "gname", "guncertain1", "claimed",
    "nkill", "nkillter", "nwound", "related",
)  # fmt: skip
#: Every column of GTD's codebook (a column outside it is named in a warning).
KNOWN_COLUMNS = (
    *COLUMNS_USED, "approxdate", "extended", "resolution", "region", "region_txt", "vicinity", "location",
    "summary", "crit1", "crit2", "crit3", "doubtterr", "alternative", "alternative_txt", "multiple",
    "success", "attacktype2", "attacktype2_txt", "attacktype3", "attacktype3_txt", "targsubtype1",
    "targsubtype1_txt", "corp1", "target1", "natlty1", "natlty1_txt", "targtype2", "targtype2_txt",
    "targsubtype2", "targsubtype2_txt", "corp2", "target2", "natlty2", "natlty2_txt", "targtype3",
    "targtype3_txt", "targsubtype3", "targsubtype3_txt", "corp3", "target3", "natlty3", "natlty3_txt",
    "gsubname", "gname2", "gsubname2", "gname3", "gsubname3", "motive", "guncertain2", "guncertain3",
    "individual", "nperps", "nperpcap", "claimmode", "claimmode_txt", "claim2", "claimmode2",
    "claimmode2_txt", "claim3", "claimmode3", "claimmode3_txt", "compclaim", "weaptype2", "weaptype2_txt",
    "weapsubtype2", "weapsubtype2_txt", "weaptype3", "weaptype3_txt", "weapsubtype3", "weapsubtype3_txt",
    "weaptype4", "weaptype4_txt", "weapsubtype4", "weapsubtype4_txt", "weapdetail", "nkillus", "nwoundus",
    "nwoundte", "property", "propextent", "propextent_txt", "propvalue", "propcomment", "ishostkid",
    "nhostkid", "nhostkidus", "nhours", "ndays", "divert", "kidhijcountry", "ransom", "ransomamt",
    "ransomamtus", "ransompaid", "ransompaidus", "ransomnote", "hostkidoutcome", "hostkidoutcome_txt",
    "nreleased", "addnotes", "scite1", "scite2", "scite3", "dbsource", "INT_LOG", "INT_IDEO", "INT_MISC",
    "INT_ANY",
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


def _codes_from(ex: RawExport, name: str, table: dict[int, str]) -> pd.Series:
    """The code column, from ``name`` or (label layout) from ``name_txt``."""
    if ex.has(name):
        return ex.code(name, known=table)
    label_col = f"{name}_txt"
    if ex.has(label_col):
        lookup = {v.casefold(): k for k, v in table.items()} | _LABEL_ALIASES
        labels = ex.text(label_col)
        codes = pd.to_numeric(map_values(labels.str.casefold(), lookup))
        ex.flag(labels.notna() & codes.isna(), label_col, "code_unknown", labels)
        return codes.astype("Float64").astype("Int64")
    return pd.Series(pd.NA, index=ex.index, dtype="Int64")


def _subtype(ex: RawExport) -> pd.Series:
    if ex.has("weapsubtype1"):
        return ex.code("weapsubtype1")
    if ex.has("weapsubtype1_txt"):
        labels = ex.text("weapsubtype1_txt").str.casefold()
        return pd.to_numeric(map_values(labels, _SUBTYPE_LABELS)).astype("Float64").astype("Int64")
    return pd.Series(pd.NA, index=ex.index, dtype="Int64")


def _not_unknown(s: pd.Series) -> pd.Series:
    """:func:`text` of ``s``, with "Unknown" (any case) as missing."""
    codes, stripped = distinct_text(s)
    return take_text([None if v is None or v.lower() == "unknown" else v for v in stripped], codes, s.index)


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
    return take_text(values, codes, index)


def _blank(s: pd.Series) -> pd.Series:
    """Missing or blank (a number column read as numbers has no blanks but NaN)."""
    if pd.api.types.is_numeric_dtype(s):
        return s.isna()
    return text(s).isna()


def _calendar(year: pd.Series, month: pd.Series, day: pd.Series):
    """First and last day of each record's window in numpy, and what is known of it.

    Calendar arithmetic from the first of the month: a day past the month's end (30
    February) spills into the next month (``spilled``); ``year_ok`` is the
    datetime64[ns] range.
    """
    m0 = month.fillna(0).astype("int64").to_numpy()
    d0 = day.fillna(0).astype("int64").to_numpy()
    known_month = m0 > 0
    known_day = known_month & (d0 > 0)
    year_ok = year.between(1678, 2261).fillna(False).to_numpy(dtype=bool)
    y = np.where(year_ok, year.fillna(2000).to_numpy(dtype="int64"), 2000)
    first = (y - 1970).astype("datetime64[Y]").astype("datetime64[M]") + (np.where(known_month, m0, 1) - 1)
    start = first.astype("datetime64[D]") + (np.where(known_day, d0, 1) - 1)
    spilled = start.astype("datetime64[M]") != first
    month_last = (first + 1).astype("datetime64[D]") - 1
    year_last = ((y - 1970) + 1).astype("datetime64[Y]").astype("datetime64[D]") - 1
    end = np.where(known_day, start, np.where(known_month, month_last, year_last))
    return start, end, known_month, known_day, year_ok, spilled


def _window(ex: RawExport) -> dict:
    """iday/imonth 0 = unknown -> a window, never a made-up day."""
    year = ex.code("iyear")
    month = ex.code("imonth", known=range(13))
    day = ex.code("iday", known=range(32))
    ex.flag(year.isna() & _blank(ex.column("iyear")), "iyear", "date_missing")
    start_d, end_d, known_month, known_day, year_ok, spilled = _calendar(year, month, day)
    ok = year_ok & ~spilled
    start = pd.Series(np.where(ok, start_d, np.datetime64("NaT")), index=ex.index).astype("datetime64[ns]")
    end = pd.Series(np.where(ok, end_d, np.datetime64("NaT")), index=ex.index).astype("datetime64[ns]")
    ex.flag(year.notna() & ~year_ok, "iyear", "date_impossible", lambda: ex.text("iyear"))
    impossible = year.notna() & pd.Series(year_ok & spilled, index=ex.index)
    ex.flag(impossible, "iday", "date_impossible", lambda: ex.text("iday"))
    precision = take_text(["day", "month", "year"], np.where(known_day, 0, np.where(known_month, 1, 2)), ex.index)
    return window(start, end, precision)


def _country(ex: RawExport) -> tuple[pd.Series, str]:
    """ISO3 from ``country_txt``, or from the numeric ``country`` code of the region,
    and the column it came from; missing where the export gives none (an extract
    clipped to a region has neither column: :meth:`RawExport.place` uses the
    coordinates)."""
    if ex.has("country_txt"):
        return ex.countries("country_txt", blank_ok=True), "country_txt"
    if not ex.has("country"):
        return pd.Series(None, index=ex.index, dtype="str"), "country"
    ccode = ex.code("country")
    country = map_values(ccode, COUNTRY_CODES).astype("str")
    ex.flag(ccode.notna() & country.isna(), "country", "country_unknown", lambda: ex.text("country"))
    return country, "country"


def _place(ex: RawExport) -> dict:
    country, column = _country(ex)
    city = _not_unknown(ex.column("city"))
    geo = ex.lookup("specificity", _GEO)
    where = ex.place(country, "provstate", geo, country_column=column, place=city)
    country = where["country"]
    unplaced = where["province"].isna() & (country == "AFG")  # an Afghan record without a province
    where["geo_precision"] = where_text(~unplaced, where["geo_precision"], "country")
    return where


def _attribution(ex: RawExport, perp: pd.Series) -> pd.Series:
    """How sure: claimed (``claimed``), suspected (``guncertain1``), both: disputed."""
    claimed = ex.code("claimed", known=(-9, 0, 1))
    uncertain = ex.code("guncertain1", known=(0, 1))
    named = perp != "unknown"
    is_claimed = (claimed == 1).fillna(False).astype(bool)
    is_uncertain = (uncertain == 1).fillna(False).astype(bool)
    return take_text(
        ["disputed", "claimed", "suspected", "attributed", "unclaimed", "unknown"],
        np.select(
            [named & is_claimed & is_uncertain, named & is_claimed, named & is_uncertain, named,
             (claimed == 0).fillna(False).astype(bool)],
            [0, 1, 2, 3, 4],
            default=5,
        ),
        ex.index,
    )  # fmt: skip


def _attack(ex: RawExport) -> pd.Series:
    """The attack type, refined by the weapon subtype, suicide and incendiary weapons."""
    a = _codes_from(ex, "attacktype1", ATTACK_TYPES).fillna(0).to_numpy(dtype="int64")
    w = _codes_from(ex, "weaptype1", WEAPON_TYPES).fillna(0).to_numpy(dtype="int64")
    sb = _subtype(ex).fillna(0).to_numpy(dtype="int64")
    suicide = (ex.code("suicide", known=(0, 1)) == 1).fillna(False).to_numpy(dtype=bool)
    bombing = a == 3
    values = [None, *(_ATTACK[k] for k in range(1, 10)), "indirect_fire", "vehicle_bomb", "suicide_bombing", "arson"]
    acode = np.where((a >= 1) & (a <= 9), a, 0)
    acode = np.where(bombing & (sb == WEAPON_SUBTYPE_PROJECTILE), 10, acode)
    acode = np.where(bombing & (sb == WEAPON_SUBTYPE_VEHICLE), 11, acode)
    acode = np.where(bombing & suicide, 12, acode)
    acode = np.where((a == 7) & (w == 8), 13, acode)
    return take_text(values, acode, ex.index)


def _figures(raw: pd.DataFrame, victims_only: bool) -> tuple[np.ndarray, np.ndarray]:
    """Killed (victims only: minus ``nkillter`` where given) and wounded, as float64."""
    quiet = Issues()  # the issues are recorded when the rows are mapped
    killed, _ = share(col(raw, "nkill"), "nkill", quiet)
    wounded, _ = share(col(raw, "nwound"), "nwound", quiet)
    if victims_only:
        killed = _victims(killed, share(col(raw, "nkillter"), "nkillter", quiet)[0])
    return killed, wounded


def _victims(killed: np.ndarray, perpetrators: np.ndarray) -> np.ndarray:
    """``nkill - nkillter`` (``nkill`` where ``nkillter`` is unknown); NaN where the
    perpetrators would exceed the total."""
    perp = np.where(np.isnan(perpetrators), 0.0, perpetrators)
    victims = np.round(killed - perp, apportion.DECIMALS)
    return np.where(victims < 0, np.nan, victims)


BEST = {"killed": "_killed_best", "wounded": "_wounded_best"}


def prepare(table: pd.DataFrame, *, victims_only: bool = False) -> pd.DataFrame:
    """The table with the apportioned best figures of fractional tolls (columns
    ``_killed_best``, ``_wounded_best``), computed over the whole table because a
    ``related`` group may span any rows; the table itself when no toll is fractional."""
    killed, wounded = _figures(table, victims_only)
    frac = apportion.fractional(killed) | apportion.fractional(wounded)
    if not frac.any():
        return table
    related = table["related"] if "related" in table.columns else None
    groups = apportion.groups(text(col(table, "eventid")), related, frac)
    best = {
        BEST["killed"]: apportion.largest_remainder(killed, groups),
        BEST["wounded"]: apportion.largest_remainder(wounded, groups),
    }
    return table.assign(**best)


def _tolls(ex: RawExport, victims_only: bool) -> tuple[dict, pd.Series, pd.Series, pd.Series]:
    """The killed and wounded ranges (a fractional share: floor, apportioned best,
    ceiling), the source's own figures, and the perpetrators killed."""
    killed, killed_raw = ex.share("nkill")
    wounded, wounded_raw = ex.share("nwound")
    perpetrators, _ = ex.share("nkillter")
    if victims_only:
        victims = _victims(killed, perpetrators)
        ex.flag(pd.Series(np.isnan(victims) & ~np.isnan(killed), index=ex.index), "nkillter",
                "perpetrators_exceed_killed", lambda: ex.text("nkillter"))  # fmt: skip
        killed = victims
    raw = ex.raw if BEST["killed"] in ex.raw.columns else prepare(ex.raw, victims_only=victims_only)
    columns = {}
    for stem, value in (("killed", killed), ("wounded", wounded)):
        best = raw[BEST[stem]].to_numpy(dtype="float64") if BEST[stem] in raw.columns else np.rint(value)
        low, best_, high = int_range(value, best, ex.index)
        columns |= {f"{stem}_low": low, f"{stem}_best": best_, f"{stem}_high": high}
    perp = pd.Series(perpetrators, index=ex.index)
    return columns, killed_raw, wounded_raw, perp


def to_canonical(raw: pd.DataFrame, *, victims_only: bool = False) -> Mapped:
    """Map a GTD table (either layout) to canonical columns; see docs/sources.md.

    ``victims_only`` subtracts the perpetrators killed (``nkillter``) from ``nkill``.
    """
    ex = RawExport(raw, NAME)
    when = _window(ex)
    where = _place(ex)
    gcodes, gnames = distinct_text(ex.column("gname"))
    perp = _perpetrator(gcodes, gnames, where["country"], ex.index)
    attack = _attack(ex)
    target = map_values(_codes_from(ex, "targtype1", TARGET_TYPES), _TARGET).astype("str")
    # how many: blank = unknown; nkill includes perpetrators (nkillter)
    tolls, killed_raw, wounded_raw, killed_perp = _tolls(ex, victims_only)
    eventid = ex.event_id("eventid")
    # the group's own name, when the perpetrator vocabulary does not say it already
    # (ISIL is always noted: it becomes "ISKP" or "Islamic State")
    gname_note = [None if g is None or g == "Unknown" or GROUPS.get(g, "other") == g else g for g in gnames]
    parts = {"gname": take_text(gname_note, gcodes, ex.index), "nkillter": number_text(killed_perp.where(killed_perp > 0))}
    if victims_only:
        parts["killed"] = where_text(killed_perp > 0, pd.Series("victims only", index=ex.index, dtype="str"))
    return ex.finish(
        eventid,
        killed_raw=killed_raw,
        wounded_raw=wounded_raw,
        **when,
        **where,
        perpetrator=perp,
        attribution=_attribution(ex, perp),
        attack_type=attack,
        target_type=target,
        **tolls,
        sources="GTD eventid " + eventid.fillna("?"),
        notes=join_notes(parts, ex.index),
    )
