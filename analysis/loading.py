"""Loading and validating incident tables, with a quarantine that loses nothing.

The pipeline for a file is:

1. **read** (CSV or Parquet) as text, so that no value is lost to type inference; a file
   that cannot be used at all (missing, not CSV/Parquet, undecodable, empty, required
   columns missing, unknown columns) raises :class:`DataFileError`;
2. **coerce** each column to its canonical type, recording every value that does not
   parse (rule ``parse_date``, ``parse_integer`` ...);
3. **validate** against :class:`analysis.schema.IncidentSchema`, lazily, so that every
   failure of every row is reported at once;
4. **split**: valid rows are returned; invalid rows either go to a quarantine file with
   their reasons or, without a quarantine, raise :class:`IncidentValidationError`.

Invariant, always: rows read = rows returned + rows quarantined.
"""

from __future__ import annotations

import csv
import functools
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from . import config, gazetteer
from .errors import InputError
from .schema import (
    COLUMNS,
    COUNT_COLUMNS,
    DATE_COLUMNS,
    FLOAT_COLUMNS,
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    RULES,
    STRING_COLUMNS,
    IncidentSchema,
    empty_incidents,
)

__all__ = [
    "DataFileError",
    "IncidentValidationError",
    "ValidationOutcome",
    "load_incidents",
    "read_table",
    "validate_incidents",
]

ROW = "row"  # 1-based data-row number in the source file (the header is row 0)
REASONS = "reasons"


class DataFileError(InputError):
    """The file cannot be used at all (missing, wrong format, undecodable, wrong columns).

    The message names the file and the problem in one line.
    """

    def __init__(self, path: object, problem: str):
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{path}: {problem}")


class IncidentValidationError(InputError):
    """Rows failed validation and no quarantine was given.

    Attributes
    ----------
    report : pandas.DataFrame
        One line per (row, column, rule): ``row``, ``incident_id``, ``column``,
        ``rule``, ``message``, ``value``.
    outcome : ValidationOutcome
        The full outcome, including the valid rows.
    """

    def __init__(self, outcome: ValidationOutcome):
        self.outcome = outcome
        self.report = outcome.report
        n_bad = outcome.n_quarantined
        lines = [
            f"{outcome.source}: {n_bad} of {outcome.n_read} rows failed validation "
            "(pass quarantine=PATH to keep the valid rows and set these aside):"
        ]
        shown = self.report.head(50)
        for r in shown.itertuples(index=False):
            value = "" if pd.isna(r.value) else f" (value {str(r.value)[:40]!r})"
            lines.append(f"  row {r.row} [{r.incident_id}] {r.column}: {r.rule} - {r.message}{value}")
        if len(self.report) > len(shown):
            lines.append(f"  ... and {len(self.report) - len(shown)} more; see .report")
        super().__init__("\n".join(lines))


@dataclass(frozen=True)
class ValidationOutcome:
    """The result of validating a table.

    ``n_read == len(valid) + len(quarantined)`` always holds.
    """

    source: str
    valid: pd.DataFrame
    quarantined: pd.DataFrame
    report: pd.DataFrame
    sha256: str | None = None
    rule_counts: dict[str, int] = field(default_factory=dict)

    @property
    def n_read(self) -> int:
        return len(self.valid) + len(self.quarantined)

    @property
    def n_accepted(self) -> int:
        return len(self.valid)

    @property
    def n_quarantined(self) -> int:
        return len(self.quarantined)

    def summary(self) -> str:
        lines = [
            f"{self.source}",
            f"  rows read:        {self.n_read}",
            f"  rows accepted:    {self.n_accepted}",
            f"  rows quarantined: {self.n_quarantined}",
        ]
        if self.rule_counts:
            lines.append("  failures by rule (a row can break several):")
            for rule, n in sorted(self.rule_counts.items(), key=lambda kv: (-kv[1], kv[0])):
                lines.append(f"    {rule:<34} {n}")
        return "\n".join(lines)


# ------------------------------------------------------------------ reading
def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _file_kind(path: Path) -> str:
    name = path.name.lower()
    if name.endswith((".parquet", ".pq")):
        return "parquet"
    if name.endswith((".csv", ".csv.gz", ".txt")):
        return "csv"
    raise DataFileError(path, "not a CSV or Parquet file (expected .csv or .parquet)")


