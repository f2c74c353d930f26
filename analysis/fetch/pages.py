"""The temporary area that holds the pages of one run until the run has succeeded.

Each page's records are written to a hidden folder beside the store as soon as they
arrive (``.<store name>.pages-XXXX/``). The folder is removed when the run ends, on
success, on any error, on Ctrl-C and on SIGTERM (which :func:`analysis.io.sigterm_raises`
turns into an exception during a run), so nothing is left behind and nothing reaches the
store before the last page is in.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

__all__ = ["PageArea", "page_area", "page_bar"]


class PageArea:
    """A folder of numbered JSON pages, by kind (``events``, ``deleted``)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self._count: dict[str, int] = {}

    def save(self, kind: str, records: list[dict[str, Any]]) -> int:
        """Write one page of records; returns its number (1, 2, ...)."""
        n = self._count.get(kind, 0) + 1
        self._count[kind] = n
        path = self.folder / f"{kind}-{n:06d}.json"
        path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
        return n

    def pages(self, kind: str) -> int:
        """How many pages of ``kind`` were saved."""
        return self._count.get(kind, 0)

    def records(self, kind: str) -> list[dict[str, Any]]:
        """Every record of ``kind``, page after page."""
        out: list[dict[str, Any]] = []
        for n in range(1, self.pages(kind) + 1):
            path = self.folder / f"{kind}-{n:06d}.json"
            out.extend(json.loads(path.read_text(encoding="utf-8")))
        return out


@contextlib.contextmanager
def page_area(store: Path) -> Iterator[PageArea]:
    """A fresh :class:`PageArea` beside ``store``, removed however the block ends."""
    store.parent.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=f".{store.name}.pages-", dir=store.parent))
    try:
        yield PageArea(folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def page_bar(desc: str, progress: bool | None):
    """A progress bar of pages fetched (``progress=None``: only in an interactive session)."""
    from tqdm.auto import tqdm

    disable = None if progress is None else not progress
    return tqdm(total=None, desc=desc, unit="page", disable=disable, leave=False)
