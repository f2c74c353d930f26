"""Paths and defaults. Nothing else lives here.

Bundled files (the incident dataset, its codebook and the report notebooks) travel
inside the package and are found through :mod:`importlib.resources`, so they work the
same from a checkout, an editable install or a wheel installed anywhere. In the
repository they live in the top-level ``data/`` and ``notebooks/`` folders; the wheel
carries them as ``analysis/_bundled/data`` and ``analysis/_bundled/notebooks``.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

__all__ = [
    "BUNDLED_INCIDENTS",
    "BUNDLED_INCIDENT_SOURCES",
    "BUNDLED_REPORTED_TOTALS",
    "DATA_DIR",
    "DEFAULT_SEED",
    "EARLIEST_DATE",
    "NOTEBOOKS_DIR",
    "STYLE_FILE",
    "TALIBAN_TAKEOVER",
    "bundled",
    "reports_dir",
]


def bundled(*parts: str) -> Path:
    """A file or folder shipped inside the package, as a filesystem path.

    ``bundled("data", "incidents.csv")``. Raises ``FileNotFoundError`` naming the
    resource when the installation lacks it (a broken or partial install).
    """
    root = resources.files("analysis").joinpath("_bundled", *parts)
    path = Path(str(root))
    if not path.exists():
        raise FileNotFoundError(
            f"bundled resource {'/'.join(parts)} is missing from this installation "
            f"({path}); reinstall the package"
        )
    return path


#: The bundled, curated data folder (see ``data/README.md``, the codebook). The
#: environment variable ``ANALYSIS_DATA_DIR`` points the package at another copy.
DATA_DIR = Path(os.environ["ANALYSIS_DATA_DIR"]) if "ANALYSIS_DATA_DIR" in os.environ else bundled("data")
#: The bundled, curated incident table.
BUNDLED_INCIDENTS = DATA_DIR / "incidents.csv"
#: One row per (incident, source report): every report's own figures.
BUNDLED_INCIDENT_SOURCES = DATA_DIR / "incident_sources.csv"
#: Aggregate statements ("96 killed in the last two months"), which are not incidents.
BUNDLED_REPORTED_TOTALS = DATA_DIR / "reported_totals.csv"
#: The report's notebooks (each paired with a jupytext percent script).
NOTEBOOKS_DIR = bundled("notebooks")
#: The house matplotlib style.
STYLE_FILE = Path(str(resources.files("analysis").joinpath("styles", "analysis.mplstyle")))


def reports_dir() -> Path:
    """The default report folder: ``reports/`` in the current working directory.

    ``ANALYSIS_REPORTS_DIR`` overrides it. Read at call time, so a notebook or script
    that changes directory gets the folder it expects.
    """
    env = os.environ.get("ANALYSIS_REPORTS_DIR")
    return Path(env) if env else Path.cwd() / "reports"


#: The date the Taliban took Kabul; the default regime break.
TALIBAN_TAKEOVER = "2021-08-15"
#: Earliest date the schema accepts.
EARLIEST_DATE = "1970-01-01"
#: The default random seed of the report and the simulators.
DEFAULT_SEED = 20211015
