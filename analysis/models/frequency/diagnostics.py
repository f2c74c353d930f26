r"""The tests reported with a count model of frequency: overdispersion (a boundary
likelihood-ratio test of NB2 against Poisson, or Cameron and Trivedi's regression test
for a Poisson fit), the seasonal terms (likelihood ratio, or quasi-likelihood ratio
for autoregressions) and serial correlation left in the Pearson residuals (Ljung-Box
at lag min(10, n/5) and at one year).

The seasonal likelihood ratio of a regression is referred to :math:`c\chi^2_\nu` rather
than :math:`\chi^2_q` when the residuals are autocorrelated (:mod:`.serial`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from ..._glm import cameron_trivedi, lr_test
from .design import SEASONAL_PREFIXES

__all__ = [
    "ljung_box",
    "overdispersion_cameron_trivedi",
    "overdispersion_lr",
    "seasonal_columns",
    "seasonal_lr",
    "seasonal_lr_serial",
    "tests_frame",
]

Row = tuple[str, float, int, float]


def overdispersion_lr(llf: float, llf_poisson: float, parameter: str = "alpha") -> Row:
    """LR test of the NB2 dispersion ``parameter = 0`` (half-chi-square on the boundary)."""
    return (f"Overdispersion (LR, {parameter} = 0)", *lr_test(llf, llf_poisson, 1, boundary=True))


def overdispersion_cameron_trivedi(y, mu) -> Row:
    """Cameron and Trivedi's test of ``Var = mu + alpha mu^2`` after a Poisson fit."""
    t, p = cameron_trivedi(y, mu)
    return ("Overdispersion (Cameron-Trivedi)", t, 1, p)


def seasonal_columns(names) -> list[str]:
    """The seasonal terms among the design column names."""
    return [c for c in names if c.startswith(SEASONAL_PREFIXES)]


def seasonal_lr(llf: float, llf_without: float, n_terms: int, *, quasi: bool = False) -> Row:
    """(Quasi-)LR test of the seasonal terms against the fit without them."""
    name = "Seasonality (quasi-LR)" if quasi else "Seasonality (LR)"
    return (name, *lr_test(llf, llf_without, n_terms))


def seasonal_lr_serial(llf: float, llf_without: float, n_terms: int, c: float, nu: float) -> Row:
    r"""The LR test of the seasonal terms referred to :math:`c\chi^2_\nu`."""
    stat = max(2.0 * (llf - llf_without), 0.0)
    return ("Seasonality (LR)", stat, n_terms, float(stats.chi2.sf(stat / c, nu)))


def ljung_box(pearson: np.ndarray, per_year: float) -> list[Row]:
    """Ljung-Box tests of the Pearson residuals at lag ``min(10, n // 5)`` and at one
    year (when the series is longer than three years)."""
    from statsmodels.stats.diagnostic import acorr_ljungbox

    n = len(pearson)
    year = round(per_year) if per_year < n / 3 else 0
    lags = [lag for lag in sorted({min(10, n // 5), year}) if lag > 0]
    if not lags:
        return []
    lb = acorr_ljungbox(pearson, lags=lags, return_df=True)
    return [(f"Ljung-Box (lag {lag}, Pearson)", float(row["lb_stat"]), int(lag),
             float(row["lb_pvalue"])) for lag, row in lb.iterrows()]


def tests_frame(rows: list[Row]) -> pd.DataFrame:
    """The tests as a table indexed by name: ``statistic``, ``df``, ``p_value``."""
    return pd.DataFrame(rows, columns=["test", "statistic", "df", "p_value"]).set_index("test")
