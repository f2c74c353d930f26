"""Where the benchmarks find ../shared (real extracts and seed reports) and write results."""

from __future__ import annotations

import os
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
SHARED_DIR = Path(os.environ.get("ANALYSIS_SHARED_DIR", HERE.parents[1] / "shared"))
REALDATA_DIR = SHARED_DIR / "realdata"
