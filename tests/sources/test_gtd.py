"""GTD adapter: every branch of the mapping table (docs/sources.md, GTD), both layouts,
bad input, and the real Afghanistan 2012-2015 extract."""

from __future__ import annotations

import pandas as pd
import pytest

import analysis
from analysis.sources import IngestError, ingest_file, read_source

from ._sources import assert_balanced, by_id, fixture, read_real


@pytest.fixture(scope="module")
def numeric():
    return by_id(read_source(fixture("gtd_numeric.csv")))


def test_detected_and_balanced():
    df = read_source(fixture("gtd_numeric.csv"))
    s = df.attrs["ingest"]
    assert s.format == "gtd"
    assert (s.rows_in, s.rows_mapped, s.rows_quarantined) == (10, 10, 0)
    assert s.killed_in == 17 and s.wounded_in == 23
    assert_balanced(s)
    assert list(df.columns) == list(analysis.schema.COLUMNS)


def test_unknown_day_and_month_give_windows_not_made_up_days(numeric):
    day = numeric.loc["gtd-201501010001"]
    assert day.date_precision == "day" and day.date_earliest == day.date_latest == pd.Timestamp("2015-01-01")
    month = numeric.loc["gtd-201502000001"]  # iday = 0
    assert month.date_precision == "month"
    assert (month.date_earliest, month.date_latest) == (pd.Timestamp("2015-02-01"), pd.Timestamp("2015-02-28"))
    year = numeric.loc["gtd-201500000001"]  # imonth = 0
    assert year.date_precision == "year"
    assert (year.date_earliest, year.date_latest) == (pd.Timestamp("2015-01-01"), pd.Timestamp("2015-12-31"))


def test_blank_counts_are_unknown_not_zero(numeric):
    r = numeric.loc["gtd-201500000001"]
    assert pd.isna(r.killed_best) and pd.isna(r.killed_low) and pd.isna(r.killed_high)
    assert pd.isna(numeric.loc["gtd-201502000001"].wounded_best)
    assert numeric.loc["gtd-201503050001"].killed_best == 0  # a real zero stays zero


def test_nkillter_is_kept_and_included_in_killed(numeric):
    r = numeric.loc["gtd-201501010001"]
    assert r.killed_best == 10
    assert "nkillter=1" in r.notes  # perpetrators killed, included in killed_best


@pytest.mark.parametrize(
    ("eid", "perpetrator", "attribution"),
    [
        ("gtd-201501010001", "ISKP", "claimed"),  # Khorasan Chapter, claimed = 1
        ("gtd-201502000001", "Taliban", "suspected"),  # guncertain1 = 1
        ("gtd-201503050001", "ISKP", "attributed"),  # ISIL in Afghanistan
        ("gtd-201504010001", "TTP", "claimed"),
        ("gtd-201505010001", "unknown", "unclaimed"),
        ("gtd-201506010001", "Haqqani Network", "attributed"),  # claimed = -9
        ("gtd-201507010001", "other", "disputed"),  # claimed and uncertain
        ("gtd-201508010001", "Hizb-e-Islami", "attributed"),
    ],
)
def test_perpetrator_and_attribution(numeric, eid, perpetrator, attribution):
    r = numeric.loc[eid]
    assert (r.perpetrator, r.attribution) == (perpetrator, attribution)


def test_other_group_keeps_its_raw_name(numeric):
    assert "gname=Some Other Group" in numeric.loc["gtd-201507010001"].notes
    assert "gname=Khorasan Chapter of the Islamic State" in numeric.loc["gtd-201501010001"].notes


@pytest.mark.parametrize(
    ("eid", "attack", "target"),
    [
        ("gtd-201501010001", "suicide_bombing", "civilians"),
        ("gtd-201502000001", "armed_assault", "security_forces"),
        ("gtd-201500000001", "vehicle_bomb", "security_forces"),
        ("gtd-201503050001", "indirect_fire", "religious"),
        ("gtd-201504010001", "assassination", "government"),
        ("gtd-201505010001", "unknown", "unknown"),
        ("gtd-201506010001", "hostage_taking", "civilians"),
        ("gtd-201507010001", "arson", "business"),
        ("gtd-201508010001", "other", "other"),
        ("gtd-201509010001", "hostage_taking", "transport"),
    ],
)
def test_attack_and_target(numeric, eid, attack, target):
    r = numeric.loc[eid]
    assert (r.attack_type, r.target_type) == (attack, target)


