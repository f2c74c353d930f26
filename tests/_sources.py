"""Helpers shared by the source-adapter tests."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

FIXTURES = Path(__file__).parent / "fixtures" / "sources"


def fixture(name: str) -> Path:
    return FIXTURES / name


def by_id(df: pd.DataFrame) -> pd.DataFrame:
    return df.set_index("incident_id")


def assert_balanced(summary) -> None:
    """rows in = mapped + quarantined, and the casualty totals add up."""
    assert summary.rows_in == summary.rows_mapped + summary.rows_quarantined
    assert summary.totals_agree, summary.summary()
