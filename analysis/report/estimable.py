"""What the data cannot estimate: how a report section says so instead of failing or
stating a finding the numbers do not support.

:class:`Estimability` is the part of :class:`analysis.report.collect.Section` that runs
models (:meth:`~Estimability.attempt`), shows their warnings as cautions
(:meth:`~Estimability.cautions`), decides whether a result can carry a finding
(:meth:`~Estimability.trusted`) and records every analysis the data could not support
(:meth:`~Estimability.not_estimable`), with its reason, for ``numbers/<section>.json``.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterator

from ..errors import EstimationError, EstimationWarning

__all__ = ["MAX_RATIO_SPAN", "Estimability"]

#: The widest rate-ratio interval (high / low) a finding may rest on.
MAX_RATIO_SPAN = 100.0


def _level(res) -> str:
    level = getattr(res, "conf_level", 0.95)
    return f"{level:.0%}"


class Estimability:
    """Mixin of :class:`~analysis.report.collect.Section`; it expects ``_skipped``,
    ``_cautions``, ``_estimation``, ``note()`` and ``_write_numbers()`` on the section."""

    def attempt(self, what: str, fn, *args, **kwargs):
        """Run ``fn(*args, **kwargs)``; if it rejects the data, say so and return None.

        Models raise ``ValueError`` subclasses for data they cannot use (too short, all
        zeros, too few tail points) and ``EstimationError`` for a model the data cannot
        estimate (e.g. a forecast too poorly determined to simulate). In a report that
        is a finding, not a crash: the
        section shows a note naming ``what`` and the reason, and the build lists it
        (``numbers/<section>.json`` key ``skipped``). Any other exception propagates
        and fails the build. Warnings the model issues (e.g. an unreliable fit) are
        shown as caution notes under the item.
        """
        with self.cautions(what):
            try:
                return fn(*args, **kwargs)
            except (ValueError, EstimationError) as exc:
                text = str(exc).strip()
                reason = text.splitlines()[0] if text else type(exc).__name__
                self.not_estimable(what, reason, error=type(exc).__name__)
                return None

    def trusted(self, what: str, res, *values: float, ratio_interval=None) -> bool:
        """Whether ``res`` can carry a finding; if not, say it is not estimable, and why.

        False (with a "not estimable from these data" note, unless ``res`` is None:
        :meth:`attempt` has said so already) when the result reports itself not
        estimable (``res.estimable`` is False), any of ``values`` (the estimate and its
        interval) is not finite, which is how a fit flagged by an ``EstimationWarning``
        reports the numbers it cannot give, or ``ratio_interval`` (the interval of a
        rate ratio) spans more than a factor of :data:`MAX_RATIO_SPAN`: such an
        interval says nothing about size or direction. The reason is the result's
        first note, else the last estimation warning shown in this section.
        """
        if res is None:
            return False
        ok = bool(getattr(res, "estimable", True))
        ok = ok and all(v is not None and math.isfinite(float(v)) for v in values)
        if ok and ratio_interval is not None:
            lo, hi = (float(x) for x in ratio_interval)
            if not (lo > 0 and hi / lo <= MAX_RATIO_SPAN):
                span = f"{hi / lo:.3g}" if lo > 0 else "an unbounded"
                self.not_estimable(what, f"its {_level(res)} interval spans a factor of {span} "
                                         "(from {:.2g} to {:.2g} times): far too wide for a finding "
                                         "on its size.".format(lo, hi),
                                   error="Imprecise")
                return False
        if ok:
            return True
        notes = [str(n) for n in getattr(res, "notes", ()) if str(n).strip()]
        reason = (notes[0] if notes else self._estimation[-1] if self._estimation
                  else "the estimate has no finite confidence interval")
        self.not_estimable(what, reason, error="EstimationWarning")
        return False

    def not_estimable(self, what: str, reason: str, *, error: str = "") -> None:
        """Say that ``what`` is not estimable from these data, and why; the build lists it."""
        self._skipped.append({"what": what, "error": error, "reason": reason})
        self._write_numbers()
        self.note(f"**{what}: not estimable from these data.** {reason}")

    @contextlib.contextmanager
    def cautions(self, what: str) -> Iterator[None]:
        """Show the warnings raised inside the block as caution notes (errors pass through).

        ``with rep.cautions("Monthly counts"): counts = incident_counts(df)`` makes a
        warning such as "10 incidents have date windows wider than a month" visible in the
        report instead of only in the log.
        """
        import warnings

        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                yield
            finally:
                for w in caught:
                    if not issubclass(w.category, UserWarning):
                        continue
                    text = str(w.message).strip()
                    msg = text.splitlines()[0] if text else ""
                    if msg and issubclass(w.category, EstimationWarning):
                        self._estimation.append(msg)
                    if msg and msg not in self._cautions:  # each caution once per section
                        self._cautions.add(msg)
                        self.note(f"**{what}, caution:** {msg}")

    def skipped(self) -> list[dict[str, str]]:
        """The analyses :meth:`attempt` could not run, with reasons."""
        return list(self._skipped)
