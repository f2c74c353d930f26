"""Count models of attack frequency: :func:`fit_frequency` and :class:`FrequencyResult`.

Two model classes share one entry point:

* **log-linear regression** (``ar_lags=()``, the default): negative-binomial (NB2, the
  dispersion estimated by maximum likelihood with statsmodels' discrete
  ``NegativeBinomial``) or Poisson, with a trend, Fourier or dummy seasonality, regime
  steps at break dates, an exposure offset and extra regressors;
* **count autoregression** (``ar_lags`` and/or ``mean_lags``): the INGARCH / log-linear
  autoregressive models of tscount (Liboschik, Fokianos & Fried 2017), estimated the
  way tscount does: quasi-maximum likelihood with the Poisson score, the NB dispersion
  from the Pearson moment equation, and standard errors from the NB information.

The modules, in the order of a fit:

- :mod:`.inputs`: the series and options checked (and the errors);
- :mod:`.design`: trend, Fourier or dummy seasonality and regime columns;
- :mod:`.estimate`: the regression (through :mod:`analysis._glm`) and the
  autoregression (:mod:`.ingarch`) estimates;
- :mod:`.diagnostics`: overdispersion, seasonal and Ljung-Box tests;
- :mod:`.fit`: :func:`fit_frequency`;
- :mod:`.result`: :class:`FrequencyResult`;
- :mod:`.predict`: forecasts, :class:`CountForecast`.
"""

from __future__ import annotations

from .fit import fit_frequency
from .inputs import FrequencyInputError, IrregularSeriesError
from .predict import CountForecast
from .result import FrequencyResult

__all__ = [
    "CountForecast",
    "FrequencyInputError",
    "FrequencyResult",
    "IrregularSeriesError",
    "fit_frequency",
]
