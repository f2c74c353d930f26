"""Coordinates are evidence: records without a country (an extract clipped to a region)
or without an Afghan province get them from the point where they lie."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.sources import ingest_frame, read_source
from analysis.sources.adapter import UnknownColumnWarning
from analysis.sources.coordinates import ADM0_TO_ISO3, locate_missing

from ._sources import assert_balanced, fixture

# Towns around the Wakhan corridor (public coordinates, rounded), where Afghanistan,
# Pakistan, Tajikistan and China meet.
TOWNS = {
    "Ishkashim": (36.71, 71.61, "AFG"),
    "Qala-e Panja": (37.00, 72.58, "AFG"),
    "Fayzabad": (37.12, 70.58, "AFG"),
    "Khorog": (37.49, 71.55, "TJK"),
    "Murghob": (38.17, 73.96, "TJK"),
    "Gilgit": (35.92, 74.31, "PAK"),
    "Chitral": (35.85, 71.79, "PAK"),
    "Tashkurgan": (37.77, 75.23, "CHN"),
}


def _clipped_gtd() -> pd.DataFrame:
    """GTD's numeric layout without ``country``/``country_txt`` (as a region clip is
    exported), one record per town."""
    t = pd.read_csv(fixture("gtd_numeric.csv"), dtype=str, keep_default_na=False).drop(columns=["country", "country_txt"])
    rows = []
    for k, (town, (lat, lon, _)) in enumerate(TOWNS.items()):
        r = t.iloc[k % len(t)].copy()
        r["eventid"] = f"20150101{k:04d}"
        r["provstate"], r["city"], r["latitude"], r["longitude"], r["specificity"] = "Unknown", town, str(lat), str(lon), "1"
        rows.append(r)
    return pd.DataFrame(rows).reset_index(drop=True)


def test_a_region_clip_without_country_columns_keeps_its_rows():
    out = ingest_frame(_clipped_gtd(), "gtd")
    assert_balanced(out.summary)
    assert out.summary.rows_quarantined == 0
    v = out.valid.set_index("place")
    expected = {town: c for town, (_, _, c) in TOWNS.items()}
    assert v["country"].to_dict() == expected
    afghan = v[v["country"] == "AFG"]
    assert set(afghan["province"]) == {"Badakhshan"} and set(afghan["province_code"]) == {"AF-BDS"}
    assert v["province"][v["country"] != "AFG"].isna().all()
    assert v["notes"].str.contains("country=from coordinates").all()
    assert afghan["notes"].str.contains("province=from coordinates").all()
    assert (afghan["geo_precision"] == "place").all()  # from the source's own specificity


def test_a_disagreeing_country_is_kept_and_noted():
    t = pd.read_csv(fixture("gtd_numeric.csv"), dtype=str, keep_default_na=False).iloc[[0]]
    t[["provstate", "latitude", "longitude"]] = ["Unknown", "35.92", "74.31"]  # Gilgit, Pakistan
    v = ingest_frame(t, "gtd").valid.iloc[0]
    assert v["country"] == "AFG" and pd.isna(v["province"])  # the source's country stands
    assert "coordinates_country=PAK" in v["notes"]


def test_a_point_at_country_precision_gives_no_province():
    t = pd.read_csv(fixture("gtd_numeric.csv"), dtype=str, keep_default_na=False).iloc[[0]]
    t[["provstate", "latitude", "longitude", "specificity"]] = ["Unknown", "34.5", "69.2", "5"]
    v = ingest_frame(t, "gtd").valid.iloc[0]
    assert pd.isna(v["province"]) and v["geo_precision"] == "country"


def test_without_country_or_coordinates_the_row_is_quarantined():
    t = _clipped_gtd().iloc[[0]].assign(latitude="", longitude="")
    out = ingest_frame(t, "gtd")
    assert out.quarantined["reasons"].tolist() == ["country: country_unknown"]


def test_natural_earth_codes_become_iso_codes():
    country = pd.Series([None] * 4, dtype="str")
    lat, lon = pd.Series([6.9, 26.0, 42.6, 31.9]), pd.Series([31.6, -10.0, 21.0, 35.2])
    found = locate_missing(country, pd.Series([True] * 4), lat, lon)
    assert found.country.tolist() == ["SSD", "ESH", "XKX", "PSE"]  # Natural Earth: SDS, SAH, KOS, PSX
    assert ADM0_TO_ISO3["KAS"] is None


@pytest.mark.realdata
def test_real_gtd_without_its_country_columns(realdata, tmp_path):
    raw = pd.read_csv(realdata("gtd_2012_2015_afg.csv"), dtype=str, keep_default_na=False)
    path = tmp_path / "no_country.csv"
    raw.drop(columns=["country", "country_txt"]).to_csv(path, index=False)
    with pytest.warns(UnknownColumnWarning):
        df = read_source(path, quarantine=tmp_path / "q.csv")
    s = df.attrs["ingest"]
    assert s.rows_mapped >= 0.9 * len(raw)
    assert (df["country"] == "AFG").sum() >= 0.9 * len(raw)
    # Badakhshan as a region clip: its rows stay in Badakhshan
    bds = df[df["incident_id"].isin("gtd-" + raw.loc[raw["provstate"] == "Badakhshan", "eventid"])]
    assert len(bds) == (raw["provstate"] == "Badakhshan").sum() and (bds["province"] == "Badakhshan").all()
    # the rows lost are those without coordinates, and no other
    no_xy = raw["latitude"] == ""
    assert s.rows_quarantined == no_xy.sum()
