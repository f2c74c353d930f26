"""Afghan gazetteer: the 34 provinces, their ISO 3166-2 codes, approximate centroids,
and the spellings and transliterations found in real data; plus a small table of
districts and cities that appear in the bundled reports.

Matching is by a *normalised key*: Unicode diacritics are stripped, case is folded,
punctuation and whitespace are removed, and the words "province", "provence",
"wilayat" and "velayat" are dropped (also a leading "Province of" or "Wilayat-e"). "Sar-i-Pul", "Sari Pul", "sar e pul province"
and "Saripul" all become ``saripul`` / ``sarepul``, both of which are listed
variants of Sar-e Pul.

Centroids are approximate (about 0.1 degree) and meant for bubble maps and for
``geo_precision = "province"`` coordinates, not for geolocation.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from .errors import InputError

__all__ = [
    "AFGHANISTAN_BBOX",
    "PROVINCES",
    "UnknownPlaceError",
    "did_you_mean",
    "lookup_place",
    "normalise_name",
    "province_code",
    "province_name",
    "province_names",
    "provinces",
    "suggest",
]

#: (lat_min, lat_max, lon_min, lon_max) of Afghanistan, with a small margin.
AFGHANISTAN_BBOX = (29.3, 38.5, 60.4, 75.0)


class UnknownPlaceError(InputError, KeyError):
    """A province (or place) name that the gazetteer does not know."""

    def __init__(self, name: object, suggestions: list[str]):
        self.name = name
        self.suggestions = suggestions
        hint = f"; closest matches: {', '.join(suggestions)}" if suggestions else ""
        super().__init__(f"unknown Afghan province {name!r}{hint}")

    def __str__(self) -> str:  # KeyError quotes its message otherwise
        return self.args[0]


@dataclass(frozen=True)
class Province:
    name: str
    code: str
    latitude: float
    longitude: float
    capital: str
    variants: tuple[str, ...] = ()


# name, ISO 3166-2 code, centroid lat, lon, capital, spelling variants seen in data
PROVINCES: tuple[Province, ...] = (
    Province("Badakhshan", "AF-BDS", 36.73, 70.90, "Fayzabad", ("Badakhshān", "Badakshan", "Badahšan")),
    Province("Badghis", "AF-BDG", 35.17, 63.77, "Qala-i-Naw", ("Badghīs", "Badges", "Badgis")),
    Province("Baghlan", "AF-BGL", 35.80, 68.90, "Puli Khumri", ("Baghlān", "Baglan")),
    Province("Balkh", "AF-BAL", 36.76, 66.90, "Mazar-i-Sharif", ("Balkh Province",)),
    Province("Bamyan", "AF-BAM", 34.81, 67.82, "Bamyan", ("Bamiyan", "Bāmiyān", "Bamian")),
    Province("Daykundi", "AF-DAY", 33.67, 66.05, "Nili", ("Dai Kundi", "Daikundi", "Dāykundī", "Daikondi", "Day Kundi", "Dāikondī")),
    Province("Farah", "AF-FRA", 32.50, 62.26, "Farah", ("Farāh",)),
    Province("Faryab", "AF-FYB", 35.92, 64.78, "Maymana", ("Fāryāb", "Fariab")),
    Province("Ghazni", "AF-GHA", 33.55, 68.42, "Ghazni", ("Ghaznī", "Ghazny")),
    Province("Ghor", "AF-GHO", 34.10, 64.91, "Chaghcharan", ("Ghowr", "Ghōr", "Ghur")),
    Province("Helmand", "AF-HEL", 31.36, 64.37, "Lashkar Gah", ("Hilmand", "Helmund")),
    Province("Herat", "AF-HER", 34.35, 62.20, "Herat", ("Hirat", "Herāt", "Harat")),
    Province("Jowzjan", "AF-JOW", 36.90, 65.67, "Sheberghan", ("Jawzjan", "Jozjan", "Jowzjān", "Juzjan", "Jauzjan")),
    Province("Kabul", "AF-KAB", 34.53, 69.17, "Kabul", ("Kābul", "Kabol", "Kabul City")),
    Province("Kandahar", "AF-KAN", 31.63, 65.71, "Kandahar", ("Qandahar", "Kandahār", "Qandahār", "Kandhar")),
    Province("Kapisa", "AF-KAP", 34.98, 69.62, "Mahmud-i-Raqi", ("Kāpīsā",)),
    Province("Khost", "AF-KHO", 33.34, 69.92, "Khost", ("Khowst", "Khōst", "Khost (Matun)")),
    Province("Kunar", "AF-KNR", 34.85, 71.10, "Asadabad", ("Konar", "Kunār")),
    Province("Kunduz", "AF-KDZ", 36.73, 68.87, "Kunduz", ("Kondoz", "Qunduz", "Kundūz", "Konduz")),
    Province("Laghman", "AF-LAG", 34.69, 70.15, "Mihtarlam", ("Laghmān", "Lagman")),
    Province("Logar", "AF-LOG", 34.01, 69.19, "Pul-i-Alam", ("Lowgar", "Lōgar")),
    Province("Nangarhar", "AF-NAN", 34.17, 70.62, "Jalalabad", ("Nangrahar", "Ningarhar", "Nangarhār", "Nengarhar")),
    Province("Nimruz", "AF-NIM", 30.96, 62.27, "Zaranj", ("Nimroz", "Nīmrōz", "Nimrūz", "Nimrooz")),
    Province("Nuristan", "AF-NUR", 35.32, 70.91, "Parun", ("Nooristan", "Nūristān", "Nurestan")),
    Province("Paktia", "AF-PIA", 33.71, 69.38, "Gardez", ("Paktya", "Paktiya", "Paktiyā", "Paktīā")),
    Province("Paktika", "AF-PKA", 32.26, 68.52, "Sharana", ("Paktīkā", "Paktica")),
    Province("Panjshir", "AF-PAN", 35.39, 69.90, "Bazarak", ("Panjsher", "Panjshayr", "Panjshēr", "Panjsheer")),
    Province("Parwan", "AF-PAR", 35.01, 69.03, "Charikar", ("Parvan", "Parwān")),
    Province("Samangan", "AF-SAM", 35.95, 67.70, "Aybak", ("Samangān",)),
    Province("Sar-e Pul", "AF-SAR", 35.85, 66.05, "Sar-e Pul", ("Sari Pul", "Sar-i-Pul", "Saripul", "Sar-e-Pol", "Sar-i Pul", "Sar e Pol", "Sari Pol", "Sar-e Pol", "Sar-e-Pul")),
    Province("Takhar", "AF-TAK", 36.67, 69.48, "Taloqan", ("Takhār",)),
    Province("Uruzgan", "AF-URU", 32.93, 66.05, "Tarin Kot", ("Oruzgan", "Urozgan", "Orūzgān", "Uruzgān", "Oruzgān")),
    Province("Wardak", "AF-WAR", 34.35, 68.35, "Maidan Shar", ("Maidan Wardak", "Meydan Wardak", "Wardag", "Vardak", "Maydan Wardak")),
    Province("Zabul", "AF-ZAB", 32.19, 67.19, "Qalat", ("Zābul", "Zabol")),
)

# Districts and cities that appear in the bundled reports or are common in event data:
# (name, kind, province, variants). Used by the assisted-coding tools and by loaders
# that receive a city in a province column.
_PLACES: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("Jalalabad", "city", "Nangarhar", ("Jalal Abad",)),
    ("Kabul", "city", "Kabul", ()),
    ("Kandahar", "city", "Kandahar", ("Kandahar City",)),
    ("Herat", "city", "Herat", ("Herat City",)),
    ("Mazar-i-Sharif", "city", "Balkh", ("Mazar-e Sharif", "Mazar-e-Sharif", "Mazar", "Mazari Sharif")),
    ("Kunduz", "city", "Kunduz", ()),
    ("Aybak", "city", "Samangan", ("Aibak", "Samangan city")),
    ("Pul-e Khumri", "city", "Baghlan", ("Pul-i-Khumri", "Puli Khumri", "Pol-e Khomri")),
    ("Sheberghan", "city", "Jowzjan", ("Shiberghan", "Shebirghan")),
    ("Lashkar Gah", "city", "Helmand", ("Lashkargah",)),
    ("Fayzabad", "city", "Badakhshan", ("Faizabad", "Feyzabad")),
    ("Ghazni", "city", "Ghazni", ()),
    ("Gardez", "city", "Paktia", ()),
    ("Khost", "city", "Khost", ()),
    ("Asadabad", "city", "Kunar", ()),
    ("Taloqan", "city", "Takhar", ("Taluqan",)),
    ("Charikar", "city", "Parwan", ()),
    ("Bamyan", "city", "Bamyan", ("Bamiyan",)),
    ("Sayad", "district", "Sar-e Pul", ("Sayyad",)),
    ("Darzab", "district", "Jowzjan", ("Darz Aab", "Darz Ab")),
    ("Qush Tepa", "district", "Jowzjan", ("Qushtepa", "Qosh Tepa")),
    ("Injil", "district", "Herat", ("Enjil",)),
    ("Dasht-e Barchi", "neighbourhood", "Kabul", ("Dasht-e-Barchi", "Dasht-i-Barchi", "Dashte Barchi")),
    ("Karta-e Parwan", "neighbourhood", "Kabul", ("Karte Parwan", "Karta-e-Parwan")),
    ("Dar-ul-Aman", "neighbourhood", "Kabul", ("Darulaman", "Dar ul Aman")),
    ("Achin", "district", "Nangarhar", ()),
    ("Spin Ghar", "district", "Nangarhar", ()),
    # districts and towns common in event data (RAND, GTD); ambiguous names (Arghandab,
    # Muqur, which exist in two provinces) are deliberately left out
    ("Greshk", "district", "Helmand", ("Gereshk", "Girishk", "Nahr-e Saraj", "Nahri Sarraj")),
    ("Sangin", "district", "Helmand", ("Sangeen",)),
    ("Musa Qala", "district", "Helmand", ("Musa Qalah", "Musa Qaleh")),
    ("Kajaki", "district", "Helmand", ("Kajaki Dam",)),
    ("Nad Ali", "district", "Helmand", ("Nad-e Ali", "Nad-i-Ali")),
    ("Marja", "district", "Helmand", ("Marjah",)),
    ("Garmsir", "district", "Helmand", ("Garmser",)),
    ("Spin Boldak", "district", "Kandahar", ("Spin Buldak",)),
    ("Maywand", "district", "Kandahar", ("Maiwand",)),
    ("Panjwai", "district", "Kandahar", ("Panjwayi", "Panjway")),
    ("Zhari", "district", "Kandahar", ("Zharey",)),
    ("Andar", "district", "Ghazni", ()),
    ("Khogiani", "district", "Nangarhar", ("Khogyani", "Khugyani")),
    ("Shinwar", "district", "Nangarhar", ()),
    ("Torkham", "place", "Nangarhar", ()),
    ("Shahjoy", "district", "Zabul", ("Shah Joy", "Shajoy")),
    ("Kamdesh", "district", "Nuristan", ("Kamdeysh",)),
    ("Zurmat", "district", "Paktia", ("Zormat",)),
    ("Sangcharak", "district", "Sar-e Pul", ()),
    ("Bagram", "district", "Parwan", ()),
    ("Baharak", "district", "Badakhshan", ()),
    # places named in the seed reports of the bundled dataset
    ("Mirzawalang", "village", "Sar-e Pul", ("Mirza Olang", "Mirza Walang")),
    ("Fargh Shahr", "area", "Herat", ()),
    ("Chaharbagh Firuza", "area", "Herat", ()),
)

_DROP_WORDS = re.compile(r"\b(province|provence|provinz|wilayat|velayat|welayat)\b")
#: "Province of Kandahar", "Wilayat-e Kandahar", "Velayat-i Herat": the leading word.
_LEADING = re.compile(r"^\s*(province|wilayat|velayat|welayat)(\s+of\s+|\s*-\s*[ei]\s+|\s*-\s*[ei]-|\s+[ei]\s+)")


def normalise_name(name: object) -> str:
    """Normalise a place name to its matching key.

    Strips diacritics, folds case, drops the word "province" and every character
    that is not a letter or digit.

    >>> normalise_name("  Sar-i-Pul  Province ")
    'saripul'
    """
    if name is None or (isinstance(name, float) and name != name):
        return ""
    text = unicodedata.normalize("NFKD", str(name))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = _DROP_WORDS.sub(" ", _LEADING.sub("", text))
    return re.sub(r"[^0-9a-z]+", "", text)


@lru_cache(maxsize=1)
def _index() -> dict[str, Province]:
    index: dict[str, Province] = {}
    for p in PROVINCES:
        for variant in (p.name, p.code, p.code.split("-")[1], *p.variants):
            index[normalise_name(variant)] = p
    return index


@lru_cache(maxsize=1)
def _by_code() -> dict[str, Province]:
    return {p.code: p for p in PROVINCES}


@lru_cache(maxsize=1)
def _place_index() -> dict[str, tuple[str, str, str]]:
    out: dict[str, tuple[str, str, str]] = {}
    for p in PROVINCES:  # provincial capitals are cities of their province
        out[normalise_name(p.capital)] = (p.capital, "city", p.name)
    for name, kind, province, variants in _PLACES:
        for v in (name, *variants):
            out[normalise_name(v)] = (name, kind, province)
    return out


def suggest(name: object, n: int = 3) -> list[str]:
    """Up to ``n`` canonical province names closest to ``name`` (difflib ratio >= 0.6
    on the normalised spelling), closest first."""
    key = normalise_name(name)
    keys = list(_index())
    close = difflib.get_close_matches(key, keys, n=n * 3, cutoff=0.6)
    seen: list[str] = []
    for k in close:
        canonical = _index()[k].name
        if canonical not in seen:
            seen.append(canonical)
    return seen[:n]


def did_you_mean(name: object) -> str:
    """A one-line hint for a province name the gazetteer does not know: the closest
    canonical name (``"Kandahr: did you mean Kandahar?"``), or that none is close."""
    shown = str(name).strip() if name is not None else ""
    close = suggest(name)
    if not close:
        return f"{shown}: not an Afghan province name, and none is close"
    return f"{shown}: did you mean {close[0]}?"


def province_names(names: pd.Series) -> pd.Series:
    """The canonical name of each value of ``names`` (any known spelling or code, any
    case, extra spaces, a trailing "Province"), missing where the gazetteer does not
    know it. Each distinct value is looked up once."""
    codes, uniques = pd.factorize(names, use_na_sentinel=True)
    found = [_index().get(normalise_name(u)) for u in uniques]
    table = pd.array([p.name if p else None for p in found] + [None], dtype="str")
    return pd.Series(table.take(codes), index=names.index, dtype="str")


def _lookup(name: object) -> Province:
    key = normalise_name(name)
    try:
        return _index()[key]
    except KeyError:
        raise UnknownPlaceError(name, suggest(name)) from None


def province_name(name: object) -> str:
    """Canonical English name of an Afghan province, from any known spelling or code.

    Raises
    ------
    UnknownPlaceError
        If the name is not known; the message lists the closest matches.
    """
    return _lookup(name).name


def province_code(name: object) -> str:
    """ISO 3166-2 code (for example ``"AF-SAR"``) of an Afghan province.

    Accepts any spelling variant, any case, extra whitespace, punctuation,
    diacritics and a trailing "province".

    >>> province_code("Sari Pul")
    'AF-SAR'

    Raises
    ------
    UnknownPlaceError
        If the name is not known; the message lists the closest matches.
    """
    return _lookup(name).code


def try_province_code(name: object) -> str | None:
    """Like :func:`province_code` but returns ``None`` for an unknown name."""
    p = _index().get(normalise_name(name))
    return p.code if p else None


def code_to_name(code: str) -> str:
    """Canonical province name for an ISO 3166-2 code."""
    try:
        return _by_code()[str(code).strip().upper()].name
    except KeyError:
        raise UnknownPlaceError(code, suggest(code)) from None


def lookup_place(name: object) -> dict[str, str] | None:
    """Look up a district, city or neighbourhood; falls back to a province.

    Returns a dict with ``name``, ``kind`` (city / district / neighbourhood /
    province) and ``province``, or ``None`` when unknown.
    """
    key = normalise_name(name)
    hit = _place_index().get(key)
    if hit is not None:
        return {"name": hit[0], "kind": hit[1], "province": hit[2]}
    p = _index().get(key)
    if p is not None:
        return {"name": p.name, "kind": "province", "province": p.name}
    return None


def provinces() -> pd.DataFrame:
    """The province table: name, code, latitude, longitude, capital, variants."""
    return pd.DataFrame(
        {
            "province": [p.name for p in PROVINCES],
            "province_code": [p.code for p in PROVINCES],
            "latitude": [p.latitude for p in PROVINCES],
            "longitude": [p.longitude for p in PROVINCES],
            "capital": [p.capital for p in PROVINCES],
            "variants": ["; ".join(p.variants) for p in PROVINCES],
        }
    )


def centroid(name: object) -> tuple[float, float]:
    """Approximate (latitude, longitude) centroid of a province."""
    p = _lookup(name)
    return p.latitude, p.longitude
