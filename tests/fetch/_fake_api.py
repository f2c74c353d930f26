"""Local stand-ins for UCDP's and ACLED's APIs (pytest-httpserver), answering in the
documented shapes, with hand-written events.

* UCDP: ``GET /api/gedevents/<version>`` with ``pagesize``, ``page`` (from 0),
  ``Country`` (Gleditsch-Ward numbers), ``StartDate``/``EndDate``; the access token in
  ``x-ucdp-access-token``; pages ``{TotalCount, TotalPages, PreviousPageUrl,
  NextPageUrl, Result}``.
* ACLED: ``POST /oauth/token`` (password and refresh grants), ``GET /api/acled/read``
  and ``GET /api/deleted/read`` with ``_format=json``, ``limit``, ``page`` (from 1),
  ``country``/``iso``, ``event_date`` + ``event_date_where``, ``timestamp`` +
  ``timestamp_where``, ``deleted_timestamp`` + ``deleted_timestamp_where``; a Bearer
  token; answers ``{status, success, count, data}``.

``faults`` injects answers before the real one: ``{page: [(status, headers), ...]}``.
Every request is recorded in ``requests`` (path, query, headers).
"""

from __future__ import annotations

import json
import math
import re
import threading
import time
from typing import Any
from urllib.parse import urlencode

from werkzeug import Request, Response

UCDP_TOKEN = "ucdp-test-token-5f1e"
ACLED_USER, ACLED_PASSWORD = "analyst@example.org", "correct horse battery"


def ucdp_event(
    id: int, day: str, best: int, *, low: int | None = None, high: int | None = None,
    country: str = "Afghanistan", country_id: int = 700, adm_1: str = "Kandahar province",
    side_a: str = "Government of Afghanistan", side_b: str = "Taleban", tov: int = 1,
    civilians: int = 0, headline: str = "hand-written test event",
) -> dict[str, Any]:
    """One GED event with every field of the API's GedDb record (values made up)."""
    low = best if low is None else low
    high = best if high is None else high
    return {
        "id": id, "relid": f"AFG-T-{id}", "year": int(day[:4]), "active_year": True, "code_status": "Clear",
        "type_of_violence": tov, "conflict_dset_id": "333", "conflict_new_id": 333,
        "conflict_name": "Afghanistan: Government", "dyad_dset_id": "724", "dyad_new_id": 724,
        "dyad_name": f"{side_a} - {side_b}", "side_a_dset_id": "130", "side_a_new_id": 130, "side_a": side_a,
        "side_b_dset_id": "303", "side_b_new_id": 303, "side_b": side_b, "number_of_sources": 1,
        "source_article": "Test Wire", "source_office": "", "source_date": day, "source_headline": headline,
        "source_original": "", "where_prec": 1, "where_coordinates": "Kandahar city",
        "where_description": "", "adm_1": adm_1, "adm_2": "", "latitude": 31.61, "longitude": 65.71,
        "geom_wkt": "POINT (65.71 31.61)", "priogrid_gid": 0, "country": country, "country_id": country_id,
        "region": "Asia", "event_clarity": 1, "date_prec": 1, "date_start": f"{day}T00:00:00",
        "date_end": f"{day}T00:00:00", "deaths_a": 0, "deaths_b": best - civilians,
        "deaths_civilians": civilians, "deaths_unknown": 0, "best": best, "high": high, "low": low,
        "gwnoa": str(country_id), "gwnob": None,
    }  # fmt: skip


def acled_event(
    id: str, day: str, fatalities: int, *, timestamp: int, admin1: str = "Kabul",
    actor1: str = "Islamic State Khorasan Province (ISKP)", actor2: str = "Civilians (Afghanistan)",
    country: str = "Afghanistan", iso: str = "4", notes: str = "hand-written test event",
) -> dict[str, str]:
    """One ACLED event with the API's fields, every value a string as ACLED serves them."""
    return {
        "event_id_cnty": id, "event_date": day, "year": day[:4], "time_precision": "1",
        "disorder_type": "Political violence", "event_type": "Explosions/Remote violence",
        "sub_event_type": "Suicide bomb", "actor1": actor1, "assoc_actor_1": "", "inter1": "2",
        "actor2": actor2, "assoc_actor_2": "", "inter2": "7", "interaction": "27",
        "civilian_targeting": "Civilian targeting", "iso": iso, "region": "Caspian", "country": country,
        "admin1": admin1, "admin2": admin1, "admin3": "", "location": admin1, "latitude": "34.5553",
        "longitude": "69.2075", "geo_precision": "1", "source": "Test Wire", "source_scale": "National",
        "notes": notes, "fatalities": str(fatalities), "tags": "", "timestamp": str(timestamp),
    }  # fmt: skip


