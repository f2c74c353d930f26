"""Assisted coding: draft incident records from news reports, with evidence.

>>> from analysis.coding import draft_incidents
>>> drafts = draft_incidents(text, published="2022-12-05", source="report.txt")  # doctest: +SKIP

One concept per module: :mod:`~analysis.coding.text` (cleaning, sentences),
:mod:`~analysis.coding.numbers`, :mod:`~analysis.coding.casualties`,
:mod:`~analysis.coding.dates`, :mod:`~analysis.coding.places`,
:mod:`~analysis.coding.attribution`, :mod:`~analysis.coding.classify` and
:mod:`~analysis.coding.draft`, which puts them together. Everything is rule-based
and offline.
"""

from __future__ import annotations

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

__all__ = [
    "DRAFT_COLUMNS",
    "EVIDENCE_COLUMNS",
    "KINDS",
    "DraftWarning",
    "draft_files",
    "draft_incidents",
    "link_drafts",
    "to_incidents",
]
