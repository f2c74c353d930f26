"""Recognise a source's layout from its column names."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..errors import DataFileError, InputError
from ..readers import read_header
from . import acled, canonical, gtd, rand, ucdp

__all__ = ["ADAPTERS", "FORMATS", "detect_file_format", "detect_format", "resolve_format"]

#: format name -> adapter module, in detection order (most specific first).
ADAPTERS = {m.NAME: m for m in (canonical, gtd, ucdp, acled, rand)}
FORMATS = tuple(ADAPTERS)


def detect_format(columns: Iterable[object], *, source: object = "<table>") -> str:
    """The format whose signature columns are all present.

    Raises
    ------
    DataFileError
        When no format matches; the message names the columns each format needs.
    """
    cols = {str(c).strip() for c in columns}
    for name, module in ADAPTERS.items():
        if set(module.SIGNATURE) <= cols:
            return name
    expected = "; ".join(f"{n}: {', '.join(m.SIGNATURE)}" for n, m in ADAPTERS.items())
    shown = ", ".join(sorted(cols)[:12]) + (" ..." if len(cols) > 12 else "")
    raise DataFileError(
        source,
        f"cannot tell which source this is (columns: {shown}).{_nearly(cols)} Expected the columns of "
        f"one of: {expected}. Pass format= to choose one, or mapping= for your own layout.",
    )


def _nearly(cols: set[str]) -> str:
    """The format whose signature the columns nearly have, and what they lack (with the
    column that may misspell it), or nothing when none is close."""
    from .adapter import closest_name

    best = max(ADAPTERS.items(), key=lambda kv: len(set(kv[1].SIGNATURE) & cols) / len(kv[1].SIGNATURE))
    name, module = best
    missing = [c for c in module.SIGNATURE if c not in cols]
    if len(missing) > len(module.SIGNATURE) / 2:
        return ""
    lacks = ", ".join(
        f"{c} (your file has {near})" if (near := closest_name(c, sorted(cols))) else c for c in missing
    )
    return f" It is nearly a {name} layout, but lacks {lacks}."


def resolve_format(columns: Iterable[object], format: str | None, source: object) -> str:
    """``format`` checked against the columns, or detected from them when None.

    Raises
    ------
    InputError
        An unknown format name.
    DataFileError
        The columns lack the signature columns of the format asked for, or (detecting)
        match no format.
    """
    if format is None:
        return detect_format(columns, source=source)
    fmt = str(format).strip().lower()
    if fmt not in ADAPTERS:
        raise InputError(f"unknown format {format!r}; use one of {', '.join(FORMATS)} (or None to detect)")
    present = set(columns)
    missing = [c for c in ADAPTERS[fmt].SIGNATURE if c not in present]
    if missing:
        raise DataFileError(source, f"not a {fmt} layout: columns missing: {', '.join(missing)}")
    return fmt


def detect_file_format(path: str | Path) -> str:
    """Detect the format of a file from its header."""
    path = Path(path)
    if not path.exists():
        raise DataFileError(path, "file not found")
    return detect_format(read_header(path), source=path)