class _Fake:
    def __init__(self) -> None:
        self.faults: dict[Any, list[tuple[int, dict[str, str]]]] = {}
        self.requests: list[tuple[str, dict[str, str], dict[str, str], float]] = []
        self.overstate = 0  # UCDP: announce this many more events than are served
        self.hold = threading.Event()
        self.hold.set()
        self.hold_page: Any = None  # a data request for this page waits until hold is set
        self.waiting = threading.Event()

    def _record(self, request: Request) -> None:
        self.requests.append((request.path, dict(request.args), dict(request.headers), time.monotonic()))

    def _fault(self, key: Any) -> Response | None:
        queue = self.faults.get(key)
        if queue:
            status, headers = queue.pop(0)
            return Response(json.dumps({"error": f"injected {status}"}), status=status, headers=headers,
                            content_type="application/json")
        return None

    def _wait(self, page: Any) -> None:
        if page == self.hold_page and not self.hold.is_set():
            self.waiting.set()
            self.hold.wait(30)


class FakeUcdp(_Fake):
    """UCDP's GED API, serving ``events`` for each version in ``versions``."""

    def __init__(self, httpserver, versions=("25.0.9",)):
        super().__init__()
        self.versions = {v: [] for v in versions}
        httpserver.expect_request(re.compile(r"^/api/gedevents/[^/]+$")).respond_with_handler(self.handle)
        self.api_url = httpserver.url_for("/api")

    def events(self, version: str = "25.0.9") -> list[dict[str, Any]]:
        return self.versions[version]

    def handle(self, request: Request) -> Response:
        self._record(request)
        if request.headers.get("x-ucdp-access-token") != UCDP_TOKEN:
            return Response("API token required. Add header: x-ucdp-access-token", status=401)
        version = request.path.rsplit("/", 1)[1]
        if version not in self.versions:
            return Response(f"Unknown version {version}", status=404)
        args = request.args
        page, size = int(args.get("page", 0)), int(args.get("pagesize", 100))
        self._wait(page)
        fault = self._fault(page)
        if fault is not None:
            return fault
        rows = sorted(self.versions[version], key=lambda e: e["id"])
        if "Country" in args:
            wanted = {int(c) for c in args["Country"].split(",")}
            rows = [e for e in rows if e["country_id"] in wanted]
        if "StartDate" in args:
            rows = [e for e in rows if e["date_start"][:10] >= args["StartDate"]]
        if "EndDate" in args:
            rows = [e for e in rows if e["date_start"][:10] <= args["EndDate"]]
        n_pages = math.ceil(len(rows) / size)
        filters = {k: v for k, v in args.items() if k not in ("page", "pagesize")}

        def link(p: int) -> str:
            if not 0 <= p < n_pages:
                return ""
            return f"{request.host_url}api/gedevents/{version}?" + urlencode({"pagesize": size, "page": p, **filters})

        body = {
            "TotalCount": len(rows) + self.overstate, "TotalPages": n_pages, "PreviousPageUrl": link(page - 1),
            "NextPageUrl": link(page + 1), "Result": rows[page * size:(page + 1) * size],
        }  # fmt: skip
        return Response(json.dumps(body), content_type="application/json")


