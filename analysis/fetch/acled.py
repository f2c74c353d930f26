"""ACLED through ACLED's API: ``fetch_acled``.

Follows ACLED's API documentation (https://acleddata.com/api-documentation/):

* **Authentication**: an OAuth password grant, ``POST {api}/oauth/token`` with the form
  fields ``username``, ``password``, ``grant_type=password`` and ``client_id=acled``,
  answers an ``access_token`` (valid for a day) and a ``refresh_token``; requests carry
  ``Authorization: Bearer <access_token>``. When a request answers 401 mid-run the
  token is renewed once with ``grant_type=refresh_token`` (or, if that is refused, a
  new password grant) and the request is repeated.
* **Events**: ``GET {api}/api/acled/read?_format=json`` with ``country`` (ACLED's
  name) or ``iso`` (ISO numeric), ``event_date`` with ``event_date_where`` (``BETWEEN``
  two dates joined by ``|``), ``timestamp`` with ``timestamp_where=>=``, ``limit`` rows
  per ``page`` (from 1). The answer's ``data`` holds the rows; pages are read until one
  holds fewer than ``limit``, and each page's ``count`` must equal its rows.
* **Deletions**: ``GET {api}/api/deleted/read?_format=json`` with
  ``deleted_timestamp`` and ``deleted_timestamp_where=>=`` lists ``event_id_cnty`` and
  ``deleted_timestamp`` of every event ACLED removed since then.

**Incremental**, as ACLED recommends for a local copy (its "keeping your dataset
updated" guide, and ``acled_update()`` in acledR): a revised event keeps its
``event_id_cnty`` and gets a new ``timestamp``. The first run fetches the window; a
later run fetches only events whose ``timestamp`` is at or after the newest one
stored, and removes the ids the deletions endpoint lists since then.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import InputError
from .countries import Country, resolve_country
from .errors import CredentialError, FetchError
from .http import ApiClient, RetryPolicy
from .pages import PageArea, page_bar
from .run import Fetched, FetchSummary, Plan, SourceOptions, run_fetch

__all__ = ["ACLED_API_URL", "PASSWORD_ENV", "USERNAME_ENV", "fetch_acled"]

ACLED_API_URL = "https://acleddata.com"
USERNAME_ENV, PASSWORD_ENV = "ACLED_USERNAME", "ACLED_PASSWORD"
PAGE_SIZE = 5000
MAX_PAGES = 100_000


class AcledOAuth:
    """ACLED's OAuth tokens for one run, from ``ACLED_USERNAME`` and ``ACLED_PASSWORD``."""

    def __init__(self, username: str, password: str):
        self._username, self._password = username, password
        self._access: str | None = None
        self._refresh: str | None = None
        self.client: ApiClient | None = None
        self.token_url = ""
        self.renewals = 0

    def __repr__(self) -> str:
        return "AcledOAuth(***)"

    @classmethod
    def from_env(cls) -> AcledOAuth:
        user = os.environ.get(USERNAME_ENV, "").strip()
        password = os.environ.get(PASSWORD_ENV, "")
        missing = [n for n, v in ((USERNAME_ENV, user), (PASSWORD_ENV, password)) if not v]
        if missing:
            raise CredentialError(
                f"{' and '.join(missing)} not set: ACLED's API needs your myACLED account's "
                f"username (e-mail) and password in {USERNAME_ENV} and {PASSWORD_ENV}"
            )
        return cls(user, password)

    def _grant(self, form: dict[str, str], what: str) -> None:
        assert self.client is not None
        try:
            body = self.client.request_json("POST", self.token_url, what, data=form, signed=False)
        except (CredentialError, InputError) as exc:
            raise CredentialError(f"ACLED did not accept {USERNAME_ENV}/{PASSWORD_ENV}: {exc}") from None
        if not isinstance(body, dict) or not body.get("access_token"):
            raise FetchError(f"ACLED's answer to {what} holds no access_token")
        self._access = str(body["access_token"])
        self._refresh = str(body["refresh_token"]) if body.get("refresh_token") else None

    def login(self) -> None:
        form = {"username": self._username, "password": self._password, "grant_type": "password", "client_id": "acled"}
        self._grant(form, "the token request")

    def headers(self) -> dict[str, str]:
        if self._access is None:
            self.login()
        return {"Authorization": f"Bearer {self._access}"}

    def refresh(self) -> None:
        """Renew the access token (an expired one): refresh grant, else a new login."""
        self.renewals += 1
        if self._refresh:
            form = {"grant_type": "refresh_token", "refresh_token": self._refresh, "client_id": "acled"}
            try:
                self._grant(form, "the token refresh")
                return
            except CredentialError:
                pass
        self.login()

    def secrets(self) -> list[str]:
        return [s for s in (self._password, self._access, self._refresh) if s]


