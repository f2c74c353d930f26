"""``--country``: a name or a code, turned into each API's own filter.

UCDP's ``Country`` filter takes Gleditsch–Ward state numbers (its ``country_id``);
ACLED's takes its own English country names (``country``) or ISO 3166-1 numeric codes
(``iso``). The table below holds Afghanistan and the states around it, with their
ISO alpha-3 and numeric codes and Gleditsch–Ward numbers (Gleditsch and Ward's list of
independent states). A country outside the table is still reachable by its code: a
number is a Gleditsch–Ward number for UCDP and an ISO numeric code for ACLED, and
ACLED also takes any name it knows.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import InputError
from .errors import StoreError

__all__ = ["COUNTRIES", "Country", "resolve_country"]

#: iso3, ISO numeric, Gleditsch–Ward number, name | other spellings
_TABLE = """
AFG 4 700 Afghanistan
PAK 586 770 Pakistan
IRN 364 630 Iran|Iran, Islamic Republic of|Islamic Republic of Iran
TJK 762 702 Tajikistan
UZB 860 704 Uzbekistan
TKM 795 701 Turkmenistan
KGZ 417 703 Kyrgyzstan|Kyrgyz Republic
KAZ 398 705 Kazakhstan
CHN 156 710 China|People's Republic of China
IND 356 750 India
IRQ 368 645 Iraq
SYR 760 652 Syria|Syrian Arab Republic
RUS 643 365 Russia|Russian Federation|Russia (Soviet Union)
"""


@dataclass(frozen=True)
class Country:
    """One country as each API filters it. ``key`` identifies it in a store."""

    key: str
    name: str | None = None
    iso3: str | None = None
    iso_numeric: int | None = None
    gw: int | None = None

    def label(self) -> str:
        return self.name or self.key


def _parse() -> dict[str, Country]:
    out: dict[str, Country] = {}
    for line in _TABLE.strip().splitlines():
        iso3, num, gw, names = line.split(" ", 3)
        spellings = names.split("|")
        c = Country(key=iso3, name=spellings[0], iso3=iso3, iso_numeric=int(num), gw=int(gw))
        for s in (iso3, *spellings):
            out[s.casefold()] = c
    return out


COUNTRIES: dict[str, Country] = _parse()


def resolve_country(value: object, source: str) -> Country:
    """The :class:`Country` for ``value`` (a name, an ISO alpha-3 code or a number).

    ``source`` says what a bare number means: a Gleditsch–Ward number for ``"ucdp"``, an
    ISO numeric code for ``"acled"``.
    """
    text = str(value).strip()
    if not text:
        raise InputError("--country is empty; give a name (Afghanistan) or a code")
    known = COUNTRIES.get(text.casefold())
    if known is not None:
        return known
    if text.isdigit():
        number = int(text)
        field = "gw" if source == "ucdp" else "iso_numeric"
        for c in COUNTRIES.values():
            if getattr(c, field) == number:
                return c
        return Country(key=f"{field}:{number}", **{field: number})
    if source == "ucdp":
        raise InputError(
            f"--country {text!r}: UCDP filters by Gleditsch–Ward number and this name is not in "
            "the package's table; give the number (UCDP's country_id, e.g. 700 for Afghanistan)"
        )
    return Country(key=f"name:{text}", name=text)


def same_country(stored: str | None, wanted: Country, store: object) -> None:
    """Refuse a run whose country is not the one the store was made for."""
    if stored is not None and stored != wanted.key:
        raise StoreError(
            f"{store} holds {stored}, not {wanted.label()}; give that --country or a new --store"
        )
