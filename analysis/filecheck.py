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

import stat
import zlib
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from .errors import DataFileError

__all__ = ["gzip_problem", "is_gzip_name", "open_quote_line", "read_chunks", "regular_file", "sniff"]

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


def read_chunks(path: Path, size: int = _CHUNK) -> Iterator[bytes]:
    """The bytes of a file (decompressed if its name ends in ``.gz``), in chunks.

    A damaged or truncated ``.gz``, or a file that cannot be read, raises
    :class:`DataFileError`.
    """
    import gzip

    try:
        with (gzip.open(path, "rb") if is_gzip_name(path) else open(path, "rb")) as fh:
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

    def __init__(self, delimiter: str):
        self.starts = np.array([ord(delimiter), ord("\n"), ord("\r")], dtype=np.uint8)
        self.inside = False
        self.opened_at: int | None = None  # offset of the last quote that opened a field
        self.offset = 0  # bytes consumed so far
        self.prev = ord("\n")  # the byte before the next chunk (start of file: a field start)

    def feed(self, buf: bytes) -> None:
        if buf.count(b'"'):
            self._runs(np.frombuffer(buf, dtype=np.uint8))
        self.offset += len(buf)
        self.prev = buf[-1] if buf else self.prev

    def _runs(self, a: np.ndarray) -> None:
        q = np.flatnonzero(a == _QUOTE)
        first = np.r_[True, np.diff(q) != 1]
        begin = q[first]
        length = np.diff(np.r_[np.flatnonzero(first), q.size])
        before = np.where(begin > 0, a[begin - 1], self.prev)
        at_start = np.isin(before, self.starts)
        odd = length % 2 == 1
        toggles = np.flatnonzero(odd & at_start)
        resets = np.flatnonzero(odd & ~at_start)
        if resets.size:
            self.inside = False
            toggles = toggles[toggles > resets[-1]]
        if toggles.size % 2:
            self.inside = not self.inside
        if toggles.size and self.inside:
            self.opened_at = self.offset + int(begin[toggles[-1]])


def open_quote_line(path: Path, delimiter: str = ",", *, chunk: int = _CHUNK) -> int | None:
    """The line on which a quoted field opens that the file never closes, or None.

    Reads the whole file (decompressed for ``.gz``) in chunks of ``chunk`` bytes,
    counting quotes with NumPy; a file without quotes costs one pass of ``bytes.count``.

    Raises
    ------
    DataFileError
        A damaged or truncated ``.gz``.
    """
    scan = _QuoteScan(delimiter)
    carry, lines, line_at = b"", 0, None
    for i, data in enumerate(read_chunks(path, chunk)):
        if i == 0 and data.startswith(b"\xef\xbb\xbf"):  # a UTF-8 byte-order mark
            data = data[3:]
            scan.offset = -3
        buf = carry + data
        cut = len(buf.rstrip(b'"'))  # a run of quotes may go on in the next chunk
        body, carry = buf[:cut], buf[cut:]
        before = scan.opened_at
        scan.feed(body)
        if scan.opened_at != before and scan.opened_at is not None:
            line_at = lines + body.count(b"\n", 0, scan.opened_at - (scan.offset - len(body))) + 1
        lines += body.count(b"\n")
    before = scan.opened_at
    scan.feed(carry)
    if scan.opened_at != before and scan.opened_at is not None:
        line_at = lines + 1
    return line_at if scan.inside else None