class FakeAcled(_Fake):
    """ACLED's API: OAuth tokens, the ACLED endpoint and the deleted endpoint.

    ``expire_after``: an access token stops working (401) after that many data requests.
    """

    def __init__(self, httpserver):
        super().__init__()
        self.events: dict[str, dict[str, str]] = {}
        self.deleted: list[dict[str, str]] = []
        self.grants: list[str] = []
        self.expire_after: int | None = None
        self._tokens: dict[str, int] = {}
        self._refresh: set[str] = set()
        httpserver.expect_request("/oauth/token", method="POST").respond_with_handler(self.token)
        httpserver.expect_request("/api/acled/read").respond_with_handler(self.read)
        httpserver.expect_request("/api/deleted/read").respond_with_handler(self.read_deleted)
        self.api_url = httpserver.url_for("/").rstrip("/")

    def put(self, *events: dict[str, str]) -> None:
        for e in events:
            self.events[e["event_id_cnty"]] = e

    def delete(self, id: str, when: int) -> None:
        self.events.pop(id, None)
        self.deleted.append({"event_id_cnty": id, "deleted_timestamp": str(when)})

    def _issue(self) -> Response:
        n = len(self.grants) - 1  # access-0 from the first grant
        access, refresh = f"access-{n}", f"refresh-{n}"
        self._tokens[access] = 0
        self._refresh.add(refresh)
        body = {"token_type": "Bearer", "expires_in": 86400, "access_token": access, "refresh_token": refresh}
        return Response(json.dumps(body), content_type="application/json")

    def token(self, request: Request) -> Response:
        self._record(request)
        form = request.form
        grant = form.get("grant_type", "")
        self.grants.append(grant)
        bad = Response(
            json.dumps({"error": "invalid_grant", "error_description": "The user credentials were incorrect."}),
            status=400, content_type="application/json",
        )  # fmt: skip
        if form.get("client_id") != "acled":
            return bad
        if grant == "password" and form.get("username") == ACLED_USER and form.get("password") == ACLED_PASSWORD:
            return self._issue()
        if grant == "refresh_token" and form.get("refresh_token") in self._refresh:
            self._refresh.discard(form["refresh_token"])
            return self._issue()
        return bad

    def _authorised(self, request: Request) -> bool:
        auth = request.headers.get("Authorization", "")
        token = auth.removeprefix("Bearer ")
        if not auth.startswith("Bearer ") or token not in self._tokens:
            return False
        self._tokens[token] += 1
        if self.expire_after is not None and self._tokens[token] > self.expire_after:
            del self._tokens[token]
            return False
        return True

    def _page(self, request: Request, rows: list[dict[str, str]], kind: str) -> Response:
        if not self._authorised(request):
            return Response(json.dumps({"message": "Unauthorized"}), status=401, content_type="application/json")
        args = request.args
        if args.get("_format") != "json":
            return Response("only json in this fake", status=400)
        limit, page = int(args.get("limit", 5000)), int(args.get("page", 1))
        self._wait((kind, page))
        fault = self._fault((kind, page))
        if fault is not None:
            return fault
        chunk = rows[(page - 1) * limit: page * limit]
        body = {"status": 200, "success": True, "last_update": 0, "count": len(chunk), "messages": [], "data": chunk}
        return Response(json.dumps(body), content_type="application/json")

    def read(self, request: Request) -> Response:
        self._record(request)
        args = request.args
        rows = list(self.events.values())
        if "country" in args:
            rows = [e for e in rows if e["country"] == args["country"]]
        if "iso" in args:
            rows = [e for e in rows if e["iso"] == args["iso"]]
        if "event_date" in args:
            where = args.get("event_date_where", "=")
            if where == "BETWEEN":
                lo, hi = args["event_date"].split("|")
                rows = [e for e in rows if lo <= e["event_date"] <= hi]
            elif where == ">=":
                rows = [e for e in rows if e["event_date"] >= args["event_date"]]
            elif where == "<=":
                rows = [e for e in rows if e["event_date"] <= args["event_date"]]
        if "timestamp" in args:
            assert args.get("timestamp_where") == ">="
            rows = [e for e in rows if int(e["timestamp"]) >= int(args["timestamp"])]
        rows.sort(key=lambda e: (e["event_date"], e["event_id_cnty"]), reverse=True)  # newest first
        return self._page(request, rows, "events")

    def read_deleted(self, request: Request) -> Response:
        self._record(request)
        args = request.args
        rows = list(self.deleted)
        if "deleted_timestamp" in args:
            assert args.get("deleted_timestamp_where") == ">="
            rows = [d for d in rows if int(d["deleted_timestamp"]) >= int(args["deleted_timestamp"])]
        return self._page(request, rows, "deleted")
