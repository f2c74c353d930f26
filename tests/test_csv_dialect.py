"""Delimiters and decimal marks as spreadsheets write them: sniffed from the start of the
file, then read by the same C reader; a semicolon file loads in full."""

from __future__ import annotations

import pandas as pd
import pytest

import analysis
from analysis.csv_dialect import Dialect, decimal_commas_to_points, sniff
from analysis.readers import sniff_file

from ._rows import frame, good_row


@pytest.mark.parametrize(
    ("sample", "expected"),
    [
        ('a,b,c\n1,"x; y",3\n2,z,4\n', Dialect(",")),
        ("a;b;c\n1;x, y, z;3,5\n2;w;4,25\n", Dialect(";", ",")),
        ("a;b;c\n1;x;3.5\n2;w;4\n", Dialect(";", ".")),
        ("a;b;c\n1;x;3\n2;w;4\n", Dialect(";", ".")),
        ("a\tb\tc\n1\tx,y\t3\n", Dialect("\t")),
        ("a|b|c\n1|x;y|3\n", Dialect("|")),
        ('a;b\n"multi\nline; text";2\n3;4\n', Dialect(";")),
        ("just one column\nvalue\n", Dialect(",")),
        ("", Dialect(",")),
    ],
)
def test_sniff(sample, expected):
    assert sniff(sample, complete=True) == expected


def test_a_line_cut_short_by_the_sample_is_left_out():
    sample = "a;b;c\n1;2;3\n4;5"  # the last line goes on beyond the sample
    assert sniff(sample) == Dialect(";")


def test_decimal_commas_only_in_number_columns():
    t = pd.DataFrame(
        {
            "lat": pd.Series(["34,5", "35", None, "north"], dtype="str"),
            "note": pd.Series(["killed 3,5 wounded", "1,5", "a", "b"], dtype="str"),
            "n": [1, 2, 3, 4],
        }
    )
    out = decimal_commas_to_points(t)
    assert out["lat"].tolist()[:2] == ["34.5", "35"] and out["lat"].iloc[3] == "north"
    assert out["note"].tolist() == t["note"].tolist()  # mostly text: left as written
    assert t["lat"].iloc[0] == "34,5"  # the input is not modified


def _write(path, data: pd.DataFrame, sep: str, decimal_comma: bool = False):
    data = data.copy()
    if decimal_comma:
        for c in ("latitude", "longitude"):
            data[c] = data[c].str.replace(".", ",", regex=False)
    data.to_csv(path, sep=sep, index=False)
    return path


@pytest.mark.parametrize(("sep", "comma"), [(";", False), (";", True), ("\t", False), ("|", False)])
def test_canonical_files_in_every_dialect_load_in_full(tmp_path, sep, comma):
    data = frame(
        good_row(incident_id="A", latitude="34.52", longitude="69.18", notes="killed 3, wounded 5; later 4"),
        good_row(incident_id="B", evidence='a quote: "x; y", z'),
    )
    path = _write(tmp_path / "incidents.csv", data, sep, comma)
    assert sniff_file(path).delimiter == sep
    df = analysis.load_incidents(path)
    assert df["incident_id"].tolist() == ["A", "B"]
    assert df.loc[0, "latitude"] == pytest.approx(34.52) and df.loc[0, "longitude"] == pytest.approx(69.18)
    assert df.loc[0, "notes"] == "killed 3, wounded 5; later 4"
    again = analysis.read_source(path)
    assert len(again) == 2 and again.attrs["ingest"].format == "canonical"


def test_the_bundled_dataset_as_european_excel_writes_it(tmp_path):
    from analysis import config

    raw = pd.read_csv(config.BUNDLED_INCIDENTS, dtype=str, keep_default_na=False)
    path = _write(tmp_path / "semicolons.csv", raw, ";", decimal_comma=True)
    ours = analysis.load_incidents(config.BUNDLED_INCIDENTS)
    theirs = analysis.load_incidents(path)
    pd.testing.assert_frame_equal(theirs, ours, check_like=False)
