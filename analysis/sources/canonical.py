"""The canonical schema itself as a source: read with :func:`analysis.loading.read_table`
and mapped as is (validation happens once, in :func:`analysis.sources.read_source`)."""

from __future__ import annotations

import pandas as pd

from ..schema import COLUMNS, REQUIRED_COLUMNS
from ._common import Issues, Mapped, canonical_frame, count_raw

NAME = "canonical"
SIGNATURE = REQUIRED_COLUMNS
COLUMNS_USED = COLUMNS


def to_canonical(raw: pd.DataFrame) -> Mapped:
    """Pass the canonical columns through; the schema checks them."""
    issues = Issues()
    present = {c: raw[c] for c in COLUMNS if c in raw.columns}
    frame = pd.DataFrame(present, index=raw.index)
    killed = count_raw(raw["killed_best"], "killed_best", Issues())[1] if "killed_best" in raw.columns else None
    wounded = count_raw(raw["wounded_best"], "wounded_best", Issues())[1] if "wounded_best" in raw.columns else None
    nan = pd.Series(pd.NA, index=raw.index, dtype="Float64")
    return Mapped(
        frame,
        issues.frame(),
        killed.astype("Float64") if killed is not None else nan,
        wounded.astype("Float64") if wounded is not None else nan,
    )


__all__ = ["NAME", "SIGNATURE", "canonical_frame", "to_canonical"]
