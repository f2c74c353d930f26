"""The report's key findings are written from the results: on data with opposite
properties they say opposite things, and what the data cannot estimate is named."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import analysis
from analysis import config
from analysis.report import NOTEBOOKS, build_report

LIGHT = {"n_sims": 19, "backtest_periods": 6}

#: Rising trend, a strong season peaking in July, and a level shift in July 2015.
RISING = dict(n_years=7, start="2012-01-01", base_rate=12, trend=0.1, seasonal_amplitude=0.6,
              peak_month=7, breaks={"2015-07-01": 0.8}, dispersion=0.05, seed=2)
#: Falling trend, no season, no break.
FALLING = dict(n_years=6, start="2012-01-01", base_rate=8, trend=-0.1, seasonal_amplitude=0.0,
               breaks={}, dispersion=0.05, seed=1)
#: A constant level: no trend, no season, no break.
FLAT = dict(n_years=6, start="2012-01-01", base_rate=10, trend=0.0, seasonal_amplitude=0.0,
            breaks={}, dispersion=0.05, seed=1)


def _build(tmp_path_factory, name: str, sim: dict, notebooks, **kw) -> Path:
    root = tmp_path_factory.mktemp(name)
    data = root / f"{name}.csv"
    analysis.simulate_incidents(**sim).to_csv(data, index=False)
    out = root / "report"
    build_report(data, out=out, notebooks=notebooks, parameters=LIGHT, echo=None, **kw)
    return out


def _sections(out: Path) -> dict[str, dict]:
    return {p.stem: json.loads(p.read_text()) for p in sorted((out / "numbers").glob("*.json"))}


def _finding(out: Path, section: str, key: str) -> str:
    found = {f["key"]: f["text"] for f in _sections(out)[section]["findings"]}
    assert key in found, f"{section} has no finding {key!r}: {found}"
    return found[key]


def _number(out: Path, section: str, key: str):
    nums = {n["key"]: n["value"] for n in _sections(out)[section]["numbers"]}
    return nums[key]


@pytest.fixture(scope="module")
def rising(tmp_path_factory):
    return _build(tmp_path_factory, "rising", RISING, ["02_frequency", "03_seasonality"])


@pytest.fixture(scope="module")
def falling(tmp_path_factory):
    return _build(tmp_path_factory, "falling", FALLING, ["02_frequency", "03_seasonality"])


def test_trend_direction_follows_the_data(rising, falling):
    up = _finding(rising, "02_frequency", "trend")
    down = _finding(falling, "02_frequency", "trend")
    assert " rose by " in up and "95% CI" in up, up
    assert " fell by " in down and "95% CI" in down, down


def test_season_is_named_only_when_there_is_one(rising, falling):
    season = _finding(rising, "03_seasonality", "season")
    assert "follow a seasonal pattern" in season, season
    assert re.search(r"peaking in (June|July|August) at [\d.]+ times the annual mean \(95% CI", season)
    assert "more than the" in _finding(rising, "03_seasonality", "fighting_season")
    none = _finding(falling, "03_seasonality", "season")
    assert "no clear seasonal pattern" in none, none
    assert "not clearly different" in _finding(falling, "03_seasonality", "fighting_season")


def test_change_point_found_at_the_break_and_none_without(rising, tmp_path_factory):
    text = _finding(rising, "02_frequency", "change_points")
    assert "no change point" not in text and "change point" in text, text
    dates = [pd.Timestamp(d) for d in str(_number(rising, "02_frequency", "change_points")).split(", ")]
    assert min(abs((d - pd.Timestamp("2015-07-01")).days) for d in dates) <= 92, dates
    flat = _build(tmp_path_factory, "flat", FLAT, ["02_frequency"])
    assert "no change point" in _finding(flat, "02_frequency", "change_points")
    assert "no trend" in _finding(flat, "02_frequency", "trend")


def test_key_findings_open_the_report_and_link_to_their_section(rising):
    html = (rising / "report.html").read_text()
    block = html[html.index("id='key-findings'"):]
    block = block[: block.index("</section>")]
    for s in _sections(rising).values():
        for f in s["findings"]:
            assert f"href='#{f['anchor']}'" in block or f'href="#{f["anchor"]}"' in block
            assert f"id='{f['anchor']}'" in html


def test_twenty_incidents_build_and_say_what_is_not_estimable(tmp_path):
    """The first 20 bundled incidents: the report builds (exit 0) and each section that
    cannot be estimated says so, with a reason."""
    if not config.BUNDLED_INCIDENTS.is_file():
        pytest.skip("bundled dataset not present")
    lines = config.BUNDLED_INCIDENTS.read_text(encoding="utf-8").splitlines(keepends=True)
    data = tmp_path / "twenty.csv"
    data.write_text("".join(lines[:21]), encoding="utf-8")
    assert len(pd.read_csv(data)) == 20
    out = tmp_path / "report"
    run = subprocess.run(
        [sys.executable, "-m", "analysis", "report", "--data", str(data), "--out", str(out),
         "--n-sims", "19"],
        capture_output=True, text=True, timeout=300,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    sections = _sections(out)
    assert set(sections) == set(NOTEBOOKS)
    # too few events for a seasonal profile and for the province model
    assert sections["03_seasonality"]["skipped"] and sections["06_spatial"]["skipped"]
    html = (out / "report.html").read_text()
    for s in sections.values():
        for item in s["skipped"]:
            assert item["reason"].strip()
            assert f"{item['what']}: not estimable from these data." in html, item
    assert html.count("not estimable from these data") >= sum(len(s["skipped"]) for s in sections.values())


def test_start_and_end_apply_in_every_section(tmp_path_factory):
    sim = dict(n_years=5, start="2016-01-01", base_rate=8, dispersion=0.1, breaks={}, seed=4)
    start, end = pd.Timestamp("2017-01-01"), pd.Timestamp("2019-12-31")
    out = _build(tmp_path_factory, "window", sim, None, start=str(start.date()), end=str(end.date()))
    df = analysis.simulate_incidents(**sim)
    inside = df["date"].between(start, end)
    assert _number(out, "01_data", "incidents") == int(inside.sum()) < len(df)
    date_re = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")
    checked = 0
    for name, s in _sections(out).items():
        for n in s["numbers"]:
            v = n["value"]
            if isinstance(v, str) and date_re.match(v) and "forecast" not in n["key"]:
                assert start <= pd.Timestamp(v) <= end, (name, n)
                checked += 1
    for csv in (out / "tables").glob("*.csv"):
        if "forecast" in csv.stem:  # a forecast is about periods after the window
            continue
        t = pd.read_csv(csv)
        for col in {"date", "start", "end", "period", "origin", "target"} & set(t.columns):
            when = pd.to_datetime(t[col], errors="coerce").dropna()
            assert when.empty or (when.min() >= start and when.max() <= end), (csv.name, col)
            checked += len(when)
    assert checked > 10
