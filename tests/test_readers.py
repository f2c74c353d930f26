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
