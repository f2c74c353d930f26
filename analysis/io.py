"""Safe writers: atomic files, CSV cells a spreadsheet cannot execute, and path guards.

Every file the package writes goes through this module.

* **Atomic.** A file is written to a temporary name in its own folder and renamed into
  place (``os.replace``) only when it is complete, so a reader never sees half a file
  and an interrupted run (an error, Ctrl-C, SIGTERM) leaves the old file as it was and
  no temporary file behind.
* **No formulas.** Spreadsheets execute a cell whose text begins with ``=``, ``+``,
  ``-`` or ``@`` (and some begin one after a tab or carriage return), which lets text
  from a news report or a source export run as a formula when a user opens our CSV.
  Following OWASP's advice on CSV injection, :func:`write_csv` prefixes such a text
  cell with a single quote, which spreadsheets show as text and do not execute. A text
  cell that itself begins with a quote gets one more, so reading the file back with
  :func:`unescape_cell` restores every value exactly. Numbers stay numbers. Parquet
  files keep the raw values.
* **Distinct paths.** :func:`check_paths` refuses an output that is also an input or
  another output (after resolving symlinks), before anything is read or written.
* **One writer at a time, clean on SIGTERM.** :func:`file_lock` holds an exclusive
  lock beside an output while it is rebuilt; :func:`sigterm_raises` turns SIGTERM into
  an exception, so the ``finally`` blocks that remove temporary files run on a kill as
  they do on Ctrl-C.

Canonical incident tables and quarantines are written by :func:`write_incidents` and
:func:`write_quarantine`, as CSV or Parquet chosen by the suffix of ``out``. Readers live
in :mod:`analysis.readers`.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

import pandas as pd

from .errors import DataFileError, InputError

__all__ = [
    "FORMULA_TRIGGERS",
    "PathClashError",
    "atomic_write",
    "check_paths",
    "escape_cell",
    "escape_frame",
    "file_lock",
    "sigterm_raises",
    "unescape_cell",
    "unescape_frame",
    "write_csv",
    "write_incidents",
    "write_parquet",
    "write_quarantine",
    "write_text",
]

_PARQUET = (".parquet", ".pq")

#: First characters that make a spreadsheet treat a cell as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_QUOTE = "'"


class PathClashError(InputError):
    """An output path is also an input, or two outputs are the same file."""


_PLAIN_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def escape_cell(value: Any) -> Any:
    """``value`` with a leading quote if it is text a spreadsheet would execute.

    Text starting with a quote gets another, so that :func:`unescape_cell` is exact.
    Text that is a plain number ("-3", "+1.5") cannot execute and stays as it is.
    Anything that is not a ``str`` is returned unchanged.
    """
    if not isinstance(value, str) or not value:
        return value
    if value[0] == _QUOTE or (value[0] in FORMULA_TRIGGERS and not _PLAIN_NUMBER.fullmatch(value)):
        return _QUOTE + value
    return value


def unescape_cell(value: Any) -> Any:
    """The inverse of :func:`escape_cell`: drop one leading quote from text."""
    if isinstance(value, str) and value.startswith(_QUOTE):
        return value[1:]
    return value


_ESCAPE_FIRST = frozenset((*FORMULA_TRIGGERS, _QUOTE))


def _text_columns(frame: pd.DataFrame) -> list:
    return [
        c for c in frame.columns
        if pd.api.types.is_object_dtype(frame[c]) or pd.api.types.is_string_dtype(frame[c])
    ]


def _map_text(frame: pd.DataFrame, first: frozenset, fn) -> pd.DataFrame:
    """A copy of ``frame`` with ``fn`` applied to text cells whose first character is in ``first``."""
    out = frame.copy()
    for c in _text_columns(out):
        col = out[c]
        hit = col.map(lambda v: isinstance(v, str) and v[:1] in first and fn(v) != v).astype(bool)
        if bool(hit.any()):
            out[c] = col.astype(object).mask(hit, col[hit].map(fn))
    out.columns = [fn(c) if isinstance(c, str) and c[:1] in first else c for c in out.columns]
    return out


def escape_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells and column names are escaped (see :func:`escape_cell`)."""
    return _map_text(frame, _ESCAPE_FIRST, escape_cell)


def unescape_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The inverse of :func:`escape_frame`, for a frame read back from our CSV."""
    return _map_text(frame, frozenset(_QUOTE), unescape_cell)


@contextlib.contextmanager
def atomic_write(path: str | Path, mode: str = "w", **open_kw: Any) -> Iterator[IO]:
    """Open a temporary file beside ``path``; on success rename it to ``path``.

    On any exception, ``KeyboardInterrupt`` and ``SystemExit`` included, the temporary
    file is removed and ``path`` is left as it was. If ``path`` is a symlink, the file it
    points to is replaced and the link is kept.
    """
    target = Path(path)
    if target.is_symlink():
        target = target.resolve()
    if target.is_dir():
        raise IsADirectoryError(f"{path}: is a folder, not a file")
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, mode, **open_kw) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        with contextlib.suppress(OSError):  # keep the permissions a new file would have
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def write_text(text: str, path: str | Path, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``path`` atomically."""
    with atomic_write(path, "w", encoding=encoding, newline="") as fh:
        fh.write(text)
    return Path(path)


