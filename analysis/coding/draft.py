"""Draft incident records from a news report, with the words behind every field.

:func:`draft_incidents` reads one report and returns candidate records in the
canonical schema (:data:`analysis.schema.COLUMNS`) plus:

* ``kind``: ``"attack"`` (an incident), ``"aggregate"`` (a total over a period, "at
  least 96 people have been killed in the last two months") or
  ``"counter_terrorism"`` (arrests, raids and operations against militants). Only
  attacks are incidents; :func:`to_incidents` keeps those, in the schema's columns;
* ``evidence_date``, ``evidence_place``, ``evidence_killed``, ``evidence_wounded``,
  ``evidence_civilians``, ``evidence_perpetrator``, ``evidence_attack_type``,
  ``evidence_target_type``: the exact text each field was coded from (several
  spans are joined by " | "); every span is a substring of the cleaned report
  (:func:`analysis.coding.text.clean_text`);
* ``paragraphs`` (the report's paragraphs the record rests on, 1-based),
  ``source_file``, ``published`` (the anchor used, if any), ``detained_best`` (for
  counter-terrorism) and ``flags`` (what a reviewer must look at).

The pipeline: the text is cleaned and split into sentences (:mod:`.text`); each
sentence is read for its casualty figures, dates, places and attribution cues
(:mod:`.units`); the sentences are gathered into event frames, one per attack, with
earlier attacks recalled in passing as frames of their own (:mod:`.frames`); frames
that report no attack (references to an anniversary, a trial or a threat, tallies,
general remarks) make no attack record; each remaining frame becomes one record
(:mod:`.records`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import warnings
from collections import Counter
from pathlib import Path

import pandas as pd

from ..errors import AnalysisWarning, InputError
from ..schema import COLUMNS, COUNT_COLUMNS, DATE_COLUMNS, FLOAT_COLUMNS
from .dates import infer_publication_date, publication_bounds, to_date
from .frames import build_frames
from .records import FLOOR, Report, keep_frame, make_record, report_place
from .text import MAX_CHARS, Sentence, TextInputError, clean_text, english_score, split_sentences
from .units import Unit, read_sentence

KINDS = ("attack", "aggregate", "counter_terrorism")
EVIDENCE_COLUMNS = (
    "evidence_date",
    "evidence_place",
    "evidence_killed",
    "evidence_wounded",
    "evidence_civilians",
    "evidence_perpetrator",
    "evidence_attack_type",
    "evidence_target_type",
)
EXTRA_COLUMNS = ("kind", *EVIDENCE_COLUMNS, "paragraphs", "source_file", "published", "detained_best", "flags")
DRAFT_COLUMNS: tuple[str, ...] = (*COLUMNS, *EXTRA_COLUMNS)

#: Below this share of common English words a text is not read as English.
MIN_ENGLISH_SCORE = 0.08
_HEADING_END = re.compile(r"[.!?:;,\"”’)]\s*$")


class DraftWarning(AnalysisWarning):
    """A report could not be drafted (empty, not English, cut at MAX_CHARS...)."""


def _frame(rows: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=list(DRAFT_COLUMNS))
    for c in DATE_COLUMNS:
        df[c] = pd.to_datetime(df[c]).astype("datetime64[ns]")
    df["published"] = pd.to_datetime(df["published"]).astype("datetime64[ns]")
    for c in (*COUNT_COLUMNS, "detained_best"):
        df[c] = pd.array(df[c].tolist(), dtype="Int64")
    for c in FLOAT_COLUMNS:
        df[c] = df[c].astype("float64")
    for c in df.columns:
        if c not in (*DATE_COLUMNS, "published", *COUNT_COLUMNS, "detained_best", *FLOAT_COLUMNS):
            df[c] = df[c].astype("str").where(df[c].notna(), None).astype("str")
            df[c] = df[c].where(~df[c].isin(["None", "nan"]), pd.NA)
    return df


def _empty(flag: str, source: str | None) -> pd.DataFrame:
    df = _frame([])
    df.attrs["flags"] = [flag]
    df.attrs["source"] = source
    warnings.warn(f"{source or 'text'}: {flag}; no drafts", DraftWarning, stacklevel=3)
    return df


def draft_incidents(text: str, *, published: object = None, source: str | None = None) -> pd.DataFrame:
    """Draft incident records from the text of one news report.

    Parameters
    ----------
    text : str
        The report, as plain text or HTML (markup is stripped).
    published : date, datetime, pandas.Timestamp or "YYYY-MM-DD", optional
        Publication date. Relative dates ("on Saturday", "last December") are
        resolved against it. Without it, a date printed in the text as the
        publication date ("Published ...", a wire dateline, "appeared in the print
        edition ... on ...") is used; failing that, windows span every possible
        publication date and the ``flags`` column says so.
    source : str, optional
        Name of the report (a file name or URL), recorded in ``sources``,
        ``evidence`` and ``source_file``.

    Returns
    -------
    pandas.DataFrame
        One row per draft record, columns :data:`DRAFT_COLUMNS`: the canonical
        schema, then ``kind`` (attack / aggregate / counter_terrorism), the
        evidence columns and review columns. Empty (with a :class:`DraftWarning`
        and ``df.attrs["flags"]``) for empty or non-English text.

    Raises
    ------
    TextInputError
        If ``text`` is not a string (a ``TypeError`` and an ``AnalysisError``).
    InputError
        If ``published`` is not a date, or not a date between 1970 and today.
    """
    clean, pub, report_flags = _prepare(text, published)
    if not clean.strip():
        return _empty("empty text", source)
    if english_score(clean) < MIN_ENGLISH_SCORE:
        return _empty("text does not look like English", source)
    bounds = publication_bounds(clean) if pub is None else (pub, pub)
    if pub is None:
        report_flags.append("no publication date: relative dates have wide windows")
    sentences = split_sentences(clean)
    units = _read(sentences, pub, bounds)
    frames = build_frames(units, pub, bounds)
    report = Report(
        report_id=hashlib.sha1((source or clean[:2000]).encode("utf-8")).hexdigest()[:8],
        source=source, published=pub, bounds=bounds,
        period=next((d for f in frames if f.kind == "aggregate" for u in f.units for d in u.dates
                     if d.role == "period"), None),
        place=report_place(units),
        headline=sentences[0].text[:160] if sentences else None,
    )
    rows = [make_record(f, i + 1, report) for i, f in enumerate(f for f in frames if keep_frame(f))]
    for r in rows:
        if report_flags:
            r["flags"] = "; ".join(filter(None, [r["flags"], *report_flags]))
    df = _frame(rows)
    df.attrs["flags"] = report_flags
    df.attrs["source"] = source
    df.attrs["text"] = clean
    return df


def _prepare(text: object, published: object) -> tuple[str, dt.date | None, list[str]]:
    """Check the input; the cleaned text, the publication date and the report's flags."""
    if isinstance(text, bytes):
        raise TextInputError("text must be str; decode bytes first (for example data.decode('utf-8'))")
    if not isinstance(text, str):
        raise TextInputError(f"text must be str, not {type(text).__name__}")
    pub = to_date(published)
    if pub is not None and not (FLOOR <= pub <= dt.date.today() + dt.timedelta(days=1)):
        raise InputError(
            f"published={pub.isoformat()} is outside 1970-01-01 .. today; give the report's real publication date"
        )
    flags: list[str] = []
    clean = clean_text(text)
    if len(clean) > MAX_CHARS:
        clean = clean[:MAX_CHARS]
        flags.append(f"text longer than {MAX_CHARS:,} characters: only the start was read")
    if pub is None and clean.strip():
        pub, _span = infer_publication_date(clean)
        if pub is not None:
            flags.append(f"publication date {pub} read from the text")
    return clean, pub, flags


def _read(sentences: list[Sentence], pub, bounds) -> list[Unit]:
    """Read every sentence; mark headings (short, unpunctuated, alone in their paragraph)."""
    per_par = Counter(s.paragraph for s in sentences)
    units = []
    context = None  # the armed group named last, for "the group said ..."
    for s in sentences:
        first = s.index < 12 and (s.index == 0 or sentences[s.index - 1].paragraph != s.paragraph)
        x = read_sentence(s.text, s, s.start, pub, bounds, first=first, context=context)
        x.heading = len(s.text.split()) <= 12 and not _HEADING_END.search(s.text) and per_par[s.paragraph] == 1
        units.append(x)
        context = next((c.group for c in reversed(x.cues) if c.kind in ("claimed", "attributed") and c.group), context)
    return units


def to_incidents(drafts: pd.DataFrame) -> pd.DataFrame:
    """The attack rows of a draft frame, in the canonical columns only (ready for
    :func:`analysis.validate_incidents` once reviewed)."""
    return drafts.loc[drafts["kind"] == "attack", list(COLUMNS)].reset_index(drop=True)


def _iter_paths(paths: list[str | Path]) -> list[Path]:
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(q for q in p.rglob("*") if q.is_file() and q.suffix.lower() in (".txt", ".html", ".htm", ".md")))
        elif p.is_file():
            out.append(p)
        else:
            raise FileNotFoundError(f"{p}: no such file or folder")
    return out


