"""What happened to every row of an ingest: :class:`IngestSummary`, and the totals that
show nothing was lost (rows in = mapped + quarantined; killed and wounded likewise)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from ..validation.outcome import rule_count_lines

__all__ = ["IngestSummary", "add_up", "canonical_totals", "perpetrator_counts", "total"]


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-6 * max(1.0, abs(a))


def _fmt(x: float) -> str:
    return f"{x:.0f}" if float(x).is_integer() else f"{x:.2f}"


def total(s: pd.Series) -> float:
    """The sum of the known values (0 for an empty column)."""
    return float(s.sum(skipna=True)) if len(s) else 0.0


def perpetrator_counts(valid: pd.DataFrame) -> dict[str, int]:
    return {str(k): int(v) for k, v in valid["perpetrator"].value_counts().items()}


class IngestSummary(dict):
    """What happened to every row of one ingested export (a ``dict`` with attribute
    access, so it survives ``df.attrs`` copies and Parquet's JSON metadata).

    ``rows_in == rows_mapped + rows_quarantined + duplicates_dropped`` always holds
    (duplicates: records already read from an earlier file, see
    :func:`~.combine.ingest_files`). The casualty totals ``killed_in``,
    ``killed_mapped``, ... are sums of the source's own figures (killed: GTD ``nkill``,
    ACLED ``fatalities``, UCDP ``best``, RAND ``Fatalities``; wounded likewise) over the
    rows where they parse; ``killed_in == killed_mapped + killed_quarantined +
    killed_duplicates`` is checked (``totals_agree``). ``killed_low``, ``killed_best``
    and ``killed_high`` (and wounded) are the canonical totals of the mapped rows, which
    differ from the source's where it gives fractions (GTD) or when ``victims_only``
    left out the perpetrators. ``unknown_columns`` maps each column the layout does not
    know to the closest known name. ``print(summary)`` shows it as text.
    """

    def __init__(
        self,
        source: str,
        format: str,
        rows_in: int,
        rows_mapped: int,
        rows_quarantined: int,
        reasons: Mapping[str, int] | None = None,
        killed_in: float = 0.0,
        killed_mapped: float = 0.0,
        killed_quarantined: float = 0.0,
        wounded_in: float = 0.0,
        wounded_mapped: float = 0.0,
        wounded_quarantined: float = 0.0,
        perpetrators: Mapping[str, int] | None = None,
        **extra: object,
    ):
        super().__init__(
            source=source,
            format=format,
            rows_in=int(rows_in),
            rows_mapped=int(rows_mapped),
            rows_quarantined=int(rows_quarantined),
            reasons=dict(reasons or {}),
            killed_in=float(killed_in),
            killed_mapped=float(killed_mapped),
            killed_quarantined=float(killed_quarantined),
            wounded_in=float(wounded_in),
            wounded_mapped=float(wounded_mapped),
            wounded_quarantined=float(wounded_quarantined),
            perpetrators=dict(perpetrators or {}),
        )
        unknown = set(extra) - set(EXTRA)
        if unknown:
            raise TypeError(f"IngestSummary got unexpected fields {sorted(unknown)}")
        for k, default in EXTRA.items():
            value = extra.get(k, default)
            self[k] = dict(value) if isinstance(default, dict) else type(default)(value)
        self["totals_agree"] = self._agree()

    def __getattr__(self, name: str):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def _agree(self) -> bool:
        return bool(
            self["rows_in"] == self["rows_mapped"] + self["rows_quarantined"] + self["duplicates_dropped"]
            and _close(self["killed_in"], self["killed_mapped"] + self["killed_quarantined"] + self["killed_duplicates"])
            and _close(
                self["wounded_in"], self["wounded_mapped"] + self["wounded_quarantined"] + self["wounded_duplicates"]
            )
        )

    def to_dict(self) -> dict[str, object]:
        return dict(self)

    def _toll_lines(self) -> list[str]:
        lines = []
        for stem in ("killed", "wounded"):
            dup = f" + duplicates {_fmt(self[f'{stem}_duplicates'])}" if self["duplicates_dropped"] else ""
            lines.append(
                f"  {stem:<7} in {_fmt(self[f'{stem}_in'])} = mapped {_fmt(self[f'{stem}_mapped'])}"
                f" + quarantined {_fmt(self[f'{stem}_quarantined'])}{dup}"
            )
        lo, best, hi = (self[f"killed_{k}"] for k in ("low", "best", "high"))
        who = "victims only, " if self["victims_only"] else ""
        lines.append(f"  killed as mapped ({who}low/best/high): {_fmt(lo)} / {_fmt(best)} / {_fmt(hi)}")
        return lines

    def summary(self) -> str:
        ok = "yes" if self.totals_agree else "NO"
        lines = [
            f"{self.source} ({self.format})",
            f"  rows in:          {self.rows_in}",
            f"  rows mapped:      {self.rows_mapped}",
            f"  rows quarantined: {self.rows_quarantined}",
        ]
        if self.duplicates_dropped:
            lines.append(f"  duplicates dropped: {self.duplicates_dropped} (records already read from an earlier file)")
        lines += [*self._toll_lines(), f"  totals agree:     {ok}"]
        for name, closest in self.unknown_columns.items():
            hint = f" (closest known name: {closest})" if closest else ""
            lines.append(f"  unknown column, not used: {name}{hint}")
        lines += rule_count_lines("quarantine reasons (a row can have several)", self.reasons, 40)
        return "\n".join(lines)

    __str__ = summary

    def _repr_pretty_(self, p, cycle) -> None:  # IPython
        p.text(self.summary())

    def _repr_html_(self) -> str:
        import html

        return "<pre>" + html.escape(self.summary()) + "</pre>"


#: Fields beyond the row and source-figure accounting, with their defaults.
EXTRA: dict[str, object] = {
    "duplicates_dropped": 0,
    "killed_duplicates": 0.0,
    "wounded_duplicates": 0.0,
    **{f"{stem}_{k}": 0.0 for stem in ("killed", "wounded") for k in ("low", "best", "high")},
    "victims_only": False,
    "unknown_columns": {},
}
_ADDED = (
    "rows_in", "killed_in", "killed_mapped", "killed_quarantined", "wounded_in", "wounded_mapped",
    "wounded_quarantined", "duplicates_dropped", "killed_duplicates", "wounded_duplicates",
)  # fmt: skip


def canonical_totals(valid: pd.DataFrame) -> dict[str, float]:
    """The killed and wounded low/best/high totals of canonical rows."""
    return {f"{s}_{k}": total(valid[f"{s}_{k}"]) for s in ("killed", "wounded") for k in ("low", "best", "high")}


def add_up(summaries: Iterable[IngestSummary], valid: pd.DataFrame, n_quarantined: int) -> IngestSummary:
    """One summary for several files: their figures added, formats listed once each,
    and the rows, canonical totals and perpetrators of the combined ``valid`` table."""
    summaries = list(summaries)
    reasons: dict[str, int] = {}
    unknown: dict[str, str | None] = {}
    for s in summaries:
        for k, v in s.reasons.items():
            reasons[k] = reasons.get(k, 0) + v
        unknown |= s.unknown_columns
    return IngestSummary(
        source=", ".join(s.source for s in summaries),
        format=", ".join(dict.fromkeys(s.format for s in summaries)),
        rows_mapped=len(valid),
        rows_quarantined=n_quarantined,
        reasons=reasons,
        perpetrators=perpetrator_counts(valid),
        victims_only=any(s.victims_only for s in summaries),
        unknown_columns=unknown,
        **canonical_totals(valid),
        **{k: sum(s[k] for s in summaries) for k in _ADDED},
    )
