r"""Heavy tails of attack severity: the power-law fit of Clauset, Shalizi & Newman (2009),
its bootstrap goodness-of-fit test, likelihood-ratio tests against other tails, and the
large-event probability of Clauset & Woodard (2013).

>>> import analysis
>>> res = analysis.fit_severity(df["killed_best"].dropna(), n_sims=1000, seed=1)  # doctest: +SKIP
>>> res.summary(); res.plot()                                                   # doctest: +SKIP
>>> analysis.large_event_probability(deaths, 2749, n_sims=1000, seed=1)         # doctest: +SKIP

Model
-----
Above a threshold :math:`x_{\min}` the sizes follow the discrete power law

.. math::
    p(x) = \frac{x^{-\alpha}}{\zeta(\alpha, x_{\min})}, \qquad x = x_{\min}, x_{\min}+1, \dots

(or its continuous version :math:`(\alpha-1)x_{\min}^{\alpha-1}x^{-\alpha}`); :math:`\alpha` is
the exact maximum-likelihood estimate and :math:`x_{\min}` minimises the Kolmogorov–Smirnov
distance of the tail. The probability of at least one event of size :math:`\ge s` among
:math:`n` is :math:`1 - (1 - \hat p)^n` with :math:`\hat p = \Pr(X \ge s)` from a tail model.

The modules, in the order of a fit:

- :mod:`.power_law`: pmf, survival function, likelihood and the exact MLE of :math:`\alpha`;
- :mod:`.scan`: the KS distances and the choice of :math:`x_{\min}`;
- :mod:`.alternatives`: lognormal, exponential, truncated power law and stretched
  exponential tails, and Vuong's tests against the power law;
- :mod:`.sampling`: the exact sampler, the bootstrap loop and the goodness-of-fit test;
- :mod:`.fit`: :func:`fit_severity`;
- :mod:`.large_event`: :func:`large_event_probability`;
- :mod:`.result`: :class:`SeverityResult` and :class:`LargeEventResult`.
"""

from __future__ import annotations

from ._checks import SeverityInputError, UnreliableFitWarning
from .alternatives import ALTERNATIVES
from .fit import fit_severity
from .large_event import large_event_probability
from .power_law import power_law_pmf, power_law_sf
from .result import LargeEventResult, SeverityResult
from .sampling import sample_power_law

__all__ = [
    "ALTERNATIVES",
    "LargeEventResult",
    "SeverityInputError",
    "SeverityResult",
    "UnreliableFitWarning",
    "fit_severity",
    "large_event_probability",
    "power_law_pmf",
    "power_law_sf",
    "sample_power_law",
]
