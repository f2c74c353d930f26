r"""Change points in count series by PELT: :func:`change_points`, :class:`ChangePointResult`.

PELT (Killick, Fearnhead & Eckley 2012) finds the segmentation that minimises

.. math::

    \sum_{i=0}^{m} C(y_{\tau_i : \tau_{i+1}}) + \beta\, m

exactly, pruning candidate change points that can never be optimal, with the segment
costs :math:`C` of :mod:`.costs` (NB2 with a common dispersion, Poisson, or squared
error), against a seasonal baseline, with a penalty :math:`\beta` calibrated by
simulation so that a series without a break rarely shows one.

The modules: :mod:`.inputs` (checks and the error), :mod:`.costs` (segment costs and
the BIC penalty), :mod:`.search` (the exact PELT search, numba or NumPy, and the matrix
of all segment costs), :mod:`.baseline` (the seasonal baseline and the noise around a
running median), :mod:`.calibrate` (the simulated penalty), :mod:`.locate` (intervals
for the change dates), :mod:`.segments` (segment rates and their intervals),
:mod:`.detect` (:func:`change_points`) and :mod:`.result` (:class:`ChangePointResult`).
"""

from __future__ import annotations

from .costs import COSTS
from .detect import change_points
from .inputs import ChangePointError
from .result import ChangePointResult
from .search import pelt

__all__ = ["COSTS", "ChangePointError", "ChangePointResult", "change_points", "pelt"]
