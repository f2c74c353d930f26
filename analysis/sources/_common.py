"""Shared machinery of the source adapters: reading a raw export without losing a row,
vectorised parsing helpers that record every value they cannot map, and the ingest
summary.

An adapter turns a raw table (one row per source record, the file's ``row`` number
kept) into a :class:`Mapped`: a frame in the canonical columns with canonical dtypes,
plus a list of *issues* (row index, column, rule, value) for values it could not map.
:func:`analysis.sources.read_source` then quarantines the rows with issues and validates
the rest through :func:`analysis.loading.validate_incidents`, so that the canonical rules
live in one place.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .. import gazetteer
from ..loading import DataFileError, read_csv_fields, read_csv_header
from ..schema import COLUMNS, COUNT_COLUMNS, DATE_COLUMNS, FLOAT_COLUMNS
from ._countries import country_iso3

ROW = "row"
ISSUE_COLUMNS = ("_index", "column", "rule", "value")

#: Messages of the mapping rules (the canonical rules are in analysis.schema.RULES).
MAPPING_RULES: dict[str, str] = {
    "csv_structure": "line does not have the same number of fields as the header",
    "date_unparseable": "date not in a format the source uses",
    "date_missing": "no date given",
    "date_impossible": "year/month/day do not form a date",
    "count_not_a_number": "casualty count is not a non-negative number",
    "count_fractional": "casualty count is a fraction (GTD divides a multi-part incident's total among its parts)",
    "code_unknown": "code not in the source's codebook",
    "number_unparseable": "not a number",
    "province_unknown": "province spelling not in the gazetteer (add a variant or fix the row)",
    "country_unknown": "country name not recognised",
    "id_missing": "the source's event identifier is missing",
}


# ------------------------------------------------------------------ reading
def read_raw(
    path: str | Path, *, text_columns: Iterable[str] = (), columns: Iterable[str] | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read a CSV or Parquet export, keeping every line.

    Numeric columns are type-inferred by pyarrow (fast); a column holding text where a
    number is expected (``"-"``) falls back to text and is parsed by the adapter, which
    records each value it cannot use. Lines with the wrong number of fields (a
    truncated file, a stray carriage return outside quotes) are returned in
    ``bad`` with their data-row numbers, never dropped. ``columns`` limits the columns
    kept (the ones an adapter uses); every field is still parsed, so the line checks
    see the whole line.

    Returns
    -------
    table : DataFrame
        The records, with a ``row`` column (1-based data-row number in the file).
    bad : DataFrame
        ``row``, ``raw`` for malformed lines.
    """
    path = Path(path)
    if not path.exists():
        raise DataFileError(path, "file not found")
    if path.is_dir():
        raise DataFileError(path, "is a directory, not a file")
    name = path.name.lower()
    if name.endswith((".parquet", ".pq")):
        try:
            table = pd.read_parquet(path)
        except Exception as exc:  # pyarrow raises several types
            raise DataFileError(path, f"not a readable Parquet file ({type(exc).__name__})") from None
        table.columns = [str(c).strip() for c in table.columns]
        if columns is not None:
            keep = set(columns)
            table = table[[c for c in table.columns if c in keep]]
        table.insert(0, ROW, np.arange(1, len(table) + 1))
        return table, _no_bad()
    if not name.endswith((".csv", ".csv.gz", ".txt", ".tsv")):
        raise DataFileError(path, "not a CSV or Parquet file (expected .csv or .parquet)")
    return _read_csv(path, set(text_columns), None if columns is None else set(columns))


def _no_bad() -> pd.DataFrame:
    return pd.DataFrame({ROW: pd.Series([], dtype="int64"), "raw": pd.Series([], dtype="str")})


def read_header(path: Path) -> list[str]:
    """The header fields of a CSV (or the column names of a Parquet file)."""
    if path.name.lower().endswith((".parquet", ".pq")):
        import pyarrow.parquet as pq

        try:
            return [str(c).strip() for c in pq.read_schema(path).names]
        except Exception as exc:
            raise DataFileError(path, f"not a readable Parquet file ({type(exc).__name__})") from None
    return read_csv_header(path)


