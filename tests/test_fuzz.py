"""Fuzzing ``validate`` and ``ingest`` as they run unattended (issue 19).

Random and mutated files (flipped headers, cells of hostile text, huge fields,
truncations, other encodings, flipped bytes, gzip, random bytes) go through both
commands in this process, and every run must keep four properties:

* the exit code is 0, 1 or 2, with no traceback (and no "internal error": the last-
  resort handler of the command line must never be what answers);
* no input file changes;
* rows in = rows accepted + rows quarantined, in the summary and in the files written
  (and, for a file Python's csv module reads, rows in = its records);
* no cell of any CSV written can execute in a spreadsheet.

The seeded corpus in ``tests/fixtures/hostile/`` (made by ``tests/_hostile.py``) keeps
the cases that broke before as regression fixtures, with the outcome each must have.
"""

from __future__ import annotations

import csv
import gzip
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ._cli import assert_clean_exit, digest, invoke, summary_count
from ._hostile import (
    CORPUS,
    HOSTILE_TEXT,
    SOURCES,
    big_fields,
    canonical_rows,
    csv_bytes,
    executable_cells,
    make_corpus,
)
from ._rows import good_row


# ------------------------------------------------------------------ the properties
def _records(path: Path) -> int | None:
    """Data records of a file as Python's csv module reads it (None if it cannot)."""
    try:
        raw = gzip.decompress(path.read_bytes()) if path.name.endswith(".gz") else path.read_bytes()
        text = raw.decode("utf-8-sig")
        with big_fields():
            rows = [r for r in csv.reader(io.StringIO(text, newline="")) if r]
    except (OSError, EOFError, UnicodeDecodeError, csv.Error, gzip.BadGzipFile):
        return None
    return max(len(rows) - 1, 0)


def _written(path: Path) -> int:
    """Records in a CSV the command wrote (0 when it wrote none)."""
    if not path.exists():
        return 0
    assert executable_cells(path) == [], path
    with big_fields(), open(path, newline="", encoding="utf-8") as fh:
        return max(sum(1 for r in csv.reader(fh) if r) - 1, 0)


def check_validate(path: Path, out_dir: Path) -> int:
    q = out_dir / "validate_q.csv"
    r = invoke("validate", path, "-q", q)
    assert_clean_exit(r)
    if r.exit_code == 2:
        assert not q.exists()
        return 2
    n_read, n_ok, n_q = (
        summary_count(r.stdout, k) for k in ("rows read", "rows accepted", "rows quarantined")
    )
    assert n_read == n_ok + n_q
    assert _written(q) == n_q and (r.exit_code == 1) == (n_q > 0)
    records = _records(path)
    assert records is None or records == n_read, (records, r.stdout)
    return r.exit_code


def check_ingest(path: Path, out_dir: Path) -> int:
    out, q = out_dir / "ingest_out.csv", out_dir / "ingest_q.csv"
    r = invoke("ingest", path, "-o", out, "-q", q)
    assert_clean_exit(r)
    if r.exit_code == 2:
        assert not out.exists() and not q.exists()
        return 2
    n_in, n_ok, n_q = (
        summary_count(r.stdout, k) for k in ("rows in", "rows mapped", "rows quarantined")
    )
    assert n_in == n_ok + n_q
    assert _written(out) == n_ok and _written(q) == n_q
    records = _records(path)
    assert records is None or records == n_in, (records, r.stdout)
    return r.exit_code


def check_both(path: Path, out_dir: Path) -> tuple[int, int]:
    before = digest(path)
    codes = check_validate(path, out_dir), check_ingest(path, out_dir)
    assert digest(path) == before, "an input file changed"
    return codes


# ------------------------------------------------------------------ random and mutated files
def _template(name: str) -> list[list[str]]:
    if name == "canonical":
        return canonical_rows(
            good_row(), good_row(incident_id="T-0002"), good_row(incident_id="T-0003", notes="a, b")
        )
    with open(SOURCES / name, newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


TEMPLATES = ("canonical", "canonical", "gtd_numeric.csv", "acled.csv", "ucdp_ged.csv", "rand.csv")
JUNK = (
    "",
    "-",
    "0",
    "-9",
    "2.5",
    "1e3",
    " 7 ",
    "NaN",
    "Unknown",
    "Kandahr",
    "2020-02-30",
    "31/12/2019",
    '"',
    '""',
    "\r",
    "\n",
)
TEXT = st.one_of(
    st.sampled_from(HOSTILE_TEXT + JUNK),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12),
)


def _edit_header(header: list[str], i: int, how: str) -> None:
    i %= len(header)
    name = header[i]
    if how == "typo" and len(name) > 2:
        header[i] = name[:1] + name[2] + name[1] + name[3:]
    elif how == "drop_char":
        header[i] = name[:-1]
    elif how == "swap":
        j = (i + 1) % len(header)
        header[i], header[j] = header[j], header[i]
    elif how == "formula":
        header[i] = "=" + name


