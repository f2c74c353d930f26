"""House plotting style and shared figure helpers (presentation layer)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import matplotlib.pyplot as plt

from .config import STYLE_FILE

__all__ = [
    "PALETTE",
    "add_caption",
    "colour_for",
    "house_style",
    "province_bubble_map",
    "stacked_bars",
    "use_house_style",
]

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


def colour_for(group: object, i: int = 0) -> str:
    """The house colour of a perpetrator, else the ``i``-th palette colour."""
    return PERPETRATOR_COLOURS.get(str(group), PALETTE[i % len(PALETTE)])


def stacked_bars(table, ax=None, *, title: str, ylabel: str, xlabel: str = "period"):
    """Stacked bars of a (period x group) table of counts; returns the axes.

    The index gives the bars (dates are labelled by year or year-month), the columns
    the stacked groups, coloured with :func:`colour_for`.
    """
    import numpy as np
    import pandas as pd

    from .results import get_axes

    ax = get_axes(ax)
    idx = table.index
    if isinstance(idx, pd.DatetimeIndex):
        yearly = bool(len(idx)) and (idx.month == 1).all() and (idx.day == 1).all()
        labels = [f"{d:%Y}" if yearly else f"{d:%Y-%m}" for d in idx]
    else:
        labels = [str(v) for v in idx]
    x = np.arange(len(table))
    bottom = np.zeros(len(table))
    for i, col in enumerate(table.columns):
        vals = np.asarray(table[col], dtype=float)
        ax.bar(x, vals, bottom=bottom, label=str(col), color=colour_for(col, i), width=0.8)
        bottom += vals
    step = max(1, len(x) // 12)
    ax.set_xticks(x[::step], labels[::step], rotation=45 if len(x) > 8 else 0, ha="right" if len(x) > 8 else "center")
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if len(table.columns) > 1:
        ax.legend(loc="upper left")
    return ax


def _geojson_rings(path):
    """Outer and inner rings (lists of (lon, lat)) of every polygon in a GeoJSON file."""
    import json
    from pathlib import Path

    gj = json.loads(Path(path).read_text(encoding="utf-8"))
    feats = gj.get("features", [gj] if gj.get("type") == "Feature" else [])
    if gj.get("type") in ("Polygon", "MultiPolygon"):
        feats = [{"geometry": gj}]
    rings = []
    for f in feats:
        geom = f.get("geometry") or {}
        if geom.get("type") == "Polygon":
            rings.extend(geom["coordinates"])
        elif geom.get("type") == "MultiPolygon":
            for poly in geom["coordinates"]:
                rings.extend(poly)
    if not rings:
        raise ValueError(
            f"{path}: no Polygon or MultiPolygon geometry found; give a GeoJSON file of "
            "province boundaries (longitude/latitude, EPSG:4326)"
        )
    return rings


def province_bubble_map(
    counts,
    ax=None,
    *,
    value: str = "incidents",
    boundaries=None,
    title: str = "Incidents by province",
    label_top: int = 8,
    colour: str = PALETTE[0],
):
    """Bubbles at province centroids, area proportional to ``counts[value]``.

    Parameters
    ----------
    counts : DataFrame
        One row per province with ``province``, ``latitude``, ``longitude`` and the
        ``value`` column (e.g. :func:`analysis.report.tables.province_counts`).
    boundaries : path, optional
        A GeoJSON file of boundaries (longitude/latitude) drawn under the bubbles.
        Without it the 34 centroids are drawn as small grey points for orientation.
    label_top : int
        Label the provinces with the largest values.
    """
    import numpy as np
    from matplotlib.collections import PolyCollection

    from .results import get_axes

    ax = get_axes(ax, figsize=(8, 6))
    if boundaries is not None:
        rings = [np.asarray(r, dtype=float)[:, :2] for r in _geojson_rings(boundaries)]
        ax.add_collection(
            PolyCollection(rings, facecolors="#f2f2f2", edgecolors="#9a9a9a", linewidths=0.6, zorder=0)
        )
    ax.scatter(counts["longitude"], counts["latitude"], s=6, color="#b0b0b0", zorder=1)
    v = np.asarray(counts[value], dtype=float)
    vmax = np.nanmax(v) if len(v) and np.nanmax(v) > 0 else 1.0
    sizes = 1200.0 * v / vmax
    ax.scatter(
        counts["longitude"], counts["latitude"], s=sizes, color=colour, alpha=0.55,
        edgecolors="white", linewidths=0.8, zorder=2,
    )
    top = counts.assign(value_=v).query("value_ > 0").nlargest(label_top, "value_") if label_top else counts.iloc[:0]
    for r in top.itertuples():
        ax.annotate(
            f"{r.province} ({int(r.value_)})", (r.longitude, r.latitude), xytext=(6, 4),
            textcoords="offset points", fontsize=8,
        )
    for ref in sorted({round(vmax), max(1, round(vmax / 4))}, reverse=True):
        ax.scatter([], [], s=1200.0 * ref / vmax, color=colour, alpha=0.55, label=f"{ref} {value}")
    ax.legend(loc="lower right", labelspacing=1.6, borderpad=1.0, scatterpoints=1)
    ax.set_xlim(60.0, 75.5)
    ax.set_ylim(29.0, 39.0)
    ax.set_aspect(1.0 / np.cos(np.deg2rad(34.0)))
    ax.set_xlabel("longitude (degrees east)")
    ax.set_ylabel("latitude (degrees north)")
    ax.set_title(title)
    return ax


def cumulative_counts(df, *, by: str | None = None, ax=None, title: str, ylabel: str):
    """Step lines of the cumulative number of incidents over time (one per group).

    Readable for sparse and dense data alike; groups are coloured with
    :func:`colour_for` and ordered by size.
    """
    import numpy as np

    from .results import get_axes

    ax = get_axes(ax)
    groups = [(None, df)] if by is None else list(df.groupby(by, sort=False, dropna=False))
    groups.sort(key=lambda g: (-len(g[1]), str(g[0])))
    for i, (name, sub) in enumerate(groups):
        dates = np.sort(sub["date"].to_numpy())
        label = "all incidents" if name is None else str(name)
        ax.step(dates, np.arange(1, len(dates) + 1), where="post", label=label, color=colour_for(name, i))
    ax.set_title(title)
    ax.set_xlabel("date")
    ax.set_ylabel(ylabel)
    if by is not None:
        ax.legend(loc="upper left")
    return ax
