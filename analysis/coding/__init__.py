"""Assisted coding: draft incident records from news reports, with evidence.

>>> from analysis.coding import draft_incidents
>>> drafts = draft_incidents(text, published="2022-12-05", source="report.txt")  # doctest: +SKIP

One concept per module: :mod:`~analysis.coding.text` (cleaning, sentences, datelines),
:mod:`~analysis.coding.numbers`, :mod:`~analysis.coding.casualties` (toll phrases),
:mod:`~analysis.coding.tolls` (reconciling them), :mod:`~analysis.coding.dates` and
:mod:`~analysis.coding.relative` (dates resolved against the publication date),
:mod:`~analysis.coding.places`, :mod:`~analysis.coding.attribution`,
:mod:`~analysis.coding.classify`, :mod:`~analysis.coding.units` (sentences read for
their parts), :mod:`~analysis.coding.frames` (event frames), :mod:`~analysis.coding.records`
(frames to records), :mod:`~analysis.coding.draft` (the entry points) and
:mod:`~analysis.coding.evaluate` (scores against a hand-coded key). Everything is
rule-based and offline.
"""

from __future__ import annotations

from . import evaluate
from .draft import (
    DRAFT_COLUMNS,
    EVIDENCE_COLUMNS,
    KINDS,
    DraftWarning,
    draft_files,
    draft_incidents,
    link_drafts,
    to_incidents,
)
from .evaluate import DraftEvaluation
from .text import TextInputError

__all__ = [
    "DRAFT_COLUMNS",
    "EVIDENCE_COLUMNS",
    "KINDS",
    "DraftEvaluation",
    "DraftWarning",
    "TextInputError",
    "draft_files",
    "draft_incidents",
    "evaluate",
    "link_drafts",
    "to_incidents",
]
