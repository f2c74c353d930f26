"""The report manifest: what went in (file hashes, parameters, code), what ran it
(package versions, git commit, Python), and how long each notebook took.

The *fingerprint* is the part that decides whether a rebuild is needed
(``--if-changed``): the SHA-256 of every input data file and notebook, of the
``analysis`` package source, and the parameters. Timings, the build time stamp and
package versions are recorded but are not part of it.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import platform
import subprocess
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

PACKAGE_DIR = Path(__file__).resolve().parents[1]

__all__ = [
    "MANIFEST_NAME",
    "code_sha256",
    "file_sha256",
    "fingerprint",
    "git_commit",
    "package_versions",
    "read_manifest",
    "write_manifest",
]

MANIFEST_NAME = "manifest.json"
#: Distributions whose versions are recorded (those that are installed).
PACKAGES = (
    "afghan-violence-analysis",
    "numpy",
    "pandas",
    "scipy",
    "statsmodels",
    "pandera",
    "matplotlib",
    "pyarrow",
    "numba",
    "hijridate",
    "ruptures",
    "powerlaw",
    "papermill",
    "nbclient",
    "nbformat",
    "ipykernel",
    "jupytext",
    "mistune",
)


def file_sha256(path: str | Path, chunk: int = 1 << 20) -> str:
    """SHA-256 hex digest of a file's bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            h.update(block)
    return h.hexdigest()


def code_sha256(root: Path = PACKAGE_DIR) -> str:
    """One SHA-256 over the package's ``.py`` and ``.mplstyle`` files (path + bytes)."""
    h = hashlib.sha256()
    files = sorted(p for p in root.rglob("*") if p.suffix in (".py", ".mplstyle"))
    for p in files:
        rel = p.relative_to(root).parts
        if "__pycache__" in rel or rel[0] == "_bundled":  # notebooks are hashed on their own
            continue
        h.update(p.relative_to(root).as_posix().encode())
        h.update(b"\0")
        h.update(p.read_bytes())
        h.update(b"\0")
    return h.hexdigest()


def package_versions(names: Iterable[str] = PACKAGES) -> dict[str, str]:
    """Installed versions of ``names`` (missing ones are left out)."""
    out = {"python": platform.python_version()}
    for n in names:
        try:
            out[n] = importlib.metadata.version(n)
        except importlib.metadata.PackageNotFoundError:
            continue
    return out


def git_commit(package_dir: Path = PACKAGE_DIR) -> dict[str, Any]:
    """``{"commit": sha or None, "dirty": bool or None}`` of the checkout the package runs from.

    None for an installed wheel, including one whose site-packages lies inside some
    other git repository (the checkout must hold this very package at its top level).
    """
    none: dict[str, Any] = {"commit": None, "dirty": None}
    try:
        top = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"],
            cwd=package_dir, capture_output=True, text=True, timeout=10,
        )
        if top.returncode != 0 or Path(top.stdout.strip()) / "analysis" != package_dir:
            return none
        cwd = package_dir.parent
        sha = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=cwd, capture_output=True, text=True, timeout=10
        )
        if sha.returncode != 0:
            return none
        st = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=10,
        )
        return {"commit": sha.stdout.strip(), "dirty": bool(st.stdout.strip())}
    except (OSError, subprocess.SubprocessError):
        return none


def fingerprint(
    data: Mapping[str, str], notebooks: Mapping[str, str], parameters: Mapping[str, Any], code: str
) -> str:
    """SHA-256 over input hashes, notebook hashes, code hash and parameters (canonical JSON)."""
    payload = json.dumps(
        {
            "data": dict(sorted(data.items())),
            "notebooks": dict(sorted(notebooks.items())),
            "parameters": parameters,
            "code": code,
        },
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def read_manifest(out: str | Path) -> dict[str, Any] | None:
    """The manifest of the report in ``out``, or None when there is none (or unreadable)."""
    p = Path(out) / MANIFEST_NAME
    try:
        return json.loads(p.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_manifest(out: str | Path, manifest: Mapping[str, Any]) -> Path:
    """Write ``manifest.json`` (sorted keys, indented) into ``out``."""
    p = Path(out) / MANIFEST_NAME
    p.write_text(
        json.dumps(manifest, indent=2, sort_keys=True, default=str) + "\n", encoding="utf-8"
    )
    return p


def environment() -> dict[str, Any]:
    """Python executable and platform, for the manifest."""
    return {
        "python_executable": sys.executable,
        "platform": platform.platform(),
        "machine": platform.machine(),
    }
