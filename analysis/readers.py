"""Reading CSV and Parquet files without losing a row.

Two callers read files: :mod:`analysis.loading` reads canonical incident files as text
(:func:`read_table`), and :mod:`analysis.sources` reads the exports of the big event
datasets with typed numbers (:func:`read_raw`). Both go through one pyarrow CSV reader,
:func:`read_csv_fields`, which sets aside (never drops) lines with the wrong number of
fields and numbers every row by its place in the file (column ``row``: 1 for the first
data row; the header is row 0).

A file that cannot be used at all raises :class:`~analysis.errors.DataFileError` with a
one-line message: missing; not a regular file (a folder, a FIFO, a device: checked
before anything opens it); not CSV or Parquet; binary, compressed against its name, or
a damaged or truncated ``.gz`` (:mod:`analysis.filecheck`); not UTF-8; empty; or cut
short inside a quoted field. Writers live in :mod:`analysis.io`; the quote they put
before text a spreadsheet would execute is taken off again when :func:`read_table`
reads a canonical CSV back.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import zlib
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from .csv_dialect import SAMPLE_BYTES, Dialect, decimal_commas_to_points
from .csv_dialect import sniff as sniff_dialect
from .errors import DataFileError
from .filecheck import (
    gzip_problem,
    is_gzip_name,
    last_line_start,
    open_quote_line,
    regular_file,
    sniff,
)

__all__ = [
    "ROW",
    "SOURCE_NULLS",
    "read_csv_fields",
    "read_csv_header",
    "read_header",
    "read_raw",
    "read_table",
    "sha256",
    "sniff_file",
]

ROW = "row"  # 1-based data-row number in the source file (the header is row 0)
PARQUET_SUFFIXES = (".parquet", ".pq")
#: Suffixes read as CSV: canonical files, and source exports (which may also be .tsv).
CSV_SUFFIXES = (".csv", ".csv.gz", ".txt")
EXPORT_SUFFIXES = (*CSV_SUFFIXES, ".tsv")
#: Cells that mean "missing" in the big event datasets' exports.
SOURCE_NULLS = ("", "NA", "NaN", "NULL", "null", "nan")


# ------------------------------------------------------------------ files
def sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes, as hex."""
    h = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _usable(path: str | Path, csv_suffixes: tuple[str, ...]) -> tuple[Path, str]:
    """The path and its kind (``"csv"`` or ``"parquet"``); :class:`DataFileError` if the
    path is missing, not a regular file, has another suffix, or (CSV) does not hold
    text (:func:`analysis.filecheck.sniff`)."""
    path = regular_file(path)
    name = path.name.lower()
    if name.endswith(PARQUET_SUFFIXES):
        return path, "parquet"
    if name.endswith(csv_suffixes):
        sniff(path)
        return path, "csv"
    raise DataFileError(path, "not a CSV or Parquet file (expected .csv or .parquet)")


def _read_parquet(path: Path) -> pd.DataFrame:
    try:
        table = pd.read_parquet(path)
    except Exception as exc:  # pyarrow raises several types
        raise DataFileError(path, f"not a readable Parquet file ({type(exc).__name__})") from None
    table.columns = [str(c).strip() for c in table.columns]
    return table


def _no_bad_lines() -> pd.DataFrame:
    return pd.DataFrame({ROW: pd.Series([], dtype="int64"), "raw": pd.Series([], dtype="str")})


