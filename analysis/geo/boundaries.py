"""The bundled Natural Earth boundaries as shapely geometries (read once, cached)."""

from __future__ import annotations

import json
from functools import lru_cache

import numpy as np
import pandas as pd

from .. import config

__all__ = ["COUNTRIES_FILE", "PROVINCES_FILE", "country_polygons", "project_km", "province_polygons"]

#: Natural Earth Admin-0 countries, 1:50m, every vertex kept (used to locate points).
COUNTRIES_FILE = ("geo", "ne_50m_admin_0_countries.geojson")
#: Natural Earth Admin-1, 1:10m, Afghanistan's 34 provinces keyed by their correct code.
PROVINCES_FILE = ("geo", "afghanistan_provinces_ne.geojson")

#: Latitude at which :func:`project_km` is true to scale (the middle of Afghanistan).
REFERENCE_LATITUDE = 34.0


def _features(parts: tuple[str, str]) -> list[dict]:
    return json.loads(config.bundled(*parts).read_text(encoding="utf-8"))["features"]


@lru_cache(maxsize=2)
def _layer(parts: tuple[str, str], code: str, name: str) -> tuple[tuple[str, ...], tuple[str, ...], np.ndarray]:
    """(codes, names, prepared shapely geometries) of a bundled GeoJSON layer."""
    import shapely

    feats = _features(parts)
    geoms = np.array([shapely.geometry.shape(f["geometry"]) for f in feats], dtype=object)
    shapely.prepare(geoms)
    return (
        tuple(f["properties"][code] for f in feats), tuple(f["properties"][name] for f in feats), geoms,
    )


def _provinces():
    return _layer(PROVINCES_FILE, "code", "name")


def _countries():
    return _layer(COUNTRIES_FILE, "ADM0_A3", "NAME")


def province_polygons() -> pd.DataFrame:
    """Afghanistan's 34 provinces: ``name`` and shapely ``geometry``, indexed by ISO 3166-2.

    Natural Earth's 1:10m admin-1 polygons (longitude/latitude, WGS84), keyed by the
    correct code (Natural Earth's own codes are wrong for Daykundi, Panjshir, Paktiya
    and Paktika).
    """
    codes, names, geoms = _provinces()
    frame = pd.DataFrame({"name": names, "geometry": list(geoms)}, index=pd.Index(codes, name="province_code"))
    return frame.sort_index()


def country_polygons() -> pd.DataFrame:
    """The world's countries: ``name`` and shapely ``geometry``, indexed by ``ADM0_A3``.

    Natural Earth's 1:50m admin-0 polygons (de facto boundaries; ``ADM0_A3`` is unique,
    unlike ``ISO_A3``, which is "-99" for a few countries).
    """
    codes, names, geoms = _countries()
    return pd.DataFrame({"name": names, "geometry": list(geoms)}, index=pd.Index(codes, name="country"))


def project_km(coords: np.ndarray) -> np.ndarray:
    """Longitude/latitude to kilometres east/north, true to scale at 34° N.

    An equirectangular projection: adequate for distances of a few kilometres and for
    shapes inside Afghanistan (29°-39° N), where its scale error stays under 10%.
    """
    k = np.cos(np.deg2rad(REFERENCE_LATITUDE))
    return np.column_stack([coords[:, 0] * 111.32 * k, coords[:, 1] * 110.57])
