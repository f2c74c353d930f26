"""Statistical analysis of insurgent and terrorist violence in Afghanistan.

Data flows one way: **data** (schema, sources, gazetteer) -> **series** (aggregation)
-> **models** -> **presentation** (plots, notebooks, reports).

>>> import analysis
>>> df = analysis.load_incidents()          # the bundled, validated dataset
"""

from __future__ import annotations

from . import gazetteer
from .gazetteer import UnknownPlaceError, province_code
from .loading import (
    DataFileError,
    IncidentValidationError,
    ValidationOutcome,
    load_incidents,
    validate_incidents,
)
from .results import Result
from .schema import IncidentSchema

__version__ = "0.1.0"

__all__ = [
    "DataFileError",
    "IncidentSchema",
    "IncidentValidationError",
    "Result",
    "UnknownPlaceError",
    "ValidationOutcome",
    "__version__",
    "gazetteer",
    "load_incidents",
    "province_code",
    "validate_incidents",
]