# ------------------------------------------------------------------ canonical files
def read_table(path: str | Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read a CSV or Parquet file as text, without losing any row.

    Returns
    -------
    table : DataFrame
        One column per header field, all values as strings (missing as NA), plus ``row``.
    bad_lines : DataFrame
        CSV lines whose number of fields differs from the header: ``row``, ``raw``,
        ``reasons``. Empty for well-formed files.

    A text cell of a CSV that begins with a single quote loses that quote: it is the
    mark our writers put before text a spreadsheet would execute (see
    :func:`analysis.io.escape_cell`), and the spreadsheets' own mark for "this is
    text", so our files read back exactly. Parquet values are kept as they are.

    Raises
    ------
    DataFileError
        When the file cannot be used (see the module).
    """
    path, kind = _usable(path, CSV_SUFFIXES)
    if kind == "parquet":
        table = _read_parquet(path)
        table = table.astype(object).where(table.notna(), None)
        table = table.map(lambda v: None if v is None else str(v)).astype("str")
        table.insert(0, ROW, range(1, len(table) + 1))
        return table, _no_bad_lines().assign(reasons=pd.Series([], dtype="str"))
    table, bad = read_csv_fields(path)
    table = _unescape_text(table)
    n_header = len(table.columns) - 1
    delimiter = sniff_file(path).delimiter
    bad["reasons"] = [
        f"row: csv_structure ({_fields(raw, delimiter)} fields, header has {n_header})"
        for raw in bad["raw"]
    ]
    return table, bad


def _fields(raw: str, delimiter: str = ",") -> str:
    """How many fields a malformed line has, as text ("?" if the csv module cannot say)."""
    try:
        return str(len(next(csv.reader([raw], delimiter=delimiter), [])))
    except csv.Error:  # a field over the csv module's size limit, a NUL byte
        return "?"


# ------------------------------------------------------------------ source exports
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
    path, kind = _usable(path, EXPORT_SUFFIXES)
    keep = None if columns is None else set(columns)
    if kind == "csv":
        return read_csv_fields(
            path, text_columns=set(text_columns), columns=keep, null_values=SOURCE_NULLS
        )
    table = _read_parquet(path)
    if keep is not None:
        table = table[[c for c in table.columns if c in keep]]
    table.insert(0, ROW, np.arange(1, len(table) + 1))
    return table, _no_bad_lines()


def _unescape_text(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with one leading single quote taken off every text cell (vectorised
    :func:`analysis.io.unescape_cell`)."""
    for i, c in enumerate(table.columns):  # by position: names may repeat (refused later)
        if c == ROW:
            continue
        col = table.iloc[:, i]
        hit = col.str.startswith("'").fillna(False).to_numpy(dtype=bool)
        if hit.any():
            table.isetitem(i, col.mask(hit, col.str.slice(1)))
    return table


def read_header(path: Path) -> list[str]:
    """The header fields of a CSV (or the column names of a Parquet file);
    :class:`DataFileError` if the file cannot be used (checked as by :func:`read_raw`)."""
    path, kind = _usable(path, EXPORT_SUFFIXES)
    if kind == "parquet":
        import pyarrow.parquet as pq

        try:
            return [str(c).strip() for c in pq.read_schema(path).names]
        except Exception as exc:
            raise DataFileError(
                path, f"not a readable Parquet file ({type(exc).__name__})"
            ) from None
    return read_csv_header(path)


# ------------------------------------------------------------------ the CSV reader
def _open_text(path: Path):
    """Opener for a CSV as UTF-8 text (BOM stripped), gzip-compressed or not."""
    if is_gzip_name(path):
        return lambda: gzip.open(path, "rt", encoding="utf-8-sig", newline="")
    return lambda: path.open(encoding="utf-8-sig", newline="")


def _utf8_problem(exc: UnicodeDecodeError) -> str:
    return f"not valid UTF-8 (byte 0x{exc.object[exc.start]:02x} at offset {exc.start}); re-save the file as UTF-8"


@lru_cache(maxsize=64)
def _sniff_cached(path: Path, stamp: tuple[int, int]) -> Dialect:
    try:
        with _open_text(path)() as fh:
            sample = fh.read(SAMPLE_BYTES)
            complete = not fh.read(1)
    except (UnicodeDecodeError, OSError, EOFError):
        return Dialect()  # the readers report the problem
    return sniff_dialect(sample, complete=complete)


def sniff_file(path: Path) -> Dialect:
    """The delimiter (``,`` ``;`` tab ``|``) and decimal mark of a CSV file, from its
    first block (see :mod:`analysis.csv_dialect`); remembered while the file is unchanged."""
    try:
        st = Path(path).stat()
    except OSError:
        return Dialect()
    return _sniff_cached(Path(path), (st.st_mtime_ns, st.st_size))


def read_csv_header(path: Path) -> list[str]:
    """The header fields of a CSV file, stripped; :class:`DataFileError` if unusable."""
    path = regular_file(path)
    try:
        with _open_text(path)() as fh:
            header = next(csv.reader(fh, delimiter=sniff_file(path).delimiter), None)
    except UnicodeDecodeError as exc:
        raise DataFileError(path, _utf8_problem(exc)) from None
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise DataFileError(path, gzip_problem(exc)) from None
    except csv.Error as exc:  # a NUL byte, a header field over the csv module's limit
        raise DataFileError(path, f"the header line cannot be read as CSV ({exc})") from None
    except OSError as exc:
        raise DataFileError(
            path, f"cannot be read ({exc.strerror or type(exc).__name__})"
        ) from None
    if not header or not any(h.strip() for h in header):
        raise DataFileError(path, "file is empty (no header row)")
    return [h.strip() for h in header]


def _physical_lines(path: Path) -> tuple[int, bool]:
    """Line breaks in a file, plus one for a last line without its own (0.1 s per 200
    MB), and whether it holds a carriage return that is not part of a CRLF (a line
    break to the CSV reader, not to this count)."""
    n, last, cr, crlf = 0, b"", 0, 0
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 23):
            n += chunk.count(b"\n")
            if b"\r" in chunk:
                cr += chunk.count(b"\r")
                crlf += chunk.count(b"\r\n")  # one split between chunks counts as bare: safe
            last = chunk[-1:]
    return n + (last not in (b"", b"\n")), cr != crlf


