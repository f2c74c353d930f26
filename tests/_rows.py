"""Hand-made canonical rows for the validation tests."""

from __future__ import annotations

import pandas as pd

from analysis.schema import COLUMNS


def good_row(**overrides) -> dict[str, object]:
    """A valid canonical row, as text (as read from a CSV)."""
    row: dict[str, object] = {c: "" for c in COLUMNS}
    row.update(
        incident_id="T-0001",
        date="2022-09-30",
        date_earliest="2022-09-30",
        date_latest="2022-09-30",
        date_precision="day",
        country="AFG",
        province="Kabul",
        province_code="AF-KAB",
        district="Dasht-e Barchi",
        place="an education centre",
        latitude="34.50",
        longitude="69.10",
        geo_precision="place",
        perpetrator="ISKP",
        attribution="attributed",
        attack_type="suicide_bombing",
        target_type="education",
        killed_low="53",
        killed_best="53",
        killed_high="53",
        wounded_low="110",
        wounded_best="110",
        wounded_high="110",
        source_dataset="curated",
        sources="Test outlet, 2022-12-05, a headline",
    )
    row.update({k: str(v) for k, v in overrides.items()})
    return row


def frame(*rows: dict[str, object]) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=list(COLUMNS)).replace("", pd.NA)


def write_csv(path, *rows: dict[str, object]):
    frame(*rows).to_csv(path, index=False)
    return path
