"""Shared fixtures. Real third-party extracts live in ../shared/realdata; tests that
need them skip cleanly when the folder is absent (users will not have it)."""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

#: ../shared beside the checkout (seeds, report corpus, real extracts); tests only.
SHARED_DIR = Path(os.environ.get("ANALYSIS_SHARED_DIR", Path(__file__).resolve().parents[2] / "shared"))
REALDATA_DIR = SHARED_DIR / "realdata"


@pytest.fixture(scope="session")
def realdata_dir() -> Path:
    """The folder of real extracts; skips the test when it is absent."""
    d = REALDATA_DIR
    if not d.is_dir():
        pytest.skip(f"real-data extracts not available ({d})")
    return d


@pytest.fixture
def realdata(realdata_dir):
    """``realdata("gtd_2012_2015_afg.csv")`` -> Path, skipping when that file is absent."""

    def get(name: str) -> Path:
        p = realdata_dir / name
        if not p.exists():
            pytest.skip(f"real-data extract {name} not available")
        return p

    return get


@pytest.fixture
def shared_dir() -> Path:
    """../shared (seeds, reports corpus); skips when absent."""
    d = SHARED_DIR
    if not d.is_dir():
        pytest.skip(f"shared folder not available ({d})")
    return d
