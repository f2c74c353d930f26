"""Recognise a source's layout from its column names."""

from __future__ import annotations

from pathlib import Path

from ..loading import DataFileError
from . import acled, canonical, gtd, rand, ucdp

#: format name -> adapter module, in detection order (most specific first).
ADAPTERS = {m.NAME: m for m in (canonical, gtd, ucdp, acled, rand)}
FORMATS = tuple(ADAPTERS)


def detect_format(columns, *, source: object = "<table>") -> str:
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
        f"cannot tell which source this is (columns: {shown}). Expected the columns of one of: "
        f"{expected}. Pass format= to choose one.",
    )


def detect_file_format(path: str | Path) -> str:
    """Detect the format of a file from its header."""
    from ._common import read_header

    path = Path(path)
    if not path.exists():
        raise DataFileError(path, "file not found")
    return detect_format(read_header(path), source=path)
