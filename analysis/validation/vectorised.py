"""The vectorised executor of the rule table, for bulk validation.

It runs the same table as the pandera reference (:mod:`~analysis.validation.reference`):
:data:`analysis.schema.COLUMN_RULES` and :data:`analysis.schema.ROW_RULES`, with the same
semantics (element rules judge known values only; a missing value breaks ``not_null``
where the column is not nullable; ``unique`` fails every copy of a repeated id) and
the same failure lines (``_index``, ``column``, ``rule``, ``value``). Every rule is
one pass of NumPy or Arrow over a whole column, with no Python per row, and nothing
is collected for the rows that pass. ``tests/validation/test_executors.py`` proves on
generated frames that both executors make identical decisions.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import InputError
from ..schema import COLUMN_RULES, COLUMNS, ROW_RULES, ColumnRule, canonical_dtype

__all__ = ["duplicated_ids", "failures"]

FAILURE_COLUMNS = ["_index", "column", "rule", "value"]


def duplicated_ids(ids: pd.Series) -> np.ndarray:
    """The rows the ``unique`` rule fails: every row whose id occurs more than once,
    as pandera reports them (a missing id breaks ``not_null``, not ``unique``)."""
    codes, uniques = pd.factorize(ids, use_na_sentinel=True)
    if len(uniques) == len(ids):  # one hash pass; the common case
        return np.zeros(len(ids), dtype=bool)
    if len(uniques) == 0:  # every id missing: none repeats
        return np.zeros(len(ids), dtype=bool)
    counts = np.bincount(codes[codes >= 0], minlength=len(uniques))
    return (codes >= 0) & (counts[np.maximum(codes, 0)] > 1)


def _element_failures(
    s: pd.Series, rule: ColumnRule, known: np.ndarray
) -> list[tuple[str, np.ndarray]]:
    """(rule, failing rows) of the element rules of one column, on its known values."""
    out = []
    if rule.isin is not None:
        inside = s.isin(rule.isin).to_numpy(dtype=bool, na_value=False)
        out.append(("isin", known & ~inside))
    if rule.str_matches is not None:
        match = s.str.match(rule.str_matches).to_numpy(dtype=bool, na_value=False)
        out.append(("str_matches", known & ~match))
    if rule.ge is not None or rule.in_range is not None:
        v = s.to_numpy(dtype="float64", na_value=np.nan)
        with np.errstate(invalid="ignore"):
            if rule.ge is not None:
                out.append(("greater_than_or_equal_to", known & ~(v >= rule.ge)))
            if rule.in_range is not None:
                lo, hi = rule.in_range
                out.append(("in_range", known & ~((v >= lo) & (v <= hi))))
    return out


def _column_failures(typed: pd.DataFrame, c: str, rule: ColumnRule, unique: bool) -> list[tuple]:
    """(column, rule, failing rows, values shown) of one column's rules."""
    s = typed[c]
    n = len(s)
    if str(s.dtype) != canonical_dtype(c):  # cannot happen after coercion; as pandera says it
        value = np.full(n, f"dtype('{canonical_dtype(c)}')", dtype=object)
        return [(c, "dtype", np.ones(n, dtype=bool), value)]
    missing = s.isna().to_numpy(dtype=bool)
    found = []
    if not rule.nullable and missing.any():
        found.append((c, "not_null", missing, None))
    if rule.unique and unique:
        dup = duplicated_ids(s)
        if dup.any():
            found.append((c, "unique", dup, s))
    for name, bad in _element_failures(s, rule, ~missing):
        if bad.any():
            found.append((c, name, bad, s))
    return found


def _row_failures(typed: pd.DataFrame) -> list[tuple]:
    found = []
    for name, rule in ROW_RULES.items():
        bad = ~np.asarray(rule.check(typed), dtype=bool)
        if bad.any():
            found.append((rule.column, name, bad, typed[rule.column]))
    return found


def failures(typed: pd.DataFrame, *, unique: bool = True) -> pd.DataFrame:
    """Every (row, column, rule) of ``typed`` that the rule table rejects (empty if none).

    ``typed`` is the frame of :func:`~analysis.validation.coercion.coerce_incidents`
    (the canonical columns in their canonical dtypes). ``unique=False`` leaves out the
    one rule that is not row by row (``incident_id`` unique), for a caller that checks
    it across parts of a larger table.

    Raises
    ------
    InputError
        ``typed`` does not hold exactly the canonical columns.
    """
    if set(typed.columns) != set(COLUMNS):
        raise InputError(f"not the canonical columns: {sorted(set(typed.columns) ^ set(COLUMNS))}")
    found = [
        f for c, rule in COLUMN_RULES.items() for f in _column_failures(typed, c, rule, unique)
    ]
    found += _row_failures(typed)
    if not found:
        return pd.DataFrame({c: pd.Series([], dtype="object") for c in FAILURE_COLUMNS})
    parts = []
    for column, rule, bad, values in found:
        rows = np.flatnonzero(bad)
        if values is None:
            shown = np.full(len(rows), np.nan, dtype=object)
        elif isinstance(values, np.ndarray):
            shown = values[rows]
        else:
            shown = values.iloc[rows].to_numpy(dtype=object)
        parts.append(
            pd.DataFrame(
                {"_index": typed.index[rows], "column": column, "rule": rule, "value": shown}
            )
        )
    out = pd.concat(parts, ignore_index=True)
    out["_index"] = out["_index"].astype("int64")
    return out
