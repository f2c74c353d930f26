"""HTTP for the fetchers: one ``httpx`` client, bounded retries, credentials in headers.

* **Retries** (with :mod:`stamina`): an answer 429 or 5xx, or a network error (refused
  connection, timeout), is retried up to ``RetryPolicy.attempts`` times in all, with
  exponential backoff and jitter between tries. A ``Retry-After`` header (seconds or
  an HTTP date) sets the wait instead, unless it asks for more than
  ``RetryPolicy.max_retry_after``: then the run stops with :class:`FetchError` rather
  than sleep for hours. When the tries run out the run stops with :class:`FetchError`.
* **Credentials** travel only in request headers, to the API's own address, and never
  appear in a message. A 401 answer asks the credential for a fresh token once (a
  token that expired mid-run) and repeats the request; a second 401, or a 403, is a
  :class:`CredentialError`.
* **Other refusals** (400, 404, ...) mean the request itself is wrong (an unknown
  dataset version, a malformed date): :class:`~analysis.errors.InputError`.
"""

from __future__ import annotations

import datetime as dt
import email.utils
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import httpx
import stamina

from .._version import __version__
from ..errors import InputError
from .errors import CredentialError, FetchError

__all__ = ["ApiClient", "Credential", "RetryPolicy", "parse_retry_after"]

USER_AGENT = f"afghan-violence-analysis/{__version__} (+fetch)"


@dataclass(frozen=True)
class RetryPolicy:
    """How a request is retried after a 429 or 5xx answer or a network error.

    The ``k``-th retry waits ``min(wait_max, wait_initial * 2**(k-1) + U(0, wait_jitter))``
    seconds, or the ``Retry-After`` the server sent if it is at most
    ``max_retry_after``. ``attempts`` counts every try of one request, the first
    included; ``timeout`` bounds one try (seconds to connect, and between bytes read).
    """

    attempts: int = 6
    wait_initial: float = 1.0
    wait_max: float = 60.0
    wait_jitter: float = 1.0
    max_retry_after: float = 600.0
    timeout: float = 120.0


class Credential(Protocol):
    """Supplies the headers that authenticate a request, and renews them once on 401."""

    def headers(self) -> dict[str, str]: ...

    def refresh(self) -> None: ...

    def secrets(self) -> list[str]: ...


class _Retryable(Exception):
    """A 429 or 5xx answer (retried)."""

    def __init__(self, status: int, retry_after: float | None):
        super().__init__(f"HTTP {status}")
        self.status = status
        self.retry_after = retry_after


class _Unauthorized(Exception):
    """A 401 answer."""


def parse_retry_after(value: str | None, now: dt.datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (seconds or an HTTP date); None if absent."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - (now or dt.datetime.now(dt.UTC))).total_seconds())


def _server_says(resp: httpx.Response, secrets: list[str]) -> str:
    """A short, single-line excerpt of an error answer's body, credentials blanked out."""
    body = resp.text
    for secret in secrets:
        if secret:
            body = body.replace(secret, "***")
    body = " ".join(body.split())[:160]
    return f": {body}" if body else ""


class ApiClient:
    """A client for one API: ``request_json`` with retries and credential handling.

    ``echo`` receives one line per retry (None: silent).
    """

    def __init__(
        self,
        service: str,
        *,
        retry: RetryPolicy | None = None,
        credential: Credential | None = None,
        echo: Callable[[str], None] | None = None,
    ):
        self.service = service
        self.retry = retry or RetryPolicy()
        self.credential = credential
        self.echo = echo
        self._http = httpx.Client(
            timeout=self.retry.timeout,
            headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
            follow_redirects=False,
        )

    def __enter__(self) -> ApiClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self._http.close()

    def request_json(
        self, method: str, url: str, what: str, *, params: Any = None, data: Any = None, signed: bool = True
    ) -> Any:
        """Send a request and return its JSON body. ``what`` names it in messages ("page 3")."""
        refreshed = False
        while True:
            headers = self.credential.headers() if signed and self.credential is not None else {}
            try:
                resp = self._send(method, url, what, params=params, data=data, headers=headers)
            except _Unauthorized:
                if not signed or self.credential is None or refreshed:
                    raise CredentialError(
                        f"{self.service} rejected the credentials (HTTP 401) on {what}"
                    ) from None
                self.credential.refresh()
                refreshed = True
                continue
            try:
                return resp.json()
            except ValueError:
                raise FetchError(f"{self.service} sent {what} that is not JSON") from None

    def _hook(self, what: str, tries: dict[str, int]) -> Callable[[Exception], bool | float]:
        policy = self.retry

        def decide(exc: Exception) -> bool | float:
            tries["n"] += 1
            if isinstance(exc, _Retryable):
                if exc.retry_after is not None and exc.retry_after > policy.max_retry_after:
                    return False
                wait: bool | float = True if exc.retry_after is None else exc.retry_after
                reason = str(exc)
            elif isinstance(exc, httpx.TransportError):
                wait, reason = True, f"network error ({type(exc).__name__})"
            else:
                return False
            if self.echo is not None and tries["n"] < policy.attempts:
                after = "" if wait is True else f" in {wait:g} s (Retry-After)"
                self.echo(
                    f"{self.service} {what}: {reason}; retrying{after} "
                    f"(try {tries['n'] + 1} of {policy.attempts})"
                )
            return wait

        return decide

    def _send(self, method: str, url: str, what: str, **kw: Any) -> httpx.Response:
        policy = self.retry
        tries = {"n": 0}  # failed tries so far, counted by the hook
        try:
            for attempt in stamina.retry_context(
                on=self._hook(what, tries),
                attempts=policy.attempts,
                timeout=None,
                wait_initial=policy.wait_initial,
                wait_max=policy.wait_max,
                wait_jitter=policy.wait_jitter,
            ):
                with attempt:
                    resp = self._http.request(method, url, **kw)
                    self._check(resp, what)
            return resp
        except _Retryable as exc:
            if exc.retry_after is not None and exc.retry_after > policy.max_retry_after:
                raise FetchError(
                    f"{self.service} {what}: HTTP {exc.status} asks to wait {exc.retry_after:g} s "
                    f"(Retry-After), more than the {policy.max_retry_after:g} s allowed; try again later"
                ) from None
            raise FetchError(f"{self.service} {what}: HTTP {exc.status} after {tries['n']} tries") from None
        except httpx.TransportError as exc:
            raise FetchError(
                f"{self.service} {what}: network error ({type(exc).__name__}) after {tries['n']} tries"
            ) from None

    def _check(self, resp: httpx.Response, what: str) -> None:
        status = resp.status_code
        if 200 <= status < 300:
            return
        if status == 401:
            raise _Unauthorized()
        if status == 429 or status >= 500:
            raise _Retryable(status, parse_retry_after(resp.headers.get("Retry-After")))
        secrets = self.credential.secrets() if self.credential is not None else []
        if 300 <= status < 400:
            raise InputError(
                f"{self.service} answered {what} with a redirect (HTTP {status}) to "
                f"{resp.headers.get('Location', '?')}; redirects are not followed, so that credentials "
                "go nowhere but --api-url: give the final address as --api-url"
            )
        if status == 403:
            raise CredentialError(
                f"{self.service} refused access (HTTP 403) on {what}{_server_says(resp, secrets)}"
            )
        raise InputError(
            f"{self.service} refused the request (HTTP {status}) on {what}{_server_says(resp, secrets)}"
        )
