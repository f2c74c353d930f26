"""The package's errors and warnings.

Every exception the package raises on purpose derives from :class:`AnalysisError`, so
a script can catch them all with one ``except analysis.AnalysisError``. Each also
derives from the built-in class a Python user would expect (``ValueError`` for bad
input, ``RuntimeError`` for a failed build), so existing ``except ValueError`` code
keeps working.

Every warning derives from :class:`AnalysisWarning`. :class:`EstimationWarning` marks
a fit that returned numbers which must not be trusted as they stand: the optimiser did
not converge, the Hessian is not positive definite, a parameter sits on its boundary,
or the data cannot identify an effect. Intervals of such a fit are NaN, never a
zero-width interval.

>>> import warnings, analysis
>>> warnings.simplefilter("error", analysis.EstimationWarning)  # doctest: +SKIP
"""

from __future__ import annotations

__all__ = [
    "AnalysisError",
    "AnalysisWarning",
    "DataFileError",
    "EstimationError",
    "EstimationWarning",
    "InputError",
]


class AnalysisError(Exception):
    """Base class of every error the package raises."""


class InputError(AnalysisError, ValueError):
    """An argument or a data set that a function cannot use (named in the message)."""


class DataFileError(InputError):
    """A file that cannot be used at all (missing, wrong format, undecodable, wrong columns).

    The message names the file and the problem in one line.
    """

    def __init__(self, path: object, problem: str):
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{path}: {problem}")


class EstimationError(AnalysisError, RuntimeError):
    """A model cannot be estimated from these data (the message says why)."""


class AnalysisWarning(UserWarning):
    """Base class of every warning the package issues."""


class EstimationWarning(AnalysisWarning):
    """A fit whose estimates or intervals cannot be trusted as they stand.

    Issued for non-convergence, a Hessian that is not positive definite, a parameter on
    its boundary, a regime with all-zero counts, a calendar effect with no exposure in
    the window, or a stream observed over only part of the window. The affected
    intervals are NaN.
    """
