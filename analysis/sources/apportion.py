"""Whole-number tolls from fractional ones, apportioned within each multi-part attack.

GTD records a coordinated attack as several related records (``related`` lists the
others' ``eventid``) and divides the attack's deaths evenly among them, so ``nkill``
can be fractional (21 parts of an attack that killed 59: 2.83 each). A canonical count
is a whole number, so each such record gets a range and a best figure:

* ``low`` is the floor and ``high`` the ceiling of the record's share;
* ``best`` is apportioned by the largest-remainder method within the group of related
  records: every record gets the floor of its share, and the units still needed for
  the group's total (its shares' sum, rounded to the nearest whole number) go to the
  records with the largest fractional parts (ties in file order). The group's integer
  total is then exact, and each best lies between its low and high.

A group is a connected set of records linked by ``related`` within the file; a record
whose related records are not in the file (a clipped extract) is apportioned with
those that are, and one linked to none is its own group (its share rounded to the
nearest whole number, half to even).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

__all__ = ["fractional", "groups", "largest_remainder"]

#: Shares are given to two decimals; sums and differences are rounded to this many
#: decimals before floors and ceilings are taken (1.67 - 0.67 is 1.0000000000000002).
DECIMALS = 6
_ID = re.compile(r"\d+")


def fractional(values: np.ndarray) -> np.ndarray:
    """Known values that are not whole numbers."""
    v = np.round(values, DECIMALS)
    return ~np.isnan(v) & (v != np.floor(v))


def _find(parent: dict[int, int], k: int) -> int:
    root = k
    while parent[root] != root:
        root = parent[root]
    while parent[k] != root:  # path compression
        parent[k], k = root, parent[k]
    return root


def groups(ids: pd.Series, related: pd.Series | None, rows: np.ndarray) -> np.ndarray:
    """A group number for each row (-1 for rows not in ``rows``): the connected sets of
    ``rows`` linked through ``related`` (text listing other records' ids), within the
    rows given. Work is proportional to the rows given, not to the table."""
    label = np.full(len(ids), -1, dtype=np.int64)
    where = np.flatnonzero(rows)
    if not len(where):
        return label
    own = ids.iloc[where].astype("str").tolist()
    position = {i: k for k, i in enumerate(own)}
    parent = {k: k for k in range(len(own))}
    if related is not None:
        links = related.iloc[where].astype("str").tolist()
        for k, text in enumerate(links):
            if not isinstance(text, str):
                continue
            for other in _ID.findall(text):
                j = position.get(other)
                if j is not None:
                    a, b = _find(parent, k), _find(parent, j)
                    if a != b:
                        parent[max(a, b)] = min(a, b)
    label[where] = [_find(parent, k) for k in range(len(own))]
    return label


def largest_remainder(values: np.ndarray, group: np.ndarray) -> np.ndarray:
    """Whole numbers for ``values`` (float, NaN for unknown) that keep each group's total.

    Rows with ``group >= 0`` are apportioned within their group: the floor of each
    value, plus one for the rows with the largest fractional parts (ties in order)
    until the group reaches its rounded total (half to even). Other rows are rounded
    to the nearest whole number. NaN stays NaN.
    """
    v = np.round(values.astype("float64"), DECIMALS)
    out = np.rint(v)
    rows = np.flatnonzero((group >= 0) & ~np.isnan(v))
    if not len(rows):
        return out
    g, x = group[rows], v[rows]
    floor = np.floor(x)
    rest = x - floor
    totals = pd.Series(x).groupby(g).transform("sum").to_numpy()
    floors = pd.Series(floor).groupby(g).transform("sum").to_numpy()
    needed = np.rint(np.round(totals, DECIMALS)) - floors
    # rank within the group by remainder, largest first, ties in row order
    order = np.lexsort((rows, -rest, g))
    first_of_group = np.r_[True, g[order][1:] != g[order][:-1]]
    starts = np.maximum.accumulate(np.where(first_of_group, np.arange(len(order)), 0))
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order)) - starts
    out[rows] = floor + (rank < needed)
    return out
