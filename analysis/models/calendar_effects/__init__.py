"""Islamic-calendar effects on daily incident counts: the Ramadan rate ratio.

Ramadan (Hijri month 9) moves about 11 days earlier through the Gregorian year every
year, so over several years it falls in different calendar months; that is what separates
a Ramadan effect from the ordinary month-of-year seasonality.

>>> import analysis
>>> res = analysis.ramadan_effect(df)          # canonical incident frame  # doctest: +SKIP
>>> res.irr, res.ci_low, res.ci_high            # doctest: +SKIP

The modules: :mod:`.hijri` (Ramadan periods and flags from ``hijridate``), :mod:`.daily`
(daily counts from a frame or a Series), :mod:`.fit` (:func:`ramadan_effect`: design,
trend, estimation and the checks of what the data can estimate) and :mod:`.result`
(:class:`RamadanResult`).
"""

from __future__ import annotations

from .fit import ramadan_effect
from .hijri import HijriRangeError, ramadan_days, ramadan_periods
from .result import RamadanResult

__all__ = [
    "HijriRangeError",
    "RamadanResult",
    "ramadan_days",
    "ramadan_effect",
    "ramadan_periods",
]
