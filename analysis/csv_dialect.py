"""How a CSV file is written: its delimiter and its decimal mark, sniffed from its start.

Spreadsheets write CSV the way their locale says: a comma between fields in most of the
English-speaking world; a semicolon, with a decimal comma (``34,52``), where the comma
is the decimal mark (most of Europe); tabs or pipes from databases. :func:`sniff` looks
at the first block of a file and picks the delimiter among ``,`` ``;`` tab and ``|`` that
splits its lines into the most consistent records (the header's width, with quoting
respected), then, for ``;`` files, whether numbers are written with a decimal comma.
The file itself is then read by pyarrow's multithreaded C reader with that delimiter and
decimal mark (:mod:`analysis.readers`); text columns that are numbers written with a
decimal comma are converted by :func:`decimal_commas_to_points`.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import pandas as pd

__all__ = ["DELIMITERS", "SAMPLE_BYTES", "Dialect", "decimal_commas_to_points", "sniff"]

#: The delimiters recognised, in order of preference when two split a file equally well.
DELIMITERS = (",", ";", "\t", "|")
#: How much of a file :func:`sniff` reads.
SAMPLE_BYTES = 1 << 16

_COMMA_NUMBER = r"^[+-]?\d+,\d+$"
_POINT_NUMBER = r"^[+-]?\d+\.\d+$"
_INTEGER = r"^[+-]?\d+$"


@dataclass(frozen=True)
class Dialect:
    """A CSV file's delimiter and decimal mark."""

    delimiter: str = ","
    decimal: str = "."


def _records(sample: str, delimiter: str) -> list[list[str]]:
    try:
        return [r for r in csv.reader(io.StringIO(sample), delimiter=delimiter) if r]
    except csv.Error:
        return []


def _score(records: list[list[str]]) -> tuple[float, int]:
    """(share of records as wide as the header, header width); (0, 0) below two fields."""
    if not records or len(records[0]) < 2:
        return 0.0, 0
    width = len(records[0])
    same = sum(len(r) == width for r in records)
    return same / len(records), width


def _decimal(records: list[list[str]]) -> str:
    """``","`` when the data cells hold numbers with a decimal comma and none with a point."""
    cells = pd.Series([c.strip() for r in records[1:] for c in r], dtype="str")
    if not len(cells):
        return "."
    commas = cells.str.fullmatch(_COMMA_NUMBER).sum()
    points = cells.str.fullmatch(_POINT_NUMBER).sum()
    return "," if commas and not points else "."


def sniff(sample: str, *, complete: bool = False) -> Dialect:
    """The dialect of a CSV file from its first block of text.

    Unless the sample is the ``complete`` file, its last line is left out when it does
    not end with a line break (it may be cut short). A sample that no candidate splits
    into two or more fields is a comma file (a one-column file, or not CSV at all).
    """
    if not complete and not sample.endswith("\n") and "\n" in sample:
        sample = sample[: sample.rfind("\n") + 1]
    scored = [(_score(_records(sample, d)), -k, d) for k, d in enumerate(DELIMITERS)]
    (_share, width), _, best = max(scored)
    if width < 2:
        return Dialect()
    if best != ";":
        return Dialect(best)
    return Dialect(";", _decimal(_records(sample, ";")))


def decimal_commas_to_points(table: pd.DataFrame, *, skip: tuple[str, ...] = ()) -> pd.DataFrame:
    """``table`` with the numbers written with a decimal comma (``34,52``) in its text
    columns rewritten with a point (``34.52``), in place of the text.

    Only columns that hold numbers are touched: those where at least half of the known
    values are whole numbers or decimal-comma numbers. In them, a value that is
    exactly a decimal-comma number is rewritten; anything else stays as written, so a
    value that is not a number is still reported by the parser that reads the column.
    """
    out = table
    for c in table.columns:
        s = table[c]
        if c in skip or s.dtype != "str":
            continue
        comma = s.str.fullmatch(_COMMA_NUMBER).to_numpy(dtype=bool, na_value=False)
        if not comma.any():
            continue
        whole = s.str.fullmatch(_INTEGER).to_numpy(dtype=bool, na_value=False)
        if (comma | whole).sum() * 2 < s.notna().sum():
            continue
        if out is table:
            out = table.copy(deep=False)
        out[c] = s.where(~comma, s.str.replace(",", ".", n=1, regex=False))
    return out