@st.composite
def plans(draw) -> dict:
    """A short description of a hostile file (built by :func:`build`, so that a failing
    example prints as a few lines, not as megabytes)."""
    plan = {
        "template": draw(st.sampled_from(TEMPLATES)),
        "cells": draw(
            st.lists(st.tuples(st.integers(1, 20), st.integers(0, 60), TEXT), max_size=6)
        ),
        "header": draw(
            st.none()
            | st.tuples(
                st.integers(0, 60), st.sampled_from(["typo", "drop_char", "swap", "formula"])
            )
        ),
        "huge": draw(
            st.none() | st.tuples(st.integers(0, 60), st.sampled_from(["x", "=a, b\n", '""']))
        ),
        "quoting": draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC])),
        "edit": draw(
            st.sampled_from(["none", "none", "truncate", "flip", "encode", "random", "gzip"])
        ),
    }
    if plan["huge"] is not None and draw(st.integers(0, 4)):
        plan["huge"] = None  # a field over the reader's 1 MB block in about one case in ten
    plan["cut"] = draw(st.floats(0, 1))
    plan["flips"] = draw(
        st.lists(st.tuples(st.floats(0, 1), st.sampled_from(b'",\n\r\x00\xff=a')), max_size=5)
    )
    plan["codec"] = draw(st.sampled_from(["latin-1", "utf-16", "cp1252", "utf-8-sig"]))
    plan["noise"] = draw(st.binary(max_size=600))
    return plan


def build(plan: dict) -> tuple[str, bytes]:
    """(file name, bytes): the template edited cell by cell, then perhaps byte by byte."""
    rows = [list(r) for r in _template(plan["template"])]
    for r, c, text in plan["cells"]:
        rows[1 + (r - 1) % (len(rows) - 1)][c % len(rows[0])] = text
    if plan["header"] is not None:
        _edit_header(rows[0], *plan["header"])
    if plan["huge"] is not None:
        c, piece = plan["huge"]
        rows[1][c % len(rows[0])] = piece * (1_200_000 // len(piece))
    data = csv_bytes(rows, quoting=plan["quoting"])
    edit = plan["edit"]
    if edit == "truncate":
        data = data[: int(plan["cut"] * len(data))]
    elif edit == "flip" and data:
        buf = bytearray(data)
        for where, byte in plan["flips"]:
            buf[min(int(where * len(buf)), len(buf) - 1)] = byte
        data = bytes(buf)
    elif edit == "encode":
        data = data.decode().encode(plan["codec"], errors="replace")
    elif edit == "random":
        data = plan["noise"]
    elif edit == "gzip":
        data = gzip.compress(data, mtime=0)
        return "fuzz.csv.gz", data[
            : max(len(data) // 2, int(plan["cut"] * len(data)))
        ]  # whole, or cut short
    return "fuzz.csv", data


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)
@given(plan=plans())
def test_hostile_files_keep_the_four_properties(tmp_path_factory, plan):
    name, data = build(plan)
    folder = tmp_path_factory.mktemp("fuzz")
    path = folder / name
    path.write_bytes(data)
    check_both(path, folder)


# ------------------------------------------------------------------ the seeded regression corpus
#: file -> (validate exit code, ingest exit code, words of the one-line error). ``None``
#: accepts 0 or 1 (rows may be quarantined); validate reads canonical files only.
EXPECTED = {
    "formula_every_field.csv": (1, 1, None),
    "formula_gtd.csv": (2, None, "required columns missing"),
    "formula_acled.csv": (2, None, "required columns missing"),
    "unterminated_last_field.csv": (2, 2, "unterminated quoted field"),
    "unterminated_gtd.csv": (2, 2, "unterminated quoted field"),
    "stray_opening_quote.csv": (1, 1, None),
    "quote_inside_field.csv": (0, 0, None),
    "fake.csv.gz": (2, 2, "not gzip-compressed"),
    "truncated.csv.gz": (2, 2, "truncated"),
    "gzip_named_csv.csv": (2, 2, "name it .csv.gz"),
    "random_bytes.csv": (2, 2, "binary"),
    "xlsx_renamed.csv": (2, 2, "ZIP archive"),
    "latin1.csv": (2, 2, "not valid UTF-8"),
    "utf16.csv": (2, 2, "UTF-16"),
    "bom.csv": (0, 0, None),
    "header_typo.csv": (2, None, "geo_precison"),
    "duplicate_header.csv": (2, 2, "duplicate column names: place"),
    "ragged_and_blank.csv": (1, 1, None),
    "empty.csv": (2, 2, "empty"),
    "header_only.csv": (0, 0, None),
}
CORPUS_CASES = [
    *EXPECTED,
    "tz_dates.csv",
]


def test_the_corpus_is_the_seeded_one(tmp_path):
    made = {p.name: p.read_bytes() for p in make_corpus(tmp_path)}
    kept = {p.name: p.read_bytes() for p in CORPUS.iterdir()}
    assert made == kept
    assert set(made) == {*EXPECTED, "tz_dates.csv"}


@pytest.mark.parametrize("name", CORPUS_CASES)
def test_corpus_case(tmp_path, name):
    codes = check_both(CORPUS / name, tmp_path)
    want_validate, want_ingest, words = EXPECTED.get(name, (0, 0, None))
    for got, want in zip(codes, (want_validate, want_ingest), strict=True):
        assert got in ((0, 1) if want is None else (want,)), (codes, name)
    if words is not None:
        r = invoke("validate", CORPUS / name)
        assert words in r.stderr and len(r.stderr.strip().splitlines()) == 1
