"""The values an adapter cannot map: each is recorded as (row index, column, rule,
value), and its row is quarantined with the rule as its reason.

The canonical rules (checked after mapping) are in :data:`analysis.schema.RULES`; the
mapping rules are here.
"""

from __future__ import annotations

import pandas as pd

__all__ = ["ISSUE_COLUMNS", "MAPPING_RULES", "Issues"]

ISSUE_COLUMNS = ("_index", "column", "rule", "value")

#: Messages of the mapping rules (the canonical rules are in analysis.schema.RULES).
MAPPING_RULES: dict[str, str] = {
    "date_unparseable": "date not in a format the source uses",
    "date_missing": "no date given",
    "date_impossible": "year/month/day do not form a date",
    "count_not_a_number": "casualty count is not a non-negative number",
    "count_fractional": "casualty count is a fraction where the source gives whole numbers",
    "perpetrators_exceed_killed": "more perpetrators killed than people killed (victims only cannot be counted)",
    "code_unknown": "code not in the source's codebook",
    "number_unparseable": "not a number",
    "province_unknown": "province spelling not in the gazetteer (add a variant or fix the row)",
    "country_unknown": "country name not recognised",
    "id_missing": "the source's event identifier is missing",
}


class Issues:
    """Collects (row index, column, rule, value) for values an adapter cannot map."""

    def __init__(self) -> None:
        self._parts: list[pd.DataFrame] = []

    def add(self, mask: pd.Series, column: str, rule: str, values=None) -> None:
        """Record ``rule`` for the rows where ``mask`` holds. ``values`` (a Series, or a
        callable returning one, evaluated only when some row fails) gives the values
        shown in the report."""
        mask = mask.fillna(False).astype(bool) if mask.dtype != bool else mask
        if not mask.any():
            return
        idx = mask.index[mask.to_numpy()]
        if callable(values):
            values = values()
        vals = values.loc[idx].astype("object").to_numpy() if values is not None else [None] * len(idx)
        self._parts.append(pd.DataFrame({"_index": idx, "column": column, "rule": rule, "value": vals}))

    def frame(self) -> pd.DataFrame:
        """Every issue recorded, one line each (columns :data:`ISSUE_COLUMNS`)."""
        if not self._parts:
            return pd.DataFrame({c: pd.Series([], dtype="object") for c in ISSUE_COLUMNS})
        return pd.concat(self._parts, ignore_index=True)
