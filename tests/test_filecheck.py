"""File checks before parsing (analysis.filecheck): the file's type by ``stat`` (a FIFO
never blocks), the content sniffed from the first bytes, damaged ``.gz`` files, and the
quoted field that a file never closes (checked against a character-by-character
reading of the quote rules and against pyarrow's reader)."""

from __future__ import annotations

import gzip
import io
import os
import socket

import pyarrow.csv as pacsv
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.errors import DataFileError
from analysis.filecheck import last_line_start, open_quote_line, read_chunks, regular_file, sniff


# ------------------------------------------------------------------ file types
def test_regular_files_and_symlinks_to_them_pass(tmp_path):
    p = tmp_path / "a.csv"
    p.write_text("a\n1\n")
    link = tmp_path / "link.csv"
    link.symlink_to(p)
    assert regular_file(p) == p and regular_file(link) == link


def test_folders_fifos_sockets_devices_are_refused_without_opening(tmp_path):
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)  # opening it for reading would block until a writer comes
    link = tmp_path / "to_pipe.csv"
    link.symlink_to(fifo)
    sock_path = tmp_path / "s.csv"
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(sock_path))
    try:
        cases = [
            (tmp_path, "folder"),
            (fifo, "FIFO"),
            (link, "FIFO"),
            (sock_path, "socket"),
            ("/dev/null", "device"),
            (tmp_path / "missing.csv", "file not found"),
        ]
        for path, problem in cases:
            with pytest.raises(DataFileError, match=problem) as err:
                regular_file(path)
            assert str(path) in str(err.value) and "\n" not in str(err.value)
    finally:
        sock.close()


# ------------------------------------------------------------------ content
@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("x.csv.gz", b"plain text, not gzip\n", "not gzip-compressed"),
        ("x.csv", gzip.compress(b"a,b\n1,2\n"), "name it .csv.gz"),
        ("x.csv", b"PK\x03\x04" + b"\x00" * 40, "ZIP archive"),
        ("x.csv", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 40, "Excel .xls"),
        ("x.csv", b"PAR1\x15\x04", "Parquet"),
        ("x.csv", "a,b\n1,2\n".encode("utf-16"), "UTF-16"),
        ("x.csv", "a,b\n1,2\n".encode("utf-32"), "UTF-32"),
        ("x.csv", b"a,b\n1,\x002\n", "NUL byte at offset 6"),
    ],
)
def test_content_that_is_not_csv_text_is_named(tmp_path, name, content, problem):
    p = tmp_path / name
    p.write_bytes(content)
    with pytest.raises(DataFileError, match=problem):
        sniff(p)


def test_csv_text_passes_the_sniff(tmp_path):
    for name, content in [("a.csv", b"a,b\n1,2\n"), ("b.csv.gz", gzip.compress(b"a,b\n1,2\n")), ("c.csv", b"")]:
        p = tmp_path / name
        p.write_bytes(content)
        sniff(p)


def test_damaged_gzip_is_named(tmp_path):
    data = gzip.compress(b"a,b\n" + b"1,2\n" * 5000)
    cut = tmp_path / "cut.csv.gz"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(DataFileError, match="truncated"):
        list(read_chunks(cut))
    flipped = bytearray(data)
    flipped[-6] ^= 0xFF  # the stored CRC no longer matches
    bad = tmp_path / "crc.csv.gz"
    bad.write_bytes(bytes(flipped))
    with pytest.raises(DataFileError, match="not valid gzip data"):
        list(read_chunks(bad))


# ------------------------------------------------------------------ unterminated quotes
def reference_open_line(data: bytes, delimiter: bytes = b",") -> int | None:
    """The quote rules read one character at a time: the line on which an unclosed
    quoted field opens, or None."""
    state, line, opened = "start", 1, None  # start of field / unquoted / quoted / after a quote in quotes
    for ch in data:
        c = bytes([ch])
        if state == "quoted":
            if c == b'"':
                state = "quote_in_quoted"
        elif state == "quote_in_quoted":
            state = "quoted" if c == b'"' else ("start" if c in (delimiter, b"\n", b"\r") else "unquoted")
        elif c in (delimiter, b"\n", b"\r"):
            state = "start"
        elif state == "start" and c == b'"':
            state, opened = "quoted", line
        else:
            state = "unquoted"
        line += c == b"\n"
    return opened if state == "quoted" else None


CSVISH = st.lists(st.sampled_from([b'"', b'"', b",", b"\n", b"\r", b"a", b"bc", b'""']), max_size=40).map(b"".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=CSVISH, chunk=st.integers(1, 9))
def test_open_quote_matches_the_rules_read_one_character_at_a_time(tmp_path, data, chunk):
    p = tmp_path / "f.csv"
    p.write_bytes(data)
    assert open_quote_line(p, chunk=chunk) == reference_open_line(data)


@settings(max_examples=200, deadline=None)
@given(data=CSVISH)
def test_pyarrow_reads_the_same_quote_rules(data):
    """A record appended after the data is read as a record of its own by pyarrow
    exactly when the rules leave no quoted field open."""
    opts = pacsv.ParseOptions(newlines_in_values=True, invalid_row_handler=lambda r: "skip")
    table = pacsv.read_csv(io.BytesIO(b"h1,h2\n" + data + b"\nx,y\n"), parse_options=opts)
    appended = table.num_rows > 0 and table.slice(table.num_rows - 1).to_pylist() == [{"h1": "x", "h2": "y"}]
    assert appended == (reference_open_line(data) is None)


def test_line_number_bom_gzip_and_delimiter(tmp_path):
    body = b'a,b\n1,"x\ny"\n2,"cut here'
    p = tmp_path / "f.csv"
    p.write_bytes(b"\xef\xbb\xbf" + body)
    assert open_quote_line(p) == 4
    g = tmp_path / "f.csv.gz"
    g.write_bytes(gzip.compress(body))
    assert open_quote_line(g) == 4
    semi = tmp_path / "s.csv"
    semi.write_bytes(b'a;b\n1;"open')
    assert open_quote_line(semi, ";") == 2
    assert open_quote_line(semi, ",") is None  # with ',' the quote is inside a field
    fine = tmp_path / "fine.csv"
    fine.write_bytes(b'a,b\n1,5" gun\n2,"a ""quoted"" word"\n3,"""x"""\n')
    assert open_quote_line(fine) is None


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=CSVISH)
def test_last_line_start(tmp_path, data):
    p = tmp_path / "f.csv"
    p.write_bytes(data)
    body = data[:-1] if data.endswith(b"\n") else data
    assert last_line_start(p) == body.rfind(b"\n") + 1


def test_reading_from_the_last_line(tmp_path):
    p = tmp_path / "f.csv"
    p.write_bytes(b'a,b\n1,"x"\n2,"open')
    start = last_line_start(p)
    assert start == 10 and open_quote_line(p, start=start) == 3
    p.write_bytes(b'a,b\n1,"x"\n2,"closed"\n')
    assert open_quote_line(p, start=last_line_start(p)) is None
