"""Keep a local incident store current from the UCDP and ACLED APIs.

>>> import analysis as an
>>> an.fetch_ucdp("data/ucdp.parquet", dataset_version="25.0.9")   # doctest: +SKIP
>>> an.fetch_acled("data/acled.parquet", start="2021-08-15")        # doctest: +SKIP

The first run fetches the window into a canonical Parquet store; later runs fetch only
what is new or changed, replace revised events (keeping the old version in a history
file) and remove deleted ones (logged). Records are mapped by the same adapters, with
the same quarantine, as ``ingest``. Pages go to a temporary area and the store is
replaced atomically only when the whole run succeeded. Credentials come only from the
environment: ``UCDP_ACCESS_TOKEN``; ``ACLED_USERNAME`` and ``ACLED_PASSWORD``. The
rules, and the API documentation they follow, are in ``docs/fetch.md``.
"""

from __future__ import annotations

from .._extras import require

require("fetch", "httpx", "stamina", feature="fetching from the UCDP and ACLED APIs")

from .acled import ACLED_API_URL, fetch_acled  # noqa: E402
from .errors import (  # noqa: E402
    CredentialError,
    FetchError,
    FetchInterrupted,
    RowsQuarantinedError,
    StoreError,
)
from .http import RetryPolicy  # noqa: E402
from .run import FetchSummary  # noqa: E402
from .ucdp import UCDP_API_URL, fetch_ucdp  # noqa: E402

__all__ = [
    "ACLED_API_URL",
    "UCDP_API_URL",
    "CredentialError",
    "FetchError",
    "FetchInterrupted",
    "FetchSummary",
    "RetryPolicy",
    "RowsQuarantinedError",
    "StoreError",
    "fetch_acled",
    "fetch_ucdp",
]
