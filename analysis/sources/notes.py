"""The ``notes`` column of mapped records: ``key=value; key=value`` from the source
fields that the canonical columns do not keep."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from .text import from_arrow, take_text, text, to_arrow

__all__ = ["join_notes"]

#: Above this many distinct combinations of note parts, the notes are joined by pyarrow
#: element-wise instead of once per combination.
_NOTES_MAX_COMBINATIONS = 100_000


def _labels(key: str, values: pd.Series) -> tuple[np.ndarray, list[str | None]]:
    """Codes of a note part and its label for each code + 1 (0: missing)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    # ``str`` parts are used as given; others go through text(), which gives the same
    # text for the distinct values as for the column, value by value (the
    # whole-number formatting of a float column depends only on the value set)
    u = pd.Series(uniques, dtype=values.dtype)
    u_text = u if values.dtype == "str" else text(u)
    return codes, [None] + [None if pd.isna(t) else (f"{key}={t}" if key else t) for t in u_text]


def join_notes(parts: Mapping[str, pd.Series], index: pd.Index) -> pd.Series:
    """``key=value; key=value`` from the non-missing parts.

    Notes are built from a few low-cardinality columns, so each distinct combination
    of parts is joined once in Python and spread by code (a take); many distinct
    combinations fall back to joining element-wise with pyarrow. Both give the same
    text: each part formatted by :func:`~.text.text`, missing parts left out, and
    missing when no part is present.
    """
    combined = np.zeros(len(index), dtype=np.int64)
    radix = 1
    labels: list[list[str | None]] = []
    for key, values in parts.items():
        codes, lab = _labels(key, values)
        if radix * len(lab) > 2**62:
            return _join_notes_arrow(parts, index)
        combined += (codes.astype(np.int64) + 1) * radix
        radix *= len(lab)
        labels.append(lab)
    if not labels:
        return pd.Series(None, index=index, dtype="str")
    ccodes, cuniques = pd.factorize(combined)
    if len(cuniques) > _NOTES_MAX_COMBINATIONS:
        return _join_notes_arrow(parts, index)
    values_out: list[str | None] = []
    for c in cuniques.tolist():
        bits = []
        for lab in labels:
            c, digit = divmod(c, len(lab))
            if lab[digit] is not None and lab[digit] != "":
                bits.append(lab[digit])
        values_out.append("; ".join(bits) if bits else None)
    return take_text(values_out, ccodes, index)


def _join_notes_arrow(parts: Mapping[str, pd.Series], index: pd.Index) -> pd.Series:
    """:func:`join_notes`, element-wise by pyarrow (for many distinct combinations)."""
    import pyarrow as pa_
    import pyarrow.compute as pc

    big = pa_.large_string()
    empty = pa_.scalar("", big)
    out = None
    for key, values in parts.items():
        v = values if values.dtype == "str" else text(values)
        arr = to_arrow(v)
        if key:
            arr = pc.binary_join_element_wise(pa_.scalar(key, big), arr, pa_.scalar("=", big))
        arr = pc.fill_null(arr, empty)
        if out is None:
            out = arr
            continue
        joined = pc.binary_join_element_wise(out, arr, pa_.scalar("; ", big))
        out = pc.if_else(pc.equal(out, ""), arr, pc.if_else(pc.equal(arr, ""), out, joined))
    if out is None:
        return pd.Series(None, index=index, dtype="str")
    out = pc.if_else(pc.equal(out, ""), pa_.scalar(None, big), out)
    return from_arrow(out, index)
