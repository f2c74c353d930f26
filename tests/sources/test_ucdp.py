"""UCDP GED adapter: the mapping table (docs/sources.md, UCDP GED) and the real sample."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.sources import ingest_file
from analysis.sources.ucdp import side_perpetrator

from ._sources import assert_balanced, by_id, fixture, read_real, reasons_by


@pytest.fixture(scope="module")
def ucdp():
    return ingest_file(fixture("ucdp_ged.csv"))


def test_balanced_and_bad_rows(ucdp):
    s = ucdp.summary
    assert s.format == "ucdp" and (s.rows_in, s.rows_mapped, s.rows_quarantined) == (10, 7, 3)
    assert_balanced(s)
    reasons = reasons_by(ucdp, "id")
    assert reasons["1008"] == "killed_best: killed_ordered"  # low above best
    assert reasons["1009"] == "adm_1: province_unknown (Kandahr province: did you mean Kandahar?)"
    assert reasons["1010"] == "best: count_not_a_number"


def test_counts(ucdp):
    v = by_id(ucdp.valid)
    r = v.loc["ucdp-1001"]
    assert (r.killed_low, r.killed_best, r.killed_high) == (5, 6, 8)
    assert r.civilians_killed_best == 1 and r.combatants_killed_best == 5
    assert pd.isna(r.wounded_best)


def test_windows_and_precision(ucdp):
    v = by_id(ucdp.valid)
    assert v.loc["ucdp-1001", "date_precision"] == "day"
    assert v.loc["ucdp-1002", "date_precision"] == "week"  # date_prec 2
    assert v.loc["ucdp-1004", "date_precision"] == "month"  # date_prec 4
    assert v.loc["ucdp-1005", "date_precision"] == "week"  # date_prec 1 but a 5-day window: widened
    assert v.loc["ucdp-1007", "date_precision"] == "year"
    assert v.loc["ucdp-1002", "date_latest"] == pd.Timestamp("2018-03-13")


def test_sides_and_places(ucdp):
    v = by_id(ucdp.valid)
    assert v.loc["ucdp-1001", "perpetrator"] == "Taliban"  # "Taleban" on side_b
    assert v.loc["ucdp-1002", "perpetrator"] == "ISKP"  # "IS" in Afghanistan
    assert v.loc["ucdp-1003", "perpetrator"] == "Islamic State"  # "IS" in Syria
    assert v.loc["ucdp-1004", "perpetrator"] == "Hizb-e-Islami"
    assert v.loc["ucdp-1006", "perpetrator"] == "TTP"
    assert v.loc["ucdp-1007", "perpetrator"] == "Taliban"  # non-state: side_a
    assert v.loc["ucdp-1001", ["province", "province_code", "geo_precision"]].tolist() == ["Kandahar", "AF-KAN", "exact"]
    assert v.loc["ucdp-1005", "province"] == "Helmand"  # "Hilmand province"
    assert v.loc["ucdp-1002", "geo_precision"] == "district"
    assert v.loc["ucdp-1004", "geo_precision"] == "country" and pd.isna(v.loc["ucdp-1004", "province"])
    assert v.loc["ucdp-1003", "country"] == "SYR" and pd.isna(v.loc["ucdp-1003", "province_code"])
    assert side_perpetrator("Government of Afghanistan") is None


@pytest.mark.realdata
def test_real_ucdp_sample(realdata, tmp_path):
    path = realdata("ucdp_ged231_sample1000.csv")
    raw, df, s, q = read_real(path, tmp_path)
    assert s.rows_in == len(raw) == 1000 and len(df) + len(q) == 1000
    assert_balanced(s)
    in_q = raw["id"].isin(q["id"])
    best = pd.to_numeric(raw["best"])
    assert s.killed_in == best.sum()
    assert df["killed_best"].sum() == best[~in_q].sum()
    # quarantined only for inconsistent figures in the source itself
    assert set(s.reasons) <= {"killed_ordered", "killed_breakdown_within_total"}
    # every row outside Afghanistan keeps its country; every Afghan row with adm_1 has a code
    assert df["country"].str.fullmatch(r"[A-Z]{3}").all()
    afg = raw[(raw["country"] == "Afghanistan") & ~in_q]
    assert (df["country"] == "AFG").sum() == len(afg) == 135 - (in_q & (raw["country"] == "Afghanistan")).sum()
    assert df.loc[df["country"] == "AFG", "province_code"].notna().sum() == (afg["adm_1"] != "").sum()
    # Taliban and ISKP counts match the raw side columns
    kept = raw[~in_q]
    taleban = (kept["side_a"] == "Taleban") | (kept["side_b"] == "Taleban")
    assert (df["perpetrator"] == "Taliban").sum() == taleban.sum()
    is_afg = ((kept["side_a"] == "IS") | (kept["side_b"] == "IS")) & (kept["country"] == "Afghanistan")
    assert (df["perpetrator"] == "ISKP").sum() == is_afg.sum()
