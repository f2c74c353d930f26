"""Loading the report's data the same way in every notebook and in the build."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from .. import config
from ..errors import InputError
from ..loading import load_incidents
from ..schema import PERPETRATORS
from ..sources.combine import keep_once

__all__ = ["ReportDataError", "load_report_data", "source_label"]


class ReportDataError(InputError):
    """The report's data selection is unusable (unknown perpetrator, empty window, ...)."""


def _as_paths(data: str | Path | Sequence[str | Path] | None) -> list[Path]:
    if data is None or (isinstance(data, (list, tuple)) and not data):
        return [config.BUNDLED_INCIDENTS]
    if isinstance(data, (str, Path)):
        return [Path(data)]
    return [Path(p) for p in data]


def source_label(data: str | Path | Sequence[str | Path] | None) -> str:
    """A short description of the data for figure captions."""
    paths = _as_paths(data)
    if len(paths) == 1 and paths[0].resolve() == config.BUNDLED_INCIDENTS.resolve():
        return "bundled curated dataset of notable attacks (data/incidents.csv)"
    return ", ".join(p.name for p in paths)


def check_perpetrator(perpetrator: str | None) -> str | None:
    """Validate a perpetrator filter against the schema vocabulary."""
    if perpetrator is None or perpetrator == "":
        return None
    if perpetrator not in PERPETRATORS:
        close = [p for p in PERPETRATORS if p.lower() == str(perpetrator).lower()]
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise ReportDataError(
            f"unknown perpetrator {perpetrator!r}; use one of {', '.join(PERPETRATORS)}.{hint}"
        )
    return perpetrator


def _once(frames: list[pd.DataFrame], names: list[str]) -> tuple[pd.DataFrame, int]:
    """The files' rows with each record once (the step of ``analysis ingest``:
    :func:`analysis.sources.combine.keep_once`), and how many repeats were dropped;
    a different record under an earlier file's ``incident_id`` is an error."""
    kept = keep_once(frames, names)
    for frame, conflict in zip(frames, kept.conflict, strict=True):
        if conflict.any():
            taken = frame.loc[conflict, "incident_id"].iloc[0]
            raise ReportDataError(
                f"incident_id {taken!r} names different records in more than one input file; "
                "merge the sources first or give each file distinct ids"
            )
    parts = [f[k] for f, k in zip(frames, kept.keep, strict=True)]
    df = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0].copy()
    return df, int(sum(r.sum() for r in kept.repeat))


def _load_one(path: Path, quarantine: Path | None) -> pd.DataFrame:
    """One input file as canonical incidents: a canonical file is validated, a GTD,
    ACLED, UCDP GED or RAND export is mapped by its adapter (as ``analysis ingest``
    does); ``attrs["validation"]`` holds rows read, accepted and quarantined either way."""
    from ..readers import sha256
    from ..sources import read_source
    from ..sources.detect import detect_file_format

    fmt = detect_file_format(path)
    if fmt == "canonical":
        return load_incidents(path, quarantine=quarantine)
    df = read_source(path, fmt, quarantine=quarantine)
    s = df.attrs["ingest"]
    df.attrs["validation"] = {
        "source": str(path),
        "format": fmt,
        "sha256": sha256(Path(path)),
        "rows_read": int(s.rows_in),
        "rows_accepted": int(s.rows_mapped),
        "rows_quarantined": int(s.rows_quarantined),
        "rule_counts": dict(s.reasons or {}),
    }
    return df


def load_report_data(
    data: str | Path | Sequence[str | Path] | None = None,
    *,
    perpetrator: str | None = None,
    start=None,
    end=None,
    quarantine_dir: str | Path | None = None,
) -> pd.DataFrame:
    """Load, validate, combine and filter the incident files a report analyses.

    Parameters
    ----------
    data : path or list of paths, optional
        Incident files (CSV or Parquet): canonical files, or GTD, ACLED, UCDP GED or
        RAND exports, which are mapped as :func:`analysis.read_source` maps them.
        Default: the bundled dataset.
    perpetrator : str, optional
        Keep only incidents with exactly this perpetrator value (so ``"ISKP"`` does not
        include ``"Taliban and/or ISKP"``). Default: all.
    start, end : date-like, optional
        Keep incidents whose best ``date`` lies in ``[start, end]``.
    quarantine_dir : path, optional
        Where invalid rows are set aside (one CSV per input file). When None, any
        invalid row raises :class:`analysis.IncidentValidationError`.

    Returns
    -------
    DataFrame
        The combined canonical frame, sorted by date then incident_id, each record
        once: a record that an earlier file already holds (same ``source_dataset`` and
        ``source_event_id``, or identical) is dropped, as ``analysis ingest`` does.
        ``attrs["validation"]`` is a list with each file's validation record and
        ``attrs["selection"]`` the filters applied and ``duplicates_dropped``.
    """
    paths = _as_paths(data)
    perpetrator = check_perpetrator(perpetrator)
    frames, records = [], []
    for i, p in enumerate(paths):
        q = None
        if quarantine_dir is not None:
            q = Path(quarantine_dir) / f"{i:02d}-{p.stem}.quarantine.csv"
        df = _load_one(p, q)
        if q is not None and not df.attrs["validation"]["rows_quarantined"]:
            q.unlink(missing_ok=True)
        records.append(dict(df.attrs["validation"]))
        frames.append(df)
    df, n_repeated = _once(frames, [str(p) for p in paths])
    n_all = len(df)
    lo = pd.Timestamp(start) if start not in (None, "") else None
    hi = pd.Timestamp(end) if end not in (None, "") else None
    if lo is not None and hi is not None and hi < lo:
        raise ReportDataError(f"end {hi.date()} is before start {lo.date()}")
    keep = pd.Series(True, index=df.index)
    if perpetrator is not None:
        keep &= df["perpetrator"] == perpetrator
    if lo is not None:
        keep &= df["date"] >= lo
    if hi is not None:
        keep &= df["date"] <= hi
    df = df.loc[keep.fillna(False).astype(bool)]
    if not len(df):
        what = f"perpetrator {perpetrator!r}" if perpetrator else "any perpetrator"
        raise ReportDataError(
            f"no incidents of {what} between {lo.date() if lo is not None else 'the start'} and "
            f"{hi.date() if hi is not None else 'the end'} in {', '.join(map(str, paths))}"
        )
    df = df.sort_values(["date", "incident_id"], kind="stable").reset_index(drop=True)
    df.attrs["validation"] = records
    df.attrs["selection"] = {
        "perpetrator": perpetrator,
        "start": None if lo is None else str(lo.date()),
        "end": None if hi is None else str(hi.date()),
        "duplicates_dropped": n_repeated,
        "rows_before_filter": n_all,
        "rows_selected": len(df),
    }
    return df
