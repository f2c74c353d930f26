"""Places in news reports, matched through the gazetteer.

:func:`find_places` finds every Afghan province, district, city or neighbourhood the
gazetteer knows (any listed spelling), plus the small named localities reports give
("Mirzawalang village", "the Fargh Shahr area of Herat", "the first district of
Jalalabad city"), and resolves each to its province. :func:`best_place` picks the
most specific place among several mentions of one incident, preferring mentions
whose province agrees with the others.

Phrases such as "the Afghan capital" resolve to Kabul; "northern Afghanistan" gives
no province. Places outside Afghanistan (Islamabad, Dushanbe) are not matched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .. import gazetteer

__all__ = ["PlaceMention", "best_place", "find_places"]

#: Order of specificity (most specific last).
_RANK = {"country": 0, "province": 1, "city": 2, "district": 3, "neighbourhood": 4, "village": 4, "area": 4, "locality": 5}


@dataclass(frozen=True)
class PlaceMention:
    """A place named in text.

    ``kind`` is province / city / district / neighbourhood / village / locality;
    ``district`` and ``place`` hold the sub-province names when known.
    """

    province: str | None
    district: str | None
    place: str | None
    kind: str
    text: str
    start: int
    end: int

    @property
    def rank(self) -> int:
        return _RANK.get(self.kind, 0)


@lru_cache(maxsize=1)
def _name_pattern() -> tuple[re.Pattern[str], dict[str, tuple[str, str, str]]]:
    names: dict[str, tuple[str, str, str]] = {}
    for p in gazetteer.PROVINCES:
        for v in (p.name, *p.variants):
            names.setdefault(v, (p.name, "province", p.name))
    for name, kind, province, variants in gazetteer._PLACES:
        for v in (name, *variants):
            if v in names and names[v][1] == "province":
                # "Herat", "Kabul": same spelling for city and province; decided by context
                names[v] = (name, f"city|{names[v][1]}", province)
            else:
                names.setdefault(v, (name, kind, province))
    alts = sorted(names, key=len, reverse=True)
    body = "|".join(re.escape(a).replace(r"\ ", r"[\s-]+").replace(r"\-", r"[\s-]?") for a in alts)
    pat = re.compile(rf"(?<![\w-])(?:{body})(?![\w])")
    lookup: dict[str, tuple[str, str, str]] = {}
    for k, v in names.items():
        key = gazetteer.normalise_name(k)
        if key not in lookup or v[1].startswith("city|"):
            lookup[key] = v
    return pat, lookup


_CAPITAL = re.compile(r"\b(?:the\s+)?Afghan\s+capital\b|\bcapital,?\s+Kabul\b", re.I)
_PROVINCE_AFTER = re.compile(r"^\W{0,2}\s*(?:province|provence|Province)\b")
_CITY_AROUND = re.compile(r"(?:\bcity\s+of\s+$|\btown\s+of\s+$)", re.I)
_CITY_AFTER = re.compile(r"^\s+(?:city|City)\b")
# Named localities: "<Name> village", "the <Name> area of <place>", "in <Name> village"
_LOCALITY = re.compile(
    r"\b(?P<name>(?:[A-Z][\w'’-]+\s+){0,2}[A-Z][\w'’-]+)\s+(?P<kind>village|area|neighbou?rhood|bazaar|market|square)\b"
)
_NUMBERED_DISTRICT = re.compile(
    r"\b(?:the\s+)?(?P<n>first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|"
    r"eleventh|twelfth|thirteenth|\d{1,2}(?:st|nd|rd|th))\s+(?:police\s+|security\s+)?district\s+of\s+"
    r"(?P<city>[A-Z][\w-]+)(?:\s+city)?",
)
_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
}
_NOT_PLACES = frozenset(
    {"The", "This", "That", "Local", "Border", "Tribal", "Residential", "Rural", "Remote", "Same",
     "Mountainous", "Surrounding", "Capital", "Crowded", "Busy", "Security", "Afghan", "Shia",
     "Shiite", "Hazara", "Green", "Diplomatic", "Western", "Eastern", "Northern", "Southern"}
)


def find_places(text: str) -> list[PlaceMention]:
    """Every place in ``text`` that the gazetteer knows, plus named localities."""
    pat, lookup = _name_pattern()
    out: list[PlaceMention] = []
    for m in pat.finditer(text):
        name, kind, province = lookup[gazetteer.normalise_name(m.group())]
        after = text[m.end() : m.end() + 12]
        before = text[max(0, m.start() - 12) : m.start()]
        if kind.startswith("city|"):
            if _PROVINCE_AFTER.match(after):
                kind, name = "province", province
            elif _CITY_AROUND.search(before) or _CITY_AFTER.match(after):
                kind = "city"
            else:
                kind = "city?"  # ambiguous: a city that shares its province's name
        elif kind == "province" and _CITY_AFTER.match(after):
            kind = "city"
        if kind in ("province",):
            out.append(PlaceMention(province, None, None, "province", m.group(), m.start(), m.end()))
        elif kind == "city?":
            out.append(PlaceMention(province, None, None, "province", m.group(), m.start(), m.end()))
        elif kind == "city":
            out.append(PlaceMention(province, name, None, "city", m.group(), m.start(), m.end()))
        elif kind == "district":
            out.append(PlaceMention(province, name, None, "district", m.group(), m.start(), m.end()))
        else:
            out.append(PlaceMention(province, None, name, kind, m.group(), m.start(), m.end()))
    for m in _CAPITAL.finditer(text):
        out.append(PlaceMention("Kabul", "Kabul", None, "city", m.group(), m.start(), m.end()))
    for m in _NUMBERED_DISTRICT.finditer(text):
        hit = gazetteer.lookup_place(m.group("city"))
        if hit is None:
            continue
        n = m.group("n").lower()
        num = _ORDINALS.get(n) or int(re.match(r"\d+", n).group())
        out.append(
            PlaceMention(
                hit["province"], hit["name"], f"Police District {num}, {hit['name']}", "neighbourhood",
                m.group(), m.start(), m.end(),
            )
        )
    known = [(p.start, p.end) for p in out]
    for m in _LOCALITY.finditer(text):
        name = m.group("name")
        first = name.split()[0]
        if first in _NOT_PLACES or any(m.start() < e and s < m.end("name") for s, e in known):
            continue
        if gazetteer.lookup_place(name) is not None:
            continue
        out.append(PlaceMention(None, None, name, "locality", m.group(), m.start(), m.end()))
    out.sort(key=lambda p: p.start)
    return _fill_provinces(text, out)


def _fill_provinces(text: str, places: list[PlaceMention]) -> list[PlaceMention]:
    """Give localities the province (and district) of the next known place in the same
    phrase: "the Mirza Olang area of Sayad district" -> Sar-e Pul, Sayad."""
    out: list[PlaceMention] = []
    for i, p in enumerate(places):
        if p.kind == "locality" and p.province is None:
            for q in places[i + 1 :]:
                gap = text[p.end : q.start]
                if q.province and len(gap) < 40 and re.search(r"\b(?:of|in|,)\b|,", gap):
                    p = PlaceMention(q.province, q.district, p.place, p.kind, p.text, p.start, p.end)
                    break
        out.append(p)
    return out


def best_place(mentions: list[PlaceMention]) -> dict[str, object] | None:
    """The most specific consistent place among an incident's mentions.

    The province is the one most mentioned (ties: the first); district and place are
    the most specific mentions within that province.
    """
    known = [m for m in mentions if m.province]
    if not known:
        return None
    counts: dict[str, int] = {}
    for m in known:
        counts[m.province] = counts.get(m.province, 0) + 1 + m.rank  # specific mentions weigh more
    province = max(counts, key=lambda k: (counts[k], -next(i for i, m in enumerate(known) if m.province == k)))
    inside = [m for m in known if m.province == province]
    district = next((m.district for m in sorted(inside, key=lambda m: -m.rank) if m.district), None)
    place = next((m.place for m in sorted(inside, key=lambda m: -m.rank) if m.place), None)
    top = max(inside, key=lambda m: m.rank)
    geo = "place" if place else ("district" if district else "province")
    evidence = [m for m in inside if m.rank == top.rank] or inside
    return {
        "province": province,
        "district": district,
        "place": place,
        "geo_precision": geo,
        "evidence": evidence[0],
    }