def read_table(path: str | Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read a CSV or Parquet file as text, without losing any row.

    Returns
    -------
    table : DataFrame
        One column per header field, all values as strings (missing as NA), plus ``row``.
    bad_lines : DataFrame
        CSV lines whose number of fields differs from the header: ``row``, ``raw``,
        ``reasons``. Empty for well-formed files.

    Raises
    ------
    DataFileError
        When the file is missing, is not CSV or Parquet, cannot be decoded as UTF-8,
        or is empty.
    """
    path = Path(path)
    if not path.exists():
        raise DataFileError(path, "file not found")
    if path.is_dir():
        raise DataFileError(path, "is a directory, not a file")
    kind = _file_kind(path)
    bad = _no_bad_lines()
    if kind == "parquet":
        try:
            table = pd.read_parquet(path)
        except Exception as exc:  # pyarrow raises several types
            raise DataFileError(path, f"not a readable Parquet file ({type(exc).__name__})") from None
        table = table.astype(object).where(table.notna(), None)
        table = table.map(lambda v: None if v is None else str(v)).astype("str")
        table.columns = [str(c).strip() for c in table.columns]
        table.insert(0, ROW, range(1, len(table) + 1))
    else:
        table, bad = read_csv_fields(path)
        n_header = len(table.columns) - 1
        bad[REASONS] = [
            f"row: csv_structure ({len(next(csv.reader([raw]), []))} fields, header has {n_header})"
            for raw in bad["raw"]
        ]
    return table, bad


def _renumber_around(n_good: int, bad_rows: list[int]) -> list[int]:
    bad_set = set(bad_rows)
    out, row = [], 1
    while len(out) < n_good:
        if row not in bad_set:
            out.append(row)
        row += 1
    return out


def _open_text(path: Path):
    """Opener for a CSV as UTF-8 text (BOM stripped), gzip-compressed or not."""
    if path.name.lower().endswith(".gz"):
        import gzip

        return lambda: gzip.open(path, "rt", encoding="utf-8-sig", newline="")
    return lambda: path.open(encoding="utf-8-sig", newline="")


def read_csv_header(path: Path) -> list[str]:
    """The header fields of a CSV file, stripped; :class:`DataFileError` if unusable."""
    try:
        with _open_text(path)() as fh:
            header = next(csv.reader(fh), None)
    except UnicodeDecodeError as exc:
        raise DataFileError(path, _utf8_problem(exc)) from None
    if not header or not any(h.strip() for h in header):
        raise DataFileError(path, "file is empty (no header row)")
    return [h.strip() for h in header]


def _physical_lines(path: Path) -> int:
    """Line breaks in a file, plus one for a last line without its own (0.1 s per 200 MB)."""
    n, last = 0, b""
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 23):
            n += chunk.count(b"\n")
            last = chunk[-1:]
    return n + (last not in (b"", b"\n"))


def read_csv_fields(
    path: Path,
    *,
    text_columns: set[str] | None = None,
    columns: set[str] | None = None,
    null_values: tuple[str, ...] = ("",),
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read a CSV with pyarrow's reader (fast, multithreaded), losing no row.

    ``text_columns`` are read as text (``None``: every column); the others are typed by
    pyarrow, falling back to text for the whole file when a value does not convert.
    ``columns`` limits what is loaded. Rows with too many or too few fields are set
    aside, not dropped: they come back in ``bad`` (``row``, ``raw``). The table carries
    each row's data-row number in ``row``.
    """
    import pyarrow as pa_
    import pyarrow.csv as pacsv

    header = read_csv_header(path)
    lines = None if path.name.lower().endswith(".gz") else _physical_lines(path)
    bad_rows: list[str] = []

    def on_bad(row) -> str:
        bad_rows.append(row.text)
        return "skip"

    def attempt(all_text: bool):
        # Quote-unaware block splitting first (about 3x faster), kept only when it is
        # provably the same as quote-aware splitting: every physical line became one
        # row, so no value holds a line break and no block boundary can have fallen
        # inside a quoted field. Otherwise (a quoted line break anywhere, a blank or
        # malformed line, pyarrow's "out of sync with the chunker") the file is read
        # again with quote-aware splitting.
        if lines is not None:
            try:
                arrow = read(all_text, newlines_in_values=False)
            except pa_.ArrowInvalid as exc:
                if "out of sync" not in str(exc):
                    raise
            else:
                if not bad_rows and arrow.num_rows + 1 == lines:
                    return arrow
        return read(all_text, newlines_in_values=True)

    def read(all_text: bool, *, newlines_in_values: bool):
        bad_rows.clear()
        types = {c: pa_.string() for c in header if all_text or c in text_columns}
        include = [c for c in header if c in columns] if columns is not None else []
        return pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(encoding="utf8"),
            parse_options=pacsv.ParseOptions(invalid_row_handler=on_bad, newlines_in_values=newlines_in_values),
            convert_options=pacsv.ConvertOptions(
                column_types=types,
                strings_can_be_null=True,
                quoted_strings_can_be_null=True,
                null_values=list(null_values),
                true_values=[],
                false_values=[],
                timestamp_parsers=[],
                include_columns=include,
            ),
        )

    try:
        try:
            arrow = attempt(all_text=text_columns is None)
        except pa_.ArrowInvalid as exc:
            if text_columns is None or "conversion error" not in str(exc).lower():
                raise
            arrow = attempt(all_text=True)  # a number column holds text: parse it ourselves
    except pa_.ArrowInvalid as exc:
        msg = str(exc)
        if "UTF8" in msg or "UTF-8" in msg:
            raise DataFileError(path, "not valid UTF-8; re-save the file as UTF-8") from None
        if "Empty CSV" in msg:
            raise DataFileError(path, "file is empty (no header row)") from None
        raise DataFileError(path, f"not a readable CSV file ({msg.splitlines()[0][:120]})") from None
    table = arrow.to_pandas(
        types_mapper={pa_.string(): pd.StringDtype("pyarrow", na_value=np.nan)}.get,
        split_blocks=True,
        self_destruct=True,  # frees each Arrow column as it is converted: lower peak memory
    )
    del arrow
    pa_.default_memory_pool().release_unused()
    table.columns = [str(c).strip() for c in table.columns]
    n = len(table)
    if not bad_rows:
        table.insert(0, ROW, np.arange(1, n + 1))
        return table, _no_bad_lines()[[ROW, "raw"]]
    # data-row numbers of the malformed lines (rare path): re-scan with the csv module
    n_fields = len(header)
    with _open_text(path)() as fh:
        reader = csv.reader(fh)
        next(reader, None)
        try:
            positions = [i for i, rec in enumerate(reader, start=1) if rec and len(rec) != n_fields]
        except csv.Error:
            positions = []
    if len(positions) != len(bad_rows):  # the csv module disagrees (quoting): number after the good rows
        positions = list(range(n + 1, n + 1 + len(bad_rows)))
    table.insert(0, ROW, np.asarray(_renumber_around(n, positions), dtype="int64"))
    bad = pd.DataFrame({ROW: np.asarray(positions, dtype="int64"), "raw": pd.Series(bad_rows, dtype="str")})
    return table, bad


