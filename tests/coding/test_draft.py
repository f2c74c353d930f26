"""analysis.draft_incidents on reports written for these tests (tests/fixtures/reports),
bad input, and the ``draft`` CLI command."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import warnings
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import draft_incidents, validate_incidents
from analysis.coding import DRAFT_COLUMNS, EVIDENCE_COLUMNS, DraftWarning, draft_files, to_incidents
from analysis.coding.text import MAX_CHARS, clean_text

FIX = Path(__file__).parents[1] / "fixtures" / "reports"


def drafts(name: str, **kw) -> pd.DataFrame:
    return draft_incidents((FIX / name).read_text(encoding="utf-8"), source=name, **kw)


def attacks(df: pd.DataFrame) -> pd.DataFrame:
    return df[df["kind"] == "attack"].reset_index(drop=True)


def killed(row) -> tuple:
    return tuple(None if pd.isna(row[c]) else int(row[c]) for c in ("killed_low", "killed_best", "killed_high"))


def test_columns_and_dtypes():
    df = drafts("kunduz_bank_a.txt")
    assert tuple(df.columns) == DRAFT_COLUMNS
    assert str(df["killed_best"].dtype) == "Int64" and str(df["date"].dtype).startswith("datetime64")


def test_dateline_report():
    (row,) = attacks(drafts("kunduz_bank_a.txt")).itertuples(index=False)
    assert row.date == pd.Timestamp("2025-02-11") and row.date_precision == "day"
    assert row.province == "Kunduz" and row.province_code == "AF-KDZ"
    assert (row.killed_best, row.wounded_best) == (5, 7)
    assert (row.perpetrator, row.attribution) == ("ISKP", "claimed")
    assert row.attack_type == "suicide_bombing" and row.target_type == "business"


def test_several_incidents_in_one_report():
    df = attacks(drafts("nangarhar_two_incidents.txt"))
    assert list(df["province"]) == ["Nangarhar", "Kunar"]
    assert [killed(r) for _, r in df.iterrows()] == [(4, 4, 4), (3, 3, 3)]
    assert list(df["wounded_best"]) == [9, 2]
    assert list(df["date"]) == [pd.Timestamp("2024-06-03"), pd.Timestamp("2024-06-02")]
    assert list(df["attribution"]) == ["unclaimed", "attributed"]
    assert df.loc[1, "perpetrator"] == "ISKP"
    assert df.loc[0, "target_type"] == "transport" and df.loc[1, "target_type"] == "security_forces"
    assert df.loc[1, "combatants_killed_best"] == 3


def test_numbers_that_are_not_casualties():
    df = drafts("tricky_numbers.txt")
    att = attacks(df)
    assert len(att) == 1
    row = att.iloc[0]
    assert killed(row) == (2, 2, 2) and pd.isna(row["wounded_best"])
    assert row["date"] == pd.Timestamp("2017-09-30")
    assert row["province"] == "Jowzjan" and "dateline" in row["flags"]
    # "1,400 operations ... against the group" is a counter-terrorism statement, not an attack
    assert (df["kind"] == "counter_terrorism").sum() == 1
    for col in ("killed_best", "wounded_best"):
        assert not df[col].isin([300, 19, 30, 1400, 120, 16, 2015]).any()


def test_aggregate_and_counter_terrorism_are_separated():
    df = drafts("aggregate_and_ct.txt")
    assert list(df["kind"]) == ["aggregate", "counter_terrorism", "attack"]
    agg, ct, att = (df.iloc[i] for i in range(3))
    assert agg["killed_best"] == 120 and agg["civilians_killed_best"] == 90 and agg["combatants_killed_best"] == 30
    assert agg["date_earliest"] == pd.Timestamp("2022-12-20") and agg["date_latest"] == pd.Timestamp("2023-03-20")
    assert ct["detained_best"] == 15 and ct["province"] == "Balkh" and ct["perpetrator"] == "Taliban"
    assert killed(att) == (2, 2, 2) and att["place"] == "Dasht-e Barchi"
    assert len(to_incidents(df)) == 1


def test_joint_attack_share_and_words():
    (row,) = [r for _, r in attacks(drafts("joint_attack_words.txt")).iterrows()]
    assert killed(row) == (51, 51, 51) and row["civilians_killed_best"] == 31
    assert (row["perpetrator"], row["attribution"]) == ("Taliban and/or ISKP", "disputed")
    assert (row["province"], row["district"]) == ("Sar-e Pul", "Sayad")
    assert row["date"] == pd.Timestamp("2017-08-05")


def test_html_is_stripped():
    df = drafts("aybak_html.html")
    (row,) = [r for _, r in attacks(df).iterrows()]
    assert killed(row) == (19, 19, 19) and row["wounded_best"] == 24
    assert row["date"] == pd.Timestamp("2022-11-30") and row["province"] == "Samangan"
    assert row["attribution"] == "unclaimed" and row["target_type"] == "education"
    assert "999" not in df.attrs["text"]  # the script block is not text


def test_without_publication_date_the_window_is_wide_and_flagged():
    (row,) = [r for _, r in attacks(drafts("undated_weekday.txt")).iterrows()]
    assert row["date_precision"] == "unknown"
    assert "no publication date" in row["flags"]
    anchored = attacks(drafts("undated_weekday.txt", published="2024-03-02")).iloc[0]
    assert anchored["date"] == pd.Timestamp("2024-02-29") and anchored["date_precision"] == "day"


def test_evidence_spans_are_exact_substrings():
    for path in sorted(FIX.iterdir()):
        df = draft_incidents(path.read_text(encoding="utf-8"), source=path.name)
        text = df.attrs.get("text", "")
        for col in EVIDENCE_COLUMNS:
            for value in df[col].dropna():
                for span in str(value).split(" | "):
                    assert span in text, (path.name, col, span)


def test_attack_drafts_pass_the_schema():
    frames = [draft_incidents(p.read_text(encoding="utf-8"), source=p.name) for p in sorted(FIX.iterdir())]
    inc = to_incidents(pd.concat(frames, ignore_index=True))
    assert len(inc) >= 9
    out = validate_incidents(inc)
    assert out.n_quarantined == 0, out.report


def test_one_incident_in_several_reports_is_linked():
    df = draft_files([FIX / "kunduz_bank_a.txt", FIX / "kunduz_bank_b.txt", FIX / "nangarhar_two_incidents.txt"])
    att = df[df["kind"] == "attack"]
    kunduz = att[att["province"] == "Kunduz"]
    assert len(kunduz) == 2 and kunduz["cluster"].nunique() == 1
    assert sorted(kunduz["killed_best"]) == [5, 8]  # the reports disagree; both drafts keep their figures
    assert att[att["province"] != "Kunduz"]["cluster"].nunique() == 2
    assert set(df["source_file"]) == {str(FIX / n) for n in ("kunduz_bank_a.txt", "kunduz_bank_b.txt", "nangarhar_two_incidents.txt")}


# ------------------------------------------------------------------ bad input
@pytest.mark.parametrize("text", ["", "   \n\n  ", "<html><body></body></html>"])
def test_empty_text_gives_empty_frame(text):
    with pytest.warns(DraftWarning, match="empty"):
        df = draft_incidents(text)
    assert df.empty and tuple(df.columns) == DRAFT_COLUMNS


def test_non_english_text_is_flagged():
    dari = "در یک انفجار در شهر کابل دست کم ۵۳ نفر کشته و ۱۱۰ تن دیگر زخمی شدند."
    with pytest.warns(DraftWarning, match="English"):
        df = draft_incidents(dari)
    assert df.empty and df.attrs["flags"]


def test_very_long_text_is_cut_and_flagged():
    body = (FIX / "nangarhar_two_incidents.txt").read_text(encoding="utf-8")
    text = body + "\n\n" + ("Officials met to discuss the budget for the coming year. " * 9000)
    assert len(text) > MAX_CHARS
    df = draft_incidents(text, published="2024-06-04")
    assert len(attacks(df)) == 2
    assert df["flags"].str.contains("longer than").all()


def test_wrong_types_raise_clear_errors():
    with pytest.raises(TypeError, match="decode"):
        draft_incidents(b"bytes")
    with pytest.raises(TypeError, match="str"):
        draft_incidents(None)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        draft_incidents("A blast killed two people in Kabul on Monday.", published="5/12/2022")
    with pytest.raises(ValueError, match="outside"):
        draft_incidents("A blast killed two people in Kabul on Monday.", published="2263-01-01")


def test_clean_text_keeps_plain_text():
    raw = "Six civilians were injured.\r\nNo group claimed it."
    assert clean_text(raw) == "Six civilians were injured.\nNo group claimed it."


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.one_of(
            st.text(max_size=80),
            st.sampled_from([
                "killed", "at least", "53", "dozens", "on Saturday", "last December", "Kabul", "province",
                "claimed responsibility", "<p>", "</div>", "&amp;", "three days ago (", "ISKP", ".", ",",
                "were wounded", "in the last two months", "respectively", "and", "arrested 12 militants",
            ]),
        ),
        max_size=40,
    ),
    st.one_of(st.none(), st.dates(min_value=dt.date(1970, 1, 1), max_value=dt.date.today()).map(lambda d: d.isoformat())),
)
def test_random_text_never_crashes(parts, published):
    text = " ".join(parts)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DraftWarning)
        df = draft_incidents(text, published=published)
    assert tuple(df.columns) == DRAFT_COLUMNS
    assert set(df["kind"]) <= {"attack", "aggregate", "counter_terrorism"}
    lo, best, hi = df["killed_low"], df["killed_best"], df["killed_high"]
    ok = lo.isna() | best.isna() | (lo <= best)
    assert ok.all() and (best.isna() | hi.isna() | (best <= hi)).all()
    assert (df["date_earliest"] <= df["date"]).all() and (df["date"] <= df["date_latest"]).all()


# ------------------------------------------------------------------ CLI
def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "analysis", *args], capture_output=True, text=True, timeout=120)


def test_cli_folder_and_files(tmp_path):
    out = tmp_path / "drafts.csv"
    r = run("draft", str(FIX), "-o", str(out))
    assert r.returncode == 0, r.stderr
    df = pd.read_csv(out)
    assert set(df["source_file"].map(lambda s: Path(s).name)) >= {"kunduz_bank_a.txt", "aybak_html.html"}
    assert "attack" in r.stdout
    out2 = tmp_path / "one.csv"
    r = run("draft", str(FIX / "undated_weekday.txt"), "--published", "2024-03-02", "-o", str(out2))
    assert r.returncode == 0, r.stderr
    assert pd.read_csv(out2)["date"].tolist() == ["2024-02-29"]


def test_cli_errors_are_one_line(tmp_path):
    r = run("draft", str(tmp_path / "missing.txt"), "-o", str(tmp_path / "x.csv"))
    assert r.returncode == 2 and "no such file" in r.stderr and "Traceback" not in r.stderr
    r = run("draft", str(FIX), "--published", "yesterday", "-o", str(tmp_path / "x.csv"))
    assert r.returncode == 2 and "YYYY-MM-DD" in r.stderr


def test_claim_in_next_paragraph_and_speaker_is_not_target():
    df = attacks(drafts("kabul_centre_and_mazar.txt"))
    assert list(df["province"]) == ["Kabul", "Balkh"]
    kabul, mazar = df.iloc[0], df.iloc[1]
    assert killed(kabul) == (19, 19, 19) and kabul["wounded_best"] == 27
    assert kabul["attribution"] == "unclaimed" and kabul["target_type"] == "education"
    assert kabul["date"] == pd.Timestamp("2022-09-30")  # the dateline's Friday
    assert mazar["date"] == pd.Timestamp("2022-09-29") and mazar["place"] == "Mazar-i-Sharif"
    assert mazar["target_type"] != "security_forces"  # "a spokesman for the provincial police said"


def test_counter_terrorism_counts_militants_killed_and_detained():
    df = drafts("taliban_raid.txt", published="2023-05-10")
    assert list(df["kind"]) == ["counter_terrorism", "attack"]
    ct, att = df.iloc[0], df.iloc[1]
    assert ct["perpetrator"] == "Taliban" and ct["killed_best"] == 3 and ct["detained_best"] == 4
    assert ct["province"] == "Nangarhar" and pd.isna(ct["attack_type"])
    assert att["province"] == "Kunar" and att["wounded_best"] == 5 and pd.isna(att["killed_best"])
    assert att["date"] == pd.Timestamp("2023-05-08") and att["attribution"] == "unclaimed"
