"""Source adapters: GTD, ACLED, UCDP GED and RAND RDWTI exports -> the canonical,
validated incident table; plus multi-source merging.

>>> data = read_source("gtd_afghanistan.csv", quarantine="gtd_rejects.csv")   # doctest: +SKIP
>>> print(data.attrs["ingest"])                                               # doctest: +SKIP

Every row of the export is either returned (mapped and valid) or quarantined with its
reasons: ``rows_in == rows_mapped + rows_quarantined`` always, and the killed and
wounded totals of the source are shown to agree. The mapping rules of each source are
the tables in ``docs/sources.md``.

One module per concept:

* one adapter per source (:mod:`.gtd`, :mod:`.acled`, :mod:`.ucdp`, :mod:`.rand`,
  :mod:`.canonical`), each declaring its columns, codebooks and rules;
* :mod:`.mapping`, the mapping step they share (:class:`~.mapping.RawExport`), built on
  :mod:`.parse` (numbers, codes, counts, dates), :mod:`.places` (countries, provinces),
  :mod:`.text` and :mod:`.notes`, with :mod:`.issues` recording what cannot be mapped;
* :mod:`.coordinates` (country and province from coordinates where a source lacks
  them), :mod:`.apportion` (GTD's fractional shares as ranges with whole-number best
  figures), :mod:`.layout` (a user's own layout through a mapping);
* :mod:`.detect` (which source a file is), :mod:`.adapter` (an adapter with the
  options of an ingest, and the columns its layout does not know), :mod:`.ingest`
  (one export, read, mapped, validated and accounted for), :mod:`.chunks` (large
  exports in parts on threads), :mod:`.summary` (the ingest summary and its totals),
  :mod:`.combine` (several files, each record once) and :mod:`.merge` (the same
  incident across sources).
"""

from __future__ import annotations

from .adapter import UnknownColumnWarning
from .chunks import CHUNK_ROWS, WORKERS
from .combine import ingest_files, keep_once
from .detect import FORMATS, detect_file_format, detect_format
from .ingest import IngestError, IngestOutcome, ingest_file, ingest_frame, read_export, read_source
from .layout import Layout
from .merge import merge_sources
from .summary import IngestSummary

__all__ = [
    "CHUNK_ROWS",
    "FORMATS",
    "WORKERS",
    "IngestError",
    "IngestOutcome",
    "IngestSummary",
    "Layout",
    "UnknownColumnWarning",
    "detect_file_format",
    "detect_format",
    "ingest_file",
    "ingest_files",
    "ingest_frame",
    "keep_once",
    "merge_sources",
    "read_export",
    "read_source",
]
