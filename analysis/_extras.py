"""Friendly errors for optional dependencies (installed through extras)."""

from __future__ import annotations

import importlib
from types import ModuleType

DIST = "afghan-violence-analysis"


def require(extra: str, *modules: str, feature: str = "") -> list[ModuleType]:
    """Import ``modules`` or raise an ImportError naming the extra that provides them."""
    out = []
    for name in modules:
        try:
            out.append(importlib.import_module(name))
        except ImportError as exc:
            what = feature or f"this feature ({name})"
            raise ImportError(
                f"{what} needs the optional dependency {exc.name or name!r}: "
                f"pip install '{DIST}[{extra}]'"
            ) from exc
    return out
