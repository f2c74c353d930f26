"""The HTTP layer: Retry-After parsing, bounded retries, network errors, and credentials
kept out of every message."""

from __future__ import annotations

import datetime as dt
import socket

import pytest

from analysis.fetch import FetchError, RetryPolicy, fetch_ucdp
from analysis.fetch.http import parse_retry_after

from ._fake_api import ucdp_event
from .conftest import FAST


def test_retry_after_in_seconds_or_as_an_http_date():
    now = dt.datetime(2026, 3, 1, 12, 0, 0, tzinfo=dt.UTC)
    assert parse_retry_after("7", now) == 7.0
    assert parse_retry_after("Sun, 01 Mar 2026 12:00:30 GMT", now) == 30.0
    assert parse_retry_after("Sun, 01 Mar 2026 11:00:00 GMT", now) == 0.0  # in the past: at once
    assert parse_retry_after(None) is None and parse_retry_after("soon") is None


@pytest.fixture
def served(ucdp):
    ucdp.events().extend([ucdp_event(1, "2024-01-05", 2), ucdp_event(2, "2024-02-05", 3)])
    return ucdp


def _run(served, tmp_path, **kw):
    return fetch_ucdp(tmp_path / "u.parquet", dataset_version="25.0.9", api_url=served.api_url, page_size=1, **kw)


def test_a_retry_after_beyond_the_bound_stops_the_run_instead_of_sleeping(served, tmp_path):
    served.faults[1] = [(503, {"Retry-After": "3600"})]
    with pytest.raises(FetchError, match=r"asks to wait 3600 s \(Retry-After\), more than the 2 s allowed"):
        _run(served, tmp_path, retry=FAST)
    assert [r[1]["page"] for r in served.requests] == ["0", "1"]  # no second try
    assert not (tmp_path / "u.parquet").exists()


def test_server_errors_are_retried_up_to_the_bound(served, tmp_path):
    served.faults[0] = [(502, {})] * 3
    assert _run(served, tmp_path, retry=FAST).new == 2  # three failures, the fourth try works
    served.faults[0] = [(502, {})] * 4
    with pytest.raises(FetchError, match="HTTP 502 after 4 tries"):
        _run(served, tmp_path / "x", retry=FAST)


def test_a_server_that_does_not_answer_is_a_network_error(tmp_path, monkeypatch):
    monkeypatch.setenv("UCDP_ACCESS_TOKEN", "t")
    with socket.socket() as s:  # a port with nobody listening
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(FetchError, match=r"page 1: network error \(ConnectError\) after 2 tries"):
        fetch_ucdp(tmp_path / "u.parquet", dataset_version="25.0.9", api_url=f"http://127.0.0.1:{port}/api",
                   retry=RetryPolicy(attempts=2, wait_initial=0.01, wait_max=0.01, wait_jitter=0))  # fmt: skip


def test_an_error_answer_quoted_in_a_message_has_the_credential_blanked(served, tmp_path, httpserver):
    from werkzeug import Response

    from ._fake_api import UCDP_TOKEN

    httpserver.clear()
    httpserver.expect_request("/api/gedevents/25.0.9").respond_with_handler(
        lambda req: Response(f"bad request from token {req.headers['x-ucdp-access-token']}", status=400)
    )
    with pytest.raises(Exception, match=r"HTTP 400\) on page 1: bad request from token \*\*\*") as err:
        _run(served, tmp_path, retry=FAST)
    assert UCDP_TOKEN not in str(err.value)


def test_a_redirect_is_not_followed(served, tmp_path, httpserver):
    httpserver.clear()
    httpserver.expect_request("/api/gedevents/25.0.9").respond_with_data(
        "", status=301, headers={"Location": "http://elsewhere.invalid/api/gedevents/25.0.9"}
    )
    with pytest.raises(Exception, match=r"redirect \(HTTP 301\) to http://elsewhere.invalid/.*not followed"):
        _run(served, tmp_path, retry=FAST)