class _ArrowCsv:
    """One file read by pyarrow's CSV reader, with the malformed lines it set aside."""

    def __init__(self, path: Path, header: list[str], text_columns, columns, null_values):
        self.path, self.header, self.dialect = path, header, sniff_file(path)
        self.text_columns, self.columns, self.null_values = text_columns, columns, list(null_values)
        self.bad_rows: list[str] = []
        self.block_size = 1 << 20  # pyarrow's default; grown for a record longer than a block
        self.quick = False  # the quote-unaware read, which stops at the first malformed line
        self.kept_quick = False  # the quick read was kept: every physical line is one record
        self.before_careful = lambda: None  # called before each quote-aware read

    def _skip(self, row) -> str:
        self.bad_rows.append(row.text)
        return "error" if self.quick else "skip"

    def read(self, all_text: bool, *, newlines_in_values: bool):
        import pyarrow as pa_
        import pyarrow.csv as pacsv

        self.bad_rows.clear()
        types = {c: pa_.string() for c in self.header if all_text or c in self.text_columns}
        include = [c for c in self.header if c in self.columns] if self.columns is not None else []
        return pacsv.read_csv(
            self.path,
            read_options=pacsv.ReadOptions(encoding="utf8", block_size=self.block_size),
            parse_options=pacsv.ParseOptions(
                delimiter=self.dialect.delimiter,
                invalid_row_handler=self._skip,
                newlines_in_values=newlines_in_values,
            ),
            convert_options=pacsv.ConvertOptions(
                decimal_point=self.dialect.decimal,
                column_types=types,
                strings_can_be_null=True,
                quoted_strings_can_be_null=True,
                null_values=self.null_values,
                true_values=[],
                false_values=[],
                timestamp_parsers=[],
                include_columns=include,
            ),
        )

    def attempt(self, all_text: bool, lines: int | None):
        """Quote-unaware block splitting first (about 3x faster), kept only when it is
        provably the same as quote-aware splitting: every physical line became one row,
        so no value holds a line break and no block boundary can have fallen inside a
        quoted field. Otherwise (a quoted line break anywhere, a blank or malformed
        line, pyarrow's "out of sync with the chunker") the file is read again with
        quote-aware splitting. The quick read stops at the first malformed line, so a
        field holding many line breaks does not cost one Python call per line."""
        import pyarrow as pa_

        if lines is not None:
            self.quick = True
            try:
                arrow = self.read(all_text, newlines_in_values=False)
            except pa_.ArrowInvalid as exc:
                if not self.bad_rows and "out of sync" not in str(exc):
                    raise
            else:
                if not self.bad_rows and arrow.num_rows + 1 == lines:
                    self.kept_quick = True
                    return arrow
            finally:
                self.quick = False
        self.before_careful()
        return self.read(all_text, newlines_in_values=True)


_MAX_BLOCK = 1 << 30


def _attempt(reader: _ArrowCsv, all_text: bool, lines: int | None):
    """:meth:`_ArrowCsv.attempt`, with larger blocks while a record (a field of several
    MB) is longer than one block of pyarrow's reader."""
    import pyarrow as pa_

    while True:
        try:
            return reader.attempt(all_text, lines)
        except pa_.ArrowInvalid as exc:
            if "straddl" not in str(exc) or reader.block_size >= _MAX_BLOCK:
                raise
            reader.block_size *= 8


