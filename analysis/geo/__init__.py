"""Geography: the bundled Natural Earth boundaries, point location, province adjacency
and province populations (data layer).

- :func:`locate` gives the country (Natural Earth ``ADM0_A3``) and, in Afghanistan, the
  province (ISO 3166-2) of longitude/latitude points, vectorised with shapely.
- :func:`province_adjacency` is the 34 × 34 matrix of adjacency orders of Afghanistan's
  provinces (0 itself, 1 shared border, 2 a neighbour's neighbour, ...).
- :func:`province_population` gives the provinces' population fractions from a cited
  source.
- :func:`province_polygons` and :func:`country_polygons` give the shapes themselves.

The boundaries are Natural Earth's (public domain); see
``analysis/_bundled/geo/README.md`` for their provenance and the four province codes
that Natural Earth gets wrong (fixed here).
"""

from .adjacency import province_adjacency
from .boundaries import country_polygons, province_polygons
from .points import locate
from .population import province_population

__all__ = [
    "country_polygons",
    "locate",
    "province_adjacency",
    "province_polygons",
    "province_population",
]
