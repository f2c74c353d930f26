"""GTD adapter: every branch of the mapping table (docs/sources.md, GTD), both layouts,
bad input, and the real Afghanistan 2012-2015 extract."""

from __future__ import annotations

import pandas as pd
import pytest

import analysis
from analysis.sources import IngestError, ingest_file, ingest_frame, read_source
from analysis.sources.adapter import UnknownColumnWarning

from ._sources import assert_balanced, by_id, fixture, read_real, reasons_by


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
    assert s.rows_in == 9 and s.rows_mapped == 3
    rejects = pd.read_csv(q, dtype=str)
    reasons = dict(zip(rejects["row"].astype(int), rejects["reasons"], strict=True))
    assert reasons[2] == "provstate: province_unknown (Kandahr: did you mean Kandahar?)"
    assert reasons[3] == "nkill: count_not_a_number"  # "-"
    assert reasons[4] == "nwound: count_not_a_number"  # "about 5"
    assert reasons[5] == "iday: date_impossible"  # 30 February
    assert reasons[6] == "imonth: code_unknown"  # month 13
    assert 7 not in reasons  # a fractional share is a range, not a rejection
    assert reasons[9] == "row: csv_structure"  # truncated last line
    assert s.killed_in == pytest.approx(17.5) and s.killed_quarantined == pytest.approx(9)
    assert s.killed_mapped == pytest.approx(8.5)  # the source's own figures, 1.5 included
    share = df.set_index("incident_id").loc["gtd-201601050001"]
    assert (share.killed_low, share.killed_best, share.killed_high) == (1, 2, 2)  # 1.5 alone: rounded
    assert (share.wounded_low, share.wounded_best, share.wounded_high) == (2, 2, 3)  # 2.5: half to even


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
    assert info.value.ingest.rows_quarantined == 6  # the fractional share (row 7) is mapped


# ------------------------------------------------------------------ real extract
@pytest.mark.realdata
def test_real_gtd_afghanistan_2012_2015(realdata, tmp_path):
    path = realdata("gtd_2012_2015_afg.csv")
    with pytest.warns(UnknownColumnWarning, match="x_date"):  # columns the extract added
        raw, df, s, q = read_real(path, tmp_path)
    # no row lost, and none set aside: fractional shares are ranges now
    assert s.rows_in == len(raw) == 6656
    assert len(df) == len(raw) and len(q) == 0 and not s.reasons
    assert_balanced(s)
    assert set(s.unknown_columns) == {"x_attacktype1_txt", "x_targtype1_txt", "x_weaptype1_txt", "x_date"}
    # the source's totals exactly; the canonical ranges bracket them, the best within 0.1 %
    for stem, col in (("killed", "nkill"), ("wounded", "nwound")):
        figure = pd.to_numeric(raw[col].replace("", None)).sum()
        assert s[f"{stem}_in"] == pytest.approx(figure) and s[f"{stem}_mapped"] == pytest.approx(figure)
        assert df[f"{stem}_low"].sum() <= figure <= df[f"{stem}_high"].sum()
        assert abs(df[f"{stem}_best"].sum() - figure) <= 0.001 * figure
        assert s[f"{stem}_best"] == df[f"{stem}_best"].sum()
    # blank nkill stays unknown
    assert df["killed_best"].isna().sum() == (raw["nkill"] == "").sum()
    # ISKP and Taliban counts match the raw gname column
    assert (df["perpetrator"] == "Taliban").sum() == (raw["gname"] == "Taliban").sum() == 3834
    assert (df["perpetrator"] == "ISKP").sum() == (raw["gname"] == "Khorasan Chapter of the Islamic State").sum() == 58
    # every Afghan row with a named province has its ISO code; "Unknown" ones with
    # coordinates take the province of their point
    named = raw["provstate"] != "Unknown"
    located = ~named & (raw["latitude"] != "")
    assert df["province_code"].notna().sum() == named.sum() + located.sum()
    assert df["notes"].str.contains("province=from coordinates").sum() == located.sum()
    # day/month unknown rows are windows
    assert (df["date_precision"] == "day").sum() == ((raw["iday"] != "0") & (raw["imonth"] != "0")).sum()