def _refuse_open_quote(path: Path, *, last_line: bool = False) -> None:
    """:class:`DataFileError` if a quoted field is opened and never closed. With
    ``last_line``, when every physical line is known to be one record, only the last
    line is read."""
    line = open_quote_line(path, start=last_line_start(path) if last_line else 0)
    if line is not None:
        raise DataFileError(
            path,
            f"unterminated quoted field: the quote that opens a field on line {line} is never closed "
            "(the file was probably cut short); nothing was read",
        )


def _arrow_problem(path: Path, exc: Exception) -> DataFileError:
    msg = str(exc)
    if "UTF8" in msg or "UTF-8" in msg:
        return DataFileError(path, "not valid UTF-8; re-save the file as UTF-8")
    if "Empty CSV" in msg:
        return DataFileError(path, "file is empty (no header row)")
    return DataFileError(path, f"not a readable CSV file ({msg.splitlines()[0][:120]})")


def _to_pandas(arrow) -> pd.DataFrame:
    import pyarrow as pa_

    table = arrow.to_pandas(
        types_mapper={pa_.string(): pd.StringDtype("pyarrow", na_value=np.nan)}.get,
        split_blocks=True,
        self_destruct=True,  # frees each Arrow column as it is converted: lower peak memory
    )
    del arrow
    pa_.default_memory_pool().release_unused()
    table.columns = [str(c).strip() for c in table.columns]
    return table


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
    each row's data-row number in ``row``. A file that ends inside a quoted field (cut
    short) is refused with :class:`DataFileError`, since the damaged last record would
    otherwise be read as if it were complete.
    """
    import pyarrow as pa_

    header = read_csv_header(path)
    repeated = sorted({h for h in header if h and header.count(h) > 1})
    if repeated:
        raise DataFileError(
            path, f"duplicate column names: {', '.join(repeated)} (each column must appear once)"
        )
    lines, bare_cr = (None, True) if is_gzip_name(path) else _physical_lines(path)
    reader = _ArrowCsv(path, header, text_columns, columns, null_values)
    checked: list[bool] = []  # the whole file is checked for an open quote once, first

    def check_whole_file() -> None:
        if not checked:
            checked.append(True)
            _refuse_open_quote(path)

    reader.before_careful = check_whole_file
    try:
        try:
            arrow = _attempt(reader, text_columns is None, lines)
        except pa_.ArrowInvalid as exc:
            if text_columns is None or "conversion error" not in str(exc).lower():
                raise
            arrow = _attempt(reader, True, lines)  # a number column holds text: parse it ourselves
    except pa_.ArrowInvalid as exc:
        raise _arrow_problem(path, exc) from None
    except OSError as exc:
        raise DataFileError(path, f"cannot be read ({exc.strerror or str(exc)[:120]})") from None
    if not checked:  # the quick read was kept (a bare CR could hide a record over two lines)
        _refuse_open_quote(path, last_line=not bare_cr)
    table = _to_pandas(arrow)
    del arrow
    if reader.dialect.decimal == ",":
        table = decimal_commas_to_points(table)
    if not reader.bad_rows:
        table.insert(0, ROW, np.arange(1, len(table) + 1))
        return table, _no_bad_lines()
    return _number_around_bad_lines(path, table, reader.bad_rows, len(header))


def _number_around_bad_lines(
    path: Path, table: pd.DataFrame, bad_rows: list[str], n_fields: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Data-row numbers of the good rows and of the malformed lines (the rare path:
    re-scans the file with the csv module)."""
    n = len(table)
    with _open_text(path)() as fh:
        records = csv.reader(fh, delimiter=sniff_file(path).delimiter)
        next(records, None)
        try:
            positions = [
                i for i, rec in enumerate(records, start=1) if rec and len(rec) != n_fields
            ]
        except csv.Error:
            positions = []
    if len(positions) != len(
        bad_rows
    ):  # the csv module disagrees (quoting): number after the good rows
        positions = list(range(n + 1, n + 1 + len(bad_rows)))
    bad_set = set(positions)
    good = [r for r in range(1, n + len(positions) + 1) if r not in bad_set][:n]
    table.insert(0, ROW, np.asarray(good, dtype="int64"))
    bad = pd.DataFrame(
        {ROW: np.asarray(positions, dtype="int64"), "raw": pd.Series(bad_rows, dtype="str")}
    )
    return table, bad
