"""Validation of canonical incident tables against the rule table of
:mod:`analysis.schema`, with a quarantine that loses nothing.

The package holds one concept per module:

* :mod:`~analysis.validation.coercion`: the columns of a table and their canonical
  dtypes, recording every value that does not parse;
* :mod:`~analysis.validation.reference`: the reference executor of the rule table
  (the pandera schema), which reports every failure of every row;
* :mod:`~analysis.validation.quarantine`: the split into valid and quarantined rows,
  with their reasons;
* :mod:`~analysis.validation.outcome`: :class:`ValidationOutcome` and
  :class:`IncidentValidationError`;
* :mod:`~analysis.validation.validate`: :func:`validate_incidents`, the three steps in
  order.

>>> outcome = validate_incidents(data)            # doctest: +SKIP
>>> outcome.valid, outcome.quarantined, outcome.report   # doctest: +SKIP
"""

from __future__ import annotations

from .coercion import check_columns, coerce_incidents
from .outcome import IncidentValidationError, ValidationOutcome
from .quarantine import REASONS, reasons_by_row, structure_failures
from .validate import duplicated_ids, validate_incidents, validate_table

__all__ = [
    "REASONS",
    "IncidentValidationError",
    "ValidationOutcome",
    "check_columns",
    "coerce_incidents",
    "duplicated_ids",
    "reasons_by_row",
    "structure_failures",
    "validate_incidents",
    "validate_table",
]
