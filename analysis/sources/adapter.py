"""An adapter with the options of one ingest, and the columns its layout knows.

:class:`Adapter` wraps an adapter module (:mod:`.gtd`, :mod:`.acled`, ...) or a user's
own layout (:class:`~.layout.Layout`) with the options of an ingest
(``victims_only``), so that the chunked mapping (:mod:`.chunks`) calls every adapter
the same way. :func:`unknown_columns` names the columns of a file that its layout does
not know, each with the closest known name (a misspelt header such as
``geo_precison``), and :class:`UnknownColumnWarning` says so: such a column is not
used, and never dropped silently.
"""

from __future__ import annotations

import difflib
import warnings
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..errors import AnalysisWarning
from ..readers import ROW

__all__ = ["Adapter", "UnknownColumnWarning", "closest_name", "unknown_columns", "warn_unknown"]


class UnknownColumnWarning(AnalysisWarning):
    """A file holds columns that its layout does not know; they are not used."""


@dataclass(frozen=True)
class Adapter:
    """An adapter module (or a :class:`~.layout.Layout`) and the options of an ingest."""

    module: Any
    victims_only: bool = False

    @property
    def NAME(self) -> str:
        return self.module.NAME

    @property
    def COLUMNS_USED(self) -> tuple[str, ...]:
        return tuple(self.module.COLUMNS_USED)

    @property
    def KNOWN_COLUMNS(self) -> tuple[str, ...]:
        return tuple(getattr(self.module, "KNOWN_COLUMNS", self.module.COLUMNS_USED))

    @property
    def TEXT_COLUMNS(self) -> tuple[str, ...]:
        return tuple(getattr(self.module, "TEXT_COLUMNS", ()))

    @property
    def ROW_WISE(self) -> bool:
        return bool(getattr(self.module, "ROW_WISE", True))

    def prepare(self, table: pd.DataFrame) -> pd.DataFrame:
        """The whole table before it is mapped in parts (GTD apportions fractional tolls
        over ``related`` groups, which may span parts); unchanged for most adapters."""
        prepare = getattr(self.module, "prepare", None)
        return table if prepare is None else prepare(table, victims_only=self.victims_only)

    def to_canonical(self, raw: pd.DataFrame):
        return self.module.to_canonical(raw, victims_only=self.victims_only)


def closest_name(name: str, known: tuple[str, ...] | list[str]) -> str | None:
    """The known name closest to ``name`` (case-insensitive, difflib ratio >= 0.6)."""
    by_key = {k.casefold(): k for k in known}
    hit = difflib.get_close_matches(str(name).casefold(), list(by_key), n=1, cutoff=0.6)
    return by_key[hit[0]] if hit else None


def unknown_columns(columns, known) -> dict[str, str | None]:
    """Each column of ``columns`` not in ``known``, with the closest known name (None
    when none is close)."""
    known = tuple(known)
    have = set(known)
    return {str(c): closest_name(str(c), known) for c in columns if c not in have and c != ROW}


def warn_unknown(unknown: dict[str, str | None], source: object, layout: str) -> None:
    """One :class:`UnknownColumnWarning` naming every unknown column of a file."""
    if not unknown:
        return
    named = ", ".join(f"{c!r} (closest known name: {k!r})" if k else repr(c) for c, k in unknown.items())
    warnings.warn(
        UnknownColumnWarning(f"{source}: columns not in the {layout} layout, not used: {named}"), stacklevel=3
    )
