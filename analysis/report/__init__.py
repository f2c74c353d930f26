"""Reproducible reports: parameterized notebooks executed headless, one self-contained
HTML page, figures and tables exported, a manifest, and an atomic publish.

>>> from analysis.report import build_report
>>> build_report()                      # the bundled dataset into reports/   # doctest: +SKIP

Notebooks hand their figures, tables and key numbers to the report through
:class:`Section` (see :mod:`analysis.report.collect`).
"""

from __future__ import annotations

from .._extras import require

require("report", "papermill", "nbformat", "nbconvert", "mistune", "jupytext", feature="the report pipeline")

from .build import DEFAULT_PARAMETERS, NOTEBOOKS, BuildResult, ReportBuildError, build_report  # noqa: E402
from .collect import FigureStyleError, Section, date_range_text, open_section  # noqa: E402
from .inputs import ReportDataError, load_report_data, source_label  # noqa: E402
from .publish import BuildInterrupted, ReportOutputError  # noqa: E402

__all__ = [
    "DEFAULT_PARAMETERS",
    "NOTEBOOKS",
    "BuildInterrupted",
    "BuildResult",
    "FigureStyleError",
    "ReportBuildError",
    "ReportDataError",
    "ReportOutputError",
    "Section",
    "build_report",
    "date_range_text",
    "load_report_data",
    "open_section",
    "source_label",
]
