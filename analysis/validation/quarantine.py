"""The quarantine: splitting a validated table into its valid rows and the rows set
aside, each with the rules it broke. Nothing is dropped: rows read = rows valid + rows
quarantined, always.

The failure report has one line per (row, column, rule), in :data:`REPORT_COLUMNS`; a
quarantined row's ``reasons`` joins its ``column: rule`` pairs, with a hint where one
helps (a province name the gazetteer does not know: ``province: province_known
(Kandahr: did you mean Kandahar?)``).
"""

from __future__ import annotations

import pandas as pd

from .. import gazetteer
from ..readers import ROW
from ..schema import COLUMNS, RULES
from .outcome import ValidationOutcome

__all__ = ["HINTS", "REASONS", "REPORT_COLUMNS", "hints", "reasons_by_row", "split", "structure_failures"]

REASONS = "reasons"
REPORT_COLUMNS = [ROW, "incident_id", "column", "rule", "message", "value"]

#: Rules whose reason carries a hint made from the failing value.
HINTS = {"province_known": gazetteer.did_you_mean, "province_unknown": gazetteer.did_you_mean}


def hints(report: pd.DataFrame) -> pd.Series:
    """A hint for each line of a report (missing where its rule has none), made once
    per distinct (rule, value)."""
    out = pd.Series(None, index=report.index, dtype="str")
    hinted = report["rule"].isin(list(HINTS)).to_numpy()
    if hinted.any():
        sub = report.loc[hinted, ["rule", "value"]].astype({"value": "str"})
        made = {k: HINTS[k[0]](k[1]) for k in dict.fromkeys(zip(sub["rule"], sub["value"], strict=True))}
        out[hinted] = [made[k] for k in zip(sub["rule"], sub["value"], strict=True)]
    return out


def reasons_by_row(report: pd.DataFrame) -> pd.Series:
    """``"column: rule; column: rule"`` for each ``row`` of a report (a row-level failure
    such as ``csv_structure``, with no column, reads ``row: rule``), each with its hint
    in brackets where it has one."""
    pairs = report["column"].where(report["column"] != "", "row") + ": " + report["rule"]
    hint = hints(report)
    pairs = pairs.where(hint.isna(), pairs + " (" + hint + ")")
    return pairs.groupby(report[ROW], sort=False).agg(lambda s: "; ".join(dict.fromkeys(s)))


def structure_failures(bad_lines: pd.DataFrame) -> pd.DataFrame:
    """Report lines for malformed CSV lines (``row``, ``raw``): rule ``csv_structure``."""
    return pd.DataFrame(
        {
            ROW: bad_lines[ROW].to_numpy(),
            "incident_id": pd.NA,
            "column": "",
            "rule": "csv_structure",
            "message": RULES["csv_structure"],
            "value": bad_lines["raw"].to_numpy(),
        }
    )


def _report(failures: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """Failures (``_index``, ``column``, ``rule``, ``value``) in report form."""
    report = failures.drop_duplicates(subset=["_index", "column", "rule"])
    report[ROW] = table.loc[report["_index"], ROW].to_numpy() if len(report) else []
    report["incident_id"] = table.loc[report["_index"], "incident_id"].to_numpy() if len(report) else []
    report["message"] = report["rule"].map(RULES).fillna("check failed")
    return report


def split(
    table: pd.DataFrame,
    typed: pd.DataFrame,
    failures: pd.DataFrame,
    *,
    source: str,
    sha256: str | None = None,
    bad_lines: pd.DataFrame | None = None,
) -> ValidationOutcome:
    """Valid rows (typed, canonical columns), quarantined rows (as read, with ``row`` and
    ``reasons``) and the report, from the failures of ``typed``.

    ``table`` is the table as read (with ``row``), ``typed`` the same rows coerced, and
    ``bad_lines`` the malformed CSV lines (``row``, ``raw``, ``reasons``), which are
    quarantined with their raw text in ``raw_line``.
    """
    report = _report(failures, table).sort_values([ROW, "column", "rule"], kind="stable")
    bad_idx = pd.Index(report["_index"].unique())
    valid = (typed.drop(index=bad_idx) if len(bad_idx) else typed).reset_index(drop=True)
    valid = valid[list(COLUMNS)]
    quarantined = table.loc[bad_idx].copy() if len(bad_idx) else table.iloc[0:0].copy()
    if len(report):
        quarantined[REASONS] = quarantined[ROW].map(reasons_by_row(report))
    else:
        quarantined[REASONS] = pd.Series([], dtype="str")
    report = report[REPORT_COLUMNS]
    if bad_lines is not None and len(bad_lines):
        quarantined = pd.concat([quarantined, bad_lines.rename(columns={"raw": "raw_line"})], ignore_index=True)
        report = pd.concat([report, structure_failures(bad_lines)], ignore_index=True)
    quarantined = quarantined.sort_values(ROW).reset_index(drop=True)
    report = report.sort_values([ROW, "column", "rule"], kind="stable").reset_index(drop=True)
    counts = report["rule"].value_counts().to_dict()
    return ValidationOutcome(
        source=source,
        valid=valid,
        quarantined=quarantined,
        report=report,
        sha256=sha256,
        rule_counts={str(k): int(v) for k, v in counts.items()},
    )
