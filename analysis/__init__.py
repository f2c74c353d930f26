"""Statistical analysis of insurgent and terrorist violence in Afghanistan.

Data flows one way: **data** (schema, sources, gazetteer) -> **series** (aggregation)
-> **models** -> **presentation** (plots, notebooks, reports).

>>> import analysis
>>> df = analysis.load_incidents()          # the bundled, validated dataset
"""

from __future__ import annotations

from . import gazetteer
from .coding import DraftWarning, draft_incidents
from .gazetteer import UnknownPlaceError, province_code
from .loading import (
    DataFileError,
    IncidentValidationError,
    ValidationOutcome,
    load_incidents,
    validate_incidents,
)
from .models.calendar_effects import (
    HijriRangeError,
    RamadanResult,
    ramadan_days,
    ramadan_effect,
    ramadan_periods,
)
from .models.changepoints import ChangePointError, ChangePointResult, change_points
from .models.forecast import (
    BacktestResult,
    ForecastInputError,
    ForecastResult,
    backtest,
    forecast,
)
from .models.frequency import (
    FrequencyInputError,
    FrequencyResult,
    IrregularSeriesError,
    fit_frequency,
)
from .models.hawkes import (
    BivariateHawkesResult,
    HawkesInputError,
    HawkesResult,
    fit_hawkes,
    fit_hawkes_bivariate,
    simulate_hawkes,
    simulate_hawkes_bivariate,
)
from .models.lethality import (
    CasualtyBandResult,
    CasualtyInputError,
    CasualtyTrendResult,
    casualty_band,
    casualty_trend,
)
from .models.seasonality import SeasonalityInputError, SeasonalityResult, seasonality
from .models.severity import (
    LargeEventResult,
    SeverityInputError,
    SeverityResult,
    UnreliableFitWarning,
    fit_severity,
    large_event_probability,
)
from .report import build_report
from .results import Result
from .schema import IncidentSchema
from .series import CountSeriesError, WideDateWindowWarning, incident_counts
from .simulate import simulate_incidents
from .sources import IngestError, IngestSummary, merge_sources, read_source

__version__ = "0.1.0"

__all__ = [
    "BacktestResult",
    "BivariateHawkesResult",
    "CasualtyBandResult",
    "CasualtyInputError",
    "CasualtyTrendResult",
    "ChangePointError",
    "ChangePointResult",
    "CountSeriesError",
    "DataFileError",
    "DraftWarning",
    "ForecastInputError",
    "ForecastResult",
    "FrequencyInputError",
    "FrequencyResult",
    "HawkesInputError",
    "HawkesResult",
    "HijriRangeError",
    "IncidentSchema",
    "IncidentValidationError",
    "IngestError",
    "IngestSummary",
    "IrregularSeriesError",
    "LargeEventResult",
    "RamadanResult",
    "Result",
    "SeasonalityInputError",
    "SeasonalityResult",
    "SeverityInputError",
    "SeverityResult",
    "UnknownPlaceError",
    "UnreliableFitWarning",
    "ValidationOutcome",
    "WideDateWindowWarning",
    "__version__",
    "backtest",
    "build_report",
    "casualty_band",
    "casualty_trend",
    "change_points",
    "draft_incidents",
    "fit_frequency",
    "fit_hawkes",
    "fit_hawkes_bivariate",
    "fit_severity",
    "forecast",
    "gazetteer",
    "incident_counts",
    "large_event_probability",
    "load_incidents",
    "merge_sources",
    "province_code",
    "ramadan_days",
    "ramadan_effect",
    "ramadan_periods",
    "read_source",
    "seasonality",
    "simulate_hawkes",
    "simulate_hawkes_bivariate",
    "simulate_incidents",
    "validate_incidents",
]
