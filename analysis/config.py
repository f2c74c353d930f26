"""Paths and defaults. Nothing else lives here."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent

#: The bundled, curated incident table (see data/README.md, the codebook).
DATA_DIR = Path(os.environ.get("ANALYSIS_DATA_DIR", PROJECT_DIR / "data"))
BUNDLED_INCIDENTS = DATA_DIR / "incidents.csv"
#: One row per (incident, source report): every report's own figures.
BUNDLED_INCIDENT_SOURCES = DATA_DIR / "incident_sources.csv"
#: Aggregate statements ("96 killed in the last two months"), which are not incidents.
BUNDLED_REPORTED_TOTALS = DATA_DIR / "reported_totals.csv"

REPORTS_DIR = Path(os.environ.get("ANALYSIS_REPORTS_DIR", PROJECT_DIR / "reports"))
NOTEBOOKS_DIR = PROJECT_DIR / "notebooks"
STYLE_FILE = PACKAGE_DIR / "styles" / "analysis.mplstyle"

#: Third-party extracts used by tests only (never redistributed); may be absent.
SHARED_DIR = Path(os.environ.get("ANALYSIS_SHARED_DIR", PROJECT_DIR.parent / "shared"))
REALDATA_DIR = SHARED_DIR / "realdata"

#: The date the Taliban took Kabul; the default regime break.
TALIBAN_TAKEOVER = "2021-08-15"
#: Earliest date the schema accepts.
EARLIEST_DATE = "1970-01-01"
DEFAULT_SEED = 20211015
