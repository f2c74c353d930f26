"""What a file is, checked before it is parsed: its type, compression, content and quotes.

The readers (:mod:`analysis.readers`) call these checks so that a file they cannot use
is refused with one line naming the file and the problem
(:class:`~analysis.errors.DataFileError`), never with a traceback or a hang:

* :func:`regular_file` looks at the path with ``stat`` before anything opens it: a
  folder, a FIFO (named pipe), a socket or a device is refused. Opening a FIFO would
  block until another program writes to it, and a device such as ``/dev/zero`` never
  ends.
* :func:`sniff` reads the first bytes: a fake or mislabelled ``.gz``, a ZIP archive
  (an Excel ``.xlsx`` is one), an old Excel ``.xls``, a Parquet file named ``.csv``,
  UTF-16 or UTF-32 text, and binary data (NUL bytes) each get their own message.
* :func:`open_quote_line` finds a quoted field that is opened and never closed, which
  is what a file cut short inside a quoted field looks like. A CSV parser reads such a
  field to the end of the file and returns the damaged last record as if it were
  complete, so the file is refused instead (the lines after the cut are lost, and no
  quarantine could account for them).

The quote rules are those of RFC 4180 as pyarrow and Python's :mod:`csv` apply them: a
quote opens a quoted field only at the start of a field, two quotes inside it stand for
one, and a quote anywhere else is an ordinary character.
"""

from __future__ import annotations

import os
import stat
import zlib
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from .errors import DataFileError

__all__ = [
    "gzip_problem",
    "is_gzip_name",
    "last_line_start",
    "open_quote_line",
    "read_chunks",
    "regular_file",
    "sniff",
]

_CHUNK = 1 << 23  # 8 MiB
_QUOTE = ord('"')
_SNIFF_BYTES = 1 << 16
_GZIP_MAGIC = b"\x1f\x8b"
_KINDS = (
    (stat.S_ISDIR, "is a folder, not a file"),
    (stat.S_ISFIFO, "is a FIFO (named pipe), not a regular file; save the data to a file first"),
    (stat.S_ISSOCK, "is a socket, not a regular file"),
    (stat.S_ISCHR, "is a device, not a regular file"),
    (stat.S_ISBLK, "is a device, not a regular file"),
)
#: (leading bytes, problem) for content that is certainly not CSV text.
_SIGNATURES = (
    (b"PK\x03\x04", "is a ZIP archive (an Excel .xlsx workbook is one), not CSV text; export it as CSV"),
    (b"\xd0\xcf\x11\xe0", "is an Excel .xls workbook, not CSV text; export it as CSV"),
    (b"PAR1", "is a Parquet file; give it the .parquet suffix"),
    (b"\xff\xfe\x00\x00", "is UTF-32 text, not valid UTF-8; re-save the file as UTF-8"),
    (b"\x00\x00\xfe\xff", "is UTF-32 text, not valid UTF-8; re-save the file as UTF-8"),
    (b"\xff\xfe", "is UTF-16 text, not valid UTF-8; re-save the file as UTF-8"),
    (b"\xfe\xff", "is UTF-16 text, not valid UTF-8; re-save the file as UTF-8"),
)


def is_gzip_name(path: Path) -> bool:
    """Whether the file name says gzip (``.gz``)."""
    return path.name.lower().endswith(".gz")


def regular_file(path: str | Path) -> Path:
    """``path`` if it names a regular file (or a symlink to one), else :class:`DataFileError`.

    Uses ``stat`` only: nothing is opened, so a FIFO cannot block.
    """
    path = Path(path)
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise DataFileError(path, "file not found") from None
    except OSError as exc:
        raise DataFileError(path, f"cannot be read ({exc.strerror or type(exc).__name__})") from None
    for test, problem in _KINDS:
        if test(mode):
            raise DataFileError(path, problem)
    if not stat.S_ISREG(mode):
        raise DataFileError(path, "is not a regular file")
    return path


def gzip_problem(exc: BaseException) -> str:
    if isinstance(exc, EOFError):
        return "the gzip data ends early: the .gz file is truncated (download it again)"
    return f"is not valid gzip data ({str(exc).splitlines()[0][:80] or type(exc).__name__})"


def read_chunks(path: Path, size: int = _CHUNK, *, start: int = 0) -> Iterator[bytes]:
    """The bytes of a file (decompressed if its name ends in ``.gz``) from byte
    ``start``, in chunks of ``size``.

    A damaged or truncated ``.gz``, or a file that cannot be read, raises
    :class:`DataFileError`.
    """
    import gzip

    try:
        with (gzip.open(path, "rb") if is_gzip_name(path) else open(path, "rb")) as fh:
            fh.seek(start)
            while chunk := fh.read(size):
                yield chunk
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise DataFileError(path, gzip_problem(exc)) from None
    except OSError as exc:
        raise DataFileError(path, f"cannot be read ({exc.strerror or type(exc).__name__})") from None


