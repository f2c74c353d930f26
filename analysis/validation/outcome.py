"""What a validation produced: :class:`ValidationOutcome`, and the error raised when
rows fail and no quarantine was given."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from ..errors import InputError

__all__ = ["IncidentValidationError", "ValidationOutcome", "rule_count_lines"]


def rule_count_lines(title: str, counts: Mapping[str, int], width: int) -> list[str]:
    """``title`` and one line per rule, most frequent first (empty when no rule failed)."""
    if not counts:
        return []
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return [f"  {title}:", *(f"    {rule:<{width}} {n}" for rule, n in ordered)]


@dataclass(frozen=True)
class ValidationOutcome:
    """The result of validating a table.

    ``n_read == len(valid) + len(quarantined)`` always holds.
    """

    source: str
    valid: pd.DataFrame
    quarantined: pd.DataFrame
    report: pd.DataFrame
    sha256: str | None = None
    rule_counts: dict[str, int] = field(default_factory=dict)

    @property
    def n_read(self) -> int:
        return len(self.valid) + len(self.quarantined)

    @property
    def n_accepted(self) -> int:
        return len(self.valid)

    @property
    def n_quarantined(self) -> int:
        return len(self.quarantined)

    def summary(self) -> str:
        lines = [
            f"{self.source}",
            f"  rows read:        {self.n_read}",
            f"  rows accepted:    {self.n_accepted}",
            f"  rows quarantined: {self.n_quarantined}",
        ]
        lines += rule_count_lines("failures by rule (a row can break several)", self.rule_counts, 34)
        return "\n".join(lines)


class IncidentValidationError(InputError):
    """Rows failed validation and no quarantine was given.

    Attributes
    ----------
    report : pandas.DataFrame
        One line per (row, column, rule): ``row``, ``incident_id``, ``column``,
        ``rule``, ``message``, ``value``.
    outcome : ValidationOutcome
        The full outcome, including the valid rows.
    """

    def __init__(self, outcome: ValidationOutcome):
        self.outcome = outcome
        self.report = outcome.report
        n_bad = outcome.n_quarantined
        lines = [
            f"{outcome.source}: {n_bad} of {outcome.n_read} rows failed validation "
            "(pass quarantine=PATH to keep the valid rows and set these aside):"
        ]
        shown = self.report.head(50)
        for r in shown.itertuples(index=False):
            value = "" if pd.isna(r.value) else f" (value {str(r.value)[:40]!r})"
            lines.append(f"  row {r.row} [{r.incident_id}] {r.column}: {r.rule} - {r.message}{value}")
        if len(self.report) > len(shown):
            lines.append(f"  ... and {len(self.report) - len(shown)} more; see .report")
        super().__init__("\n".join(lines))
