"""Shared data of the severity tests: the terrorism sizes of Clauset, Shalizi & Newman
(2009), as shipped with the ``powerlaw`` package."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest


def terrorism_sizes() -> np.ndarray:
    """The 9,101 deaths-per-attack values of CSN's terrorism table (skips when absent)."""
    import powerlaw

    path = Path(powerlaw.__file__).parent / "reference_data" / "terrorism.txt"
    if not path.exists():
        pytest.skip("powerlaw's reference_data/terrorism.txt is not in the installed wheel")
    return np.loadtxt(path)
