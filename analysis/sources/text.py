"""Text columns of large exports, fast: stripping, choosing, and mapping each distinct
value once.

Source exports hold millions of rows but few distinct values per column (a province, a
group name, a code), so the helpers here factorise a column, work on its distinct values
in Python, and spread the result back by code; string work on whole columns is done by
pyarrow. Every result is a pandas ``str`` Series on the input's index.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd

__all__ = [
    "apply_text",
    "apply_unique",
    "distinct_text",
    "from_arrow",
    "map_values",
    "number_text",
    "take_text",
    "text",
    "to_arrow",
    "where_text",
]


def to_arrow(s: pd.Series):
    """The pyarrow array behind a ``str`` Series (large_string)."""
    import pyarrow as pa_

    arr = pa_.array(s.array) if s.dtype == "str" else pa_.array(s.astype("str").array)
    return arr.cast(pa_.large_string()) if arr.type != pa_.large_string() else arr


def from_arrow(arr, index: pd.Index) -> pd.Series:
    return pd.Series(pd.array(arr, dtype="str"), index=index)


def take_text(values: list[object], codes: np.ndarray, index: pd.Index) -> pd.Series:
    """A ``str`` Series whose row k is ``values[codes[k]]`` (-1 or None -> missing)."""
    small = pd.array([None if v is None else str(v) for v in values], dtype="str")
    return pd.Series(small.take(codes, allow_fill=True), index=index, dtype="str")


def where_text(cond, a: pd.Series, b: pd.Series | str | None = None) -> pd.Series:
    """``a`` where ``cond`` else ``b`` (a Series, a constant or missing), for text columns.

    The same as ``a.where(cond, b)`` but done by pyarrow, many times faster on large
    ``str`` columns.
    """
    import pyarrow as pa_
    import pyarrow.compute as pc

    c = pa_.array(np.asarray(pd.Series(cond, index=a.index).fillna(False), dtype=bool))
    right = to_arrow(b) if isinstance(b, pd.Series) else pa_.scalar(b, pa_.large_string())
    return from_arrow(pc.if_else(c, to_arrow(a), right), a.index)


def text(s: pd.Series) -> pd.Series:
    """Stripped text with blanks as missing (dtype ``str``)."""
    import pyarrow as pa_
    import pyarrow.compute as pc

    if s.dtype == "object" and s.isna().all():
        return pd.Series(None, index=s.index, dtype="str")
    if pd.api.types.is_integer_dtype(s) and not isinstance(s.dtype, pd.api.extensions.ExtensionDtype):
        return from_arrow(pc.cast(pa_.array(s.to_numpy()), pa_.large_string()), s.index)
    if pd.api.types.is_float_dtype(s) or pd.api.types.is_integer_dtype(s):
        # numbers read as numbers: write whole numbers without ".0"
        as_int = s.dropna()
        if len(as_int) and (as_int == np.floor(as_int)).all():
            out = s.astype("Int64").astype("str")
            return out.where(s.notna())
    arr = pc.utf8_trim_whitespace(to_arrow(s))
    arr = pc.if_else(pc.equal(arr, ""), pa_.scalar(None, pa_.large_string()), arr)
    return from_arrow(arr, s.index)


def map_values(s: pd.Series, table: Mapping[object, object], default: object = None) -> pd.Series:
    """Map each distinct value once, as text (fast on large columns with few distinct values).

    Missing input gives ``default``; a value not in ``table`` gives ``default``.
    """
    if len(s) == 0:
        return pd.Series([], index=s.index, dtype="str")
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    values = [table.get(u, default) for u in uniques]
    if default is not None:
        values.append(default)
        codes = np.where(codes < 0, len(values) - 1, codes)
    return take_text(values, codes, s.index)


def apply_text(s: pd.Series, func: Callable[[object], object]) -> pd.Series:
    """``func`` applied once per distinct non-missing value, as text (None -> missing)."""
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    return take_text([func(u) for u in uniques], codes, s.index)


def _number(x: float) -> str:
    return format(round(float(x), 6), "f").rstrip("0").rstrip(".")


def number_text(s: pd.Series) -> pd.Series:
    """Numbers as text, value by value: ``2`` for 2.0, ``2.83`` for 2.83 (missing stays
    missing), so the text of a value never depends on the other values."""
    return apply_text(s, _number)


def apply_unique(s: pd.Series, func: Callable[[object], object]) -> pd.Series:
    """Apply ``func`` once per distinct non-missing value (object result)."""
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    mapped = np.empty(len(uniques) + 1, dtype=object)
    mapped[:-1] = [func(u) for u in uniques]
    mapped[-1] = None
    return pd.Series(mapped[codes], index=s.index, dtype="object")


def distinct_text(s: pd.Series) -> tuple[np.ndarray, list[str | None]]:
    """Codes of ``s`` and :func:`text` of each distinct value (code -1 = missing).

    ``text`` is applied once per distinct raw value instead of to every row; the
    result, spread back with the codes, is ``text(s)`` exactly (stripping is value by
    value, and a float column's whole-number formatting depends on its value set).
    """
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    if len(uniques) == 0:
        return codes, []
    u = text(pd.Series(uniques, dtype=s.dtype))
    return codes, [None if pd.isna(v) else v for v in u.tolist()]