def _no_bad_lines() -> pd.DataFrame:
    return pd.DataFrame({ROW: pd.Series([], dtype="int64"), "raw": pd.Series([], dtype="str"), REASONS: pd.Series([], dtype="str")})


def _utf8_problem(exc: UnicodeDecodeError) -> str:
    return f"not valid UTF-8 (byte 0x{exc.object[exc.start]:02x} at offset {exc.start}); re-save the file as UTF-8"


# ------------------------------------------------------------------ coercion
def _check_columns(table: pd.DataFrame, source: str) -> pd.DataFrame:
    cols = [c for c in table.columns if c != ROW]
    dupes = sorted({c for c in cols if cols.count(c) > 1})
    if dupes:
        raise DataFileError(source, f"duplicate column names: {', '.join(dupes)}")
    missing = [c for c in REQUIRED_COLUMNS if c not in cols]
    if missing:
        raise DataFileError(source, f"required columns missing: {', '.join(missing)}")
    extra = [c for c in cols if c not in COLUMNS]
    if extra:
        raise DataFileError(
            source,
            f"unknown columns {', '.join(extra)} (the schema is strict; rename or drop them, "
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
    """Typed dates and the text they came from (for error reports)."""
    if pd.api.types.is_datetime64_any_dtype(raw):
        parsed = raw.dt.tz_localize(None) if getattr(raw.dt, "tz", None) is not None else raw
        return parsed, raw
    text = _as_text(raw)
    fast = _arrow_cast(text, "timestamp[ns]")
    if fast is not None:
        return fast.astype("datetime64[ns]"), text
    parsed = pd.to_datetime(text, format="ISO8601", errors="coerce")
    if parsed.dt.tz is not None:
        parsed = parsed.dt.tz_localize(None)
    return parsed, text


def _parse_numbers(raw: pd.Series, integer: bool) -> tuple[pd.Series, pd.Series]:
    """Numbers as float64 (NaN where missing or unparseable) and their source text."""
    if pd.api.types.is_numeric_dtype(raw) and not pd.api.types.is_bool_dtype(raw):
        return raw.astype("float64"), raw
    text = _as_text(raw)
    fast = _arrow_cast(text, "int64" if integer else "float64")
    if fast is not None:
        return fast.astype("float64"), text
    return pd.to_numeric(text, errors="coerce").astype("float64"), text


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
    """
    typed: dict[str, pd.Series] = {}
    errors: list[dict] = []

    def record(mask: pd.Series, col: str, rule: str, values: pd.Series) -> None:
        mask = mask.fillna(False).astype(bool)
        for idx in mask[mask].index:
            errors.append({"_index": idx, "column": col, "rule": rule, "value": values.at[idx]})

    for c in COLUMNS:
        raw = table[c]
        if c in DATE_COLUMNS and raw.dtype == "datetime64[ns]":
            typed[c] = raw  # already typed, and inside the nanosecond range by construction
        elif c in COUNT_COLUMNS and raw.dtype == "Int64":
            typed[c] = raw  # whole numbers by construction
        elif c in FLOAT_COLUMNS and raw.dtype == "float64":
            bad = raw.notna() & ~np.isfinite(raw)
            record(bad, c, "parse_number", raw)
            typed[c] = raw.where(~bad) if bad.any() else raw
        elif c in STRING_COLUMNS and typed_text and raw.dtype == "str":
            typed[c] = raw
        elif c in DATE_COLUMNS:
            parsed, text = _parse_dates(raw)
            record(raw.notna() & text.notna() & parsed.isna(), c, "parse_date", text)
            # outside the nanosecond range (years 1678-2261): out of the schema's range anyway
            too_late = parsed > pd.Timestamp.max
            too_early = parsed < pd.Timestamp.min
            record(too_late, c, "date_not_in_future", text)
            record(too_early, c, "date_not_before_1970", text)
            typed[c] = parsed.where(~(too_late | too_early)).astype("datetime64[ns]")
        elif c in COUNT_COLUMNS:
            num, text = _parse_numbers(raw, integer=True)
            finite_int = np.isfinite(num) & (num == num.round()) & (num.abs() < 2**53)
            bad = (raw.notna() & text.notna() & num.isna()) | (num.notna() & ~finite_int)
            record(bad, c, "parse_integer", text)
            typed[c] = num.where(~bad).astype("Int64")
        elif c in FLOAT_COLUMNS:
            num, text = _parse_numbers(raw, integer=False)
            bad = (raw.notna() & text.notna() & num.isna()) | (num.notna() & ~np.isfinite(num))
            record(bad, c, "parse_number", text)
            typed[c] = num.where(~bad)
        else:
            typed[c] = _as_text(raw) if raw.dtype == "str" else _as_text(raw).astype("str")
    return pd.DataFrame(typed, index=table.index, copy=False), errors  # no copy: copy-on-write


# ------------------------------------------------------------------ validation
_PANDERA_RULE_NAMES = {"not_nullable": "not_null", "field_uniqueness": "unique"}
#: The row-wise dataframe checks of the schema and the column each one is reported on.
_DATAFRAME_RULE_COLUMNS = {
    "date_window_contains_date": "date",
    "date_not_before_1970": "date",
    "date_not_in_future": "date",
    "date_window_matches_precision": "date_precision",
    "killed_ordered": "killed_best",
    "wounded_ordered": "wounded_best",
    "killed_breakdown_within_total": "civilians_killed_best",
    "province_known": "province",
    "province_code_matches_province": "province_code",
    "coordinates_paired": "latitude",
    "coordinates_inside_afghanistan": "latitude",
    "attribution_consistent": "attribution",
}


def _failures_from_pandera(exc: pa.errors.SchemaErrors, df: pd.DataFrame) -> pd.DataFrame:
    """Turn pandera's failure cases into one line per (row, column, rule).

    Pandera reports a row-wise dataframe check once per column of the failing row;
    those are folded into one line on the rule's own column.
    """
    fc = exc.failure_cases
    rule = fc["check"].astype("str").str.split("(", n=1).str[0].replace(_PANDERA_RULE_NAMES)
    column = fc["column"].astype("object")
    is_df_rule = rule.isin(list(_DATAFRAME_RULE_COLUMNS))
    column = column.where(~is_df_rule, rule.map(_DATAFRAME_RULE_COLUMNS))
    out = pd.DataFrame(
        {"_index": fc["index"], "column": column.fillna(""), "rule": rule, "value": fc["failure_case"]}
    )
    schema_level = out["_index"].isna()
    if schema_level.any():  # a whole-column failure (cannot happen after coercion): every row
        whole = out[schema_level]
        out = pd.concat(
            [out[~schema_level]]
            + [whole.iloc[[i]].merge(pd.DataFrame({"_index": df.index}), how="cross", suffixes=("_x", "")).drop(columns="_index_x") for i in range(len(whole))],
            ignore_index=True,
        )
    out = out.drop_duplicates(subset=["_index", "column", "rule"])
    # show the offending value of the rule's column for row-wise rules
    df_rows = out["rule"].isin(list(_DATAFRAME_RULE_COLUMNS))
    if df_rows.any():
        sub = out[df_rows]
        out.loc[df_rows, "value"] = [df.at[i, c] for i, c in zip(sub["_index"], sub["column"], strict=True)]
    out["_index"] = out["_index"].astype("int64")
    return out


def validate_incidents(
    df: pd.DataFrame,
    *,
    source: str = "<frame>",
    sha256: str | None = None,
    typed_text: bool = False,
    unique: bool = True,
) -> ValidationOutcome:
    """Validate a frame against the canonical schema, splitting valid and invalid rows.

    ``df`` may hold text (as read from a file) or typed columns. Columns must be the
    canonical ones (optional columns may be absent). Nothing is dropped: every input
    row is either in ``outcome.valid`` or in ``outcome.quarantined``. ``typed_text=True``
    (for source adapters) says the ``str`` columns are already stripped, with blanks
    as missing, so they are not normalised again; they are still validated.
    ``unique=False`` leaves out the one rule that is not row by row (``incident_id``
    unique), for a caller that validates a large table in parts and checks the ids
    across all parts itself (see :func:`duplicated_ids`).
    """
    table = df.copy(deep=False)  # copy-on-write: the caller's frame is never modified
    if ROW not in table.columns:
        table.insert(0, ROW, range(1, len(table) + 1))
    return _validate_table(table, source=source, sha256=sha256, typed_text=typed_text, unique=unique)


@functools.cache
def _schema(unique: bool = True):
    """The pandera schema, with or without the ``incident_id`` uniqueness rule.

    Built once and validated against an empty frame, so that pandera's lazily
    registered backends exist before any thread uses the schema.
    """
    schema = IncidentSchema.to_schema()
    if not unique:
        schema = schema.update_column("incident_id", unique=False)
    schema.validate(empty_incidents())
    return schema


def duplicated_ids(ids: pd.Series) -> np.ndarray:
    """The rows the ``unique`` rule fails: every row whose id occurs more than once
    (missing ids count as one value), as pandera reports them."""
    if ids.is_unique:  # one hash pass; the common case
        return np.zeros(len(ids), dtype=bool)
    return ids.duplicated(keep=False).to_numpy(dtype=bool)


def _validate_table(table, *, source, sha256=None, bad_lines=None, typed_text=False, unique=True) -> ValidationOutcome:
    table = _check_columns(table, source).reset_index(drop=True)
    typed, errors = coerce_incidents(table, typed_text=typed_text)
    failures = [pd.DataFrame(errors, columns=["_index", "column", "rule", "value"])]
    try:
        _schema(unique).validate(typed, lazy=True)
    except pa.errors.SchemaErrors as exc:
        failures.append(_failures_from_pandera(exc, typed))
    report = pd.concat([f for f in failures if len(f)], ignore_index=True) if any(len(f) for f in failures) else failures[0]
    # a value that did not parse is also missing: report the parse failure only
    parsed = failures[0][["_index", "column"]]
    if len(parsed):
        key = pd.MultiIndex.from_frame(report[["_index", "column"]])
        dup = key.isin(pd.MultiIndex.from_frame(parsed)) & (report["rule"] == "not_null").to_numpy()
        report = report[~dup]
    return _split(table, typed, report, source=source, sha256=sha256, bad_lines=bad_lines)


def _split(table, typed, report, *, source, sha256, bad_lines=None) -> ValidationOutcome:
    report = report.drop_duplicates(subset=["_index", "column", "rule"])
    bad_idx = pd.Index(report["_index"].unique())
    report[ROW] = table.loc[report["_index"], ROW].to_numpy() if len(report) else []
    report["incident_id"] = table.loc[report["_index"], "incident_id"].to_numpy() if len(report) else []
    report["message"] = report["rule"].map(RULES).fillna("check failed")
    report = report[[ROW, "incident_id", "column", "rule", "message", "value"]]

    valid = (typed.drop(index=bad_idx) if len(bad_idx) else typed).reset_index(drop=True)
    valid = valid[list(COLUMNS)]
    quarantined = table.loc[bad_idx].copy() if len(bad_idx) else table.iloc[0:0].copy()
    if len(report):
        reasons = (
            report.assign(r=lambda d: d["column"].where(d["column"] != "", "row") + ": " + d["rule"])
            .groupby(ROW, sort=False)["r"]
            .agg("; ".join)
        )
        quarantined[REASONS] = quarantined[ROW].map(reasons)
    else:
        quarantined[REASONS] = pd.Series([], dtype="str")
    if bad_lines is not None and len(bad_lines):
        extra = bad_lines.rename(columns={"raw": "raw_line"})
        quarantined = pd.concat([quarantined, extra], ignore_index=True)
        more = pd.DataFrame(
            {
                ROW: bad_lines[ROW],
                "incident_id": pd.NA,
                "column": "",
                "rule": "csv_structure",
                "message": RULES["csv_structure"],
                "value": bad_lines["raw"],
            }
        )
        report = pd.concat([report, more], ignore_index=True)
    quarantined = quarantined.sort_values(ROW).reset_index(drop=True)
    report = report.sort_values([ROW, "column", "rule"], kind="stable").reset_index(drop=True)
    counts = report["rule"].value_counts().to_dict()
    return ValidationOutcome(
        source=source,
        valid=valid,
        quarantined=quarantined,
        report=report,
        sha256=sha256,
        rule_counts={str(k): int(v) for k, v in counts.items()},
    )


def validate_file(path: str | Path) -> ValidationOutcome:
    """Read and validate a file; raises :class:`DataFileError` if it cannot be used."""
    path = Path(path)
    table, bad = read_table(path)
    return _validate_table(table, source=str(path), sha256=_sha256(path), bad_lines=bad)


def write_quarantine(outcome: ValidationOutcome, path: str | Path) -> Path:
    """Write the quarantined rows, each with its ``row`` number and ``reasons``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() in (".parquet", ".pq"):
        outcome.quarantined.astype("str").to_parquet(path, index=False)
    else:
        outcome.quarantined.to_csv(path, index=False)
    return path


def load_incidents(
    path: str | Path | None = None, *, quarantine: str | Path | None = None
) -> pd.DataFrame:
    """Load a validated incident table.

    Parameters
    ----------
    path : str or Path, optional
        A CSV or Parquet file in the canonical schema. Default: the bundled dataset
        (``data/incidents.csv``).
    quarantine : str or Path, optional
        Where to write invalid rows, each with its source row number and the rules it
        broke. When given, the valid rows are returned. When omitted, any invalid row
        raises :class:`IncidentValidationError`, whose ``report`` lists every failing
        row, column and rule.

    Returns
    -------
    pandas.DataFrame
        The valid rows, typed (dates as ``datetime64``, counts as nullable ``Int64``).
        ``df.attrs["validation"]`` holds rows read / accepted / quarantined, the failure
        count for each rule, and the file's SHA-256.

    Raises
    ------
    DataFileError
        The file cannot be used at all (missing, not CSV/Parquet, undecodable, empty,
        required columns missing, unknown columns).
    IncidentValidationError
        Rows are invalid and no quarantine was given.
    """
    path = Path(path) if path is not None else config.BUNDLED_INCIDENTS
    outcome = validate_file(path)
    if outcome.n_quarantined:
        if quarantine is None:
            raise IncidentValidationError(outcome)
        write_quarantine(outcome, quarantine)
    df = outcome.valid
    df.attrs["validation"] = {
        "source": str(path),
        "sha256": outcome.sha256,
        "rows_read": outcome.n_read,
        "rows_accepted": outcome.n_accepted,
        "rows_quarantined": outcome.n_quarantined,
        "rule_counts": outcome.rule_counts,
    }
    return df
