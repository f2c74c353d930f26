"""Fixtures of the fetch tests: local stand-ins for the two APIs (no test touches the
internet), credentials in the environment, and retries that wait milliseconds."""

from __future__ import annotations

import pytest

from analysis.fetch import RetryPolicy

from ._fake_api import ACLED_PASSWORD, ACLED_USER, UCDP_TOKEN, FakeAcled, FakeUcdp

#: Retries as in production, with waits of milliseconds (a Retry-After up to 2 s is honoured).
FAST = RetryPolicy(attempts=4, wait_initial=0.01, wait_max=0.02, wait_jitter=0.0, max_retry_after=2.0, timeout=10)


@pytest.fixture
def ucdp(httpserver, monkeypatch) -> FakeUcdp:
    monkeypatch.setenv("UCDP_ACCESS_TOKEN", UCDP_TOKEN)
    return FakeUcdp(httpserver)


@pytest.fixture
def acled(httpserver, monkeypatch) -> FakeAcled:
    monkeypatch.setenv("ACLED_USERNAME", ACLED_USER)
    monkeypatch.setenv("ACLED_PASSWORD", ACLED_PASSWORD)
    return FakeAcled(httpserver)
