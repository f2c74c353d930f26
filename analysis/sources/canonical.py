"""The canonical schema itself as a source: read with :func:`analysis.readers.read_table`
and mapped as is (validation happens once, in :func:`analysis.sources.read_source`)."""

from __future__ import annotations

import pandas as pd

from ..schema import COLUMNS, REQUIRED_COLUMNS
from .issues import Issues
from .mapping import Mapped
from .parse import count_raw

__all__ = ["NAME", "SIGNATURE", "to_canonical"]

NAME = "canonical"
SIGNATURE = REQUIRED_COLUMNS
COLUMNS_USED = COLUMNS
KNOWN_COLUMNS = COLUMNS


def _figure(raw: pd.DataFrame, column: str) -> pd.Series:
    """The file's own figure in ``column`` as a float, for the ingest totals."""
    if column not in raw.columns:
        return pd.Series(pd.NA, index=raw.index, dtype="Float64")
    return count_raw(raw[column], column, Issues())[1].astype("Float64")


def to_canonical(raw: pd.DataFrame, *, victims_only: bool = False) -> Mapped:
    """Pass the canonical columns through; the schema checks them (``victims_only``
    does not apply: the file's figures are already canonical)."""
    frame = pd.DataFrame({c: raw[c] for c in COLUMNS if c in raw.columns}, index=raw.index)
    return Mapped(frame, Issues().frame(), _figure(raw, "killed_best"), _figure(raw, "wounded_best"))
