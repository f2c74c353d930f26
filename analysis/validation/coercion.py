"""From a table as read (text, or typed by an adapter) to the canonical dtypes.

:func:`check_columns` refuses a table whose columns are not the canonical ones and adds
the optional columns it lacks; :func:`coerce_incidents` converts each column to its
canonical dtype and records every value that does not parse (rules ``parse_date``,
``parse_integer``, ``parse_number``), so that the executors see typed columns only and
no value is silently lost.
"""

from __future__ import annotations

import difflib

import numpy as np
import pandas as pd

from .. import gazetteer
from ..errors import DataFileError
from ..readers import ROW
from ..schema import (
    COLUMNS,
    COUNT_COLUMNS,
    DATE_COLUMNS,
    FLOAT_COLUMNS,
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    STRING_COLUMNS,
)
from .dates import calendar_dates, to_calendar_day

__all__ = ["afghan_province_names", "check_columns", "coerce_incidents"]


def check_columns(table: pd.DataFrame, source: str) -> pd.DataFrame:
    """The table with every optional canonical column present.

    ``province_code``, when absent, is filled from the gazetteer for Afghan rows; the
    other absent optional columns are all-missing (unknown, never 0).

    Raises
    ------
    DataFileError
        Duplicate column names, required columns missing, or columns that are not in the
        schema (the schema is strict).
    """
    cols = [c for c in table.columns if c != ROW]
    dupes = sorted({c for c in cols if cols.count(c) > 1})
    if dupes:
        raise DataFileError(source, f"duplicate column names: {', '.join(dupes)}")
    missing = [c for c in REQUIRED_COLUMNS if c not in cols]
    if missing:
        raise DataFileError(source, f"required columns missing: {', '.join(missing)}")
    extra = [c for c in cols if c not in COLUMNS]
    if extra:
        named = ", ".join(_with_closest(c) for c in extra)
        raise DataFileError(
            source,
            f"unknown columns {named} (the schema is strict; rename or drop them, "
            "or keep them in a separate file)",
        )
    table = table.copy(deep=False)
    for c in OPTIONAL_COLUMNS:
        if c not in table.columns:
            if c == "province_code":
                table[c] = table["province"].map(gazetteer.try_province_code).where(
                    table["country"].astype("str").str.strip() == "AFG"
                )
            else:
                table[c] = pd.NA
    return table


def _with_closest(column: str) -> str:
    """``column`` and, when one is close, the canonical name it may misspell."""
    close = difflib.get_close_matches(str(column).casefold(), COLUMNS, n=1, cutoff=0.6)
    return f"{column} (did you mean {close[0]}?)" if close else str(column)


def _as_text(s: pd.Series) -> pd.Series:
    s = s.astype("str") if s.dtype != "str" else s
    s = s.str.strip()
    return s.where(s.notna() & (s != ""))


def _arrow_cast(text: pd.Series, arrow_type: str) -> pd.Series | None:
    """Fast path: cast clean text with pyarrow; ``None`` when any value does not cast."""
    try:
        return text.astype(f"{arrow_type}[pyarrow]")
    except (ValueError, TypeError, NotImplementedError, ArithmeticError):
        return None
    except Exception as exc:  # pyarrow.ArrowInvalid and friends
        if type(exc).__module__.startswith("pyarrow"):
            return None
        raise