#: Cells that mean "missing" in the big event datasets' exports.
SOURCE_NULLS = ("", "NA", "NaN", "NULL", "null", "nan")


def _read_csv(path: Path, text_columns: set[str], columns: set[str] | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    return read_csv_fields(path, text_columns=text_columns, columns=columns, null_values=SOURCE_NULLS)


# ------------------------------------------------------------------ issues
class Issues:
    """Collects (row index, column, rule, value) for values an adapter cannot map."""

    def __init__(self) -> None:
        self._parts: list[pd.DataFrame] = []

    def add(self, mask: pd.Series, column: str, rule: str, values=None) -> None:
        """Record ``rule`` for the rows where ``mask`` holds. ``values`` (a Series, or a
        callable returning one, evaluated only when some row fails) gives the values
        shown in the report."""
        mask = mask.fillna(False).astype(bool) if mask.dtype != bool else mask
        if not mask.any():
            return
        idx = mask.index[mask.to_numpy()]
        if callable(values):
            values = values()
        vals = values.loc[idx].astype("object").to_numpy() if values is not None else [None] * len(idx)
        self._parts.append(pd.DataFrame({"_index": idx, "column": column, "rule": rule, "value": vals}))

    def frame(self) -> pd.DataFrame:
        if not self._parts:
            return pd.DataFrame({c: pd.Series([], dtype="object") for c in ISSUE_COLUMNS})
        return pd.concat(self._parts, ignore_index=True)


@dataclass
class Mapped:
    """What an adapter returns: canonical columns, the issues, and the raw totals."""

    frame: pd.DataFrame
    issues: pd.DataFrame
    raw_killed: pd.Series
    raw_wounded: pd.Series


# ------------------------------------------------------------------ parsing helpers
def col(raw: pd.DataFrame, name: str) -> pd.Series:
    """A column of the raw table, or an all-missing one when absent."""
    if name in raw.columns:
        return raw[name]
    return pd.Series(pd.NA, index=raw.index, dtype="object")


def _arrow(s: pd.Series):
    """The pyarrow array behind a ``str`` Series (large_string)."""
    import pyarrow as pa_

    arr = pa_.array(s.array) if s.dtype == "str" else pa_.array(s.astype("str").array)
    return arr.cast(pa_.large_string()) if arr.type != pa_.large_string() else arr


def _from_arrow(arr, index: pd.Index) -> pd.Series:
    return pd.Series(pd.array(arr, dtype="str"), index=index)


def where_text(cond, a: pd.Series, b: pd.Series | str | None = None) -> pd.Series:
    """``a`` where ``cond`` else ``b`` (a Series, a constant or missing), for text columns.

    The same as ``a.where(cond, b)`` but done by pyarrow, many times faster on large
    ``str`` columns.
    """
    import pyarrow as pa_
    import pyarrow.compute as pc

    c = pa_.array(np.asarray(pd.Series(cond, index=a.index).fillna(False), dtype=bool))
    left = _arrow(a)
    if isinstance(b, pd.Series):
        right = _arrow(b)
    else:
        right = pa_.scalar(b, pa_.large_string())
    return _from_arrow(pc.if_else(c, left, right), a.index)


def text(s: pd.Series) -> pd.Series:
    """Stripped text with blanks as missing (dtype ``str``)."""
    if s.dtype == "object" and s.isna().all():
        return pd.Series(None, index=s.index, dtype="str")
    if pd.api.types.is_integer_dtype(s) and not isinstance(s.dtype, pd.api.extensions.ExtensionDtype):
        import pyarrow as pa_
        import pyarrow.compute as pc

        return _from_arrow(pc.cast(pa_.array(s.to_numpy()), pa_.large_string()), s.index)
    if pd.api.types.is_float_dtype(s) or pd.api.types.is_integer_dtype(s):
        # numbers read as numbers: write whole numbers without ".0"
        as_int = s.dropna()
        if len(as_int) and (as_int == np.floor(as_int)).all():
            out = s.astype("Int64").astype("str")
            return out.where(s.notna())
    import pyarrow as pa_
    import pyarrow.compute as pc

    arr = pc.utf8_trim_whitespace(_arrow(s))
    arr = pc.if_else(pc.equal(arr, ""), pa_.scalar(None, pa_.large_string()), arr)
    return _from_arrow(arr, s.index)


def number(s: pd.Series, column: str, issues: Issues, *, rule: str = "number_unparseable") -> pd.Series:
    """Parse a number column (float64). Blank -> NaN; text such as ``"-"`` -> NaN and an issue."""
    if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
        return s.astype("float64")
    t = text(s)
    num = pd.to_numeric(t, errors="coerce").astype("float64")
    issues.add(t.notna() & num.isna(), column, rule, t)
    return num


def count(s: pd.Series, column: str, issues: Issues) -> pd.Series:
    """Parse a casualty count: a whole non-negative number, blank = unknown (NA, never 0).

    ``-9``/``-99`` (GTD's "unknown" codes) are treated as unknown. Text (``"-"``,
    ``"about 5"``) and negative numbers are ``count_not_a_number``; fractions (GTD
    splits a multi-part incident's total evenly among the parts) are
    ``count_fractional``. Both are issues, so their rows are quarantined.
    """
    return count_raw(s, column, issues)[0]


def count_raw(s: pd.Series, column: str, issues: Issues) -> tuple[pd.Series, pd.Series]:
    """:func:`count`, plus the source's figure as a float (for the ingest totals)."""
    if s.dtype.kind in "iuf":  # read as numbers (the usual case): plain numpy, no text
        v = s.to_numpy(dtype="float64", copy=True)  # modified below
        v[(v == -9.0) | (v == -99.0)] = np.nan
        neg = v < 0  # NaN compares False
        frac = v != np.floor(v)  # NaN != NaN is True, so mask it out:
        frac &= ~np.isnan(v)
        if neg.any():
            issues.add(pd.Series(neg, index=s.index), column, "count_not_a_number", s)
        if frac.any():
            issues.add(pd.Series(frac & ~neg, index=s.index), column, "count_fractional", s)
        raw_v = np.where(neg, np.nan, v)
        ok = np.where(neg | frac, np.nan, v)
        missing = np.isnan(ok)
        ints = pd.arrays.IntegerArray(np.where(missing, 0, ok).astype("int64"), missing)
        raw_f = pd.arrays.FloatingArray(np.where(np.isnan(raw_v), 0.0, raw_v), np.isnan(raw_v))
        return pd.Series(ints, index=s.index), pd.Series(raw_f, index=s.index)
    num = number(s, column, issues, rule="count_not_a_number")
    num = num.where(~num.isin([-9.0, -99.0]))
    negative = num.notna() & (num < 0)
    fractional = num.notna() & (num != np.floor(num))
    issues.add(negative, column, "count_not_a_number", s)
    issues.add(fractional & ~negative, column, "count_fractional", s)
    ok = num.where(~(negative | fractional))
    return ok.astype("Float64").astype("Int64"), num.where(~negative).astype("Float64")


def code(s: pd.Series, column: str, issues: Issues, known: Iterable[int] | None = None) -> pd.Series:
    """Parse an integer code column (Int64); values outside ``known`` are issues."""
    if s.dtype.kind in "iu":  # read as integers (the usual case): check in numpy
        v = s.to_numpy(dtype="int64")
        if known is None:
            ok = True
        elif isinstance(known, range) and known.step == 1:
            ok = bool(((v >= known.start) & (v < known.stop)).all())
        else:
            ok = bool(np.isin(v, np.fromiter(known, dtype="int64")).all())
        if ok:
            return pd.Series(pd.arrays.IntegerArray(v.copy(), np.zeros(len(v), dtype=bool)), index=s.index)
    num = number(s, column, issues, rule="code_unknown")
    bad = num.notna() & (num != np.floor(num))
    if known is not None:
        bad |= num.notna() & ~num.isin(list(known))
    issues.add(bad, column, "code_unknown", s)
    return num.where(~bad).astype("Float64").astype("Int64")


def parse_dates(s: pd.Series, formats: Iterable[str]) -> pd.Series:
    """Parse dates trying each format in turn per value (vectorised); NaT when none fits."""
    if pd.api.types.is_datetime64_any_dtype(s):
        out = s
        if getattr(out.dt, "tz", None) is not None:
            out = out.dt.tz_localize(None)
        return out.astype("datetime64[ns]").dt.normalize()
    t = text(s)
    out = pd.Series(pd.NaT, index=s.index, dtype="datetime64[ns]")
    todo = t.notna()
    for fmt in formats:
        if not todo.any():
            break
        sub = t[todo]
        if fmt == "ISO8601":
            parsed = pd.to_datetime(sub, format="ISO8601", errors="coerce")
        else:
            parsed = pd.to_datetime(sub, format=fmt, errors="coerce")
        if getattr(parsed.dt, "tz", None) is not None:
            parsed = parsed.dt.tz_localize(None)
        # outside the datetime64[ns] range (a year such as -9 or 9999): not a usable date
        parsed = parsed.where(parsed.dt.year.between(1678, 2261))
        parsed = parsed.astype("datetime64[ns]").dt.normalize()
        ok = parsed.notna()
        out.loc[ok[ok].index] = parsed[ok]
        todo = todo & out.isna()
    return out


def dates(
    raw: pd.DataFrame, column: str, formats: Iterable[str], issues: Issues, *, required: bool = True
) -> pd.Series:
    """:func:`parse_dates` of a raw column, recording ``date_unparseable`` for text that
    fits none of ``formats`` and, when ``required``, ``date_missing`` for a blank."""
    t = text(col(raw, column))
    day = parse_dates(col(raw, column), formats)
    issues.add(t.notna() & day.isna(), column, "date_unparseable", t)
    if required:
        issues.add(t.isna(), column, "date_missing")
    return day


def month_end(d: pd.Series) -> pd.Series:
    return d + pd.offsets.MonthEnd(0)


def _take_text(values: list[object], codes: np.ndarray, index: pd.Index) -> pd.Series:
    """A ``str`` Series whose row k is ``values[codes[k]]`` (-1 or None -> missing)."""
    small = pd.array([None if v is None else str(v) for v in values], dtype="str")
    return pd.Series(small.take(codes, allow_fill=True), index=index, dtype="str")


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
    return _take_text(values, codes, s.index)


def apply_text(s: pd.Series, func) -> pd.Series:
    """``func`` applied once per distinct non-missing value, as text (None -> missing)."""
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    return _take_text([func(u) for u in uniques], codes, s.index)


def apply_unique(s: pd.Series, func) -> pd.Series:
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


def provinces(
    names: pd.Series, country: pd.Series, column: str, issues: Issues, *, unknown_values: Iterable[str] = ("unknown",)
) -> tuple[pd.Series, pd.Series]:
    """Map an Afghan province column through the gazetteer.

    Returns (canonical province name, ISO 3166-2 code). Outside Afghanistan the name is
    kept as given and the code is missing. An Afghan name the gazetteer does not know is
    an issue (``province_unknown``, with the closest matches); "Unknown" is missing.
    """
    codes, stripped = distinct_text(names)
    n_u = len(stripped)
    unknown_keys = {gazetteer.normalise_name(u) for u in unknown_values}
    names_u: list[str | None] = []
    codes_u: list[str | None] = []
    failed_u = np.zeros(n_u + 1, dtype=bool)  # the last entry is for code -1 (missing)
    for k, v in enumerate(stripped):
        key = gazetteer.normalise_name(v) if v is not None else ""
        code_ = None if key in unknown_keys or not key else gazetteer.try_province_code(v)
        names_u.append(gazetteer.code_to_name(code_) if code_ else None)
        codes_u.append(code_)
        failed_u[k] = bool(key) and key not in unknown_keys and code_ is None
    afg = np.asarray((country == "AFG").fillna(False), dtype=bool)
    failed = pd.Series(failed_u[codes] & afg, index=names.index)
    if failed.any():
        t = text(names)
        sugg = apply_text(
            t.where(failed), lambda v: f"{v} (closest: {', '.join(gazetteer._suggest(v)) or 'none'})"
        )
        issues.add(failed, column, "province_unknown", sugg)
    # Afghan rows take the gazetteer's name (values 0..n_u-1), others the name as
    # given (values n_u..2n_u-1); code -1 stays missing
    present = codes >= 0
    province = _take_text(names_u + stripped, np.where(present, np.where(afg, codes, codes + n_u), -1), names.index)
    province_code = _take_text(codes_u, np.where(present & afg, codes, -1), names.index)
    return province, province_code


def countries(names: pd.Series, column: str, issues: Issues) -> pd.Series:
    """ISO3 codes from country names (each distinct name looked up once)."""
    codes, stripped = distinct_text(names)
    iso_u = [None if v is None else country_iso3(v) for v in stripped]
    iso = _take_text(iso_u, codes, names.index)
    unknown_u = np.array([v is not None and i is None for v, i in zip(stripped, iso_u, strict=True)] + [False])
    blank_u = np.array([v is None for v in stripped] + [True])
    t = None
    unknown = pd.Series(unknown_u[codes], index=names.index)
    if unknown.any():
        t = text(names)
        issues.add(unknown, column, "country_unknown", t)
    blank = pd.Series(blank_u[codes], index=names.index)
    if blank.any():
        issues.add(blank, column, "country_unknown", t if t is not None else text(names))
    return iso


#: Above this many distinct combinations of note parts, the notes are joined by pyarrow
#: element-wise instead of once per combination.
_NOTES_MAX_COMBINATIONS = 100_000


def join_notes(parts: Mapping[str, pd.Series], index: pd.Index) -> pd.Series:
    """``key=value; key=value`` from the non-missing parts.

    Notes are built from a few low-cardinality columns, so each distinct combination
    of parts is joined once in Python and spread by code (a take); many distinct
    combinations fall back to joining element-wise with pyarrow. Both give the same
    text: each part formatted by :func:`text`, missing parts left out, and missing
    when no part is present.
    """
    n = len(index)
    combined = np.zeros(n, dtype=np.int64)
    radix = 1
    labels: list[list[str | None]] = []
    for key, values in parts.items():
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
        # ``str`` parts are used as given; others go through text(), which gives the
        # same text for the distinct values as for the column, value by value (the
        # whole-number formatting of a float column depends only on the value set)
        u = pd.Series(uniques, dtype=values.dtype)
        u_text = u if values.dtype == "str" else text(u)
        lab = [None] + [None if pd.isna(t) else (f"{key}={t}" if key else t) for t in u_text]
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
    return _take_text(values_out, ccodes, index)


def _join_notes_arrow(parts: Mapping[str, pd.Series], index: pd.Index) -> pd.Series:
    """:func:`join_notes`, element-wise by pyarrow (for many distinct combinations)."""
    import pyarrow as pa_
    import pyarrow.compute as pc

    big = pa_.large_string()
    empty = pa_.scalar("", big)
    out = None
    for key, values in parts.items():
        v = values if values.dtype == "str" else text(values)
        arr = _arrow(v)
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
    return _from_arrow(out, index)


def canonical_frame(index: pd.Index, **columns: object) -> pd.DataFrame:
    """Assemble the canonical columns with canonical dtypes; absent columns are missing."""
    data: dict[str, object] = {}
    for c in COLUMNS:
        v = columns.get(c)
        if c in DATE_COLUMNS:
            data[c] = pd.Series(v, index=index).astype("datetime64[ns]") if v is not None else pd.Series(pd.NaT, index=index, dtype="datetime64[ns]")
        elif c in COUNT_COLUMNS:
            data[c] = pd.Series(v, index=index).astype("Int64") if v is not None else pd.Series(pd.NA, index=index, dtype="Int64")
        elif c in FLOAT_COLUMNS:
            data[c] = pd.Series(v, index=index).astype("float64") if v is not None else pd.Series(np.nan, index=index)
        else:
            if v is None:
                data[c] = pd.Series(None, index=index, dtype="str")
            elif isinstance(v, pd.Series):
                data[c] = v.astype("str") if v.dtype != "str" else v
            else:
                data[c] = pd.Series(v, index=index, dtype="str")
    unknown = set(columns) - set(COLUMNS)
    if unknown:
        raise TypeError(f"not canonical columns: {sorted(unknown)}")
    return pd.DataFrame(data, index=index, copy=False)  # columns may share arrays (copy-on-write)


# ------------------------------------------------------------------ summary
def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-6 * max(1.0, abs(a))


def _fmt(x: float) -> str:
    return f"{x:.0f}" if float(x).is_integer() else f"{x:.2f}"


class IngestSummary(dict):
    """What happened to every row of one ingested export (a ``dict`` with attribute
    access, so it survives ``df.attrs`` copies and Parquet's JSON metadata).

    ``rows_in == rows_mapped + rows_quarantined`` always holds. The casualty totals are
    sums of the source's own figures (killed: GTD ``nkill``, ACLED ``fatalities``, UCDP
    ``best``, RAND ``Fatalities``; wounded likewise) over the rows where they parse;
    ``killed_in == killed_mapped + killed_quarantined`` is checked (``totals_agree``).
    ``print(summary)`` shows it as text.
    """

    def __init__(
        self,
        source: str,
        format: str,
        rows_in: int,
        rows_mapped: int,
        rows_quarantined: int,
        reasons: Mapping[str, int] | None = None,
        killed_in: float = 0.0,
        killed_mapped: float = 0.0,
        killed_quarantined: float = 0.0,
        wounded_in: float = 0.0,
        wounded_mapped: float = 0.0,
        wounded_quarantined: float = 0.0,
        perpetrators: Mapping[str, int] | None = None,
    ):
        super().__init__(
            source=source,
            format=format,
            rows_in=int(rows_in),
            rows_mapped=int(rows_mapped),
            rows_quarantined=int(rows_quarantined),
            reasons=dict(reasons or {}),
            killed_in=float(killed_in),
            killed_mapped=float(killed_mapped),
            killed_quarantined=float(killed_quarantined),
            wounded_in=float(wounded_in),
            wounded_mapped=float(wounded_mapped),
            wounded_quarantined=float(wounded_quarantined),
            perpetrators=dict(perpetrators or {}),
        )
        self["totals_agree"] = self._agree()

    def __getattr__(self, name: str):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def _agree(self) -> bool:
        return bool(
            self["rows_in"] == self["rows_mapped"] + self["rows_quarantined"]
            and _close(self["killed_in"], self["killed_mapped"] + self["killed_quarantined"])
            and _close(self["wounded_in"], self["wounded_mapped"] + self["wounded_quarantined"])
        )

    def to_dict(self) -> dict[str, object]:
        return dict(self)

    def summary(self) -> str:
        ok = "yes" if self.totals_agree else "NO"
        lines = [
            f"{self.source} ({self.format})",
            f"  rows in:          {self.rows_in}",
            f"  rows mapped:      {self.rows_mapped}",
            f"  rows quarantined: {self.rows_quarantined}",
            f"  killed  in {_fmt(self.killed_in)} = mapped {_fmt(self.killed_mapped)}"
            f" + quarantined {_fmt(self.killed_quarantined)}",
            f"  wounded in {_fmt(self.wounded_in)} = mapped {_fmt(self.wounded_mapped)}"
            f" + quarantined {_fmt(self.wounded_quarantined)}",
            f"  totals agree:     {ok}",
        ]
        if self.reasons:
            lines.append("  quarantine reasons (a row can have several):")
            for rule, n in sorted(self.reasons.items(), key=lambda kv: (-kv[1], kv[0])):
                lines.append(f"    {rule:<40} {n}")
        return "\n".join(lines)

    __str__ = summary

    def _repr_pretty_(self, p, cycle) -> None:  # IPython
        p.text(self.summary())

    def _repr_html_(self) -> str:
        import html

        return "<pre>" + html.escape(self.summary()) + "</pre>"
