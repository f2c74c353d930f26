"""fetch_acled / ``analysis fetch acled`` against a local server answering as ACLED's API
documents: OAuth password grant and refresh, events by ``timestamp``, the deleted
endpoint, failures that leave the store byte for byte as it was, 429 with Retry-After,
and missing or rejected credentials."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest
import stamina
from typer.testing import CliRunner

import analysis
from analysis.cli import app
from analysis.fetch import CredentialError, fetch_acled

from ._fake_api import ACLED_PASSWORD, acled_event
from .conftest import FAST

T0 = 1_717_000_000  # ACLED timestamps (Unix seconds) of the first publication


def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


AFGHAN = [
    acled_event("AFG70001", "2024-03-02", 4, timestamp=T0 + 1),
    acled_event("AFG70002", "2024-03-09", 0, timestamp=T0 + 2, admin1="Nangarhar", actor1="Taliban",
                actor2="Military Forces of Afghanistan (2021-)"),
    acled_event("AFG70003", "2024-03-21", 21, timestamp=T0 + 3),
    acled_event("AFG70004", "2024-04-30", 2, timestamp=T0 + 4, admin1="Kandahar", actor1="Taliban"),
    acled_event("AFG70005", "2024-05-06", 6, timestamp=T0 + 5, admin1="Herat"),
]  # fmt: skip
PAKISTAN = [acled_event("PAK90001", "2024-03-05", 9, timestamp=T0 + 6, country="Pakistan", iso="586",
                        admin1="Khyber Pakhtunkhwa", actor1="Tehrik-i-Taliban Pakistan (TTP)")]  # fmt: skip


@pytest.fixture
def served(acled):
    acled.put(*[dict(e) for e in AFGHAN + PAKISTAN])
    return acled


def _fetch(served, store, **kw):
    return fetch_acled(store, api_url=served.api_url, page_size=2, retry=FAST, **kw)


def _data_requests(served):
    return [r for r in served.requests if r[0].startswith("/api/")]


def test_first_fetch_stores_every_afghan_event_with_fatalities_preserved(served, tmp_path):
    store = tmp_path / "acled.parquet"
    s = _fetch(served, store, start="2024-01-01", end="2024-12-31")
    data = analysis.load_incidents(store)
    assert sorted(data["incident_id"]) == [f"acled-{e['event_id_cnty']}" for e in AFGHAN]
    assert data["killed_best"].sum() == sum(int(e["fatalities"]) for e in AFGHAN)
    assert data["killed_low"].sum() == data["killed_best"].sum()  # ACLED's one figure is both
    # one password grant; the documented filters and a Bearer token on every data request
    assert served.grants == ["password"]
    reads = _data_requests(served)
    assert [r[1]["page"] for r in reads] == ["1", "2", "3"]
    assert all(r[1]["country"] == "Afghanistan" and r[1]["event_date"] == "2024-01-01|2024-12-31"
               and r[1]["event_date_where"] == "BETWEEN" and r[1]["_format"] == "json" for r in reads)  # fmt: skip
    assert all(r[2]["Authorization"] == "Bearer access-0" for r in reads)
    assert (s.fetched, s.new, s.rows_after, s.pages) == (5, 5, 5, 3)


def test_second_fetch_applies_revisions_and_deletions_by_timestamp(served, tmp_path):
    store = tmp_path / "acled.parquet"
    _fetch(served, store)
    revised = dict(served.events["AFG70003"], fatalities="25", timestamp=str(T0 + 500))
    served.put(revised, acled_event("AFG70006", "2024-06-01", 3, timestamp=T0 + 600))
    served.delete("AFG70002", T0 + 400)
    s = _fetch(served, store)
    # only what was added or changed since the newest stored timestamp, and deletions since then
    reads = [r for r in _data_requests(served) if r[0] == "/api/acled/read"][-1]
    assert (reads[1]["timestamp"], reads[1]["timestamp_where"]) == (str(T0 + 5), ">=")  # newest Afghan one
    deleted = [r for r in _data_requests(served) if r[0] == "/api/deleted/read"]
    assert deleted[0][1]["deleted_timestamp"] == str(T0 + 5)
    # AFG70005 carries the newest stored timestamp itself (">="), so it comes back unchanged
    assert (s.new, s.revised, s.deleted, s.unchanged) == (1, 1, 1, 1)
    data = analysis.load_incidents(store).set_index("incident_id")
    assert data.index.is_unique and len(data) == 5 == s.rows_after
    assert data.loc["acled-AFG70003", "killed_best"] == 25 and "acled-AFG70002" not in data.index
    history = pd.read_parquet(tmp_path / "acled.history.parquet").set_index("incident_id")
    assert history.loc["acled-AFG70003", "change"] == "revised" and history.loc["acled-AFG70003", "killed_best"] == 21
    assert history.loc["acled-AFG70002", "change"] == "deleted"
    log = pd.read_csv(tmp_path / "acled.deletions.csv", dtype=str)
    assert log[["incident_id", "deleted_at", "reason"]].values.tolist() == [
        ["acled-AFG70002", "2024-05-29T16:33:20+00:00", "listed by ACLED's deleted endpoint"]
    ]
    # a third run asks from the newest timestamp now stored, and changes nothing
    before = _sha(store)
    again = _fetch(served, store)
    assert [r for r in _data_requests(served) if r[0] == "/api/acled/read"][-1][1]["timestamp"] == str(T0 + 600)
    assert not again.written and _sha(store) == before


def test_an_expired_token_is_refreshed_once_mid_run(served, tmp_path):
    served.expire_after = 2  # the first token dies after two requests; four pages are needed
    served.put(*[acled_event(f"AFG7100{i}", "2024-07-0" + str(i + 1), 1, timestamp=T0 + 10 + i) for i in range(2)])
    s = _fetch(served, tmp_path / "acled.parquet")  # 7 events: pages of 2, 2, 2 and 1
    assert s.new == 7
    assert served.grants == ["password", "refresh_token"]
    auths = [r[2]["Authorization"] for r in _data_requests(served)]
    assert auths == ["Bearer access-0"] * 3 + ["Bearer access-1"] * 2  # the 3rd was refused, then repeated


def test_a_refresh_that_does_not_help_is_a_credential_error(served, tmp_path):
    served.expire_after = 0  # every token is refused at once
    with pytest.raises(CredentialError, match=r"rejected the credentials \(HTTP 401\) on events page 1"):
        _fetch(served, tmp_path / "acled.parquet")
    assert served.grants == ["password", "refresh_token"]
    assert not (tmp_path / "acled.parquet").exists()


def test_a_500_mid_run_leaves_the_store_byte_for_byte_unchanged(served, tmp_path):
    store = tmp_path / "acled.parquet"
    _fetch(served, store, full=True)
    before = _sha(store)
    served.put(dict(served.events["AFG70001"], fatalities="40", timestamp=str(T0 + 50)))
    served.faults[("events", 2)] = [(503, {})] * 10
    with stamina.set_testing(True, attempts=2):
        r = CliRunner().invoke(
            app, ["fetch", "acled", "--store", str(store), "--api-url", served.api_url, "--page-size", "2", "--full"]
        )
    assert r.exit_code == 1
    assert r.output.splitlines()[-1] == "error: ACLED events page 2: HTTP 503 after 2 tries; the store is unchanged"
    assert _sha(store) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".acled.parquet.lock", "acled.parquet"]


def test_a_429_with_retry_after_is_retried_and_the_run_succeeds(served, tmp_path):
    served.faults[("events", 1)] = [(429, {"Retry-After": "1"})]
    lines: list[str] = []
    s = _fetch(served, tmp_path / "acled.parquet", echo=lines.append)
    assert s.new == 5 and lines == ["ACLED events page 1: HTTP 429; retrying in 1 s (Retry-After) (try 2 of 4)"]
    first = [r for r in _data_requests(served) if r[1]["page"] == "1"]
    assert len(first) == 2 and first[1][3] - first[0][3] >= 0.95


def test_missing_credentials_exit_2_naming_the_variables(served, tmp_path, monkeypatch):
    monkeypatch.delenv("ACLED_PASSWORD")
    r = CliRunner().invoke(app, ["fetch", "acled", "--store", str(tmp_path / "a.parquet"), "--api-url", served.api_url])
    assert r.exit_code == 2 and r.output.count("\n") == 1
    assert r.output.startswith("error: ACLED_PASSWORD not set")
    assert served.requests == []


def test_a_wrong_password_exits_2_and_is_never_printed(served, tmp_path, monkeypatch):
    monkeypatch.setenv("ACLED_PASSWORD", "hunter2-wrong")
    r = CliRunner().invoke(app, ["fetch", "acled", "--store", str(tmp_path / "a.parquet"), "--api-url", served.api_url])
    assert r.exit_code == 2, r.output
    assert "did not accept ACLED_USERNAME/ACLED_PASSWORD" in r.output and "HTTP 400" in r.output
    assert "hunter2-wrong" not in r.output and ACLED_PASSWORD not in r.output


def test_a_country_outside_the_table_is_asked_for_by_iso_number(served, tmp_path):
    s = _fetch(served, tmp_path / "pak.parquet", country="586")
    assert s.new == 1
    assert _data_requests(served)[0][1]["country"] == "Pakistan"  # 586 is in the table
    served.put(acled_event("NPL1", "2024-02-01", 1, timestamp=T0, country="Nepal", iso="524"))
    _fetch(served, tmp_path / "npl.parquet", country=524)
    last = _data_requests(served)[-1][1]
    assert last["iso"] == "524" and "country" not in last


def test_a_full_run_deletes_what_the_window_no_longer_holds(served, tmp_path):
    store = tmp_path / "acled.parquet"
    _fetch(served, store, start="2024-03-01", end="2024-04-30")
    served.events.pop("AFG70001")  # gone without an entry in the deleted list
    s = _fetch(served, store, full=True)
    assert (s.deleted, s.unchanged, s.rows_after) == (1, 3, 3)
    log = pd.read_csv(tmp_path / "acled.deletions.csv", dtype=str)
    assert log["reason"].tolist() == ["no longer served by ACLED for the window"]
    assert not [r for r in _data_requests(served) if r[0] == "/api/deleted/read"]