def _head(path: Path) -> bytes:
    """The first bytes of the (decompressed) file."""
    with open(path, "rb") as fh:
        raw = fh.read(_SNIFF_BYTES)
    if is_gzip_name(path) and not raw.startswith(_GZIP_MAGIC):
        raise DataFileError(path, "is not gzip-compressed although its name ends in .gz")
    if not is_gzip_name(path) and raw.startswith(_GZIP_MAGIC):
        raise DataFileError(path, "is gzip-compressed; name it .csv.gz")
    if not is_gzip_name(path):
        return raw
    chunks = read_chunks(path, _SNIFF_BYTES)
    try:
        return next(chunks, b"")
    finally:
        chunks.close()


def sniff(path: Path) -> None:
    """Refuse a CSV file whose first bytes show that it is not CSV text.

    Raises
    ------
    DataFileError
        Compression that does not match the name, a ZIP or Excel file, a Parquet file,
        UTF-16/UTF-32 text, or binary data (a NUL byte).
    """
    head = _head(path)
    for magic, problem in _SIGNATURES:
        if head.startswith(magic):
            raise DataFileError(path, problem)
    nul = head.find(b"\x00")
    if nul >= 0:
        raise DataFileError(path, f"is binary data (a NUL byte at offset {nul}), not CSV text")


class _QuoteScan:
    """The quote state at the end of a byte stream, chunk by chunk.

    Only runs of consecutive quotes matter. Outside a quoted field, a run of odd length
    at the start of a field opens one (``"`` opens, ``""`` is an empty field, ``\"\"\"``
    opens a field that begins with a quote), and a run elsewhere is ordinary text.
    Inside, a run of odd length closes the field and a run of even length is escaped
    quotes. So an even run changes nothing, an odd run at a field start toggles the
    state, and an odd run elsewhere leaves it outside.
    """

    def __init__(self, delimiter: str, offset: int):
        self.delimiter = ord(delimiter)
        self.inside = False
        self.opened_at: int | None = None  # offset of the last quote that opened a field
        self.offset = offset  # offset of the next byte fed
        self.prev = ord("\n")  # the byte before the next chunk (a field starts after it)

    def feed(self, buf: bytes, end: int) -> None:
        """Scan ``buf[:end]``, which does not end in a quote (a run may go on)."""
        if end and buf.count(b'"', 0, end):
            self._runs(np.frombuffer(buf, dtype=np.uint8, count=end))
        if end:
            self.prev = buf[end - 1]
        self.offset += end

    def _runs(self, a: np.ndarray) -> None:
        q = np.flatnonzero(a == _QUOTE)
        before = np.empty(q.size, dtype=np.uint8)  # the byte before each quote
        before[1:] = a[q[1:] - 1]
        before[0] = a[q[0] - 1] if q[0] else self.prev
        first = np.flatnonzero(before != _QUOTE)  # where each run of quotes begins
        odd = np.diff(first, append=q.size) % 2 == 1
        b = before[first]
        at_start = (b == self.delimiter) | (b == ord("\n")) | (b == ord("\r"))
        toggles = np.flatnonzero(odd & at_start)
        resets = np.flatnonzero(odd & ~at_start)
        if resets.size:
            self.inside = False
            toggles = toggles[toggles > resets[-1]]
        if toggles.size % 2:
            self.inside = not self.inside
        if toggles.size and self.inside:
            self.opened_at = self.offset + int(q[first[toggles[-1]]])


def last_line_start(path: Path) -> int:
    """The offset at which the last line of a (not compressed) file begins."""
    with open(path, "rb") as fh:
        end = fh.seek(0, os.SEEK_END)
        fh.seek(max(end - 1, 0))
        if fh.read(1) == b"\n":
            end -= 1  # the line break that ends the last line
        pos = end
        while pos > 0:
            step = min(pos, 1 << 16)
            fh.seek(pos - step)
            found = fh.read(step).rfind(b"\n")
            if found >= 0:
                return pos - step + found + 1
            pos -= step
    return 0


def _line_of(path: Path, offset: int) -> int:
    """The 1-based line on which byte ``offset`` (of the decompressed data) lies."""
    lines, seen = 1, 0
    for data in read_chunks(path):
        if seen + len(data) > offset:
            return lines + data.count(b"\n", 0, offset - seen)
        lines += data.count(b"\n")
        seen += len(data)
    return lines


def open_quote_line(path: Path, delimiter: str = ",", *, chunk: int = _CHUNK, start: int = 0) -> int | None:
    """The line on which a quoted field opens that the file never closes, or None.

    Reads the file (decompressed for ``.gz``) from byte ``start``, which must be the
    start of a record (``last_line_start`` when every line is known to be one record),
    in chunks of ``chunk`` bytes, finding quotes with NumPy; a stretch without quotes
    costs one ``bytes.count``.

    Raises
    ------
    DataFileError
        A damaged or truncated ``.gz``.
    """
    scan = _QuoteScan(delimiter, start)
    carry = b""
    for i, data in enumerate(read_chunks(path, chunk, start=start)):
        if i == 0 and start == 0 and data.startswith(b"\xef\xbb\xbf"):  # a UTF-8 byte-order mark
            data = data[3:]
            scan.offset = 3
        buf = carry + data if carry else data
        end = len(buf)
        while end and buf[end - 1] == _QUOTE:  # a run of quotes may go on in the next chunk
            end -= 1
        scan.feed(buf, end)
        carry = buf[end:]
    scan.feed(carry, len(carry))
    if not scan.inside or scan.opened_at is None:
        return None
    return _line_of(path, scan.opened_at)
