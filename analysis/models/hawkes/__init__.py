"""Self-exciting (Hawkes) point processes with an exponential kernel: does one attack
trigger more, for how long, and does one group's violence provoke another's?

Univariate model (times in days, observed on ``[start, end]``)::

    lambda(t) = mu(t) + eta * beta * sum_{t_i < t} exp(-beta * (t - t_i))

``eta`` is the branching ratio (expected number of events directly triggered by one
event; fits keep it in the stationary range ``0 < eta < 1``), ``beta`` the decay rate
per day (mean delay ``1 / beta`` days, at most 30) and ``mu(t)`` the background: by
default a log-spline trend (degrees of freedom chosen by AIC) with annual harmonics, or
a constant. A constant background read against a surge of violence attributes the
surge to contagion; the flexible background lets the data tell the two apart.

The modules, in the order of a fit:

- :mod:`.events`: event times (timestamps, numbers or an incident frame) checked and
  turned into dating windows on the observation window;
- :mod:`.ties`: tied times, and the jitter draws inside the dating windows;
- :mod:`.background`: the constant and trend-seasonal backgrounds and their integrals;
- :mod:`._setup`: options, and each stream's observation window;
- :mod:`._kernels`: the O(n) recursions of the exponential kernel (numba or NumPy);
- :mod:`.likelihood`: the univariate log-likelihood, gradient and Hessian;
- :mod:`.optimise`: maximum likelihood and covariances;
- :mod:`.pooling`: Rubin's rules over jitter draws, and the intervals;
- :mod:`.checks`: degenerate fits named (notes, ``EstimationWarning``, NaN intervals);
- :mod:`.univariate` and :mod:`.bivariate`: :func:`fit_hawkes` and
  :func:`fit_hawkes_bivariate`;
- :mod:`.result`: :class:`HawkesResult` and :class:`BivariateHawkesResult`;
- :mod:`.simulate`: exact simulation by the branching construction;
- :mod:`.predict`: simulated future counts of a fit, all sample paths at once.
"""

from __future__ import annotations

from ._kernels import HAVE_NUMBA as HAVE_NUMBA
from .bivariate import fit_hawkes_bivariate
from .events import HawkesInputError
from .likelihood import hawkes_loglik
from .result import BivariateHawkesResult, HawkesResult
from .simulate import simulate_hawkes, simulate_hawkes_bivariate
from .univariate import fit_hawkes

__all__ = [
    "BivariateHawkesResult",
    "HawkesInputError",
    "HawkesResult",
    "fit_hawkes",
    "fit_hawkes_bivariate",
    "hawkes_loglik",
    "simulate_hawkes",
    "simulate_hawkes_bivariate",
]
