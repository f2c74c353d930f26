"""Coordinates as evidence: the country and Afghan province of records that lack them.

A source that gives a record's coordinates but not its country (a GTD extract clipped
to a region carries no country columns), or not its Afghan province (``provstate``
"Unknown", a blank ``admin1``), still says where the record is. Such records are
located by point-in-polygon on the bundled Natural Earth boundaries
(:func:`analysis.geo.locate`, with its 5 km rule for points just outside every
polygon) instead of being lost:

* a missing country becomes the country of the point (Natural Earth's ``ADM0_A3``,
  translated to ISO 3166-1 alpha-3 where the two differ);
* a missing Afghan province becomes the province of the point, when the point lies in
  Afghanistan;
* where the source gives a country and the point lies in another, the source's value
  is kept and the disagreement is noted (``coordinates_country=PAK``).

Each inferred value is noted (``country=from coordinates``, ``province=from
coordinates``), and ``geo_precision`` still comes from the source's own precision
field. Only the records that need it are located, so a complete export costs nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .. import gazetteer

__all__ = ["ADM0_TO_ISO3", "Located", "locate_missing", "province_names"]

#: Natural Earth ``ADM0_A3`` codes that are not the ISO 3166-1 alpha-3 code used in the
#: canonical table (as in :mod:`analysis.sources._countries`); None: no single country.
ADM0_TO_ISO3: dict[str, str | None] = {
    "ALD": "ALA",  # Åland
    "PSX": "PSE",  # Palestine
    "SAH": "ESH",  # Western Sahara
    "SDS": "SSD",  # South Sudan
    "KOS": "XKX",  # Kosovo
    "CYN": "CYP",  # Northern Cyprus: Cyprus, as the event datasets code it
    "SOL": "SOM",  # Somaliland: Somalia, likewise
    "ATC": "AUS",  # Ashmore and Cartier Islands
    "IOA": "AUS",  # Indian Ocean Territories
    "KAS": None,  # Siachen Glacier: claimed by India and Pakistan
}


@dataclass
class Located:
    """The place columns after inference, and the notes it left."""

    country: pd.Series
    province_code: pd.Series
    notes: dict[str, pd.Series] = field(default_factory=dict)


def _iso3(adm0: pd.Series) -> pd.Series:
    return adm0.map(lambda c: ADM0_TO_ISO3.get(c, c) if isinstance(c, str) else None).astype("str")


def _points(lat: pd.Series | None, lon: pd.Series | None, need: np.ndarray) -> pd.DataFrame | None:
    """:func:`analysis.geo.locate` of the rows in ``need`` that have coordinates (index:
    their row labels), or None when there are none."""
    if lat is None or lon is None:
        return None
    la = lat.to_numpy(dtype="float64", na_value=np.nan)
    lo = lon.to_numpy(dtype="float64", na_value=np.nan)
    rows = np.flatnonzero(need & ~np.isnan(la) & ~np.isnan(lo))
    if not len(rows):
        return None
    from ..geo import locate

    found = locate(lo[rows], la[rows])
    found.index = lat.index[rows]
    return found


def _note(index: pd.Index, at: pd.Index, value: str | np.ndarray) -> pd.Series:
    note = pd.Series(None, index=index, dtype="str")
    note.loc[at] = value
    return note


def locate_missing(
    country: pd.Series, province_known: pd.Series, lat: pd.Series | None, lon: pd.Series | None
) -> Located:
    """Fill a missing ``country`` from the coordinates, and give the Afghan rows
    without a province (``province_known`` False) the province of their point.

    Returns the country (ISO3, missing where still unknown), the province codes found
    from coordinates (missing elsewhere) and the notes to add.
    """
    index = country.index
    afg = (country == "AFG").to_numpy(dtype=bool, na_value=False)
    no_province = ~province_known.to_numpy(dtype=bool, na_value=False)
    found = _points(lat, lon, country.isna().to_numpy() | (afg & no_province))
    codes = pd.Series(None, index=index, dtype="str")
    if found is None:
        return Located(country, codes)
    notes = {}
    point = _iso3(found["country"]).to_numpy(dtype=object, na_value=None)
    given = country.loc[found.index].to_numpy(dtype=object, na_value=None)
    has_point, has_given = pd.notna(point), pd.notna(given)
    fill = ~has_given & has_point
    if fill.any():
        country = country.copy()
        country.loc[found.index[fill]] = point[fill]
        notes["country"] = _note(index, found.index[fill], "from coordinates")
    differ = has_given & has_point & (given != point)
    if differ.any():
        notes["coordinates_country"] = _note(index, found.index[differ], point[differ])
    now_afg = (country.loc[found.index] == "AFG").to_numpy(dtype=bool, na_value=False)
    take = now_afg & (point == "AFG") & found["province_code"].notna().to_numpy()
    take &= ~province_known.loc[found.index].to_numpy(dtype=bool, na_value=False)
    if take.any():
        codes.loc[found.index[take]] = found["province_code"].to_numpy(dtype=object)[take]
        notes["province"] = _note(index, found.index[take], "from coordinates")
    return Located(country, codes, notes)


def province_names(codes: pd.Series) -> pd.Series:
    """Canonical province names of ISO 3166-2 codes (missing stays missing)."""
    return codes.map(lambda c: gazetteer.code_to_name(c) if isinstance(c, str) else None).astype("str")