@pytest.mark.realdata
def test_real_gtd_fractional_shares_keep_each_related_group_total(realdata):
    path = realdata("gtd_2012_2015_afg.csv")
    with pytest.warns(UnknownColumnWarning):
        out = ingest_file(path)
    raw = pd.read_csv(path, usecols=["eventid", "nkill", "related"], dtype={"related": str})
    df = out.valid.assign(nkill=raw["nkill"].to_numpy(), related=raw["related"].to_numpy())
    parts = df[(df["nkill"] % 1 != 0) & df["nkill"].notna()]
    assert len(parts) == 155
    assert (parts["killed_high"] - parts["killed_low"] == 1).all()
    assert parts["killed_best"].between(parts["killed_low"], parts["killed_high"]).all()
    # GTD lists every other part in each part's ``related``: the same set names a group
    linked = parts[parts["related"].notna()]
    key = [
        " ".join(sorted({e.removeprefix("gtd-"), *(r.strip() for r in rel.split(","))}))
        for e, rel in zip(linked["incident_id"], linked["related"], strict=True)
    ]
    totals = linked.groupby(key)[["nkill", "killed_best"]].sum()
    assert len(totals) >= 40
    assert ((totals["killed_best"] - totals["nkill"]).abs() <= 0.5).all()
    # 17 parts of one attack on 15 April 2012 (2.83 or 2.84 each): 48 in whole numbers
    april = linked[linked["incident_id"].str.startswith("gtd-20120415")]
    assert len(april) == 17 and april["nkill"].sum() == pytest.approx(48.16) and april["killed_best"].sum() == 48


@pytest.mark.realdata
def test_real_gtd_victims_only(realdata):
    path = realdata("gtd_2012_2015_afg.csv")
    raw = pd.read_csv(path, usecols=["nkill", "nkillter"])
    victims = (raw["nkill"] - raw["nkillter"].fillna(0)).sum()
    with pytest.warns(UnknownColumnWarning):
        df = read_source(path, victims_only=True)
        everyone = read_source(path)
    s = df.attrs["ingest"]
    assert s.victims_only and s.rows_quarantined == 0
    assert abs(df["killed_best"].sum() - victims) <= 0.002 * victims
    assert df["killed_low"].sum() <= victims <= df["killed_high"].sum()
    assert s.killed_in == pytest.approx(raw["nkill"].sum())  # the source's own figure, unchanged
    assert "victims only" in s.summary()
    assert (df["killed_best"] <= everyone["killed_best"]).fillna(True).all()


def test_victims_only_subtracts_nkillter(tmp_path):
    df = by_id(read_source(fixture("gtd_numeric.csv"), victims_only=True))
    r = df.loc["gtd-201501010001"]  # nkill 10, nkillter 1
    assert (r.killed_low, r.killed_best, r.killed_high) == (9, 9, 9)
    assert "killed=victims only" in r.notes and "nkillter=1" in r.notes
    t = pd.read_csv(fixture("gtd_numeric.csv"), dtype=str, keep_default_na=False)
    t.loc[0, "nkillter"] = "12"  # more perpetrators than dead: cannot count the victims
    out = ingest_frame(t, victims_only=True)
    assert reasons_by(out, "eventid")["201501010001"] == "nkillter: perpetrators_exceed_killed"


def test_semicolons_and_decimal_commas_read_like_commas(tmp_path):
    t = pd.read_csv(fixture("gtd_numeric.csv"), dtype=str, keep_default_na=False)
    t["latitude"] = t["latitude"].str.replace(".", ",", regex=False)
    t["longitude"] = t["longitude"].str.replace(".", ",", regex=False)
    path = tmp_path / "gtd_excel.csv"
    t.to_csv(path, sep=";", index=False)
    pd.testing.assert_frame_equal(read_source(path), read_source(fixture("gtd_numeric.csv")))


@pytest.mark.realdata
def test_real_gtd_as_a_semicolon_file(realdata, tmp_path):
    raw = pd.read_csv(realdata("gtd_2012_2015_afg.csv"), dtype=str, keep_default_na=False)
    for c in raw.columns:  # every decimal number, as a spreadsheet in a European locale writes it
        number = raw[c].str.fullmatch(r"[+-]?\d+\.\d+")
        raw[c] = raw[c].where(~number, raw[c].str.replace(".", ",", regex=False))
    path = tmp_path / "gtd_semicolons.csv"
    raw.to_csv(path, sep=";", index=False)
    with pytest.warns(UnknownColumnWarning):
        ours, theirs = read_source(realdata("gtd_2012_2015_afg.csv")), read_source(path)
    pd.testing.assert_frame_equal(theirs, ours)
