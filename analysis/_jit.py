"""Optional numba compilation (the ``fast`` extra), done on first use so that importing
the package stays fast."""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["compiled"]

_COMPILED: dict[Callable, Callable | None] = {}


def compiled(func: Callable) -> Callable | None:
    """``func`` compiled with ``numba.njit(cache=True)``, or None when numba is not
    installed or cannot load; compiled once, on the first call for ``func``."""
    if func not in _COMPILED:
        try:
            import numba

            _COMPILED[func] = numba.njit(cache=True)(func)
        except Exception:  # pragma: no cover - numba missing or broken
            _COMPILED[func] = None
    return _COMPILED[func]
