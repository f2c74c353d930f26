"""A researcher's own spreadsheet through a mapping, in Python and on the command line."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

import analysis
from analysis.cli import EXIT_OK, EXIT_ROWS_REJECTED, EXIT_UNUSABLE, app
from analysis.sources import ingest_file, read_source
from analysis.sources.adapter import UnknownColumnWarning

from ._sources import assert_balanced

MAPPING = {"date": "Date of attack", "province": "Where", "killed": "Deaths", "wounded": "Injuries", "perpetrator": "Group"}

# A hand-made sheet in the layout the issue describes (day-first dates, provinces as
# people write them, one count each), with one misspelt province and one bad date.
SHEET = """Date of attack,Where,Deaths,Injuries,Group,Comment
03/04/2021,kabul,12,30,IS-K,first
26/08/2021,Kabul Province,170,200,ISKP,
05/09/2021,Jalalabad,2,,Taliban,
12/10/2021,Kandahr,,5,Taleban,
2021-10-15T09:00:00+04:30,Kandahar,47,70,Daesh,
15/13/2021,Helmand,1,1,Unknown,
"""


@pytest.fixture
def sheet(tmp_path):
    p = tmp_path / "my_attacks.csv"
    p.write_text(SHEET)
    return p


def test_own_layout_through_a_mapping(sheet, tmp_path):
    with pytest.warns(UnknownColumnWarning, match="Comment"):
        df = read_source(sheet, mapping=MAPPING, dayfirst=True, quarantine=tmp_path / "q.csv")
    s = df.attrs["ingest"]
    assert s.format == "mapping" and (s.rows_in, s.rows_mapped, s.rows_quarantined) == (6, 4, 2)
    assert_balanced(s)
    assert df["date"].dt.strftime("%Y-%m-%d").tolist() == ["2021-04-03", "2021-08-26", "2021-09-05", "2021-10-15"]
    assert df["province_code"].tolist() == ["AF-KAB", "AF-KAB", "AF-NAN", "AF-KAN"]
    assert df["place"].tolist()[2] == "Jalalabad"  # a city gives its province
    assert (df["country"] == "AFG").all() and (df["source_dataset"] == "other").all()
    assert df["perpetrator"].tolist() == ["ISKP", "ISKP", "Taliban", "ISKP"]
    assert (df["killed_low"] == df["killed_best"]).all() and (df["killed_best"] == df["killed_high"]).all()
    assert df["killed_best"].tolist() == [12, 170, 2, 47] and pd.isna(df.loc[2, "wounded_best"])
    q = pd.read_csv(tmp_path / "q.csv", dtype=str)
    reasons = dict(zip(q["row"].astype(int), q["reasons"], strict=True))
    assert reasons[4].startswith("Where: province_unknown (Kandahr: did you mean Kandahar?)")
    assert reasons[6] == "Date of attack: date_unparseable"


def test_month_first_by_default(sheet):
    with pytest.warns(UnknownColumnWarning):
        out = ingest_file(sheet, mapping=MAPPING)
    assert out.valid["date"].iloc[0] == pd.Timestamp("2021-03-04")
    assert "Date of attack: date_unparseable" in out.quarantined["reasons"].tolist()  # 26/08/2021


def test_the_same_record_has_the_same_id_in_every_file(sheet, tmp_path):
    other = tmp_path / "copy.csv"
    other.write_text(SHEET.replace(",first", ",changed comment"))  # an unmapped column differs
    with pytest.warns(UnknownColumnWarning):
        a = ingest_file(sheet, mapping=MAPPING, dayfirst=True).valid
        b = ingest_file(other, mapping=MAPPING, dayfirst=True).valid
    assert a["incident_id"].tolist() == b["incident_id"].tolist()


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        ({k: v for k, v in MAPPING.items() if k != "perpetrator"}, "required column 'perpetrator' unmapped"),
        ({k: v for k, v in MAPPING.items() if k != "date"}, "required column 'date' unmapped"),
        ({**MAPPING, "killed": "Dead"}, "no column 'Dead'; did you mean 'Deaths'"),
        ({**MAPPING, "provence": "Where"}, "'provence' is not a canonical column; did you mean 'province'"),
        ({**MAPPING, "killed": 3}, "must be the name of one of your columns"),
    ],
)
def test_a_bad_mapping_is_a_clear_error(sheet, mapping, message):
    with pytest.raises(analysis.InputError, match=message):
        read_source(sheet, mapping=mapping)


def test_own_layout_on_the_command_line(sheet, tmp_path):
    runner = CliRunner()
    m = tmp_path / "map.json"
    m.write_text(json.dumps(MAPPING))
    out, q = tmp_path / "out.csv", tmp_path / "q.csv"
    res = runner.invoke(app, ["ingest", str(sheet), "--mapping", str(m), "--dayfirst", "-o", str(out), "-q", str(q)])
    assert res.exit_code == EXIT_ROWS_REJECTED, res.output
    assert "warning:" in res.output and "Comment" in res.output
    written = analysis.read_source(out)
    assert len(written) == 4 and written["date"].iloc[0] == pd.Timestamp("2021-04-03")
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"date": "Date of attack"}))
    res = runner.invoke(app, ["ingest", str(sheet), "--mapping", str(bad), "-o", str(out)])
    assert res.exit_code == EXIT_UNUSABLE and "unmapped" in res.output
    bad.write_text("[1, 2]")
    res = runner.invoke(app, ["ingest", str(sheet), "--mapping", str(bad), "-o", str(out)])
    assert res.exit_code == EXIT_UNUSABLE and "JSON object" in res.output


def test_clean_sheet_exits_0(tmp_path):
    p = tmp_path / "clean.csv"
    p.write_text("Date of attack;Where;Deaths;Injuries;Group\n03/04/2021;Herat;4;5;Taliban\n")
    m = tmp_path / "map.json"
    m.write_text(json.dumps(MAPPING))
    res = CliRunner().invoke(app, ["ingest", str(p), "--mapping", str(m), "--dayfirst", "-o", str(tmp_path / "o.parquet")])
    assert res.exit_code == EXIT_OK, res.output
    assert pd.read_parquet(tmp_path / "o.parquet")["province_code"].tolist() == ["AF-HER"]
