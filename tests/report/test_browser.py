"""Open the HTML report in a real browser (headless Chromium) and check that it renders
with every image loaded. Skips when Chromium is not installed (Debian: apt-get install
chromium chromium-driver)."""

from __future__ import annotations

import struct

import pytest

import analysis
from analysis.report import build_report
from analysis.report.browser import check_report, find_chromium

pytestmark = pytest.mark.skipif(find_chromium() is None, reason="chromium not installed")


def _png_size(path):
    with open(path, "rb") as fh:
        head = fh.read(24)
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", head[16:24])


def test_report_renders_in_chromium_with_all_images(tmp_path):
    df = analysis.simulate_incidents(n_years=3, start="2019-01-01", base_rate=8, seed=11)
    data = tmp_path / "sim.csv"
    df.to_csv(data, index=False)
    out = tmp_path / "report"
    build_report(data, out=out, notebooks=["01_data"], parameters={"n_boot": 5}, echo=None)
    n_png = len(list((out / "figures").glob("*.png")))
    shot = tmp_path / "screenshot.png"
    res = check_report(out / "report.html", screenshot=shot)
    assert res["images"] == n_png >= 3
    assert res["broken"] == 0, res["broken_alt"]
    assert res["toc_links"] >= 4 and res["toc_targets_missing"] == 0
    assert res["title"].startswith("Insurgent and terrorist violence")
    w, h = _png_size(shot)
    assert (w, h) == (1280, 1800) and shot.stat().st_size > 20_000  # not a blank page


def test_broken_image_is_detected(tmp_path):
    page = tmp_path / "bad.html"
    page.write_text(
        "<!DOCTYPE html><html><head><title>t</title></head><body>"
        "<img alt='ok' src='data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJ"
        "AAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=='>"
        "<img alt='bad' src='data:image/png;base64,bm90IGFuIGltYWdl'></body></html>"
    )
    res = check_report(page)
    assert res["images"] == 2 and res["broken"] == 1 and res["broken_alt"] == ["bad"]
