"""Errors of a fetch run, and the exit code the command line gives each.

* :class:`CredentialError` (exit 2): a credential is missing from the environment or
  the API rejected it.
* :class:`StoreError` (exit 2): ``--store`` (or a file beside it) cannot be used: not
  a store this package made, made for another source or country, no longer valid.
* :class:`FetchError` (exit 1): the run failed on the way (network, server errors
  after the retries, a total the API announced and did not serve). The store is left
  byte for byte as it was.
* :class:`RowsQuarantinedError` (exit 1): records could not be mapped or validated and
  no quarantine file was given; nothing was written.
* :class:`FetchInterrupted` (exit 143): SIGTERM; the temporary pages were removed and
  the store is unchanged. Ctrl-C raises ``KeyboardInterrupt`` with the same cleanup.
"""

from __future__ import annotations

from typing import Any

from ..errors import AnalysisError, InputError

__all__ = [
    "CredentialError",
    "FetchError",
    "FetchInterrupted",
    "RowsQuarantinedError",
    "StoreError",
]


class CredentialError(InputError):
    """A credential is missing from the environment, or the API rejected it."""


class StoreError(InputError):
    """The store, its history or its deletion log cannot be used for this run."""


class FetchError(AnalysisError, RuntimeError):
    """The run failed before it finished; nothing was written."""


class RowsQuarantinedError(AnalysisError, ValueError):
    """Records could not be mapped or validated and no ``quarantine`` file was given.

    ``.report`` lists every (row, column, rule); ``.summary`` is the
    :class:`~analysis.fetch.run.FetchSummary` the run would have had. Nothing was written.
    """

    def __init__(self, message: str, report: Any, summary: Any):
        super().__init__(message)
        self.report = report
        self.summary = summary


class FetchInterrupted(BaseException):
    """The run received SIGTERM; the temporary pages were removed, the store is unchanged."""
