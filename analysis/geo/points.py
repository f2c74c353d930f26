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


def _assign(lon: np.ndarray, lat: np.ndarray, ok: np.ndarray, geoms: np.ndarray, tolerance_km: float):
    """Index of the polygon holding each point (or the nearest within the tolerance),
    -1 when none, and the distance in km to it (0 inside)."""
    import shapely

    n = len(lon)
    which = np.full(n, -1, dtype=np.int64)
    dist = np.full(n, np.nan)
    tree = shapely.STRtree(geoms)
    rows = np.flatnonzero(ok)
    # candidates by bounding box, then the exact test on the prepared polygons
    pt, poly = tree.query(shapely.points(lon[rows], lat[rows]))
    inside = shapely.contains_xy(geoms[poly], lon[rows[pt]], lat[rows[pt]])
    idx, poly = rows[pt[inside]], poly[inside]
    which[idx[::-1]] = poly[::-1]  # a point in two polygons: the first one
    dist[idx] = 0.0
    todo = np.flatnonzero(ok & (which < 0))
    if len(todo) and tolerance_km > 0:
        pt, poly, km = _near(lon[todo], lat[todo], geoms, tree, tolerance_km)
        order = np.lexsort((km, pt))  # per point, the nearest polygon first
        pt, poly, km = pt[order], poly[order], km[order]
        first = np.r_[True, pt[1:] != pt[:-1]] & (km <= tolerance_km)
        which[todo[pt[first]]] = poly[first]
        dist[todo[pt[first]]] = km[first]
    return which, dist


def _near(lon, lat, geoms, tree, tolerance_km: float):
    """(point, polygon, km) for every polygon within ``tolerance_km`` of each point."""
    import shapely

    # a generous bound in degrees (a degree of longitude is shortest at high latitude)
    bound = tolerance_km / (111.0 * np.maximum(np.cos(np.deg2rad(np.abs(lat))), 0.01))
    points = shapely.points(lon, lat)
    pt, poly = tree.query(shapely.box(lon - bound, lat - bound, lon + bound, lat + bound))
    close = shapely.dwithin(geoms[poly], points[pt], bound[pt])  # prepared polygons: fast
    pt, poly = pt[close], poly[close]
    line = shapely.shortest_line(points[pt], geoms[poly])
    xy = shapely.get_coordinates(line).reshape(-1, 2, 2)
    return pt, poly, haversine_km(xy[:, 0, 0], xy[:, 0, 1], xy[:, 1, 0], xy[:, 1, 1])


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
    lon = np.atleast_1d(np.asarray(lon, dtype=float))
    lat = np.atleast_1d(np.asarray(lat, dtype=float))
    if lon.shape != lat.shape or lon.ndim != 1:
        raise InputError(f"lon and lat must have the same length; got {lon.shape} and {lat.shape}")
    if tolerance_km < 0:
        raise InputError(f"tolerance_km must be >= 0, not {tolerance_km!r}")
    valid = np.isfinite(lon) & np.isfinite(lat) & (np.abs(lat) <= 90) & (np.abs(lon) <= 180)
    p_codes, _, p_geoms = _provinces()
    c_codes, _, c_geoms = _countries()
    prov, prov_km = _assign(lon, lat, valid, p_geoms, tolerance_km)
    ctry, ctry_km = _assign(lon, lat, valid, c_geoms, tolerance_km)
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