def write_csv(frame: pd.DataFrame, path: str | Path, *, index: bool = False, **to_csv_kw: Any) -> Path:
    """Write ``frame`` as CSV, atomically, with every executable text cell escaped.

    Keyword arguments go to :meth:`pandas.DataFrame.to_csv` (for example
    ``date_format``, ``float_format``).
    """
    if index:  # index labels are cells too
        frame, index = frame.reset_index(), False
    safe = escape_frame(frame)
    # The csv module quotes a field only for the characters of its line terminator: a
    # bare carriage return inside text would split the record unless CR is one of them.
    has_cr = any("\r" in str(c) for c in safe.columns) or any(
        safe[c].map(lambda v: isinstance(v, str) and "\r" in v).any() for c in _text_columns(safe)
    )
    to_csv_kw.setdefault("lineterminator", "\r\n" if has_cr else "\n")
    with atomic_write(path, "w", encoding="utf-8", newline="") as fh:
        safe.to_csv(fh, index=index, **to_csv_kw)
    return Path(path)


def write_parquet(frame: pd.DataFrame, path: str | Path, **to_parquet_kw: Any) -> Path:
    """Write ``frame`` as Parquet, atomically (raw values: Parquet holds no formulas)."""
    with atomic_write(path, "wb") as fh:
        frame.to_parquet(fh, **to_parquet_kw)
    return Path(path)


def _resolved(p: Path) -> Path:
    try:
        return p.resolve()
    except (OSError, RuntimeError):  # a loop of symbolic links
        raise InputError(f"{p} cannot be resolved (a loop of symbolic links?)") from None


def _same(a: Path, b: Path) -> bool:
    if a.exists() and b.exists():
        try:
            return os.path.samefile(a, b)
        except OSError:
            pass
    return _resolved(a) == _resolved(b)


def check_paths(inputs: Iterable[str | Path], outputs: Iterable[tuple[str, str | Path | None]]) -> None:
    """Refuse an output that is an input or another output, before anything is done.

    ``outputs`` is a sequence of ``(option name, path or None)``. Raises
    :class:`PathClashError` naming both sides, or :class:`InputError` for an output
    that exists and is not a regular file (a folder, a FIFO, a device), which a write
    would replace or block on.
    """
    ins = [Path(p) for p in inputs]
    outs = [(name, Path(p)) for name, p in outputs if p is not None]
    for name, out in outs:
        _resolved(out)
        if out.exists() and not out.is_file():
            raise InputError(f"{name} {out} exists and is not a regular file (a folder, FIFO or device); give a file path")
    for name, out in outs:
        for src in ins:
            if _same(out, src):
                raise PathClashError(f"{name} {out} is the input file {src}; choose another output path")
    for i, (name_a, a) in enumerate(outs):
        for name_b, b in outs[i + 1:]:
            if _same(a, b):
                raise PathClashError(f"{name_a} and {name_b} are the same file ({a}); give them different paths")


def write_incidents(data: pd.DataFrame, out: str | Path) -> Path:
    """Write a canonical incident frame as CSV (ISO dates) or Parquet, by the suffix.

    Atomic; text cells a spreadsheet would execute are escaped in CSV (see the module).

    Raises
    ------
    DataFileError
        When ``out`` ends in neither ``.csv`` nor ``.parquet``/``.pq``.
    """
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in (".csv", *_PARQUET):
        raise DataFileError(out, "output must end in .csv or .parquet")
    if suffix == ".csv":
        return write_csv(data, out, date_format="%Y-%m-%d")
    return write_parquet(data, out, index=False)


def write_quarantine(quarantined: pd.DataFrame, out: str | Path) -> Path:
    """Write quarantined rows (with ``row`` and ``reasons``) as CSV, or as Parquet (all
    columns as text) when ``out`` ends in ``.parquet``/``.pq``. Atomic and escaped."""
    out = Path(out)
    if out.suffix.lower() in _PARQUET:
        return write_parquet(quarantined.astype("str"), out, index=False)
    return write_csv(quarantined, out)


@contextlib.contextmanager
def file_lock(target: str | Path, busy: Callable[[Path], BaseException]) -> Iterator[None]:
    """Hold an exclusive lock on ``.<name>.lock`` beside ``target`` while the block runs.

    When another process holds it, ``busy(lock_path)`` is raised at once (no waiting).
    The lock file itself is left in place (removing it would race with a waiter).
    """
    target = Path(target)
    lock_path = target.with_name(f".{target.name}.lock")
    fh = open(lock_path, "a+")
    try:
        try:
            import fcntl

            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except ImportError:  # pragma: no cover - Windows: no locking
            pass
        except OSError as exc:
            raise busy(lock_path) from exc
        yield
    finally:
        fh.close()


@contextlib.contextmanager
def sigterm_raises(interrupted: Callable[[], BaseException]) -> Iterator[None]:
    """While the block runs, SIGTERM raises ``interrupted()`` in the main thread.

    Outside the main thread (where signals cannot be handled) the block runs unchanged.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum, frame):
        raise interrupted()

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
