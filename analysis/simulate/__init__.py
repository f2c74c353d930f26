"""Simulators with known truth, the fixtures of tests, calibration studies and
documentation.

- :func:`simulate_incidents` (:mod:`.incidents`): a canonical incident table drawn from a
  seasonal, trending, possibly self-exciting count process;
- :func:`simulate_counts` (:mod:`.counts`): a regular count series shaped like real
  conflict counts (negative binomial, seasonal, autocorrelated, with surges and level
  shifts).

Both keep the parameters that generated the data in ``attrs["truth"]``.
"""

from __future__ import annotations

from .counts import simulate_counts
from .incidents import SimulationParameterError, simulate_incidents

__all__ = ["SimulationParameterError", "simulate_counts", "simulate_incidents"]
