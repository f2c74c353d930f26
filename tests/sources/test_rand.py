"""RAND RDWTI adapter: the mapping table (docs/sources.md, RAND) and the real files."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.sources import ingest_file, read_source
from analysis.sources.rand import group_perpetrator

from ._sources import assert_balanced, fixture, read_real, reasons_by


@pytest.fixture(scope="module")
def rand():
    return ingest_file(fixture("rand.csv"))


def test_balanced(rand):
    s = rand.summary
    assert s.format == "rand" and (s.rows_in, s.rows_mapped, s.rows_quarantined) == (8, 6, 2)
    assert_balanced(s)
    reasons = reasons_by(rand)
    assert reasons == {7: "date: date_not_before_1970", 8: "Injuries: count_not_a_number"}


def test_mapping(rand):
    v = rand.valid.set_index("place")
    assert v.loc["Kabul", ["province_code", "geo_precision", "perpetrator", "attack_type"]].tolist() == [
        "AF-KAB", "place", "Taliban", "bombing"]  # fmt: skip
    assert v.loc["Kabul", ["killed_best", "wounded_best"]].tolist() == [58, 141]
    assert v.loc["Helmand", ["province_code", "geo_precision", "perpetrator"]].tolist() == ["AF-HEL", "province", "Taliban"]
    greshk = v.loc["Arghandab"]  # ambiguous (two provinces): no province, country precision
    assert pd.isna(greshk.province) and greshk.geo_precision == "country"
    assert v.loc["Jalalabad", ["province", "perpetrator", "attack_type"]].tolist() == ["Nangarhar", "Hizb-e-Islami", "arson"]
    assert v.loc["Islamabad", ["country", "perpetrator"]].tolist() == ["PAK", "TTP"]
    nocity = rand.valid[rand.valid["place"].isna()].iloc[0]
    assert (nocity.perpetrator, nocity.geo_precision) == ("al-Qaeda", "country")
    assert rand.valid["evidence"].str.startswith(("AFGHANISTAN.", "PAKISTAN.")).all()


def test_ids_are_stable_across_extracts(rand, tmp_path):
    sub = pd.read_csv(fixture("rand.csv"), dtype=str, keep_default_na=False).iloc[[2, 0]]
    p = tmp_path / "subset.csv"
    sub.to_csv(p, index=False)
    again = read_source(p)
    assert set(again["incident_id"]) <= set(rand.valid["incident_id"])


def test_group_spellings():
    for name in ("Taliban", "Talliban", "Talbian"):
        assert group_perpetrator(name) == "Taliban"
    assert group_perpetrator("Pakistani Taliban") == "TTP"
    assert group_perpetrator("Hezb-e Eslami") == "Hizb-e-Islami"
    assert group_perpetrator("unknown") == "unknown"
    assert group_perpetrator("Black December") == "other"


@pytest.mark.realdata
@pytest.mark.parametrize("name", ["rand_rdwti_afg.csv", "rand_rdwti.csv"])
def test_real_rand(realdata, tmp_path, name):
    path = realdata(name)
    raw, df, s, q = read_real(path, tmp_path)
    assert s.rows_in == len(raw) and len(df) + len(q) == len(raw)
    assert_balanced(s)
    fat, inj = pd.to_numeric(raw["Fatalities"]), pd.to_numeric(raw["Injuries"])
    assert (s.killed_in, s.wounded_in) == (fat.sum(), inj.sum())
    early = raw["Date"] < "1970-01-01"  # the schema starts in 1970: RDWTI's 1968-69 rows
    assert len(q) == early.sum()
    assert set(s.reasons) <= {"date_not_before_1970"}
    assert df["killed_best"].sum() == fat[~early].sum() and df["wounded_best"].sum() == inj[~early].sum()
    kept = raw[~early]
    afg = kept["Country"] == "Afghanistan"
    taliban = kept["Perpetrator"].isin(["Taliban", "Talliban", "Talbian"]) & afg
    assert (df.loc[df["country"] == "AFG", "perpetrator"] == "Taliban").sum() == taliban.sum()
    if name == "rand_rdwti_afg.csv":
        assert (raw["Perpetrator"] == "Taliban").sum() == 957
        assert (df["perpetrator"] == "Taliban").sum() == 957 + 2  # two misspellings
    assert (df["perpetrator"] == "ISKP").sum() == 0  # RDWTI ends in 2009, before ISKP
