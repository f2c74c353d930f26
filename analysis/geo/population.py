"""Population of Afghanistan's provinces, from the bundled, cited table."""

from __future__ import annotations

import pandas as pd

from .. import config

__all__ = ["POPULATION_FILE", "province_population"]

POPULATION_FILE = ("geo", "province_population.csv")


def province_population(*, fractions: bool = True) -> pd.Series:
    """Population of each province, as fractions of the provinces' total (or as counts).

    The settled population estimated by Afghanistan's National Statistics and
    Information Authority (NSIA) for the solar year 1400 (March 2021 to March 2022),
    as published in Afghan news reports of that release; the bundled file
    ``analysis/_bundled/geo/province_population.csv`` gives each figure as reported, its
    year and its source. NSIA's figures are projections (Afghanistan has had no census
    since 1979); about 1.5 million nomads (Kuchis) belong to no province and are not
    included.

    **Kapisa (AF-KAP) is NA**: no 2021-22 figure for it could be found offline. Fractions
    are shares of the total of the 33 provinces with a figure. Give the fit a complete
    offset (for example your own figure for Kapisa) or none.

    Parameters
    ----------
    fractions : bool
        Shares of the total (default) or the population counts.

    Returns
    -------
    Series
        Indexed by ISO 3166-2 province code; ``attrs`` hold ``year`` and ``sources``.
    """
    table = pd.read_csv(config.bundled(*POPULATION_FILE), dtype={"population": "Float64"})
    pop = table.set_index("province_code")["population"].astype(float).sort_index()
    out = pop / pop.sum() if fractions else pop
    out = out.rename("population_fraction" if fractions else "population")
    out.attrs.update(
        year=str(table["year"].iloc[0]),
        sources=sorted(set(table["source"].dropna())),
        missing=sorted(pop.index[pop.isna()]),
    )
    return out
