"""UCDP GED through UCDP's API: ``fetch_ucdp``.

Follows UCDP's API documentation (https://ucdp.uu.se/apidocs/, and the API's own
OpenAPI description): ``GET {api}/gedevents/{version}`` with the filters ``Country``
(Gleditsch–Ward numbers), ``StartDate`` and ``EndDate`` (``YYYY-MM-DD``) and the
paging parameters ``pagesize`` (at most 1000) and ``page`` (from 0). Every request
carries the access token in the ``x-ucdp-access-token`` header. An answer is a page
``{"TotalCount", "TotalPages", "PreviousPageUrl", "NextPageUrl", "Result"}``; pages
are read until ``NextPageUrl`` is empty, and the events served must add up to
``TotalCount`` (the same on every page) or nothing is written.

The version is part of every call: a yearly GED release (``25.1``) or a monthly
Candidate release (``25.0.9``). Records keep their ``id`` across releases.

**Incremental.** The first run fetches the window (``start`` to ``end``, or all).
A later run fetches from the last stored date minus ``overlap_days`` (28 by default),
because Candidate events are revised after release. Within that re-fetched window a
stored event the API no longer serves is deleted (logged, and kept in the history);
``full=True`` re-fetches the whole window.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

import pandas as pd

from ..errors import InputError
from .countries import resolve_country
from .errors import CredentialError, FetchError
from .http import ApiClient, RetryPolicy
from .pages import PageArea, page_bar
from .run import Fetched, FetchSummary, Plan, SourceOptions, run_fetch

__all__ = ["OVERLAP_DAYS", "TOKEN_ENV", "UCDP_API_URL", "fetch_ucdp"]

UCDP_API_URL = "https://ucdpapi.pcr.uu.se/api"
TOKEN_ENV = "UCDP_ACCESS_TOKEN"
OVERLAP_DAYS = 28
PAGE_SIZE = 1000


class UcdpToken:
    """The access token from ``UCDP_ACCESS_TOKEN``, sent in ``x-ucdp-access-token``."""

    def __init__(self, token: str):
        self._token = token

    def __repr__(self) -> str:
        return "UcdpToken(***)"

    @classmethod
    def from_env(cls) -> UcdpToken:
        token = os.environ.get(TOKEN_ENV, "").strip()
        if not token:
            raise CredentialError(
                f"{TOKEN_ENV} is not set: UCDP's API needs an access token (request one from the "
                "API's maintainer, see https://ucdp.uu.se/apidocs/) in that environment variable"
            )
        return cls(token)

    def headers(self) -> dict[str, str]:
        return {"x-ucdp-access-token": self._token}

    def refresh(self) -> None:
        raise CredentialError(f"UCDP rejected the access token in {TOKEN_ENV} (HTTP 401)")

    def secrets(self) -> list[str]:
        return [self._token]


def _page_number(url: str) -> int | None:
    """The ``page`` a ``NextPageUrl`` points to (only that is used: requests stay on --api-url)."""
    query = {k.lower(): v for k, v in parse_qs(urlsplit(url).query).items()}
    try:
        return int(query["page"][0])
    except (KeyError, IndexError, ValueError):
        return None


def _page(body: Any, n: int) -> tuple[list[dict[str, Any]], int | None, int | None, str]:
    if not isinstance(body, dict) or not isinstance(body.get("Result"), list):
        raise FetchError(
            f"UCDP page {n} is not in the documented shape (TotalCount, TotalPages, NextPageUrl, Result)"
        )
    return body["Result"], body.get("TotalCount"), body.get("TotalPages"), body.get("NextPageUrl") or ""


@dataclass(kw_only=True)
class UcdpSource(SourceOptions):
    """The UCDP side of a run (see the module docstring)."""

    token: UcdpToken
    dataset_version: str | None
    overlap_days: int

    name = "ucdp"
    id_field = "id"
    deleted_reason = ""
    window_reason = "no longer served by UCDP for the window re-fetched"

    def plan(self, state: dict[str, Any] | None, stored: pd.DataFrame) -> Plan:
        state = state or None
        country, start, end, given = self.scope(state, "ucdp")
        version = str(self.dataset_version or (state or {}).get("dataset_version") or "").strip()
        if not version:
            raise InputError(
                "--dataset-version is needed for the first fetch: a yearly UCDP GED version "
                "(e.g. 25.1) or a monthly Candidate release (e.g. 25.0.9)"
            )
        query_start, note = start, ""
        if state is not None and not self.full and len(stored):
            last = stored["date_earliest"].max()
            resume = (last - pd.Timedelta(days=self.overlap_days)).strftime("%Y-%m-%d")
            if start is None or resume > start:
                query_start = resume
                note = f" (last stored {last:%Y-%m-%d}, minus {self.overlap_days} days)"
        describe = (
            f"UCDP GED {version}, {country.label()} (Gleditsch-Ward {country.gw}), "
            f"events from {query_start or 'the first'}{note} to {end or 'the latest'}"
        )
        keep = {
            "source": "ucdp", "country": country.key, "country_value": given,
            "start": start, "end": end, "dataset_version": version, "query_start": query_start,
        }  # fmt: skip
        return Plan(describe=describe, dataset=f"UCDP GED {version}", state=keep)

    def fetch(self, plan: Plan, pages: PageArea, progress: bool | None) -> Fetched:
        s = plan.state
        url = f"{self.api_url.rstrip('/')}/gedevents/{quote(s['dataset_version'], safe='.')}"
        country = resolve_country(s["country_value"], "ucdp")
        params: dict[str, Any] = {"pagesize": self.page_size, "Country": country.gw}
        if s["query_start"]:
            params["StartDate"] = s["query_start"]
        if s["end"]:
            params["EndDate"] = s["end"]
        announced, page = None, 0
        with ApiClient("UCDP", retry=self.retry, credential=self.token, echo=self.echo) as client, \
                page_bar("UCDP", progress) as bar:  # fmt: skip
            while True:
                n = page + 1
                body = client.request_json("GET", url, f"page {n}", params={**params, "page": page})
                records, total, n_pages, next_url = _page(body, n)
                if announced is None:
                    announced = total
                elif total != announced:
                    raise FetchError(f"UCDP's TotalCount changed from {announced} to {total} during the run")
                pages.save("events", records)
                bar.total = n_pages
                bar.update(1)
                if not next_url:
                    break
                following = _page_number(next_url)
                if following is None or following <= page or (n_pages is not None and following >= n_pages):
                    raise FetchError(f"UCDP page {n}: NextPageUrl does not lead to a later page")
                page = following
        records = pages.records("events")
        if announced is not None and len(records) != announced:
            raise FetchError(f"UCDP announced {announced} events and served {len(records)}; nothing was written")
        lo = pd.Timestamp(s["query_start"]) if s["query_start"] else None
        hi = pd.Timestamp(s["end"]) if s["end"] else None
        return Fetched(records=records, pages=pages.pages("events"), window=(lo, hi))

    def settle(self, fetched: Fetched, outcome: Any, state: dict[str, Any]) -> dict[str, Any]:
        state.pop("query_start", None)
        return state


def fetch_ucdp(
    store: str | Path,
    *,
    country: str | int | None = None,
    start: Any = None,
    end: Any = None,
    dataset_version: str | None = None,
    api_url: str | None = None,
    quarantine: str | Path | None = None,
    overlap_days: int = OVERLAP_DAYS,
    full: bool = False,
    page_size: int = PAGE_SIZE,
    retry: RetryPolicy | None = None,
    progress: bool | None = None,
    echo: Callable[[str], None] | None = None,
) -> FetchSummary:
    """Keep a canonical incident store current from UCDP's GED API.

    Each event is mapped by the UCDP adapter of :mod:`analysis.sources` (killed
    ``low <= best <= high`` from UCDP's ``low``, ``best``, ``high``; the perpetrator
    is the non-state side), with the same quarantine as ``ingest``.

    Parameters
    ----------
    store : str or Path
        The Parquet store (created by the first run). A history
        (``NAME.history.parquet``) and a deletion log (``NAME.deletions.csv``) live
        beside it.
    country : str or int, optional
        A name or ISO alpha-3 code from :data:`analysis.fetch.countries.COUNTRIES`, or
        a Gleditsch–Ward number. Default: the store's, else Afghanistan.
    start, end : date-like, optional
        The window of event dates the store holds (set by the first run).
    dataset_version : str, optional
        A yearly GED version (``25.1``) or a Candidate release (``25.0.9``); needed
        the first time, then the store's last one by default.
    api_url : str, optional
        The API's base address (default :data:`UCDP_API_URL`); for mirrors and tests.
    quarantine : str or Path, optional
        Where records that cannot be mapped go (CSV or Parquet), with reasons. Without
        it, such records stop the run with :class:`RowsQuarantinedError` and nothing is
        written.
    overlap_days : int
        How far before the last stored date a later run starts.
    full : bool
        Re-fetch the whole window instead of only the recent part.
    page_size : int
        Events per page (UCDP serves at most 1000).
    retry : RetryPolicy, optional
        Retries and backoff; the default waits up to a minute between tries.
    progress : bool, optional
        Show a bar of pages fetched (None: only in an interactive session).
    echo : callable, optional
        Receives one line per retried request.

    Returns
    -------
    FetchSummary
        Rows fetched, new, revised, deleted, unchanged and quarantined, and the store's
        totals before and after.

    Raises
    ------
    CredentialError
        ``UCDP_ACCESS_TOKEN`` is not set, or UCDP rejected it.
    StoreError
        ``store`` is not a UCDP store made by this function, or was made for another
        country or window.
    FetchError
        The run failed (network, server errors after the retries, totals that do not
        add up); the store is unchanged.
    """
    if not 1 <= int(page_size) <= 1000:
        raise InputError(f"page_size {page_size}: UCDP serves 1 to 1000 events per page")
    source = UcdpSource(
        token=UcdpToken.from_env(), store=Path(store), country=country, start=start, end=end,
        dataset_version=dataset_version, api_url=api_url or UCDP_API_URL,
        overlap_days=int(overlap_days), full=full, page_size=int(page_size), retry=retry, echo=echo,
    )  # fmt: skip
    return run_fetch(source, store, quarantine=quarantine, progress=progress)
