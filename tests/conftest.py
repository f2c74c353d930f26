"""Shared fixtures. Real third-party extracts live in ../shared/realdata; tests that
need them skip cleanly when the folder is absent (users will not have it)."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

from analysis import config


@pytest.fixture(scope="session")
def realdata_dir() -> Path:
    """The folder of real extracts; skips the test when it is absent."""
    d = config.REALDATA_DIR
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
    d = config.SHARED_DIR
    if not d.is_dir():
        pytest.skip(f"shared folder not available ({d})")
    return d
