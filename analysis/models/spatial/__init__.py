"""The endemic–epidemic model for counts across neighbouring units (R surveillance's
``hhh4``): weights, design, likelihood, fit, decomposition, predictions and simulation.

>>> fit = fit_endemic_epidemic(weekly, neighbours=province_adjacency(), harmonics=1)  # doctest: +SKIP
"""

from .decompose import EndemicEpidemicDecomposition
from .fit import fit_endemic_epidemic
from .predict import OneStepAheadResult
from .result import EndemicEpidemicResult
from .simulate import EndemicEpidemicSimulation, simulate_endemic_epidemic
from .weights import adjacency_orders

__all__ = [
    "EndemicEpidemicDecomposition",
    "EndemicEpidemicResult",
    "EndemicEpidemicSimulation",
    "OneStepAheadResult",
    "adjacency_orders",
    "fit_endemic_epidemic",
    "simulate_endemic_epidemic",
]
