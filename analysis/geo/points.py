"""Where points are: country and Afghan province of longitude/latitude coordinates."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import InputError
from .boundaries import _countries, _provinces

__all__ = ["TOLERANCE_KM", "haversine_km", "locate"]

#: A point outside every polygon but this close to one (km) takes the nearest polygon.
TOLERANCE_KM = 5.0
EARTH_RADIUS_KM = 6371.0088


def haversine_km(lon1, lat1, lon2, lat2) -> np.ndarray:
    """Great-circle distance in km between points given in degrees."""
    lon1, lat1, lon2, lat2 = (np.deg2rad(np.asarray(v, dtype=float)) for v in (lon1, lat1, lon2, lat2))
    h = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2.0 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def _assign(points: np.ndarray, geoms: np.ndarray, lat: np.ndarray, tolerance_km: float):
    """Index of the polygon holding each point (or the nearest within the tolerance),
    -1 when none, and the distance in km to it (0 inside)."""
    import shapely

    n = len(points)
    which = np.full(n, -1, dtype=np.int64)
    dist = np.full(n, np.nan)
    ok = ~shapely.is_missing(points) & ~shapely.is_empty(points)
    tree = shapely.STRtree(geoms)
    pt, poly = tree.query(points[ok], predicate="intersects")
    idx = np.flatnonzero(ok)[pt]
    which[idx[::-1]] = poly[::-1]  # a point on a shared border: the first polygon
    dist[idx] = 0.0
    todo = np.flatnonzero(ok & (which < 0))
    if len(todo) and tolerance_km > 0:
        # a generous bound in degrees (a degree of longitude is shortest at high latitude)
        coslat = np.maximum(np.cos(np.deg2rad(np.abs(lat[todo]).max())), 0.01)
        bound = tolerance_km / (111.0 * coslat)
        pt, poly = tree.query_nearest(points[todo], max_distance=bound, all_matches=False)
        if len(pt):
            line = shapely.shortest_line(points[todo][pt], geoms[poly])
            xy = shapely.get_coordinates(line).reshape(-1, 2, 2)
            km = haversine_km(xy[:, 0, 0], xy[:, 0, 1], xy[:, 1, 0], xy[:, 1, 1])
            near = km <= tolerance_km
            which[todo[pt[near]]] = poly[near]
            dist[todo[pt[near]]] = km[near]
    return which, dist


def locate(lon, lat, *, tolerance_km: float = TOLERANCE_KM) -> pd.DataFrame:
    """Country and (in Afghanistan) province of each point, by point-in-polygon.

    A point inside a country's Natural Earth 1:50m polygon gets its ``ADM0_A3`` code; a
    point inside one of Afghanistan's 1:10m province polygons gets the province's ISO
    3166-2 code and the country ``"AFG"`` (the finer layer decides along Afghanistan's
    border). A point outside every polygon but within ``tolerance_km`` of one (a
    coastline, a border river, digitising error) takes the nearest. Points farther
    from every polygon, and missing or impossible coordinates, get NA.

    Parameters
    ----------
    lon, lat : array-like or float
        Longitudes and latitudes in degrees (WGS84).
    tolerance_km : float
        How far outside every polygon a point may lie and still take the nearest.

    Returns
    -------
    DataFrame
        One row per point (index 0..n-1): ``country`` and ``province_code`` (strings,
        NA when not located), ``country_km`` and ``province_km`` (distance in km from
        the point to the polygon it was given, 0 inside, NaN when none).

    Examples
    --------
    >>> analysis.locate([69.17, 71.14], [34.53, 37.07])      # doctest: +SKIP
      country province_code  country_km  province_km
    0     AFG        AF-KAB         0.0          0.0
    1     AFG        AF-BDS         0.0          0.0
    """
    import shapely

    lon = np.atleast_1d(np.asarray(lon, dtype=float))
    lat = np.atleast_1d(np.asarray(lat, dtype=float))
    if lon.shape != lat.shape or lon.ndim != 1:
        raise InputError(f"lon and lat must have the same length; got {lon.shape} and {lat.shape}")
    if tolerance_km < 0:
        raise InputError(f"tolerance_km must be >= 0, not {tolerance_km!r}")
    valid = np.isfinite(lon) & np.isfinite(lat) & (np.abs(lat) <= 90) & (np.abs(lon) <= 180)
    points = np.full(len(lon), None, dtype=object)
    points[valid] = shapely.points(lon[valid], lat[valid])
    p_codes, _, p_geoms = _provinces()
    c_codes, _, c_geoms = _countries()
    prov, prov_km = _assign(points, p_geoms, lat, tolerance_km)
    ctry, ctry_km = _assign(points, c_geoms, lat, tolerance_km)
    country = np.array([c_codes[i] if i >= 0 else None for i in ctry], dtype=object)
    in_afg = prov >= 0
    country[in_afg & (prov_km == 0)] = "AFG"
    ctry_km[in_afg & (prov_km == 0)] = 0.0
    # near the border but outside every province: a province only if the country is AFG
    keep = in_afg & ((prov_km == 0) | (country == "AFG"))
    return pd.DataFrame({
        "country": pd.array(country, dtype="string"),
        "province_code": pd.array([p_codes[i] if k else None for i, k in zip(prov, keep, strict=True)], dtype="string"),
        "country_km": np.where(pd.isna(country), np.nan, ctry_km),
        "province_km": np.where(keep, prov_km, np.nan),
    })
