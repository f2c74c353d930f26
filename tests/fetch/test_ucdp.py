"""fetch_ucdp / ``analysis fetch ucdp`` against a local server answering as UCDP's API
documents: the first fetch, a later incremental one with revisions, deletions in the
re-fetched window, failures that leave the store byte for byte as it was, 429 with
Retry-After, and missing or rejected tokens."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest
import stamina
from typer.testing import CliRunner

import analysis
from analysis.cli import app
from analysis.fetch import FetchError, RowsQuarantinedError, fetch_ucdp
from analysis.schema import COLUMNS

from ._fake_api import UCDP_TOKEN, ucdp_event
from .conftest import FAST


def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def _debris(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".pages-" in p.name or p.name.endswith(".tmp"))


AFGHAN = [
    ucdp_event(1001, "2024-01-15", 6, low=5, high=8, civilians=1),
    ucdp_event(1002, "2024-02-03", 12, low=10, high=20, side_a="IS", side_b="Civilians", tov=3,
               adm_1="Nangarhar province", civilians=12),
    ucdp_event(1003, "2024-03-21", 3, adm_1="Helmand province"),
    ucdp_event(1004, "2024-04-02", 9, low=7, high=9, adm_1="Kabul province"),
    ucdp_event(1005, "2024-05-30", 1),
    ucdp_event(1006, "2024-06-10", 4, low=4, high=6, adm_1="Kunduz province"),
    ucdp_event(1007, "2024-06-20", 2, adm_1="Balkh province"),
]  # fmt: skip
PAKISTAN = [
    ucdp_event(2001, "2024-02-11", 30, country="Pakistan", country_id=770, adm_1="Khyber Pakhtunkhwa province"),
    ucdp_event(2002, "2024-06-15", 5, country="Pakistan", country_id=770, adm_1="Balochistan province"),
]


@pytest.fixture
def served(ucdp):
    ucdp.events().extend([dict(e) for e in AFGHAN + PAKISTAN])
    return ucdp


def _fetch(served, store, **kw):
    kw.setdefault("dataset_version", "25.0.9")
    return fetch_ucdp(store, api_url=served.api_url, page_size=3, retry=FAST, **kw)


def test_first_fetch_stores_every_afghan_event_in_the_canonical_schema(served, tmp_path):
    store = tmp_path / "ucdp.parquet"
    s = _fetch(served, store)
    data = analysis.load_incidents(store)  # canonical and valid
    assert list(data.columns) == list(COLUMNS)
    assert sorted(data["incident_id"]) == [f"ucdp-{e['id']}" for e in AFGHAN]
    assert set(data["country"]) == {"AFG"}
    # UCDP's deaths totals are preserved: best, low and high, and the civilian part
    assert data["killed_best"].sum() == sum(e["best"] for e in AFGHAN)
    assert data["killed_low"].sum() == sum(e["low"] for e in AFGHAN)
    assert data["killed_high"].sum() == sum(e["high"] for e in AFGHAN)
    assert data["civilians_killed_best"].sum() == sum(e["deaths_civilians"] for e in AFGHAN)
    assert data.set_index("incident_id").loc["ucdp-1002", "perpetrator"] == "ISKP"
    # the documented request: Country filter (Gleditsch-Ward 700), paging from 0, the token header
    pages = [r for r in served.requests if r[0] == "/api/gedevents/25.0.9"]
    assert [r[1]["page"] for r in pages] == ["0", "1", "2"]
    assert all(r[1]["Country"] == "700" and r[1]["pagesize"] == "3" for r in pages)
    assert all(r[2]["X-Ucdp-Access-Token"] == UCDP_TOKEN for r in pages)
    assert (s.pages, s.fetched, s.new, s.revised, s.deleted, s.unchanged) == (3, 7, 7, 0, 0, 0)
    assert (s.rows_before, s.rows_after, s.killed_after) == (0, 7, sum(e["best"] for e in AFGHAN))
    assert s.ingest.totals_agree and s.written
    assert _debris(tmp_path) == []


def test_second_fetch_adds_new_events_and_replaces_revised_ones(served, tmp_path):
    store = tmp_path / "ucdp.parquet"
    _fetch(served, store)
    events = served.events()
    revised = next(e for e in events if e["id"] == 1006)
    revised.update(best=7, high=9, source_headline="toll revised upwards")
    events += [ucdp_event(1008, "2024-07-04", 3), ucdp_event(1009, "2024-07-19", 11, adm_1="Ghazni province")]
    s = _fetch(served, store, dataset_version=None)  # the store remembers the version
    # only the recent part is asked for: the last stored date (2024-06-20) minus 28 days
    assert served.requests[-1][1]["StartDate"] == "2024-05-23"
    assert (s.new, s.revised, s.deleted, s.unchanged) == (2, 1, 0, 2)  # 1005 and 1007 unchanged
    assert s.fetched == s.new + s.revised + s.unchanged + s.quarantined
    data = analysis.load_incidents(store)
    assert data["incident_id"].is_unique and len(data) == 9 == s.rows_after
    assert data.set_index("incident_id").loc["ucdp-1006", "killed_best"] == 7
    assert data["killed_best"].sum() == sum(e["best"] for e in events if e["country_id"] == 700)
    history = pd.read_parquet(tmp_path / "ucdp.history.parquet")
    assert history[["incident_id", "change", "killed_best"]].values.tolist() == [["ucdp-1006", "revised", 4]]
    assert history["dataset"].iloc[0] == "UCDP GED 25.0.9"
    assert not (tmp_path / "ucdp.deletions.csv").exists()


def test_an_event_dropped_inside_the_refetched_window_is_deleted_and_logged(served, tmp_path):
    store = tmp_path / "ucdp.parquet"
    _fetch(served, store)
    served.events()[:] = [e for e in served.events() if e["id"] not in (1006, 1001)]
    s = _fetch(served, store)
    # 1006 (2024-06-10) lies in the re-fetched window and is gone; 1001 (January) is older
    # than the window, so its absence says nothing and it stays
    assert (s.deleted, s.rows_after) == (1, 6)
    ids = set(analysis.load_incidents(store)["incident_id"])
    assert "ucdp-1006" not in ids and "ucdp-1001" in ids
    log = pd.read_csv(tmp_path / "ucdp.deletions.csv", dtype=str)
    assert log["incident_id"].tolist() == ["ucdp-1006"]
    assert "no longer served by UCDP" in log["reason"].iloc[0]
    history = pd.read_parquet(tmp_path / "ucdp.history.parquet")
    assert history[["incident_id", "change"]].values.tolist() == [["ucdp-1006", "deleted"]]


def test_a_run_that_changes_nothing_leaves_the_store_bytes_alone(served, tmp_path):
    store = tmp_path / "ucdp.parquet"
    _fetch(served, store)
    before = _sha(store)
    s = _fetch(served, store)
    assert not s.written and (s.new, s.revised, s.deleted) == (0, 0, 0) and s.unchanged == s.fetched
    assert _sha(store) == before
    assert "store unchanged" in s.summary()


def test_a_500_on_a_later_page_leaves_the_store_byte_for_byte_unchanged(served, tmp_path):
    store = tmp_path / "ucdp.parquet"
    _fetch(served, store, full=True)
    before = _sha(store)
    served.events().append(ucdp_event(1010, "2024-08-01", 8))
    served.events()[0]["best"] = 60
    served.events()[0]["high"] = 60
    served.faults[2] = [(500, {})] * 10  # page 3 of 3 fails on every try
    with stamina.set_testing(True, attempts=3):  # no waiting between the tries
        r = CliRunner().invoke(
            app,
            ["fetch", "ucdp", "--store", str(store), "--api-url", served.api_url, "--page-size", "3", "--full"],
        )
    assert r.exit_code == 1, r.output
    *retries, last = r.output.splitlines()
    assert last == "error: UCDP page 3: HTTP 500 after 3 tries; the store is unchanged"
    assert all(line.startswith("UCDP page 3: HTTP 500; retrying") for line in retries)
    assert "Traceback" not in r.output
    assert _sha(store) == before
    assert not (tmp_path / "ucdp.history.parquet").exists()
    assert _debris(tmp_path) == []


def test_a_429_with_retry_after_is_waited_out_and_the_run_succeeds(served, tmp_path):
    served.faults[1] = [(429, {"Retry-After": "1"})]
    lines: list[str] = []
    s = _fetch(served, tmp_path / "ucdp.parquet", echo=lines.append)
    assert s.new == len(AFGHAN)
    second = [r for r in served.requests if r[1].get("page") == "1"]
    assert len(second) == 2 and second[1][3] - second[0][3] >= 0.95  # waited the second asked for
    assert lines == ["UCDP page 2: HTTP 429; retrying in 1 s (Retry-After) (try 2 of 4)"]


def test_missing_token_exits_2_with_one_clear_line(served, tmp_path, monkeypatch):
    monkeypatch.delenv("UCDP_ACCESS_TOKEN")
    store = tmp_path / "ucdp.parquet"
    r = CliRunner().invoke(
        app, ["fetch", "ucdp", "--store", str(store), "--api-url", served.api_url, "--dataset-version", "25.0.9"]
    )
    assert r.exit_code == 2
    assert r.output.startswith("error: UCDP_ACCESS_TOKEN is not set") and r.output.count("\n") == 1
    assert served.requests == [] and list(tmp_path.iterdir()) == []


def test_a_rejected_token_exits_2_and_is_never_printed(served, tmp_path, monkeypatch):
    monkeypatch.setenv("UCDP_ACCESS_TOKEN", "expired-token-0000")
    r = CliRunner().invoke(
        app, ["fetch", "ucdp", "--store", str(tmp_path / "u.parquet"), "--api-url", served.api_url,
              "--dataset-version", "25.0.9"],
    )  # fmt: skip
    assert r.exit_code == 2 and "rejected the access token" in r.output
    assert "expired-token-0000" not in r.output


def test_the_events_served_must_add_up_to_totalcount(served, tmp_path):
    served.overstate = 1
    with pytest.raises(FetchError, match="announced 8 events and served 7"):
        _fetch(served, tmp_path / "ucdp.parquet")
    assert list(tmp_path.iterdir()) == [tmp_path / ".ucdp.parquet.lock"]


def test_an_unknown_version_or_a_first_run_without_one_exits_2(served, tmp_path):
    store = tmp_path / "ucdp.parquet"
    runner = CliRunner()
    base = ["fetch", "ucdp", "--store", str(store), "--api-url", served.api_url]
    r = runner.invoke(app, base)
    assert r.exit_code == 2 and "--dataset-version is needed" in r.output
    r = runner.invoke(app, [*base, "--dataset-version", "99.9"])
    assert r.exit_code == 2 and "HTTP 404" in r.output and not store.exists()


def test_unmappable_records_stop_the_run_or_go_to_the_quarantine(served, tmp_path):
    served.events().append(ucdp_event(1011, "2024-06-25", 5, adm_1="Atlantis province"))
    store = tmp_path / "ucdp.parquet"
    with pytest.raises(RowsQuarantinedError) as err:
        _fetch(served, store)
    assert err.value.summary.quarantined == 1 and not store.exists()
    assert set(err.value.report["rule"]) == {"province_unknown"}
    q = tmp_path / "rejects.csv"
    r = CliRunner().invoke(
        app, ["fetch", "ucdp", "--store", str(store), "--api-url", served.api_url, "--page-size", "3",
              "--dataset-version", "25.0.9", "--quarantine", str(q)],
    )  # fmt: skip
    assert r.exit_code == 1, r.output  # rows were quarantined, as with ingest
    assert "quarantined:     1" in r.output
    rejects = pd.read_csv(q, dtype=str)
    assert rejects["id"].tolist() == ["1011"] and "province_unknown" in rejects["reasons"].iloc[0]
    assert len(analysis.load_incidents(store)) == len(AFGHAN)
