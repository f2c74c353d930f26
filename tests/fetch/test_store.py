"""The store and the files beside it: only files this package made are replaced, a store
answers one source, country and window, and the history records each change once."""

from __future__ import annotations

import hashlib

import pandas as pd
import pytest
from typer.testing import CliRunner

import analysis
from analysis.cli import app
from analysis.fetch import StoreError, fetch_acled, fetch_ucdp
from analysis.fetch import store as st
from analysis.io import PathClashError

from ._fake_api import acled_event, ucdp_event
from .conftest import FAST


@pytest.fixture
def served(ucdp):
    ucdp.events().extend([ucdp_event(1, "2024-01-05", 2), ucdp_event(2, "2024-02-05", 3)])
    return ucdp


def _ucdp(served, store, **kw):
    kw.setdefault("dataset_version", "25.0.9")
    return fetch_ucdp(store, api_url=served.api_url, retry=FAST, **kw)


@pytest.mark.parametrize("content", ["csv", "parquet"])
def test_a_file_the_package_did_not_make_is_never_replaced(served, tmp_path, content):
    store = tmp_path / "mine.parquet"
    if content == "csv":
        store.write_text("thesis notes\n")
    else:
        analysis.load_incidents().head(3).to_parquet(store)  # canonical, but not a fetch store
    before = hashlib.sha256(store.read_bytes()).hexdigest()
    r = CliRunner().invoke(
        app, ["fetch", "ucdp", "--store", str(store), "--api-url", served.api_url, "--dataset-version", "25.0.9"]
    )
    assert r.exit_code == 2 and "not a store made by `analysis fetch`" in r.output
    assert hashlib.sha256(store.read_bytes()).hexdigest() == before
    assert served.requests == []


def test_a_store_answers_one_source_country_and_window(served, acled, tmp_path):
    store = tmp_path / "ucdp.parquet"
    _ucdp(served, store, start="2024-01-01")
    with pytest.raises(StoreError, match="holds ucdp events"):
        fetch_acled(store, api_url=acled.api_url, retry=FAST)
    with pytest.raises(StoreError, match="holds AFG, not Pakistan"):
        _ucdp(served, store, country="Pakistan")
    with pytest.raises(StoreError, match="--start 2023-01-01 asks for another window"):
        _ucdp(served, store, start="2023-01-01")
    again = _ucdp(served, store, country="700", start="2024-01-01", full=True)  # the same, spelled otherwise
    assert (again.unchanged, again.written) == (2, False)


def test_the_store_must_be_parquet_and_may_not_be_another_output(served, tmp_path):
    with pytest.raises(StoreError, match=r"ending in \.parquet"):
        _ucdp(served, tmp_path / "ucdp.csv")
    with pytest.raises(PathClashError):
        _ucdp(served, tmp_path / "u.parquet", quarantine=tmp_path / "u.history.parquet")
    r = CliRunner().invoke(
        app, ["fetch", "ucdp", "--store", str(tmp_path / "u.parquet"), "-q", str(tmp_path / "u.parquet"),
              "--api-url", served.api_url, "--dataset-version", "25.0.9"],
    )  # fmt: skip
    assert r.exit_code == 2 and "are the same file" in r.output


def test_a_foreign_history_or_log_beside_the_store_is_refused(served, tmp_path):
    store = tmp_path / "ucdp.parquet"
    _ucdp(served, store)
    (tmp_path / "ucdp.deletions.csv").write_text("my,own,file\n1,2,3\n")
    with pytest.raises(StoreError, match="is not a fetch deletion log"):
        _ucdp(served, store)
    (tmp_path / "ucdp.deletions.csv").unlink()
    pd.DataFrame({"a": [1]}).to_parquet(tmp_path / "ucdp.history.parquet")
    with pytest.raises(StoreError, match="is not a fetch history"):
        _ucdp(served, store)


def test_the_store_is_a_valid_canonical_file_for_validate_and_its_state_is_kept(served, tmp_path):
    store = tmp_path / "ucdp.parquet"
    _ucdp(served, store, start="2024-01-01")
    r = CliRunner().invoke(app, ["validate", str(store)])
    assert r.exit_code == 0, r.output
    state = st.read_state(store)
    assert {k: state[k] for k in ("source", "country", "start", "end", "dataset_version")} == {
        "source": "ucdp", "country": "AFG", "start": "2024-01-01", "end": None, "dataset_version": "25.0.9"
    }  # fmt: skip


def test_the_history_records_a_change_seen_twice_only_once(tmp_path):
    data = analysis.load_incidents().head(2)
    changes = st.Changes(
        new=data.iloc[:0], revised=data.iloc[:1], previous=data.iloc[:1], deleted=data.iloc[1:],
        deleted_at=pd.Series([None], index=data.index[1:]), reasons=pd.Series(["gone"], index=data.index[1:]),
        unchanged=0,
    )  # fmt: skip
    path = tmp_path / "h.parquet"
    for _ in range(2):  # e.g. a run interrupted after the history was written, then run again
        st._append_history(path, st._history_rows(changes, "2026-01-01T00:00:00+00:00", "test"))
    assert pd.read_parquet(path)["change"].tolist() == ["revised", "deleted"]


def test_acled_deletion_of_an_id_served_again_keeps_the_served_record(acled, tmp_path):
    acled.put(acled_event("AFG1", "2024-01-02", 1, timestamp=10), acled_event("AFG2", "2024-01-03", 2, timestamp=11))
    store = tmp_path / "a.parquet"
    fetch_acled(store, api_url=acled.api_url, retry=FAST)
    acled.deleted.append({"event_id_cnty": "AFG1", "deleted_timestamp": "20"})
    acled.put(acled_event("AFG1", "2024-01-02", 5, timestamp=30))  # restored, revised
    s = fetch_acled(store, api_url=acled.api_url, retry=FAST)
    assert (s.deleted, s.revised) == (0, 1)