def _rows(body: Any, what: str) -> list[dict[str, Any]]:
    if isinstance(body, dict) and body.get("success") is False:
        raise FetchError(f"ACLED refused {what}: {body.get('error') or body.get('messages') or 'no reason given'}")
    if not isinstance(body, dict) or not isinstance(body.get("data"), list):
        raise FetchError(f"ACLED's answer to {what} is not in the documented shape (status, success, count, data)")
    rows = body["data"]
    if "count" in body and str(body["count"]).isdigit() and int(body["count"]) != len(rows):
        raise FetchError(f"ACLED's {what} says count {body['count']} and holds {len(rows)} rows")
    return rows


def _filters(country: Country, start: str | None, end: str | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if country.name is not None:
        out["country"] = country.name
    else:
        out["iso"] = country.iso_numeric
    if start and end:
        out.update(event_date=f"{start}|{end}", event_date_where="BETWEEN")
    elif start or end:
        out.update(event_date=start or end, event_date_where=">=" if start else "<=")
    return out


def _iso_time(value: object) -> str | None:
    try:
        return dt.datetime.fromtimestamp(int(str(value)), dt.UTC).isoformat()
    except (TypeError, ValueError, OverflowError):
        return None if value in (None, "") else str(value)


def _newest(records: list[dict[str, Any]]) -> int | None:
    stamps = [int(str(r["timestamp"])) for r in records if str(r.get("timestamp", "")).isdigit()]
    return max(stamps) if stamps else None


@dataclass(kw_only=True)
class AcledSource(SourceOptions):
    """The ACLED side of a run (see the module docstring)."""

    oauth: AcledOAuth

    name = "acled"
    id_field = "event_id_cnty"
    deleted_reason = "listed by ACLED's deleted endpoint"
    window_reason = "no longer served by ACLED for the window"

    def plan(self, state: dict[str, Any] | None, stored: pd.DataFrame) -> Plan:
        country, start, end, given = self.scope(state, "acled")
        since = None if self.full or state is None else state.get("timestamp")
        note = f"; added or changed since {_iso_time(since)}" if since is not None else ""
        describe = f"ACLED, {country.label()}, events from {start or 'the first'} to {end or 'the latest'}{note}"
        keep = {
            "source": "acled", "country": country.key, "country_value": given,
            "start": start, "end": end, "timestamp": (state or {}).get("timestamp"), "since": since,
        }  # fmt: skip
        return Plan(describe=describe, dataset="ACLED", state=keep)

    def _read(self, client: ApiClient, path: str, kind: str, params: dict[str, Any], pages: PageArea, bar) -> None:
        url = f"{self.api_url.rstrip('/')}{path}"
        for page in range(1, MAX_PAGES + 1):
            what = f"{kind} page {page}"
            body = client.request_json("GET", url, what, params={**params, "limit": self.page_size, "page": page})
            rows = _rows(body, what)
            pages.save(kind, rows)
            bar.update(1)
            if len(rows) < self.page_size:
                return
        raise FetchError(f"ACLED served more than {MAX_PAGES} pages of {kind}; narrow the window")

    def fetch(self, plan: Plan, pages: PageArea, progress: bool | None) -> Fetched:
        s = plan.state
        country = resolve_country(s["country_value"], "acled")
        params = {"_format": "json", **_filters(country, s["start"], s["end"])}
        since = s["since"]
        if since is not None:
            params.update(timestamp=since, timestamp_where=">=")
        with ApiClient("ACLED", retry=self.retry, echo=self.echo) as client, page_bar("ACLED", progress) as bar:
            self.oauth.client, self.oauth.token_url = client, f"{self.api_url.rstrip('/')}/oauth/token"
            client.credential = self.oauth
            self._read(client, "/api/acled/read", "events", params, pages, bar)
            if since is not None:
                deleted_params = {"_format": "json", "deleted_timestamp": since, "deleted_timestamp_where": ">="}
                self._read(client, "/api/deleted/read", "deleted", deleted_params, pages, bar)
        records = pages.records("events")
        gone = {str(r.get("event_id_cnty")): _iso_time(r.get("deleted_timestamp")) for r in pages.records("deleted")}
        window = None
        if since is None:  # a whole window was fetched: what it lacks is gone
            window = (pd.Timestamp(s["start"]) if s["start"] else None, pd.Timestamp(s["end"]) if s["end"] else None)
        return Fetched(
            records=records,
            pages=pages.pages("events") + pages.pages("deleted"),
            deleted=gone,
            window=window,
            state={"served_timestamp": _newest(records)},
        )

    def settle(self, fetched: Fetched, outcome: Any, state: dict[str, Any]) -> dict[str, Any]:
        served = state.pop("served_timestamp", None)
        state.pop("since", None)
        if served is not None and not outcome.summary.rows_quarantined:
            # a quarantined record must be served again next time, so the mark stays put
            state["timestamp"] = max(served, state.get("timestamp") or 0)
        return state


def fetch_acled(
    store: str | Path,
    *,
    country: str | int | None = None,
    start: Any = None,
    end: Any = None,
    api_url: str | None = None,
    quarantine: str | Path | None = None,
    full: bool = False,
    page_size: int = PAGE_SIZE,
    retry: RetryPolicy | None = None,
    progress: bool | None = None,
    echo: Callable[[str], None] | None = None,
) -> FetchSummary:
    """Keep a canonical incident store current from ACLED's API, revisions and deletions applied.

    Each event is mapped by the ACLED adapter of :mod:`analysis.sources` (``fatalities``,
    ACLED's most conservative figure, is both ``killed_low`` and ``killed_best``), with
    the same quarantine as ``ingest``.

    Parameters
    ----------
    store : str or Path
        The Parquet store (created by the first run), with ``NAME.history.parquet``
        and ``NAME.deletions.csv`` beside it.
    country : str or int, optional
        A name (ACLED's spelling) or ISO alpha-3 code, or an ISO numeric code.
        Default: the store's, else Afghanistan.
    start, end : date-like, optional
        The window of event dates the store holds (set by the first run).
    api_url : str, optional
        The API's base address (default :data:`ACLED_API_URL`); for mirrors and tests.
    quarantine : str or Path, optional
        Where records that cannot be mapped go (CSV or Parquet), with reasons. Without
        it such records stop the run with :class:`RowsQuarantinedError`, nothing written.
    full : bool
        Re-fetch the whole window (and delete what it lacks) instead of only changes.
    page_size : int
        Rows per page (ACLED's ``limit``; 5000 by default, as ACLED's own).
    retry, progress, echo
        As in :func:`analysis.fetch.fetch_ucdp`.

    Returns
    -------
    FetchSummary

    Raises
    ------
    CredentialError
        ``ACLED_USERNAME`` or ``ACLED_PASSWORD`` is not set, or ACLED rejected them.
    StoreError, FetchError
        As in :func:`analysis.fetch.fetch_ucdp`.
    """
    if int(page_size) < 1:
        raise InputError(f"page_size {page_size}: give a positive number of rows per page")
    source = AcledSource(
        oauth=AcledOAuth.from_env(), store=Path(store), country=country, start=start, end=end,
        api_url=api_url or ACLED_API_URL, full=full, page_size=int(page_size), retry=retry, echo=echo,
    )  # fmt: skip
    return run_fetch(source, store, quarantine=quarantine, progress=progress)