def _parse_dates(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Typed calendar dates and the text they came from (for error reports)."""
    if pd.api.types.is_datetime64_any_dtype(raw):
        return to_calendar_day(raw), raw
    text = _as_text(raw)
    return calendar_dates(text), text


def _parse_numbers(raw: pd.Series, integer: bool) -> tuple[pd.Series, pd.Series]:
    """Numbers as float64 (NaN where missing or unparseable) and their source text."""
    if pd.api.types.is_numeric_dtype(raw) and not pd.api.types.is_bool_dtype(raw):
        return raw.astype("float64"), raw
    text = _as_text(raw)
    fast = _arrow_cast(text, "int64" if integer else "float64")
    if fast is not None:
        return fast.astype("float64"), text
    return pd.to_numeric(text, errors="coerce").astype("float64"), text


#: A column's failures: (rows that fail, rule, the values shown in the report).
_Failures = list[tuple[pd.Series, str, pd.Series]]


def _coerce_dates(raw: pd.Series) -> tuple[pd.Series, _Failures]:
    parsed, text = _parse_dates(raw)
    # outside the nanosecond range (years 1678-2261): out of the schema's range anyway
    too_late = parsed > pd.Timestamp.max
    too_early = parsed < pd.Timestamp.min
    failures = [
        (raw.notna() & text.notna() & parsed.isna(), "parse_date", text),
        (too_late, "date_not_in_future", text),
        (too_early, "date_not_before_1970", text),
    ]
    return parsed.where(~(too_late | too_early)).astype("datetime64[ns]"), failures


def _coerce_counts(raw: pd.Series) -> tuple[pd.Series, _Failures]:
    num, text = _parse_numbers(raw, integer=True)
    finite_int = np.isfinite(num) & (num == num.round()) & (num.abs() < 2**53)
    bad = (raw.notna() & text.notna() & num.isna()) | (num.notna() & ~finite_int)
    return num.where(~bad).astype("Int64"), [(bad, "parse_integer", text)]


def _coerce_floats(raw: pd.Series) -> tuple[pd.Series, _Failures]:
    if raw.dtype == "float64":  # typed already: only check that it is finite
        bad = raw.notna() & ~np.isfinite(raw)
        return (raw.where(~bad) if bad.any() else raw), [(bad, "parse_number", raw)]
    num, text = _parse_numbers(raw, integer=False)
    bad = (raw.notna() & text.notna() & num.isna()) | (num.notna() & ~np.isfinite(num))
    return num.where(~bad), [(bad, "parse_number", text)]


def _coerce_column(c: str, raw: pd.Series, typed_text: bool) -> tuple[pd.Series, _Failures]:
    if c in DATE_COLUMNS:
        if raw.dtype == "datetime64[ns]":  # typed, in the nanosecond range by construction
            return to_calendar_day(raw), []
        return _coerce_dates(raw)
    if c in COUNT_COLUMNS:
        return (raw, []) if raw.dtype == "Int64" else _coerce_counts(raw)  # Int64: whole numbers
    if c in FLOAT_COLUMNS:
        return _coerce_floats(raw)
    if c in STRING_COLUMNS and typed_text and raw.dtype == "str":
        return raw, []
    return (_as_text(raw) if raw.dtype == "str" else _as_text(raw).astype("str")), []


def coerce_incidents(table: pd.DataFrame, *, typed_text: bool = False) -> tuple[pd.DataFrame, list[dict]]:
    """Convert a text table to canonical dtypes, recording every value that won't parse.

    Unparseable values become missing in the typed frame and are reported with the
    rules ``parse_date``, ``parse_integer`` or ``parse_number``; their rows are later
    quarantined, so no information is silently dropped. Columns that already have the
    right type (from Parquet or a source adapter) are not round-tripped through text,
    and clean text columns are cast by pyarrow; the slower pandas parsers only run on
    columns that hold a bad value.

    Columns already in their canonical dtype are passed through untouched:
    ``datetime64[ns]`` dates and ``Int64`` counts cannot hold an unparseable value,
    and ``float64`` coordinates are only checked for being finite. ``str`` columns are
    stripped (blank -> missing) unless ``typed_text`` says that the producer (a source
    adapter) has done so already. Either way every value is then checked by
    :class:`~analysis.schema.IncidentSchema`.

    Returns
    -------
    typed : DataFrame
        The canonical columns, in canonical dtypes, on the table's index.
    errors : list of dict
        One entry per value that did not parse: ``_index``, ``column``, ``rule``, ``value``.
    """
    typed: dict[str, pd.Series] = {}
    errors: list[dict] = []
    for c in COLUMNS:
        typed[c], failures = _coerce_column(c, table[c], typed_text)
        for mask, rule, values in failures:
            mask = mask.fillna(False).astype(bool)
            errors.extend(
                {"_index": idx, "column": c, "rule": rule, "value": values.at[idx]} for idx in mask[mask].index
            )
    if not typed_text:
        typed["province"] = afghan_province_names(typed["province"], typed["country"])
    return pd.DataFrame(typed, index=table.index, copy=False), errors  # no copy: copy-on-write


def afghan_province_names(province: pd.Series, country: pd.Series) -> pd.Series:
    """Afghan provinces under their canonical names: any spelling the gazetteer knows
    ("kabul", "KABUL", "Hilmand", "Kandahar Province", " Nangarhar ", "Urozgan") becomes
    the canonical name; other values, and provinces outside Afghanistan, stay as given."""
    afg = (country == "AFG").to_numpy(dtype=bool, na_value=False)
    if not afg.any():
        return province
    canonical = gazetteer.province_names(province)
    use = afg & canonical.notna().to_numpy()
    return province.where(~use, canonical)
