"""The CSV reader (analysis.readers): fast block splitting only when it is provably the
same as quote-aware splitting, and every record back whole."""

from __future__ import annotations

import pytest


def test_quoted_line_breaks_across_reader_blocks_are_kept(tmp_path):
    """The reader splits the file into blocks without looking at quotes first; a quoted
    line break that straddles a block boundary must send it back to quote-aware
    splitting, so every record comes back whole (checked against the csv module)."""
    import csv

    import pyarrow as pa_
    import pyarrow.csv as pacsv

    from analysis.readers import read_csv_fields

    path = tmp_path / "multiline.csv"
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
        w.writerow(["id", "text", "n"])
        for i in range(60_000):  # ~3 MB: several of pyarrow's 1 MB blocks
            body = f"line one of {i}\nline two, with a comma\r\nthree" if i % 7 == 0 else f"plain {i}"
            w.writerow([i, body, i % 11])
    # the premise: quote-unaware splitting alone gets this file wrong (it raises, or
    # silently drops and splits records)
    try:
        naive = pacsv.read_csv(
            path, parse_options=pacsv.ParseOptions(newlines_in_values=False, invalid_row_handler=lambda r: "skip")
        ).num_rows
    except pa_.ArrowInvalid:
        naive = None
    assert naive != 60_000

    table, bad = read_csv_fields(path)
    with open(path, newline="") as fh:
        expected = list(csv.reader(fh))[1:]
    assert len(bad) == 0
    assert len(table) == len(expected) == 60_000
    assert table["text"].tolist() == [r[1] for r in expected]
    assert table["row"].tolist() == list(range(1, 60_001))


@pytest.mark.parametrize(
    "body",
    [
        "a,b\n1,2\n3,4",  # no line break at the end
        "a,b\r\n1,2\r\n\r\n3,4\r\n",  # a blank line (skipped) and CRLF
        'a,b\n1,"x\ny"\n3,4\n',  # a quoted line break
        "a,b\n1,2,3\n3,4\n",  # a malformed line
    ],
)
def test_fast_and_careful_reads_agree_on_small_files(tmp_path, body):
    import csv

    from analysis.readers import read_csv_fields

    path = tmp_path / "f.csv"
    path.write_bytes(body.encode())
    table, bad = read_csv_fields(path)
    with open(path, newline="") as fh:
        records = [r for r in csv.reader(fh)][1:]
    good = [r for r in records if len(r) == 2]
    assert table[["a", "b"]].astype(str).values.tolist() == good
    assert len(bad) == sum(1 for r in records if r and len(r) != 2)


# ------------------------------------------------------------------ damaged and hostile files
def test_a_record_longer_than_a_reader_block_is_read(tmp_path):
    """pyarrow reads in 1 MB blocks; a field of several MB (with or without line
    breaks) grows the block instead of refusing the file."""
    import csv

    from analysis.readers import read_csv_fields

    path = tmp_path / "long.csv"
    long_plain, long_lines = "x" * 3_000_000, "=a line,\n" * 300_000
    with open(path, "w", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows([["id", "text"], ["1", "short"], ["2", long_plain], ["3", long_lines]])
    table, bad = read_csv_fields(path)
    assert len(bad) == 0
    assert table["text"].tolist() == ["short", long_plain, long_lines]


def test_the_quick_read_gives_up_at_the_first_malformed_line(tmp_path, monkeypatch):
    """Quoted line breaks make every physical line look malformed to the quick,
    quote-unaware read; it stops at the first instead of calling back once per line."""
    from analysis import readers

    path = tmp_path / "lines.csv"
    path.write_text('id,text\n1,"' + "one line\n" * 200_000 + '"\n2,plain\n')  # 1.8 MB: several blocks
    calls = []
    original = readers._ArrowCsv._skip
    monkeypatch.setattr(readers._ArrowCsv, "_skip", lambda self, row: calls.append(row) or original(self, row))
    table, bad = readers.read_csv_fields(path)
    assert table["id"].tolist() == ["1", "2"] and len(bad) == 0
    assert len(calls) == 1


@pytest.mark.parametrize("suffix", [".csv", ".csv.gz"])
def test_a_file_cut_inside_a_quoted_field_is_refused(tmp_path, suffix):
    import gzip

    from analysis import DataFileError
    from analysis.readers import read_raw, read_table

    body = b'a,b\n1,"complete"\n2,"cut short, in the mid'
    path = tmp_path / f"cut{suffix}"
    path.write_bytes(gzip.compress(body) if suffix.endswith(".gz") else body)
    for read in (read_table, read_raw):
        with pytest.raises(DataFileError, match=r"unterminated quoted field.*line 3"):
            read(path)


def test_a_quote_inside_an_unquoted_field_is_ordinary_text(tmp_path):
    from analysis.readers import read_table

    path = tmp_path / "q.csv"
    path.write_bytes(b'a,b\n1,a 5" gun\n2,"x ""y"""\n')
    table, bad = read_table(path)
    assert table["b"].tolist() == ['a 5" gun', 'x "y"'] and len(bad) == 0


def test_repeated_column_names_are_refused(tmp_path):
    from analysis import DataFileError
    from analysis.readers import read_raw

    path = tmp_path / "dup.csv"
    path.write_text("eventid,city,city\n1,a,b\n")
    with pytest.raises(DataFileError, match="duplicate column names: city"):
        read_raw(path)


def test_the_header_of_a_folder_or_fifo_is_not_read(tmp_path):
    import os

    from analysis import DataFileError
    from analysis.readers import read_csv_header, read_header

    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    folder = tmp_path / "folder.csv"
    folder.mkdir()
    for path in (fifo, folder):
        for read in (read_header, read_csv_header):
            with pytest.raises(DataFileError, match=r"FIFO|folder"):
                read(path)


def test_our_escape_quote_is_taken_off_when_a_canonical_csv_is_read(tmp_path):
    import pandas as pd

    from analysis.io import write_csv
    from analysis.readers import read_table

    texts = ["=1+1", "'=quoted already", "'", "plain", None, "-3", "@x"]
    path = write_csv(pd.DataFrame({"text": texts, "n": range(len(texts))}), tmp_path / "ours.csv")
    assert "'=1+1" in path.read_text()  # escaped on disk
    table, _ = read_table(path)
    assert table["text"].tolist()[:4] == texts[:4] and pd.isna(table["text"][4])
    assert table["text"].tolist()[5:] == texts[5:]


@pytest.mark.parametrize(
    ("body", "line"),
    [
        (b'a,b\n1,"x\ny"\n2,"cut\nshort', 4),  # quoted line breaks: the whole file is read
        (b'a,b\n1,p\rq,r\n2,"open\nrest', 3),  # a bare CR makes as many records as lines
        (b'a,b\r\n1,"x"\r\n2,"open', 3),  # CRLF: only the last line is read
    ],
)
def test_an_open_quote_is_found_however_the_file_is_read(tmp_path, body, line):
    from analysis import DataFileError
    from analysis.readers import read_table

    path = tmp_path / "f.csv"
    path.write_bytes(body)
    with pytest.raises(DataFileError, match=f"unterminated quoted field.*line {line}"):
        read_table(path)
