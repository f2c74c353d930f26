"""Running the command line in the test process, and the checks every run must pass."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

from click.testing import Result
from typer.testing import CliRunner

from analysis.cli import app

_runner = CliRunner()


def invoke(*args: object) -> Result:
    """``python -m analysis ARGS`` in this process (stdout and stderr kept apart)."""
    return _runner.invoke(app, [str(a) for a in args])


def run(*args: object, timeout: float = 120) -> subprocess.CompletedProcess:
    """``python -m analysis ARGS`` in a new process."""
    return subprocess.run(
        [sys.executable, "-m", "analysis", *map(str, args)], capture_output=True, text=True, timeout=timeout
    )


def assert_clean_exit(result: Result) -> None:
    """Exit 0, 1 or 2; no exception escaped and no traceback or internal error shown."""
    assert result.exit_code in (0, 1, 2), (result.exit_code, result.output)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output and "internal error" not in result.output, result.output


def assert_one_line_error(result: Result, *fragments: str) -> None:
    """Exit 2 with one ``error:`` line on stderr that holds every fragment."""
    assert_clean_exit(result)
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])


def digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def summary_count(output: str, label: str) -> int:
    """The number after ``label:`` in a command's summary (the first such line)."""
    for line in output.splitlines():
        if line.strip().startswith(label + ":"):
            return int(line.split(":", 1)[1].split()[0])
    raise AssertionError(f"no {label!r} line in:\n{output}")
