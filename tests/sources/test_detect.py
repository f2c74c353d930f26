"""Format detection, the canonical format, unusable files and the ingest summary."""

from __future__ import annotations

import pandas as pd
import pytest

import analysis
from analysis.sources import detect_file_format, detect_format, read_source
from analysis.sources._countries import country_iso3

from .. import _rows
from ._sources import fixture


@pytest.mark.parametrize(
    ("name", "fmt"),
    [("gtd_numeric.csv", "gtd"), ("gtd_labels.csv", "gtd"), ("acled.csv", "acled"),
     ("ucdp_ged.csv", "ucdp"), ("rand.csv", "rand")],
)
def test_detects_each_fixture(name, fmt):
    assert detect_file_format(fixture(name)) == fmt


def test_unrecognisable_layout_names_file_and_expected_columns(tmp_path):
    p = tmp_path / "mystery.csv"
    p.write_text("a,b,c\n1,2,3\n")
    with pytest.raises(analysis.DataFileError) as info:
        read_source(p)
    msg = str(info.value)
    assert "mystery.csv" in msg and "eventid" in msg and "event_date" in msg and "side_a" in msg


def test_wrong_format_given(tmp_path):
    with pytest.raises(analysis.DataFileError, match="not a ucdp layout"):
        read_source(fixture("acled.csv"), format="ucdp")
    with pytest.raises(ValueError, match="unknown format"):
        read_source(fixture("acled.csv"), format="gdelt")


def test_unusable_files(tmp_path):
    with pytest.raises(analysis.DataFileError, match="file not found"):
        read_source(tmp_path / "nope.csv")
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(analysis.DataFileError, match="empty"):
        read_source(empty)
    latin = tmp_path / "latin.csv"
    latin.write_bytes("Date,City,Country,Perpetrator,Weapon,Injuries,Fatalities,Description\n2005-01-01,Kab\xfcl,Afghanistan,Unknown,Firearms,0,1,x\n".encode("latin-1"))
    with pytest.raises(analysis.DataFileError, match="UTF-8"):
        read_source(latin)


def test_canonical_round_trip(tmp_path):
    p = _rows.write_csv(tmp_path / "c.csv", _rows.good_row(), _rows.good_row(incident_id="T-0002", province="Kandahr"))
    assert detect_file_format(p) == "canonical"
    df = read_source(p, quarantine=tmp_path / "q.csv")
    s = df.attrs["ingest"]
    assert (s.format, s.rows_in, s.rows_mapped, s.rows_quarantined) == ("canonical", 2, 1, 1)
    assert s.killed_in == 106 and s.killed_mapped == 53 and s.totals_agree
    q = pd.read_csv(tmp_path / "q.csv", dtype=str)
    assert "province_known" in q.loc[0, "reasons"]
    expected = analysis.load_incidents(p, quarantine=tmp_path / "q2.csv")
    pd.testing.assert_frame_equal(df, expected, check_like=False)


def test_parquet_input(tmp_path):
    raw = pd.read_csv(fixture("ucdp_ged.csv"), dtype=str, keep_default_na=False).head(7)
    p = tmp_path / "ged.parquet"
    raw.to_parquet(p, index=False)
    df = read_source(p)
    assert len(df) == 7 and df.attrs["ingest"].format == "ucdp"


def test_summary_is_printable():
    df = read_source(fixture("gtd_numeric.csv"))
    s = df.attrs["ingest"]
    text = str(s)
    assert "rows in:          10" in text and "totals agree:     yes" in text
    assert s.to_dict()["totals_agree"] is True
    assert "<pre>" in s._repr_html_()


def test_detect_format_from_columns():
    assert detect_format(["Date", "City", "Country", "Perpetrator", "Weapon", "Injuries", "Fatalities"]) == "rand"


@pytest.mark.parametrize(
    ("name", "code"),
    [("Afghanistan", "AFG"), ("Russia (Soviet Union)", "RUS"), ("Burma (Myanmar)", "MMR"),
     ("Myanmar (Burma)", "MMR"), ("DR Congo (Zaire)", "COD"), ("China, Republic of (Taiwan)", "TWN"),
     ("West Bank/Gaza", "PSE"), ("Korea, South", "KOR"), ("Yemen (North Yemen)", "YEM"),
     ("Kingdom of eSwatini (Swaziland)", "SWZ"), ("FRY (Kosovo)", "XKX"), ("Côte d'Ivoire", "CIV")],
)
def test_country_names(name, code):
    assert country_iso3(name) == code


def test_country_unknown_is_none():
    assert country_iso3("Atlantis") is None and country_iso3("") is None
