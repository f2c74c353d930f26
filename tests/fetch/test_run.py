"""A run as a whole: killed mid-run (SIGTERM, Ctrl-C) it leaves no temporary pages and
the store as it was; a second run on the same store is refused; and ``report
--if-changed`` rebuilds after a fetch that changed the store, not after one that did not."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.fetch import FetchError, fetch_ucdp
from analysis.io import file_lock

from ._fake_api import UCDP_TOKEN, ucdp_event
from .conftest import FAST

ROOT = Path(__file__).resolve().parents[2]
PROVINCES = ["Kandahar province", "Nangarhar province", "Kabul province", "Helmand province", "Kunduz province"]


def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


@pytest.fixture
def served(ucdp):
    # two years of made-up events, a few a month, in five provinces
    for i in range(60):
        day = f"{2023 + i // 30}-{1 + (i % 30) // 3:02d}-{1 + (7 * i) % 27:02d}"
        ucdp.events().append(ucdp_event(3000 + i, day, 1 + (i * 7) % 13, adm_1=PROVINCES[i % 5]))
    return ucdp


@pytest.mark.parametrize("sig,code", [(signal.SIGTERM, 143), (signal.SIGINT, 130)], ids=["SIGTERM", "SIGINT"])
def test_a_run_killed_mid_fetch_leaves_no_pages_and_the_store_unchanged(served, tmp_path, sig, code):
    store = tmp_path / "ucdp.parquet"
    fetch_ucdp(store, dataset_version="25.0.9", api_url=served.api_url, retry=FAST)
    before = _sha(store)
    served.events()[0]["best"] = 99
    served.events()[0]["high"] = 99
    served.hold.clear()
    served.hold_page = 3  # pages 0-2 arrive and are saved; page 3 hangs until the kill
    env = {**os.environ, "PYTHONPATH": str(ROOT), "UCDP_ACCESS_TOKEN": UCDP_TOKEN}
    proc = subprocess.Popen(
        [sys.executable, "-m", "analysis", "fetch", "ucdp", "--store", str(store), "--api-url", served.api_url,
         "--page-size", "10", "--full"],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert served.waiting.wait(120), "the run never reached page 4"
        pages = [p for p in tmp_path.iterdir() if ".pages-" in p.name]
        assert len(pages) == 1 and len(list(pages[0].iterdir())) == 3  # the temporary area, filling
        proc.send_signal(sig)
        _out, err = proc.communicate(timeout=60)
    finally:
        served.hold.set()
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == code, err
    assert err.strip().splitlines()[-1].endswith("the store is unchanged") and "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == [".ucdp.parquet.lock", "ucdp.parquet"]
    assert _sha(store) == before


def test_a_second_run_on_the_same_store_is_refused_while_one_runs(served, tmp_path):
    store = tmp_path / "ucdp.parquet"
    with file_lock(store, lambda p: RuntimeError("held")):
        with pytest.raises(FetchError, match="another fetch is updating this store"):
            fetch_ucdp(store, dataset_version="25.0.9", api_url=served.api_url, retry=FAST)
    assert served.requests == [] and not store.exists()


@pytest.fixture
def frozen_code_hash(monkeypatch):
    """Other work may edit the package meanwhile; the code hash must not decide here."""
    from analysis.report import build as build_mod

    monkeypatch.setattr(build_mod, "code_sha256", lambda: "0" * 64)


def test_report_if_changed_rebuilds_after_a_fetch_that_changed_the_store_only(served, tmp_path, frozen_code_hash):
    from analysis.report import build_report

    store, out = tmp_path / "ucdp.parquet", tmp_path / "report"

    def report():
        return build_report(store, out=out, notebooks=["01_data"], parameters={"n_sims": 5},
                            if_changed=True, echo=None)  # fmt: skip

    def fetch():
        return fetch_ucdp(store, dataset_version="25.0.9", api_url=served.api_url, retry=FAST)

    assert fetch().written
    first = report()
    assert not first.skipped
    assert not fetch().written  # nothing new: the store keeps its bytes ...
    assert report().skipped  # ... so the report is up to date
    served.events().append(ucdp_event(4000, "2024-12-20", 17))
    assert fetch().new == 1
    rebuilt = report()
    assert not rebuilt.skipped and rebuilt.fingerprint != first.fingerprint
    assert rebuilt.manifest["inputs"]["data"] != first.manifest["inputs"]["data"]
