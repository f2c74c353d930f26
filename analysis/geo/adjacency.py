"""Adjacency of Afghanistan's provinces, from their Natural Earth polygons."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from ..errors import InputError
from .boundaries import _provinces, project_km

__all__ = ["adjacency_orders", "province_adjacency", "shared_borders"]


def adjacency_orders(adjacent: pd.DataFrame) -> pd.DataFrame:
    """Adjacency orders (shortest path lengths) from a 0/1 adjacency matrix.

    ``o_ij`` is the number of borders crossed on the shortest way from ``i`` to ``j``:
    0 on the diagonal, 1 for neighbours, and so on; units that cannot be reached get
    ``len(adjacent)`` (more than any real order).
    """
    a = np.asarray(adjacent, dtype=bool)
    if a.ndim != 2 or a.shape[0] != a.shape[1]:
        raise InputError("adjacent must be a square units × units matrix")
    n = len(a)
    a = a | a.T
    np.fill_diagonal(a, False)
    order = np.full((n, n), n, dtype=np.int64)
    np.fill_diagonal(order, 0)
    reached = np.eye(n, dtype=bool)
    frontier = np.eye(n, dtype=bool)
    for k in range(1, n):
        frontier = (frontier.astype(np.int64) @ a.astype(np.int64) > 0) & ~reached
        if not frontier.any():
            break
        order[frontier] = k
        reached |= frontier
    if isinstance(adjacent, pd.DataFrame):
        return pd.DataFrame(order, index=adjacent.index, columns=adjacent.columns)
    return pd.DataFrame(order)


def shared_borders(tolerance_km: float = 0.25) -> pd.DataFrame:
    """Length in km of the border each pair of provinces shares (0 when none).

    The length of province ``i``'s boundary that lies within ``tolerance_km`` of
    province ``j`` (both projected to kilometres), made symmetric by taking the larger
    of the two directions. The tolerance bridges digitising gaps and slivers.
    """
    return _shared_borders(float(tolerance_km)).copy()


@lru_cache(maxsize=4)
def _shared_borders(tolerance_km: float) -> pd.DataFrame:
    import shapely

    codes, _, geoms = _provinces()
    shapes = np.array([shapely.transform(g, project_km) for g in geoms], dtype=object)
    near = [shapely.buffer(g, tolerance_km) for g in shapes]
    n = len(codes)
    length = np.zeros((n, n))
    for i in range(n):
        for j in range(n):
            if i != j and shapes[i].distance(shapes[j]) < tolerance_km:
                length[i, j] = shapely.intersection(shapes[i].boundary, near[j]).length
    length = np.maximum(length, length.T)
    frame = pd.DataFrame(length, index=pd.Index(codes, name="province_code"), columns=list(codes))
    return frame.sort_index().sort_index(axis=1)


def province_adjacency(*, tolerance_km: float = 0.25, min_shared_km: float = 2.0) -> pd.DataFrame:
    """Adjacency orders of Afghanistan's 34 provinces (34 × 34, ISO 3166-2 index).

    Two provinces are neighbours (order 1) when they share at least ``min_shared_km`` of
    border, measured within ``tolerance_km`` of each other (see :func:`shared_borders`):
    a single shared point, which yields at most about twice the tolerance, does not
    count. Order ``k`` is the fewest borders crossed from one province to the other;
    0 on the diagonal. The matrix is symmetric, and suits ``neighbours`` of
    :func:`analysis.fit_endemic_epidemic`.

    >>> adj = analysis.province_adjacency()                  # doctest: +SKIP
    >>> sorted(adj.columns[adj.loc["AF-KAB"] == 1])          # doctest: +SKIP
    ['AF-KAP', 'AF-LAG', 'AF-LOG', 'AF-NAN', 'AF-PAR', 'AF-WAR']
    """
    if not 0 < tolerance_km < min_shared_km / 2:
        raise InputError("need 0 < tolerance_km < min_shared_km / 2 (a point contact must not count)")
    length = _shared_borders(float(tolerance_km))
    return adjacency_orders(length >= min_shared_km)
