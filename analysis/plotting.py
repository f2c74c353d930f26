"""House plotting style and shared figure helpers (presentation layer)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import matplotlib.pyplot as plt

from .config import STYLE_FILE

__all__ = ["PALETTE", "add_caption", "house_style", "use_house_style"]

#: Okabe-Ito colour-blind-safe palette.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"]
#: Colours for the main perpetrators, used consistently across figures.
PERPETRATOR_COLOURS = {
    "ISKP": "#D55E00",
    "Taliban": "#0072B2",
    "Taliban and/or ISKP": "#CC79A7",
    "unknown": "#999999",
}


def use_house_style() -> None:
    """Apply the project's matplotlib style globally."""
    plt.style.use(str(STYLE_FILE))


@contextlib.contextmanager
def house_style() -> Iterator[None]:
    """Apply the project's matplotlib style inside a ``with`` block."""
    with plt.style.context(str(STYLE_FILE)):
        yield


def add_caption(ax, text: str) -> None:
    """Put a caption (source, date range) under the axes."""
    ax.figure.text(0.01, -0.02, text, ha="left", va="top", fontsize=8, color="#555555", wrap=True)
