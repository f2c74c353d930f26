"""Maps of Afghanistan's provinces (presentation layer): :func:`plot_province_map`."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .errors import InputError

__all__ = ["NEIGHBOUR_COUNTRIES", "plot_province_map"]

#: Countries drawn around Afghanistan for orientation (Natural Earth ADM0_A3).
NEIGHBOUR_COUNTRIES = ("IRN", "TKM", "UZB", "TJK", "CHN", "PAK", "IND", "KAS")
#: Colour-blind-safe sequential palette (ColorBrewer YlGnBu) and the no-data colour.
CMAP, NO_DATA = "YlGnBu", "#e6e6e6"
EXTENT = (60.3, 75.2, 29.2, 38.7)  # lon_min, lon_max, lat_min, lat_max


def _by_code(values) -> pd.Series:
    """The values keyed by ISO 3166-2 code (names and spelling variants accepted)."""
    from .gazetteer import province_code

    s = pd.Series(values, dtype="Float64") if not isinstance(values, pd.Series) else values
    try:
        codes = [province_code(k) for k in s.index]
    except InputError as exc:
        raise InputError(f"plot_province_map: {exc}") from None
    out = pd.Series(pd.to_numeric(s, errors="coerce").to_numpy(dtype=float, na_value=np.nan), index=codes)
    if out.index.duplicated().any():
        raise InputError("plot_province_map: a province appears twice in values")
    return out


def _rings(geom) -> list[np.ndarray]:
    polys = getattr(geom, "geoms", [geom])
    return [np.asarray(p.exterior.coords)[:, :2] for p in polys]


def _context(ax) -> None:
    """Neighbouring countries in light grey, Afghanistan's outline in black."""
    from matplotlib.collections import PolyCollection

    from .geo import country_polygons

    countries = country_polygons()
    around = [r for c in NEIGHBOUR_COUNTRIES if c in countries.index for r in _rings(countries.at[c, "geometry"])]
    ax.add_collection(PolyCollection(around, facecolors="#f7f7f7", edgecolors="#bdbdbd", linewidths=0.5, zorder=0))
    ax.add_collection(PolyCollection(
        _rings(countries.at["AFG", "geometry"]), facecolors="none", edgecolors="#000000", linewidths=1.2, zorder=3,
    ))


def plot_province_map(
    values,
    ax=None,
    *,
    title: str = "Afghanistan by province",
    label: str = "",
    labels: int | bool = 8,
    fmt: str = "{:,.0f}",
    cmap: str = CMAP,
    vmin: float | None = None,
    vmax: float | None = None,
):
    """A choropleth of one value per province (counts, rates, shares, ...).

    Provinces are Natural Earth's polygons, shaded on a colour-blind-safe sequential
    palette (ColorBrewer YlGnBu; light is low), with a colour bar, the neighbouring
    countries and Afghanistan's outline for orientation; provinces without a value are
    light grey.

    Parameters
    ----------
    values : Series or dict
        One number per province, keyed by ISO 3166-2 code or by any spelling the
        gazetteer knows ("Nangarhar", "AF-NAN"). NA or missing provinces: no data.
    ax : matplotlib Axes, optional
        Where to draw; a new figure when None.
    title, label : str
        The axes title and the colour bar's label (the quantity and its unit).
    labels : int or bool
        Name and value of the provinces with the largest values (``True``: all; 0 or
        ``False``: none).
    fmt : str
        Format of the labelled values.
    cmap, vmin, vmax
        The matplotlib colour map and its limits (default: 0 or the smallest value, and
        the largest value).

    Returns
    -------
    matplotlib Axes
    """
    import matplotlib as mpl
    from matplotlib.collections import PolyCollection

    from .geo import province_polygons
    from .results import get_axes

    vals = _by_code(values)
    polys = province_polygons()
    unknown = sorted(set(vals.index) - set(polys.index))
    if unknown:
        raise InputError(f"plot_province_map: no polygon for {unknown}")
    v = vals.reindex(polys.index).to_numpy(dtype=float)
    finite = v[np.isfinite(v)]
    lo = vmin if vmin is not None else (min(0.0, finite.min()) if len(finite) else 0.0)
    hi = vmax if vmax is not None else (finite.max() if len(finite) and finite.max() > lo else lo + 1.0)
    norm = mpl.colors.Normalize(lo, hi)
    colour_map = mpl.colormaps[cmap]
    faces = [colour_map(norm(x)) if np.isfinite(x) else NO_DATA for x in v]
    ax = get_axes(ax, figsize=(8, 6.5))
    _context(ax)
    rings = [_rings(g)[0] for g in polys["geometry"]]
    ax.add_collection(PolyCollection(rings, facecolors=faces, edgecolors="#ffffff", linewidths=0.6, zorder=1))
    _label(ax, polys, v, labels, fmt)
    sm = mpl.cm.ScalarMappable(norm=norm, cmap=colour_map)
    ax.figure.colorbar(sm, ax=ax, shrink=0.7, label=label)
    ax.set_xlim(EXTENT[0], EXTENT[1])
    ax.set_ylim(EXTENT[2], EXTENT[3])
    ax.set_aspect(1.0 / np.cos(np.deg2rad(34.0)))
    ax.grid(False)
    ax.set_xlabel("longitude (degrees east)")
    ax.set_ylabel("latitude (degrees north)")
    ax.set_title(title)
    return ax


def _label(ax, polys: pd.DataFrame, v: np.ndarray, labels, fmt: str) -> None:
    """Name and value of the provinces with the largest values, inside each polygon."""
    n = len(v) if labels is True else int(labels or 0)
    if n <= 0:
        return
    order = [i for i in np.argsort(-np.nan_to_num(v, nan=-np.inf), kind="stable") if np.isfinite(v[i])][:n]
    for i in order:
        pt = polys["geometry"].iloc[i].representative_point()
        ax.annotate(
            f"{polys['name'].iloc[i]}\n{fmt.format(v[i])}", (pt.x, pt.y), ha="center", va="center",
            fontsize=7, zorder=4,
            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.7},
        )
