r"""Lethality over time: killed per attack, its rank trend and the share of mass-casualty
attacks, each tested per incident on the low, best and high casualty counts, so that a
conclusion that depends on which count is believed is visible.

>>> import analysis
>>> res = analysis.casualty_trend(df, by="perpetrator", seed=1)        # doctest: +SKIP
>>> res.summary(); res.plot()                                          # doctest: +SKIP
>>> analysis.casualty_band(df, lambda k: k.mean(), decide=lambda m: m > 5)  # doctest: +SKIP

Models (per group and count band, on the incidents :math:`i` whose toll :math:`y_i` is known,
at time :math:`t_i` in years)
------------------------------------------------------------------------------------------
* **Killed per attack**: :math:`y_i \sim \mathrm{NB2}(\mu_i, \alpha)`,
  :math:`\log\mu_i = \beta_0 + \beta_1 t_i`; :math:`e^{\beta_1}` is the rate ratio per year.
* **Rank trend**: Kendall's :math:`\tau_b` between date and toll (the Mann–Kendall test of
  the tolls in date order).
* **Mass-casualty share**: :math:`\mathrm{logit}\Pr(y_i \ge T) = \gamma_0 + \gamma_1 t_i`.

The regressions have sandwich standard errors and permutation p-values and intervals
(:mod:`.permutation`), which hold their size on heavy-tailed tolls where a model-based
or aggregated test does not. Attacks whose casualty count is unknown (NA) are never counted
as zero: they are left out of that band and counted in ``n_missing``.

The modules: :mod:`.inputs` (checks), :mod:`.permutation` (the vectorised regressions and
permutation tests), :mod:`.trend_tests` (the three tests of one band), :mod:`.periods` (the
per-period table), :mod:`.trend` (:func:`casualty_trend`), :mod:`.band`
(:func:`casualty_band`), :mod:`.result`.
"""

from __future__ import annotations

from .band import casualty_band
from .inputs import BAND_LEVELS, CasualtyInputError
from .result import CasualtyBandResult, CasualtyTrendResult
from .trend import casualty_trend

__all__ = [
    "BAND_LEVELS",
    "CasualtyBandResult",
    "CasualtyInputError",
    "CasualtyTrendResult",
    "casualty_band",
    "casualty_trend",
]
