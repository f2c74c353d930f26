"""Helpers shared by the source-adapter tests."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

FIXTURES = Path(__file__).parents[1] / "fixtures" / "sources"


def fixture(name: str) -> Path:
    return FIXTURES / name


def by_id(df: pd.DataFrame) -> pd.DataFrame:
    return df.set_index("incident_id")


def assert_balanced(summary) -> None:
    """rows in = mapped + quarantined (+ duplicates of earlier files), and the casualty
    totals add up."""
    assert summary.rows_in == summary.rows_mapped + summary.rows_quarantined + summary.duplicates_dropped
    assert summary.totals_agree, summary.summary()


def reasons_by(outcome, key: str = "row") -> dict:
    """The quarantine reasons of an ingest outcome, by ``key`` (a quarantined column)."""
    q = outcome.quarantined
    return dict(zip(q[key], q["reasons"], strict=True))


def read_real(path: Path, tmp_path: Path):
    """A real extract as text, its ingest (quarantine in ``tmp_path``), the summary and
    the quarantine file as text: ``raw, df, summary, quarantined``."""
    from analysis.sources import read_source

    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    df = read_source(path, quarantine=tmp_path / "q.csv")
    q = pd.read_csv(tmp_path / "q.csv", dtype=str, keep_default_na=False)
    return raw, df, df.attrs["ingest"], q
