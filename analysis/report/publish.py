"""Where a report goes: the output folder's rules, the lock, the atomic swap, signals.

* **Only report folders are replaced.** ``--out`` may be a new folder, an empty one,
  or one that holds a previous report (recognised by its ``manifest.json``). Any other
  folder is refused with :class:`ReportOutputError` and nothing in it changes.
* **Symlinks stay symlinks.** A symlinked ``--out`` is resolved; the report is written
  to its target and the lock is taken on the resolved path, so two builds through
  different links to the same folder still exclude each other.
* **Atomic swap.** The build is made in a temporary folder beside the target and
  exchanged with the old report in one ``renameat2(RENAME_EXCHANGE)`` on Linux (two
  renames with roll-back elsewhere).
* **Interruptible.** During a build SIGTERM raises :class:`BuildInterrupted` (SIGINT
  raises ``KeyboardInterrupt`` as usual), so the temporary folder is removed, the
  kernels are shut down, the lock is released and the previous report stays as it was.
"""

from __future__ import annotations

import ctypes
import errno
import json
import os
import shutil
import sys
import uuid
from contextlib import AbstractContextManager
from pathlib import Path

from ..errors import AnalysisError, InputError
from ..io import file_lock, sigterm_raises

__all__ = [
    "BuildInterrupted",
    "ReportOutputError",
    "check_out",
    "lock",
    "publish",
    "resolve_out",
    "terminate_raises",
]

MANIFEST_NAME = "manifest.json"


class ReportOutputError(InputError):
    """``--out`` cannot hold a report (a file, or a folder of other files)."""


class BuildInterrupted(BaseException):
    """The build received SIGTERM; it cleaned up and left the previous report as it was."""


def resolve_out(out: Path) -> Path:
    """The folder the report is written to: ``out`` itself, or a symlink's target."""
    out = Path(out).absolute()
    return out.resolve() if out.is_symlink() else out


def is_report_folder(folder: Path) -> bool:
    """Whether ``folder`` holds a report this package built (a readable manifest)."""
    try:
        manifest = json.loads((folder / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(manifest, dict) and "fingerprint" in manifest and "manifest_version" in manifest


def check_out(target: Path) -> None:
    """Refuse a target that is a file, or a non-empty folder that is not a report."""
    if not target.exists():
        return
    if not target.is_dir():
        raise ReportOutputError(f"--out {target} exists and is not a folder; choose another --out")
    if any(target.iterdir()) and not is_report_folder(target):
        raise ReportOutputError(
            f"--out {target} is a folder that does not hold a report (no manifest.json); "
            "the report replaces its output folder as a whole, so give a new or empty folder"
        )


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two folders with renameat2(RENAME_EXCHANGE); False if unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    at_fdcwd, rename_exchange = -100, 2
    rc = fn(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    if rc == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def publish(tmp: Path, target: Path) -> None:
    """Move the finished build ``tmp`` into ``target``, replacing a previous report."""
    check_out(target)  # again, at the last moment: the folder may have changed meanwhile
    if not target.exists():
        os.rename(tmp, target)
        return
    if _exchange(tmp, target):
        shutil.rmtree(tmp, ignore_errors=True)  # tmp now holds the old report
        return
    old = target.with_name(f".{target.name}.old-{uuid.uuid4().hex[:8]}")
    os.rename(target, old)
    try:
        os.rename(tmp, target)
    except BaseException:
        os.rename(old, target)
        raise
    shutil.rmtree(old, ignore_errors=True)


def lock(target: Path, busy: type[AnalysisError]) -> AbstractContextManager[None]:
    """Hold an exclusive lock on ``.<name>.lock`` beside ``target`` for the build.

    Raises ``busy`` when another build holds it.
    """
    return file_lock(
        target, lambda p: busy(f"another report build is writing to {target} (lock {p}); try again later")
    )


def terminate_raises() -> AbstractContextManager[None]:
    """While active, SIGTERM raises :class:`BuildInterrupted` in the main thread."""
    return sigterm_raises(lambda: BuildInterrupted("the report build was terminated (SIGTERM)"))
