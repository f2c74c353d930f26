"""Statistical analysis of insurgent and terrorist violence in Afghanistan.

Data flows one way: **data** (schema, gazetteer, readers, validation, loading,
sources, io) -> **series**
(aggregation, simulation) -> **models** -> **presentation** (plots, notebooks, reports).

>>> import analysis as an
>>> df = an.load_incidents()                       # the bundled, validated dataset
>>> monthly = an.incident_counts(df, "MS")          # doctest: +SKIP
>>> an.fit_frequency(monthly, breaks=["2021-08-15"]).summary()   # doctest: +SKIP

The public API is the names in ``__all__``. They are imported on first use, so
``import analysis`` stays fast and optional dependencies (the ``report``, ``calendar``,
``fast``, ``forecast`` and ``fetch`` extras) are only needed by the functions that use them. The
error, warning and result classes of each model are also reachable here (for example
``analysis.SeverityInputError``) and in their modules.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._version import __version__

# public name -> module that defines it
_PUBLIC: dict[str, str] = {
    # errors and warnings
    "AnalysisError": "errors",
    "AnalysisWarning": "errors",
    "EstimationError": "errors",
    "EstimationWarning": "errors",
    "InputError": "errors",
    # data
    "load_incidents": "loading",
    "validate_incidents": "validation",
    "DataFileError": "errors",
    "IncidentValidationError": "validation",
    "read_source": "sources",
    "merge_sources": "sources",
    "fetch_ucdp": "fetch",
    "fetch_acled": "fetch",
    "province_code": "gazetteer",
    "UnknownPlaceError": "gazetteer",
    # series
    "incident_counts": "series",
    "simulate_incidents": "simulate",
    "simulate_counts": "simulate",
    "WideDateWindowWarning": "series",
    "province_adjacency": "geo",
    "province_population": "geo",
    "locate": "geo",
    # models
    "Result": "results",
    "fit_frequency": "models.frequency",
    "change_points": "models.changepoints",
    "seasonality": "models.seasonality",
    "ramadan_effect": "models.calendar_effects",
    "fit_severity": "models.severity",
    "large_event_probability": "models.severity",
    "casualty_trend": "models.lethality",
    "casualty_band": "models.lethality",
    "fit_hawkes": "models.hawkes",
    "fit_hawkes_bivariate": "models.hawkes",
    "simulate_hawkes": "models.hawkes",
    "forecast": "models.forecast",
    "backtest": "models.forecast",
    "fit_endemic_epidemic": "models.spatial",
    "simulate_endemic_epidemic": "models.spatial",
    # presentation and coding
    "plot_province_map": "maps",
    "build_report": "report",
    "draft_incidents": "coding",
}

# reachable as analysis.NAME, but not part of the advertised API
_ALSO: dict[str, str] = {
    "IncidentSchema": "schema",
    "ValidationOutcome": "validation",
    "IngestError": "sources",
    "IngestSummary": "sources",
    "FetchSummary": "fetch",
    "RetryPolicy": "fetch",
    "FetchError": "fetch",
    "CredentialError": "fetch",
    "StoreError": "fetch",
    "RowsQuarantinedError": "fetch",
    "UnknownColumnWarning": "sources",
    "CountSeriesError": "series",
    "simulate_hawkes_bivariate": "models.hawkes",
    "ramadan_days": "models.calendar_effects",
    "ramadan_periods": "models.calendar_effects",
    "HijriRangeError": "models.calendar_effects",
    "RamadanResult": "models.calendar_effects",
    "FrequencyResult": "models.frequency",
    "CountForecast": "models.frequency",
    "FrequencyInputError": "models.frequency",
    "IrregularSeriesError": "models.frequency",
    "ChangePointResult": "models.changepoints",
    "ChangePointError": "models.changepoints",
    "SeasonalityResult": "models.seasonality",
    "SeasonalityInputError": "models.seasonality",
    "SeverityResult": "models.severity",
    "LargeEventResult": "models.severity",
    "SeverityInputError": "models.severity",
    "UnreliableFitWarning": "models.severity",
    "CasualtyTrendResult": "models.lethality",
    "CasualtyBandResult": "models.lethality",
    "CasualtyInputError": "models.lethality",
    "HawkesResult": "models.hawkes",
    "BivariateHawkesResult": "models.hawkes",
    "HawkesInputError": "models.hawkes",
    "ForecastResult": "models.forecast",
    "BacktestResult": "models.forecast",
    "ForecastInputError": "models.forecast",
    "DraftWarning": "coding",
    "EndemicEpidemicResult": "models.spatial",
    "EndemicEpidemicDecomposition": "models.spatial",
    "EndemicEpidemicSimulation": "models.spatial",
    "OneStepAheadResult": "models.spatial",
    "adjacency_orders": "geo.adjacency",
}

__all__ = [
    "AnalysisError",
    "AnalysisWarning",
    "DataFileError",
    "EstimationError",
    "EstimationWarning",
    "IncidentValidationError",
    "InputError",
    "Result",
    "UnknownPlaceError",
    "WideDateWindowWarning",
    "__version__",
    "backtest",
    "build_report",
    "casualty_band",
    "casualty_trend",
    "change_points",
    "draft_incidents",
    "fetch_acled",
    "fetch_ucdp",
    "fit_endemic_epidemic",
    "fit_frequency",
    "fit_hawkes",
    "fit_hawkes_bivariate",
    "fit_severity",
    "forecast",
    "gazetteer",
    "incident_counts",
    "large_event_probability",
    "load_incidents",
    "locate",
    "merge_sources",
    "plot_province_map",
    "province_adjacency",
    "province_code",
    "province_population",
    "ramadan_effect",
    "read_source",
    "seasonality",
    "simulate_counts",
    "simulate_endemic_epidemic",
    "simulate_hawkes",
    "simulate_incidents",
    "validate_incidents",
]


def __getattr__(name: str) -> Any:
    module = _PUBLIC.get(name) or _ALSO.get(name)
    if module is None:
        try:  # submodules: analysis.gazetteer, analysis.config, ...
            return importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError:
            raise AttributeError(f"module 'analysis' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_PUBLIC) | set(_ALSO))


if TYPE_CHECKING:  # static analysers and IDEs see the real names
    from . import gazetteer
    from .coding import draft_incidents
    from .errors import (
        AnalysisError,
        AnalysisWarning,
        DataFileError,
        EstimationError,
        EstimationWarning,
        InputError,
    )
    from .fetch import fetch_acled, fetch_ucdp
    from .gazetteer import UnknownPlaceError, province_code
    from .geo import locate, province_adjacency, province_population
    from .loading import load_incidents
    from .maps import plot_province_map
    from .models.calendar_effects import ramadan_effect
    from .models.changepoints import change_points
    from .models.forecast import backtest, forecast
    from .models.frequency import fit_frequency
    from .models.hawkes import fit_hawkes, fit_hawkes_bivariate, simulate_hawkes
    from .models.lethality import casualty_band, casualty_trend
    from .models.seasonality import seasonality
    from .models.severity import fit_severity, large_event_probability
    from .models.spatial import fit_endemic_epidemic, simulate_endemic_epidemic
    from .report import build_report
    from .results import Result
    from .series import WideDateWindowWarning, incident_counts
    from .simulate import simulate_counts, simulate_incidents
    from .sources import merge_sources, read_source
    from .validation import IncidentValidationError, validate_incidents