def test_places(numeric):
    assert numeric.loc["gtd-201500000001", "province"] == "Sar-e Pul"  # "Sari Pul" via the gazetteer
    assert numeric.loc["gtd-201500000001", "province_code"] == "AF-SAR"
    assert numeric.loc["gtd-201500000001", "geo_precision"] == "province"  # specificity 4
    assert numeric.loc["gtd-201507010001", "geo_precision"] == "district"  # specificity 2
    unknown = numeric.loc["gtd-201505010001"]  # provstate "Unknown"
    assert pd.isna(unknown.province) and unknown.geo_precision == "country"
    pak = numeric.loc["gtd-201504010001"]
    assert (pak.country, pak.province) == ("PAK", "Khyber Pakhtunkhwa") and pd.isna(pak.province_code)
    assert numeric.loc["gtd-201509010001", "country"] == "IND"


def test_label_layout_maps_like_the_numeric_layout(numeric):
    labels = by_id(read_source(fixture("gtd_labels.csv")))
    cols = ["date_earliest", "date_latest", "date_precision", "country", "province", "perpetrator",
            "attribution", "attack_type", "target_type", "killed_best", "wounded_best"]  # fmt: skip
    pd.testing.assert_frame_equal(labels[cols], numeric[cols])


def test_bad_input_is_quarantined_with_reasons(tmp_path):
    q = tmp_path / "rejects.csv"
    df = read_source(fixture("gtd_bad.csv"), quarantine=q)
    s = df.attrs["ingest"]
    assert_balanced(s)
    assert s.rows_in == 9 and s.rows_mapped == 2
    rejects = pd.read_csv(q, dtype=str)
    reasons = dict(zip(rejects["row"].astype(int), rejects["reasons"], strict=True))
    assert reasons[2] == "provstate: province_unknown (Kandahr: did you mean Kandahar?)"
    assert reasons[3] == "nkill: count_not_a_number"  # "-"
    assert reasons[4] == "nwound: count_not_a_number"  # "about 5"
    assert reasons[5] == "iday: date_impossible"  # 30 February
    assert reasons[6] == "imonth: code_unknown"  # month 13
    assert "count_fractional" in reasons[7]
    assert reasons[9] == "row: csv_structure"  # truncated last line
    assert s.killed_in == pytest.approx(17.5) and s.killed_quarantined == pytest.approx(10.5)


def test_province_error_suggests_the_spelling():
    out = ingest_file(fixture("gtd_bad.csv"))
    value = out.report.loc[out.report["rule"] == "province_unknown", "value"].iloc[0]
    assert value == "Kandahr"
    assert "provstate: province_unknown (Kandahr: did you mean Kandahar?)" in out.quarantined["reasons"].tolist()


def test_without_quarantine_bad_rows_raise():
    with pytest.raises(IngestError) as info:
        read_source(fixture("gtd_bad.csv"))
    assert isinstance(info.value, analysis.IncidentValidationError)
    assert "province_unknown" in str(info.value)
    assert info.value.ingest.rows_quarantined == 7


# ------------------------------------------------------------------ real extract
@pytest.mark.realdata
def test_real_gtd_afghanistan_2012_2015(realdata, tmp_path):
    path = realdata("gtd_2012_2015_afg.csv")
    raw, df, s, q = read_real(path, tmp_path)
    # no row lost
    assert s.rows_in == len(raw) == 6656
    assert len(df) + len(q) == len(raw)
    assert_balanced(s)
    # totals preserved exactly apart from the quarantined rows (and that difference reported)
    nkill = pd.to_numeric(raw["nkill"].replace("", None))
    nwound = pd.to_numeric(raw["nwound"].replace("", None))
    assert s.killed_in == pytest.approx(nkill.sum())
    in_q = raw["eventid"].isin(q["eventid"])
    assert df["killed_best"].sum() == pytest.approx(nkill[~in_q].sum())
    assert df["wounded_best"].sum() == pytest.approx(nwound[~in_q].sum())
    assert s.killed_quarantined == pytest.approx(nkill[in_q].sum())
    # the only quarantined rows are GTD's fractional shares of multi-part incidents
    assert set(s.reasons) == {"count_fractional"}
    # blank nkill stays unknown
    assert df["killed_best"].isna().sum() == (raw.loc[~in_q, "nkill"] == "").sum()
    # ISKP and Taliban counts match the raw gname column
    kept = raw[~in_q]
    assert (df["perpetrator"] == "Taliban").sum() == (kept["gname"] == "Taliban").sum()
    assert (df["perpetrator"] == "ISKP").sum() == (kept["gname"] == "Khorasan Chapter of the Islamic State").sum()
    assert ((raw["gname"] == "Taliban").sum(), (raw["gname"] == "Khorasan Chapter of the Islamic State").sum()) == (3834, 58)
    # every Afghan row with a named province has its ISO code
    named = kept["provstate"] != "Unknown"
    assert df["province_code"].notna().sum() == named.sum()
    # day/month unknown rows are windows
    assert (df["date_precision"] == "day").sum() == ((kept["iday"] != "0") & (kept["imonth"] != "0")).sum()
