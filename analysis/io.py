"""Writing the package's data files: canonical incident tables and quarantines.

Every incident or quarantine file the package writes goes through this module, as CSV
or Parquet chosen by the suffix of ``out``; parent folders are created. Readers live in
:mod:`analysis.readers`.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .errors import DataFileError

__all__ = ["write_incidents", "write_quarantine"]

_PARQUET = (".parquet", ".pq")


def write_incidents(data: pd.DataFrame, out: str | Path) -> Path:
    """Write a canonical incident frame as CSV (ISO dates) or Parquet, by the suffix.

    Raises
    ------
    DataFileError
        When ``out`` ends in neither ``.csv`` nor ``.parquet``/``.pq``.
    """
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in (".csv", *_PARQUET):
        raise DataFileError(out, "output must end in .csv or .parquet")
    out.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".csv":
        data.to_csv(out, index=False, date_format="%Y-%m-%d")
    else:
        data.to_parquet(out, index=False)
    return out


def write_quarantine(quarantined: pd.DataFrame, out: str | Path) -> Path:
    """Write quarantined rows (with ``row`` and ``reasons``) as CSV, or as Parquet (all
    columns as text) when ``out`` ends in ``.parquet``/``.pq``."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix.lower() in _PARQUET:
        quarantined.astype("str").to_parquet(out, index=False)
    else:
        quarantined.to_csv(out, index=False)
    return out
