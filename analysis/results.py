"""The shared frozen result base: ``summary()``, ``to_frame()``, ``plot(ax=None)`` and
an HTML representation for Jupyter, in the manner of statsmodels' and lifelines'
results objects.

Model entry points return subclasses of :class:`Result`. They are frozen dataclasses
with ``eq=False``: a result is a record of what was estimated, nothing changes it after
the fit, and two results are equal only when they are the same object (comparing the
frames they hold by value would be meaningless). :meth:`Result.to_frame` always hands
out a copy, so a user's edit to the table never changes the result.
"""

from __future__ import annotations

import dataclasses
import html
from typing import Any

import pandas as pd

__all__ = ["Result", "get_axes", "irr_table"]


def irr_table(params, se, names, z: float) -> pd.DataFrame:
    """Log-linear coefficients as a table: coef, se, IRR and its Wald interval.

    ``irr = exp(coef)`` and the interval is ``exp(coef -/+ z * se)``.
    """
    import numpy as np

    params = np.asarray(params, dtype=float)
    se = np.asarray(se, dtype=float)
    return pd.DataFrame(
        {
            "coef": params,
            "se": se,
            "irr": np.exp(params),
            "ci_low": np.exp(params - z * se),
            "ci_high": np.exp(params + z * se),
        },
        index=pd.Index(names, name="term"),
    )


def get_axes(ax=None, figsize=None):
    """Return ``ax``, or the axes of a new figure when ``ax`` is None."""
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=figsize)
    return ax


@dataclasses.dataclass(frozen=True, repr=False, eq=False)
class Result:
    """Base class of all model results.

    Subclasses are ``@dataclasses.dataclass(frozen=True, repr=False, eq=False)`` and
    implement :meth:`_table` (the tidy table of estimates), :meth:`summary_lines`
    (headline numbers) and :meth:`plot`.
    """

    #: A short title, for example "Negative-binomial frequency model".
    title = "Result"

    # ---- to implement in subclasses
    def _table(self) -> pd.DataFrame:
        """The estimates as a tidy table; :meth:`to_frame` hands out a copy of it."""
        raise NotImplementedError

    def to_frame(self) -> pd.DataFrame:
        """The estimates as a tidy table (one row per parameter or quantity).

        A copy: editing it leaves the result unchanged.
        """
        return self._table().copy(deep=True)

    def summary_lines(self) -> list[tuple[str, str]]:
        """Headline (label, value) pairs shown above the table in ``summary()``."""
        return []

    def plot(self, ax=None):  # pragma: no cover - abstract
        """Draw the result on ``ax`` (a new figure when None) and return the axes."""
        raise NotImplementedError

    # ---- shared presentation
    def summary(self) -> str:
        """A plain-text summary: headline numbers, then the table of estimates."""
        lines = [self.title, "=" * len(self.title)]
        width = max((len(k) for k, _ in self.summary_lines()), default=0)
        for k, v in self.summary_lines():
            lines.append(f"{k:<{width}}  {v}")
        frame = self._table()
        if len(frame):
            lines.append("")
            with pd.option_context("display.width", 120, "display.max_columns", 20):
                lines.append(frame.to_string(float_format=lambda x: f"{x:.4g}"))
        return "\n".join(lines)

    def __repr__(self) -> str:
        head = ", ".join(f"{k}={v}" for k, v in self.summary_lines()[:4])
        return f"<{type(self).__name__}: {head}>"

    def __str__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><th style='text-align:left'>{html.escape(k)}</th><td>{html.escape(str(v))}</td></tr>"
            for k, v in self.summary_lines()
        )
        table = self._table().to_html(float_format=lambda x: f"{x:.4g}", border=0)
        return (
            f"<div class='analysis-result'><h4>{html.escape(self.title)}</h4>"
            f"<table>{rows}</table>{table}</div>"
        )

    def _asdict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