def draft_files(paths: list[str | Path], *, published: object = None) -> pd.DataFrame:
    """Draft every report in ``paths`` (text/HTML files, or folders of them) and link
    records that describe the same incident across reports (:func:`link_drafts`).

    Files that cannot be decoded as UTF-8 are read as Latin-1 and flagged.
    """
    frames = []
    for p in _iter_paths(list(paths)):
        raw = p.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
            flag = None
        except UnicodeDecodeError:
            text = raw.decode("latin-1")
            flag = "file is not UTF-8: read as Latin-1"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DraftWarning)
            df = draft_incidents(text, published=published, source=str(p))
        if flag and len(df):
            df["flags"] = df["flags"].fillna("").str.cat([flag] * len(df), sep="; ").str.strip("; ")
        frames.append(df)
    if not frames:
        return link_drafts(_frame([]))
    return link_drafts(pd.concat(frames, ignore_index=True))


def link_drafts(drafts: pd.DataFrame) -> pd.DataFrame:
    """Add ``cluster``: attack drafts from different reports that agree on province,
    overlapping date windows, attack and target type share a cluster id (the id of
    the first row). Other kinds get their own id."""
    df = drafts.copy()
    cluster = list(df["incident_id"]) if len(df) else []
    att = df.index[df["kind"] == "attack"].tolist() if len(df) else []
    for a_pos, i in enumerate(att):
        for j in att[:a_pos]:
            a, b = df.loc[i], df.loc[j]
            if a["source_file"] == b["source_file"] or pd.isna(a["province"]) or a["province"] != b["province"]:
                continue
            if not (a["date_earliest"] <= b["date_latest"] and b["date_earliest"] <= a["date_latest"]):
                continue
            same_target = a["target_type"] == b["target_type"] and a["target_type"] != "unknown"
            same_place = pd.notna(a["place"]) and a["place"] == b["place"]
            if same_target or same_place:
                cluster[df.index.get_loc(i)] = cluster[df.index.get_loc(j)]
                break
    df["cluster"] = cluster
    return df
